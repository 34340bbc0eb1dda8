// TW-SIGNIN-006: a successful sign-in through legacy authentication (IMAP, POP, SMTP AUTH, ActiveSync basic,
// "Other clients") or the ROPC password grant: a password alone, no MFA possible.
import { DAY } from '../../../config/tunables.js';
import { match } from '../../../detect/spec.js';
import type { Event } from '../../../core/event.js';
import { asnEntity, entities, ipEntity, userEntity, userOf } from '../../lib.js';
import { defineRule } from '../../types.js';
import { UAL_TUNABLE, allowlisted, appAndResource, asnOf, isUserSignin, privilegeText, signinSources, signinSummary } from '../shared/attempts.js';

/** User agents of the ROPC path: Exchange Online's basic-auth-to-OAuth proxy (BAV2ROPC) and its cert variants. */
const ROPC_AGENT = /^(BAV2ROPC|CBAinPROD|CBAinTAR)$/i;

/** What makes the sign-in password-only: "legacy client IMAP4", "ROPC grant", "user agent BAV2ROPC". */
function legacyVia(ev: Event): string | undefined {
  if (ev.auth?.legacy) return `legacy client ${ev.auth.clientApp ?? 'unknown'}`;
  if (ev.auth?.protocol === 'ropc') return 'ROPC password grant';
  const ua = ev.actor.userAgent?.trim();
  if (ua && ROPC_AGENT.test(ua)) return `user agent ${ua} (basic auth through the ROPC proxy)`;
  return undefined;
}

export const legacyAuthSuccess = defineRule({
  id: 'TW-SIGNIN-006',
  title: 'Sign-in through legacy authentication or ROPC',
  severity: 'low',
  tactics: ['initial-access', 'defense-evasion'],
  techniques: ['T1078', 'T1078.004'],
  description:
    'A successful user sign-in through a legacy authentication client (IMAP, POP, SMTP AUTH, Exchange ActiveSync, ' +
    'Exchange Web Services, "Other clients"), the ROPC password grant, or the BAV2ROPC user agent the UAL shows for ' +
    'them. Low for regular accounts, high for privileged ones.',
  whyItMatters:
    'Legacy protocols and ROPC take a password and nothing else, so MFA and most Conditional Access never apply: ' +
    'they are the preferred way to test and use stuffed credentials. A privileged account signing in this way ' +
    'means its password alone opens the tenant.',
  falsePositives: [
    'Old mail clients, multifunction printers and scanners relaying through SMTP AUTH, line-of-business scripts using ' +
      'ROPC: the alert is low; list the relay networks in allowlists.trustedIps (regular accounts from there are skipped) ' +
      'and plan to retire legacy authentication.',
  ],
  references: ['https://learn.microsoft.com/entra/identity/conditional-access/policy-block-legacy-authentication'],
  status: 'experimental',
  inputs: { facts: ['signin.interactive'], sources: ['entra.signin', 'entra.signin.noninteractive', 'ual'] },
  tunables: { ual: UAL_TUNABLE },
  suppressMs: DAY,
  detect: (t) =>
    match({
      on: {
        actions: ['signin'],
        sources: signinSources(t.ual),
        where: (ev, ctx) => {
          if (!isUserSignin(ev) || ev.outcome !== 'success' || legacyVia(ev) === undefined) return false;
          // trusted networks (relays, printers) only excuse regular accounts
          return !allowlisted(ev, ctx) || ctx.enrich.isPrivileged(userOf(ev), ev.actor.userId);
        },
      },
      key: (ev) => userOf(ev),
      alert: (m, ctx) => {
        const ev = m.event;
        const user = m.key;
        const privileged = ctx.enrich.isPrivileged(user, ev.actor.userId);
        const via = legacyVia(ev)!;
        let explanation =
          `${user} signed in successfully via ${via} from ${ev.actor.ip ?? 'an unknown address'}` +
          `${appAndResource(ev)} at ${new Date(ev.time).toISOString()}` +
          ` (seen in the ${ev.source === 'ual' ? 'unified audit log' : 'Entra sign-in log'}); a password alone, no MFA possible.`;
        if (privileged) explanation += ` The account is ${privilegeText(ctx, user, ev.actor.userId)}.`;
        return {
          title: `${privileged ? 'Privileged account' : 'Account'} ${user} signed in via ${ev.auth?.protocol === 'ropc' || !ev.auth?.legacy ? 'ROPC' : `legacy ${ev.auth.clientApp ?? 'client'}`}`,
          severity: privileged ? 'high' : 'low',
          entities: entities(
            userEntity(ev),
            ipEntity(ev.actor.ip),
            asnEntity(asnOf(ev, ctx)),
            ev.actor.appId ? { type: 'app' as const, id: ev.actor.appId, display: ev.actor.appName, role: 'target' as const } : undefined,
          ),
          explanation,
          facts: {
            account: user,
            via,
            clientApp: ev.auth?.clientApp ?? 'unknown',
            protocol: ev.auth?.protocol ?? 'unknown',
            privileged,
            log: ev.source,
          },
        };
      },
    }),
  summarize: signinSummary,
});
