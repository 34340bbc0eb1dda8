// TW-SIGNIN-004: a source that failed against several accounts signs one in (or proves its password): the
// credential-stuffing / spraying campaign's step 2, the attacker gets in.
import { HOUR, MINUTE, humanDuration } from '../../../config/tunables.js';
import { threshold, type WindowView } from '../../../detect/spec.js';
import { asnEntity, entities, ipEntity, ipKey, listSome, plural, userEntity, userOf } from '../../lib.js';
import { defineRule } from '../../types.js';
import {
  FAILED_CREDENTIAL_CODES, UAL_TUNABLE, allowlisted, appOf, asnOf, attemptKey, credentialWorked, failedCredential,
  isUserSignin, passwordProved, privilegeText, round1, signinSources, signinSummary,
} from '../shared/attempts.js';

/** Failed accounts that never signed in from this source in the window (a user's own typo is explained). */
function unexplained(view: WindowView): number {
  // |failed| - |failed ∩ ok|, walking the smaller side (a stuffing source has few successes, an office few failures)
  const failed = view.size('failed'), ok = view.size('ok');
  let both = 0;
  if (ok < failed) {
    for (const u of view.values('ok')) if (view.count('failed', u) > 0) both++;
  } else for (const u of view.values('failed')) if (view.count('ok', u) > 0) both++;
  return failed - both;
}

/** Accounts for which the credential worked from this source (signed in or proven). */
function working(view: WindowView): Set<string> {
  return new Set([...view.values('ok'), ...view.values('proved')]);
}

