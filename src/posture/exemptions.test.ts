import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import { applyExemptions, loadAuditConfig, parseAuditConfig } from './exemptions.js';
import type { AuditResult } from './types.js';

const tmp = (text: string) => {
  const f = path.join(mkdtempSync(path.join(tmpdir(), 'twaudit-')), 'tw.yml');
  writeFileSync(f, text);
  return f;
};

const result = (over: Partial<AuditResult> = {}): AuditResult => ({
  id: 'A6', title: 't', severity: 'critical', status: 'Fail', stage: 'initial-access', mappings: {}, details: 'd', remediation: 'r',
  objects: [{ type: 'user', id: 'u1', name: 'a@contoso.com', reason: 'no MFA' }, { type: 'user', id: 'u2', name: 'b@contoso.com', reason: 'no MFA' }],
  ...over,
});

test('loadAuditConfig: audit section plus allowlists.breakGlass/collectorAppId from the shared config', async () => {
  const f = tmp(`allowlists:\n  breakGlass: [BG@contoso.com]\n  collectorAppId: 9A7E1C00-1111-4111-8111-00000000C011\nrules: {}\naudit:\n  recentDays: 14\n  exemptions:\n    - check: a6\n      objects: [a@contoso.com]\n      justification: Service account, replaced in Q3\n      expires: 2030-01-31\n`);
  const c = await loadAuditConfig(f);
  assert.deepEqual(c.breakGlass, ['bg@contoso.com']);
  assert.equal(c.collector?.appId, '9a7e1c00-1111-4111-8111-00000000c011');
  assert.equal(c.recentDays, 14);
  assert.deepEqual(c.exemptions, [{ check: 'a6', objects: ['a@contoso.com'], justification: 'Service account, replaced in Q3', expires: '2030-01-31' }]);
});

test('loadAuditConfig: problems carry file:line:col', async () => {
  const f = tmp('audit:\n  exemptions:\n    - check: A6\n      justification: ok reason here\n      expires: someday\n  colector: {}\n');
  await assert.rejects(loadAuditConfig(f), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /tw\.yml:5:\d+: audit\.exemptions\.0\.expires: expires must be a date/);
    assert.match(e.message, /tw\.yml:6:3: audit\.colector: unknown key/);
    return true;
  });
  await assert.rejects(loadAuditConfig(tmp('audit: [\n')), ConfigError);
  assert.deepEqual(parseAuditConfig({ exemptions: [{ check: 'A1' }] }).problems.map((p) => p.path.join('.')), ['audit.exemptions.0.justification']);
});

test('applyExemptions: object exemptions mark objects; all causes exempt -> result exempt, status unchanged', () => {
  const cfg = { breakGlass: [], exemptions: [{ check: 'A6', objects: ['a@contoso.com', 'u2'], justification: 'accepted', expires: '2030-01-01' }], recentDays: 30 };
  const now = Date.parse('2025-06-15T00:00:00Z');
  const r = applyExemptions(result(), cfg, now, true);
  assert.equal(r.status, 'Fail');
  assert.ok(r.objects.every((o) => o.exempt?.justification === 'accepted'));
  assert.ok(r.exempt);
  // objects that are context, not causes, never exempt the whole result
  assert.equal(applyExemptions(result(), cfg, now, false).exempt, undefined);
  // partial cover: the result stays non-exempt
  const one = { ...cfg, exemptions: [{ ...cfg.exemptions[0]!, objects: ['u1'] }] };
  assert.equal(applyExemptions(result(), one, now, true).exempt, undefined);
});

test('applyExemptions: whole-check exemption, expired exemptions are reported and ignored', () => {
  const now = Date.parse('2025-06-15T00:00:00Z');
  const whole = applyExemptions(result(), { breakGlass: [], recentDays: 30, exemptions: [{ check: '*', justification: 'pilot tenant' }] }, now);
  assert.equal(whole.exempt?.justification, 'pilot tenant');
  const expired = applyExemptions(result(), { breakGlass: [], recentDays: 30, exemptions: [{ check: 'A6', justification: 'old', expires: '2025-06-14' }] }, now);
  assert.equal(expired.exempt, undefined);
  assert.match(expired.notes![0]!, /expired on 2025-06-14/);
  // the expiry day itself still counts
  assert.ok(applyExemptions(result(), { breakGlass: [], recentDays: 30, exemptions: [{ check: 'A6', justification: 'today', expires: '2025-06-15' }] }, now).exempt);
});
