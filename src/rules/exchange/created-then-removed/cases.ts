// Cases for TW-EXO-003, as raw Audit.Exchange records (Management Activity API JSON and Purview CSV).
import { BASE, MINUTES, ndjson } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { APP_ACTOR, purviewCsv, ualCmdlet, type Actor } from '../records.js';

const HOURS = 60 * MINUTES;
const DAYS = 24 * HOURS;
const OTHER_ADMIN: Actor = { user: 'mail-admin@contoso.com', ip: '198.51.100.11' };

const relay = (at: number, by?: Actor) =>
  ualCmdlet({ at, op: 'New-InboundConnector', params: [['Name', 'Partner relay 0609'], ['ConnectorType', 'OnPremises'], ['SenderDomains', '*'], ['SenderIPAddresses', '198.18.0.0/15']], ...(by ? { by } : {}) });
const remove = (at: number, op: string, name: string, by?: Actor) => ualCmdlet({ at, op, params: [['Identity', name], ['Confirm', 'False']], ...(by ? { by } : {}) });
const partner = (at: number) =>
  ualCmdlet({ at, op: 'New-InboundConnector', params: [['Name', 'Test partner'], ['SenderDomains', 'fabrikam.example'], ['TlsSenderCertificateName', 'mail.fabrikam.example'], ['RestrictDomainsToCertificate', 'True']] });

export const cases: RuleCase[] = [
  {
    name: 'an app creates a relay connector and removes it three days later',
    kind: 'positive',
    why: 'the clean-up after a spam run: risky connector + app actor = critical',
    input: ndjson('relay-cleanup.ndjson', [relay(BASE, APP_ACTOR), remove(BASE + 3 * DAYS, 'Remove-InboundConnector', 'Partner relay 0609', APP_ACTOR)]),
    expect: { alerts: 1, severity: 'critical', key: 'inbound:partner relay 0609', facts: { object: 'inbound', lifetimeMinutes: 4320, riskFactors: ['onPremises', 'wideSenderIps', 'anySenderDomain'], createdBy: 'app' } },
  },
  {
    name: 'the connector removed by its GUID (-Identity <guid>), the record\'s ObjectId keeping its name',
    kind: 'positive',
    why: 'Remove-* -Identity takes the object\'s GUID too; the name in ObjectId is what joins the removal to the creation',
    input: ndjson('by-guid.ndjson', [
      relay(BASE, APP_ACTOR),
      ualCmdlet({ at: BASE + 3 * DAYS, op: 'Remove-InboundConnector', params: [['Identity', '7c0e9f0e-3f64-4f3c-9d2f-6b1a2a9e5d11'], ['Confirm', 'False']], objectId: 'Partner relay 0609', by: APP_ACTOR }),
    ]),
    expect: { alerts: 1, severity: 'critical', key: 'inbound:partner relay 0609' },
  },
  {
    name: 'a header-stripping transport rule removed six hours after creation (Purview CSV)',
    kind: 'positive',
    why: 'the rule\'s creation arguments strip a filtering header: high',
    input: purviewCsv('rule-cleanup.csv', [
      ualCmdlet({ at: BASE, op: 'New-TransportRule', params: [['Name', 'Strip'], ['RemoveHeader', 'X-MS-Exchange-ExternalOriginalInternetSender']] }),
      remove(BASE + 6 * HOURS, 'Remove-TransportRule', 'Strip'),
    ]),
    expect: { alerts: 1, severity: 'high', key: 'transportrule:strip', facts: { lifetimeMinutes: 360, sameActor: true } },
  },
  {
    name: 'an admin tests a certificate-bound partner connector and removes it five minutes later',
    kind: 'positive',
    why: 'the benign twin: harmless object, one admin, minutes apart: reported at low only',
    input: ndjson('test-connector.ndjson', [partner(BASE), remove(BASE + 5 * MINUTES, 'Remove-InboundConnector', 'Test partner')]),
    expect: { alerts: 1, severity: 'low', facts: { riskFactors: [], lifetimeMinutes: 5 } },
  },
  {
    name: 'an outbound connector created by one admin and removed by another',
    kind: 'positive',
    why: 'a different remover lifts a harmless object from low to medium',
    input: ndjson('outbound.ndjson', [ualCmdlet({ at: BASE, op: 'New-OutboundConnector', params: [['Name', 'To smarthost'], ['SmartHosts', 'relay.fabrikam.example']] }), remove(BASE + 2 * HOURS, 'Remove-OutboundConnector', 'To smarthost', OTHER_ADMIN)]),
    expect: { alerts: 1, severity: 'medium', facts: { sameActor: false } },
  },
  {
    name: 'removed seven days and one minute after creation',
    kind: 'negative',
    why: 'just outside the 7-day window',
    input: ndjson('late.ndjson', [relay(BASE, APP_ACTOR), remove(BASE + 7 * DAYS + MINUTES, 'Remove-InboundConnector', 'Partner relay 0609', APP_ACTOR)]),
    expect: { alerts: 0 },
  },
  {
    name: 'removed seven days minus one minute after creation, different letter case',
    kind: 'positive',
    why: 'just inside the window; Exchange names are case-insensitive',
    input: ndjson('inside.ndjson', [relay(BASE), remove(BASE + 7 * DAYS - MINUTES, 'Remove-InboundConnector', 'PARTNER RELAY 0609')]),
    expect: { alerts: 1, severity: 'high' },
  },
  {
    name: 'a different connector is removed',
    kind: 'negative',
    why: 'the pair is per object name',
    input: ndjson('other-name.ndjson', [relay(BASE), remove(BASE + HOURS, 'Remove-InboundConnector', 'Old scanner')]),
    expect: { alerts: 0 },
  },
  {
    name: 'removed, then created again',
    kind: 'negative',
    why: 'order matters: re-creating an object after removing it is not a clean-up',
    input: ndjson('reversed.ndjson', [remove(BASE, 'Remove-InboundConnector', 'Partner relay 0609'), relay(BASE + HOURS)]),
    expect: { alerts: 0 },
  },
  {
    name: 'an inbound connector and a transport rule share a name; only the rule is removed',
    kind: 'lookalike',
    why: 'connectors and rules are different objects even with one name',
    input: ndjson('same-name.ndjson', [relay(BASE), remove(BASE + HOURS, 'Remove-TransportRule', 'Partner relay 0609')]),
    expect: { alerts: 0 },
  },
];