export const successFromStuffingSource = defineRule({
  id: 'TW-SIGNIN-004',
  title: 'Sign-in from a credential-stuffing source',
  severity: 'high',
  tactics: ['credential-access', 'initial-access'],
  techniques: ['T1110', 'T1110.003', 'T1110.004', 'T1078', 'T1078.004'],
  description:
    'A source (IP address, IPv6 /64) that failed to sign in to several accounts signs an account in, or proves an ' +
    "account's password (MFA / Conditional Access interrupt), within the window. Accounts whose own successes " +
    'explain their failures from the source (typos behind a shared address) are not counted, and a source where ' +
    'working credentials are common (an office) is left out.',
  whyItMatters:
    'Credential stuffing and spraying are noise until one credential works. The success (or the interrupt that ' +
    'proves the password when MFA stops the attacker) is the moment the campaign gets in: in the 2022 OAuth spam ' +
    'campaign the next steps were app registration and consent by the compromised administrator.',
  falsePositives: [
    'An office or VPN egress address where several users mistype and a colleague who did not fail signs in: the ' +
      'working-credential share keeps busy offices out (maxWorkingShare); add the range to allowlists.trustedIps.',
    'A password-manager or migration tool testing many stored credentials from one host, some of them valid.',
  ],
  references: [
    'https://attack.mitre.org/techniques/T1110/004/',
    'https://attack.mitre.org/techniques/T1078/004/',
  ],
  status: 'experimental',
  inputs: { facts: ['signin.failures', 'ip'], sources: ['entra.signin', 'entra.signin.noninteractive', 'ual'] },
  tunables: {
    window: { type: 'duration', default: 2 * HOUR, min: 10 * MINUTE, max: 48 * HOUR, help: 'failures and the success must fall within this window' },
    minAccounts: { type: 'integer', default: 5, min: 2, help: 'distinct accounts that failed from the source (and did not sign in from it)' },
    maxWorkingShare: { type: 'number', default: 0.34, min: 0, max: 1, help: 'at most this share of the accounts seen from the source had a working credential' },
    codes: { type: 'string[]', default: FAILED_CREDENTIAL_CODES, help: 'sign-in result codes that count as a failed credential' },
    ual: UAL_TUNABLE,
  },
  suppressMs: 6 * HOUR,
  detect: (t) => {
    const codes = new Set(t.codes);
    const failed = (ev: Parameters<typeof failedCredential>[0]) => failedCredential(ev, codes);
    return threshold({
      on: {
        actions: ['signin'],
        sources: signinSources(t.ual),
        where: (ev, ctx) => isUserSignin(ev) && !allowlisted(ev, ctx) && ev.actor.ip !== undefined && (failed(ev) || credentialWorked(ev)),
      },
      key: (ev) => ipKey(ev.actor.ip),
      // every failure; a working credential once per account (enough to count accounts and to fire)
      admit: (ev, view) => {
        if (failed(ev)) return true;
        const u = userOf(ev)!;
        return ev.outcome === 'success' ? view.count('ok', u) === 0 : view.count('proved', u) === 0 && view.count('ok', u) === 0;
      },
      dims: {
        failed: (ev) => (failed(ev) ? userOf(ev) : undefined),
        attempts: (ev) => (failed(ev) ? attemptKey(ev) : undefined),
        ok: (ev) => (ev.outcome === 'success' ? userOf(ev) : undefined),
        proved: (ev) => (passwordProved(ev) ? userOf(ev) : undefined),
        // accounts with a working credential (ok ∪ proved) and every account seen, for the O(1) share test
        worked: (ev) => (credentialWorked(ev) ? userOf(ev) : undefined),
        seen: (ev) => userOf(ev),
      },
      metric: 'failed',
      windowMs: t.window,
      min: t.minAccounts,
      // keep the window after a hit: later hits from the source fold into the alert (and escalate it)
      consume: false,
      condition: (m) => {
        if (!credentialWorked(m.event) || failed(m.event)) return false;
        if (m.dims.worked! / m.dims.seen! > t.maxWorkingShare) return false;
        return unexplained(m.view) >= t.minAccounts;
      },
      alert: (m, ctx) => {
        const ev = m.event;
        const user = userOf(ev)!;
        const view = m.view;
        const failedAccounts = [...view.values('failed')];
        const work = [...working(view)];
        const failedBefore = view.count('failed', user) > 0;
        const signedIn = ev.outcome === 'success';
        const privileged = ctx.enrich.isPrivileged(user, ev.actor.userId);
        const span = ev.time - m.firstTime;
        const attempts = m.dims.attempts!.distinct;
        let explanation =
          `${user} ${signedIn ? 'signed in' : `proved its password (${ev.reason?.code ?? ev.outcome}: ${ev.reason?.text ?? 'interrupted'})`} from ${ev.actor.ip}${ev.actor.ip !== m.key ? ` (${m.key})` : ''}` +
          `${appOf(ev) ? ` to ${appOf(ev)}` : ''}, a source that failed to sign in to ${plural(failedAccounts.length, 'account')} ` +
          `(${plural(attempts, 'attempt')}, ${round1(attempts / Math.max(1, failedAccounts.length))} per account) within ` +
          `${humanDuration(Math.max(span, 1000))} (threshold ${t.minAccounts} accounts in ${humanDuration(t.window)}, at most ` +
          `${Math.round(t.maxWorkingShare * 100)}% of them working). Failed accounts: ${listSome(failedAccounts)}.` +
          // (this window is the source's: failures of the account from other addresses of the same campaign are not in it)
          (failedBefore ? ` ${user} itself failed from this source before.` : ` ${user} had not failed from this source: the credential worked there on its first try (failures from other addresses are not counted here).`);
        if (work.length > 1) explanation += ` Credentials worked from this source for ${plural(work.length, 'account')}: ${listSome(work)}.`;
        if (signedIn && ev.auth?.requirement === 'single') explanation += ' The sign-in was single-factor.';
        if (privileged) explanation += ` ${user} is ${privilegeText(ctx, user, ev.actor.userId)}.`;
        return {
          title: `${user} ${signedIn ? 'signed in' : 'proved its password'} from credential-stuffing source ${m.key}`,
          severity: privileged ? 'critical' : 'high',
          entities: entities(
            userEntity(ev, 'target'),
            ipEntity(ev.actor.ip),
            asnEntity(asnOf(ev, ctx)),
            ev.actor.appId ? { type: 'app' as const, id: ev.actor.appId, display: ev.actor.appName, role: 'target' as const } : undefined,
            ...failedAccounts.filter((u) => u !== user).slice(0, 10).map((u) => ({ type: 'user' as const, id: u, role: 'target' as const })),
          ),
          explanation,
          facts: {
            account: user,
            signedIn,
            passwordProven: !signedIn,
            failedAccounts: failedAccounts.length,
            attempts,
            accountFailedBefore: failedBefore,
            workingAccounts: work,
            windowMinutes: t.window / MINUTE,
            spanMinutes: Math.round(span / MINUTE),
            singleFactor: signedIn && ev.auth?.requirement === 'single',
            privileged,
          },
        };
      },
    });
  },
  summarize: signinSummary,
});
