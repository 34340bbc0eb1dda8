// TW-SIGNIN-003: many failed credentials for one account within a window, from any number of sources; reports
// whether the password then worked (a success, or an MFA / CA interrupt that proves it).
import { HOUR, MINUTE, humanDuration } from '../../../config/tunables.js';
import { threshold } from '../../../detect/spec.js';
import { entities, ipEntity, ipKey, listSome, plural, userEntity, userOf } from '../../lib.js';
import { defineRule } from '../../types.js';
import {
  FAILED_CREDENTIAL_CODES, UAL_TUNABLE, allowlisted, appOf, asnOf, attemptKey, credentialWorked, failedCredential,
  isUserSignin, passwordProved, privilegeText, signinSources, signinSummary,
} from '../shared/attempts.js';

export const bruteForceAccount = defineRule({
  id: 'TW-SIGNIN-003',
  title: 'Brute force against one account',
  severity: 'medium',
  tactics: ['credential-access'],
  techniques: ['T1110', 'T1110.001'],
  description:
    'One account fails to sign in many times within a window with bad-password / lockout codes, from two or more ' +
    'sources, or from one source at a rate no stale device reaches. Failures from a source the account had already ' +
    'signed in from in the window (its own devices) do not count. Says whether the password then worked.',
  whyItMatters:
    'Password guessing against a chosen account (an administrator, an executive) ends when a guess works: a success, ' +
    'or an MFA / Conditional Access interrupt that proves the guessed password. Distributed guessing from many ' +
    'addresses stays under per-IP limits and spreads the smart-lockout counter.',
  falsePositives: [
    'A phone or mail client retrying an old password after a password change: one source, one client, usually ' +
      '50126 then 50053 (locked). It stays under singleSourceMin unless it retries faster than about once a minute; ' +
      'when the account also signs in from the same network (home, office) those failures are its own and do not count.',
    'A service account whose password was rotated while a scheduled job still uses the old one: fix the job; the ' +
      'alert names the source and client app.',
    'A user behind several egress addresses (SASE, mobile roaming) locked out by a stale device: add the ' +
      'provider ASN to allowlists.vpnAsns.',
  ],
  references: ['https://attack.mitre.org/techniques/T1110/001/'],
  status: 'experimental',
  inputs: { facts: ['signin.failures', 'ip'], sources: ['entra.signin', 'entra.signin.noninteractive', 'ual'] },
  tunables: {
    window: { type: 'duration', default: HOUR, min: 5 * MINUTE, max: 24 * HOUR, help: 'sliding window for counting failed attempts' },
    minAttempts: { type: 'integer', default: 20, min: 3, help: 'failed attempts for one account (from sources other than its own) to fire' },
    minSources: { type: 'integer', default: 2, min: 1, help: 'distinct failing source IPs (IPv6 /64) needed, unless singleSourceMin is reached' },
    singleSourceMin: { type: 'integer', default: 100, min: 3, help: 'attempts within the window that fire even from fewer than minSources sources' },
    codes: { type: 'string[]', default: FAILED_CREDENTIAL_CODES, help: 'sign-in result codes that count as a failed credential' },
    ual: UAL_TUNABLE,
  },
  suppressMs: 6 * HOUR,
  detect: (t) => {
    const codes = new Set(t.codes);
    const failed = (ev: Parameters<typeof failedCredential>[0]) => failedCredential(ev, codes);
    const src = (ev: Parameters<typeof failedCredential>[0]) => ipKey(ev.actor.ip) ?? '?';
    return threshold({
      on: {
        actions: ['signin'],
        sources: signinSources(t.ual),
        where: (ev, ctx) => isUserSignin(ev) && !allowlisted(ev, ctx) && (failed(ev) || credentialWorked(ev)),
      },
      key: (ev) => userOf(ev),
      // every failure; a success only the first time per source (it marks the account's own sources); a proven
      // password only once failures are under way (an MFA prompt of a normal sign-in is not news)
      admit: (ev, view) =>
        failed(ev) ||
        (ev.outcome === 'success' ? view.count('ownSource', src(ev)) === 0 : view.size('attempts') > 0 && view.count('proved', src(ev)) === 0),
      dims: {
        attempts: (ev, _ctx, before) => (failed(ev) && before.count('ownSource', src(ev)) === 0 ? attemptKey(ev) : undefined),
        ownDevice: (ev, _ctx, before) => (failed(ev) && before.count('ownSource', src(ev)) > 0 ? attemptKey(ev) : undefined),
        sources: (ev, _ctx, before) => (failed(ev) && before.count('ownSource', src(ev)) === 0 ? src(ev) : undefined),
        asns: (ev, ctx) => {
          const asn = failed(ev) ? asnOf(ev, ctx) : undefined;
          return asn === undefined ? undefined : `AS${asn}`;
        },
        apps: (ev) => (failed(ev) ? appOf(ev) : undefined),
        codes: (ev) => (failed(ev) ? ev.reason?.code : undefined),
        ownSource: (ev) => (ev.outcome === 'success' ? src(ev) : undefined),
        // the password worked from a failing source once the guessing had started (the guesser's own success or
        // proof); a success from elsewhere is most likely the owner and is only listed
        signedIn: (ev, _ctx, before) => (ev.outcome === 'success' && before.count('sources', src(ev)) > 0 ? src(ev) : undefined),
        proved: (ev, _ctx, before) => (passwordProved(ev) && before.count('sources', src(ev)) > 0 ? src(ev) : undefined),
        otherSignIns: (ev, _ctx, before) => (ev.outcome === 'success' && before.size('attempts') > 0 && before.count('sources', src(ev)) === 0 ? src(ev) : undefined),
      },
      metric: 'attempts',
      // keep counting after the crossing: a password that works later escalates the open alert
      consume: false,
      windowMs: t.window,
      min: t.minAttempts,
      condition: (m) => m.dims.sources! >= t.minSources || m.dims.attempts! >= t.singleSourceMin,
      alert: (m, ctx) => {
        const ev = m.event;
        const user = m.key;
        const attempts = m.dims.attempts!.distinct;
        const sources = m.dims.sources!.values;
        const signedIn = m.dims.signedIn!.values;
        const proved = m.dims.proved!.values;
        const worked = signedIn.length > 0 || proved.length > 0;
        const other = m.dims.otherSignIns!.values;
        const privileged = ctx.enrich.isPrivileged(user, ev.actor.userId);
        const span = ev.time - m.firstTime;
        let explanation =
          `${user} failed to sign in ${plural(attempts, 'time')} within ${humanDuration(Math.max(span, 1000))} from ` +
          `${plural(sources.length, 'source')} (${listSome(sources)}${m.dims.asns!.distinct ? `; ${listSome(m.dims.asns!.values)}` : ''}) ` +
          `with codes ${listSome(m.dims.codes!.values)} (threshold ${t.minAttempts} attempts in ${humanDuration(t.window)} from ` +
          `${t.minSources}+ sources, or ${t.singleSourceMin} from one).`;
        const own = m.dims.ownDevice!.distinct;
        if (own) explanation += ` ${plural(own, 'more failure')} came from sources the account had signed in from (${listSome(m.dims.ownSource!.values)}) and were not counted.`;
        if (worked) {
          explanation += ' The password then worked:';
          if (signedIn.length) explanation += ` signed in from ${listSome(signedIn)}.`;
          if (proved.length) explanation += ` proven by an MFA / Conditional Access interrupt from ${listSome(proved)}.`;
        } else explanation += ' No success or proven password followed from a failing source in the window.';
        if (other.length) explanation += ` The account also signed in from ${listSome(other)}, not among the failing sources (its owner?).`;
        if (privileged) explanation += ` The account is ${privilegeText(ctx, user, ev.actor.userId)}.`;
        return {
          title: `Brute force against ${user}: ${plural(attempts, 'failed attempt')} from ${plural(sources.length, 'source')}` + (worked ? '; the password worked' : ''),
          severity: privileged && worked ? 'critical' : privileged || worked ? 'high' : 'medium',
          entities: entities(
            userEntity(ev, 'target') ?? { type: 'user', id: user, role: 'target' },
            ...sources.slice(0, 10).map((ip) => ipEntity(ip)),
            ...m.dims.asns!.values.slice(0, 5).map((a) => ({ type: 'asn' as const, id: a, role: 'source' as const })),
          ),
          explanation,
          facts: {
            attempts,
            distinctSources: sources.length,
            ownDeviceFailures: own,
            codes: m.dims.codes!.values,
            apps: m.dims.apps!.values.slice(0, 10),
            windowMinutes: t.window / MINUTE,
            spanMinutes: Math.round(span / MINUTE),
            passwordWorked: worked,
            signedInFrom: signedIn,
            passwordProvenFrom: proved,
            otherSignInsFrom: other,
            privileged,
          },
        };
      },
    });
  },
  summarize: signinSummary,
});
