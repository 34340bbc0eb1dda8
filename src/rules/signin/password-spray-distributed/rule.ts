// TW-SIGNIN-002: a low-and-slow password spray spread over many sources: many accounts fail a few times each,
// from many IPs / ASNs, over hours, per tenant (or per resource). Reports accounts whose password was proven.
import { HOUR, MINUTE, humanDuration } from '../../../config/tunables.js';
import type { Event } from '../../../core/event.js';
import { threshold, type WindowView } from '../../../detect/spec.js';
import { entities, ipKey, listSome, plural, userOf } from '../../lib.js';
import { defineRule } from '../../types.js';
import {
  FAILED_CREDENTIAL_CODES, UAL_TUNABLE, allowlisted, appOf, asnOf, attemptKey, credentialWorked, failedCredential,
  isUserSignin, passwordProved, round1, signinSources, signinSummary,
} from '../shared/attempts.js';

/** Per account: whether every source it failed from later signed it in (a typo, a reset, its own device). */
interface Tally {
  /** accounts with at least one failing source that never signed it in */
  open: Set<string>;
  /** accounts whose every failing source also signed it in: left out of the count */
  explained: Set<string>;
  /** sources of the open accounts' unexplained failures */
  sources: Set<string>;
}

const isSuccess = (ev: Event): boolean => ev.outcome === 'success';

/** "user|source" (IPv6 by /64). */
const pairOf = (ev: Event): string => `${userOf(ev)}|${ipKey(ev.actor.ip) ?? '?'}`;

/** A failing pair is explained by a success of the same pair (outcome success only, not an interrupt). */
function tally(view: WindowView): Tally {
  const open = new Set<string>(), seen = new Set<string>(), sources = new Set<string>();
  for (const pair of view.values('failPair')) {
    const bar = pair.indexOf('|');
    const user = pair.slice(0, bar);
    seen.add(user);
    if (view.count('okPair', pair) === 0) {
      open.add(user);
      sources.add(pair.slice(bar + 1));
    }
  }
  const explained = new Set([...seen].filter((u) => !open.has(u)));
  return { open, explained, sources };
}

