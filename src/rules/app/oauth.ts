// What the app, consent and directory rules share: which permissions and roles are dangerous (resolved by name
// AND by id through the decoder's and the posture audit's tables, never a third copy), who acted, and small readers
// of the normalized Event. Rule files keep only their detection logic.
import type { Event } from '../../core/event.js';
import { isObject } from '../../core/json.js';
import { KNOWN_APP_ROLES } from '../../decoders/shared/entra-audit-ops.js';
import { SEVERITIES, type Entity, type Severity } from '../../detect/alert.js';
import type { RuleContext } from '../../detect/spec.js';
import { RISKY_APP_ROLES, RISKY_APP_ROLE_VALUES, RISKY_DELEGATED_SCOPES, ROLE, ROLES, roleInfo, type AppRoleInfo, type RoleInfo } from '../../posture/ids.js';
import { appKeyOf, appNameOf, listSome } from '../lib.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// --- application permissions (app roles) ------------------------------------------------------------------

/** App role id -> value, from the decoder's table and the posture audit's (which adds Exchange.ManageAsAppV2). */
const APP_ROLE_BY_ID: ReadonlyMap<string, string> = new Map([
  ...Object.entries(KNOWN_APP_ROLES),
  ...RISKY_APP_ROLES.map((r): [string, string] => [r.id, r.value]),
]);

/**
 * The application permissions issue 3 names, plus Exchange.ManageAsAppV2 (the same right under a newer id) and
 * SMTP.SendAsApp (send as any mailbox over SMTP AUTH: the spam path without a connector; in the posture table).
 */
export const HIGH_PRIVILEGE_APP_PERMISSIONS: readonly string[] = [
  'Exchange.ManageAsApp', 'Exchange.ManageAsAppV2', 'full_access_as_app', 'Mail.Send', 'Mail.ReadWrite', 'SMTP.SendAsApp',
  'Directory.ReadWrite.All', 'RoleManagement.ReadWrite.Directory', 'AppRoleAssignment.ReadWrite.All', 'Application.ReadWrite.All',
];

export type PermissionKind = AppRoleInfo['kind'];

/** What a permission lets an app do: run Exchange admin cmdlets, read/send all mail, or rewrite the directory. */
export function permissionKind(name: string): PermissionKind | undefined {
  const known = Object.entries(RISKY_APP_ROLE_VALUES).find(([k]) => k.toLowerCase() === name.toLowerCase());
  if (known) return known[1];
  // Directory.ReadWrite.All is missing from the posture table's kinds: it writes users, groups and apps
  return name.toLowerCase() === 'directory.readwrite.all' ? 'directory-write' : undefined;
}

/** "https://graph.microsoft.com/Mail.Read" -> "Mail.Read"; app role ids -> their value when known. */
export function permissionName(p: string): string {
  const t = p.trim();
  if (GUID.test(t)) return APP_ROLE_BY_ID.get(t.toLowerCase()) ?? t.toLowerCase();
  const slash = t.lastIndexOf('/');
  return slash >= 0 && /^https?:/i.test(t) ? t.slice(slash + 1) : t;
}

/** Permissions an event granted, by name: details.permissions (scopes, app role values or ids) and details.appRoleId. */
export function grantedPermissions(ev: Event): string[] {
  const out = new Set<string>();
  const p = ev.details?.permissions;
  if (Array.isArray(p)) for (const x of p) if (typeof x === 'string' && x.trim()) out.add(permissionName(x));
  const id = ev.details?.appRoleId;
  // a record with a value AND an id names the value; an id alone resolves through the tables
  if (typeof id === 'string' && out.size === 0) out.add(permissionName(id));
  return [...out];
}

/** Case-insensitive membership against a tunable list. */
export function inList(list: readonly string[]): (name: string) => boolean {
  const set = new Set(list.map((x) => x.toLowerCase()));
  return (name) => set.has(name.toLowerCase());
}

// --- delegated scopes --------------------------------------------------------------------------------------

/** Delegated scopes that read, change or send a user's mail (Graph, EWS, IMAP/POP/SMTP, Outlook REST). */
export const MAIL_SCOPES: readonly string[] = [
  'Mail.Read', 'Mail.ReadBasic', 'Mail.ReadWrite', 'Mail.Send', 'Mail.Read.Shared', 'Mail.ReadWrite.Shared', 'Mail.Send.Shared',
  'MailboxSettings.ReadWrite', 'EWS.AccessAsUser.All', 'full_access_as_user', 'IMAP.AccessAsUser.All', 'POP.AccessAsUser.All',
  'SMTP.Send', 'Exchange.Manage',
];

