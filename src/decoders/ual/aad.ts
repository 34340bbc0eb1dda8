// Audit.AzureActiveDirectory: STS logons (RecordType 15 UserLoggedIn / UserLoginFailed, the 2015-era RecordType 9
// PasswordLogonInitialAuthUsingPassword) and directory changes (RecordType 8, Entra audit operation names with a
// trailing period: "Consent to application.", "Add member to role.").
import type { AuthFacts, Event, Target } from '../../core/event.js';
import { sessionIdOf } from '../../core/ids.js';
import { maybeJson, isObject } from '../../core/json.js';
import { boolOrUndef, numOrUndef, opKey, strOrUndef } from '../../core/text.js';
import { auditAction, decodeModifiedProperties, extractGrants, type ModifiedMap } from '../shared/entra-audit-ops.js';
import { compact, field, isGuid, nvMap, nvStr, str, upnOrUndef, type Rec } from './fields.js';
import { actorFromIdentities, mergeActor, readIdentities, targetsFromIdentities } from './identities.js';

export const SIGNIN_OPS = new Set(['userloggedin', 'userloginfailed', 'passwordlogoninitialauthusingpassword']);

/** Sign-in: outcome from the Operation (UserLoginFailed records say ResultStatus "Success"), reason from ErrorNumber. */
export function decodeSignin(r: Rec, ev: Event): void {
  ev.action = 'signin';
  const op = opKey(ev.operation);
  const ext = nvMap(r, 'ExtendedProperties');
  const dev = nvMap(r, 'DeviceProperties');
  const details = ev.details!;

  const errorNumber = str(r, 'ErrorNumber') ?? str(r, 'ErrorCode');
  const logonError = str(r, 'LogonError');
  if (op === 'userloginfailed') ev.outcome = 'failure';
  else if (op === 'userloggedin') ev.outcome = 'success';
  else {
    // PasswordLogonInitialAuthUsingPassword: ResultStatus success/failed, LoginStatus 0 = success
    const status = numOrUndef(field(r, 'LoginStatus'));
    if (status !== undefined) ev.outcome = status === 0 ? 'success' : 'failure';
  }
  if (errorNumber && errorNumber !== '0') ev.reason = compact({ code: errorNumber, text: logonError });
  else if (logonError) ev.reason = { code: logonError };
  else {
    // "-2147217390;PP_E_BAD_PASSWORD;The entered and stored passwords do not match."
    const loginError = nvStr(ext, 'LoginError');
    if (loginError && ev.outcome === 'failure') {
      const [code, ...rest] = loginError.split(';');
      ev.reason = compact({ code: code!.trim(), text: rest.join(';').trim() || undefined });
    }
  }

  const a = ev.actor;
  mergeActor(a, actorFromIdentities(readIdentities(field(r, 'Actor'))));
  if (a.kind === 'unknown' || a.kind === 'system') a.kind = a.user || a.userId ? 'user' : a.kind;
  const appId = str(r, 'ApplicationId');
  if (appId) a.appId = appId.toLowerCase();
  const ua = nvStr(ext, 'UserAgent');
  if (ua) a.userAgent = ua;
  const deviceId = nvStr(dev, 'Id');
  if (deviceId && deviceId !== '00000000-0000-0000-0000-000000000000') a.deviceId = deviceId.toLowerCase();
  const deviceName = nvStr(dev, 'DisplayName');
  if (deviceName) a.deviceName = deviceName;

  // STS logons carry no authenticationRequirement; MFA is known only when the record shows the strong-auth
  // service at work: SAS:* request types (success = MFA done) or error 500121 (MFA failed).
  const requestType = nvStr(ext, 'RequestType');
  const resource = str(r, 'ObjectId');
  const auth: AuthFacts = {};
  if (resource && isGuid(resource)) auth.resourceId = resource.toLowerCase();
  if (errorNumber === '500121') {
    auth.requirement = 'multi';
    auth.mfa = 'failed';
  } else if (ev.outcome === 'success' && requestType && /^SAS:/i.test(requestType)) {
    auth.requirement = 'multi';
    auth.mfa = 'satisfied';
  }
  if (Object.keys(auth).length) ev.auth = auth;

  const sessionId = nvStr(dev, 'SessionId');
  const corr = str(r, 'InterSystemsId');
  const session = compact({ ...ev.session, id: sessionIdOf(sessionId) ?? ev.session?.id, correlationId: sessionIdOf(corr) ?? ev.session?.correlationId });
  if (Object.keys(session).length) ev.session = session;

  Object.assign(details, compact({
    requestType,
    resultStatusDetail: nvStr(ext, 'ResultStatusDetail'),
    keepMeSignedIn: boolOrUndef(nvStr(ext, 'KeepMeSignedIn')),
    userAuthenticationMethod: nvStr(ext, 'UserAuthenticationMethod'),
    device: deviceDetails(dev),
    client: str(r, 'Client'),
  }));
}

