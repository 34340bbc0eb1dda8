// UAL Audit.AzureActiveDirectory Actor[] / Target[]: flat lists of {ID, Type} where one object is spread over
// several items. Type is the IdentityType enum: 0 Claim (the object id in STS logons), 1 Name, 2 Other,
// 3 PUID, 4 SPN (an app id), 5 UPN. Type 2 items carry "<Kind>_<objectId>", the bare object id, and a bare
// "<Kind>" marker ("User", "ServicePrincipal", "Application", "Group", ...). Seen orders:
//   user:  UPN(5), PUID(3), "User_<oid>"(2), "<oid>"(2), "User"(2)
//   SP:    "ServicePrincipal_<oid>"(2), "<oid>"(2), "ServicePrincipal"(2), name(1), appId(2), appId(4)
//   app:   "Application_<oid>"(2), "<oid>"(2), "Application"(2), name(1), appId(2)
// Grouping by order is unreliable (actors put the name first, targets last), so items are grouped by kind.
import type { Actor, Target, TargetType } from '../../core/event.js';
import { maybeJson } from '../../core/json.js';
import { numOrUndef, strOrUndef } from '../../core/text.js';
import { isGuid, isUpn } from './fields.js';

export interface Identity {
  id: string;
  type?: number;
}

const KIND_TYPES: Readonly<Record<string, TargetType>> = {
  user: 'user',
  serviceprincipal: 'servicePrincipal',
  application: 'app',
  group: 'group',
  device: 'device',
  role: 'role',
  policy: 'policy',
  domain: 'domain',
  contact: 'other',
  directory: 'other',
};
const PREFIXED = /^(User|ServicePrincipal|Application|Group|Device|Role|Policy|Domain|Contact|Directory)_(.+)$/i;

/** Actor[] / Target[] (or the JSON text Sentinel stores) as {id, type} items. */
export function readIdentities(raw: unknown): Identity[] {
  const v = maybeJson(raw);
  if (!Array.isArray(v)) return [];
  const out: Identity[] = [];
  for (const item of v) {
    if (!item || typeof item !== 'object') continue;
    const o = item as Record<string, unknown>;
    const id = strOrUndef(o.ID ?? o.Id ?? o.id);
    if (!id) continue;
    const type = numOrUndef(o.Type ?? o.type);
    out.push(type === undefined ? { id } : { id, type });
  }
  return out;
}

interface Grouped {
  kinds: Map<TargetType, { id?: string }>; // kind -> object id
  upns: string[];
  names: string[];
  spns: string[]; // Type 4 ids (app ids)
  claims: string[]; // Type 0 ids
  bare: string[]; // Type 2 ids that are neither markers nor prefixed
}

function group(list: Identity[]): Grouped {
  const g: Grouped = { kinds: new Map(), upns: [], names: [], spns: [], claims: [], bare: [] };
  for (const { id, type } of list) {
    const pre = PREFIXED.exec(id);
    const marker = KIND_TYPES[id.toLowerCase()];
    if (pre) {
      const kind = KIND_TYPES[pre[1]!.toLowerCase()]!;
      g.kinds.set(kind, { id: pre[2]!.toLowerCase() });
    } else if (type === 2 && marker) {
      if (!g.kinds.has(marker)) g.kinds.set(marker, {});
    } else if (type === 5 || type === undefined) {
      if (isUpn(id)) g.upns.push(id.toLowerCase()); // Type 5 that isn't UPN-shaped (anonymised exports) names nobody
    }
    else if (type === 1) g.names.push(id);
    else if (type === 4) g.spns.push(id.toLowerCase());
    else if (type === 0) g.claims.push(id.toLowerCase());
    else if (type === 2) g.bare.push(id.toLowerCase());
  }
  return g;
}

/** The app id among an app/SP's items: a Type 4 GUID, else the one bare GUID that isn't an object id. */
function appIdOf(g: Grouped, objectIds: Set<string>): string | undefined {
  const spn = g.spns.find((s) => isGuid(s));
  if (spn) return spn;
  const bare = [...new Set(g.bare.filter((b) => !objectIds.has(b)))];
  return bare.length === 1 ? bare[0] : undefined;
}

/** Targets from Target[]. Returns [] when the list is empty or carries nothing usable. */
export function targetsFromIdentities(list: Identity[]): Target[] {
  const g = group(list);
  const objectIds = new Set([...g.kinds.values()].map((k) => k.id).filter((x): x is string => !!x));
  const out: Target[] = [];
  let nameUsed = false;
  for (const [type, { id }] of g.kinds) {
    const t: Target = { type };
    if (id) t.id = id;
    if (type === 'user') {
      if (g.upns[0]) t.name = g.upns[0];
    } else if (!nameUsed && g.names[0]) {
      t.name = g.names[0];
      nameUsed = true;
    }
    if (type === 'app' || type === 'servicePrincipal') {
      const appId = appIdOf(g, objectIds);
      if (appId) t.appId = appId;
    }
    out.push(t);
  }
  if (!g.kinds.has('user') && g.upns[0]) out.push({ type: 'user', name: g.upns[0] });
  // STS logons: Target is the resource app as a Type 0 id; that is auth.resourceId, not a target.
  return out.filter((t) => t.id || t.name || t.appId);
}

export interface ActorFacts {
  kind?: 'user' | 'app';
  user?: string;
  userId?: string;
  spId?: string;
  appId?: string;
  appName?: string;
}

/** What Actor[] says about who acted. */
export function actorFromIdentities(list: Identity[]): ActorFacts {
  const g = group(list);
  const out: ActorFacts = {};
  const user = g.kinds.get('user');
  const sp = g.kinds.get('servicePrincipal') ?? g.kinds.get('app');
  const objectIds = new Set([user?.id, sp?.id].filter((x): x is string => !!x));
  if (g.upns[0]) out.user = g.upns[0];
  if (user?.id) out.userId = user.id;
  // STS logon actors: the Type 0 GUID is the user's object id
  else if (!sp && g.claims.some(isGuid)) out.userId = g.claims.find(isGuid);
  // 2015-era records: UPN, a bare object id and the PUID, no "User_" item and no app named
  else if (!sp && out.user && g.names.length === 0) {
    const bare = [...new Set(g.bare.filter(isGuid))];
    if (bare.length === 1) out.userId = bare[0];
  }
  if (user || out.user || out.userId) out.kind = 'user';
  else if (sp) out.kind = 'app';
  if (sp?.id) out.spId = sp.id;
  if (g.names[0]) out.appName = g.names[0];
  // an app id only where an app is named or is the actor; otherwise a bare GUID is some object id
  if (sp || g.names.length > 0) {
    const appId = appIdOf(g, new Set([...objectIds, ...(out.userId ? [out.userId] : [])]));
    if (appId) out.appId = appId;
  }
  return out;
}

/**
 * Actor facts into an Actor. The kind from Actor[] wins (UserType 4 "System" is also set on records that an app
 * made through Graph); identity fields fill only what the record's own fields didn't say.
 */
export function mergeActor(actor: Actor, f: ActorFacts): void {
  if (f.kind) actor.kind = f.kind;
  if (f.user && !actor.user) actor.user = f.user;
  if (f.userId && !actor.userId) actor.userId = f.userId;
  if (f.spId && !actor.spId) actor.spId = f.spId;
  if (f.appId && !actor.appId) actor.appId = f.appId;
  if (f.appName && !actor.appName) actor.appName = f.appName;
}
