// Cross-source copies of one directory change. Entra writes each directory audit event to its own log (Graph
// directoryAudits, the diagnostic AuditLogs export, Sentinel AuditLogs: source 'entra.audit') and copies it into
// the unified audit log (Audit.AzureActiveDirectory, RecordType 8) under another id. A hunt over both would show
// every app registration, consent and role assignment twice, and rules that alert per event alert twice. The read
// stage's dedup cannot see it (the ids differ), so the hunt drops the UAL copy here, in event-time order, keeping
// the Entra record (it has the actor's IP and user agent the UAL copy lacks).
//
// Two records are one change when they have the same action and normalized operation, the same outcome, an actor
// and a target in common, the same roles when both name roles, the same correlation id when both carry one (UAL
// InterSystemsId = the directory audit's correlationId), and times within `windowMs` (the UAL CreationTime is the
// event time truncated to the second). Each Entra record absorbs at most one UAL copy.
//
// Memory: only UAL directory records wait (for `windowMs` of event time, so a later Entra twin can claim them);
// the events behind a waiting one queue with it to keep the stream ordered. Entra records are remembered for
// `windowMs`. A cap on the queue bounds hostile input (past it the oldest is released undecided).
import type { Event } from '../core/event.js';
import { opKey } from '../core/text.js';

export interface TwinOptions {
  /** how far apart in event time two copies may be (default 5 s) */
  windowMs?: number;
  /** events queued behind waiting UAL records at most (default 50 000) */
  maxQueued?: number;
}

export interface TwinStats {
  /** UAL copies dropped */
  dropped: number;
  /** UAL directory records released without deciding because the queue was full */
  undecided: number;
}

interface Sig {
  kind: string;
  outcome: string;
  actors: string[];
  targets: string[];
  roles: string;
  corr?: string;
}

interface Entry {
  ev: Event;
  sig?: Sig;
  /** a UAL directory record still waiting for its Entra twin */
  waiting: boolean;
  dropped: boolean;
}

interface Recent {
  t: number;
  sig: Sig;
  used: boolean;
}

/** A UAL Audit.AzureActiveDirectory directory-change record (not a sign-in). */
export function isUalDirectoryRecord(ev: Event): boolean {
  if (ev.source !== 'ual' || ev.action === 'signin') return false;
  const rt = ev.details?.recordType;
  return rt === 8 || (rt === undefined && ev.details?.workload === 'AzureActiveDirectory');
}

const lower = (xs: (string | undefined)[]): string[] => [...new Set(xs.filter((x): x is string => !!x).map((x) => x.toLowerCase()))];

function signature(ev: Event): Sig {
  const a = ev.actor;
  const targets: (string | undefined)[] = [];
  for (const t of ev.targets) {
    if (t.type === 'role') continue; // one side names the role object, the other its template: compared by name below
    targets.push(t.id, t.appId, t.name && t.name.includes('@') ? t.name : undefined);
  }
  const roles = Array.isArray(ev.details?.roles) ? (ev.details.roles as unknown[]).filter((r): r is string => typeof r === 'string') : [];
  const sig: Sig = {
    kind: `${ev.action}|${opKey(ev.operation)}`,
    outcome: ev.outcome,
    actors: lower([a.user, a.userId, a.appId, a.spId]),
    targets: lower(targets),
    roles: lower(roles).sort().join('|'),
  };
  const corr = ev.session?.correlationId?.toLowerCase();
  if (corr) sig.corr = corr;
  return sig;
}

const overlap = (a: string[], b: string[]): boolean => (a.length === 0 && b.length === 0) || a.some((x) => b.includes(x));

function sameChange(x: Sig, y: Sig): boolean {
  if (x.kind !== y.kind || x.outcome !== y.outcome) return false;
  if (x.corr && y.corr && x.corr !== y.corr) return false;
  if (x.roles && y.roles && x.roles !== y.roles) return false;
  return overlap(x.actors, y.actors) && overlap(x.targets, y.targets);
}

/**
 * The events in order, UAL copies of Entra directory audit events left out (counted in `stats.dropped`). The
 * input must be in event-time order (the hunt's sorted stream); so is the output.
 */
export function* withoutUalTwins(events: Iterable<Event>, stats: TwinStats, opts: TwinOptions = {}): Generator<Event, void, undefined> {
  const w = opts.windowMs ?? 5000;
  const cap = opts.maxQueued ?? 50_000;
  let queue: Entry[] = [];
  let head = 0;
  let waitingCount = 0;
  /** waiting UAL records by kind (for Entra records that come after their copy) */
  const waiting = new Map<string, Entry[]>();
  /** Entra records of the last window by kind (for UAL copies that come after them) */
  const recent = new Map<string, Recent[]>();
  const recentOrder: { kind: string; t: number }[] = [];
  let recentHead = 0;

  const pruneRecent = (now: number) => {
    while (recentHead < recentOrder.length && recentOrder[recentHead]!.t < now - w) {
      const { kind } = recentOrder[recentHead++]!;
      const list = recent.get(kind);
      list?.shift();
      if (list && list.length === 0) recent.delete(kind);
    }
    if (recentHead > 4096 && recentHead * 2 > recentOrder.length) {
      recentOrder.splice(0, recentHead);
      recentHead = 0;
    }
  };

  const settle = (e: Entry) => {
    if (!e.waiting) return;
    e.waiting = false;
    waitingCount--;
    const list = waiting.get(e.sig!.kind);
    if (list) {
      const i = list.indexOf(e);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) waiting.delete(e.sig!.kind);
    }
  };

  function* release(now: number, all: boolean): Generator<Event, void, undefined> {
    while (head < queue.length) {
      const e = queue[head]!;
      const over = queue.length - head > cap;
      if (e.waiting && !all && !over && e.ev.time >= now - w) break;
      if (e.waiting) {
        if (over && e.ev.time >= now - w) stats.undecided++;
        settle(e);
      }
      queue[head++] = undefined as unknown as Entry; // let released events go
      if (!e.dropped) yield e.ev;
    }
    if (head === queue.length) {
      queue = [];
      head = 0;
    } else if (head > 4096 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  }

  for (const ev of events) {
    const now = ev.time;
    pruneRecent(now);
    if (ev.source === 'entra.audit') {
      const sig = signature(ev);
      let used = false;
      const cands = waiting.get(sig.kind);
      if (cands) {
        const twin = cands.find((c) => Math.abs(c.ev.time - now) <= w && sameChange(c.sig!, sig));
        if (twin) {
          twin.dropped = true;
          stats.dropped++;
          settle(twin);
          used = true;
        }
      }
      let list = recent.get(sig.kind);
      if (!list) recent.set(sig.kind, (list = []));
      list.push({ t: now, sig, used });
      recentOrder.push({ kind: sig.kind, t: now });
      queue.push({ ev, waiting: false, dropped: false });
    } else if (isUalDirectoryRecord(ev)) {
      const sig = signature(ev);
      const twin = recent.get(sig.kind)?.find((r) => !r.used && now - r.t <= w && sameChange(r.sig, sig));
      if (twin) {
        twin.used = true;
        stats.dropped++;
        continue;
      }
      const e: Entry = { ev, sig, waiting: true, dropped: false };
      let list = waiting.get(sig.kind);
      if (!list) waiting.set(sig.kind, (list = []));
      list.push(e);
      waitingCount++;
      queue.push(e);
    } else if (waitingCount === 0 && head === queue.length) {
      yield ev; // nothing waits: no need to queue
      continue;
    } else queue.push({ ev, waiting: false, dropped: false });
    yield* release(now, false);
  }
  yield* release(Infinity, true);
}
