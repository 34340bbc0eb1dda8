// TW-EXO-001 beyond the cases: the snapshot as a source of the effective configuration (cases cannot carry a
// snapshot), the IP-breadth boundaries, and the per-change severities of a fold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../../config/config.js';
import type { Alert } from '../../../detect/alert.js';
import { Engine } from '../../../detect/engine.js';
import { createEnrichment } from '../../../enrich/allowlists.js';
import { exchangeFromSnapshot, snapshotFromBodies } from '../../../posture/index.js';
import { decodeText } from '../../../pipeline/testkit.js';
import { BASE, MINUTES, ndjson } from '../../records.js';
import { ualCmdlet, type CmdletOpts } from '../records.js';
import { inboundConnector } from './rule.js';

async function run(records: CmdletOpts[], snapshot?: Record<string, unknown>): Promise<Alert[]> {
  const input = ndjson('t.ndjson', records.map(ualCmdlet));
  const { events } = await decodeText(input.text, input.name, { dedup: false });
  const extra = snapshot ? exchangeFromSnapshot(snapshotFromBodies(snapshot)) : {};
  const engine = new Engine([inboundConnector], defaultConfig(), { enrich: createEnrichment(defaultConfig(), extra) });
  for (const e of events.sort((a, b) => a.time - b.time)) engine.push(e);
  engine.end();
  return engine.drain().filter((a) => a.revision === 1);
}

const partner = (ips: string): CmdletOpts => ({
  at: BASE, op: 'New-InboundConnector',
  params: [['Name', 'P'], ['SenderDomains', 'fabrikam.example'], ['SenderIPAddresses', ips], ['RestrictDomainsToIPAddresses', 'True']],
});

test('sender IP breadth: /24 is narrow (low), /23 broad (medium), /16 wide (high)', async () => {
  assert.equal((await run([partner('203.0.113.0/24')]))[0]!.severity, 'low');
  const broad = (await run([partner('198.51.100.0/23')]))[0]!;
  assert.equal(broad.severity, 'medium');
  assert.deepEqual(broad.facts.riskFactors, ['broadSenderIps']);
  assert.equal((await run([partner('198.18.0.0/16')]))[0]!.severity, 'high');
  // five /24s are 1,280 addresses: more than 1,024 in all is broad too
  assert.equal((await run([partner('203.0.113.0/24;198.51.100.0/24;192.0.2.0/24;198.18.1.0/24;198.18.2.0/24')]))[0]!.severity, 'medium');
});

test('a Set judged on the snapshot: only -Comment passed, the snapshot says OnPremises from a /15', async () => {
  const snapshot = {
    'exchange/Get-InboundConnector.json': [
      { Name: 'Hybrid relay', Identity: 'Hybrid relay', Enabled: true, ConnectorType: 'OnPremises', ConnectorSource: 'AdminUI', SenderIPAddresses: ['198.18.0.0/15'], SenderDomains: ['smtp:*;1'], RestrictDomainsToIPAddresses: false, RestrictDomainsToCertificate: false, TreatMessagesAsInternal: false, CloudServicesMailEnabled: false, TlsSenderCertificateName: null, RequireTls: false, TrustedOrganizations: [] },
    ],
  };
  const [a, ...rest] = await run([{ at: BASE, op: 'Set-InboundConnector', params: [['Identity', 'hybrid relay'], ['Comment', 'ticket 4711']] }], snapshot);
  assert.equal(rest.length, 0);
  assert.equal(a!.severity, 'high');
  assert.equal(a!.facts.configBase, 'snapshot');
  assert.deepEqual(a!.facts.riskFactors, ['onPremises', 'wideSenderIps', 'anySenderDomain']);
  assert.deepEqual(a!.facts.unknownFields, []);
  assert.match(a!.explanation, /ConnectorType=OnPremises \(snapshot\)/);
  // without the snapshot the same record is judged on nothing risky, and says what it does not know
  const [b] = await run([{ at: BASE, op: 'Set-InboundConnector', params: [['Identity', 'hybrid relay'], ['Comment', 'ticket 4711']] }]);
  assert.equal(b!.severity, 'low');
  assert.equal(b!.facts.configBase, 'none');
  assert.match(b!.explanation, /Unknown: Enabled, ConnectorType/);
});

