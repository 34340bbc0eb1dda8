// Cases for TW-EXO-002, as raw Audit.Exchange records (Management Activity API JSON, Purview CSV,
// Search-UnifiedAuditLog CSV).
import { BASE, MINUTES, ndjson } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { APP_ACTOR, purviewCsv, searchUalCsv, ualCmdlet, type Actor } from '../records.js';

const rule = (at: number, params: [string, string][], by?: Actor, op = 'New-TransportRule', result?: 'True' | 'False') =>
  ualCmdlet({ at, op, params, ...(by ? { by } : {}), ...(result ? { result } : {}) });

/** What a phishing-simulation vendor asks for: its two sending IPs skip filtering and Safe Links. */
const SIMULATION: [string, string][] = [
  ['Name', 'Phish sim allow'], ['SenderIpRanges', '203.0.113.10;203.0.113.11'], ['SetSCL', '-1'],
  ['SetHeaderName', 'X-MS-Exchange-Organization-SkipSafeLinksProcessing'], ['SetHeaderValue', '1'],
];

export const cases: RuleCase[] = [
  {
    name: 'an app creates a rule that strips the relay header and sets SCL -1 for a /15',
    kind: 'positive',
    why: 'the campaign pairing: header removal + spam bypass for the connector\'s IP range, by an app = critical',
    input: ndjson('app-rule.ndjson', [rule(BASE, [['Name', 'Bypass filtering'], ['SenderIpRanges', '198.18.0.0/15'], ['SetSCL', '-1'], ['RemoveHeader', 'X-MS-Exchange-ExternalOriginalInternetSender'], ['Priority', '0']], APP_ACTOR)]),
    expect: { alerts: 1, severity: 'critical', key: 'bypass filtering', facts: { riskFactors: ['stripsFilterHeader', 'sclMinusOne'], scope: 'wide', actorKind: 'app' } },
  },
  {
    name: 'an admin removes X-Forefront-Antispam-Report from every message (Purview CSV)',
    kind: 'positive',
    why: 'stripping the filtering verdict is high whatever the scope; no condition = every message',
    input: purviewCsv('strip.csv', [rule(BASE, [['Name', 'Clean headers'], ['RemoveHeader', 'X-Forefront-Antispam-Report']])]),
    expect: { alerts: 1, severity: 'high', facts: { riskFactors: ['stripsFilterHeader'], scope: 'all', active: true } },
  },
  {
    name: 'BypassClutter stamped on all mail from inside the organization (Search-UnifiedAuditLog CSV)',
    kind: 'positive',
    why: 'a filter-bypass header on the tenant\'s outbound mail is the relay-spam shape: high',
    input: searchUalCsv('bypass.csv', [rule(BASE, [['Name', 'Fast lane'], ['FromScope', 'InOrganization'], ['SetHeaderName', 'X-MS-Exchange-Organization-BypassClutter'], ['SetHeaderValue', 'true']])]),
    expect: { alerts: 1, severity: 'high', facts: { riskFactors: ['setsFilterHeader'], scope: 'outbound' } },
  },
  {
    name: 'an app overwrites X-MS-Exchange-SkipListedInternetSender with a forged value on every message',
    kind: 'positive',
    why: 'overwriting the header that names the true relay hides it as removal does: high whatever the scope, critical by an app',
    input: ndjson('forge.ndjson', [rule(BASE, [['Name', 'Sync hdr 2'], ['SetHeaderName', 'X-MS-Exchange-SkipListedInternetSender'], ['SetHeaderValue', '10.0.0.1']], APP_ACTOR)]),
    expect: { alerts: 1, severity: 'critical', key: 'sync hdr 2', facts: { riskFactors: ['overwritesFilterHeader'], scope: 'all', actorKind: 'app' } },
  },
  {
    name: 'phishing-simulation allow rule for two vendor IPs, by an admin',
    kind: 'positive',
    why: 'the benign twin: SCL -1 and SkipSafeLinksProcessing scoped to two addresses is reported at low only',
    input: ndjson('simulation.ndjson', [rule(BASE, SIMULATION)]),
    expect: { alerts: 1, severity: 'low', facts: { riskFactors: ['setsFilterHeader', 'sclMinusOne'], scope: 'narrow' } },
  },
  {
    name: 'Set-TransportRule -SetSCL -1 on a rule whose creation is not in the input',
    kind: 'positive',
    why: 'the scope is unknown, not "every message": medium, and the explanation says so',
    input: ndjson('set-scl.ndjson', [rule(BASE, [['Identity', 'Partner allow'], ['SetSCL', '-1']], undefined, 'Set-TransportRule')]),
    expect: { alerts: 1, severity: 'medium', facts: { scope: 'other', earlierChanges: 0 } },
  },
  {
    name: 'a disabled header-stripping rule, enabled an hour later',
    kind: 'positive',
    why: 'the creation is low (actions not applied); Enable-TransportRule is judged on the whole remembered rule: two alerts',
    input: ndjson('enable.ndjson', [
      rule(BASE, [['Name', 'Quiet'], ['RemoveHeader', 'Authentication-Results'], ['Enabled', 'False']]),
      rule(BASE + 60 * MINUTES, [['Identity', 'Quiet']], undefined, 'Enable-TransportRule'),
    ]),
    expect: { alerts: 2, key: 'quiet' },
  },
  {
    name: 'a rule that removes a custom footer header',
    kind: 'negative',
    why: 'RemoveHeader of a header that carries no verdict or source does not count',
    input: ndjson('footer.ndjson', [rule(BASE, [['Name', 'Footer'], ['RemoveHeader', 'X-Contoso-Footer']])]),
    expect: { alerts: 0 },
  },
  {
    name: 'a rule that sets SCL 6 (marks as spam) for everything from a domain',
    kind: 'negative',
    why: 'only SCL -1 skips filtering; a higher SCL is stricter, not a bypass',
    input: ndjson('scl6.ndjson', [rule(BASE, [['Name', 'Junk fabrikam'], ['SenderDomainIs', 'fabrikam.example'], ['SetSCL', '6']])]),
    expect: { alerts: 0 },
  },
  {
    name: 'the campaign rule, but New-TransportRule failed',
    kind: 'negative',
    why: 'ResultStatus False: no rule exists',
    input: ndjson('failed.ndjson', [rule(BASE, [['Name', 'Bypass filtering'], ['SetSCL', '-1'], ['RemoveHeader', 'X-MS-Exchange-ExternalOriginalInternetSender']], APP_ACTOR, 'New-TransportRule', 'False')]),
    expect: { alerts: 0 },
  },
  {
    name: 'Disable-TransportRule of a bypass rule',
    kind: 'lookalike',
    why: 'turning the rule off is the remedy, not the attack',
    input: ndjson('disable.ndjson', [rule(BASE, [['Identity', 'Bypass filtering']], undefined, 'Disable-TransportRule')]),
    expect: { alerts: 0 },
  },
  {
    name: 'a disclaimer rule for outbound mail changed by an admin',
    kind: 'lookalike',
    why: 'transport rules that touch no filtering header are routine',
    input: ndjson('disclaimer.ndjson', [rule(BASE, [['Name', 'Disclaimer'], ['SentToScope', 'NotInOrganization'], ['ApplyHtmlDisclaimerText', 'Confidential'], ['ApplyHtmlDisclaimerLocation', 'Append']])]),
    expect: { alerts: 0 },
  },
];