export const passwordSprayDistributed = defineRule({
  id: 'TW-SIGNIN-002',
  title: 'Distributed low-and-slow password spray',
  severity: 'medium',
  tactics: ['credential-access'],
  techniques: ['T1110', 'T1110.003', 'T1110.004'],
  description:
    'Within a window of hours, many accounts of one tenant (optionally: of one resource) fail to sign in with bad-password / ' +
    'unknown-user / lockout codes, a few tries each, from many source IPs. Accounts that later signed in from every ' +
    'source they failed from (typos, password resets, their own devices) are left out of the count. Says which ' +
    'targeted accounts then proved the password (MFA / Conditional Access interrupt) or signed in from a spraying source.',
  whyItMatters:
    'Spraying one or two common passwords across the whole directory through rotating residential proxies or cloud ' +
    'hosts stays under per-IP thresholds (TW-SIGNIN-001) and under smart lockout. It is how accounts without MFA ' +
    'are found before an administrator falls; a proven password on a targeted account is a compromised credential ' +
    'even when MFA stopped the sign-in.',
  falsePositives: [
    'Shared egress that rotates addresses per session (SASE / secure web gateway, carrier-grade NAT): users fail on one ' +
      'address and succeed on another, so their typos are not explained. Add the provider ASN to allowlists.vpnAsns or ' +
      'the ranges to allowlists.trustedIps.',
    'A tenant-wide password expiry or forced reset day: many users fail with old passwords on phones and laptops. The ' +
      'failures mostly come with 50055 (expired) and are followed by successes from the same sources; raise minAccounts ' +
      'for that day or check the successes listed in the alert.',
    'Large tenants where 20 unrelated typos within 4 hours are normal: raise minAccounts or shorten window for the tenant.',
  ],
  references: [
    'https://attack.mitre.org/techniques/T1110/003/',
    'https://learn.microsoft.com/entra/identity-platform/reference-error-codes',
  ],
  status: 'experimental',
  inputs: { facts: ['signin.failures', 'ip'], sources: ['entra.signin', 'entra.signin.noninteractive', 'ual'] },
  tunables: {
    window: { type: 'duration', default: 4 * HOUR, min: 10 * MINUTE, max: 48 * HOUR, help: 'sliding window for counting accounts and sources' },
    minAccounts: { type: 'integer', default: 20, min: 3, help: 'distinct accounts with unexplained failures to fire' },
    minSources: { type: 'integer', default: 5, min: 2, help: 'distinct source IPs (IPv6 /64) among those failures' },
    maxTriesPerAccount: { type: 'number', default: 5, min: 1, help: 'average failed attempts per account at most this (more is brute force: TW-SIGNIN-003)' },
    per: { type: 'string', default: 'tenant', values: ['tenant', 'resource'], help: 'count per tenant, or per tenant and resource signed in to' },
    codes: { type: 'string[]', default: FAILED_CREDENTIAL_CODES, help: 'sign-in result codes that count as a failed credential' },
    ual: UAL_TUNABLE,
  },
  suppressMs: 12 * HOUR,
  detect: (t) => {
    const codes = new Set(t.codes);
    const failed = (ev: Parameters<typeof failedCredential>[0]) => failedCredential(ev, codes);
    return threshold({
      on: {
        actions: ['signin'],
        sources: signinSources(t.ual),
        where: (ev, ctx) => isUserSignin(ev) && !allowlisted(ev, ctx) && (failedCredential(ev, codes) || credentialWorked(ev)),
      },
      key: (ev) => (t.per === 'resource' ? (ev.auth?.resourceId ?? ev.auth?.resource ?? ev.actor.appId ?? 'unknown-resource') : 'tenant'),
      // successes and proven passwords only for accounts already targeted, or from sources already failing, in the
      // window (a one-password spray hits an account on its first and only try): a tenant's normal sign-ins never
      // enter the state; and each (account, source) pair only once (a user's hourly token refreshes add nothing)
      admit: (ev, view) => {
        if (failed(ev)) return true;
        if (view.count('accounts', userOf(ev)!) === 0 && view.count('sources', ipKey(ev.actor.ip) ?? '?') === 0) return false;
        return view.count(ev.outcome === 'success' ? 'okPair' : 'proved', pairOf(ev)) === 0;
      },
      dims: {
        accounts: (ev) => (failed(ev) ? userOf(ev) : undefined),
        attempts: (ev) => (failed(ev) ? attemptKey(ev) : undefined),
        sources: (ev) => (failed(ev) ? ipKey(ev.actor.ip) : undefined),
        asns: (ev, ctx) => {
          const asn = failed(ev) ? asnOf(ev, ctx) : undefined;
          return asn === undefined ? undefined : `AS${asn}`;
        },
        apps: (ev) => (failed(ev) ? appOf(ev) : undefined),
        failPair: (ev) => (failed(ev) ? pairOf(ev) : undefined),
        okPair: (ev) => (ev.outcome === 'success' ? pairOf(ev) : undefined),
        proved: (ev) => (passwordProved(ev) ? pairOf(ev) : undefined),
      },
      metric: 'accounts',
      // keep counting after the crossing: a password that works later escalates the open alert
      consume: false,
      windowMs: t.window,
      // the full minAccounts is checked in the condition; half of it lets a working credential fire in a lull
      min: Math.ceil(t.minAccounts / 2),
      condition: (m) => {
        // only events that can change the verdict: a new account's first failure, or a working credential (the
        // tally below walks the window; repeats of known accounts would only repeat the answer)
        const ev = m.event;
        if (failed(ev) ? m.view.count('accounts', userOf(ev)!) !== 1 : !credentialWorked(ev)) return false;
        if (m.dims.sources! < t.minSources || m.dims.attempts! / m.dims.accounts! > t.maxTriesPerAccount) return false;
        const k = tally(m.view);
        if (k.sources.size < t.minSources) return false;
        if (failed(ev)) return k.open.size >= t.minAccounts;
        // a credential that works from a spraying source matters even when the spray is in a lull: half the
        // accounts are enough then (the window may hold fewer than minAccounts at 2 a.m.)
        const u = userOf(ev)!, src = ipKey(ev.actor.ip) ?? '?';
        const hit = !k.explained.has(u) && (k.sources.has(src) || (!isSuccess(ev) && k.open.has(u)));
        return hit && k.open.size >= Math.ceil(t.minAccounts / 2);
      },
      alert: (m, ctx) => {
        const view = m.view;
        const k = tally(view);
        const accounts = m.dims.accounts!.distinct;
        const attempts = m.dims.attempts!.distinct;
        // the password worked: proven by an interrupt for a targeted account or from a spraying source, or a
        // success from a spraying source. A spraying source is one with unexplained failures (not an office whose
        // typos were all followed by successes); accounts whose own successes explain their failures are left out.
        const proven = new Set<string>(), signedIn = new Set<string>();
        for (const pair of view.values('proved')) {
          const bar = pair.indexOf('|');
          const u = pair.slice(0, bar);
          if (!k.explained.has(u) && (k.open.has(u) || k.sources.has(pair.slice(bar + 1)))) proven.add(u);
        }
        for (const pair of view.values('okPair')) {
          const bar = pair.indexOf('|');
          const u = pair.slice(0, bar);
          if (!k.explained.has(u) && k.sources.has(pair.slice(bar + 1))) signedIn.add(u);
        }
        const worked = [...new Set([...signedIn, ...proven])];
        const targets = [...k.open];
        const privileged = targets.filter((u) => ctx.enrich.isPrivileged(u));
        const privWorked = worked.filter((u) => ctx.enrich.isPrivileged(u));
        const span = m.event.time - m.firstTime;
        const scope = m.key === 'tenant' ? 'the tenant' : `resource ${m.key}`;
        let explanation =
          `${plural(k.open.size, 'account')} of ${scope} failed to sign in from ${plural(k.sources.size, 'source')} ` +
          `(${plural(m.dims.sources!.distinct, 'IP address', 'IP addresses')}${m.dims.asns!.distinct ? ` and ${plural(m.dims.asns!.distinct, 'ASN')}` : ''} in all) within ` +
          `${humanDuration(Math.max(span, 1000))}: ${plural(attempts, 'attempt')}, ${round1(attempts / accounts)} per account ` +
          `(threshold ${t.minAccounts} accounts from ${t.minSources} sources in ${humanDuration(t.window)}, at most ` +
          `${t.maxTriesPerAccount} tries each${k.open.size < t.minAccounts ? `; a working credential lowers it to ${Math.ceil(t.minAccounts / 2)} accounts` : ''}). ` +
          `Accounts: ${listSome(targets)}. Sources: ${listSome(m.dims.sources!.values)}.`;
        if (k.explained.size) explanation += ` Left out: ${plural(k.explained.size, 'account')} that later signed in from every source they failed from (${listSome([...k.explained])}).`;
        if (worked.length) {
          explanation += ` The password worked for ${plural(worked.length, 'account')}: `;
          const parts = [];
          if (proven.size) parts.push(`proven by an MFA / Conditional Access interrupt for ${listSome([...proven])}`);
          if (signedIn.size) parts.push(`signed in from a spraying source: ${listSome([...signedIn])}`);
          explanation += parts.join('; ') + '.';
        } else explanation += ' No targeted account signed in or proved its password from these sources in the window.';
        if (privileged.length) explanation += ` Privileged accounts targeted: ${listSome(privileged)}.`;
        const severity = privWorked.length ? 'critical' : worked.length || privileged.length ? 'high' : 'medium';
        return {
          title: `Password spray against ${plural(k.open.size, 'account')} from ${plural(k.sources.size, 'source')}` + (worked.length ? `; password worked for ${plural(worked.length, 'account')}` : ''),
          severity,
          entities: entities(
            ...targets.slice(0, 15).map((u) => ({ type: 'user' as const, id: u, role: 'target' as const })),
            ...m.dims.sources!.values.slice(0, 10).map((ip) => ({ type: 'ip' as const, id: ip, role: 'source' as const })),
            ...m.dims.asns!.values.slice(0, 5).map((a) => ({ type: 'asn' as const, id: a, role: 'source' as const })),
            ...(m.key !== 'tenant' ? [{ type: 'app' as const, id: m.key, role: 'target' as const }] : []),
          ),
          explanation,
          facts: {
            distinctAccounts: k.open.size,
            explainedAccounts: k.explained.size,
            attempts,
            triesPerAccount: round1(attempts / accounts),
            distinctSources: k.sources.size,
            distinctAsns: m.dims.asns!.distinct,
            windowHours: t.window / HOUR,
            spanMinutes: Math.round(span / MINUTE),
            apps: m.dims.apps!.values.slice(0, 10),
            passwordProven: [...proven],
            signedInFromSpraySource: [...signedIn],
            privilegedTargets: privileged,
          },
        };
      },
    });
  },
  summarize: signinSummary,
});
