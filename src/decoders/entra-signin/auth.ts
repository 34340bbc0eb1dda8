// Authentication facts of a sign-in: MFA state, requirement, methods, CA, legacy client, protocol.
// Absent facts stay absent: Graph v1.0 has no authenticationRequirement/authenticationDetails, so a v1.0
// sign-in gets mfa 'unknown' and no requirement — never an assumed single factor.
import type { AuthFacts, Outcome } from '../../core/event.js';
import { mfaNotPassed } from './codes.js';
import { arr, bool, enumKey, obj, str, strings, type Obj } from './fields.js';

export interface AuthStep {
  method?: string;
  detail?: string;
  succeeded?: boolean;
  result?: string;
  requirement?: string;
}

export function authSteps(p: Obj): AuthStep[] {
  const out: AuthStep[] = [];
  for (const s of arr(p, 'authenticationDetails') ?? []) {
    if (!s || typeof s !== 'object') continue;
    out.push({
      method: str(s, 'authenticationMethod'),
      detail: str(s, 'authenticationMethodDetail'),
      succeeded: bool(s, 'succeeded'),
      result: str(s, 'authenticationStepResultDetail'),
      requirement: str(s, 'authenticationStepRequirement'),
    });
  }
  return out;
}

/** Methods that are a second factor (or a phishing-resistant single gesture that satisfies MFA). */
const MFA_METHOD =
  /mobile app notification|text message|\bsms\b|oath|verification code|phone call|authenticator|windows hello|fido|passkey|certificate|x\.509|temporary access pass|hardware token|software token/i;
export const isMfaMethod = (m: string | undefined): boolean =>
  m !== undefined && MFA_METHOD.test(m) && !/^email/i.test(m) && !/previously satisfied/i.test(m);

const CLAIM_MFA = /mfa requirement satisfied by claim|multi-?factor.*satisfied by claim/i;
// "...by claim provided by external provider": a federated IdP did the MFA in this sign-in.
const MFA_DONE = /mfa (successfully )?completed|satisfied by claim provided by external provider/i;

export function requirementOf(v: string | undefined): 'single' | 'multi' | undefined {
  const k = enumKey(v);
  if (!k) return undefined;
  if (k.startsWith('multi')) return 'multi';
  if (k.startsWith('single')) return 'single';
  return undefined;
}

export function caOf(v: string | undefined): AuthFacts['ca'] {
  switch (enumKey(v)) {
    case 'success': return 'success';
    case 'failure': return 'failure';
    case 'notapplied': return 'notApplied';
    default: return undefined;
  }
}

const PROTOCOLS: Record<string, string> = {
  none: 'none', oauth2: 'oAuth2', oauth20: 'oAuth2', ropc: 'ropc', wsfederation: 'wsFederation', wsfed: 'wsFederation',
  saml20: 'saml20', saml: 'saml20', devicecode: 'deviceCode', devicecodeflow: 'deviceCode',
  authenticationtransfer: 'authenticationTransfer', nativeauth: 'nativeAuth',
};
/** Graph enum spelling for portal/SDK variants ("Device code", "ROPC", "SAML 2.0"). */
export function protocolOf(v: string | undefined): string | undefined {
  const k = enumKey(v);
  return k === undefined ? undefined : (PROTOCOLS[k] ?? v);
}

const CRED_TYPES: Record<string, string> = {
  none: 'none', clientsecret: 'clientSecret', clientassertion: 'clientAssertion', certificate: 'certificate',
  federatedidentitycredential: 'federatedIdentityCredential', managedidentity: 'managedIdentity',
};
export function credentialTypeOf(v: string | undefined): string | undefined {
  const k = enumKey(v);
  if (k === undefined) return undefined;
  const t = CRED_TYPES[k] ?? v;
  return t === 'none' ? undefined : t;
}

const TOKEN_TYPES: Record<string, string> = {
  none: 'none', primaryrefreshtoken: 'primaryRefreshToken', prt: 'primaryRefreshToken', saml11: 'saml11',
  saml20: 'saml20', remotedesktoptoken: 'remoteDesktopToken', refreshtoken: 'refreshToken',
};
export function incomingTokenTypeOf(v: string | undefined): string | undefined {
  const k = enumKey(v);
  if (k === undefined) return undefined;
  const t = TOKEN_TYPES[k] ?? v;
  return t === 'none' ? undefined : t;
}

