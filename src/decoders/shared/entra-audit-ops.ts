// THE mapping from Entra directory-audit operation names to tenantwatch Actions, plus the extraction of what a
// consent / app-role / role / credential event granted. Shared by every pipeline that carries Entra audit
// records: Graph directoryAudit, the Azure Monitor AuditLogs export, Log Analytics AuditLogs, and the unified
// audit log's Audit.AzureActiveDirectory records ("Consent to application." with a trailing period).
//
// Stable API (other decoders import these names; keep them):
//   auditAction(op, modified?)         -> Action
//   decodeModifiedProperties(arr)      -> ModifiedMap   (Entra {displayName,oldValue,newValue} or UAL {Name,OldValue,NewValue})
//   mergeModified(...maps)             -> ModifiedMap
//   extractGrants(op, modified, opts?) -> AuditGrants   (spread straight into Event.details)
//   credentialChange(modified)         -> CredentialChange | undefined
//   parseConsentPermissions(text)      -> ConsentGrant[]
//   resourceAppIdFor(nameOrSpns)       -> string | undefined
//   KNOWN_RESOURCE_APPS, KNOWN_APP_ROLES
import type { Action } from '../../core/event.js';
import { deepJson } from '../../core/json.js';
import { boolOrUndef, opKey, strOrUndef } from '../../core/text.js';

/** Decoded modifiedProperties: name -> {old,new}; the same shape as Target.modified. */
export type ModifiedMap = Record<string, { old?: unknown; new?: unknown }>;

/** A target as the caller knows it, so grants can name the resource / grantee / role it points at. */
export interface GrantTargetHint {
  type?: string; // raw type ("ServicePrincipal", "Role", "User") or tenantwatch TargetType
  id?: string;
  name?: string;
}

export interface CredentialInfo {
  type: string; // 'password' | 'certificate' | 'symmetric' | 'federated' | raw lower-cased KeyType
  keyId?: string;
  displayName?: string;
  usage?: string;
}

export interface CredentialChange {
  added: CredentialInfo[];
  removed: CredentialInfo[];
}

/** One grant inside ConsentAction.Permissions ("[[Id: …, ClientId: …, ConsentType: AllPrincipals, Scope: a b]]"). */
export interface ConsentGrant {
  clientId?: string; // client service principal object id
  principalId?: string; // consenting user (delegated, ConsentType Principal)
  resourceId?: string; // resource service principal object id
  consentType?: string; // AllPrincipals | Principal
  scopes: string[];
}

/** Normalized extras of consent / app-role / role / credential events; only known keys are present. */
export interface AuditGrants {
  permissions?: string[]; // delegated scopes or app role values (ids when no value is known)
  roles?: string[]; // directory role display names (template id when no name)
  roleTemplateIds?: string[];
  adminConsent?: boolean;
  appOnly?: boolean;
  allPrincipals?: boolean;
  consentType?: string;
  consentReason?: string;
  appRoleId?: string;
  resourceAppId?: string;
  resourceName?: string;
  resourceSpId?: string;
  resourceSpIds?: string[];
  grantee?: { spId?: string; appId?: string; name?: string };
  roleAssignment?: 'active' | 'eligible' | 'scoped' | 'activation';
  credential?: CredentialInfo;
  credentials?: CredentialInfo[]; // only when more than one changed
}

// ---------------------------------------------------------------------------------------------------------------
// Well-known Microsoft constants (same in every tenant; see shared/reference/detections.md)

/** Resource application appIds by service principal display name (lower-cased). */
export const KNOWN_RESOURCE_APPS: Readonly<Record<string, string>> = {
  'office 365 exchange online': '00000002-0000-0ff1-ce00-000000000000',
  'microsoft graph': '00000003-0000-0000-c000-000000000000',
  'windows azure active directory': '00000002-0000-0000-c000-000000000000',
  'office 365 sharepoint online': '00000003-0000-0ff1-ce00-000000000000',
  'office 365 management apis': 'c5393580-f805-4401-95e8-94b7a6ef2fc2',
};

