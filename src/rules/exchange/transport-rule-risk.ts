// What a mail flow (transport) rule does to filtering: strips headers that carry the filtering verdict or the true
// source, stamps Exchange-internal headers that make the service skip filtering, or sets SCL -1 — and how much
// mail it applies to. Used by TW-EXO-002 (rule created/changed) and TW-EXO-003 (created then removed).
import { isObject } from '../../core/json.js';
import { getParam, ipBreadth, paramText, toBool } from './params.js';
import type { RiskLevel } from './connector-config.js';

/** Headers whose removal hides the filtering verdict, authentication results or the relay that injected the mail. */
const FILTER_HEADERS =
  /^(x-ms-exchange-organization-|x-ms-exchange-(externaloriginalinternetsender|skiplistedinternetsender|antispam-|crosstenant-)|x-forefront-antispam-report|x-microsoft-antispam|x-ms-office365-filtering|x-eopattributedmessage|authentication-results|arc-|dkim-signature|received-spf)/i;
/** Headers that show where a message came from; removing them hides the source (also done for privacy). */
const SOURCE_HEADERS = /^(received|x-originating-ip|return-path|x-sender-ip|x-ms-exchange-organization-originalclientipaddress)$/i;
/** Internal headers that switch filtering or protection off when a rule stamps them. */
const BYPASS_HEADERS = /^(x-ms-exchange-organization-|x-forefront-antispam-report|x-microsoft-antispam)/i;

/** Parameters that are neither conditions nor actions (rule metadata). */
const META = new Set([
  'name', 'identity', 'priority', 'enabled', 'state', 'mode', 'comments', 'stopruleprocessing', 'activationdate', 'expirydate',
  'ruleerroraction', 'senderaddresslocation', 'rulesubtype', 'dlppolicy', 'uselegacyregex', 'confirm', 'force', 'whatif',
  'setauditseverity', 'generateincidentreport', 'incidentreportcontent', 'routemessageoutboundrequiretls',
]);
/** Action parameters (everything a rule DOES); the rest of the non-META parameters are conditions/exceptions. */
const ACTIONS = new Set([
  'removeheader', 'setheadername', 'setheadervalue', 'setscl', 'redirectmessageto', 'blindcopyto', 'addtorecipients',
  'copyto', 'addmanagerasrecipienttype', 'moderatemessagebyuser', 'moderatemessagebymanager', 'routemessageoutboundconnector',
  'deletemessage', 'quarantine', 'rejectmessagereasontext', 'rejectmessageenhancedstatuscode', 'applyhtmldisclaimerlocation',
  'applyhtmldisclaimertext', 'applyhtmldisclaimerfallbackaction', 'prependsubject', 'applyclassification', 'applyrightsprotectiontemplate',
  'applyrightsprotectioncustomizationtemplate', 'applyome', 'removeome', 'removeomev2', 'removerms', 'smtprejectmessagerejecttext',
  'smtprejectmessagerejectstatuscode', 'notifysender', 'generatenotification', 'sendernotificationtype', 'setaudit',
]);

export interface TransportRuleRisk {
  level: 'none' | 'low' | 'medium' | 'high';
  factors: string[];
  reasons: string[];
  /** how much mail the rule applies to, in words */
  scope: string;
  scopeClass: 'all' | 'outbound' | 'wide' | 'narrow' | 'other';
  /** false when the rule is disabled or in a test mode (its actions are not applied) */
  active: boolean | undefined;
}

const text = (p: Record<string, unknown>, k: string): string | undefined => {
  const t = paramText(p, k);
  return t === undefined || t === '' ? undefined : t;
};
const list = (p: Record<string, unknown>, k: string): string[] => (text(p, k) ?? '').split(/[;,]/).map((x) => x.trim()).filter(Boolean);

/** Scope of a rule from its conditions. `isTenantDomain` answers for sender-domain conditions. */
function scopeOf(p: Record<string, unknown>, isTenantDomain: (d: string) => boolean, complete: boolean): { cls: TransportRuleRisk['scopeClass']; words: string } {
  const conditions = Object.keys(p).filter((k) => !META.has(k.toLowerCase()) && !ACTIONS.has(k.toLowerCase()) && !/^exceptif/i.test(k));
  if (conditions.length === 0) {
    return complete ? { cls: 'all', words: 'every message (no condition)' } : { cls: 'other', words: 'mail matching conditions not in the input (the rule\'s creation is not in it)' };
  }
  const fromScope = text(p, 'FromScope')?.toLowerCase();
  const toScope = text(p, 'SentToScope')?.toLowerCase();
  const ips = list(p, 'SenderIpRanges');
  const domains = list(p, 'SenderDomainIs').map((d) => d.toLowerCase());
  if (fromScope === 'inorganization' || toScope === 'notinorganization') return { cls: 'outbound', words: `mail ${fromScope === 'inorganization' ? 'from inside the organization' : 'to outside recipients'}` };
  if (ips.length) {
    const b = ipBreadth(ips);
    if (b.breadth === 'wide' || b.breadth === 'broad') return { cls: 'wide', words: `mail from sender IP ranges ${ips.join(', ')} (${b.addresses.toLocaleString('en-US')} addresses)` };
  }
  if (domains.some((d) => d === '*' || isTenantDomain(d))) return { cls: 'outbound', words: `mail from sender domain ${domains.join(', ')} (the organization's own or any)` };
  if (ips.length) return { cls: 'narrow', words: `mail from sender IPs ${ips.join(', ')} (${ipBreadth(ips).addresses} addresses)` };
  if (domains.length) return { cls: 'narrow', words: `mail from sender domain${domains.length > 1 ? 's' : ''} ${domains.join(', ')}` };
  return { cls: 'other', words: `mail matching ${conditions.join(', ')}` };
}