// clientAppUsed values that mean legacy (basic) authentication. Entra labels modern-auth Exchange traffic
// "Mobile Apps and Desktop clients", so a protocol name here (EWS, MAPI, EAS...) is the basic-auth path —
// the same reading as Microsoft's "legacy authentication clients" sign-in filter and Sigma's rule.
const LEGACY = new Set([
  'exchangeactivesync', 'exchangewebservices', 'imap', 'imap4', 'pop', 'pop3', 'smtp', 'authenticatedsmtp', 'mapi',
  'mapioverhttp', 'offlineaddressbook', 'outlookanywhere(rpcoverhttp)', 'outlookanywhere', 'rpcoverhttp', 'autodiscover',
  'exchangeonlinepowershell', 'otherclients', 'otherclient', 'reportingwebservices', 'universaloutlook', 'outlookservice',
]);
const MODERN = new Set(['browser', 'mobileappsanddesktopclients', 'modernclients', 'modernauthclients']);
export function legacyOf(clientApp: string | undefined): boolean | undefined {
  const k = enumKey(clientApp);
  if (k === undefined) return undefined;
  if (LEGACY.has(k)) return true;
  if (MODERN.has(k)) return false;
  return undefined;
}

export type MfaState = NonNullable<AuthFacts['mfa']>;

/**
 * MFA state of a user sign-in, first match wins:
 * 1. an MFA method step succeeded now, or status says "MFA completed" -> satisfied
 * 2. "Previously satisfied" step / "MFA requirement satisfied by claim in the token" -> previously_satisfied
 * 3. code says MFA was demanded and not passed (500121, 50074, 50076, 50158), or an MFA step failed on a
 *    failed/interrupted sign-in -> failed
 * 4. requirement multi and the sign-in succeeded -> satisfied (the requirement was met; how is not recorded)
 * 5. requirement single -> not_required
 * 6. otherwise unknown
 */
export function mfaState(
  steps: AuthStep[], statusDetail: string | undefined, mfaDetail: Obj | undefined,
  requirement: 'single' | 'multi' | undefined, code: number | undefined, outcome: Outcome,
): MfaState {
  const mfaMethod = str(mfaDetail, 'authMethod');
  if (steps.some((s) => s.succeeded === true && isMfaMethod(s.method))) return 'satisfied';
  if (statusDetail && MFA_DONE.test(statusDetail)) return 'satisfied';
  if (mfaMethod && isMfaMethod(mfaMethod) && outcome === 'success') return 'satisfied';
  const claimStep = steps.some(
    (s) => s.succeeded !== false && /previously satisfied/i.test(s.method ?? '') &&
      (/multi-?factor|mfa/i.test(s.requirement ?? '') || CLAIM_MFA.test(s.result ?? '')),
  );
  if (claimStep || (statusDetail && CLAIM_MFA.test(statusDetail))) return 'previously_satisfied';
  if (code !== undefined && mfaNotPassed(code)) return 'failed';
  if (outcome !== 'success' && steps.some((s) => s.succeeded === false && isMfaMethod(s.method))) return 'failed';
  if (requirement === 'multi' && outcome === 'success') return 'satisfied';
  if (requirement === 'single') return 'not_required';
  return 'unknown';
}

/** Distinct method names: step methods, authenticationMethodsUsed, the deprecated mfaDetail.authMethod. */
export function methodsOf(p: Obj, steps: AuthStep[]): string[] | undefined {
  const out: string[] = [];
  const add = (m: string | undefined): void => {
    if (m && !out.includes(m)) out.push(m);
  };
  for (const s of steps) add(s.method);
  for (const m of strings(p, 'authenticationMethodsUsed') ?? []) add(m);
  add(str(obj(p, 'mfaDetail'), 'authMethod'));
  return out.length ? out : undefined;
}

/** Conditional Access policies that did something (applied or report-only), as {name, result}. */
export function caPolicySummary(p: Obj): { name: string; result: string }[] | undefined {
  const pols = arr(p, 'appliedConditionalAccessPolicies', 'conditionalAccessPolicies') ?? [];
  const out: { name: string; result: string }[] = [];
  for (const pol of pols) {
    const result = str(pol, 'result');
    const k = enumKey(result);
    if (!result || k === 'notapplied' || k === 'notenabled' || k === 'reportonlynotapplied' || k === 'unknown') continue;
    out.push({ name: str(pol, 'displayName') ?? str(pol, 'id') ?? '?', result });
  }
  return out.length ? out : undefined;
}

/** Named network locations the sign-in matched, and whether any is trusted. */
export function namedLocations(p: Obj): { names?: string[]; trusted?: boolean } {
  const names: string[] = [];
  let trusted = false;
  for (const n of arr(p, 'networkLocationDetails') ?? []) {
    if (/trusted/i.test(str(n, 'networkType') ?? '')) trusted = true;
    for (const nm of strings(n, 'networkNames') ?? []) if (!names.includes(nm)) names.push(nm);
  }
  return names.length ? { names, trusted } : {};
}

