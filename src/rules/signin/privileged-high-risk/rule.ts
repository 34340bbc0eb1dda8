// TW-SIGNIN-007: Identity Protection rates a privileged account, or one of its sign-ins, at high risk.
import { DAY } from '../../../config/tunables.js';
import type { Event } from '../../../core/event.js';
import { match } from '../../../detect/spec.js';
import { entities, ipEntity, listSome, userOf } from '../../lib.js';
import { defineRule } from '../../types.js';
import { ENTRA_USER_SIGNINS, appOf, privilegeText, signinSummary } from '../shared/attempts.js';

/** Risk states that close the case: an admin or Identity Protection already dealt with it. */
const CLOSED = new Set(['dismissed', 'remediated', 'confirmedsafe']);

/** The account a risk event is about: the sign-in's / detection's user, or the risky user's target. */
function subject(ev: Event): { user?: string; userId?: string } {
  if (ev.action === 'risk.user') {
    const t = ev.targets.find((x) => x.type === 'user');
    return { user: t?.name?.includes('@') ? t.name.toLowerCase() : undefined, userId: t?.id?.toLowerCase() };
  }
  return { user: ev.actor.user, userId: ev.actor.userId };
}

const isHigh = (v: string | undefined): boolean => v?.toLowerCase() === 'high';

export const privilegedHighRisk = defineRule({
  id: 'TW-SIGNIN-007',
  title: 'Privileged account at high risk (Identity Protection)',
  severity: 'high',
  tactics: ['initial-access', 'credential-access'],
  techniques: ['T1078', 'T1078.004', 'T1110'],
  description:
    'Microsoft Entra ID Protection rates a privileged account high risk (riskyUser), raises a high-risk detection for ' +
    'it (leaked credentials, password spray, anomalous token, unfamiliar sign-in...), or rates one of its sign-ins ' +
    'high risk (riskLevelDuringSignIn / riskLevelAggregated). Risks already dismissed or remediated are skipped.',
  whyItMatters:
    "Microsoft reported that 86% of the tenants compromised in the 2022 OAuth spam campaign had an administrator with a " +
    'real-time high-risk score: Identity Protection saw it, nobody acted. A high-risk administrator sign-in that ' +
    'succeeded is an attacker with tenant-wide power until proven otherwise.',
  falsePositives: [
    'An administrator travelling or on a new VPN (unfamiliar features, atypical travel): confirm with the person, ' +
      'then dismiss the risk in Entra ID Protection (later events with riskState dismissed are skipped).',
    'Leaked-credential detections for an old password that was already changed: confirm the change date and dismiss.',
  ],
  references: ['https://learn.microsoft.com/entra/id-protection/concept-identity-protection-risks'],
  status: 'experimental',
  inputs: { facts: ['risk'], sources: ['entra.risk', 'entra.signin', 'entra.signin.noninteractive'], privileged: 'all' },
  tunables: {},
  suppressMs: DAY,
  detect: () =>
    match({
      on: {
        actions: ['signin', 'risk.detection', 'risk.user'],
        sources: [...ENTRA_USER_SIGNINS, 'entra.risk'],
        where: (ev, ctx) => {
          if (ev.actor.kind === 'app') return false;
          const r = ev.risk;
          if (!r || !(isHigh(r.level) || isHigh(r.aggregated))) return false;
          if (r.state && CLOSED.has(r.state.toLowerCase())) return false;
          const s = subject(ev);
          return (s.user !== undefined || s.userId !== undefined) && ctx.enrich.isPrivileged(s.user, s.userId);
        },
      },
      key: (ev) => {
        const s = subject(ev);
        return s.user ?? s.userId;
      },
      alert: (m, ctx) => {
        const ev = m.event;
        const s = subject(ev);
        const r = ev.risk!;
        const types = r.types ?? [];
        const state = r.state ?? 'unknown';
        const what =
          ev.action === 'risk.user'
            ? `Identity Protection rates ${m.key} high risk (risky user, state ${state}${r.detail && r.detail !== 'none' ? `, ${r.detail}` : ''})`
            : ev.action === 'risk.detection'
              ? `Identity Protection raised a high-risk detection for ${m.key}: ${listSome(types) || 'unnamed'} (state ${state})`
              : `${m.key} ${ev.outcome === 'success' ? 'signed in' : `tried to sign in (${ev.reason?.code ?? ev.outcome})`} with a high sign-in risk ` +
                `(during sign-in ${r.level ?? 'unknown'}, aggregated ${r.aggregated ?? 'unknown'}${types.length ? `; ${listSome(types)}` : ''})` +
                `${appOf(ev) ? ` to ${appOf(ev)}` : ''}`;
        const explanation =
          `${what}${ev.actor.ip ? ` from ${ev.actor.ip}` : ''} at ${new Date(ev.time).toISOString()}. The account is ` +
          `${privilegeText(ctx, s.user, s.userId)}.` +
          (ev.action === 'signin' && ev.outcome === 'success' ? ' The risky sign-in succeeded.' : '');
        const compromised = state.toLowerCase() === 'confirmedcompromised';
        return {
          title: `High-risk ${ev.action === 'signin' ? 'sign-in' : 'rating'} for privileged account ${m.key}`,
          severity: compromised || (ev.action === 'signin' && ev.outcome === 'success') ? 'critical' : 'high',
          entities: entities(
            { type: 'user', id: m.key, role: ev.action === 'risk.user' ? 'target' : 'actor', ...(s.userId && s.userId !== m.key ? { aliases: [s.userId] } : {}) },
            ipEntity(ev.actor.ip),
          ),
          explanation,
          facts: {
            account: m.key,
            riskLevel: r.level ?? r.aggregated ?? 'unknown',
            riskState: state,
            riskTypes: types,
            kind: ev.action === 'risk.user' ? 'riskyUser' : ev.action === 'risk.detection' ? 'riskDetection' : 'signIn',
            signedIn: ev.action === 'signin' && ev.outcome === 'success',
          },
        };
      },
    }),
  summarize: (ev) =>
    ev.action === 'signin'
      ? signinSummary(ev) + ` [risk ${ev.risk?.level ?? '?'}/${ev.risk?.aggregated ?? '?'}]`
      : `${ev.operation}: ${userOf(ev) ?? subject(ev).user ?? '?'} risk ${ev.risk?.level ?? '?'} (${ev.risk?.types?.join(', ') ?? ev.risk?.state ?? ''})`,
});