/**
 * Judge a transport rule from its (effective) parameters. level 'none' = nothing that touches filtering.
 * `complete` = the parameters include the rule's creation (absent conditions then mean "every message").
 */
export function assessTransportRule(p: Record<string, unknown>, isTenantDomain: (d: string) => boolean = () => false, complete = true): TransportRuleRisk {
  const factors: string[] = [];
  const reasons: string[] = [];
  const removed = list(p, 'RemoveHeader');
  const setName = text(p, 'SetHeaderName');
  const setValue = text(p, 'SetHeaderValue');
  const scl = text(p, 'SetSCL');
  const filterStripped = removed.filter((h) => FILTER_HEADERS.test(h));
  const sourceStripped = removed.filter((h) => SOURCE_HEADERS.test(h));
  if (filterStripped.length) {
    factors.push('stripsFilterHeader');
    reasons.push(`removes ${filterStripped.join(', ')} (filtering verdict, authentication or relay headers)`);
  }
  if (sourceStripped.length) {
    factors.push('stripsSourceHeader');
    reasons.push(`removes ${sourceStripped.join(', ')} (where the message came from)`);
  }
  const bypassHeader = setName && BYPASS_HEADERS.test(setName);
  if (bypassHeader) {
    factors.push('setsFilterHeader');
    reasons.push(`stamps ${setName}${setValue !== undefined ? `: ${setValue}` : ''} (an Exchange-internal header that changes filtering)`);
  }
  // overwriting a header that carries the true source or a verdict (with a forged value) hides it as removal does
  const overwritten = setName && !bypassHeader && FILTER_HEADERS.test(setName) ? setName : undefined;
  if (overwritten) {
    factors.push('overwritesFilterHeader');
    reasons.push(`overwrites ${overwritten}${setValue !== undefined ? ` with "${setValue}"` : ''} (a filtering verdict, authentication or relay header: the real value is lost)`);
  }
  if (scl !== undefined && Number(scl) === -1) {
    factors.push('sclMinusOne');
    reasons.push('sets SCL -1 (skips spam filtering)');
  }
  const scope = scopeOf(p, isTenantDomain, complete);
  const redirect = [...list(p, 'RedirectMessageTo'), ...list(p, 'BlindCopyTo')];
  if (redirect.length && factors.length) reasons.push(`also redirects or copies mail to ${redirect.join(', ')}`);

  let level: RiskLevel = 'none';
  const raise = (to: RiskLevel) => {
    const r = { none: 0, low: 1, medium: 2, high: 3 } as const;
    if (r[to] > r[level]) level = to;
  };
  if (filterStripped.length || overwritten) raise('high');
  if (sourceStripped.length) raise('medium');
  if (bypassHeader || factors.includes('sclMinusOne')) {
    if (scope.cls === 'narrow') raise('low');
    else if (scope.cls === 'all' || scope.cls === 'outbound' || scope.cls === 'wide') raise('high');
    else raise('medium');
  }
  const mode = text(p, 'Mode')?.toLowerCase();
  const state = text(p, 'State')?.toLowerCase();
  const enabledParam = getParam(p, 'Enabled');
  const enabled = enabledParam.has ? toBool(enabledParam.value) : state ? state === 'enabled' : undefined;
  const testMode = mode !== undefined && mode !== 'enforce';
  // New-TransportRule defaults: -Enabled $true, -Mode Enforce
  const active = enabled === false || testMode ? false : enabled === true || mode === 'enforce' || complete ? true : undefined;
  return { level, factors, reasons, scope: scope.words, scopeClass: scope.cls, active };
}

/** Merge parameter maps: later keys replace earlier ones (case-insensitive names). */
export function mergeParams(...maps: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const names = new Map<string, string>();
  for (const m of maps) {
    if (!isObject(m)) continue;
    for (const [k, v] of Object.entries(m)) {
      const prev = names.get(k.toLowerCase());
      if (prev && prev !== k) delete out[prev];
      names.set(k.toLowerCase(), k);
      out[k] = v;
    }
  }
  return out;
}
