// Cases for TW-MAIL-002, as raw Audit.Exchange Set-Mailbox records (Management API JSON, Purview CSV,
// Search-UnifiedAuditLog CSV).
import { BASE, ndjson } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { APP_ACTOR, purviewCsv, searchUalCsv, ualCmdlet, type Actor } from '../../exchange/records.js';

const ATTACKER_ADMIN: Actor = { user: 'it-admin@contoso.com', ip: '203.0.113.50' };
const setMailbox = (params: [string, string][], by: Actor = ATTACKER_ADMIN) =>
  ualCmdlet({ at: BASE, op: 'Set-Mailbox', by, objectId: 'contoso.onmicrosoft.com/Users/Alex Wilber', params: [['Identity', 'alex.wilber@contoso.com'], ...params] });

/** Set-Mailbox on a mailbox named by `identity` (alias, GUID …) as the record's ObjectId and Identity */
const setNamed = (identity: string, by: Actor, params: [string, string][]) =>
  ualCmdlet({ at: BASE, op: 'Set-Mailbox', by, objectId: identity, params: [['Identity', identity], ...params] });
const GINA: Actor = { user: 'gina@contoso.com', ip: '203.0.113.77' };

export const cases: RuleCase[] = [
  {
    name: 'the owner forwards her own mailbox outside, naming it by alias',
    kind: 'positive',
    why: 'Identity "gina" is the local part of the actor\'s UPN: her mailbox, named by her UPN so it joins the user; not "set by someone else"',
    input: ndjson('alias.ndjson', [setNamed('gina', GINA, [['ForwardingSmtpAddress', 'smtp:gina.home@fabrikam.example']])]),
    expect: { alerts: 1, severity: 'high', facts: { mailbox: 'gina@contoso.com', setBy: 'owner' } },
  },
  {
    name: 'a mailbox named by GUID',
    kind: 'positive',
    why: 'a GUID cannot be tied to the actor from the record: ownership unknown, never claimed to be someone else\'s',
    input: ndjson('guid.ndjson', [setNamed('d3fd722b-413f-4091-afa9-53400f85e0d0', GINA, [['ForwardingSmtpAddress', 'smtp:collector@fabrikam.example']])]),
    expect: { alerts: 1, severity: 'high', facts: { mailbox: 'd3fd722b-413f-4091-afa9-53400f85e0d0', setBy: 'unknown' } },
  },
  {
    name: 'an admin account forwards a mailbox outside and keeps no copy',
    kind: 'positive',
    why: 'external ForwardingSmtpAddress with DeliverToMailboxAndForward False: critical',
    input: ndjson('no-copy.ndjson', [setMailbox([['ForwardingSmtpAddress', 'smtp:collector@fabrikam.example'], ['DeliverToMailboxAndForward', 'False']])]),
    expect: { alerts: 1, severity: 'critical', key: 'alex.wilber@contoso.com', facts: { forwardTo: 'collector@fabrikam.example', external: true, keepsCopy: false } },
  },
  {
    name: 'the same forward keeping a copy, from a Purview CSV export',
    kind: 'positive',
    why: 'an external forward is high even when the owner still gets the mail',
    input: purviewCsv('copy.csv', [setMailbox([['ForwardingSmtpAddress', 'smtp:collector@fabrikam.example'], ['DeliverToMailboxAndForward', 'True']])]),
    expect: { alerts: 1, severity: 'high', facts: { keepsCopy: true } },
  },
  {
    name: 'an app sets the forward (Search-UnifiedAuditLog CSV)',
    kind: 'positive',
    why: 'an app changing a mailbox\'s forwarding is the campaign\'s actor: critical',
    input: searchUalCsv('app.csv', [setMailbox([['ForwardingSmtpAddress', 'collector@fabrikam.example']], APP_ACTOR)]),
    expect: { alerts: 1, severity: 'critical', facts: { actorKind: 'app', keepsCopy: 'not passed' } },
  },
  {
    name: 'ForwardingAddress names a directory contact',
    kind: 'positive',
    why: 'a mail contact may point outside; unresolved = medium',
    input: ndjson('contact.ndjson', [setMailbox([['ForwardingAddress', 'Fabrikam Collector']])]),
    expect: { alerts: 1, severity: 'medium', facts: { forwardTo: 'Fabrikam Collector' } },
  },
  {
    name: 'forwarding to a colleague',
    kind: 'negative',
    why: 'an internal address (the mailbox\'s own domain)',
    input: ndjson('internal.ndjson', [setMailbox([['ForwardingSmtpAddress', 'smtp:megan.bowen@contoso.com'], ['DeliverToMailboxAndForward', 'True']])]),
    expect: { alerts: 0 },
  },
  {
    name: 'forwarding cleared',
    kind: 'negative',
    why: 'an empty ForwardingSmtpAddress removes the forward',
    input: ndjson('cleared.ndjson', [setMailbox([['ForwardingSmtpAddress', ''], ['DeliverToMailboxAndForward', 'False']])]),
    expect: { alerts: 0 },
  },
  {
    name: 'Set-Mailbox changing retention only',
    kind: 'negative',
    why: 'not a forwarding change (decoded as exchange.admin)',
    input: ndjson('retention.ndjson', [setMailbox([['RetainDeletedItemsFor', '30.00:00:00']])]),
    expect: { alerts: 0 },
  },
  {
    name: 'forward to a subsidiary listed in tenantDomains',
    kind: 'lookalike',
    why: 'configured tenant domains make fabrikam.example internal',
    input: ndjson('subsidiary.ndjson', [setMailbox([['ForwardingSmtpAddress', 'smtp:collector@fabrikam.example']])]),
    tunables: { tenantDomains: ['contoso.com', 'fabrikam.example'] },
    expect: { alerts: 0 },
  },
];
