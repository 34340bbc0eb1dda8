// (b) Azure Monitor diagnostic-settings records for the sign-in categories (Event Hub / storage / Panther):
// { time, category, tenantId, resultType, callerIpAddress, location, properties: { …beta-shaped signIn… } }.
// The event time is properties.createdDateTime (`time` is processing time and lags minutes).
import type { SourceKind } from '../../core/event.js';
import { getCI, isObject, maybeJson } from '../../core/json.js';
import { quarantine, type Decoder } from '../types.js';
import { get, str, tenantFromPath, type Obj } from './fields.js';
import { normalizeSignIn } from './normalize.js';

export const DIAG_SIGNIN = 'azure.diag.signin';

/** diagnostic category -> sign-in log (note the capital I in "SignInLogs"; the LA table is "SigninLogs") */
export const CATEGORY_KIND: Record<string, SourceKind> = {
  signinlogs: 'entra.signin',
  noninteractiveusersigninlogs: 'entra.signin.noninteractive',
  serviceprincipalsigninlogs: 'entra.signin.serviceprincipal',
  microsoftserviceprincipalsigninlogs: 'entra.signin.serviceprincipal',
  managedidentitysigninlogs: 'entra.signin.managedidentity',
};

export function signInCategory(v: unknown): SourceKind | undefined {
  const c = getCI(v, 'category');
  if (typeof c !== 'string') return undefined;
  // asked twice per record (match, decode) with a handful of spellings: remember them
  let k = KIND_OF.get(c);
  if (k === undefined) {
    k = CATEGORY_KIND[c.trim().toLowerCase()] ?? null;
    if (c.length <= 100) {
      if (KIND_OF.size >= 1000) KIND_OF.clear();
      KIND_OF.set(c, k);
    }
  }
  return k ?? undefined;
}
const KIND_OF = new Map<string, SourceKind | null>();

export function isDiagSignIn(v: Obj): boolean {
  if ('TimeGenerated' in v || 'Type' in v) return false; // a Log Analytics row with a Category column
  return signInCategory(v) !== undefined && ('properties' in v || 'time' in v || 'operationName' in v);
}

export const diagSignInDecoder: Decoder = {
  id: DIAG_SIGNIN,
  title: 'Azure Monitor diagnostic export: SignInLogs, NonInteractiveUser/ServicePrincipal/MicrosoftServicePrincipal/ManagedIdentitySignInLogs',
  container: 'json',
  matchRecord: isDiagSignIn,
  decode(rec) {
    const v = rec.value;
    const c = getCI(v, 'category');
    const category = typeof c === 'string' ? c.trim() : 'sign-in';
    const props = maybeJson(getCI(v, 'properties'));
    if (!isObject(props) || !hasKeys(props)) {
      const keys = Object.keys(v).slice(0, 6).join(', ');
      return quarantine(
        `${category} diagnostic record without properties (keys: ${keys}): no sign-in facts (no properties.createdDateTime, user, app, IP or result); export the full record including "properties"`,
      );
    }
    return normalizeSignIn(
      {
        p: props,
        format: DIAG_SIGNIN,
        kindHint: signInCategory(v),
        tenant: str(v, 'tenantId') ?? tenantFromPath(get(v, 'resourceId')) ?? str(props, 'tenantId'),
        fallbackTime: { value: get(v, 'time'), from: 'envelope time (log processing time, not the sign-in time)' },
        fallbackIp: get(v, 'callerIpAddress'),
        fallbackCountry: get(v, 'location'),
        fallbackCorrelationId: get(v, 'correlationId'),
        resultType: get(v, 'resultType'),
        resultDescription: get(v, 'resultDescription'),
        operation: get(v, 'operationName'),
        extraDetails: /^microsoft/i.test(category) ? { microsoftServicePrincipal: true } : undefined,
      },
      rec,
    );
  },
};

function hasKeys(o: Record<string, unknown>): boolean {
  for (const _k in o) return true;
  return false;
}
