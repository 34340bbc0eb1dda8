// (c) Log Analytics / Sentinel sign-in tables: SigninLogs, AADNonInteractiveUserSignInLogs,
// AADServicePrincipalSignInLogs, AADManagedIdentitySignInLogs — as JSON/NDJSON rows and as the portal CSV export.
// Columns are PascalCase; dynamic columns (Status, DeviceDetail, LocationDetails, AuthenticationDetails…) are
// objects in some exports and JSON text in others (always text in CSV). `TenantId` is the *workspace* id and is
// never used as the Entra tenant (AADTenantId is). `ResourceId` is an ARM path; the resource app is ResourceIdentity.
import type { SourceKind } from '../../core/event.js';
import { getCI } from '../../core/json.js';
import { baseColumn, laRowFromCsv } from '../shared/log-analytics.js';
import { quarantine, type DecodeContext, type DecodeResult, type Decoder, type RawRecord } from '../types.js';
import { CATEGORY_KIND } from './diag.js';
import { get, str, tenantFromPath, type Obj } from './fields.js';
import { normalizeSignIn } from './normalize.js';

export const LA_SIGNIN = 'loganalytics.signin';
export const LA_SIGNIN_CSV = 'loganalytics.signin.csv';

export const TABLE_KIND: Record<string, SourceKind> = {
  signinlogs: 'entra.signin',
  aadnoninteractiveusersigninlogs: 'entra.signin.noninteractive',
  aadserviceprincipalsigninlogs: 'entra.signin.serviceprincipal',
  aadmanagedidentitysigninlogs: 'entra.signin.managedidentity',
};

function lower(v: unknown): string {
  return typeof v === 'string' ? v.trim().toLowerCase() : '';
}

function laKind(row: Obj): SourceKind | undefined {
  return TABLE_KIND[lower(getCI(row, 'Type'))] ?? CATEGORY_KIND[lower(getCI(row, 'Category'))];
}

export function isLaSignInRow(v: Obj): boolean {
  const type = getCI(v, 'Type');
  if (typeof type === 'string') return TABLE_KIND[lower(type)] !== undefined;
  // a row projected without its Type column: TimeGenerated plus a sign-in Category / OperationName
  if (getCI(v, 'TimeGenerated') === undefined || 'properties' in v) return false;
  return CATEGORY_KIND[lower(getCI(v, 'Category'))] !== undefined || lower(getCI(v, 'OperationName')) === 'sign-in activity';
}

function decodeLaRow(row: Obj, rec: RawRecord, ctx: DecodeContext, format: string, tz?: string): DecodeResult {
  return normalizeSignIn(
    {
      p: row,
      format,
      kindHint: laKind(row),
      tenant: str(row, 'AADTenantId') ?? tenantFromPath(get(row, 'ResourceId', '_ResourceId')),
      timeOpts: { tz, dayFirst: ctx.dayFirst },
      fallbackTime: { value: get(row, 'TimeGenerated'), from: 'TimeGenerated (ingestion time; the table has no CreatedDateTime)' },
      fallbackCountry: get(row, 'Location'),
      resultType: get(row, 'ResultType'),
      resultDescription: get(row, 'ResultDescription'),
      operation: get(row, 'OperationName'),
    },
    rec,
  );
}

export const laSignInDecoder: Decoder = {
  id: LA_SIGNIN,
  title: 'Log Analytics / Sentinel sign-in tables as JSON rows (SigninLogs, AAD*SignInLogs)',
  container: 'json',
  matchRecord: isLaSignInRow,
  decode(rec, ctx) {
    return decodeLaRow(rec.value, rec, ctx, LA_SIGNIN);
  },
};

const TEXT_SIGNALS = ['ipaddress', 'clientappused', 'conditionalaccessstatus', 'authenticationrequirement', 'resourcedisplayname', 'serviceprincipalname'];

/** Log Analytics portal CSV of a sign-in table: zone-suffixed datetime headers ("TimeGenerated [UTC]"). */
export function isLaSignInHeader(header: string[]): boolean {
  const cols = new Set(header.map((h) => baseColumn(h).toLowerCase()));
  const laTime = cols.has('timegenerated') || header.some((h) => /^CreatedDateTime\s*\[/i.test(h));
  const who = cols.has('userprincipalname') || cols.has('serviceprincipalid') || cols.has('appid');
  const result = cols.has('resulttype') || cols.has('status');
  const audit = cols.has('activitydisplayname') || cols.has('initiatedby') || cols.has('riskeventtype');
  return laTime && who && result && !audit && TEXT_SIGNALS.some((c) => cols.has(c));
}

export const laSignInCsvDecoder: Decoder = {
  id: LA_SIGNIN_CSV,
  title: 'Log Analytics portal CSV export of a sign-in table ("TimeGenerated [UTC]", "CreatedDateTime [UTC]")',
  container: 'csv',
  matchHeader: isLaSignInHeader,
  decode(rec, ctx) {
    const header = rec.header ?? Object.keys(rec.value);
    const r = laRowFromCsv(rec.value, header, ctx);
    if ('error' in r) return quarantine(r.error);
    // Keep cells as text: the normalizer decodes JSON only where it expects structure, so a user agent or
    // display name that happens to look like JSON stays a string.
    const row: Obj = {};
    for (const h of header) row[baseColumn(h)] = rec.value[h];
    return decodeLaRow(row, rec, ctx, LA_SIGNIN_CSV, r.tz);
  },
};
