// What a hunt learns about entities while events stream past, kept across hunts in the store: apps (when they
// were created and by whom, the credentials, permissions and roles they were given, where they signed in from),
// privileged accounts (roles gained), which IPs many users share, and when each log source was first seen.
// Bounded: every list and map has a cap; past it new items are counted, not kept.
import type { Event, SourceKind } from '../core/event.js';
import { appKeyOf, appNameOf } from '../rules/lib.js';
import { AliasResolver, isGuid } from './aliases.js';

export interface CredentialMemory {
  keyId?: string;
  type?: string; // password | certificate | federated
  displayName?: string;
  /** epoch ms the credential was added; removedAt when a removal was seen */
  addedAt: number;
  addedBy?: string;
  removedAt?: number;
}

export interface AppMemory {
  appId: string;
  name?: string;
  spId?: string;
  objectId?: string;
  createdAt?: number;
  createdBy?: string;
  credentials: CredentialMemory[];
  /** application permissions and delegated scopes seen granted */
  permissions: string[];
  /** of those, the delegated scopes (consent and delegated permission grants, not app-only consent) */
  delegated?: string[];
  /** a delegated grant was for all users (admin consent), not one user's own consent */
  tenantWide?: boolean;
  roles: string[];
  /** source IP -> first seen (epoch ms), for the app's own sign-ins and cmdlets */
  sources: Record<string, number>;
  firstSeen: number;
  lastSeen: number;
}

export interface UserMemory {
  /** lower-cased UPN, else object id */
  id: string;
  userId?: string;
  roles: string[];
  firstSeen: number;
  lastSeen: number;
}

export interface SourceMemory {
  source: SourceKind;
  firstSeen: number;
  lastSeen: number;
  events: number;
}

export interface MemoryLimits {
  apps: number;
  users: number;
  ips: number;
  /** distinct users with a successful sign-in from one IP at which it counts as shared (egress NAT, SASE) */
  sharedIpUsers: number;
  perAppCredentials: number;
  perAppSources: number;
  perListItems: number;
}

export const DEFAULT_MEMORY_LIMITS: MemoryLimits = {
  apps: 20_000,
  users: 20_000,
  ips: 200_000,
  sharedIpUsers: 10,
  perAppCredentials: 20,
  perAppSources: 50,
  perListItems: 50,
};

// Distinct users per IP / app / domain up to `sharedIpUsers`: a short array, not a Set (a large tenant has 100k+
// addresses, most with one user; a Set costs ~10x an array of one).
interface AppUse {
  users: string[] | null; // null = shared (reached the limit)
}

// Per address: [asn or -1, user hashes…], or [asn or -1, SHARED] once it reached the limit. A large tenant has
// hundreds of thousands of addresses, most with one user, for the whole hunt: one small array of numbers each,
// not an object, an array and the user's own string (a third of the size). Users are told apart by a 30-bit hash
// (a Smi): two users of one address with the same hash (odds ~1e-9 per pair) count once, so the address passes as
// shared one user later.
type IpStat = number[];
const SHARED = -1;
const NO_ASN = -1;

/** FNV-1a of the lower-cased user, folded to 30 bits (a small integer V8 stores unboxed). */
function userHash(user: string): number {
  const who = user.toLowerCase();
  let h = 0x811c9dc5;
  for (let i = 0; i < who.length; i++) h = Math.imul(h ^ who.charCodeAt(i), 0x01000193);
  return (h >>> 2) & 0x3fffffff;
}

/** Add a user to a capped distinct list; null once it reaches `cap` (shared). */
function addUser(users: string[], who: string, cap: number): string[] | null {
  if (users.includes(who)) return users;
  if (users.length + 1 >= cap) return null;
  if (users.length === 0) return [who];
  users.push(who);
  return users;
}

const addCapped = (xs: string[], items: Iterable<string>, cap: number): void => {
  for (const x of items) if (x && !xs.includes(x) && xs.length < cap) xs.push(x);
};

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

