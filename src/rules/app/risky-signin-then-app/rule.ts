// TW-APP-002: an account with a risky sign-in registers an app or adds a service principal soon after.
import type { Event } from '../../../core/event.js';
import { iso } from '../../../detect/alert.js';
import { DAY, HOUR, MINUTE, humanDuration } from '../../../config/tunables.js';
import { sequence, type RuleContext } from '../../../detect/spec.js';
import { appEntity, appKeyOf, appNameOf, entities, ipEntity, isSingleFactor, listSome, userEntity, userOf } from '../../lib.js';
import { defineRule } from '../../types.js';

const LEVELS = ['none', 'low', 'medium', 'high'];
const rank = (level: string | undefined): number => LEVELS.indexOf((level ?? '').toLowerCase());

/** Identity Protection already cleared these: an MFA self-remediation or an admin's dismissal. */
const CLEARED = new Set(['remediated', 'dismissed']);

interface Reasons {
  reasons: string[];
  level: string | undefined;
  confirmed: boolean;
  singleFactorPrivileged: boolean;
}

/** Why a sign-in (or an Identity Protection detection) makes the account suspect; empty when it doesn't. */
function reasonsOf(ev: Event, ctx: RuleContext, minRank: number, singleFactorPrivileged: boolean): Reasons {
  const out: Reasons = { reasons: [], level: undefined, confirmed: false, singleFactorPrivileged: false };
  if (ev.action === 'signin' && ev.outcome !== 'success') return out;
  const r = ev.risk;
  const state = r?.state?.toLowerCase();
  if (r && !CLEARED.has(state ?? '')) {
    const top = Math.max(rank(r.level), rank(r.aggregated));
    if (top >= minRank && top > 0) {
      out.level = LEVELS[top];
      const types = (r.types ?? []).filter((x) => x && x !== 'none');
      out.reasons.push(`${ev.action === 'risk.detection' ? 'Identity Protection detection' : 'sign-in risk'} ${out.level}${types.length ? ` (${listSome(types, 3)})` : ''}`);
    }
    if (state === 'confirmedcompromised') {
      out.confirmed = true;
      out.reasons.push('risk state confirmedCompromised');
    }
  }
  // break-glass accounts sign in with one factor by design; their risk still counts
  const u = ev.actor;
  if (singleFactorPrivileged && ev.action === 'signin' && isSingleFactor(ev) && ctx.enrich.isPrivileged(u.user, u.userId) && !ctx.enrich.isBreakGlass(u.user, u.userId)) {
    out.singleFactorPrivileged = true;
    out.reasons.push('single-factor sign-in by a privileged account');
  }
  return out;
}

