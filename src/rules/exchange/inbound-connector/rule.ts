// TW-EXO-001: an inbound connector is created or changed, judged on its effective configuration.
import { isIP } from 'node:net';
import type { Event } from '../../../core/event.js';
import type { Entity } from '../../../detect/alert.js';
import { DAY, humanDuration } from '../../../config/tunables.js';
import { iso, type Severity } from '../../../detect/alert.js';
import { firstSeen } from '../../../detect/spec.js';
import { entities, listSome } from '../../lib.js';
import { defineRule } from '../../types.js';
import { assessConnector, configFacts, describeConfig, effectiveConfig, relevantParams, type ConnectorChange } from '../connector-config.js';
import { actorEntities, actorWords, byApp, byAppWords, byPersonOrApp, objectEntity, objectKey, objectName } from '../lib.js';
import { ipBreadth, paramsOf } from '../params.js';

const OPS: Record<string, ConnectorChange['op']> = {
  'connector.inbound.create': 'new',
  'connector.inbound.update': 'set',
  'connector.inbound.remove': 'remove',
};

/** Sender addresses named as entities at most (the explanation counts them all). */
const MAX_SENDER_ENTITIES = 16;

/**
 * The connector's sender addresses as ip entities (role target: addresses configured into it), so alerts on mail
 * or sign-ins from those addresses (the spam relayed through it) join the connector's incident. Single addresses
 * and CIDR ranges up to /8 (IPv4) or /32 (IPv6); wider ranges name a good part of the internet and link nothing useful.
 */
export function senderIpEntities(ips: readonly string[] | undefined): Entity[] {
  const out: Entity[] = [];
  for (const raw of ips ?? []) {
    const x = raw.trim();
    const [addr, bits, more] = x.split('/');
    if (more !== undefined || !addr) continue;
    const fam = isIP(addr);
    if (!fam) continue;
    if (bits !== undefined) {
      const n = Number(bits);
      if (!/^\d{1,3}$/.test(bits) || n > (fam === 4 ? 32 : 128) || n < (fam === 4 ? 8 : 32)) continue;
    }
    out.push({ type: 'ip', id: x.toLowerCase(), display: x, role: 'target' });
    if (out.length >= MAX_SENDER_ENTITIES) break;
  }
  return out;
}

interface Remembered extends ConnectorChange {
  id: string;
  name: string;
}

// The connector's change history lives in the engine's first-seen state: every change is a unique value (its
// time, id and the parameters that matter), so the detector fires on each change and hands the rule the earlier
// changes of the same connector (`known`, most recent first, up to 20 within the history window). That keeps the
// rule a pure function with bounded, serializable state.
function encode(ev: Event): string | undefined {
  const op = OPS[ev.action];
  const name = objectName(ev);
  if (!op || !name) return undefined;
  const r: Remembered = { t: ev.time, id: ev.id, name, op, params: relevantParams(paramsOf(ev)) };
  return JSON.stringify(r);
}

