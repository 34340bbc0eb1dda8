// Helpers for engine tests: build normalized Events directly (rule cases use raw records instead).
import type { Action, Event, SourceKind } from '../core/event.js';
import type { Alert } from './alert.js';

export const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
export const MIN = 60_000;

export interface EvOpts {
  id: string;
  time: number;
  action?: Action;
  source?: SourceKind;
  tenant?: string;
  user?: string;
  ip?: string;
  app?: string;
  outcome?: Event['outcome'];
  code?: string;
}

export function ev(o: EvOpts): Event {
  const e: Event = {
    id: o.id,
    time: o.time,
    tenant: o.tenant ?? 'tenant-a',
    source: o.source ?? 'entra.signin',
    action: o.action ?? 'signin',
    operation: o.action ?? 'Sign-in activity',
    outcome: o.outcome ?? 'failure',
    actor: { kind: 'user' },
    targets: [],
    raw: { file: 'test.ndjson', line: 1, format: 'test', text: `{"id":"${o.id}"}` },
  };
  if (o.user) e.actor.user = o.user;
  if (o.ip) e.actor.ip = o.ip;
  if (o.app) e.targets.push({ type: 'app', appId: o.app, id: o.app });
  if (o.code) e.reason = { code: o.code };
  return e;
}

/** Alerts as plain JSON (what a sink would store), for equality checks. */
export function plain(alerts: Alert[]): unknown[] {
  return JSON.parse(JSON.stringify(alerts)) as unknown[];
}

/** Deterministic PRNG (mulberry32) for tests that shuffle without fast-check. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
