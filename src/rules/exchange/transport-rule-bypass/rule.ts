// TW-EXO-002: a transport rule strips filtering/source headers, stamps filter-bypass headers or sets SCL -1.
import type { Event } from '../../../core/event.js';
import { DAY } from '../../../config/tunables.js';
import { iso, type Severity } from '../../../detect/alert.js';
import { firstSeen } from '../../../detect/spec.js';
import { entities, listSome } from '../../lib.js';
import { defineRule } from '../../types.js';
import { tenantDomains } from '../../mail/domains.js';
import { actorEntities, actorWords, byApp, byAppWords, byPersonOrApp, objectEntity, objectKey, objectName } from '../lib.js';
import { paramsOf } from '../params.js';
import { assessTransportRule, mergeParams } from '../transport-rule-risk.js';

type Op = 'new' | 'set' | 'enable' | 'disable' | 'remove';
const OPS: Partial<Record<Event['action'], Op>> = {
  'transportrule.create': 'new',
  'transportrule.update': 'set',
  'transportrule.enable': 'enable',
  'transportrule.disable': 'disable',
  'transportrule.remove': 'remove',
};

interface Change {
  t: number;
  id: string;
  name: string;
  op: Op;
  params: Record<string, unknown>;
}

/** Keep what judges a rule; drop the identity and long texts (state stays small). */
function keep(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (/^(identity|confirm|force|whatif|comments|applyhtmldisclaimertext)$/i.test(k)) continue;
    out[k] = typeof v === 'string' && v.length > 500 ? v.slice(0, 500) : v;
  }
  return out;
}

// Like TW-EXO-001, the rule's earlier changes live in first-seen state (each change a unique value), so a
// Set-TransportRule or Enable-TransportRule is judged on the whole rule, not only on the arguments it passed.
function encode(ev: Event): string | undefined {
  const op = OPS[ev.action];
  const name = objectName(ev);
  if (!op || !name) return undefined;
  const params = op === 'enable' ? { Enabled: 'True' } : op === 'disable' ? { Enabled: 'False' } : keep(paramsOf(ev));
  return JSON.stringify({ t: ev.time, id: ev.id, name, op, params } satisfies Change);
}

function decode(v: string): Change | undefined {
  try {
    const c = JSON.parse(v) as Change;
    return typeof c.t === 'number' && typeof c.op === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
}

/** Parameters since the rule's last creation (or all remembered changes when its creation is not in the input). */
function effective(history: Change[], cur: Change): { params: Record<string, unknown>; base: 'new' | 'earlier-new' | 'changes-only'; applied: number } {
  if (cur.op === 'new') return { params: cur.params, base: 'new', applied: 0 };
  let start = 0;
  let base: 'earlier-new' | 'changes-only' = 'changes-only';
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i]!.op === 'new' || history[i]!.op === 'remove') {
      start = history[i]!.op === 'new' ? i : i + 1;
      base = history[i]!.op === 'new' ? 'earlier-new' : 'changes-only';
      break;
    }
  }
  const used = history.slice(start);
  return { params: mergeParams(...used.map((h) => h.params), cur.params), base, applied: used.length };
}

