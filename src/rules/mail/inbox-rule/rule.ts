// TW-MAIL-001: an inbox rule forwards mail outside the organization or hides it (delete, mark read, move to a
// folder nobody reads), keywords about payments or security notices raising the severity.
import type { Event } from '../../../core/event.js';
import { HOUR } from '../../../config/tunables.js';
import { iso, SEVERITIES, type Entity, type Severity } from '../../../detect/alert.js';
import { match } from '../../../detect/spec.js';
import { isObject } from '../../../core/json.js';
import { entities, listSome, mailboxOwnership } from '../../lib.js';
import { defineRule } from '../../types.js';
import { actorEntities, actorWords, raise } from '../../exchange/lib.js';
import { paramsOf, paramText, toBool } from '../../exchange/params.js';
import { domainOf, tenantDomains } from '../domains.js';
import { FINANCE_WORDS, SECURITY_WORDS, hideFolder, wordsIn, type HideFolder } from '../vocabulary.js';

const ADDRESS = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/** Every SMTP address in a value ("a@x.com;b@y.com", "\"Bob\" [SMTP:bob@y.com]", arrays). */
function addressesIn(v: unknown): string[] {
  const s = Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(';') : typeof v === 'string' ? v : '';
  return [...new Set((s.match(ADDRESS) ?? []).map((a) => a.toLowerCase()))];
}

/** Inbox-rule parameters that are not conditions (New-/Set-InboxRule). */
const NOT_CONDITIONS = /^(name|identity|mailbox|enabled|priority|stopprocessingrules|force|alwaysdeleteoutlookrulesblob|confirm|whatif|forwardto|redirectto|forwardasattachmentto|deletemessage|softdeletemessage|markasread|markimportance|movetofolder|copytofolder|applycategory|applysystemcategory|pinmessage|sendtextmessagenotificationto|flagmessage)$/i;

interface RuleFacts {
  name: string;
  mailbox?: string;
  forwardTo: string[];
  /** forward/redirect targets that are display names or object ids, not SMTP addresses */
  unresolved: string[];
  hide: string[];
  hideFolder?: HideFolder;
  conditions: string;
  hasConditions: boolean;
}

/** What the rule does, from New-/Set-InboxRule parameters or Outlook's UpdateInboxRules operation properties. */
function readRule(ev: Event): RuleFacts {
  const ruleTarget = ev.targets.find((t) => t.type === 'inboxRule');
  const mbx = ev.targets.find((t) => t.type === 'mailbox');
  // the mailbox's UPN, else its GUID (New-InboxRule's ObjectId path), else the acting user's own mailbox
  const mailbox = mbx?.name ?? mbx?.id ?? ev.actor.user ?? ev.actor.displayName;
  const hide: string[] = [];
  const forwardTo = new Set<string>(Array.isArray(ev.details?.forwardTo) ? (ev.details!.forwardTo as string[]) : []);
  const unresolved: string[] = [];
  let folder: HideFolder | undefined;
  let conditions = '';
  let hasConditions = false;
  const rule = ev.details?.rule;
  if (isObject(rule)) {
    // UpdateInboxRules (Outlook): RuleActions [{ActionType, Recipients, FolderId…}], RuleCondition text
    for (const a of Array.isArray(rule.actions) ? rule.actions : []) {
      if (!isObject(a)) continue;
      const type = typeof a.ActionType === 'string' ? a.ActionType : '';
      if (/forward|redirect|delegate/i.test(type)) for (const x of addressesIn(a.Recipients)) forwardTo.add(x);
      if (/delete/i.test(type)) hide.push('deletes');
      if (/markasread|mark_as_read/i.test(type)) hide.push('marks as read');
    }
    conditions = typeof rule.condition === 'string' ? rule.condition : '';
    hasConditions = conditions !== '' && !/^\{?\(Exists\(ItemClass\)\)\}?$/i.test(conditions.trim());
  } else {
    const p = paramsOf(ev);
    for (const k of ['ForwardTo', 'RedirectTo', 'ForwardAsAttachmentTo']) {
      const v = paramText(p, k);
      if (!v) continue;
      const found = addressesIn(v);
      for (const x of found) forwardTo.add(x);
      if (!found.length) unresolved.push(...v.split(/[;,]/).map((x) => x.trim()).filter(Boolean));
    }
    if (toBool(paramText(p, 'DeleteMessage')) === true || toBool(paramText(p, 'SoftDeleteMessage')) === true) hide.push('deletes');
    if (toBool(paramText(p, 'MarkAsRead')) === true) hide.push('marks as read');
    const move = paramText(p, 'MoveToFolder');
    folder = hideFolder(move);
    if (folder) hide.push(`moves to ${move!.split(/[\\/]/).pop()!.replace(/^.*:/, '')}`);
    const conds = Object.entries(p).filter(([k]) => !NOT_CONDITIONS.test(k));
    hasConditions = conds.length > 0;
    conditions = conds.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join('; ');
  }
  // Outlook may log a rule without RuleName: its RuleId keeps two unnamed rules apart
  const name = ruleTarget?.name ?? paramText(paramsOf(ev), 'Name') ?? (ruleTarget?.id ? `(unnamed rule ${ruleTarget.id})` : '(unnamed)');
  const out: RuleFacts = { name, forwardTo: [...forwardTo], unresolved, hide: [...new Set(hide)], conditions, hasConditions };
  if (mailbox) out.mailbox = mailbox.toLowerCase();
  if (folder) out.hideFolder = folder;
  return out;
}

