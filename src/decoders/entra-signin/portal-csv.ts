// (g) Entra admin center sign-in log "Download" as CSV: InteractiveSignIns_*.csv, NonInteractiveSignIns_*.csv,
// ApplicationSignIns_*.csv, MSISignIns_*.csv (and *_AuthDetails_*.csv, per-step rows joined by Request ID).
// Human headers ("Date (UTC)", "Request ID", "Username", "Sign-in error code", …) are matched by normalized name,
// never by position: headers carry stray spaces ("Application ID ", "Autonomous system  number"), one is
// repeated ("Incoming token type"), and columns come and go between portal versions. Each row is mapped to
// signIn property names and goes through the shared normalizer. Assumptions: docs/formats/entra-signin.md.
import type { SourceKind } from '../../core/event.js';
import { isValidZone } from '../../core/time.js';
import { filtered, quarantine, type Decoder } from '../types.js';
import type { Obj } from './fields.js';
import { normalizeSignIn } from './normalize.js';

export const PORTAL_SIGNIN_CSV = 'entra.portal.signin.csv';
export const PORTAL_AUTHDETAILS_CSV = 'entra.portal.signin.authdetails.csv';

/** "Application ID " / "Sign-in error code" / "Autonomous system  number" -> "application id" / "sign in error code" / … */
export function normHeader(h: string): string {
  return h.replace(/^\ufeff/, '').replace(/^"|"$/g, '').toLowerCase().replace(/[-_]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** normalized header -> signIn property path (dots nest) */
const COLUMN: Record<string, string> = {
  'request id': 'id',
  'user agent': 'userAgent',
  'correlation id': 'correlationId',
  'user id': 'userId',
  user: 'userDisplayName',
  username: 'userPrincipalName',
  'user principal name': 'userPrincipalName',
  'user type': 'userType',
  'cross tenant access type': 'crossTenantAccessType',
  'incoming token type': 'incomingTokenType',
  'authentication protocol': 'authenticationProtocol',
  'unique token identifier': 'uniqueTokenIdentifier',
  'original transfer method': 'originalTransferMethod',
  'client credential type': 'clientCredentialType',
  application: 'appDisplayName',
  'application id': 'appId',
  'app owner tenant id': 'appOwnerTenantId',
  resource: 'resourceDisplayName',
  'resource id': 'resourceId',
  'resource tenant id': 'resourceTenantId',
  'resource owner tenant id': 'resourceOwnerTenantId',
  'home tenant id': 'homeTenantId',
  'home tenant name': 'homeTenantName',
  'ip address': 'ipAddress',
  'sign in error code': 'status.errorCode',
  'error code': 'status.errorCode',
  'failure reason': 'status.failureReason',
  'multifactor authentication result': 'status.additionalDetails',
  'client app': 'clientAppUsed',
  'device id': 'deviceDetail.deviceId',
  browser: 'deviceDetail.browser',
  'operating system': 'deviceDetail.operatingSystem',
  compliant: 'deviceDetail.isCompliant',
  managed: 'deviceDetail.isManaged',
  'join type': 'deviceDetail.trustType',
  'multifactor authentication auth method': 'mfaDetail.authMethod',
  'multifactor authentication auth detail': 'mfaDetail.authDetail',
  'authentication requirement': 'authenticationRequirement',
  'sign in identifier': 'signInIdentifier',
  'session id': 'sessionId',
  'ip address (seen by resource)': 'ipAddressFromResourceProvider',
  'autonomous system number': 'autonomousSystemNumber',
  'flagged for review': 'flaggedForReview',
  'token issuer type': 'tokenIssuerType',
  'token issuer name': 'tokenIssuerName',
  latency: 'processingTimeInMilliseconds',
  'conditional access': 'conditionalAccessStatus',
  'managed identity type': 'managedServiceIdentity.msiType',
  'associated resource id': 'managedServiceIdentity.associatedResourceId',
  'federated token id': 'managedServiceIdentity.federatedTokenId',
  'federated token issuer': 'managedServiceIdentity.federatedTokenIssuer',
  'service principal id': 'servicePrincipalId',
  'service principal name': 'servicePrincipalName',
  'credential key id': 'servicePrincipalCredentialKeyId',
  'credential thumbprint': 'servicePrincipalCredentialThumbprint',
  'through global secure access': 'isThroughGlobalSecureAccess',
  'global secure access ip address': 'globalSecureAccessIpAddress',
};

const isDateHeader = (n: string): boolean => n === 'date' || n.startsWith('date (');

export function isPortalSignInHeader(header: string[]): boolean {
  const n = new Set(header.map(normHeader));
  const hasDate = [...n].some(isDateHeader);
  return hasDate && n.has('request id') && (n.has('username') || n.has('service principal id') || n.has('application id'));
}

export function isPortalAuthDetailsHeader(header: string[]): boolean {
  const n = new Set(header.map(normHeader));
  return n.has('request id') && n.has('authentication method') && !n.has('username') && !n.has('ip address');
}

/** Zone named by the date header: "Date (UTC)" -> UTC, "Date (UTC+02:00)" -> +02:00; undefined when none. */
function dateHeaderZone(h: string): string | undefined {
  const m = /\(\s*utc\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?\s*\)/i.exec(h);
  if (!m) return undefined;
  return m[1] ? `${m[1]}${m[2]!.padStart(2, '0')}:${m[3] ?? '00'}` : 'UTC';
}

/** "Redmond, Washington, US" -> {city, state, countryOrRegion}; the country is the last part when it is 2 letters. */
export function parseLocation(s: string): Obj | undefined {
  const parts = s.split(',').map((x) => x.trim()).filter((x) => x !== '' && !/^unknown$/i.test(x));
  if (parts.length === 0) return undefined;
  const loc: Obj = {};
  if (/^[A-Za-z]{2}$/.test(parts[parts.length - 1]!)) loc.countryOrRegion = parts.pop()!.toUpperCase();
  if (parts.length >= 2) loc.state = parts.pop();
  if (parts.length) loc.city = parts.join(', ');
  return loc;
}

function setPath(o: Obj, path: string, v: unknown): void {
  const parts = path.split('.');
  let cur = o;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i]!;
    if (typeof cur[k] !== 'object' || cur[k] === null) cur[k] = {};
    cur = cur[k] as Obj;
  }
  const last = parts[parts.length - 1]!;
  if (cur[last] === undefined) cur[last] = v; // a repeated header keeps its first non-empty cell
}