export const transportRuleBypass = defineRule({
  id: 'TW-EXO-002',
  title: 'Transport rule strips filtering headers or bypasses spam filtering',
  severity: 'high',
  tactics: ['defense-evasion'],
  techniques: ['T1562', 'T1562.001', 'T1564.008'],
  description:
    'New-/Set-/Enable-TransportRule leaves a mail flow rule that removes headers carrying the filtering verdict, ' +
    'authentication results or the relaying source (X-MS-Exchange-*, X-Forefront-Antispam-Report, ' +
    'Authentication-Results, Received …) or overwrites them with a forged value, stamps Exchange-internal headers that switch filtering off ' +
    '(X-MS-Exchange-Organization-BypassClutter, -SkipSafeLinksProcessing …), or sets SCL -1. The rule is judged on ' +
    'its parameters as known from earlier changes in the input plus the current one; severity follows the scope.',
  whyItMatters:
    'The 2022 campaign paired its inbound connector with transport rules that removed the headers revealing the ' +
    "real sending server, so the relayed spam passed as the victim's own mail. Microsoft's own (hidden) alert " +
    'policies "New transport rule removing antispam header" target the same step.',
  falsePositives: [
    'Phishing-simulation and security-awareness vendors ask for an SCL -1 / BypassClutter / SkipSafeLinksProcessing ' +
      'rule scoped to their sender IPs: narrow scope by an admin stays low; check the IPs against the vendor\'s list.',
    'Privacy rules that strip X-Originating-IP or Received from outbound mail: medium; confirm the owner and scope.',
  ],
  references: [
    'https://learn.microsoft.com/powershell/module/exchangepowershell/new-transportrule',
    'https://learn.microsoft.com/exchange/security-and-compliance/mail-flow-rules/mail-flow-rule-actions',
    'https://www.microsoft.com/en-us/security/blog/2022/09/22/malicious-oauth-applications-used-to-compromise-email-servers-and-spread-spam/',
  ],
  status: 'stable',
  inputs: { facts: ['exchange.admin'], sources: ['ual'] },
  tunables: {
    history: { type: 'duration', default: 90 * DAY, min: DAY, max: 400 * DAY, help: 'how long earlier changes of a transport rule are remembered' },
    tenantDomains: { type: 'string[]', default: [], help: "the tenant's mail domains (else the snapshot's accepted domains, else the actor's UPN domain)" },
  },
  // each change is judged on its own (a narrow rule widened later must not fold into the first, low alert)
  suppressMs: 0,
  detect: (t) =>
    firstSeen({
      on: { actions: ['transportrule.create', 'transportrule.update', 'transportrule.enable', 'transportrule.disable', 'transportrule.remove'], sources: ['ual'], where: byPersonOrApp },
      key: (ev) => objectKey(ev),
      value: (ev) => encode(ev),
      historyMs: t.history,
      warmupMs: 0,
      alertIf: (ev) => ev.action === 'transportrule.create' || ev.action === 'transportrule.update' || ev.action === 'transportrule.enable',
      alert: (m, ctx) => {
        const ev = m.event;
        const cur = decode(m.value);
        if (!cur) return undefined;
        const history = m.known.map(decode).filter((h): h is Change => !!h && h.t <= cur.t && h.id !== cur.id).reverse();
        const eff = effective(history, cur);
        const domains = tenantDomains(ev, ctx, t.tenantDomains);
        const risk = assessTransportRule(eff.params, domains.isTenant, eff.base !== 'changes-only');
        if (risk.level === 'none') return undefined;
        const app = byApp(ev);
        let severity: Severity = risk.level;
        if (risk.active === false) severity = 'low';
        if (app) severity = risk.level !== 'low' && risk.active !== false ? 'critical' : 'medium';
        const verb = cur.op === 'new' ? 'created' : cur.op === 'enable' ? 'enabled' : 'changed';
        let explanation =
          `Transport rule "${cur.name}" was ${verb} at ${iso(ev.time)} by ${actorWords(ev)}${ev.actor.ip ? ` from ${ev.actor.ip}` : ''}. It ${risk.reasons.join('; ')}, ` +
          `for ${risk.scope}.`;
        if (eff.applied) explanation += ` Judged with ${eff.applied} earlier change${eff.applied === 1 ? '' : 's'} of the rule in the input (the first at ${iso(history[history.length - eff.applied]!.t)}${eff.base === 'changes-only' ? '; its creation is not in the input' : ''}).`;
        if (risk.active === false) explanation += ' The rule is disabled or in a test mode (Audit), so its actions are not applied yet.';
        if (app) explanation += ' An app (not a person) made this change, as the malicious app did in the 2022 campaign.';
        if (domains.basis === 'event' && risk.scope.startsWith('mail from sender domain')) explanation += ` (Own domains judged from the actor: ${domains.known.join(', ') || 'none'}.)`;
        return {
          title: `Transport rule ${cur.name} ${verb}: ${listSome(risk.factors, 3)}${app ? byAppWords(ev) : ''}`,
          severity,
          entities: entities(objectEntity('transportRule', cur.name), ...actorEntities(ev)),
          explanation,
          facts: {
            transportRule: cur.name,
            operation: ev.operation,
            riskLevel: risk.level,
            riskFactors: risk.factors,
            scope: risk.scopeClass,
            earlierChanges: eff.applied,
            active: risk.active === undefined ? 'unknown' : risk.active,
            actorKind: ev.actor.kind,
          },
        };
      },
    }),
});
