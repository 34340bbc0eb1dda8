// Build sign-in intents with the facts Entra would record for them: authentication steps, requirement, CA results,
// status details. Generators say what happened (bad password, MFA prompt, token claim …); this fills in the rest.
import type { AuthStep, DeviceInfo, Decoy, Label, PolicyResult, SignInIntent } from '../model.js';
import type { Rng } from '../rng.js';
import type { User, World } from '../world/build.js';
import type { AppRef } from '../world/catalog.js';
import type { Network } from '../world/networks.js';

/** What the user's authentication looked like. */
export type AuthKind =
  | 'claim' // SSO / refresh: "Previously satisfied"
  | 'prompt' // password + push approved
  | 'passwordless' // Authenticator / FIDO2 only
  | 'single' // password only, success (no MFA required)
  | 'badpw' // wrong password (50126)
  | 'locked' // smart lockout (50053)
  | 'mfa-interrupt' // right password, MFA required, not completed (50074 / 50076)
  | 'mfa-denied' // right password, push denied (500121)
  | 'kmsi' // "Keep me signed in" interrupt (50140)
  | 'ca-blocked' // CA blocked (53003)
  | 'register' // must register for MFA (50079)
  | 'secret' // service principal client secret
  | 'bad-secret'; // service principal wrong secret (7000215)

export interface SignInSpec {
  type: SignInIntent['type'];
  at: number;
  user?: User;
  sp?: SignInIntent['sp'];
  app: AppRef;
  resource: AppRef & { spId?: string };
  net: Network;
  ip: string;
  ua?: string;
  device?: DeviceInfo;
  clientAppUsed?: string;
  protocol?: string;
  incomingTokenType?: string;
  auth: AuthKind;
  /** CA requires MFA for this user (default: not excluded and a person) */
  mfaRequired?: boolean;
  correlationId?: string;
  sessionId?: string;
  tokenId?: string;
  scopes?: string;
  risk?: SignInIntent['risk'];
  label?: Label;
  decoy?: Decoy;
  userType?: 'Member' | 'Guest';
  /** make a UAL UserLoggedIn/Failed mirror (interactive only; default true) */
  ual?: boolean;
}

const CODE: Record<AuthKind, number> = {
  claim: 0,
  prompt: 0,
  passwordless: 0,
  single: 0,
  badpw: 50126,
  locked: 50053,
  'mfa-interrupt': 50074,
  'mfa-denied': 500121,
  kmsi: 50140,
  'ca-blocked': 53003,
  register: 50079,
  secret: 0,
  'bad-secret': 7000215,
};

const PWD_OK: AuthStep = { method: 'Password', detail: 'Password in the cloud', succeeded: true, result: 'Correct password', requirement: 'Primary authentication' };

const stepCache = new Map<string, AuthStep[]>();

/** Steps are constant per (kind, interactive, mfaRequired): shared, frozen arrays keep a day of intents small. */
function stepsFor(kind: AuthKind, interactive: boolean, mfaRequired: boolean): AuthStep[] {
  const key = `${kind}|${interactive}|${mfaRequired}`;
  let s = stepCache.get(key);
  if (!s) stepCache.set(key, (s = Object.freeze(makeSteps(kind, interactive, mfaRequired)) as AuthStep[]));
  return s;
}

