// One normalizer for every spelling of an Entra sign-in: Graph signIn (v1.0/beta, camelCase or SDK PascalCase),
// the diagnostic export's `properties`, Log Analytics / Sentinel rows (PascalCase, JSON-text dynamic columns)
// and the admin-center CSV download (mapped to signIn names first). Format adapters only find the record and
// say what the envelope knows (tenant, category, fallback time/IP); the facts are read here, once.
import type { Actor, AuthFacts, Event, Geo, Risk, SourceKind, Target } from '../../core/event.js';
import { sessionIdOf, stableId } from '../../core/ids.js';
import { cleanIp } from '../../core/ip.js';
import { normalizeOperation, strOrUndef } from '../../core/text.js';
import { parseTime, type TimeOptions } from '../../core/time.js';
import { events, quarantine, type DecodeResult, type RawRecord } from '../types.js';
import {
  authSteps, caOf, caPolicySummary, credentialTypeOf, incomingTokenTypeOf, legacyOf, methodsOf, mfaState,
  namedLocations, protocolOf, requirementOf, type AuthStep,
} from './auth.js';
import { outcomeForCode, outcomeForText, passwordFactForCode } from './codes.js';
import { bool, compact, enumKey, get, isGuid, num, obj, str, strings, tenantFromPath, toBool, type Obj } from './fields.js';

export interface SignInInput {
  /** the signIn-like object */
  p: Obj;
  /** decoder id, for raw.format */
  format: string;
  /** the log the record came from (diag category, LA table, download file name), when known */
  kindHint?: SourceKind;
  /** the tenant whose log this is (diag envelope tenantId, LA AADTenantId) */
  tenant?: string;
  /** zone / day-first options for zone-less time text (CSV exports) */
  timeOpts?: TimeOptions;
  /** used only when the record has no createdDateTime: envelope `time` / TimeGenerated, and its name */
  fallbackTime?: { value: unknown; from: string };
  fallbackIp?: unknown;
  fallbackCountry?: unknown;
  fallbackCorrelationId?: unknown;
  /** diag `resultType` / LA `ResultType`: a code as text, sometimes "Success"/"Failure" */
  resultType?: unknown;
  resultDescription?: unknown;
  /** textual status ("Success" / "Failure" / "Interrupted") from the portal download */
  statusText?: string;
  operation?: unknown;
  /** format-specific extras for Event.details */
  extraDetails?: Obj;
}

const APP_KINDS = new Set<SourceKind>(['entra.signin.serviceprincipal', 'entra.signin.managedidentity']);