export const riskySigninThenApp = defineRule({
  id: 'TW-APP-002',
  title: 'App registered after a risky sign-in by the same account',
  severity: 'high',
  tactics: ['persistence', 'initial-access'],
  techniques: ['T1136', 'T1136.003', 'T1078', 'T1078.004'],
  description:
    'An account signs in successfully with Identity Protection risk (medium or higher, or confirmed compromised), ' +
    'or with a single factor while holding a privileged role, and within the window the same account registers an ' +
    'application ("Add application") or adds a service principal ("Add service principal").',
  whyItMatters:
    'The 2022 OAuth spam campaign stuffed credentials until an administrator without MFA fell (86% of those admins ' +
    'carried a high real-time risk score), then used that session to register the app it ran the rest of the attack ' +
    'with. An app created from a suspect session is the step from a stolen password to an identity that survives ' +
    'the password reset.',
  falsePositives: [
    'An administrator on a new device, network or country triggers unfamiliar-sign-in risk and registers an app the ' +
      'same day. Check the app: single-tenant, a known owner, a change ticket; confirm the sign-in with the person.',
    'Privileged accounts still allowed to sign in with a password only (break-glass, legacy automation): move them to ' +
      'MFA or list break-glass accounts in allowlists.breakGlass; set singleFactorPrivileged: false only if single-factor ' +
      'admin sign-ins are already tracked elsewhere.',
  ],
  references: [
    'https://www.microsoft.com/en-us/security/blog/2022/09/22/malicious-oauth-applications-used-to-compromise-email-servers-and-spread-spam/',
    'https://attack.mitre.org/techniques/T1136/003/',
  ],
  status: 'stable',
  inputs: {
    facts: ['directory.audit'],
    anyOf: [['risk', 'mfa.detail']],
    sources: ['entra.signin', 'entra.signin.noninteractive', 'entra.risk', 'entra.audit', 'ual'],
    privileged: 'single-factor sign-ins of privileged accounts as the risky sign-in',
  },
  tunables: {
    within: { type: 'duration', default: DAY, min: 10 * MINUTE, max: 14 * DAY, help: 'from the risky sign-in to the app registration' },
    minRiskLevel: { type: 'string', default: 'medium', values: ['low', 'medium', 'high'], help: 'lowest sign-in / detection risk level that counts' },
    singleFactorPrivileged: { type: 'boolean', default: true, help: 'count a single-factor sign-in by a privileged account as risky' },
  },
  suppressMs: DAY,
  detect: (t) => {
    const minRank = rank(t.minRiskLevel);
    const risky = (ev: Event, ctx: RuleContext): boolean => reasonsOf(ev, ctx, minRank, t.singleFactorPrivileged).reasons.length > 0;
    return sequence({
      steps: [
        {
          name: 'risky sign-in',
          on: { actions: ['signin', 'risk.detection'], sources: ['entra.signin', 'entra.signin.noninteractive', 'entra.risk'], where: risky },
          key: (ev) => (ev.actor.kind === 'user' ? userOf(ev) : undefined),
        },
        {
          name: 'app registered',
          on: {
            actions: ['app.create', 'sp.create'],
            sources: ['entra.audit', 'ual'],
            where: (ev, ctx) => ev.outcome === 'success' && ev.actor.kind === 'user' && !ctx.enrich.isCollectorApp(appKeyOf(ev)),
          },
          key: userOf,
        },
      ],
      withinMs: t.within,
      alert: (m, ctx) => {
        const signin = m.steps[0]!.event;
        const created = m.steps[1]!.event;
        const why = reasonsOf(signin, ctx, minRank, t.singleFactorPrivileged);
        const appId = appKeyOf(created);
        const name = appNameOf(created);
        const what = created.action === 'app.create' ? 'registered application' : 'added service principal';
        const critical = why.level === 'high' || why.confirmed || (why.singleFactorPrivileged && why.level !== undefined);
        const explanation =
          `${m.key} was flagged at ${iso(signin.time)}${signin.actor.ip ? ` from ${signin.actor.ip}` : ''}: ${listSome(why.reasons)}` +
          `${signin.auth?.requirement && !why.singleFactorPrivileged ? ` (authentication: ${signin.auth.requirement} factor)` : ''}. ` +
          `${humanDuration(Math.max(m.elapsedMs, 1000))} later the same account ${what} ${name ? `"${name}" ` : ''}${appId ? `(${appId}) ` : ''}` +
          `(window ${humanDuration(m.withinMs)}).`;
        return {
          title: `${m.key} ${what} ${name ?? appId ?? ''} after a risky sign-in`.replace(/\s+/g, ' ').trim(),
          severity: critical ? 'critical' : 'high',
          entities: entities(
            userEntity(created, 'actor'),
            appId ? appEntity(appId, { name, spId: created.targets.find((x) => x.type === 'servicePrincipal')?.id }) : undefined,
            ipEntity(signin.actor.ip),
            created.actor.ip !== signin.actor.ip ? ipEntity(created.actor.ip) : undefined,
          ),
          explanation,
          facts: {
            reasons: why.reasons,
            riskLevel: why.level ?? 'none',
            singleFactorPrivileged: why.singleFactorPrivileged,
            minutesBetween: Math.round(m.elapsedMs / 600) / 100,
            windowHours: m.withinMs / HOUR,
            signinIp: signin.actor.ip ?? '',
            created: created.operation,
            ...(appId ? { appId } : {}),
          },
        };
      },
    });
  },
});
