// TW-ALERT-001 beyond the cases: Microsoft's own ATT&CK classification (alerts_v2 category and mitreTechniques)
// becomes the alert's tactics and techniques when it maps onto the pinned table; otherwise the rule's tags stand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../../config/config.js';
import { Engine } from '../../../detect/engine.js';
import { decodeText } from '../../../pipeline/testkit.js';
import { BASE } from '../../records.js';
import { graphAlert, graphAlertPage } from '../records.js';
import { microsoftAlert, microsoftAttackTags } from './rule.js';

test('category and techniques: the category wins when a known technique sits under it', () => {
  assert.deepEqual(microsoftAttackTags('InitialAccess', ['T1566', 'T1078']), { tactics: ['initial-access'], techniques: ['T1566', 'T1078'] });
  assert.deepEqual(microsoftAttackTags('Persistence', ['T1098.001', 'T1550.001']), { tactics: ['persistence'], techniques: ['T1098.001'] });
  // a category no technique sits under: the techniques' own tactics
  assert.deepEqual(microsoftAttackTags('Exfiltration', ['T1566']), { tactics: ['initial-access'], techniques: ['T1566'] });
  // UAL categories are no tactics; unknown ids are dropped; nothing known: undefined (the rule's tags)
  assert.deepEqual(microsoftAttackTags('ThreatManagement', ['t1566 ']), { tactics: ['initial-access'], techniques: ['T1566'] });
  assert.equal(microsoftAttackTags('InitialAccess', []), undefined);
  assert.equal(microsoftAttackTags('InitialAccess', ['T9999', 'not-an-id']), undefined);
});

async function alertOf(o: Parameters<typeof graphAlert>[0]) {
  const input = graphAlertPage('alerts.json', [graphAlert(o)]);
  const { events } = await decodeText(input.text, input.name, { dedup: false });
  const engine = new Engine([microsoftAlert], defaultConfig());
  for (const e of events) engine.push(e);
  engine.end();
  const [a, ...rest] = engine.drain();
  assert.equal(rest.length, 0);
  return a!;
}

test('a Graph alert carries Microsoft\'s tactic and techniques; one without techniques keeps the rule\'s', async () => {
  const phish = await alertOf({ at: BASE, id: 'da0000000000000000000000000000001_1', title: 'A potentially malicious URL click was detected', severity: 'high', category: 'InitialAccess', mitreTechniques: ['T1566.002'] });
  assert.deepEqual([phish.tactics, phish.techniques], [['initial-access'], ['T1566.002']]);
  const bare = await alertOf({ at: BASE, id: 'da0000000000000000000000000000002_1', title: 'Suspicious connector activity', severity: 'high', category: 'InitialAccess' });
  assert.deepEqual([bare.tactics, bare.techniques], [microsoftAlert.tactics, microsoftAlert.techniques]);
});
