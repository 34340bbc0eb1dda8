// TW-SP-002: an app that received a new credential signs in with it. TW-SP-001 learns each app's networks during
// a warm-up, so an app whose very first sign-ins are the attacker's (the 2022 campaign's app sat unused for weeks,
// then authenticated to Exchange Online from new infrastructure) is invisible to it; this rule closes that gap.
import type { Event } from '../../../core/event.js';
import { DAY, humanDuration } from '../../../config/tunables.js';
import { sequence } from '../../../detect/spec.js';
import { appEntity, appKeyOf, appNameOf, asnEntity, entities, ipEntity, userEntity } from '../../lib.js';
import { defineRule } from '../../types.js';
import { asnOf } from '../travel-lib.js';

const EXCHANGE_ONLINE = 'Office 365 Exchange Online';
const success = (ev: Event): boolean => ev.outcome === 'success';

/** Did the app already hold credentials before this change (a rotation, not its first credential)? */
function hadCredentials(ev: Event): boolean {
  for (const t of ev.targets) {
    for (const name of ['KeyDescription', 'KeyCredentials', 'PasswordCredentials']) {
      const old = t.modified?.[name]?.old;
      if (Array.isArray(old) && old.length > 0) return true;
    }
  }
  return false;
}

export const newAppFirstSignIn = defineRule({
  id: 'TW-SP-002',
  title: 'App signed in with a credential added to it recently',
  severity: 'low',
  tactics: ['persistence', 'defense-evasion'],
  techniques: ['T1098.001', 'T1550.001', 'T1078.004'],
  description:
    'A client secret or certificate is added to an app (its application object or service principal), and later ' +
    'within the window the app signs in as itself (ServicePrincipalSignInLogs). The first such sign-in per app and ' +
    'credential window alerts, rated by where it came from and what it reached.',
  whyItMatters:
    'An attacker who adds a credential to an app keeps access after every password reset; using it is the moment ' +
    'the app becomes the attacker\'s. In the 2022 campaign the app signed in to Exchange Online with its new secret ' +
    'weeks after it was created, to add the inbound connector. Networks never learned for the app cannot be judged ' +
    'by TW-SP-001, so this rule judges the sign-in against the credential change instead.',
  falsePositives: [
    'A new line-of-business app set up by an administrator and then run from the company network: rated low when ' +
      'the sign-in comes from a trusted network or from the IP the administrator added the credential from.',
    'Secret rotation followed by the app\'s routine sign-ins: one alert per app per window; review once.',
  ],
  references: ['https://attack.mitre.org/techniques/T1098/001/', 'https://attack.mitre.org/techniques/T1550/001/'],
  status: 'experimental',
  inputs: { facts: ['directory.audit', 'signin.serviceprincipal'], sources: ['entra.audit', 'ual', 'entra.signin.serviceprincipal'] },
  tunables: {
    within: { type: 'duration', default: 90 * DAY, min: DAY, max: 400 * DAY, help: 'from the new credential to the sign-in' },
  },
  // one alert per app over the whole credential window: later sign-ins fold in (a riskier one escalates it), where
  // a 30-day period let the same credential's routine sign-ins alert again a month on
  suppressMs: 90 * DAY,
  detect: (t) =>
    sequence({
      steps: [
        {
          name: 'credential',
          on: { actions: ['app.credential.add', 'sp.credential.add'], where: success },
          key: (ev, ctx) => {
            const k = appKeyOf(ev);
            return k && !ctx.enrich.isCollectorApp(k) ? k : undefined;
          },
        },
        {
          name: 'signin',
          on: {
            actions: ['signin'],
            sources: ['entra.signin.serviceprincipal'],
            where: (ev) => success(ev) && ev.details?.microsoftServicePrincipal !== true,
          },
          key: (ev, ctx) => {
            const k = ev.actor.appId?.toLowerCase();
            return k && !ctx.enrich.isCollectorApp(k) ? k : undefined;
          },
        },
      ],
      withinMs: t.within,
      alert: (m, ctx) => {
        const cred = m.steps[0]!.event;
        const signin = m.steps[1]!.event;
        const ip = signin.actor.ip;
        const asn = asnOf(signin, ctx);
        const kind = asn !== undefined ? ctx.enrich.asnKind?.(asn) : undefined;
        const name = appNameOf(cred) ?? signin.actor.appName;
        const resource = signin.auth?.resource;
        const fromAdder = ip !== undefined && ip === cred.actor.ip;
        const trusted = ctx.enrich.isTrustedIp(ip) || ctx.enrich.isVpnAsn(asn);
        const byApp = cred.actor.kind === 'app';
        const rotation = hadCredentials(cred);
        // Low by default: a new app signing in to Graph from an ordinary network is how every integration starts.
        // What raises it is what the campaign's app did: Exchange Online, hosting infrastructure, an app-added secret.
        let severity: 'low' | 'high' = 'low';
        const why: string[] = [];
        if (trusted || fromAdder) {
          severity = 'low';
          why.push(trusted ? 'the sign-in came from a trusted network' : 'the sign-in came from the IP the credential was added from');
        } else if (rotation && !byApp && kind !== 'hosting') {
          // An established app whose owner rotated its secret, then its routine sign-in. A credential slipped into an
          // existing app is TW-APP-003's finding; here it stays low unless the sign-in itself looks foreign.
          severity = 'low';
          why.push('the app already had credentials (a rotation) and the sign-in is not from a hosting network');
        } else {
          if (resource === EXCHANGE_ONLINE) why.push('it reached Exchange Online');
          if (kind === 'hosting') why.push('it came from a hosting network');
          if (byApp) why.push('an app, not a person, added the credential');
          if (why.length) severity = 'high';
        }
        const explanation =
          `App ${name ? `"${name}" ` : ''}(${m.key}) got a new credential (${cred.operation}` +
          `${cred.actor.user ? ` by ${cred.actor.user}` : byApp ? ` by app ${cred.actor.appName ?? cred.actor.appId ?? ''}` : ''}` +
          `${cred.actor.ip ? ` from ${cred.actor.ip}` : ''}) and signed in as itself ${humanDuration(Math.max(m.elapsedMs, 1000))} later` +
          `${resource ? ` to ${resource}` : ''} from ${ip ?? 'an unknown IP'}` +
          `${asn !== undefined ? ` (AS${asn}${ctx.enrich.asnName?.(asn) ? ` ${ctx.enrich.asnName(asn)}` : ''})` : ''}` +
          `${signin.auth?.credentialType ? ` using ${signin.auth.credentialType}` : ''} (window ${humanDuration(m.withinMs)}).` +
          (why.length ? ` Rated ${severity}: ${why.join('; ')}.` : '');
        return {
          title: `App ${name ?? m.key} signed in with a recently added credential`,
          severity,
          entities: entities(appEntity(m.key, { name, spId: signin.actor.spId, role: 'actor' }), userEntity(cred, 'actor'), ipEntity(ip), asnEntity(asn)),
          explanation,
          facts: {
            daysBetween: Math.round((m.elapsedMs / DAY) * 10) / 10,
            windowDays: m.withinMs / DAY,
            credential: cred.operation,
            credentialByApp: byApp,
            rotation,
            ...(ip ? { signInIp: ip } : {}),
            ...(asn !== undefined ? { asn } : {}),
            ...(kind ? { asnKind: kind } : {}),
            ...(resource ? { resource } : {}),
          },
        };
      },
    }),
});
