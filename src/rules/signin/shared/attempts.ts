// What the sign-in rules agree on: which result codes are failed credentials, when an attempt proved the
// password, what one attempt is across logs (Entra sign-in logs and the UAL record the same attempt), and what a
// source network is. Rules stay about their own detection logic.
//
// Counting Entra and UAL sign-ins together (README.md in this folder): the same attempt appears in the Entra
// sign-in log (ms precision) and, as UserLoginFailed / UserLoggedIn, in the UAL (whole seconds). Rules that read
// both count ATTEMPTS as distinct attempt keys (user, source, second, result code), never raw events, so an
// attempt seen in both logs counts once, an input with only one of them counts fully, and overlapping exports of
// different retention (UAL 180 days, sign-in logs 30) work too. Distinct accounts / sources / successes are sets
// and need no dedup.
import type { Event, SourceKind } from '../../../core/event.js';
import { passwordFactForCode } from '../../../decoders/entra-signin/codes.js';
import type { RuleContext } from '../../../detect/spec.js';
import { ipKey, userOf } from '../../lib.js';

/** Bad password, unknown user, locked, expired password, no password, disabled, credential validation error. */
export const FAILED_CREDENTIAL_CODES: readonly string[] = ['50126', '50034', '50053', '50055', '50056', '50057', '50064'];

export const ENTRA_USER_SIGNINS: readonly SourceKind[] = ['entra.signin', 'entra.signin.noninteractive'];

/** The sources a user-sign-in rule reads: the Entra user sign-in logs, plus the UAL unless turned off. */
export function signinSources(ual: boolean): SourceKind[] {
  return ual ? [...ENTRA_USER_SIGNINS, 'ual'] : [...ENTRA_USER_SIGNINS];
}

export const UAL_TUNABLE = {
  type: 'boolean' as const,
  default: true,
  help:
    'also read UAL UserLoginFailed / UserLoggedIn (attempts seen in both logs count once: deduplicated by user, source, ' +
    'second and result code); false keeps the rule in the faster sign-in lane (the UAL lags up to an hour)',
};

/** A user's sign-in (not an app's), with an account to key on. */
export function isUserSignin(ev: Event): boolean {
  return ev.action === 'signin' && ev.actor.kind !== 'app' && userOf(ev) !== undefined;
}

/** A failed sign-in with one of the failed-credential codes. */
export function failedCredential(ev: Event, codes: ReadonlySet<string>): boolean {
  return ev.outcome !== 'success' && ev.reason !== undefined && codes.has(ev.reason.code);
}

/**
 * The attempt proved the password right without signing in: MFA / CA / enrolment / expired-password interrupts.
 * Entra sign-ins carry the decoder's verdict (details.passwordCorrect: a Password step, or a code that is only
 * reached after the password was accepted, for flows that presented one). The UAL has no such field: its code
 * alone decides (src/decoders/entra-signin/codes.ts).
 */
export function passwordProved(ev: Event): boolean {
  if (ev.outcome === 'success') return false;
  const pc = ev.details?.passwordCorrect;
  if (pc !== undefined) return pc === true;
  if (ev.source !== 'ual' || !ev.reason) return false;
  const n = Number(ev.reason.code);
  return Number.isInteger(n) && passwordFactForCode(n) === true;
}

/** Signed in, or proved the password: the attacker holds a working credential either way. */
export function credentialWorked(ev: Event): boolean {
  return ev.outcome === 'success' || passwordProved(ev);
}

/** One attempt across logs: user, source (IPv6 by /64), second, result code ('0' = success). */
export function attemptKey(ev: Event): string {
  const code = ev.reason?.code ?? (ev.outcome === 'success' ? '0' : ev.outcome);
  return `${userOf(ev) ?? '?'}|${ipKey(ev.actor.ip) ?? '?'}|${Math.floor(ev.time / 1000)}|${code}`;
}

/** The source network: the ASN when the record (or an ASN database) knows it, else the IP (IPv6 by /64). */
export function networkOf(ev: Event, ctx: RuleContext): string | undefined {
  const asn = asnOf(ev, ctx);
  return asn !== undefined ? `AS${asn}` : ipKey(ev.actor.ip);
}

export function asnOf(ev: Event, ctx: RuleContext): number | undefined {
  return ev.actor.asn ?? (ev.actor.ip ? ctx.enrich.asn?.(ev.actor.ip) : undefined);
}

/** Configured trusted networks (office NAT, named trusted locations) and VPN / SASE ASNs. */
export function allowlisted(ev: Event, ctx: RuleContext): boolean {
  return ctx.enrich.isTrustedIp(ev.actor.ip) || ctx.enrich.isVpnAsn(asnOf(ev, ctx));
}

/** The client app or resource, for entities and explanations. */
export function appOf(ev: Event): string | undefined {
  return ev.actor.appName ?? ev.actor.appId;
}

/** " to App / Resource" for explanations; the resource once when it is the app itself (Exchange Online to itself). */
export function appAndResource(ev: Event): string {
  const app = appOf(ev), res = ev.auth?.resource;
  if (!app) return res ? ` to ${res}` : '';
  return res && res !== app ? ` to ${app} / ${res}` : ` to ${app}`;
}

/** "roles: Global Administrator (learned from role assignments)" for explanations. */
export function privilegeText(ctx: RuleContext, user?: string, userId?: string): string {
  const p = ctx.enrich.privilegeOf?.(user, userId);
  if (!p) return 'privileged';
  const from = p.from.map((f) => (f === 'audit' ? 'role-assignment audit events' : f === 'config' ? 'config privilegedAccounts' : 'the tenant snapshot'));
  return `privileged${p.roles.length ? ` (${p.roles.join(', ')})` : ''}, per ${from.join(' and ')}`;
}

/** Round to one decimal for explanations and facts. */
export const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Evidence line for a sign-in: result, account, source, app, and whether the password was proven. */
export function signinSummary(ev: Event): string {
  const result = ev.outcome === 'success' ? 'success' : `${ev.reason?.code ?? ev.outcome}${ev.reason?.text ? ` (${ev.reason.text.slice(0, 60)})` : ''}`;
  const how = [ev.auth?.clientApp, ev.auth?.protocol === 'ropc' ? 'ROPC' : undefined, ev.auth?.requirement === 'single' ? 'single factor' : undefined]
    .filter((x) => x)
    .join(', ');
  return (
    `sign-in ${result} for ${userOf(ev) ?? '?'} from ${ev.actor.ip ?? '?'}` +
    (ev.actor.asn !== undefined ? ` (AS${ev.actor.asn})` : '') +
    (appOf(ev) ? ` to ${appOf(ev)}` : '') +
    (how ? ` [${how}]` : '') +
    (passwordProved(ev) ? ' — password proven' : '') +
    (ev.source === 'ual' ? ' (UAL)' : '')
  );
}
