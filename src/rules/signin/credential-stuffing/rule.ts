// TW-SIGNIN-001: many distinct accounts failing from one source, a few tries each (stuffing / spraying).
import { HOUR, MINUTE, humanDuration } from '../../../config/tunables.js';
import { threshold } from '../../../detect/spec.js';
import { entities, ipEntity, ipKey, listSome, plural } from '../../lib.js';
import { defineRule } from '../../types.js';
import { UAL_TUNABLE, attemptKey, signinSources } from '../shared/attempts.js';

/** Bad password, unknown user, locked, expired password, no password, disabled account. */
const DEFAULT_CODES = ['50126', '50034', '50053', '50055', '50056', '50057'];

export const credentialStuffing = defineRule({
  id: 'TW-SIGNIN-001',
  title: 'Credential stuffing or password spraying from one source',
  severity: 'medium',
  tactics: ['credential-access'],
  techniques: ['T1110', 'T1110.003', 'T1110.004'],
  description:
    'One IP address (one IPv6 /64) fails to sign in to many distinct accounts within a short window, with only a ' +
    'few tries per account, with bad-password / unknown-user / locked / disabled result codes.',
  whyItMatters:
    'This is how the 2022 OAuth spam campaign got in: credential stuffing against accounts without MFA until an ' +
    'administrator fell. Few tries per account is what separates stuffing and spraying (many accounts, a password ' +
    'or two each) from one user mistyping; a targeted privileged account raises the severity.',
  falsePositives: [
    'A shared egress IP (office NAT, VPN, secure web gateway) where many users mistype at once, e.g. after a ' +
      'password-policy change: add the range to allowlists.trustedIps or the ASN to allowlists.vpnAsns.',
    'A misconfigured service or scanner replaying stale credentials for many accounts: fix the service or raise ' +
      'minAccounts for the tenant.',
    'A migration tool testing mailbox passwords in bulk.',
  ],
  references: [
    'https://attack.mitre.org/techniques/T1110/004/',
    'https://learn.microsoft.com/entra/identity-platform/reference-error-codes',
  ],
  status: 'stable',
  inputs: { facts: ['signin.failures', 'ip'], sources: ['entra.signin', 'entra.signin.noninteractive', 'ual'] },
  tunables: {
    window: { type: 'duration', default: 20 * MINUTE, min: MINUTE, max: 24 * HOUR, help: 'sliding window for counting accounts' },
    minAccounts: { type: 'integer', default: 10, min: 2, help: 'distinct accounts failing from one source to fire' },
    maxTriesPerAccount: { type: 'number', default: 3, min: 1, help: 'average failed tries per account at most this (more is brute force on few accounts)' },
    codes: { type: 'string[]', default: DEFAULT_CODES, help: 'sign-in result codes that count as a failed credential' },
    ual: UAL_TUNABLE,
  },
  suppressMs: HOUR,
  detect: (t) => {
    const codes = new Set(t.codes);
    return threshold({
      // UAL UserLoginFailed repeats what the sign-in logs say: tries are counted as distinct attempts (user, source,
      // second, code), so an attempt in both logs counts once (src/rules/signin/shared/README.md)
      on: {
        actions: ['signin'],
        sources: signinSources(t.ual),
        where: (ev, ctx) =>
          ev.outcome !== 'success' && ev.reason !== undefined && codes.has(ev.reason.code) &&
          !ctx.enrich.isTrustedIp(ev.actor.ip) && !ctx.enrich.isVpnAsn(ev.actor.asn),
      },
      key: (ev) => ipKey(ev.actor.ip),
      distinct: (ev) => ev.actor.user ?? ev.actor.userId?.toLowerCase(),
      windowMs: t.window,
      min: t.minAccounts,
      dims: { attempts: (ev) => attemptKey(ev) },
      condition: (m) => m.dims.attempts! / m.distinct <= t.maxTriesPerAccount,
      // every later failure while the window qualifies fires again and folds into the open alert: its numbers grow
      // to the campaign's totals, and a privileged account tried later raises it to high at once
      consume: false,
      alert: (m, ctx) => {
        // the window lists its first 50 accounts; the account just tried counts too
        const tried = m.event.actor.user ?? m.event.actor.userId?.toLowerCase();
        const privileged = [...new Set([...m.values, ...(tried ? [tried] : [])])].filter((u) => ctx.enrich.isPrivileged(u));
        const ip = m.event.actor.ip;
        const attempts = m.dims.attempts!.distinct;
        const perAccount = Math.round((attempts / m.distinct) * 10) / 10;
        const span = m.event.time - m.firstTime;
        let explanation =
          `${plural(m.distinct, 'distinct account')} failed to sign in from ${m.key} within ${humanDuration(Math.max(span, 1000))} ` +
          `(${plural(attempts, 'attempt')}, ${perAccount} per account; threshold ${t.minAccounts} accounts in ${humanDuration(t.window)}, ` +
          `at most ${t.maxTriesPerAccount} tries each). Accounts: ${listSome(m.values)}.`;
        if (privileged.length) explanation += ` Privileged accounts targeted: ${listSome(privileged)}.`;
        return {
          title: `Credential stuffing from ${m.key} against ${plural(m.distinct, 'account')}`,
          severity: privileged.length ? 'high' : 'medium',
          entities: entities(
            ipEntity(ip),
            ...m.values.slice(0, 20).map((u) => ({ type: 'user' as const, id: u, role: 'target' as const })),
          ),
          explanation,
          facts: {
            distinctAccounts: m.distinct,
            attempts,
            triesPerAccount: perAccount,
            windowMinutes: t.window / MINUTE,
            spanMinutes: Math.round(span / 600) / 100,
            privilegedTargets: privileged,
          },
        };
      },
    });
  },
  summarize: (ev) =>
    `sign-in ${ev.reason?.code ?? ev.outcome} for ${ev.actor.user ?? ev.actor.userId ?? '?'} from ${ev.actor.ip ?? '?'}` +
    (ev.actor.appName ? ` to ${ev.actor.appName}` : ''),
});
