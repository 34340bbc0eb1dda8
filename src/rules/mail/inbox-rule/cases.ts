// Cases for TW-MAIL-001, as raw Audit.Exchange records: New-/Set-InboxRule admin-cmdlet records (Management API
// JSON, Search-UnifiedAuditLog CSV) and Outlook's UpdateInboxRules mailbox records (JSON, Purview CSV).
import { BASE, ndjson } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { purviewCsv, searchUalCsv, ualCmdlet, updateInboxRules, type Actor } from '../../exchange/records.js';

const ALEX: Actor = { user: 'alex.wilber@contoso.com', ip: '203.0.113.50' };
const ANNA: Actor = { user: 'anna.schmidt@contoso.com', ip: '203.0.113.51' };
const CLAIRE: Actor = { user: 'claire.dubois@contoso.com', ip: '198.51.100.40' };

const newRule = (by: Actor, params: [string, string][], op = 'New-InboxRule', result?: 'True' | 'False') =>
  ualCmdlet({ at: BASE, op, by, params, ...(result ? { result } : {}) });

export const cases: RuleCase[] = [
  {
    name: 'rule "." forwards invoice and payment mail to an outside address and deletes it',
    kind: 'positive',
    why: 'external forward + delete + payment words + an obscure name: the BEC rule, critical',
    input: ndjson('bec.ndjson', [newRule(ALEX, [['Name', '.'], ['SubjectOrBodyContainsWords', 'invoice;payment'], ['ForwardTo', 'collector@fabrikam.example'], ['DeleteMessage', 'True'], ['StopProcessingRules', 'True']])]),
    expect: { alerts: 1, severity: 'critical', key: 'alex.wilber@contoso.com|.', facts: { externalCount: 1, financeWords: ['invoice', 'payment'], obscureName: true, hides: ['deletes'] } },
  },
  {
    name: 'Outlook rule forwarding everything to a personal address (UpdateInboxRules, Purview CSV)',
    kind: 'positive',
    why: 'an external forward alone is high; Outlook\'s RuleActions carry the recipient',
    input: purviewCsv('outlook-forward.csv', [updateInboxRules({ at: BASE, mailbox: 'alex.wilber@contoso.com', ruleName: 'Home copy', actions: [{ ActionType: 'Forward', Recipients: ['alex.private@fabrikam.example'], ForwardFlags: 'None' }] })]),
    expect: { alerts: 1, severity: 'high', facts: { externalRecipients: ['alex.private@fabrikam.example'], domainBasis: 'event' } },
  },
  {
    name: 'German mailbox: "Rechnung" mail marked read and moved to RSS-Feeds (Search-UnifiedAuditLog CSV)',
    kind: 'positive',
    why: 'the localized RSS folder is a hiding place; a payment word in the condition makes hiding high',
    input: searchUalCsv('rss-de.csv', [newRule(ANNA, [['Name', 'Ablage'], ['SubjectContainsWords', 'Rechnung'], ['MoveToFolder', 'anna.schmidt@contoso.com:\\RSS-Feeds'], ['MarkAsRead', 'True']])]),
    expect: { alerts: 1, severity: 'high', facts: { financeWords: ['rechnung'], externalCount: 0 } },
  },
  {
    name: 'French mailbox: every message moved to "Historique des conversations"',
    kind: 'positive',
    why: 'hiding all mail in a folder nobody reads, no keyword: medium',
    input: ndjson('history-fr.ndjson', [newRule(CLAIRE, [['Name', 'Tri'], ['MoveToFolder', ':\\Historique des conversations']])]),
    expect: { alerts: 1, severity: 'medium', facts: { hides: ['moves to Historique des conversations'] } },
  },
  {
    name: 'forward to contoso.co.uk without configured domains',
    kind: 'positive',
    why: 'judged from the mailbox\'s own domain (contoso.com) the UK domain is external; the alert says which basis it used',
    input: ndjson('uk-unknown.ndjson', [newRule(ALEX, [['Name', 'UK desk'], ['ForwardTo', 'desk@contoso.co.uk']])]),
    expect: { alerts: 1, severity: 'high', facts: { domainBasis: 'event' } },
  },
  {
    name: 'forward to contoso.co.uk when it is one of the tenant\'s domains',
    kind: 'lookalike',
    why: 'tenantDomains lists it: an internal forward',
    input: ndjson('uk-known.ndjson', [newRule(ALEX, [['Name', 'UK desk'], ['ForwardTo', 'desk@contoso.co.uk']])]),
    tunables: { tenantDomains: ['contoso.com', 'contoso.co.uk'] },
    expect: { alerts: 0 },
  },
  {
    name: 'forward to a colleague',
    kind: 'negative',
    why: 'an internal recipient, no hiding',
    input: ndjson('colleague.ndjson', [newRule(ALEX, [['Name', 'Holiday cover'], ['ForwardTo', 'megan.bowen@contoso.com']])]),
    expect: { alerts: 0 },
  },
  {
    name: 'newsletters from one sender filed into Archive',
    kind: 'negative',
    why: 'Archive with a condition and an ordinary name is filing, not hiding (one factor short of medium)',
    input: ndjson('archive.ndjson', [newRule(ALEX, [['Name', 'Newsletters'], ['From', 'news@fabrikam.example'], ['MoveToFolder', 'alex.wilber@contoso.com:\\Archive']])]),
    expect: { alerts: 0 },
  },
  {
    name: 'a rule moving mail to a folder called "Invoices"',
    kind: 'lookalike',
    why: 'a keyword in the folder name is not a hiding place and not a forward',
    input: ndjson('invoices.ndjson', [newRule(ALEX, [['Name', 'Invoices'], ['SubjectContainsWords', 'invoice'], ['MoveToFolder', 'alex.wilber@contoso.com:\\Invoices']])]),
    expect: { alerts: 0 },
  },
  {
    name: 'the BEC rule, but New-InboxRule failed',
    kind: 'negative',
    why: 'ResultStatus False: no rule exists',
    input: ndjson('failed.ndjson', [newRule(ALEX, [['Name', '.'], ['ForwardTo', 'collector@fabrikam.example'], ['DeleteMessage', 'True']], 'New-InboxRule', 'False')]),
    expect: { alerts: 0 },
  },
  {
    name: 'Outlook removes a forwarding rule',
    kind: 'lookalike',
    why: 'RemoveMailboxRule is the clean-up, not the rule',
    input: ndjson('remove.ndjson', [updateInboxRules({ at: BASE, mailbox: 'alex.wilber@contoso.com', ruleName: 'Home copy', operation: 'RemoveMailboxRule', actions: [{ ActionType: 'Forward', Recipients: ['alex.private@fabrikam.example'], ForwardFlags: 'None' }] })]),
    expect: { alerts: 0 },
  },
];
