// TW-SP-001: a service principal signs in from a network (ASN, else IP) never seen for it in the history window.
import { DAY, humanDuration } from '../../../config/tunables.js';
import { iso } from '../../../detect/alert.js';
import { firstSeen } from '../../../detect/spec.js';
import { appEntity, asnEntity, entities, ipEntity, ipKey, listSome } from '../../lib.js';
import { defineRule } from '../../types.js';
import { asnOf } from '../travel-lib.js';

const EXCHANGE_ONLINE = 'Office 365 Exchange Online';

export const spNewSource = defineRule({
  id: 'TW-SP-001',
  title: 'Service principal signed in from a new network',
  severity: 'medium',
  tactics: ['initial-access', 'defense-evasion'],
  techniques: ['T1078', 'T1078.004', 'T1550', 'T1550.001'],
  description:
    "A tenant's own service principal (app) signs in successfully from an autonomous system (or, when the log has " +
    'no ASN, an IP address / IPv6 /64) it has not used within the history window, after a warm-up period in which ' +
    'its usual networks are learned.',
  whyItMatters:
    'Apps run from fixed infrastructure. A secret or certificate stolen or added by an attacker is used from ' +
    "the attacker's own network: in the 2022 campaign the malicious app authenticated to Exchange Online from new " +
    'infrastructure, sometimes months after it was created. Sign-ins to Exchange Online raise the severity.',
  falsePositives: [
    'The app moved hosting (new cloud region, new CI runners, a new egress NAT): confirm with its owner, then it is ' +
      'learned and stays quiet.',
    'Apps run from many cloud networks by design (serverless, multi-region): list their egress in allowlists.trustedIps ' +
      'or their ASN in allowlists.vpnAsns.',
  ],
  references: ['https://attack.mitre.org/techniques/T1550/001/', 'https://attack.mitre.org/techniques/T1078/004/'],
  status: 'stable',
  inputs: { facts: ['signin.serviceprincipal', 'ip'], sources: ['entra.signin.serviceprincipal'] },
  tunables: {
    history: { type: 'duration', default: 30 * DAY, min: DAY, max: 400 * DAY, help: 'how long a network stays known after it was last used' },
    warmup: { type: 'duration', default: 3 * DAY, min: 0, max: 90 * DAY, help: 'learning time per app before new networks alert' },
    by: { type: 'string', default: 'asn', values: ['asn', 'ip'], help: 'what counts as a network: the ASN (falls back to the IP when unknown) or the IP' },
  },
  suppressMs: DAY,
  detect: (t) =>
    firstSeen({
      on: {
        actions: ['signin'],
        sources: ['entra.signin.serviceprincipal'],
        // Microsoft's first-party apps sign in from Microsoft's networks and are not the tenant's to learn
        where: (ev) => ev.outcome === 'success' && ev.details?.microsoftServicePrincipal !== true,
      },
      key: (ev, ctx) => {
        const app = ev.actor.appId?.toLowerCase() ?? ev.actor.spId?.toLowerCase();
        return app && !ctx.enrich.isCollectorApp(app) ? app : undefined;
      },
      value: (ev, ctx) => {
        const ip = ev.actor.ip;
        if (!ip) return undefined;
        if (t.by === 'asn') {
          const asn = asnOf(ev, ctx);
          if (asn !== undefined) return `AS${asn}`;
        }
        return ipKey(ip);
      },
      historyMs: t.history,
      warmupMs: t.warmup,
      alertIf: (ev, ctx) => !ctx.enrich.isTrustedIp(ev.actor.ip) && !ctx.enrich.isVpnAsn(asnOf(ev, ctx)),
      alert: (m, ctx) => {
        const ev = m.event;
        // the ASN from the record, else from the ASN database (records of some exports have none)
        const asn = asnOf(ev, ctx);
        const name = ev.actor.appName ?? ev.actor.displayName;
        const resource = ev.auth?.resource;
        const known = m.known.length ? `known: ${listSome(m.known)}` : 'no network known in the window';
        const explanation =
          `Service principal ${name ? `"${name}" ` : ''}(${m.key}) signed in${resource ? ` to ${resource}` : ''} from ` +
          `${m.value}${m.value !== ev.actor.ip ? ` (${[asn !== undefined ? ctx.enrich.asnName?.(asn) : undefined, ev.actor.ip].filter(Boolean).join(', ')})` : ''}, not seen for it in the last ${humanDuration(m.historyMs)} ` +
          `(${known}; ${m.knownCount} network${m.knownCount === 1 ? '' : 's'} learned since ${iso(m.keySince)})` +
          `${ev.auth?.credentialType ? `, using ${ev.auth.credentialType}` : ''}.`;
        return {
          title: `Service principal ${name ?? m.key} signed in from new network ${m.value}`,
          severity: resource === EXCHANGE_ONLINE ? 'high' : 'medium',
          entities: entities(
            appEntity(m.key, { name, spId: ev.actor.spId, role: 'actor' }),
            ipEntity(ev.actor.ip),
            asnEntity(asn),
          ),
          explanation,
          facts: {
            newNetwork: m.value,
            knownNetworks: m.known,
            knownCount: m.knownCount,
            historyDays: m.historyMs / DAY,
            learningSince: iso(m.keySince),
            ...(resource ? { resource } : {}),
          },
        };
      },
    }),
});