function deviceDetails(dev: Record<string, unknown>): Record<string, unknown> | undefined {
  const d = compact({
    os: nvStr(dev, 'OS'),
    browser: nvStr(dev, 'BrowserType'),
    compliant: boolOrUndef(nvStr(dev, 'IsCompliant')),
    compliantAndManaged: boolOrUndef(nvStr(dev, 'IsCompliantAndManaged')),
    trustType: nvStr(dev, 'TrustType'),
  });
  return Object.keys(d).length ? d : undefined;
}

/** Directory change: Entra operation names, Target[] / ModifiedProperties, grants via the shared Entra helper. */
export function decodeDirectory(r: Rec, ev: Event): void {
  const modified: ModifiedMap = decodeModifiedProperties(maybeJson(field(r, 'ModifiedProperties')));
  ev.action = auditAction(ev.operation, modified);

  mergeActor(ev.actor, actorFromIdentities(readIdentities(field(r, 'Actor'))));
  const ext = nvMap(r, 'ExtendedProperties');
  const additional = maybeJson(nvStr(ext, 'additionalDetails'));
  const add = isObject(additional) ? additional : {};
  const ua = strOrUndef(add['User-Agent']) ?? nvStr(ext, 'User-Agent');
  if (ua && !ev.actor.userAgent) ev.actor.userAgent = ua;

  const targets = targetsFromIdentities(readIdentities(field(r, 'Target')));
  if (targets.length === 0) {
    // older records carry only ObjectId (a UPN, "Not Available", an object id)
    const objectId = str(r, 'ObjectId');
    const upn = upnOrUndef(objectId);
    if (upn) targets.push({ type: 'user', name: upn });
    else if (objectId && objectId !== 'Not Available') targets.push({ type: 'other', id: objectId });
  }
  fillAppIds(targets, add, modified);
  if (Object.keys(modified).length > 0) {
    if (targets.length === 0) targets.push({ type: 'other' });
    targets[0]!.modified = modified;
  }
  addRoleTarget(ev.action, modified, targets);
  ev.targets = targets;

  const grants = extractGrants(ev.operation, modified, { targets });
  const category = nvStr(ext, 'extendedAuditEventCategory') ?? nvStr(ext, 'auditEventCategory');
  Object.assign(ev.details!, compact({ category, ...grants }));

  const corr = sessionIdOf(str(r, 'InterSystemsId'));
  if (corr) ev.session = { ...ev.session, correlationId: corr };
  // RecordType 8 records from the portal have no ResultStatus failure form; "resultType" in older ones
  const resultType = nvStr(ext, 'resultType');
  if (ev.outcome === 'unknown' && resultType) ev.outcome = /^success/i.test(resultType) ? 'success' : /^fail/i.test(resultType) ? 'failure' : 'unknown';
}

/** App / SP targets learn their appId from additionalDetails.AppId or the AppId modified property. */
function fillAppIds(targets: Target[], add: Record<string, unknown>, modified: ModifiedMap): void {
  const fromMod = first(modified.AppId?.new) ?? first(modified['TargetId.ServicePrincipalNames']?.new);
  const fromAdd = strOrUndef(add.AppId);
  const appId = fromAdd ?? (fromMod && isGuid(fromMod.split(';')[0]!.trim()) ? fromMod.split(';')[0]!.trim() : fromMod);
  if (!appId) return;
  for (const t of targets) if ((t.type === 'app' || t.type === 'servicePrincipal') && !t.appId) t.appId = appId.toLowerCase();
}

function first(v: unknown): string | undefined {
  return Array.isArray(v) ? strOrUndef(v[0]) : strOrUndef(v);
}

/** "Add member to role." names the role only in ModifiedProperties: make it a target too. */
function addRoleTarget(action: string, modified: ModifiedMap, targets: Target[]): void {
  if (action !== 'role.assign' && action !== 'role.remove') return;
  const side = action === 'role.assign' ? 'new' : 'old';
  const pick = (k: string): string | undefined => first(modified[k]?.[side]) ?? first(modified[k]?.new) ?? first(modified[k]?.old);
  const name = pick('Role.DisplayName');
  const id = pick('Role.ObjectID') ?? pick('Role.TemplateId');
  if (!name && !id) return;
  if (targets.some((t) => t.type === 'role')) return;
  targets.push(compact({ type: 'role' as const, id: id?.toLowerCase(), name }));
}

