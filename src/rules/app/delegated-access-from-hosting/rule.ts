// TW-APP-009: a third-party app uses a user's delegated token (non-interactive sign-in: refresh-token redemption)
// from a hosting / cloud network it was not seen using in the tenant within the history window.
import type { Event } from '../../../core/event.js';
import { DAY, HOUR, humanDuration } from '../../../config/tunables.js';
import { iso, type Severity } from '../../../detect/alert.js';
import { firstSeen, type RuleContext } from '../../../detect/spec.js';
import { appEntity, asnEntity, entities, ipEntity, listSome, plural, userEntity, userOf } from '../../lib.js';
import { isMicrosoftApp, MICROSOFT_ASNS } from '../../microsoft.js';
import { defineRule } from '../../types.js';
import { asnKindOf, asnOf, notAPlace } from '../../signin/travel-lib.js';

/** Every (app, network) pair is learned per tenant: one key, the tenant. */
const TENANT = 'tenant';
/** Any other successful non-interactive sign-in: it starts the tenant's learning, never a pair. */
const OTHER = '~';

/** HTTP libraries and scripting runtimes: a person's client does not say this. */
const SCRIPTED_UA = /^(python-requests|python-urllib|aiohttp|axios|node-fetch|undici|got\b|curl|wget|go-http-client|okhttp|java\/|apache-httpclient|libwww-perl|powershell|mozilla\/5\.0 \(windows nt; windows nt [\d.]+; [^)]*\) windowspowershell)/i;

/** "<appId>|AS<asn>" for a third-party app's delegated sign-in from a hosting network, else OTHER. */
function pairOf(ev: Event, ctx: RuleContext): string {
  const app = ev.actor.appId?.toLowerCase();
  if (!app || isMicrosoftApp(app)) return OTHER;
  const asn = asnOf(ev, ctx);
  if (asn === undefined || MICROSOFT_ASNS.has(asn) || ctx.enrich.asnKind?.(asn) !== 'hosting') return OTHER;
  if (notAPlace(ev, ctx) !== undefined) return OTHER;
  return `${app}|AS${asn}`;
}