export class EntityMemory {
  readonly aliases: AliasResolver;
  readonly apps = new Map<string, AppMemory>();
  readonly users = new Map<string, UserMemory>();
  /** mailbox GUID -> its owner's UPN, from mailbox records that name both (capped like users) */
  private readonly mailboxOwners = new Map<string, string>();
  readonly sources = new Map<SourceKind, SourceMemory>();
  private readonly ips = new Map<string, IpStat>();
  /** client app of user sign-ins -> distinct users (capped): apps everyone signs in with never link */
  private readonly appUse = new Map<string, AppUse>();
  /** UPN domain -> distinct accounts (capped): the tenant's own domains, which every mail alert names */
  private readonly domainUse = new Map<string, AppUse>();
  readonly limits: MemoryLimits;
  /** items not kept because a cap was reached */
  dropped = 0;

  constructor(limits: Partial<MemoryLimits> = {}, aliases = new AliasResolver()) {
    this.limits = { ...DEFAULT_MEMORY_LIMITS, ...limits };
    this.aliases = aliases;
  }

  observe(ev: Event): void {
    this.aliases.learnEvent(ev);
    this.observeSource(ev);
    if (ev.action === 'signin' && ev.outcome === 'success' && ev.actor.ip) this.observeIp(ev);
    if (ev.action === 'signin' && ev.actor.kind === 'user' && ev.actor.appId) this.observeUse(this.appUse, ev.actor.appId.toLowerCase(), ev);
    if (ev.action === 'signin' && ev.actor.user?.includes('@')) this.observeUse(this.domainUse, ev.actor.user.slice(ev.actor.user.lastIndexOf('@') + 1).toLowerCase(), ev);
    if (ev.outcome === 'failure') return;
    switch (ev.action) {
      case 'app.create':
      case 'sp.create': {
        const app = this.app(ev);
        if (app && (app.createdAt === undefined || ev.time < app.createdAt) && ev.action === 'app.create') {
          app.createdAt = ev.time;
          app.createdBy = ev.actor.user ?? ev.actor.appId;
        } else if (app && app.createdAt === undefined && ev.action === 'sp.create') {
          // a service principal for an app registered elsewhere (multi-tenant consent): its arrival in this tenant
          app.createdAt = ev.time;
          app.createdBy = ev.actor.user ?? ev.actor.appId;
        }
        break;
      }
      case 'app.credential.add':
      case 'sp.credential.add': {
        const app = this.app(ev);
        if (!app) break;
        const c = ev.details?.credential as { keyId?: unknown; type?: unknown; displayName?: unknown } | undefined;
        const keyId = typeof c?.keyId === 'string' ? c.keyId.toLowerCase() : undefined;
        if (keyId && app.credentials.some((x) => x.keyId === keyId)) break;
        if (app.credentials.length >= this.limits.perAppCredentials) {
          this.dropped++;
          break;
        }
        const cred: CredentialMemory = { addedAt: ev.time };
        if (keyId) cred.keyId = keyId;
        if (typeof c?.type === 'string') cred.type = c.type;
        if (typeof c?.displayName === 'string') cred.displayName = c.displayName;
        const by = ev.actor.user ?? ev.actor.appId;
        if (by) cred.addedBy = by;
        app.credentials.push(cred);
        break;
      }
      case 'app.credential.remove':
      case 'sp.credential.remove': {
        const app = this.app(ev);
        const c = ev.details?.credential as { keyId?: unknown } | undefined;
        const keyId = typeof c?.keyId === 'string' ? c.keyId.toLowerCase() : undefined;
        const known = app?.credentials.find((x) => x.keyId === keyId);
        if (known) known.removedAt = ev.time;
        break;
      }
      case 'consent.grant':
      case 'delegated.permission.grant':
      case 'approle.assign': {
        const app = this.app(ev);
        if (!app) break;
        const perms = strings(ev.details?.permissions);
        addCapped(app.permissions, perms, this.limits.perListItems);
        if (ev.action !== 'approle.assign' && ev.details?.appOnly !== true) {
          addCapped((app.delegated ??= []), perms, this.limits.perListItems);
          if (ev.details?.allPrincipals === true) app.tenantWide = true;
        }
        break;
      }
      case 'role.assign': {
        const roles = strings(ev.details?.roles);
        const sp = ev.targets.find((t) => t.type === 'servicePrincipal' && t.appId);
        if (sp) {
          const app = this.app(ev);
          if (app) addCapped(app.roles, roles, this.limits.perListItems);
        }
        const u = ev.targets.find((t) => t.type === 'user');
        if (u && (u.name || u.id)) {
          const user = this.user(u.name?.includes('@') ? u.name : undefined, u.id, ev.time);
          if (user) addCapped(user.roles, roles, this.limits.perListItems);
        }
        break;
      }
      default:
        break;
    }
    // where an app acts from: its sign-ins and the cmdlets it runs
    if (ev.actor.kind === 'app' && ev.actor.appId && ev.actor.ip) {
      const app = this.apps.get(ev.actor.appId.toLowerCase());
      if (app && app.sources[ev.actor.ip] === undefined) {
        if (Object.keys(app.sources).length < this.limits.perAppSources) app.sources[ev.actor.ip] = ev.time;
        else this.dropped++;
      }
      if (app) app.lastSeen = Math.max(app.lastSeen, ev.time);
    } else if (ev.actor.appId) {
      // a known app used by a person (delegated mail reads with a consented app): still the app in use
      const app = this.apps.get(ev.actor.appId.toLowerCase());
      if (app && ev.time > app.lastSeen) app.lastSeen = ev.time;
    }
  }

