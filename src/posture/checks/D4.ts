import { assessTransportRule } from '../../rules/exchange/transport-rule-risk.js';
import { exchangeFromSnapshot } from '../exchange.js';
import { DAY_MS, list, missing, str, time } from '../kit.js';
import type { Obj } from '../snapshot.js';
import type { AuditObject, Check } from '../types.js';

// Get-TransportRule properties that describe the rule object rather than what it matches or does.
const OBJECT_PROPERTIES = /^(guid|immutableid|identity|distinguishedname|description|when(changed|created)(utc)?|conditions|exceptions|actions|isvalid|objectstate|exchangeversion|organizationid|ruleversion|manuallymodified|id|originatingserver|exchangeobjectid|hassenderoverride|pscomputername|psshowcomputername|runspaceid)$/i;

/**
 * A Get-TransportRule object as the parameters that would create it: the output lists every property (unset ones
 * null, false or empty), while the shared assessment reads every passed parameter as a condition or action.
 */
export function ruleParameters(r: Obj): Record<string, unknown> {
  const set = (v: unknown) => v !== null && v !== undefined && v !== false && v !== '' && !(Array.isArray(v) && v.length === 0);
  return Object.fromEntries(Object.entries(r).filter(([k, v]) => !OBJECT_PROPERTIES.test(k) && set(v)));
}

export const D4: Check = {
  id: 'D4',
  title: 'No transport rule bypasses spam filtering, strips headers or redirects mail out',
  severity: 'high',
  stage: 'connector-spam',
  mappings: { maester: ['MT.1043', 'ORCA.118.2', 'ORCA.118.4'], cis: ['6.2.2', '6.2.1'] },
  needs: ['exchange/Get-TransportRule.json'],
  remediation: 'Disable (Disable-TransportRule) any listed rule you did not create, then remove it; replace SCL -1 allow-rules with Tenant Allow/Block List entries or a properly authenticated connector. The campaign added rules that strip headers so its spam passed as the victim\'s mail.',
  run(ctx) {
    const c = ctx.snapshot.exchange('Get-TransportRule');
    if (c.state !== 'ok') return missing(c);
    const tenantDomains = new Set(exchangeFromSnapshot(ctx.snapshot).acceptedDomains ?? []);
    const objects: AuditObject[] = [];
    let high = false;
    for (const r of c.items) {
      // the same judgement as detection (TW-EXO-002): what the rule does to filtering, and to how much mail
      const risk = assessTransportRule(ruleParameters(r), (d) => tenantDomains.has(d.toLowerCase()));
      if (risk.active === false) continue;
      const name = str(r, 'Name') ?? str(r, 'Identity') ?? '(rule)';
      const why: string[] = risk.level === 'none' ? [] : [`${risk.reasons.join('; ')} (applies to ${risk.scope})`];
      if (risk.level === 'high') high = true;
      const redirect = [...list(r, 'RedirectMessageTo'), ...list(r, 'BlindCopyTo')];
      // the assessment names redirects only next to a filtering risk; other removed headers it does not rate
      if (redirect.length && risk.level === 'none') why.push(`redirects or BCCs mail to ${redirect.join(', ')}`);
      if (str(r, 'RemoveHeader') && risk.level === 'none') why.push(`removes header ${list(r, 'RemoveHeader').join(', ')}`);
      if (str(r, 'RouteMessageOutboundConnector')) why.push(`routes mail through connector ${str(r, 'RouteMessageOutboundConnector')}`);
      const changed = time(r, 'WhenChangedUTC') ?? time(r, 'WhenChanged');
      if (why.length && changed !== undefined && ctx.now - changed < ctx.config.recentDays * DAY_MS) why.push(`changed ${new Date(changed).toISOString().slice(0, 10)}`);
      if (why.length) objects.push({ type: 'transportRule', id: str(r, 'Guid') ?? str(r, 'Identity') ?? name, name, reason: `${risk.level === 'none' ? '' : `${risk.level} risk: `}${why.join('; ')}` });
    }
    if (high) return { status: 'Fail', details: 'Enabled transport rules bypass spam filtering or strip or overwrite filtering, authentication or relay headers.', objects, causes: true };
    if (objects.length) return { status: 'Warn', details: `${objects.length} enabled transport rule(s) stamp filtering headers on some mail, set SCL -1 for a narrow set of senders, remove other headers or send mail elsewhere: confirm they are yours.`, objects, causes: true };
    return { status: 'Pass', details: `${c.items.length} transport rule(s); none bypass filtering, strip filtering headers or redirect mail.` };
  },
};
