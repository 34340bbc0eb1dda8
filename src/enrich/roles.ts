// Privileged accounts learned from the input itself: directory role assignments ("Add member to role",
// "Add eligible member to role", UAL "Add member to role.") name the account and the role. A ledger is pure state
// (observe events, answer lookups, save/restore as JSON), so a one-shot hunt fills it in a pre-pass over the
// events and a live watch feeds it each event before the engine and snapshots it beside the engine's snapshot.
//
// Semantics match Enrichment.isPrivileged: an account that held a privileged role at any time in the input counts
// as privileged for the whole input (removals are not forgotten: an attacker who granted and then removed a role
// is exactly who we want to see). The learned set is tenant-agnostic like the rest of the Enrichment: UPNs and
// object ids are globally unique.
import type { Event } from '../core/event.js';
import { isObject } from '../core/json.js';
import { ROLES } from '../posture/ids.js';
import type { Enrichment, Privilege } from './types.js';

const LEDGER_FORMAT = 'tenantwatch.roles/1';
/** holders kept at most (role holders are few; the cap only bounds hostile input) */
const MAX_HOLDERS = 100_000;

/** Built-in roles that count as privileged by template id (names vary: "Company Administrator" in the UAL). */
const PRIVILEGED_TEMPLATE_IDS = new Set(ROLES.filter((r) => r.tier0 || /administrator/i.test(r.name)).map((r) => r.id));

/**
 * A directory role is privileged when it is a known tier-0 / administrator template, or its name says
 * administrator (custom and newer built-in roles: "Teams Administrator", "Company Administrator"). Readers
 * ("Global Reader", "Security Reader") are not, and neither is "Directory Synchronization Accounts": the Entra
 * Connect sync account signs in with a password alone by design (list it in privilegedAccounts to watch it).
 */
export function isPrivilegedRole(name?: string, templateId?: string): boolean {
  if (templateId && PRIVILEGED_TEMPLATE_IDS.has(templateId.toLowerCase())) return true;
  if (!name) return false;
  return /\badmin(istrator)?s?\b/i.test(name) && !/\breaders?\b/i.test(name);
}

interface Holder {
  ids: string[];
  roles: string[];
  /** event time of the first assignment seen */
  first: number;
  /** that assignment's event id (evidence for "why privileged") */
  eventId: string;
}

export interface RoleLedgerState {
  format: string;
  holders: Holder[];
}

export class RoleLedger {
  private readonly byId = new Map<string, Holder>();
  private readonly holders: Holder[] = [];

  /** A ledger filled from events in one pass (the hunt's pre-pass). */
  static learn(events: Iterable<Event>): RoleLedger {
    const l = new RoleLedger();
    for (const e of events) l.observe(e);
    return l;
  }

  get size(): number {
    return this.holders.length;
  }

  /** Learn from one event; true when it named a (new) privileged holder or role. Other events are ignored cheaply. */
  observe(ev: Event): boolean {
    if (ev.action !== 'role.assign' || ev.outcome === 'failure') return false;
    const roles = privilegedRolesOf(ev);
    if (!roles.length) return false;
    let changed = false;
    for (const ids of principalsOf(ev)) {
      let h = ids.map((i) => this.byId.get(i)).find((x) => x !== undefined);
      if (!h) {
        if (this.holders.length >= MAX_HOLDERS) return changed;
        h = { ids: [], roles: [], first: ev.time, eventId: ev.id };
        this.holders.push(h);
        changed = true;
      } else if (ev.time < h.first) {
        h.first = ev.time;
        h.eventId = ev.id;
      }
      for (const i of ids) {
        if (!h.ids.includes(i)) {
          h.ids.push(i);
          this.byId.set(i, h);
          changed = true;
        }
      }
      for (const r of roles) {
        if (!h.roles.includes(r)) {
          h.roles.push(r);
          changed = true;
        }
      }
    }
    return changed;
  }

  lookup(user?: string, userId?: string): Readonly<Holder> | undefined {
    return (user ? this.byId.get(user.toLowerCase()) : undefined) ?? (userId ? this.byId.get(userId.toLowerCase()) : undefined);
  }

  save(): RoleLedgerState {
    return structuredClone({ format: LEDGER_FORMAT, holders: this.holders });
  }

  static restore(state: RoleLedgerState | string): RoleLedger {
    const s = typeof state === 'string' ? (JSON.parse(state) as RoleLedgerState) : state;
    if (!isObject(s) || s.format !== LEDGER_FORMAT || !Array.isArray(s.holders)) {
      throw new Error(`not a tenantwatch role ledger (expected format ${LEDGER_FORMAT})`);
    }
    const l = new RoleLedger();
    for (const h of s.holders) {
      const copy: Holder = { ids: [...h.ids], roles: [...h.roles], first: h.first, eventId: h.eventId };
      l.holders.push(copy);
      for (const i of copy.ids) l.byId.set(i, copy);
    }
    return l;
  }
}

/** The privileged role names an assignment event grants (display names, else template ids). */
function privilegedRolesOf(ev: Event): string[] {
  const names = strings(ev.details?.roles);
  const templates = strings(ev.details?.roleTemplateIds);
  const out = new Set<string>();
  names.forEach((n, i) => {
    if (isPrivilegedRole(n, templates.length === names.length ? templates[i] : undefined)) out.add(n);
  });
  for (const t of ev.targets) if (t.type === 'role' && isPrivilegedRole(t.name, t.id)) out.add(t.name ?? t.id ?? 'role');
  if (!out.size) for (const t of templates) if (isPrivilegedRole(undefined, t)) out.add(ROLES.find((r) => r.id === t.toLowerCase())?.name ?? t);
  return [...out];
}

/** The accounts a role event assigns to: user and service-principal targets, each as its lower-cased ids. */
function principalsOf(ev: Event): string[][] {
  const out: string[][] = [];
  for (const t of ev.targets) {
    if (t.type !== 'user' && t.type !== 'servicePrincipal') continue;
    const ids = [t.id, t.name && t.name.includes('@') ? t.name : undefined, t.appId]
      .filter((x): x is string => !!x)
      .map((x) => x.toLowerCase());
    if (ids.length) out.push([...new Set(ids)]);
  }
  return out;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
}

/**
 * The base enrichment plus what the stream learned: role holders from the ledger, and app names from `appName` (the
 * alias memory's, in hunt and watch). Both are read at call time, so they may keep learning.
 */
export function withLearnedRoles(base: Enrichment, ledger: RoleLedger, appName?: (id: string) => string | undefined): Enrichment {
  return {
    ...base,
    ...(appName ? { appName } : {}),
    isPrivileged: (user, userId) => base.isPrivileged(user, userId) || ledger.lookup(user, userId) !== undefined,
    privilegeOf: (user, userId): Privilege | undefined => {
      const b = base.privilegeOf?.(user, userId) ?? (base.isPrivileged(user, userId) ? { roles: [], from: ['config'] } : undefined);
      const h = ledger.lookup(user, userId);
      if (!h) return b;
      return { roles: [...new Set([...(b?.roles ?? []), ...h.roles])], from: [...new Set([...(b?.from ?? []), 'audit' as const])] };
    },
    knowsPrivileged: () => (base.knowsPrivileged?.() ?? false) || ledger.size > 0,
  };
}
