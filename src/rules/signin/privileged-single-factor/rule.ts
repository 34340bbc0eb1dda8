// TW-SIGNIN-005: a privileged account signs in successfully with a single factor, as the log says it
// (authenticationRequirement = singleFactorAuthentication), from a network it had not signed in from that way in the
// last 30 days. Unknown MFA (Graph v1.0, UAL) never counts.
import { DAY, HOUR, humanDuration } from '../../../config/tunables.js';
import { v4Prefix24 } from '../../../core/ip.js';
import { firstSeen } from '../../../detect/spec.js';
import { asnEntity, entities, ipEntity, ipKey, isSingleFactor, listSome, userEntity, userOf } from '../../lib.js';
import { defineRule } from '../../types.js';
import { ENTRA_USER_SIGNINS, appAndResource, asnOf, isUserSignin, privilegeText, signinSummary } from '../shared/attempts.js';

/** The network a sign-in came from: IPv4 /24, IPv6 /64 ("no address" when the record has none). */
function networkOf(ip: string | undefined): string {
  if (!ip) return 'no address';
  return ip.includes(':') ? ipKey(ip)! : v4Prefix24(ip);
}

export const privilegedSingleFactor = defineRule({
  id: 'TW-SIGNIN-005',
  title: 'Privileged account signed in with a single factor',
  severity: 'high',
  tactics: ['initial-access', 'persistence', 'privilege-escalation', 'defense-evasion'],
  techniques: ['T1078', 'T1078.004'],
  description:
    'A successful sign-in of a privileged account (a directory role holder from the tenant snapshot, from role ' +
    'assignments in the input, or listed in config) whose log says single-factor authentication ' +
    '(authenticationRequirement singleFactorAuthentication), the first such sign-in of the account from its network ' +
    '(IPv4 /24, IPv6 /64) in the history window: an administrator who always signs in that way from the office is one ' +
    'finding, not one a day, and a sign-in from anywhere else is news at once. Sign-ins whose MFA requirement is not ' +
    'in the log (Graph v1.0, the UAL) are never treated as single-factor.',
  whyItMatters:
    'The 2022 OAuth spam campaign got in through administrator accounts without MFA: a password from stuffing was ' +
    'enough to register an app, consent to Exchange.ManageAsApp and hand the app Global / Exchange Administrator. ' +
    'Every single-factor administrator sign-in is either that, or a policy gap the attacker can use.',
  falsePositives: [
    'A Conditional Access exclusion for trusted locations: the sign-in came from allowlists.trustedIps, a ' +
      'configured named location or a trusted named location the sign-in record names (severity drops to low: the ' +
      'routine look-alike of the attack, still a gap). Close it: require MFA for admins everywhere.',
    'Break-glass accounts (allowlists.breakGlass) used in an emergency: medium; confirm the emergency.',
    'A directory-sync or service account holding a role and signing in with a password by design: move it to a ' +
      'workload identity, or list it in allowlists.breakGlass with a comment.',
  ],
  references: ['https://attack.mitre.org/techniques/T1078/004/', 'https://learn.microsoft.com/entra/identity/monitoring-health/concept-sign-in-log-activity-details'],
  status: 'experimental',
  inputs: { facts: ['mfa.detail'], anyOf: [['signin.interactive', 'signin.noninteractive']], sources: ['entra.signin', 'entra.signin.noninteractive'], privileged: 'all' },
  tunables: {
    interactiveOnly: { type: 'boolean', default: false, help: 'only interactive sign-ins (non-interactive token use inherits the first sign-in\'s factors)' },
    history: { type: 'duration', default: 30 * DAY, min: DAY, max: 400 * DAY, help: 'how long a network stays known for an account after its last single-factor sign-in there' },
  },
  // only new networks fire, so the period folds a burst of them (proxy hopping), not the account's routine
  suppressMs: HOUR,
  detect: (t) =>
    firstSeen({
      on: {
        actions: ['signin'],
        sources: ENTRA_USER_SIGNINS,
        where: (ev, ctx) =>
          isUserSignin(ev) && ev.outcome === 'success' && isSingleFactor(ev) && (!t.interactiveOnly || ev.auth?.interactive !== false) &&
          ctx.enrich.isPrivileged(userOf(ev), ev.actor.userId),
      },
      key: (ev) => userOf(ev),
      value: (ev) => networkOf(ev.actor.ip),
      historyMs: t.history,
      // the first single-factor sign-in of an administrator is news: no learning period
      warmupMs: 0,
      alert: (m, ctx) => {
        const ev = m.event;
        const user = m.key;
        // the record's own networkLocationDetails count too: Entra says the address is in a trusted named location
        const recordTrusted = ev.details?.trustedLocation === true;
        const trusted = ctx.enrich.isTrustedIp(ev.actor.ip) || ctx.enrich.isVpnAsn(asnOf(ev, ctx)) || recordTrusted;
        const recordNames = Array.isArray(ev.details?.namedLocations) ? (ev.details.namedLocations as unknown[]).filter((x): x is string => typeof x === 'string') : [];
        const location = ctx.enrich.namedLocation(ev.actor.ip) ?? (recordTrusted ? recordNames[0] : undefined);
        const breakGlass = ctx.enrich.isBreakGlass(user, ev.actor.userId);
        const geo = ev.actor.geo;
        const where = [geo?.city, geo?.country].filter((x) => x).join(', ');
        let explanation =
          `${user} (${privilegeText(ctx, user, ev.actor.userId)}) signed in with a single factor from ${ev.actor.ip ?? 'an unknown address'}` +
          `${where ? ` (${where})` : ''}${appAndResource(ev)}` +
          ` at ${new Date(ev.time).toISOString()}: authenticationRequirement singleFactorAuthentication` +
          `${ev.auth?.methods?.length ? `, methods ${ev.auth.methods.join(', ')}` : ''}, Conditional Access ${ev.auth?.ca ?? 'status unknown'}` +
          `${ev.auth?.interactive === false ? ', non-interactive' : ''}.`;
        if (ev.auth?.legacy || ev.auth?.protocol === 'ropc') explanation += ` Client ${ev.auth.clientApp ?? ev.auth.protocol} cannot do MFA (legacy / ROPC).`;
        if (trusted || location) explanation += ` The address is in ${location ? `named location "${location}"` : 'an allow-listed network'}${recordTrusted ? ' (trusted, per the sign-in record)' : ''}: likely a CA exclusion for trusted locations, still a gap for an administrator; rated low as the routine look-alike.`;
        if (breakGlass) explanation += ' This is a break-glass account: expected only in an emergency.';
        explanation += m.knownCount
          ? ` First single-factor sign-in of the account from ${m.value} in the last ${humanDuration(m.historyMs)}; it signed in that way from ${listSome(m.known, 3)} before (each reported when first seen).`
          : ` Its first single-factor sign-in in the last ${humanDuration(m.historyMs)}; later ones from ${m.value} are not reported again while it keeps using it.`;
        return {
          title: `${breakGlass ? 'Break-glass' : 'Privileged'} account ${user} signed in with a single factor`,
          // break-glass use is rare and worth a look; a trusted network is the everyday look-alike of the attack
          severity: breakGlass ? 'medium' : trusted ? 'low' : 'high',
          entities: entities(
            userEntity(ev),
            ipEntity(ev.actor.ip),
            asnEntity(asnOf(ev, ctx)),
            ev.actor.appId ? { type: 'app' as const, id: ev.actor.appId, display: ev.actor.appName, role: 'target' as const } : undefined,
          ),
          explanation,
          facts: {
            account: user,
            roles: ctx.enrich.privilegeOf?.(user, ev.actor.userId)?.roles ?? [],
            interactive: ev.auth?.interactive !== false,
            conditionalAccess: ev.auth?.ca ?? 'unknown',
            clientApp: ev.auth?.clientApp ?? 'unknown',
            trustedNetwork: trusted || location !== undefined,
            breakGlass,
            network: m.value,
            knownNetworks: m.knownCount,
          },
        };
      },
    }),
  summarize: signinSummary,
});
