// The scenario contract: a scenario plans one incident (its steps and labelled intents) inside the simulated period.
// Scenarios are composable with the background and with each other: each takes its victims, attacker networks and
// timing from its own random stream, and avoids users and networks an earlier scenario already took.
import { DAY, HOUR } from '../clock.js';
import type { Intent } from '../model.js';
import type { Rng } from '../rng.js';
import type { IncidentDef } from '../truth.js';
import type { User, World } from '../world/build.js';
import type { Network } from '../world/networks.js';

export interface ScenarioCtx {
  world: World;
  r: Rng;
  add(i: Intent): void;
  incident(def: IncidentDef): void;
  /** users already taken by another scenario */
  taken: Set<string>;
  /** attacker networks already taken */
  takenNets: Set<number>;
}

export interface Scenario {
  name: string;
  title: string;
  plan(ctx: ScenarioCtx): void;
}

/** People (not shared or legacy accounts) nobody else uses yet, optionally filtered. */
export function victims(ctx: ScenarioCtx, n: number, filter: (u: User) => boolean = () => true): User[] {
  const pool = ctx.world.users.filter((u) => u.kind === 'person' && !ctx.taken.has(u.id) && u.roles.length === 0 && filter(u));
  const got = ctx.r.sample(pool, n);
  for (const u of got) ctx.taken.add(u.id);
  return got;
}

/** Mass-targeted accounts (stuffing, spray lists): people without roles; not reserved, lists may overlap. */
export function targets(ctx: ScenarioCtx, n: number): User[] {
  const pool = ctx.world.users.filter((u) => u.kind === 'person' && u.roles.length === 0);
  return ctx.r.sample(pool, n);
}

/** An attacker hosting network (distinct per call while any are left). */
export function hostingNet(ctx: ScenarioCtx, notCountry?: string): Network {
  const all = ctx.world.nets.hosting.filter((n) => !ctx.takenNets.has(n.id) && n.place.country !== notCountry);
  const net = all.length ? ctx.r.pick(all) : ctx.r.pick(ctx.world.nets.hosting);
  ctx.takenNets.add(net.id);
  return net;
}

/** Residential proxy exits, for attacks that hide in consumer address space. */
export function proxyNets(ctx: ScenarioCtx, n: number, avoidContinent?: string): Network[] {
  const pool = ctx.world.nets.proxies.filter((p) => p.place.continent !== avoidContinent);
  return ctx.r.sample(pool, n);
}

/** A time inside the period: day fraction in [lo, hi) of the period, at a local hour of a place's time zone. */
export function timeIn(ctx: ScenarioCtx, lo: number, hi: number, hourLo = 0, hourHi = 24, tz = 0): number {
  const { world, r } = ctx;
  const d = Math.min(world.days - 1, Math.floor(r.range(lo, hi) * world.days));
  return world.start + d * DAY + (r.range(hourLo, hourHi) - tz) * HOUR;
}

/** Clamp into the period, keeping a margin from the end. */
export function clampToPeriod(world: World, t: number, marginMs = HOUR): number {
  return Math.max(world.start + marginMs, Math.min(world.end - marginMs, t));
}

export const ref = (u: User) => ({ id: u.id, upn: u.upn, displayName: u.displayName });
