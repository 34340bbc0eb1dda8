// (a) Microsoft Graph signIn objects, v1.0 and beta (framing has already unwrapped {value:[…]} pages).
// Also reads the same object as the Graph PowerShell SDK serialises it (PascalCase keys, AdditionalProperties)
// and the Entra admin center's JSON download (an array of beta-shaped signIn objects).
import { getCI, isObject, maybeJson } from '../../core/json.js';
import type { Decoder } from '../types.js';
import type { Obj } from './fields.js';
import { isLaSignInRow } from './log-analytics.js';
import { normalizeSignIn } from './normalize.js';

export const GRAPH_SIGNIN = 'graph.signin';

const WHO = ['userprincipalname', 'userid', 'appid', 'serviceprincipalid'];

export function isGraphSignIn(v: Obj): boolean {
  const keys = new Set(Object.keys(v).map((k) => k.toLowerCase()));
  if (!keys.has('createddatetime')) return false;
  if (keys.has('properties') || keys.has('activitydatetime') || keys.has('timegenerated')) return false;
  if (!WHO.some((k) => keys.has(k))) return false;
  if (isLaSignInRow(v)) return false;
  // Graph alerts also have createdDateTime + a string status; a signIn's status is an object
  const status = maybeJson(getCI(v, 'status'));
  if (status !== undefined && status !== null) return isObject(status);
  return keys.has('ipaddress');
}

/** The SDK keeps beta-only properties it doesn't model in AdditionalProperties; lift them (record keys win). */
function liftAdditional(v: Obj): Obj {
  const extra = getCI(v, 'AdditionalProperties');
  return isObject(extra) ? { ...extra, ...v } : v;
}

export const graphSignInDecoder: Decoder = {
  id: GRAPH_SIGNIN,
  title: 'Microsoft Graph signIn (v1.0/beta; SDK objects; Entra admin center JSON download)',
  container: 'json',
  matchRecord: isGraphSignIn,
  decode(rec) {
    return normalizeSignIn({ p: liftAdditional(rec.value), format: GRAPH_SIGNIN }, rec);
  },
};