  private observeSource(ev: Event): void {
    const s = this.sources.get(ev.source);
    if (!s) this.sources.set(ev.source, { source: ev.source, firstSeen: ev.time, lastSeen: ev.time, events: 1 });
    else {
      s.events++;
      if (ev.time < s.firstSeen) s.firstSeen = ev.time;
      if (ev.time > s.lastSeen) s.lastSeen = ev.time;
    }
  }

  private observeIp(ev: Event): void {
    const ip = ev.actor.ip!;
    const who = ev.actor.user ?? ev.actor.userId;
    const asn = ev.actor.asn ?? NO_ASN;
    const st = this.ips.get(ip);
    if (!st) {
      if (this.ips.size >= this.limits.ips) {
        this.dropped++;
        return;
      }
      this.ips.set(ip, !who ? [asn] : this.limits.sharedIpUsers <= 1 ? [asn, SHARED] : [asn, userHash(who)]);
      return;
    }
    if (asn !== NO_ASN) st[0] = asn;
    if (!who || st[1] === SHARED) return;
    const h = userHash(who);
    for (let i = 1; i < st.length; i++) if (st[i] === h) return;
    // the limit-th distinct user makes it shared (as addUser does for apps and domains)
    if (st.length >= this.limits.sharedIpUsers) this.ips.set(ip, [st[0]!, SHARED]);
    else st.push(h);
  }

  private observeUse(m: Map<string, AppUse>, key: string, ev: Event): void {
    const who = ev.actor.user ?? ev.actor.userId;
    let u = m.get(key);
    if (!u) {
      if (m.size >= this.limits.apps) return;
      u = { users: [] };
      m.set(key, u);
    }
    if (!who || !u.users) return;
    u.users = addUser(u.users, who.toLowerCase(), this.limits.sharedIpUsers);
  }

