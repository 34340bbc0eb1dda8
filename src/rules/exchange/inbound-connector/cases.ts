// Cases for TW-EXO-001, as raw Audit.Exchange records: Management Activity API JSON, Purview portal CSV and
// Search-UnifiedAuditLog CSV (the same records, three export shapes).
import { BASE, MINUTES, ndjson } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { ADMIN, APP_ACTOR, SYSTEM, purviewCsv, searchUalCsv, ualCmdlet, type Actor } from '../records.js';

const DAYS = 24 * 60 * MINUTES;

/** The campaign's connector: OnPremises, any sender domain, a /15 of sender IPs. */
function relayConnector(at: number, by: Actor, extra: [string, string][] = []) {
  return ualCmdlet({
    at,
    op: 'New-InboundConnector',
    by,
    params: [['Name', 'Partner relay 0609'], ['ConnectorType', 'OnPremises'], ['SenderDomains', '*'], ['SenderIPAddresses', '198.18.0.0/15'], ...extra],
  });
}

/** A well-made partner connector: certificate and a /28, restricted to both. */
function partnerConnector(at: number) {
  return ualCmdlet({
    at,
    op: 'New-InboundConnector',
    params: [
      ['Name', 'Fabrikam partner'], ['ConnectorType', 'Partner'], ['SenderDomains', 'fabrikam.example'],
      ['SenderIPAddresses', '203.0.113.32/28'], ['RestrictDomainsToIPAddresses', 'True'],
      ['TlsSenderCertificateName', 'mail.fabrikam.example'], ['RestrictDomainsToCertificate', 'True'], ['RequireTls', 'True'],
    ],
  });
}