/** Of those, the ones that change the mailbox or send as the user (phishing from the victim, forwarding rules). */
export const MAIL_WRITE_SCOPES: readonly string[] = [
  'Mail.ReadWrite', 'Mail.Send', 'Mail.ReadWrite.Shared', 'Mail.Send.Shared', 'MailboxSettings.ReadWrite', 'EWS.AccessAsUser.All',
  'full_access_as_user', 'SMTP.Send', 'Exchange.Manage',
];

/** Scopes that only sign the user in and read their profile: consenting to them alone grants next to nothing. */
export const SIGN_IN_SCOPES: readonly string[] = ['openid', 'profile', 'email', 'offline_access', 'User.Read'];

/** Delegated scopes that matter in a tenant-wide grant (the posture audit's list). */
export const RISKY_SCOPES: readonly string[] = RISKY_DELEGATED_SCOPES;

// --- directory roles ---------------------------------------------------------------------------------------

/** UAL's legacy names for built-in roles. */
const ROLE_ALIASES: Readonly<Record<string, string>> = {
  'company administrator': ROLE.globalAdmin,
  'exchange service administrator': ROLE.exchangeAdmin,
};

const ROLE_BY_NAME = new Map(ROLES.map((r) => [r.name.toLowerCase(), r]));

export interface RoleRef {
  name: string;
  templateId?: string;
  /** the posture table's entry when the role is one it knows (tier0 = can take over the tenant or its mail) */
  info?: RoleInfo;
}

/** The directory role a role.assign / role.remove event is about: template id first, then the display name. */
export function roleOf(ev: Event): RoleRef | undefined {
  const ids = stringList(ev.details?.roleTemplateIds);
  const names = stringList(ev.details?.roles);
  const roleTarget = ev.targets.find((t) => t.type === 'role');
  const templateId = ids[0]?.toLowerCase();
  const name = names.find((n) => !GUID.test(n)) ?? roleTarget?.name ?? templateId;
  if (!name) return undefined;
  const info = roleInfo(templateId) ?? ROLE_BY_NAME.get(name.toLowerCase()) ?? roleInfo(ROLE_ALIASES[name.toLowerCase()]);
  // the canonical name: the UAL still writes "Company Administrator" for Global Administrator
  const ref: RoleRef = { name: info ? info.name : name };
  const tid = templateId ?? info?.id;
  if (tid) ref.templateId = tid;
  if (info) ref.info = info;
  return ref;
}

// --- actors, apps, credentials, domains ----------------------------------------------------------------------

/** "user it-admin@contoso.com (203.0.113.50)" / "app Mail Sync (appId)" for explanations. */
export function actorLabel(ev: Event): string {
  const a = ev.actor;
  if (a.kind === 'app') return `app ${a.appName ? `"${a.appName}" ` : ''}(${a.appId ?? a.spId ?? 'unknown id'})`;
  const who = a.user ?? a.userId ?? a.displayName;
  if (!who) return a.kind === 'system' ? 'a Microsoft service' : 'an unknown actor';
  return `${a.kind === 'system' ? 'service' : 'user'} ${who}${a.ip ? ` (${a.ip})` : ''}`;
}

/** Entity for whoever acted: the user, or the app (by appId, its SP object id as alias). */
export function actorEntity(ev: Event): Entity | undefined {
  const a = ev.actor;
  if (a.kind === 'app') {
    const id = a.appId ?? a.spId;
    if (!id) return undefined;
    const e: Entity = { type: 'app', id, role: 'actor' };
    if (a.spId && a.spId !== id) e.aliases = [a.spId];
    if (a.appName) e.display = a.appName;
    return e;
  }
  const id = a.user ?? a.userId;
  if (!id) return undefined;
  const e: Entity = { type: 'user', id, role: 'actor' };
  if (a.userId && a.userId !== id) e.aliases = [a.userId];
  return e;
}

/** tenantwatch's own collector app did it, or it was done to the collector app: expected, never an alert. */
export function involvesCollector(ev: Event, ctx: RuleContext, appId = appKeyOf(ev)): boolean {
  return ctx.enrich.isCollectorApp(appId) || (ev.actor.kind === 'app' && ctx.enrich.isCollectorApp(ev.actor.appId));
}