/** ".", "..", " ", "'" … or a single character: names chosen to be overlooked in Outlook's rule list. */
const obscure = (name: string): boolean => !/[\p{L}\p{N}]{2}/u.test(name);

export const inboxRule = defineRule({
  id: 'TW-MAIL-001',
  title: 'Inbox rule forwards mail outside or hides it',
  severity: 'high',
  tactics: ['collection', 'defense-evasion'],
  techniques: ['T1114', 'T1114.003', 'T1564', 'T1564.008'],
  description:
    'New-InboxRule, Set-InboxRule or Outlook\'s UpdateInboxRules leaves a rule that forwards or redirects mail to an ' +
    'address outside the tenant\'s domains, or hides mail (delete, mark as read, move to RSS Feeds, Conversation ' +
    'History, Archive, Junk or Deleted Items, by their localized names). Conditions with payment or ' +
    'security-notice words, obscure rule names and hiding combined with forwarding raise the severity.',
  whyItMatters:
    'After taking over a mailbox, attackers forward invoices and payment mail to themselves and hide replies and ' +
    'security notices from the owner (business email compromise), and keep reading mail after a password reset.',
  falsePositives: [
    'A user forwarding to a personal address or a partner: one external address, no hiding, no keywords (high, ' +
      'by policy usually not allowed); confirm with the user and the outbound forwarding policy.',
    'Users filing newsletters into Archive: only rules without conditions, to RSS/Conversation History, or with ' +
      'obscure names alert without keywords; list the tenant\'s domains in tenantDomains so internal forwards stay quiet.',
  ],
  references: ['https://attack.mitre.org/techniques/T1564/008/', 'https://attack.mitre.org/techniques/T1114/003/'],
  status: 'stable',
  inputs: { facts: ['mailbox.rules'], sources: ['ual'] },
  tunables: {
    tenantDomains: { type: 'string[]', default: [], help: "the tenant's mail domains (else the snapshot's accepted domains, else the mailbox's and actor's domains)" },
    financeWords: { type: 'string[]', default: FINANCE_WORDS, help: 'condition words that point at payment fraud' },
    securityWords: { type: 'string[]', default: SECURITY_WORDS, help: 'condition words that point at hiding security notices' },
  },
  suppressMs: HOUR,
  detect: (t) =>
    match({
      on: { actions: ['inboxrule.create', 'inboxrule.update'], sources: ['ual'], where: (ev) => ev.outcome === 'success' && ev.actor.kind !== 'system' },
      key: (ev) => {
        const r = readRule(ev);
        return `${r.mailbox ?? 'unknown'}|${r.name.toLowerCase()}`;
      },
      alert: (m, ctx) => {
        const ev = m.event;
        const r = readRule(ev);
        const domains = tenantDomains(ev, ctx, t.tenantDomains);
        // with no configured, snapshot or event domain the tenant's domains are unknown: no forward is known external
        const judged = domains.basis !== 'event' || domains.known.length > 0;
        const external = judged ? r.forwardTo.filter((a) => {
          const d = domainOf(a);
          return d !== undefined && !domains.isTenant(d);
        }) : [];
        const unjudged = judged ? [] : r.forwardTo;
        const fin = wordsIn(r.conditions, t.financeWords);
        const sec = wordsIn(r.conditions, t.securityWords);
        const keywords = [...fin, ...sec];
        const hides = r.hide.length > 0;
        const odd = obscure(r.name);
        const quietFolder = r.hideFolder === 'rss' || r.hideFolder === 'conversationHistory';
        let severity: Severity | undefined;
        if (external.length) severity = hides || keywords.length ? 'critical' : 'high';
        else if (hides && keywords.length) severity = 'high';
        else if (hides && (!r.hasConditions || quietFolder || odd)) severity = 'medium';
        else if (unjudged.length) severity = 'medium';
        if (!severity) return undefined; // internal forwards, ordinary filing rules
        if (odd) severity = raise(SEVERITIES, severity);
        const otherActor = mailboxOwnership(ev.actor.user, r.mailbox) === 'other';
        if (ev.actor.kind === 'app') severity = raise(SEVERITIES, severity);

        const what: string[] = [];
        if (external.length) what.push(`forwards to ${external.length} external address${external.length === 1 ? '' : 'es'} (${listSome(external, 3)})`);
        if (unjudged.length) what.push(`forwards to ${listSome(unjudged, 3)} (inside or outside: the tenant's domains are unknown, set tenantDomains)`);
        const internal = judged ? r.forwardTo.filter((a) => !external.includes(a)) : [];
        if (internal.length) what.push(`forwards to ${internal.length} internal address${internal.length === 1 ? '' : 'es'}`);
        if (hides) what.push(r.hide.join(', '));
        let explanation =
          `Inbox rule "${r.name}" on mailbox ${r.mailbox ?? '(unknown)'} was ${ev.action === 'inboxrule.create' ? 'created' : 'changed'} at ${iso(ev.time)} ` +
          `by ${actorWords(ev)}${ev.actor.ip ? ` from ${ev.actor.ip}` : ''} (${ev.operation}): it ${what.join('; ')}, ` +
          `${r.hasConditions ? `when ${r.conditions.slice(0, 200)}` : 'for every message (no condition)'}.`;
        if (fin.length) explanation += ` Payment words in its conditions: ${fin.join(', ')}.`;
        if (sec.length) explanation += ` Security-notice words in its conditions: ${sec.join(', ')}.`;
        if (odd) explanation += ' Its name is made to be overlooked.';
        if (otherActor) explanation += ` It was set by ${ev.actor.user}, not the mailbox owner.`;
        if (r.unresolved.length) explanation += ` Also forwards to ${listSome(r.unresolved, 3)} (not an SMTP address: resolve it in the directory).`;
        if (external.length) explanation += ` External = not ${domains.basis === 'config' ? 'in tenantDomains' : domains.basis === 'snapshot' ? "among the tenant's accepted domains (snapshot)" : `${listSome(domains.known, 3)} (judged from the mailbox and actor; set tenantDomains)`}.`;
        const extDomains = [...new Set(external.map((a) => domainOf(a)!))];
        const mailboxEntities: Entity[] = r.mailbox ? [{ type: 'mailbox', id: r.mailbox, role: 'target' }, { type: 'user', id: r.mailbox, role: 'target' }] : [];
        return {
          title: `Inbox rule ${r.name} on ${r.mailbox ?? 'a mailbox'} ${external.length ? `forwards to ${extDomains.join(', ')}` : hides ? 'hides mail' : 'forwards mail'}${keywords.length ? ` (${listSome(keywords, 2)})` : ''}`,
          severity,
          entities: entities(
            { type: 'inboxRule', id: `${r.mailbox ?? 'unknown'}\\${r.name.toLowerCase()}`, display: r.name, role: 'target' },
            ...mailboxEntities,
            ...actorEntities(ev),
            ...extDomains.map((d): Entity => ({ type: 'domain', id: d, role: 'target' })),
          ),
          explanation,
          facts: {
            rule: r.name,
            mailbox: r.mailbox ?? 'unknown',
            externalRecipients: external,
            externalCount: external.length,
            unjudgedRecipients: unjudged,
            hides: r.hide,
            financeWords: fin,
            securityWords: sec,
            obscureName: odd,
            domainBasis: domains.basis,
            setByOther: otherActor,
          },
        };
      },
    }),
});