/** App role ids -> values for the high-risk application permissions (used when AppRole.Value is absent). */
export const KNOWN_APP_ROLES: Readonly<Record<string, string>> = {
  'dc50a0fb-09a3-484d-be87-e023b12c6440': 'Exchange.ManageAsApp',
  'dc890d15-9560-4a4c-9b7f-a736ec74ec40': 'full_access_as_app',
  'b633e1c5-b582-4048-a93e-9f11b44c7e96': 'Mail.Send',
  'e2a3a72e-5f79-4c64-b1b1-878b674786c9': 'Mail.ReadWrite',
  '810c84a8-4a9e-49e6-bf7d-12d183f40d01': 'Mail.Read',
  '19dbc75e-c2e2-444c-a770-ec69d8559fc7': 'Directory.ReadWrite.All',
  '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8': 'RoleManagement.ReadWrite.Directory',
  '06b708a9-e830-4db3-a914-8e69da51d44f': 'AppRoleAssignment.ReadWrite.All',
  '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9': 'Application.ReadWrite.All',
  '741f803b-c850-494e-b5df-cde7c675a1ca': 'User.ReadWrite.All',
  '75359482-378d-4052-8f01-80520e7db3cd': 'Files.ReadWrite.All',
};

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * Resource appId from a service principal display name, or from a TargetId.ServicePrincipalNames list
 * ("00000003-…;https://graph.microsoft.com" or Exchange's "https://outlook.office.com;…;Microsoft.Exchange").
 */
export function resourceAppIdFor(nameOrSpns: unknown): string | undefined {
  const parts = flatStrings(nameOrSpns).flatMap((s) => s.split(';')).map((s) => s.trim()).filter(Boolean);
  for (const p of parts) {
    const known = KNOWN_RESOURCE_APPS[p.toLowerCase()];
    if (known) return known;
  }
  for (const p of parts) if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(p)) return p.toLowerCase();
  for (const p of parts) {
    const l = p.toLowerCase();
    if (l === 'microsoft.exchange' || l.startsWith('https://outlook.office.com') || l.startsWith('https://outlook.office365.com'))
      return KNOWN_RESOURCE_APPS['office 365 exchange online'];
    if (l.startsWith('https://graph.microsoft.com')) return KNOWN_RESOURCE_APPS['microsoft graph'];
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// modifiedProperties

/**
 * [{displayName, oldValue, newValue}] (Entra) or [{Name, OldValue, NewValue}] (UAL) -> map with JSON text decoded.
 * Empty strings and null mean "absent" (UAL writes OldValue "" where Entra writes null). First occurrence wins.
 */
export function decodeModifiedProperties(arr: unknown): ModifiedMap {
  const out: ModifiedMap = {};
  const list = deepJson(arr);
  if (!Array.isArray(list)) return out;
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const o = item as Record<string, unknown>;
    const name = strOrUndef(o.displayName ?? o.DisplayName ?? o.Name ?? o.name);
    if (!name || Object.prototype.hasOwnProperty.call(out, name)) continue;
    const entry: { old?: unknown; new?: unknown } = {};
    const oldV = decodeValue(o.oldValue ?? o.OldValue);
    const newV = decodeValue(o.newValue ?? o.NewValue);
    if (oldV !== undefined) entry.old = oldV;
    if (newV !== undefined) entry.new = newV;
    if (oldV === undefined && newV === undefined) continue; // {"Group.WellKnownObjectName": null -> null} says nothing
    out[name] = entry;
  }
  return out;
}

function decodeValue(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' && v.trim() === '') return undefined;
  const d = deepJson(v);
  // legacy policy records hold JSON text inside the array: ["{\"Version\":1,…}"]
  return Array.isArray(d) ? d.map((x) => deepJson(x)) : d;
}

/** Merge several targets' maps (first wins) so grants can be read regardless of which target carried them. */
export function mergeModified(...maps: (ModifiedMap | undefined)[]): ModifiedMap {
  const out: ModifiedMap = {};
  for (const m of maps) {
    if (!m) continue;
    for (const [k, v] of Object.entries(m)) if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = v;
  }
  return out;
}

/** Case-insensitive lookup; UAL and Entra agree on names but not always on case. */
function prop(m: ModifiedMap, name: string): { old?: unknown; new?: unknown } | undefined {
  if (Object.prototype.hasOwnProperty.call(m, name)) return m[name];
  const l = name.toLowerCase();
  for (const k of Object.keys(m)) if (k.toLowerCase() === l) return m[k];
  return undefined;
}

/** The single string a modified value holds: "x", ["x"], or a JSON-quoted string. */
function single(v: unknown): string | undefined {
  const d = deepJson(v);
  if (Array.isArray(d)) return d.length > 0 ? single(d[0]) : undefined;
  return strOrUndef(d);
}

function newStr(m: ModifiedMap, name: string): string | undefined {
  return single(prop(m, name)?.new);
}

function flatStrings(v: unknown): string[] {
  const d = deepJson(v);
  if (Array.isArray(d)) return d.flatMap(flatStrings);
  const s = strOrUndef(d);
  return s ? [s] : [];
}

// ---------------------------------------------------------------------------------------------------------------
// Credentials (KeyDescription / KeyCredentials / PasswordCredentials)

const KEY_FIELDS = /,(?=\s*(?:KeyIdentifier|KeyType|KeyUsage|DisplayName|StartDate|EndDate)=)/;

/** "[KeyIdentifier=<guid>,KeyType=Password,KeyUsage=Verify,DisplayName=CN=a, O=b]" -> CredentialInfo. */
function parseKeyDescription(s: string): CredentialInfo | undefined {
  const body = s.trim().replace(/^\[/, '').replace(/\]$/, '');
  if (!/KeyIdentifier=|KeyType=/.test(body)) return undefined;
  const fields: Record<string, string> = {};
  for (const part of body.split(KEY_FIELDS)) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return credential(fields.KeyType, fields.KeyIdentifier, fields.DisplayName, fields.KeyUsage);
}

function credentialType(raw: string | undefined, fallback: string): string {
  if (!raw) return fallback;
  const l = raw.toLowerCase();
  if (l === 'password' || l === 'passwordcredential' || l === '2') return 'password';
  if (l.includes('x509') || l.includes('cert') || l === 'asymmetric') return 'certificate';
  if (l === 'symmetric') return 'symmetric';
  return l;
}

function credential(type: string | undefined, keyId: string | undefined, displayName: string | undefined, usage: string | undefined, fallback = 'unknown'): CredentialInfo {
  const c: CredentialInfo = { type: credentialType(strOrUndef(type), fallback) };
  const k = strOrUndef(keyId);
  const d = strOrUndef(displayName);
  const u = strOrUndef(usage);
  if (k) c.keyId = k.toLowerCase();
  if (d) c.displayName = d;
  if (u) c.usage = u;
  return c;
}

/** Entries of one KeyDescription / KeyCredentials / PasswordCredentials value (strings or objects). */
function credentialEntries(v: unknown, fallbackType: string): CredentialInfo[] {
  const d = deepJson(v);
  const list = Array.isArray(d) ? d : d === undefined || d === null ? [] : [d];
  const out: CredentialInfo[] = [];
  for (const raw of list) {
    const e = deepJson(raw);
    if (typeof e === 'string') {
      const parsed = parseKeyDescription(e);
      if (parsed) out.push(parsed);
    } else if (e && typeof e === 'object' && !Array.isArray(e)) {
      const o = e as Record<string, unknown>;
      out.push(
        credential(
          strOrUndef(o.KeyType ?? o.keyType ?? o.type ?? o.Type),
          strOrUndef(o.KeyIdentifier ?? o.keyIdentifier ?? o.KeyId ?? o.keyId),
          strOrUndef(o.DisplayName ?? o.displayName ?? o.customKeyIdentifier),
          strOrUndef(o.KeyUsage ?? o.keyUsage ?? o.usage),
          fallbackType,
        ),
      );
    }
  }
  return out;
}

const credKey = (c: CredentialInfo): string => c.keyId ?? `${c.type}|${c.displayName ?? ''}|${c.usage ?? ''}`;

/**
 * What credentials a change added or removed, from KeyDescription (Entra/UAL portal form), KeyCredentials,
 * PasswordCredentials or FederatedIdentityCredentials. Undefined when the properties say nothing about credentials.
 */
export function credentialChange(modified: ModifiedMap): CredentialChange | undefined {
  const sources: [string, string][] = [
    ['KeyDescription', 'unknown'],
    ['KeyCredentials', 'certificate'],
    ['PasswordCredentials', 'password'],
    ['FederatedIdentityCredentials', 'federated'],
  ];
  let seen = false;
  const added: CredentialInfo[] = [];
  const removed: CredentialInfo[] = [];
  for (const [name, fallback] of sources) {
    const p = prop(modified, name);
    if (!p) continue;
    seen = true;
    const oldList = credentialEntries(p.old, fallback);
    const newList = credentialEntries(p.new, fallback);
    const oldKeys = new Set(oldList.map(credKey));
    const newKeys = new Set(newList.map(credKey));
    added.push(...newList.filter((c) => !oldKeys.has(credKey(c))));
    removed.push(...oldList.filter((c) => !newKeys.has(credKey(c))));
    // Panther-style / simplified records: KeyDescription is just the secret's name, KeyType beside it.
    if (name === 'KeyDescription' && newList.length === 0 && oldList.length === 0) {
      const label = single(p.new);
      if (label && label !== '[]') {
        added.push(credential(newStr(modified, 'KeyType'), newStr(modified, 'KeyIdentifier'), label, newStr(modified, 'KeyUsage')));
      }
    }
  }
  return seen ? { added, removed } : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Operation names -> Action

const EXACT: Readonly<Record<string, Action>> = {
  // applications
  'add application': 'app.create',
  'update application': 'app.update',
  'delete application': 'app.delete',
  'hard delete application': 'app.delete',
  'add owner to application': 'app.owner.add',
  'add owner to service principal': 'app.owner.add',
  // service principals
  'add service principal': 'sp.create',
  'update service principal': 'sp.update',
  'delete service principal': 'sp.delete',
  'remove service principal': 'sp.delete',
  'hard delete service principal': 'sp.delete',
  'add service principal credentials': 'sp.credential.add',
  'remove service principal credentials': 'sp.credential.remove',
  // consent and permissions
  'consent to application': 'consent.grant',
  'add delegated permission grant': 'delegated.permission.grant',
  'update delegated permission grant': 'delegated.permission.grant',
  'add app role assignment to service principal': 'approle.assign',
  'remove app role assignment from service principal': 'approle.remove',
  // users
  'add user': 'user.create',
  'update user': 'user.update',
  'disable account': 'user.update',
  'enable account': 'user.update',
  'delete user': 'user.delete',
  'hard delete user': 'user.delete',
  'reset user password': 'user.password.reset',
  'reset password (by admin)': 'user.password.reset',
  'reset password (self-service)': 'user.password.reset',
  'change user password': 'user.password.change',
  'change password (self-service)': 'user.password.change',
  'update stsrefreshtokenvalidfrom timestamp': 'user.sessions.revoke',
  'disable strong authentication': 'user.mfa.remove',
  'enable strong authentication': 'user.mfa.update',
  // groups
  'add member to group': 'group.member.add',
  'remove member from group': 'group.member.remove',
  // domains
  'add domain to company': 'domain.add',
  'add unverified domain': 'domain.add',
  'add verified domain': 'domain.add',
  'verify domain': 'domain.update',
  'verify email verified domain': 'domain.update',
  'remove unverified domain': 'domain.remove',
  'remove verified domain': 'domain.remove',
  'remove domain from company': 'domain.remove',
  'delete domain': 'domain.remove',
  'set domain authentication': 'domain.federation.change',
  'set federation settings on domain': 'domain.federation.change',
  'update domain': 'domain.federation.change', // refined by modified properties, see below
};

const CERTS_AND_SECRETS = /certificates and secrets management$/;
const POLICY_OP = /^(add|update|delete|set|remove) (.+ )?polic(y|ies)$/;
const ROLE_ADD = /^add (member|eligible member|scoped member) to role\b/;
const ROLE_REMOVE = /^remove (member|eligible member|scoped member) from role\b/;
const FEDERATION_PROP = /federat|livetype|authentication|issueruri|passiveloginuri|signingcertificate/i;

/**
 * The Action for an Entra audit operation name ("Consent to application." / "Update application – Certificates and
 * secrets management " / "Add member to role"). `modified` refines credential and domain operations; without it the
 * generic action is returned (app.update, sp.update, domain.federation.change).
 */
export function auditAction(op: string, modified?: ModifiedMap): Action {
  const k = opKey(op);
  if (k === '') return 'other';

  if (CERTS_AND_SECRETS.test(k)) {
    const sp = k.includes('service principal');
    return credentialAction(sp ? 'sp' : 'app', modified) ?? (sp ? 'sp.update' : 'app.update');
  }
  if (k === 'update application' || k === 'update service principal') {
    const kind = k === 'update application' ? 'app' : 'sp';
    return credentialAction(kind, modified) ?? EXACT[k]!;
  }
  if (k === 'update domain' && modified && Object.keys(modified).length > 0) {
    return mentionsFederation(modified) ? 'domain.federation.change' : 'domain.update';
  }

  const exact = EXACT[k];
  if (exact) return exact;

  if (ROLE_ADD.test(k)) return k.includes('requested') || k.includes('approval') ? 'other' : 'role.assign';
  if (ROLE_REMOVE.test(k)) return k.includes('requested') || k.includes('approval') ? 'other' : 'role.remove';

  if (k.includes('security info')) {
    if (/\bregistered\b/.test(k)) return 'user.mfa.register';
    if (/\bdeleted\b/.test(k)) return 'user.mfa.remove';
    if (/\b(changed|updated)\b/.test(k)) return 'user.mfa.update';
    return 'other';
  }
  if (POLICY_OP.test(k)) return 'policy.change';
  return 'other';
}

function credentialAction(kind: 'app' | 'sp', modified: ModifiedMap | undefined): Action | undefined {
  if (!modified) return undefined;
  const change = credentialChange(modified);
  if (!change) return undefined;
  // a rotation (one added, one removed) still hands someone a new working credential: report the add
  if (change.added.length > 0) return kind === 'app' ? 'app.credential.add' : 'sp.credential.add';
  if (change.removed.length > 0) return kind === 'app' ? 'app.credential.remove' : 'sp.credential.remove';
  return undefined;
}

function mentionsFederation(modified: ModifiedMap): boolean {
  for (const [name, v] of Object.entries(modified)) {
    if (FEDERATION_PROP.test(name)) return true;
    if (name === 'Included Updated Properties' && FEDERATION_PROP.test(flatStrings(v.new).join(','))) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Consent permissions

/**
 * Parse ConsentAction.Permissions: "[] => [[Id: x, ClientId: c, PrincipalId: , ResourceId: r, ConsentType: AllPrincipals,
 * Scope:  Mail.Read offline_access, CreatedDateTime: , LastModifiedDateTime ]]; ". Only the new side (after "=>") counts.
 */
export function parseConsentPermissions(text: unknown): ConsentGrant[] {
  const s = flatStrings(text).join(' ');
  if (!s) return [];
  const arrow = s.lastIndexOf('=>');
  const side = arrow >= 0 ? s.slice(arrow + 2) : s;
  const out: ConsentGrant[] = [];
  for (const m of side.matchAll(/\[([^[\]]*)\]/g)) {
    const body = m[1]!;
    if (!/:/.test(body)) continue;
    const fields: Record<string, string> = {};
    for (const part of body.split(/,(?=\s*[A-Za-z][A-Za-z0-9]*\s*:)/)) {
      const c = part.indexOf(':');
      if (c > 0) fields[part.slice(0, c).trim().toLowerCase()] = part.slice(c + 1).trim();
      else if (part.trim()) fields[part.trim().toLowerCase()] = '';
    }
    const g: ConsentGrant = { scopes: splitScopes(fields.scope) };
    if (fields.clientid) g.clientId = fields.clientid;
    if (fields.principalid) g.principalId = fields.principalid;
    if (fields.resourceid) g.resourceId = fields.resourceid;
    if (fields.consenttype) g.consentType = fields.consenttype;
    out.push(g);
  }
  return out;
}

function splitScopes(s: unknown): string[] {
  return flatStrings(s)
    .flatMap((x) => x.split(/[\s,]+/))
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

const uniq = (a: string[]): string[] => [...new Set(a)];

// ---------------------------------------------------------------------------------------------------------------
// Grants

export interface ExtractGrantsOptions {
  /** the record's targets, for resource / grantee / role names that live outside modifiedProperties */
  targets?: GrantTargetHint[];
}

/**
 * What a consent / delegated grant / app-role / role / credential event granted, read from the decoded
 * modifiedProperties (merged over all targets). Returns only keys the record reveals; spread into Event.details.
 */
export function extractGrants(op: string, modified: ModifiedMap, opts: ExtractGrantsOptions = {}): AuditGrants {
  const action = auditAction(op, modified);
  const g: AuditGrants = {};
  const targets = opts.targets ?? [];

  switch (action) {
    case 'consent.grant': {
      const grants = parseConsentPermissions(prop(modified, 'ConsentAction.Permissions')?.new);
      const perms = uniq(grants.flatMap((x) => x.scopes));
      if (perms.length) g.permissions = perms;
      const admin = boolOrUndef(newStr(modified, 'ConsentContext.IsAdminConsent'));
      const appOnly = boolOrUndef(newStr(modified, 'ConsentContext.IsAppOnly'));
      const onBehalfOfAll = boolOrUndef(newStr(modified, 'ConsentContext.OnBehalfOfAll'));
      if (admin !== undefined) g.adminConsent = admin;
      if (appOnly !== undefined) g.appOnly = appOnly;
      const types = uniq(grants.map((x) => x.consentType).filter((x): x is string => !!x));
      if (types.length) g.consentType = types.join(',');
      const anyAll = types.some((t) => t.toLowerCase() === 'allprincipals');
      if (onBehalfOfAll === true || anyAll) g.allPrincipals = true;
      else if (onBehalfOfAll === false || types.length > 0) g.allPrincipals = false;
      const reason = newStr(modified, 'ConsentAction.Reason');
      if (reason) g.consentReason = reason;
      const res = uniq(grants.map((x) => x.resourceId).filter((x): x is string => !!x && GUID.test(x)));
      if (res.length) g.resourceSpIds = res;
      break;
    }
    case 'delegated.permission.grant': {
      const perms = uniq(splitScopes(prop(modified, 'DelegatedPermissionGrant.Scope')?.new));
      if (perms.length) g.permissions = perms;
      const ct = newStr(modified, 'DelegatedPermissionGrant.ConsentType');
      if (ct) {
        g.consentType = ct;
        g.allPrincipals = ct.toLowerCase() === 'allprincipals';
      }
      readGrantee(modified, g);
      readResource(modified, targets, g);
      break;
    }
    case 'approle.assign':
    case 'approle.remove': {
      const side = action === 'approle.assign' ? 'new' : 'old';
      const pick = (name: string): string | undefined => single(prop(modified, name)?.[side]) ?? newStr(modified, name);
      const value = pick('AppRole.Value');
      const id = pick('AppRole.Id')?.toLowerCase();
      if (id) g.appRoleId = id;
      const perm = value ?? (id ? KNOWN_APP_ROLES[id] ?? id : undefined);
      if (perm) g.permissions = [perm];
      readGrantee(modified, g);
      readResource(modified, targets, g);
      break;
    }
    case 'role.assign':
    case 'role.remove': {
      readRoles(modified, targets, g, action === 'role.assign' ? 'new' : 'old');
      const k = opKey(op);
      if (action === 'role.assign') {
        g.roleAssignment = k.includes('pim activation') ? 'activation' : k.includes('eligible') ? 'eligible' : k.includes('scoped') ? 'scoped' : 'active';
      }
      break;
    }
    case 'app.credential.add':
    case 'app.credential.remove':
    case 'sp.credential.add':
    case 'sp.credential.remove': {
      const change = credentialChange(modified);
      const list = change ? (action.endsWith('.add') ? change.added : change.removed) : [];
      if (list.length) {
        g.credential = list[0]!;
        if (list.length > 1) g.credentials = list;
      }
      break;
    }
    default:
      break;
  }
  return g;
}

function readGrantee(modified: ModifiedMap, g: AuditGrants): void {
  const spId = newStr(modified, 'ServicePrincipal.ObjectID');
  const appId = newStr(modified, 'ServicePrincipal.AppId');
  const name = newStr(modified, 'ServicePrincipal.DisplayName');
  if (spId || appId || name) {
    g.grantee = {};
    if (spId) g.grantee.spId = spId.toLowerCase();
    if (appId) g.grantee.appId = appId.toLowerCase();
    if (name) g.grantee.name = name;
  }
}

/** The resource SP: the target that is not the grantee (Entra lists the resource first), named by SPNs or display name. */
function readResource(modified: ModifiedMap, targets: GrantTargetHint[], g: AuditGrants): void {
  const granteeId = g.grantee?.spId;
  const spTargets = targets.filter((t) => !t.type || /serviceprincipal/i.test(t.type));
  const resource = spTargets.find((t) => t.id?.toLowerCase() !== granteeId) ?? undefined;
  if (resource?.id && resource.id.toLowerCase() !== granteeId) g.resourceSpId = resource.id.toLowerCase();
  const name = resource?.name && resource.name.toLowerCase() !== g.grantee?.appId ? resource.name : undefined;
  if (name) g.resourceName = name;
  const appId = resourceAppIdFor(prop(modified, 'TargetId.ServicePrincipalNames')?.new) ?? (name ? resourceAppIdFor(name) : undefined);
  if (appId && appId !== g.grantee?.appId) g.resourceAppId = appId;
}

function readRoles(modified: ModifiedMap, targets: GrantTargetHint[], g: AuditGrants, side: 'new' | 'old'): void {
  const pick = (name: string): string | undefined => single(prop(modified, name)?.[side]) ?? newStr(modified, name);
  const names: string[] = [];
  const templates: string[] = [];
  const name = pick('Role.DisplayName') ?? pick('RoleDefinition.DisplayName');
  const template = pick('Role.TemplateId') ?? pick('RoleDefinition.TemplateId') ?? pick('RoleDefinitionOriginId');
  if (name) names.push(name);
  if (template) templates.push(template.toLowerCase());
  for (const t of targets) {
    if (!t.type || !/^role$/i.test(t.type)) continue;
    if (t.name) names.push(t.name);
    if (t.id && GUID.test(t.id) && !template) templates.push(t.id.toLowerCase());
  }
  const roles = uniq(names.length ? names : templates);
  if (roles.length) g.roles = roles;
  if (templates.length) g.roleTemplateIds = uniq(templates);
}