function makeSteps(kind: AuthKind, interactive: boolean, mfaRequired: boolean): AuthStep[] {
  switch (kind) {
    case 'claim':
      return interactive
        ? [
            { method: 'Previously satisfied', succeeded: true, result: 'First factor requirement satisfied by claim in the token', requirement: 'Primary authentication' },
            ...(mfaRequired ? [{ method: 'Previously satisfied', succeeded: true, result: 'MFA requirement satisfied by claim in the token', requirement: 'Multi-factor authentication' }] : []),
          ]
        : [{ method: 'Previously satisfied', succeeded: true, result: mfaRequired ? 'MFA requirement satisfied by claim in the token' : 'First factor requirement satisfied by claim in the token', requirement: mfaRequired ? 'Multi-factor authentication' : 'Primary authentication' }];
    case 'prompt':
      return [PWD_OK, { method: 'Mobile app notification', succeeded: true, result: 'MFA successfully completed', requirement: 'Multi-factor authentication', offsetMs: 14_000 }];
    case 'passwordless':
      return [{ method: 'Microsoft Authenticator app (Passwordless)', succeeded: true, result: 'MFA successfully completed', requirement: 'Multi-factor authentication' }];
    case 'single':
      return [PWD_OK];
    case 'badpw':
      return [{ method: 'Password', detail: 'Password in the cloud', succeeded: false, result: 'Invalid username or password or Invalid on-premise username or password.', requirement: 'Primary authentication' }];
    case 'locked':
      return [{ method: 'Password', detail: 'Password in the cloud', succeeded: false, result: 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.', requirement: 'Primary authentication' }];
    case 'mfa-interrupt':
      return [PWD_OK, { method: 'Mobile app notification', succeeded: false, result: 'MFA required in Azure AD', requirement: 'Multi-factor authentication' }];
    case 'mfa-denied':
      return [PWD_OK, { method: 'Mobile app notification', succeeded: false, result: 'MFA denied; user declined the authentication', requirement: 'Multi-factor authentication', offsetMs: 30_000 }];
    case 'kmsi':
      return [PWD_OK];
    case 'ca-blocked':
      return [PWD_OK];
    case 'register':
      return [PWD_OK];
    case 'secret':
    case 'bad-secret':
      return [];
  }
}

const DETAILS: Partial<Record<AuthKind, string>> = {
  claim: 'MFA requirement satisfied by claim in the token',
  prompt: 'MFA completed in Azure AD',
  passwordless: 'MFA completed in Azure AD',
  badpw: "The user didn't enter the right credentials. It's expected to see some number of these errors in your logs due to users making mistakes.",
  'mfa-interrupt': 'MFA required in Azure AD',
  'mfa-denied': 'MFA denied; user declined the authentication',
};

/** Policy results are shared objects too (a handful of variants per tenant). */
const policyCache = new Map<string, PolicyResult>();

function policyResults(world: World, spec: SignInSpec, mfaRequired: boolean, code: number): PolicyResult[] {
  if (spec.type === 'serviceprincipal') return [];
  const user = spec.user;
  const primaryFailed = code === 50126 || code === 50053 || code === 50034 || code === 50057;
  const legacy = ['Exchange ActiveSync', 'IMAP4', 'POP3', 'Authenticated SMTP', 'Other clients', 'Exchange Web Services'].includes(spec.clientAppUsed ?? '');
  const admin = !!user && user.roles.length > 0 && !user.caExcluded;
  const base = (p: PolicyResult, result: PolicyResult['result'], sat: number, notSat: number): PolicyResult => {
    const key = `${p.id}|${result}|${sat}|${notSat}`;
    let v = policyCache.get(key);
    if (!v) policyCache.set(key, (v = Object.freeze({ ...p, result, satisfied: sat, notSatisfied: notSat })));
    return v;
  };
  if (primaryFailed) return [base(world.ca.mfaAll, 'notApplied', 0, 0), base(world.ca.mfaAdmins, 'notApplied', 0, 0), base(world.ca.blockLegacy, 'notApplied', 0, 0)];
  const excluded = !!user?.caExcluded;
  const mfaAllResult: PolicyResult['result'] = excluded || !mfaRequired ? 'notApplied' : code === 0 ? 'success' : code === 50074 || code === 500121 ? 'failure' : 'notApplied';
  return [
    base(world.ca.mfaAll, mfaAllResult, excluded ? 1 : 3, excluded ? 2 : 0),
    base(world.ca.mfaAdmins, admin ? (code === 0 ? 'success' : 'failure') : 'notApplied', admin ? 3 : 1, admin ? 0 : 2),
    base(world.ca.blockLegacy, legacy ? 'failure' : 'notApplied', legacy ? 3 : 1, legacy ? 0 : 2),
  ];
}

/** A uuid with the "00" tail of Entra request ids ("1691d37b-8579-43a7-966a-0f35583c1300"). */
export const requestId = (r: Rng) => r.uuid().slice(0, -2) + '00';

export function signIn(world: World, r: Rng, spec: SignInSpec): SignInIntent {
  const code = CODE[spec.auth];
  const interactive = spec.type === 'interactive';
  const isPerson = !!spec.user && spec.user.kind !== 'legacy-admin';
  const mfaRequired = spec.mfaRequired ?? (isPerson && !spec.user!.caExcluded);
  const primaryFailed = code === 50126 || code === 50053;
  const policies = policyResults(world, spec, mfaRequired, code);
  const caStatus: SignInIntent['ca'] =
    spec.type === 'serviceprincipal' || primaryFailed
      ? 'notApplied'
      : policies.some((p) => p.result === 'failure')
        ? 'failure'
        : policies.some((p) => p.result === 'success')
          ? 'success'
          : 'notApplied';
  const requirement: SignInIntent['requirement'] =
    spec.type === 'serviceprincipal' ? undefined : primaryFailed || !mfaRequired ? 'singleFactorAuthentication' : 'multiFactorAuthentication';
  // Without Entra ID P2 the risk levels read "hidden", attack or not.
  const risk = world.tenant.p2 ? spec.risk : { during: 'hidden', aggregated: 'hidden', state: 'none', detail: 'hidden', types: [] };
  const intent: SignInIntent = {
    kind: 'signin',
    id: requestId(r),
    time: Math.floor(spec.at),
    sub: r.int(0, 9999),
    type: spec.type,
    tenantId: world.tenant.id,
    app: spec.app,
    resource: spec.resource,
    ip: spec.ip,
    net: spec.net,
    protocol: spec.protocol ?? (spec.type === 'serviceprincipal' ? 'none' : interactive ? 'oAuth2' : 'none'),
    incomingTokenType: spec.incomingTokenType ?? (interactive ? 'none' : spec.type === 'noninteractive' ? 'refreshToken' : 'none'),
    errorCode: code,
    steps: stepsFor(spec.auth, interactive, mfaRequired),
    ca: caStatus,
    policies,
    correlationId: spec.correlationId ?? r.uuid(),
    tokenId: spec.tokenId ?? r.b64url(16),
    lagMs: r.int(20_000, 240_000),
  };
  if (spec.user) {
    intent.user = { id: spec.user.id, upn: spec.user.upn, displayName: spec.user.displayName };
    intent.userType = spec.userType ?? 'Member';
  }
  if (spec.sp) intent.sp = spec.sp;
  if (spec.ua !== undefined) intent.ua = spec.ua;
  if (spec.device) intent.device = spec.device;
  if (spec.clientAppUsed) intent.clientAppUsed = spec.clientAppUsed;
  if (requirement) intent.requirement = requirement;
  if (mfaRequired && !primaryFailed && spec.type !== 'serviceprincipal') intent.requirementPolicies = [{ requirementProvider: 'multiConditionalAccess', detail: 'Conditional Access' }];
  const details = DETAILS[spec.auth];
  if (details && (spec.auth !== 'claim' || mfaRequired)) intent.additionalDetails = details;
  if (spec.sessionId) intent.sessionId = spec.sessionId;
  if (spec.scopes !== undefined) intent.scopes = spec.scopes;
  if (risk) intent.risk = risk;
  if (spec.label) intent.label = spec.label;
  if (spec.decoy) intent.decoy = spec.decoy;
  if (interactive && spec.user && spec.ual !== false) intent.ualId = r.uuid();
  return intent;
}