  /**
   * Name what a record names only by id, with the name an earlier record of the input (or the snapshot, or an
   * earlier hunt) gave it, so alert titles and explanations say "Mail Sync" and "daniel.reyes@…" rather than GUIDs:
   * apps (UAL MailItemsAccessed by an app, Exchange cmdlets an app ran, audit targets without a display name) and
   * mailboxes (an inbox rule's or Set-Mailbox's mailbox GUID, named by its owner's UPN from the mailbox records that
   * carry both). Call after observe(ev), before detection: in a hunt events come in event-time order, so the name
   * never depends on threads or file order. The first name learned is kept.
   */
  nameEntities(ev: Event): void {
    const a = ev.actor;
    if (a.appId !== undefined && a.appName === undefined) {
      const n = this.aliases.appNameFor(a.appId);
      if (n !== undefined) a.appName = n;
    }
    for (const t of ev.targets) {
      if (t.type === 'mailbox') {
        this.nameMailbox(t);
        continue;
      }
      if ((t.type !== 'app' && t.type !== 'servicePrincipal') || t.name !== undefined) continue;
      const id = t.appId ?? t.id;
      const n = id !== undefined ? this.aliases.appNameFor(id) : undefined;
      if (n !== undefined) t.name = n;
    }
  }

  /**
   * A mailbox target: learn its GUID's owner when the record names both, else name it by a learned owner. The GUID
   * is the id, the id's last path segment ("tenant.onmicrosoft.com/<guid>", Set-Mailbox's ObjectId) or the name.
   */
  private nameMailbox(t: Event['targets'][number]): void {
    const tail = t.id?.slice(t.id.lastIndexOf('/') + 1).toLowerCase();
    const id = isGuid(tail) ? tail : t.name?.toLowerCase();
    if (!isGuid(id)) return;
    if (t.name?.includes('@')) {
      if (!this.mailboxOwners.has(id) && this.mailboxOwners.size < this.limits.users) this.mailboxOwners.set(id, t.name.toLowerCase());
      return;
    }
    if (t.name !== undefined && !isGuid(t.name)) return;
    const owner = this.mailboxOwners.get(id);
    if (owner !== undefined) t.name = owner;
  }

  /** Many accounts sign in with this client app (a portal, Outlook, PowerShell): it never links alerts. */
  isSharedApp(appId: string): boolean {
    return this.appUse.get(appId.toLowerCase())?.users === null;
  }

  /** Many accounts have UPNs in this domain: the tenant's own domain, never a reason to link. */
  isTenantDomain(domain: string): boolean {
    return this.domainUse.get(domain.toLowerCase())?.users === null;
  }

  /** The IP is used by many accounts (corporate egress, SASE): never a reason to link alerts on its own. */
  isSharedIp(ip: string): boolean {
    return this.ips.get(ip)?.[1] === SHARED;
  }

  usersOfIp(ip: string): number | undefined {
    const st = this.ips.get(ip);
    return st ? (st[1] === SHARED ? this.limits.sharedIpUsers : st.length - 1) : undefined;
  }

  asnOf(ip: string): number | undefined {
    const asn = this.ips.get(ip)?.[0];
    return asn === undefined || asn === NO_ASN ? undefined : asn;
  }

  /** The app an app-management event is about, created on first sight. */
  private app(ev: Event): AppMemory | undefined {
    const appId = appKeyOf(ev);
    if (!isGuid(appId) || AliasResolver.isMicrosoftResource(appId)) return undefined;
    let a = this.apps.get(appId);
    if (!a) {
      if (this.apps.size >= this.limits.apps) {
        this.dropped++;
        return undefined;
      }
      a = { appId, credentials: [], permissions: [], roles: [], sources: {}, firstSeen: ev.time, lastSeen: ev.time };
      this.apps.set(appId, a);
    }
    a.firstSeen = Math.min(a.firstSeen, ev.time);
    a.lastSeen = Math.max(a.lastSeen, ev.time);
    const name = appNameOf(ev);
    if (name) a.name = name;
    for (const t of ev.targets) {
      if (t.appId?.toLowerCase() !== appId || !isGuid(t.id)) continue;
      if (t.type === 'servicePrincipal') a.spId = t.id.toLowerCase();
      if (t.type === 'app') a.objectId = t.id.toLowerCase();
    }
    const g = ev.details?.grantee as { spId?: unknown } | undefined;
    if (g && typeof g.spId === 'string' && isGuid(g.spId)) a.spId = g.spId.toLowerCase();
    return a;
  }