export function normalizeSignIn(inp: SignInInput, rec: RawRecord): DecodeResult {
  const { p } = inp;

  // --- time: createdDateTime (may carry a non-UTC offset); the envelope time only as a marked fallback
  const created = get(p, 'createdDateTime');
  let time = parseTime(created, inp.timeOpts);
  let timeFrom: string | undefined;
  if (time === undefined && created === undefined && inp.fallbackTime && inp.fallbackTime.value !== undefined) {
    time = parseTime(inp.fallbackTime.value, inp.timeOpts);
    if (time !== undefined) timeFrom = inp.fallbackTime.from;
  }
  if (time === undefined) {
    return quarantine(
      created !== undefined
        ? `sign-in createdDateTime ${preview(created)} is not a timestamp; fix the value or re-export`
        : 'sign-in record without createdDateTime (and no usable fallback time): no event time; re-export with createdDateTime / CreatedDateTime',
    );
  }

  const kind = kindOf(p, inp.kindHint);
  const isApp = APP_KINDS.has(kind);

  // --- result
  const status = obj(p, 'status');
  const code = num(status, 'errorCode') ?? num({ v: inp.resultType }, 'v');
  const outcome =
    code !== undefined ? outcomeForCode(code)
      : outcomeForText(inp.statusText) ?? outcomeForText(strOrUndef(inp.resultType)) ?? 'unknown';
  const failureText = str(status, 'failureReason') ?? strOrUndef(inp.resultDescription);
  const reason =
    outcome === 'success' || (code === undefined && outcome === 'unknown')
      ? undefined
      : compact({ code: code !== undefined ? String(code) : strOrUndef(inp.resultType) ?? 'unknown', text: failureText });

  // --- actor
  const actor = actorOf(p, inp, isApp);

  // --- target: the resource signed in to (always a service principal in the resource tenant)
  const resourceAppId = resourceAppIdOf(p);
  const resourceName = str(p, 'resourceDisplayName');
  const resourceSp = lowerGuid(str(p, 'resourceServicePrincipalId'));
  const targets: Target[] =
    resourceAppId || resourceName || resourceSp
      ? [compact<Target>({ type: 'servicePrincipal', id: resourceSp, appId: resourceAppId, name: resourceName })]
      : [];

  // --- auth
  const steps = authSteps(p);
  const requirement = requirementOf(str(p, 'authenticationRequirement'));
  const statusDetail = str(status, 'additionalDetails');
  const clientApp = str(p, 'clientAppUsed');
  const interactive = bool(p, 'isInteractive') ?? kind === 'entra.signin';
  const auth = compact<AuthFacts>({
    requirement,
    mfa: isApp ? undefined : mfaState(steps, statusDetail, obj(p, 'mfaDetail'), requirement, code, outcome),
    methods: methodsOf(p, steps),
    ca: caOf(str(p, 'conditionalAccessStatus')),
    interactive,
    clientApp,
    protocol: protocolOf(str(p, 'authenticationProtocol')),
    legacy: legacyOf(clientApp),
    resource: resourceName,
    resourceId: resourceAppId,
    credentialType: credentialTypeOf(str(p, 'clientCredentialType')),
  });

  const session = compact({
    // GUIDs in lower case as UAL has them (core/ids.ts); the token id is base64url, case-sensitive, kept as written
    id: sessionIdOf(str(p, 'sessionId')),
    tokenId: str(p, 'uniqueTokenIdentifier'),
    correlationId: sessionIdOf(str(p, 'correlationId') ?? inp.fallbackCorrelationId),
  });

  const risk = compact<Risk>({
    level: str(p, 'riskLevelDuringSignIn', 'riskLevel'),
    aggregated: str(p, 'riskLevelAggregated'),
    state: str(p, 'riskState'),
    detail: str(p, 'riskDetail'),
    types: strings(p, 'riskEventTypes_v2') ?? strings(p, 'riskEventTypes'),
  });

  const tenant =
    lowerGuid(inp.tenant) ?? tenantFromPath(get(p, 'resourceId')) ?? lowerGuid(str(p, 'resourceTenantId')) ??
    lowerGuid(str(p, 'homeTenantId')) ?? 'unknown';

  const details = detailsOf(p, {
    inp, kind, isApp, tenant, steps, code, statusDetail, timeFrom, user: actor.user,
    passwordPresented: interactive || auth.protocol === 'ropc' || auth.legacy === true,
  });

  const ev: Event = {
    id: str(p, 'id') ?? stableId(inp.format, rec.text),
    time,
    tenant,
    source: kind,
    action: 'signin',
    operation: normalizeOperation(strOrUndef(inp.operation) ?? 'Sign-in activity'),
    outcome,
    ...(reason ? { reason } : {}),
    actor,
    targets,
    ...(Object.keys(auth).length ? { auth } : {}),
    ...(Object.keys(session).length ? { session } : {}),
    ...(Object.keys(risk).length ? { risk } : {}),
    ...(Object.keys(details).length ? { details } : {}),
    raw: compact({ file: rec.file, line: rec.line, offset: rec.offset, format: inp.format, text: rec.text }),
  };
  return events(ev);
}

/** A short, safe rendering of a bad value for a quarantine reason (hostile objects can't break it). */
function preview(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.slice(0, 60));
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `(${Array.isArray(v) ? 'array' : typeof v})`;
}