test('an earlier New in the input wins over the snapshot, and a list change adds to what it set', async () => {
  const snapshot = { 'exchange/Get-InboundConnector.json': [{ Name: 'P', ConnectorType: 'OnPremises', SenderIPAddresses: ['198.18.0.0/15'] }] };
  const alerts = await run([partner('203.0.113.0/28'), { at: BASE + 10 * MINUTES, op: 'Set-InboundConnector', params: [['Identity', 'P'], ['SenderIPAddresses', '@{Add="203.0.113.64/28"}']] }], snapshot);
  assert.equal(alerts.length, 2);
  const set = alerts[1]!;
  assert.equal(set.facts.configBase, 'earlier-new');
  assert.ok((set.facts.effectiveConfig as string[]).includes('SenderIPAddresses=203.0.113.0/28,203.0.113.64/28'));
  assert.equal(set.severity, 'low');
});

test('disabled at creation is low; the later Set -Enabled $true is judged on the whole connector', async () => {
  const alerts = await run([
    { at: BASE, op: 'New-InboundConnector', params: [['Name', 'R'], ['ConnectorType', 'OnPremises'], ['SenderDomains', '*'], ['SenderIPAddresses', '198.18.0.0/15'], ['Enabled', 'False']] },
    { at: BASE + 10 * 24 * 60 * MINUTES, op: 'Set-InboundConnector', params: [['Identity', 'R'], ['Enabled', 'True']] },
  ]);
  assert.deepEqual(alerts.map((a) => a.severity), ['low', 'high']);
  assert.match(alerts[0]!.explanation, /disabled/);
});

test('after Remove, a new connector of the same name starts from the cmdlet defaults again', async () => {
  const alerts = await run([
    { at: BASE, op: 'New-InboundConnector', params: [['Name', 'R'], ['ConnectorType', 'OnPremises'], ['SenderDomains', '*'], ['SenderIPAddresses', '198.18.0.0/15']] },
    { at: BASE + MINUTES, op: 'Remove-InboundConnector', params: [['Identity', 'R']] },
    { at: BASE + 2 * MINUTES, op: 'New-InboundConnector', params: [['Name', 'R'], ['SenderDomains', 'fabrikam.example'], ['TlsSenderCertificateName', 'mail.fabrikam.example'], ['RestrictDomainsToCertificate', 'True']] },
  ]);
  assert.deepEqual(alerts.map((a) => a.severity), ['high', 'low']);
  assert.equal(alerts[1]!.facts.configBase, 'new');
});

test('the posture fixture snapshot feeds the lookup: its Partner relay judged on a Set that passed only -Comment', async () => {
  const { loadSnapshot } = await import('../../../posture/index.js');
  const facts = exchangeFromSnapshot(await loadSnapshot('src/posture/fixtures/exposed'));
  assert.equal(facts.inboundConnectors?.length, 2);
  assert.deepEqual(facts.acceptedDomains, ['fabrikam-victim.example']);
  const input = ndjson('t.ndjson', [ualCmdlet({ at: BASE, op: 'Set-InboundConnector', params: [['Identity', 'Partner relay 0609'], ['Comment', 'x']] })]);
  const { events } = await decodeText(input.text, input.name, { dedup: false });
  const engine = new Engine([inboundConnector], defaultConfig(), { enrich: createEnrichment(defaultConfig(), facts) });
  for (const e of events) engine.push(e);
  engine.end();
  const [a] = engine.drain();
  assert.equal(a!.severity, 'high');
  assert.deepEqual(a!.facts.riskFactors, ['wideSenderIps', 'anySenderDomain', 'noIpOrCertRestriction', 'noTls', 'treatsAsInternal']);
});
