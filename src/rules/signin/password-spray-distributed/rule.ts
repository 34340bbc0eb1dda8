// TW-SIGNIN-002: a low-and-slow password spray spread over many sources: many accounts fail a few times each,
// from many IPs / ASNs, over hours, per tenant (or per resource). Reports accounts whose password was proven.
import { HOUR, MINUTE, humanDuration } from '../../../config/tunables.js';
import type { Event } from '../../../core/event.js';
import { iso, type Severity } from '../../../detect/alert.js';
import { threshold, type ThresholdState, type WindowView } from '../../../detect/spec.js';
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
  /**
   * per source, the accounts that failed there unexplained with at most two attempts: a spray moves on after a
   * try or two, someone locking herself out at her office keeps trying (not counted)
   */
  failing: Map<string, number>;
}

const isSuccess = (ev: Event): boolean => ev.outcome === 'success';

/** One attempt across logs (attemptKey), built once per event like the pair below. */
let attemptEv: Event | undefined, attemptStr = '';
function attemptOf(ev: Event): string {
  if (ev !== attemptEv) {
    attemptEv = ev;
    attemptStr = attemptKey(ev);
  }
  return attemptStr;
}

/** "user|source" (IPv6 by /64); admit, dims and condition ask for the same event's pair: built once. */
let pairEv: Event | undefined, pairStr = '';
function pairOf(ev: Event): string {
  if (ev !== pairEv) {
    pairEv = ev;
    pairStr = `${userOf(ev)}|${ipKey(ev.actor.ip) ?? '?'}`;
  }
  return pairStr;
}

/**
 * A busy shared address: more accounts' credentials worked there than failed there. An office, SASE or carrier
 * NAT signs in many more accounts than it fails (a colleague locked out there does not make it a spraying
 * source); a spraying address fails for account after account and works for one or two. Dimension workedPair
 * counts each (account, source) pair once; this cheap form compares it with every failed attempt there (an upper
 * bound of the accounts failing there) and needs no tally; `spraying` below is the exact test.
 */
const surelyBusy = (view: WindowView, src: string): boolean => view.count('workedPair', src) > view.count('sources', src);

/** A source the spray used: accounts failed there unexplained, and no more accounts' credentials worked there. */
function spraying(view: WindowView, k: Tally, src: string): boolean {
  const failing = k.failing.get(src) ?? 0;
  return failing > 0 && view.count('workedPair', src) <= failing;
}

/**
 * Whether a working credential (an "account|source" pair) counts for the spray: the account's failures are not all
 * explained, and the pair did not fail itself: a mistyped password, the MFA prompt and the success from the same
 * address within a minute is a user, not a guess (a spray tries each account once per address).
 */
const credits = (view: WindowView, k: Tally, pair: string, user: string): boolean => !k.explained.has(user) && view.count('failPair', pair) === 0;

/**
 * An interrupt counts when its pair counts and was not completed: a success of the same pair means the owner
 * passed MFA there (her MFA prompt at the office); an attacker stopped by MFA never completes. (A success from a
 * spraying source is credited on its own, as signed in.)
 */
const proves = (view: WindowView, k: Tally, pair: string, user: string): boolean => credits(view, k, pair, user) && view.count('okPair', pair) === 0;

/** Whether a credential worked from `src` for the spray (walks the pairs: only when a new account fails there). */
function workedFrom(view: WindowView, k: Tally, src: string): boolean {
  if (!spraying(view, k, src)) return false;
  for (const dim of ['proved', 'okPair']) {
    for (const pair of view.values(dim)) {
      const bar = pair.indexOf('|');
      if (pair.slice(bar + 1) !== src) continue;
      const u = pair.slice(0, bar);
      if (dim === 'proved' ? proves(view, k, pair, u) : credits(view, k, pair, u)) return true;
    }
  }
  return false;
}

/**
 * A sign-in that looks like a tool's, not a user's: Entra rated it risky in real time (riskLevelDuringSignIn
 * medium / high or a risk event type such as passwordSpray, not dismissed), or it came through ROPC or a legacy
 * client, which cannot do MFA (the interrupt only says that the password was right). A user's own MFA prompt on
 * her laptop carries neither.
 */
