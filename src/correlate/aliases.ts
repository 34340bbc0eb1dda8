// One app has many names across sources: an appId in sign-ins and Exchange cmdlets, a service principal object id
// in consent and role events, an application object id in credential changes, a display name everywhere. One user
// is an object id in some records and a UPN in others. The resolver learns these equivalences from events (and
// the store's memory, and a --snapshot) so correlation compares things, not spellings.
//
// Display names are attacker-chosen and not unique: a name resolves to an app only while exactly one appId has
// carried it, and a name never makes two appIds one.
import type { Event } from '../core/event.js';
import type { Entity, EntityType } from '../detect/alert.js';
import { MICROSOFT_RESOURCE_APPS } from '../rules/lib.js';

import { isGuid } from '../core/ids.js';

export { isGuid };

/** (a boolean test: a name that is a GUID is an id, not a name; isGuid's type guard would narrow a string to never) */
const looksLikeId = (s: string): boolean => isGuid(s);

export interface AppAliases {
  appId: string;
  spIds: string[];
  objectIds: string[];
  names: string[];
}

export interface UserAliases {
  upn?: string;
  userId?: string;
}

/** What a resolved entity is called canonically, and which of its spellings matched. */
export interface Resolved {
  type: EntityType;
  /** canonical id: appId for apps and service principals, lower-cased UPN (else object id) for users */
  id: string;
  /** the alias that mapped to the canonical id when the alert used another spelling */
  via?: string;
}

export interface AliasLimits {
  /** identifiers remembered per kind (beyond: new ones are not learned; resolution still works for known ones) */
  maxApps: number;
  maxUsers: number;
}

const DEFAULT_LIMITS: AliasLimits = { maxApps: 50_000, maxUsers: 400_000 };

export class AliasResolver {
  /** lower-cased spId / application object id -> appId */
  private readonly appIdOf = new Map<string, string>();
  /** appId -> its aliases */
  private readonly apps = new Map<string, { spIds: Set<string>; objectIds: Set<string>; names: Set<string> }>();
  /** lower-cased display name -> appIds that carried it */
  private readonly nameToApps = new Map<string, Set<string>>();
  /** lower-cased object id -> UPN */
  private readonly upnOf = new Map<string, string>();
  private readonly limits: AliasLimits;

