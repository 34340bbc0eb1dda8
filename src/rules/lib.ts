// Helpers rules share: canonical keys and entities from normalized Events. Keep rule files about detection logic.
import type { Event } from '../core/event.js';
import { v6Prefix64 } from '../core/ip.js';
import { isObject } from '../core/json.js';
import type { Entity } from '../detect/alert.js';

/** Microsoft resource apps that appear as targets of grants (never "the app" a grant is for). */
export const MICROSOFT_RESOURCE_APPS = new Set([
  '00000003-0000-0000-c000-000000000000', // Microsoft Graph
  '00000002-0000-0ff1-ce00-000000000000', // Office 365 Exchange Online
  '00000002-0000-0000-c000-000000000000', // Windows Azure Active Directory (AAD Graph)
  '00000003-0000-0ff1-ce00-000000000000', // Office 365 SharePoint Online
]);

/**
 * The client app an app-management event is about, as its appId: the grantee of an app-role assignment,
 * else the first app / service-principal target with an appId that is not a Microsoft resource,
 * else the record's additionalDetails AppId. Undefined when the record does not say.
 */
export function appKeyOf(ev: Event): string | undefined {
  const grantee = ev.details?.grantee;
  if (isObject(grantee) && typeof grantee.appId === 'string' && grantee.appId) return grantee.appId.toLowerCase();
  for (const t of ev.targets) {
    if ((t.type === 'app' || t.type === 'servicePrincipal') && t.appId && !MICROSOFT_RESOURCE_APPS.has(t.appId.toLowerCase())) {
      return t.appId.toLowerCase();
    }
  }
  const extra = ev.details?.additionalDetails;
  if (isObject(extra) && typeof extra.AppId === 'string' && extra.AppId) return extra.AppId.toLowerCase();
  return undefined;
}

/** The app's display name from the same places appKeyOf looks. */
export function appNameOf(ev: Event): string | undefined {
  const grantee = ev.details?.grantee;
  if (isObject(grantee) && typeof grantee.name === 'string') return grantee.name;
  for (const t of ev.targets) if ((t.type === 'app' || t.type === 'servicePrincipal') && t.name && !(t.appId && MICROSOFT_RESOURCE_APPS.has(t.appId.toLowerCase()))) return t.name;
  return undefined;
}

/** One source location for an IP: IPv4 as is, IPv6 by /64 (one host roams inside its /64). */
export function ipKey(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  return ip.includes(':') ? (v6Prefix64(ip) ?? ip) : ip;
}

/** The acting user's canonical id: lower-cased UPN, else object id. */
export function userOf(ev: Event): string | undefined {
  return ev.actor.user ?? ev.actor.userId?.toLowerCase();
}

/**
 * Single-factor only when the log says so. An absent authenticationRequirement (Graph v1.0, UAL) is unknown,
 * and unknown never counts as single-factor.
 */
export function isSingleFactor(ev: Event): boolean {
  return ev.auth?.requirement === 'single';
}

// --- entities ---------------------------------------------------------------------------------------------

export function userEntity(ev: Event, role: Entity['role'] = 'actor'): Entity | undefined {
  const id = userOf(ev);
  if (!id) return undefined;
  const e: Entity = { type: 'user', id, role };
  const aliases = [ev.actor.userId, ev.actor.user].filter((x): x is string => !!x && x !== id);
  if (aliases.length) e.aliases = aliases;
  if (ev.actor.displayName && ev.actor.kind === 'user') e.display = ev.actor.displayName;
  return e;
}

export function ipEntity(ip: string | undefined, role: Entity['role'] = 'source'): Entity | undefined {
  return ip ? { type: 'ip', id: ip, role } : undefined;
}

export function asnEntity(asn: number | undefined, role: Entity['role'] = 'source'): Entity | undefined {
  return asn === undefined ? undefined : { type: 'asn', id: `AS${asn}`, role };
}

export function appEntity(appId: string, opts: { name?: string; spId?: string; role?: Entity['role'] } = {}): Entity {
  const e: Entity = { type: 'app', id: appId, role: opts.role ?? 'target' };
  const aliases = [opts.spId].filter((x): x is string => !!x);
  if (aliases.length) e.aliases = aliases;
  if (opts.name) e.display = opts.name;
  return e;
}

/** Drop undefined entries (entity helpers return undefined when the record lacks the field). */
export function entities(...xs: (Entity | undefined)[]): Entity[] {
  return xs.filter((x): x is Entity => x !== undefined);
}

/** "3 accounts" / "1 account". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** "a, b, c and 4 more" for explanations. */
export function listSome(xs: readonly string[], max = 5): string {
  if (xs.length <= max) return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
  return `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`;
}

/**
 * Whether the person who acted owns the mailbox a cmdlet named. Exchange records name it by whatever was passed as
 * Identity: an address (compared), an alias or "org/Users/alias" path (the owner's when it is the local part of the
 * actor's UPN), or a GUID / display name, which the record alone cannot tie to a person: 'unknown', never 'other'.
 */
export function mailboxOwnership(actorUpn: string | undefined, mailbox: string | undefined): 'owner' | 'other' | 'unknown' {
  if (!actorUpn || !mailbox) return 'unknown';
  const actor = actorUpn.toLowerCase();
  const ref = mailbox.toLowerCase().slice(mailbox.lastIndexOf('/') + 1).replace(/^smtp:/, '');
  if (ref.includes('@')) return ref === actor ? 'owner' : 'other';
  return ref !== '' && ref === actor.slice(0, actor.indexOf('@')) ? 'owner' : 'unknown';
}