function suspect(ev: Event): boolean {
  const r = ev.risk;
  if (r && r.state !== 'dismissed' && (r.level === 'high' || r.level === 'medium' || (r.types?.length ?? 0) > 0)) return true;
  return ev.auth?.protocol === 'ropc' || ev.auth?.legacy === true;
}

/** A failing pair is explained by a success of the same pair (outcome success only, not an interrupt). */
function tally(view: WindowView): Tally {
  const open = new Set<string>(), seen = new Set<string>(), sources = new Set<string>(), failing = new Map<string, number>();
  for (const pair of view.values('failPair')) {
    const bar = pair.indexOf('|');
    const user = pair.slice(0, bar);
    seen.add(user);
    if (view.count('okPair', pair) === 0) {
      open.add(user);
      const src = pair.slice(bar + 1);
      sources.add(src);
      if (view.count('pairAttempts', pair) <= 2) failing.set(src, (failing.get(src) ?? 0) + 1);
    }
  }
  const explained = new Set([...seen].filter((u) => !open.has(u)));
  return { open, explained, sources, failing };
}

/**
 * A failure that may turn a source a credential worked from into a spraying source: the first failure of its
 * (account, source) pair there, unless the source stays busy anyway (an office NAT's next typo: no tally). Call
 * only for failures: builds the pair.
 */
function litBy(view: WindowView, ev: Event): boolean {
  const src = ipKey(ev.actor.ip) ?? '?';
  return view.count('workedSource', src) > 0 && !surelyBusy(view, src) && view.count('failPair', pairOf(ev)) === 1;
}

/**
 * While the key's alert is open, whether this firing could change it (the builder's severity: medium; high when a
 * credential worked or a privileged account is targeted; critical when a privileged account's credential worked).
 * A firing can only add to "worked" with a working credential (the condition lets through only those from a
 * failing, not busy, source: they always get a draft, even at critical, because the engine keeps the trigger of a
 * drafted repeat in the evidence and the proof itself is what the alert must show), with the first failure of an
 * account that had one (it may un-explain it), or with a new account failing at a source a credential worked from
 * (it may become a spraying source); and a privileged target only with its own failure.
 */