export const delegatedAccessFromHosting = defineRule({
  id: 'TW-APP-009',
  title: "Third-party app used a user's token from a new hosting network",
  severity: 'medium',
  tactics: ['credential-access', 'defense-evasion', 'collection'],
  techniques: ['T1528', 'T1550', 'T1550.001', 'T1114.002'],
  description:
    "A non-interactive user sign-in (an app redeeming the user's refresh token) by an app that is not one of " +
    "Microsoft's own succeeds from a hosting / cloud network (built-in ASN lists and network tables), and the tenant " +
    'has not seen that app use tokens from that network within the history window. Learning is per tenant, after a ' +
    'warm-up; scripted user agents and privileged users raise it to high.',
  whyItMatters:
    'After a consent-phishing grant (Mail.Read + offline_access to a look-alike app) the attacker needs no password ' +
    'and no MFA: their server redeems the refresh token again and again and reads mail through Graph. The only ' +
    "sign-in trace is these non-interactive sign-ins, by the app, for the user, from the attacker's rented servers.",
  falsePositives: [
    'A sanctioned SaaS product (CRM, scheduling, e-signature) whose backend refreshes users\' tokens from AWS, Azure or ' +
      'Google Cloud: learned during the warm-up; a newly adopted one fires once per network. Confirm with its owner ' +
      'and add its app id to trustedApps.',
    'A SaaS vendor moving to a new cloud region or provider: one alert per new network; same app and publisher.',
  ],
  references: [
    'https://learn.microsoft.com/defender-office-365/detect-and-remediate-illicit-consent-grants',
    'https://attack.mitre.org/techniques/T1528/',
    'https://attack.mitre.org/techniques/T1550/001/',
  ],
  status: 'experimental',
  inputs: { facts: ['signin.noninteractive', 'ip'], sources: ['entra.signin.noninteractive'] },
  tunables: {
    history: { type: 'duration', default: 30 * DAY, min: DAY, max: 400 * DAY, help: 'how long an (app, network) pair stays known after it was last used' },
    warmup: { type: 'duration', default: 2 * DAY, min: 0, max: 90 * DAY, help: "learning time from the tenant's first non-interactive sign-in before new pairs alert" },
    trustedApps: { type: 'string[]', default: [], help: 'app ids (GUIDs) of sanctioned apps that refresh tokens from the cloud; learned, never alert' },
  },
  suppressMs: HOUR,
  detect: (t) => {
    const trusted = new Set(t.trustedApps.map((a) => a.toLowerCase()));
    return firstSeen({
      on: { actions: ['signin'], sources: ['entra.signin.noninteractive'], where: (ev) => ev.outcome === 'success' && ev.actor.kind === 'user' },
      key: () => TENANT,
      value: pairOf,
      historyMs: t.history,
      warmupMs: t.warmup,
      alertIf: (ev, ctx) => {
        const app = ev.actor.appId?.toLowerCase();
        return !!app && !trusted.has(app) && !ctx.enrich.isCollectorApp(app);
      },
      alert: (m, ctx) => {
        if (m.value === OTHER) return undefined;
        const ev = m.event;
        const app = ev.actor.appId!.toLowerCase();
        const asn = asnOf(ev, ctx)!;
        const asnName = ctx.enrich.asnName?.(asn);
        const user = userOf(ev);
        const ua = ev.actor.userAgent;
        const scripted = !!ua && SCRIPTED_UA.test(ua.trim());
        const privileged = ctx.enrich.isPrivileged(ev.actor.user, ev.actor.userId);
        const why: string[] = [];
        if (scripted) why.push(`the client says "${ua}", an HTTP library rather than a person's app`);
        if (privileged) why.push(`${user ?? 'the user'} is privileged`);
        const severity: Severity = why.length ? 'high' : 'medium';
        const pairs = m.known.filter((v) => v !== OTHER);
        const pairCount = m.knownCount - (m.known.includes(OTHER) ? 1 : 0);
        const sameApp = pairs.filter((p) => p.startsWith(`${app}|`)).map((p) => p.slice(app.length + 1));
        const resource = ev.auth?.resource;
        const explanation =
          `"${ev.actor.appName ?? app}" (${app}), not one of Microsoft's own apps, redeemed ${user ?? 'a user'}'s token` +
          `${resource ? ` for ${resource}` : ''} at ${iso(ev.time)} from ${ev.actor.ip} (AS${asn}${asnName ? ` ${asnName}` : ''}, ${asnKindOf(ev, ctx) ?? 'hosting'})` +
          `${ev.details?.incomingTokenType ? ` with a ${String(ev.details.incomingTokenType)}` : ''}. ` +
          `The tenant has not seen this app use tokens from that network in the last ${humanDuration(m.historyMs)}` +
          ` (${sameApp.length ? `it used ${listSome(sameApp, 3)}` : 'no hosting network known for it'}; ` +
          `${plural(pairCount, 'app/network pair')} known, learning since ${iso(m.keySince)}).` +
          (why.length ? ` Raised because ${why.join('; ')}.` : '') +
          ' A consented app that reads mail from rented servers is how consent phishing looks: check who consented and to which scopes (TW-APP-006).';
        return {
          title: `${ev.actor.appName ?? app} used ${user ?? 'a user'}'s token from hosting network AS${asn}`,
          severity,
          entities: entities(appEntity(app, { name: ev.actor.appName, role: 'actor' }), userEntity(ev, 'target'), ipEntity(ev.actor.ip), asnEntity(asn)),
          explanation,
          facts: {
            appId: app,
            ...(ev.actor.appName ? { appName: ev.actor.appName } : {}),
            asn,
            ...(user ? { user } : {}),
            ...(resource ? { resource } : {}),
            scriptedClient: scripted,
            knownPairs: pairCount,
            historyDays: m.historyMs / DAY,
            learningSince: iso(m.keySince),
          },
        };
      },
    });
  },
  summarize: (ev) => `${ev.actor.appName ?? ev.actor.appId ?? '?'} for ${ev.actor.user ?? '?'} from ${ev.actor.ip ?? 'no IP'}${ev.actor.asn !== undefined ? ` AS${ev.actor.asn}` : ''}`,
});