  private user(upn: string | undefined, userId: string | undefined, time: number): UserMemory | undefined {
    const id = (upn ?? (userId ? this.aliases.upnFor(userId) : undefined) ?? userId)?.toLowerCase();
    if (!id) return undefined;
    let u = this.users.get(id);
    if (!u) {
      if (this.users.size >= this.limits.users) {
        this.dropped++;
        return undefined;
      }
      u = { id, roles: [], firstSeen: time, lastSeen: time };
      this.users.set(id, u);
    }
    if (userId && isGuid(userId)) u.userId = userId.toLowerCase();
    u.firstSeen = Math.min(u.firstSeen, time);
    u.lastSeen = Math.max(u.lastSeen, time);
    return u;
  }

  /** Fold in what an earlier hunt learned (store) without losing what this one saw. */
  mergeApp(m: AppMemory): void {
    const a = this.apps.get(m.appId);
    if (!a) {
      if (this.apps.size < this.limits.apps) this.apps.set(m.appId, structuredClone(m));
      return;
    }
    a.name ??= m.name;
    a.spId ??= m.spId;
    a.objectId ??= m.objectId;
    if (m.createdAt !== undefined && (a.createdAt === undefined || m.createdAt < a.createdAt)) {
      a.createdAt = m.createdAt;
      a.createdBy = m.createdBy;
    }
    for (const c of m.credentials) {
      if (c.keyId && a.credentials.some((x) => x.keyId === c.keyId)) continue;
      if (a.credentials.length < this.limits.perAppCredentials) a.credentials.push(c);
    }
    a.credentials.sort((x, y) => x.addedAt - y.addedAt || (x.keyId ?? '').localeCompare(y.keyId ?? ''));
    addCapped(a.permissions, m.permissions, this.limits.perListItems);
    if (m.delegated?.length) addCapped((a.delegated ??= []), m.delegated, this.limits.perListItems);
    if (m.tenantWide) a.tenantWide = true;
    addCapped(a.roles, m.roles, this.limits.perListItems);
    for (const [ip, t] of Object.entries(m.sources)) {
      const have = a.sources[ip];
      if (have === undefined ? Object.keys(a.sources).length < this.limits.perAppSources : t < have) a.sources[ip] = t;
    }
    a.firstSeen = Math.min(a.firstSeen, m.firstSeen);
    a.lastSeen = Math.max(a.lastSeen, m.lastSeen);
  }

  mergeUser(m: UserMemory): void {
    const u = this.users.get(m.id);
    if (!u) {
      if (this.users.size < this.limits.users) this.users.set(m.id, structuredClone(m));
      return;
    }
    u.userId ??= m.userId;
    addCapped(u.roles, m.roles, this.limits.perListItems);
    u.firstSeen = Math.min(u.firstSeen, m.firstSeen);
    u.lastSeen = Math.max(u.lastSeen, m.lastSeen);
  }

  mergeSource(m: SourceMemory): void {
    const s = this.sources.get(m.source);
    // first/last seen span every hunt; `events` stays this hunt's count (re-reading a file must not inflate it)
    if (!s) this.sources.set(m.source, { ...m, events: 0 });
    else {
      s.firstSeen = Math.min(s.firstSeen, m.firstSeen);
      s.lastSeen = Math.max(s.lastSeen, m.lastSeen);
    }
  }

  /** The app memory for any spelling of the app (appId, spId, object id, unique name). */
  appFor(idOrAlias: string): AppMemory | undefined {
    const r = this.aliases.appIdFor(idOrAlias);
    return r ? this.apps.get(r.appId) : this.apps.get(idOrAlias.toLowerCase());
  }
}