export const cases: RuleCase[] = [
  {
    name: 'an app creates an OnPremises connector for any domain from a /15 (Management API JSON)',
    kind: 'positive',
    why: 'the campaign step: app actor + relay-capable type + wide IPs = critical; unpassed fields from cmdlet defaults',
    input: ndjson('app-connector.ndjson', [relayConnector(BASE, APP_ACTOR)]),
    expect: {
      alerts: 1, severity: 'critical', key: 'partner relay 0609',
      facts: { riskFactors: ['onPremises', 'wideSenderIps', 'anySenderDomain'], configBase: 'new', actorKind: 'app', senderIpv4Addresses: 131072, senderIps: ['198.18.0.0/15'] },
    },
  },
  {
    name: 'the same connector by an admin, from a Search-UnifiedAuditLog CSV export',
    kind: 'positive',
    why: 'a person, not an app: high, not critical; the PowerShell 5.1 CSV shape decodes to the same facts',
    input: searchUalCsv('admin-connector.csv', [relayConnector(BASE, ADMIN)]),
    expect: { alerts: 1, severity: 'high', facts: { riskFactors: ['onPremises', 'wideSenderIps', 'anySenderDomain'], actorKind: 'user' } },
  },
  {
    name: 'a Partner connector for sender domain "*" with no restriction, from a Purview CSV export',
    kind: 'positive',
    why: 'RestrictDomainsToIPAddresses and RestrictDomainsToCertificate were not passed: their defaults ($false) leave it open',
    input: purviewCsv('partner-any.csv', [ualCmdlet({ at: BASE, op: 'New-InboundConnector', params: [['Name', 'Any sender'], ['SenderDomains', '*']] })]),
    expect: {
      alerts: 1, severity: 'high',
      facts: { riskFactors: ['anySenderDomain', 'noIpOrCertRestriction'], effectiveConfig: ['Enabled=True', 'ConnectorType=Partner', 'ConnectorSource=Default', 'SenderDomains=*', 'SenderIPAddresses=(none)', 'RestrictDomainsToIPAddresses=False', 'RestrictDomainsToCertificate=False', 'RequireTls=True', 'TlsSenderCertificateName=(none)', 'TreatMessagesAsInternal=False', 'CloudServicesMailEnabled=False', 'TrustedOrganizations=(none)'] },
    },
  },
  {
    name: 'a partner connector with a TLS certificate and a /28, created by an admin',
    kind: 'positive',
    why: 'the benign twin: reported, but at low (connector changes are rare and worth a trail), with no risk factor',
    input: ndjson('partner-ok.ndjson', [partnerConnector(BASE)]),
    expect: { alerts: 1, severity: 'low', key: 'fabrikam partner', facts: { riskFactors: [], riskLevel: 'low' } },
  },
  {
    name: 'a good partner connector later widened to a /15 without the certificate restriction',
    kind: 'positive',
    why: 'two changes, two alerts; the Set is judged on creation + change (its own arguments say nothing about the type)',
    input: ndjson('widened.ndjson', [
      partnerConnector(BASE),
      ualCmdlet({ at: BASE + 3 * DAYS, op: 'Set-InboundConnector', by: { user: 'it-ops@contoso.com', ip: '203.0.113.77' }, params: [['Identity', 'Fabrikam partner'], ['SenderIPAddresses', '203.0.113.32/28;198.18.0.0/15'], ['RestrictDomainsToCertificate', 'False']] }),
    ]),
    expect: { alerts: 2, key: 'fabrikam partner' },
  },
  {
    name: 'Set-InboundConnector -TreatMessagesAsInternal $true on a connector the input never saw created',
    kind: 'positive',
    why: 'without a New or a snapshot only the passed argument is known, and it alone is high; unknown fields are listed',
    input: ndjson('internal.ndjson', [ualCmdlet({ at: BASE, op: 'Set-InboundConnector', params: [['Identity', 'Legacy scanner'], ['TreatMessagesAsInternal', 'True']] })]),
    expect: { alerts: 1, severity: 'high', facts: { riskFactors: ['treatsAsInternal'], configBase: 'none' } },
  },
  {
    name: 'New-InboundConnector that failed',
    kind: 'negative',
    why: 'ResultStatus False: no connector exists',
    input: ndjson('failed.ndjson', [ualCmdlet({ at: BASE, op: 'New-InboundConnector', by: APP_ACTOR, result: 'False', params: [['Name', 'Partner relay 0609'], ['ConnectorType', 'OnPremises'], ['SenderDomains', '*'], ['SenderIPAddresses', '198.18.0.0/15']] })]),
    expect: { alerts: 0 },
  },
  {
    name: 'Remove-InboundConnector alone',
    kind: 'negative',
    why: 'a removal closes the door; it is remembered (the next New starts from defaults) but is TW-EXO-003\'s to judge',
    input: ndjson('remove.ndjson', [ualCmdlet({ at: BASE, op: 'Remove-InboundConnector', params: [['Identity', 'Partner relay 0609'], ['Confirm', 'False']] })]),
    expect: { alerts: 0 },
  },
  {
    name: 'Exchange Online\'s own service account touches a connector',
    kind: 'lookalike',
    why: 'NT AUTHORITY\\SYSTEM (UserType 3) changes are service housekeeping, not an admin or app decision',
    input: ndjson('system.ndjson', [ualCmdlet({ at: BASE, op: 'Set-InboundConnector', by: SYSTEM, params: [['Identity', 'Partner relay 0609'], ['TreatMessagesAsInternal', 'True']] })]),
    expect: { alerts: 0 },
  },
  {
    name: 'New-OutboundConnector with the same wide parameters',
    kind: 'lookalike',
    why: 'outbound connectors send mail out through a smart host; they cannot let outside servers relay in',
    input: ndjson('outbound.ndjson', [ualCmdlet({ at: BASE, op: 'New-OutboundConnector', params: [['Name', 'To gateway'], ['ConnectorType', 'Partner'], ['SmartHosts', 'relay.fabrikam.example']] })]),
    expect: { alerts: 0 },
  },
];