function decode(v: string): Remembered | undefined {
  try {
    const r = JSON.parse(v) as Remembered;
    return typeof r.t === 'number' && typeof r.op === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}

const BASE_WORDS = {
  new: 'cmdlet defaults for the parameters not passed',
  'earlier-new': 'its creation in this input (cmdlet defaults) and the changes since',
  snapshot: 'the tenant snapshot (Get-InboundConnector) for the parameters not passed',
  none: 'only the parameters passed: no New-InboundConnector in the input and no snapshot',
} as const;

export const inboundConnector = defineRule({
  id: 'TW-EXO-001',
  title: 'Inbound connector created or changed',
  severity: 'medium',
  tactics: ['defense-evasion', 'impact'],
  techniques: ['T1562', 'T1496'],
  description:
    'New-InboundConnector or Set-InboundConnector succeeded. The connector is judged on its effective configuration ' +
    '(cmdlet defaults, earlier changes to the same connector in the input, the tenant snapshot, then the arguments ' +
    'passed): OnPremises type, sender IPs wider than /24 (high at /16), sender domain "*", no IP or certificate ' +
    'restriction, TreatMessagesAsInternal. Critical when an app made the change.',
  whyItMatters:
    'In the 2022 campaign a malicious OAuth app with Exchange.ManageAsApp created an inbound connector so the ' +
    "attacker's servers could relay spam through the victim tenant under its domain and reputation. A connector " +
    'that accepts mail from wide IP ranges, any domain, or without a certificate is an open door for that relay.',
  falsePositives: [
    'Onboarding a mail gateway or partner (Mimecast, Proofpoint, a hybrid server): expect a Partner or OnPremises ' +
      'connector with the vendor\'s published IPs or a TLS certificate, created by a known admin; it stays low or medium.',
    'The Hybrid Configuration wizard creates an OnPremises connector with a certificate name; confirm the ' +
      'ConnectorSource HybridWizard and the admin who ran it.',
  ],
  references: [
    'https://learn.microsoft.com/powershell/module/exchangepowershell/new-inboundconnector',
    'https://learn.microsoft.com/defender-office-365/connectors-detect-respond-to-compromise',
    'https://www.microsoft.com/en-us/security/blog/2022/09/22/malicious-oauth-applications-used-to-compromise-email-servers-and-spread-spam/',
  ],
  status: 'stable',
  inputs: { facts: ['exchange.admin'], sources: ['ual'] },
  tunables: {
    history: { type: 'duration', default: 90 * DAY, min: DAY, max: 400 * DAY, help: 'how long earlier changes of a connector are remembered for its effective configuration' },
  },
  // every change is its own alert: a benign creation followed by a risky change must not fold into the low alert
  suppressMs: 0,
  detect: (t) =>
    firstSeen({
      on: { actions: ['connector.inbound.create', 'connector.inbound.update', 'connector.inbound.remove'], sources: ['ual'], where: byPersonOrApp },
      key: (ev) => objectKey(ev),
      value: (ev) => encode(ev),
      historyMs: t.history,
      warmupMs: 0,
      // removals are remembered (a later New starts from defaults again) but alerting on them is TW-EXO-003's job
      alertIf: (ev) => ev.action !== 'connector.inbound.remove',
      alert: (m, ctx) => {
        const ev = m.event;
        const cur = decode(m.value);
        if (!cur) return undefined;
        const history = m.known.map(decode).filter((h): h is Remembered => !!h && h.t <= cur.t && h.id !== cur.id).reverse();
        const snapshot = ctx.enrich.inboundConnector?.(cur.name);
        const { config, base, applied } = effectiveConfig(history, cur, snapshot);
        const risk = assessConnector(config);
        const app = byApp(ev);
        const disabled = risk.enabled === false;
        let severity: Severity = risk.level;
        if (disabled) severity = 'low';
        if (app) severity = risk.level !== 'low' && !disabled ? 'critical' : 'medium';

        const verb = cur.op === 'new' ? 'created' : 'changed';
        const ips = Array.isArray(config.SenderIPAddresses?.value) ? (config.SenderIPAddresses.value as string[]) : undefined;
        const breadth = ips ? ipBreadth(ips) : undefined;
        const passed = Object.keys(cur.params);
        let explanation =
          `Inbound connector "${cur.name}" was ${verb} at ${iso(ev.time)} by ${actorWords(ev)}${ev.actor.ip ? ` from ${ev.actor.ip}` : ''}` +
          `${cur.op === 'set' ? ` (parameters passed: ${passed.length ? passed.join(', ') : 'none that matter'})` : ''}. ` +
          `Effective configuration, from ${BASE_WORDS[base]}${applied ? ` (${applied} earlier change${applied === 1 ? '' : 's'} applied, the first at ${iso(history[history.length - applied]!.t)})` : ''}: ` +
          `${describeConfig(config) || 'nothing known'}.`;
        if (risk.unknown.length) explanation += ` Unknown: ${risk.unknown.join(', ')}.`;
        explanation += risk.reasons.length ? ` Risk (${risk.level}): ${risk.reasons.join('; ')}.` : ' Nothing in it lets outside servers relay mail: it is restricted to a certificate or its IPs.';
        if (breadth && breadth.addresses > 0) explanation += ` Sender IPs cover ${breadth.addresses.toLocaleString('en-US')} IPv4 address${breadth.addresses === 1 ? '' : 'es'} in ${ips!.length} entr${ips!.length === 1 ? 'y' : 'ies'}.`;
        if (disabled) explanation += ' The connector is disabled, so it carries no mail until enabled.';
        if (app) explanation += ' An app (not a person) made this change, as the malicious app did in the 2022 campaign.';
        if (snapshot && base !== 'snapshot') explanation += ' The tenant snapshot also holds this connector (its state when the snapshot was taken).';
        return {
          title: `Inbound connector ${cur.name} ${verb}${risk.factors.length ? `: ${listSome(risk.factors, 3)}` : ''}${app ? byAppWords(ev) : ''}`,
          severity,
          entities: entities(objectEntity('connector', cur.name), ...actorEntities(ev), ...senderIpEntities(ips)),
          explanation,
          facts: {
            connector: cur.name,
            operation: ev.operation,
            riskLevel: risk.level,
            riskFactors: risk.factors,
            effectiveConfig: configFacts(config),
            configBase: base,
            earlierChanges: applied,
            unknownFields: risk.unknown,
            actorKind: ev.actor.kind,
            senderIpv4Addresses: breadth?.addresses ?? 0,
            senderIps: ips ?? [],
            ...(history.length ? { historyWindow: humanDuration(m.historyMs) } : {}),
          },
        };
      },
    }),
});