function mayRaise(m: ThresholdState, open: Severity): boolean {
  const ev = m.event;
  if (credentialWorked(ev)) return true;
  if (open === 'critical') return false;
  const u = userOf(ev)!;
  const privileged = (): boolean => m.ctx.enrich.isPrivileged(u);
  if (m.view.count('workedUser', u) > 0) return open === 'medium' || privileged();
  if (litBy(m.view, ev)) return true;
  return open === 'medium' && privileged();
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
    'accounts then proved the password (MFA / Conditional Access interrupt) or signed in from a spraying source, ' +
    'including a lucky first guess from an address that fails for other accounts only afterwards.',
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
    'A colleague\'s lone typo at an office seconds before another user signs in or gets an MFA prompt there makes the ' +
      'office look like a spraying source for that moment and can raise the alert to high ("password worked"). Add ' +
      'office egress addresses to allowlists.trustedIps.',
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
    // a spray in progress: a working credential fires at this many accounts, and a proof from an address that has
    // not failed yet is kept from then on (it waits for its address to fail)
    const half = Math.ceil(t.minAccounts / 2);
    return threshold({
      on: {
        actions: ['signin'],
        sources: signinSources(t.ual),
        where: (ev, ctx) => isUserSignin(ev) && !allowlisted(ev, ctx) && (failedCredential(ev, codes) || credentialWorked(ev)),
      },
      key: (ev) => (t.per === 'resource' ? (ev.auth?.resourceId ?? ev.auth?.resource ?? ev.actor.appId ?? 'unknown-resource') : 'tenant'),
      // successes and proven passwords only for accounts already targeted, or from sources already failing, in the
      // window (a one-password spray hits an account on its first and only try): a tenant's normal sign-ins never
      // enter the state. A proven password that looks like a tool's (`suspect`) also enters from a fresh address
      // once the window holds a spray's worth of accounts (`half`): a lucky first guess from an address that fails
      // for other accounts only afterwards; the condition and the builder judge it once its address has failed.
      // (Every interrupt would do, but a large tenant's MFA prompts would then fill the window's evidence.)
      // Each (account, source) pair only once (a user's hourly token refreshes add nothing).
      admit: (ev, view) => {
        if (failed(ev)) return true;
        const ok = isSuccess(ev);
        if (view.count('accounts', userOf(ev)!) === 0 && view.count('sources', ipKey(ev.actor.ip) ?? '?') === 0) {
          if (ok || view.size('accounts') < half || !suspect(ev)) return false;
        }
        return view.count(ok ? 'okPair' : 'proved', pairOf(ev)) === 0;
      },
      dims: {
        accounts: (ev) => (failed(ev) ? userOf(ev) : undefined),
        attempts: (ev) => (failed(ev) ? attemptOf(ev) : undefined),
        sources: (ev) => (failed(ev) ? ipKey(ev.actor.ip) : undefined),
        asns: (ev, ctx) => {
          const asn = failed(ev) ? asnOf(ev, ctx) : undefined;
          return asn === undefined ? undefined : `AS${asn}`;
        },
        apps: (ev) => (failed(ev) ? appOf(ev) : undefined),
        failPair: (ev) => (failed(ev) ? pairOf(ev) : undefined),
        // the pair once per attempt (an attempt in both logs counts once): how often an account failed at a source
        pairAttempts: (ev, _ctx, before) => (failed(ev) && before.count('attempts', attemptOf(ev)) === 0 ? pairOf(ev) : undefined),
        okPair: (ev) => (isSuccess(ev) ? pairOf(ev) : undefined),
        proved: (ev) => (passwordProved(ev) ? pairOf(ev) : undefined),
        // for mayRaise: which accounts and sources a credential worked for / from
        workedUser: (ev) => (credentialWorked(ev) ? userOf(ev) : undefined),
        workedSource: (ev) => (credentialWorked(ev) ? ipKey(ev.actor.ip) : undefined),
        // the source, once per (account, source) pair a credential worked for: how many accounts worked there
        workedPair: (ev, _ctx, before) => {
          if (!credentialWorked(ev)) return undefined;
          const p = pairOf(ev);
          return before.count('proved', p) + before.count('okPair', p) === 0 ? ipKey(ev.actor.ip) : undefined;
        },
      },
      metric: 'accounts',
      // the sign-in or MFA interrupt that proved a password is what the alert must show: one from an address that
      // fails for other accounts (as the window stands when it fires: a lucky first guess comes before the address
      // fails for the others) and is not a busy shared one
      proof: (dim, view) => {
        const pair = dim('proved') ?? dim('okPair');
        // a pair that failed itself is a typo followed by the account's own sign-in: never the spray's (credits)
        if (pair === undefined || view.count('failPair', pair) > 0) return 'never';
        const src = pair.slice(pair.indexOf('|') + 1);
        return view.count('sources', src) > 0 && !surelyBusy(view, src);
      },
      // keep counting after the crossing: a password that works later escalates the open alert
      consume: false,
      windowMs: t.window,
      // the full minAccounts is checked in the condition; half of it lets a working credential fire in a lull
      min: half,
      condition: (m) => {
        // only events that can change the verdict (the tally below walks the window; repeats of known accounts
        // would only repeat the answer): a new account's first failure; a new account failing at an address a
        // credential worked from (that credential may now be proven: a lucky first guess); a working credential
        // from a failing address that is not a busy shared one (a credential from anywhere else proves nothing:
        // a targeted user's own MFA prompt at her office is not the spray's)
        const ev = m.event;
        const u = userOf(ev)!;
        const src = ipKey(ev.actor.ip) ?? '?';
        let first = false, lit = false;
        if (failed(ev)) {
          first = m.view.count('accounts', u) === 1;
          lit = litBy(m.view, ev);
          if (!first && !lit) return false;
        } else if (!credentialWorked(ev) || m.view.count('sources', src) === 0 || surelyBusy(m.view, src)) return false;
        if (m.dims.sources! < t.minSources || m.dims.attempts! / m.dims.accounts! > t.maxTriesPerAccount) return false;
        if (m.open !== undefined && !mayRaise(m, m.open)) return 'repeat';
        const k = tally(m.view);
        if (k.sources.size < t.minSources) return false;
        if (first && k.open.size >= t.minAccounts) return true;
        // a credential that works from a spraying source matters even when the spray is in a lull: half the
        // accounts are enough then (the window may hold fewer than minAccounts at 2 a.m.)
        if (k.open.size < half) return false;
        if (failed(ev)) return lit && workedFrom(m.view, k, src);
        return (isSuccess(ev) ? credits : proves)(m.view, k, pairOf(ev), u) && spraying(m.view, k, src);
      },
      alert: (m, ctx) => {
        const view = m.view;
        const k = tally(view);
        const accounts = m.dims.accounts!.distinct;
        const attempts = m.dims.attempts!.distinct;
        // the password worked: proven by an interrupt, or signed in, from a spraying source — one with unexplained
        // failures (not an office whose typos were all followed by successes) that is not a busy shared address
        // (more credentials worked there than failed), whether it failed before or after the credential worked.
        // An interrupt from anywhere else (the targeted user's own office) proves nothing about the spray; accounts
        // whose own successes explain their failures, and pairs that failed themselves (a typo), are left out.
        const proven = new Set<string>(), signedIn = new Set<string>();
        const sprayingSrc = new Map<string, boolean>();
        const fromSpray = (src: string): boolean => {
          let v = sprayingSrc.get(src);
          if (v === undefined) sprayingSrc.set(src, (v = spraying(view, k, src)));
          return v;
        };
        for (const pair of view.values('proved')) {
          const bar = pair.indexOf('|');
          const u = pair.slice(0, bar);
          if (proves(view, k, pair, u) && fromSpray(pair.slice(bar + 1))) proven.add(u);
        }
        for (const pair of view.values('okPair')) {
          const bar = pair.indexOf('|');
          const u = pair.slice(0, bar);
          if (credits(view, k, pair, u) && fromSpray(pair.slice(bar + 1))) signedIn.add(u);
        }
        const worked = [...new Set([...signedIn, ...proven])];
        const targets = [...k.open];
        const privileged = targets.filter((u) => ctx.enrich.isPrivileged(u));
        const privWorked = worked.filter((u) => ctx.enrich.isPrivileged(u));
        const span = m.event.time - m.firstTime;
        const scope = m.key === 'tenant' ? 'the tenant' : `resource ${m.key}`;
        const v6 = m.dims.sources!.values.some((v) => v.endsWith('/64'));
        let explanation =
          `In the ${humanDuration(t.window)} up to ${iso(m.event.time)}, ` +
          `${plural(k.open.size, 'account')} of ${scope} failed to sign in from ${plural(k.sources.size, 'source')} ` +
          `(${plural(m.dims.sources!.distinct, 'address', 'addresses')}${v6 ? ', IPv6 counted by /64' : ''}${m.dims.asns!.distinct ? ` and ${plural(m.dims.asns!.distinct, 'ASN')}` : ''} in all) within ` +
          `${humanDuration(Math.max(span, 1000))}: ${plural(attempts, 'attempt')}, ${round1(attempts / accounts)} per account ` +
          `(threshold ${t.minAccounts} accounts from ${t.minSources} sources in ${humanDuration(t.window)}, at most ` +
          `${t.maxTriesPerAccount} tries each${k.open.size < t.minAccounts ? `; a working credential lowers it to ${Math.ceil(t.minAccounts / 2)} accounts` : ''}). ` +
          `Accounts: ${listSome(targets)}. Sources: ${listSome(m.dims.sources!.values)}.`;
        if (k.explained.size) explanation += ` Left out: ${plural(k.explained.size, 'account')} that later signed in from every source they failed from (${listSome([...k.explained])}).`;
        if (worked.length) {
          explanation += ` The password worked for ${plural(worked.length, 'account')}: `;
          const parts = [];
          if (proven.size) parts.push(`proven by an MFA / Conditional Access interrupt from a spraying source for ${listSome([...proven])}`);
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