/** Which sign-in log: the envelope's word (category/table/file) first, then signInEventTypes, then shape. */
function kindOf(p: Obj, hint: SourceKind | undefined): SourceKind {
  if (hint) return hint;
  const types = (strings(p, 'signInEventTypes') ?? []).map((t) => t.toLowerCase());
  if (types.includes('managedidentity')) return 'entra.signin.managedidentity';
  if (types.includes('serviceprincipal')) return 'entra.signin.serviceprincipal';
  if (types.includes('noninteractiveuser')) return 'entra.signin.noninteractive';
  if (types.includes('interactiveuser')) return 'entra.signin';
  const msi = str(obj(p, 'managedServiceIdentity'), 'msiType');
  if (msi && enumKey(msi) !== 'none') return 'entra.signin.managedidentity';
  const hasUser = str(p, 'userPrincipalName', 'userId') !== undefined;
  if (!hasUser && str(p, 'servicePrincipalId', 'servicePrincipalName') !== undefined) return 'entra.signin.serviceprincipal';
  return bool(p, 'isInteractive') === false ? 'entra.signin.noninteractive' : 'entra.signin';
}

function lowerGuid(s: string | undefined): string | undefined {
  return s !== undefined && isGuid(s) ? s.toLowerCase() : s;
}

/** The resource's appId: Graph/diag `resourceId`; Log Analytics `ResourceIdentity` (its `ResourceId` is an ARM path). */
function resourceAppIdOf(p: Obj): string | undefined {
  const ident = str(p, 'resourceIdentity');
  if (ident) return lowerGuid(ident);
  const rid = str(p, 'resourceId');
  return rid && !rid.startsWith('/') ? lowerGuid(rid) : undefined;
}

function actorOf(p: Obj, inp: SignInInput, isApp: boolean): Actor {
  const upn = str(p, 'userPrincipalName');
  let userId = lowerGuid(str(p, 'userId'));
  let user: string | undefined;
  if (!isApp && upn) {
    // Non-interactive logs sometimes carry the object id in userPrincipalName: it is not a UPN.
    if (isGuid(upn)) userId ??= upn.toLowerCase();
    else user = upn.toLowerCase();
  }
  const ipRaw = get(p, 'ipAddress');
  const ip = cleanIp(ipRaw) ?? cleanIp(inp.fallbackIp);
  const device = obj(p, 'deviceDetail');
  const asn = num(p, 'autonomousSystemNumber');
  const appName = str(p, 'appDisplayName') ?? (isApp ? str(p, 'servicePrincipalName') : undefined);
  return compact<Actor>({
    kind: isApp ? 'app' : 'user',
    user,
    userId: isApp ? undefined : userId,
    displayName: isApp ? str(p, 'servicePrincipalName') ?? appName : str(p, 'userDisplayName'),
    appId: lowerGuid(str(p, 'appId')),
    appName,
    spId: isApp ? lowerGuid(str(p, 'servicePrincipalId', 'appServicePrincipalId')) : undefined,
    ip: ip?.ip,
    port: ip?.port,
    userAgent: str(p, 'userAgent'),
    geo: geoOf(p, inp.fallbackCountry),
    asn: asn !== undefined && asn > 0 ? asn : undefined,
    deviceId: lowerGuid(str(device, 'deviceId')),
    deviceName: str(device, 'displayName'),
  });
}

/** Geo from the record's location ({} and 0/0 coordinates mean "no coordinates"). */
function geoOf(p: Obj, fallbackCountry: unknown): Geo | undefined {
  const loc = obj(p, 'locationDetails', 'location');
  const coords = obj(loc, 'geoCoordinates');
  let lat = num(coords, 'latitude');
  let lon = num(coords, 'longitude');
  if (lat === undefined || lon === undefined || (lat === 0 && lon === 0) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    lat = lon = undefined;
  }
  const fc = strOrUndef(fallbackCountry);
  const country = known(str(loc, 'countryOrRegion')) ?? (fc && /^[A-Za-z]{2}$/.test(fc) ? fc : undefined);
  const g = compact<Geo>({
    city: known(str(loc, 'city')),
    state: known(str(loc, 'state')),
    country: country?.toUpperCase(),
    lat,
    lon,
    from: 'record',
  });
  return Object.keys(g).length > 1 ? g : undefined;
}