  constructor(limits: Partial<AliasLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  get size(): { apps: number; users: number } {
    return { apps: this.apps.size, users: this.upnOf.size };
  }

  learnApp(a: { appId?: string; spId?: string; objectId?: string; name?: string }): void {
    const appId = a.appId?.toLowerCase();
    if (!isGuid(appId)) return;
    let rec = this.apps.get(appId);
    if (!rec) {
      if (this.apps.size >= this.limits.maxApps) return;
      rec = { spIds: new Set(), objectIds: new Set(), names: new Set() };
      this.apps.set(appId, rec);
    }
    const sp = a.spId?.toLowerCase();
    if (isGuid(sp) && sp !== appId && !rec.spIds.has(sp)) {
      rec.spIds.add(sp);
      this.appIdOf.set(sp, appId);
    }
    const obj = a.objectId?.toLowerCase();
    if (isGuid(obj) && obj !== appId && !rec.objectIds.has(obj)) {
      rec.objectIds.add(obj);
      this.appIdOf.set(obj, appId);
    }
    const name = a.name?.trim();
    if (name && !looksLikeId(name) && rec.names.size < 8 && !rec.names.has(name)) {
      rec.names.add(name);
      const k = name.toLowerCase();
      let s = this.nameToApps.get(k);
      if (!s) this.nameToApps.set(k, (s = new Set()));
      if (s.size < 4) s.add(appId);
    }
  }

  learnUser(u: UserAliases): void {
    const id = u.userId?.toLowerCase();
    const upn = u.upn?.toLowerCase();
    if (!isGuid(id) || !upn || !upn.includes('@')) return;
    if (this.upnOf.get(id) === upn) return;
    if (!this.upnOf.has(id) && this.upnOf.size >= this.limits.maxUsers) return;
    this.upnOf.set(id, upn);
  }

  /** Learn every equivalence an event reveals (actor and targets). */
  learnEvent(ev: Event): void {
    const a = ev.actor;
    if (a.appId && (a.kind === 'app' || a.spId)) this.learnApp({ appId: a.appId, spId: a.spId, name: a.appName ?? (a.kind === 'app' ? a.displayName : undefined) });
    if (a.userId && a.user) this.learnUser({ userId: a.userId, upn: a.user });
    for (const t of ev.targets) {
      if (t.type === 'app' && t.appId) this.learnApp({ appId: t.appId, objectId: t.id, name: t.name });
      else if (t.type === 'servicePrincipal' && t.appId) this.learnApp({ appId: t.appId, spId: t.id, name: t.name });
      else if (t.type === 'user' && t.id && t.name) this.learnUser({ userId: t.id, upn: t.name });
    }
    const g = ev.details?.grantee as { appId?: unknown; spId?: unknown; name?: unknown } | undefined;
    if (g && typeof g === 'object' && typeof g.appId === 'string') {
      this.learnApp({ appId: g.appId, spId: typeof g.spId === 'string' ? g.spId : undefined, name: typeof g.name === 'string' ? g.name : undefined });
    }
  }

  /** The appId behind an appId, spId, application object id or (unique) display name. */
  appIdFor(s: string): { appId: string; via?: string } | undefined {
    const k = s.trim().toLowerCase();
    if (this.apps.has(k)) return { appId: k };
    const byObj = this.appIdOf.get(k);
    if (byObj) return { appId: byObj, via: s };
    const named = this.nameToApps.get(k);
    if (named && named.size === 1) return { appId: [...named][0]!, via: s };
    return undefined;
  }

  /**
   * The display name a record gave the app behind an appId, spId or application object id (the first one learned:
   * names are attacker-chosen, and a rename later in the input must not rename what earlier alerts said).
   */
  appNameFor(id: string): string | undefined {
    const k = id.trim().toLowerCase();
    if (!isGuid(k)) return undefined;
    const appId = this.apps.has(k) ? k : this.appIdOf.get(k);
    if (appId === undefined) return undefined;
    for (const n of this.apps.get(appId)!.names) return n;
    return undefined;
  }

  aliasesOfApp(appId: string): AppAliases | undefined {
    const r = this.apps.get(appId.toLowerCase());
    if (!r) return undefined;
    return { appId: appId.toLowerCase(), spIds: [...r.spIds].sort(), objectIds: [...r.objectIds].sort(), names: [...r.names] };
  }

  upnFor(userId: string): string | undefined {
    return this.upnOf.get(userId.toLowerCase());
  }

  /**
   * The canonical form of an alert entity. Apps and service principals become `app:<appId>` when any spelling
   * is known (an unknown GUID stays as it is: it may be the appId of an app never seen elsewhere).
   */
  resolve(e: Entity): Resolved {
    const spellings = [e.id, ...(e.aliases ?? [])];
    switch (e.type) {
      case 'app':
      case 'servicePrincipal': {
        for (const s of spellings) {
          const r = this.appIdFor(s);
          if (r) return { type: 'app', id: r.appId, ...(r.via && r.via.toLowerCase() !== r.appId ? { via: r.via } : s !== e.id ? { via: s } : {}) };
        }
        // An app entity's id is its appId by contract; a service principal's may be its object id.
        return { type: e.type === 'app' ? 'app' : 'servicePrincipal', id: e.id.toLowerCase() };
      }
      case 'user': {
        const id = e.id.toLowerCase();
        if (id.includes('@')) return { type: 'user', id };
        for (const s of spellings) {
          const l = s.toLowerCase();
          if (l.includes('@')) return { type: 'user', id: l, via: e.id };
          const upn = this.upnOf.get(l);
          if (upn) return { type: 'user', id: upn, via: e.id };
        }
        return { type: 'user', id };
      }
      case 'connector':
      case 'transportRule':
      case 'inboxRule':
      case 'mailbox':
      case 'domain':
      case 'ip':
      case 'role':
        // Exchange identities, domains and roles compare case-insensitively; IPs are already clean
        return { type: e.type, id: e.id.trim().toLowerCase() };
      default:
        return { type: e.type, id: e.id };
    }
  }

  /** Whether an appId is a Microsoft resource (Graph, Exchange Online …): never "the attacker's app". */
  static isMicrosoftResource(appId: string): boolean {
    return MICROSOFT_RESOURCE_APPS.has(appId.toLowerCase());
  }

  /** Plain data for the store. */
  export(): { apps: AppAliases[]; users: [string, string][] } {
    return {
      apps: [...this.apps.keys()].sort().map((k) => this.aliasesOfApp(k)!),
      users: [...this.upnOf].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    };
  }

  import(data: { apps?: AppAliases[]; users?: [string, string][] }): void {
    for (const a of data.apps ?? []) {
      this.learnApp({ appId: a.appId });
      for (const sp of a.spIds) this.learnApp({ appId: a.appId, spId: sp });
      for (const o of a.objectIds) this.learnApp({ appId: a.appId, objectId: o });
      for (const n of a.names) this.learnApp({ appId: a.appId, name: n });
    }
    for (const [id, upn] of data.users ?? []) this.learnUser({ userId: id, upn });
  }
}