function kindFromFile(file: string): SourceKind | undefined {
  const base = file.split(/[\\/]/).pop() ?? '';
  if (/non[-_ ]?interactive/i.test(base)) return 'entra.signin.noninteractive';
  if (/msi|managed[-_ ]?identit/i.test(base)) return 'entra.signin.managedidentity';
  if (/application|service[-_ ]?principal/i.test(base)) return 'entra.signin.serviceprincipal';
  if (/interactive/i.test(base)) return 'entra.signin';
  return undefined;
}

export const portalSignInCsvDecoder: Decoder = {
  id: PORTAL_SIGNIN_CSV,
  title: 'Entra admin center sign-in log download (CSV: InteractiveSignIns / NonInteractiveSignIns / ApplicationSignIns / MSISignIns)',
  container: 'csv',
  matchHeader: isPortalSignInHeader,
  decode(rec, ctx) {
    const p: Obj = {};
    let dateCell: string | undefined;
    let dateZone: string | undefined;
    let statusText: string | undefined;
    const names = new Set<string>();
    for (const [h, raw] of Object.entries(rec.value)) {
      const n = normHeader(h);
      names.add(n);
      // CSV framing gives text; anything else is not a cell value
      if (typeof raw !== 'string') continue;
      const v = raw.trim();
      if (v === '') continue;
      if (isDateHeader(n)) {
        dateCell ??= v;
        dateZone = dateHeaderZone(h);
      } else if (n === 'status') statusText = v;
      else if (n === 'location') {
        const loc = parseLocation(v);
        if (loc) p.location = loc;
      } else if (COLUMN[n]) setPath(p, COLUMN[n], v);
    }
    if (dateCell === undefined) return quarantine('download row without a date ("Date (UTC)") value: no event time; re-download the log');
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(dateCell);
    const tz = dateZone ?? ctx.tz;
    if (!zoned && !tz) {
      return quarantine('the date column names no time zone and the value has none; pass --tz <IANA zone or ±HH:MM> for this export');
    }
    if (tz && !isValidZone(tz)) return quarantine(`unknown time zone "${tz}"; pass --tz as an IANA zone or ±HH:MM`);
    p.createdDateTime = dateCell;

    // Which log: a managed identity type on the row, the download's file name, then the columns.
    const msi = (p.managedServiceIdentity as Obj | undefined)?.msiType;
    let kindHint: SourceKind | undefined =
      typeof msi === 'string' && msi.toLowerCase() !== 'none' ? 'entra.signin.managedidentity' : kindFromFile(rec.file);
    if (!kindHint && !names.has('username') && names.has('service principal id')) kindHint = 'entra.signin.serviceprincipal';

    return normalizeSignIn(
      {
        p,
        format: PORTAL_SIGNIN_CSV,
        kindHint,
        timeOpts: { tz, dayFirst: ctx.dayFirst },
        statusText,
        extraDetails: kindHint ? undefined : { logAssumed: 'interactive (file name does not say which sign-in log)' },
      },
      rec,
    );
  },
};

export const portalAuthDetailsCsvDecoder: Decoder = {
  id: PORTAL_AUTHDETAILS_CSV,
  title: 'Entra admin center sign-in download, authentication details CSV (*_AuthDetails_*.csv)',
  container: 'csv',
  matchHeader: isPortalAuthDetailsHeader,
  decode() {
    return filtered(
      'per-step authentication details row (joined to its sign-in by Request ID): not an event on its own; ' +
        'for MFA details read the JSON download or Graph beta signIns',
    );
  },
};