/** "Unknown" is how some exports say "no value". */
function known(s: string | undefined): string | undefined {
  return s === undefined || /^unknown$/i.test(s) ? undefined : s;
}

interface DetailCtx {
  inp: SignInInput;
  kind: SourceKind;
  isApp: boolean;
  tenant: string;
  steps: AuthStep[];
  code: number | undefined;
  /** a password was presented: interactive, ROPC or a legacy (basic-auth) client */
  passwordPresented: boolean;
  statusDetail: string | undefined;
  timeFrom: string | undefined;
  user: string | undefined;
}

function detailsOf(p: Obj, c: DetailCtx): Obj {
  const device = obj(p, 'deviceDetail');
  const dev = compact({
    os: str(device, 'operatingSystem'),
    browser: str(device, 'browser'),
    compliant: toBool(get(device, 'isCompliant')),
    managed: toBool(get(device, 'isManaged')),
    trustType: str(device, 'trustType'),
  });
  const resourceTenantId = lowerGuid(str(p, 'resourceTenantId'));
  const homeTenantId = lowerGuid(str(p, 'homeTenantId'));
  const cross = str(p, 'crossTenantAccessType');
  const issuer = str(p, 'tokenIssuerType');
  const signInIdentifier = str(p, 'signInIdentifier');
  const ipRes = str(p, 'ipAddressFromResourceProvider');
  const ipRaw = str(p, 'ipAddress');
  const named = namedLocations(p);
  const userType = str(p, 'userType');
  return compact({
    userType: userType?.toLowerCase(),
    signInIdentifier: signInIdentifier && signInIdentifier.toLowerCase() !== c.user ? signInIdentifier : undefined,
    homeTenantId: homeTenantId !== c.tenant ? homeTenantId : undefined,
    resourceTenantId: resourceTenantId !== c.tenant ? resourceTenantId : undefined,
    crossTenantAccessType: enumKey(cross) === 'none' ? undefined : cross,
    statusDetail: c.statusDetail,
    passwordCorrect: c.isApp ? undefined : passwordFact(c),
    incomingTokenType: incomingTokenTypeOf(str(p, 'incomingTokenType')),
    tokenIssuerType: issuer && enumKey(issuer) !== 'azuread' ? issuer : undefined,
    device: Object.keys(dev).length ? dev : undefined,
    caPolicies: caPolicySummary(p),
    namedLocations: named.names,
    trustedLocation: named.names ? named.trusted : undefined,
    ipFromResource: ipRes ? (cleanIp(ipRes)?.ip ?? ipRes) : undefined,
    rawIp: ipRaw && !cleanIp(ipRaw) ? ipRaw : undefined,
    spCredentialKeyId: str(p, 'servicePrincipalCredentialKeyId'),
    spCredentialThumbprint: str(p, 'servicePrincipalCredentialThumbprint'),
    federatedCredentialId: str(p, 'federatedCredentialId'),
    managedIdentityType: c.kind === 'entra.signin.managedidentity' ? str(obj(p, 'managedServiceIdentity'), 'msiType') : undefined,
    flaggedForReview: bool(p, 'flaggedForReview') === true ? true : undefined,
    timeFrom: c.timeFrom,
    ...c.inp.extraDetails,
  });
}

/**
 * Did this sign-in prove the password? A Password step says so directly; otherwise the error code does, for
 * sign-ins that presented a password (interactive, ROPC, legacy clients); a non-interactive 50076 presented a
 * refresh token, not a password.
 */
function passwordFact(c: DetailCtx): boolean | undefined {
  const pw = c.steps.filter((s) => /^password/i.test(s.method ?? ''));
  if (pw.some((s) => s.succeeded === true)) return true;
  if (pw.some((s) => s.succeeded === false)) return false;
  if (c.code === undefined || !c.passwordPresented) return undefined;
  return passwordFactForCode(c.code);
}