/** The app an event is about, with its service principal object id where the record names one. */
export function appRef(ev: Event): { appId?: string; name?: string; spId?: string; objectId?: string } {
  const out: { appId?: string; name?: string; spId?: string; objectId?: string } = {};
  const appId = appKeyOf(ev);
  const name = appNameOf(ev);
  if (appId) out.appId = appId;
  if (name) out.name = name;
  const grantee = ev.details?.grantee;
  const sp = isObject(grantee) && typeof grantee.spId === 'string' ? grantee.spId : ev.targets.find((t) => t.type === 'servicePrincipal' && (!appId || t.appId === appId || !t.appId))?.id;
  if (sp) out.spId = sp;
  const obj = ev.targets.find((t) => t.type === 'app')?.id;
  if (obj) out.objectId = obj;
  return out;
}

export interface CredentialSeen {
  type: string; // password | certificate | federated | unknown
  keyId?: string;
}

function credType(raw: unknown, fallback: string): string {
  const l = typeof raw === 'string' ? raw.toLowerCase() : '';
  if (!l) return fallback;
  if (l === 'password' || l === 'passwordcredential' || l === '2') return 'password';
  if (l.includes('x509') || l.includes('cert') || l === 'asymmetric') return 'certificate';
  return l;
}

/**
 * The credentials the object already had before this change, as the record lists them on the old side of
 * KeyDescription / KeyCredentials / PasswordCredentials / FederatedIdentityCredentials. Undefined when the record
 * does not say (old side absent), which is not the same as "none" (old side an empty list).
 */
export function priorCredentials(ev: Event): CredentialSeen[] | undefined {
  const props: [string, string][] = [
    ['keydescription', 'unknown'], ['keycredentials', 'certificate'], ['passwordcredentials', 'password'], ['federatedidentitycredentials', 'federated'],
  ];
  let seen = false;
  const out: CredentialSeen[] = [];
  for (const t of ev.targets) {
    for (const [name, v] of Object.entries(t.modified ?? {})) {
      const prop = props.find(([p]) => p === name.toLowerCase());
      if (!prop || !('old' in v)) continue;
      seen = true;
      const list = Array.isArray(v.old) ? v.old : v.old === undefined || v.old === null ? [] : [v.old];
      for (const item of list) {
        if (typeof item === 'string') {
          if (!/KeyIdentifier=|KeyType=/.test(item)) continue;
          const c: CredentialSeen = { type: credType(/KeyType=([^,\]]+)/.exec(item)?.[1], prop[1]) };
          const k = /KeyIdentifier=([^,\]]+)/.exec(item)?.[1];
          if (k) c.keyId = k.trim().toLowerCase();
          out.push(c);
        } else if (isObject(item)) {
          const c: CredentialSeen = { type: credType(item.KeyType ?? item.keyType ?? item.type, prop[1]) };
          const k = item.KeyIdentifier ?? item.keyId ?? item.KeyId;
          if (typeof k === 'string') c.keyId = k.toLowerCase();
          out.push(c);
        }
      }
    }
  }
  return seen ? out : undefined;
}

/** The credential an add event created (details.credential from the decoder). */
export function addedCredential(ev: Event): CredentialSeen | undefined {
  const c = ev.details?.credential;
  if (!isObject(c)) return undefined;
  const out: CredentialSeen = { type: typeof c.type === 'string' ? c.type : 'unknown' };
  if (typeof c.keyId === 'string') out.keyId = c.keyId.toLowerCase();
  return out;
}

export const CREDENTIAL_WORDS: Readonly<Record<string, string>> = {
  password: 'client secret (password)',
  certificate: 'certificate',
  federated: 'federated identity credential',
  symmetric: 'symmetric key',
};

const DOMAIN = /^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/** The domain a domain event is about: a domain target's name, else (UAL) the ObjectId the decoder kept. */
export function domainOf(ev: Event): string | undefined {
  for (const t of ev.targets) {
    if (t.type === 'domain' && t.name && DOMAIN.test(t.name)) return t.name.toLowerCase();
  }
  for (const t of ev.targets) {
    const v = t.name ?? t.id;
    if (t.type === 'other' && v && DOMAIN.test(v)) return v.toLowerCase();
  }
  const obj = ev.details?.objectId;
  return typeof obj === 'string' && DOMAIN.test(obj) ? obj.toLowerCase() : undefined;
}

export function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
}

/** "Mail.Read, Mail.Send and offline_access" or "(none named)". */
export const namesOr = (xs: readonly string[], none = '(none named in the record)'): string => (xs.length ? listSome(xs, 8) : none);

/** Severity one step up, capped at critical. */
export function raise(s: Severity, steps = 1): Severity {
  return SEVERITIES[Math.max(0, Math.min(SEVERITIES.indexOf(s) + steps, SEVERITIES.length - 1))]!;
}

export const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
