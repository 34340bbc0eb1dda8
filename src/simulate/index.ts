// `simulate()`: build the tenant, plan the scenarios and benign storylines, then generate and write the logs one UTC
// day at a time (newest day first by default, matching Graph and Purview exports). Memory holds the world, the
// planned scenario/storyline intents and one day of background intents — never the whole period.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAY, isoSecZ } from './clock.js';
import { personDay, localDaysFor } from './background/people.js';
import { storylines, tenantDay } from './background/tenant.js';
import { compareDesc, type Intent } from './model.js';
import { type Format, type OutputOptions, Outputs } from './output/outputs.js';
import type { FileStat } from './output/writers.js';
import { hash32 } from './rng.js';
import { SCENARIOS, scenarioByName } from './scenarios/index.js';
import type { ScenarioCtx } from './scenarios/types.js';
import { writeSnapshot } from './snapshot.js';
import { Truth } from './truth.js';
import { buildWorld, type World } from './world/build.js';

export const GENERATOR_VERSION = 1;

export interface SimulateOptions {
  out: string;
  seed: number;
  users: number;
  days: number;
  /** exclusive end of the period (epoch ms, midnight UTC); default derived from the seed */
  end?: number;
  /** scenario names; [] = background only */
  scenarios: string[];
  formats: Format[];
  signins?: OutputOptions['signins'];
  messagetrace?: OutputOptions['messagetrace'];
  order?: OutputOptions['order'];
  onDay?: (done: number, total: number) => void;
}

export interface SimulateResult {
  dir: string;
  world: World;
  files: FileStat[];
  counts: Record<string, number>;
  incidents: number;
  maliciousEvents: number;
  /** the most intents held at once for one day: the memory bound, independent of --days */
  peakDayIntents: number;
}

/** Default period end: a Monday-aligned date in the first half of 2025, varied by seed so timing differs per seed. */
export function defaultEnd(seed: number): number {
  const base = Date.UTC(2025, 5, 2); // Monday 2 June 2025
  return base - (hash32(seed, 'end') % 26) * 7 * DAY;
}

export async function simulate(opts: SimulateOptions): Promise<SimulateResult> {
  const end = opts.end ?? defaultEnd(opts.seed);
  const world = buildWorld({ seed: opts.seed, users: opts.users, days: opts.days, end });
  const truth = new Truth();

  // scenarios first (they take victims and networks), then the benign storylines
  const fixed: Intent[] = [];
  const taken = new Set<string>();
  const takenNets = new Set<number>();
  const names: string[] = [];
  for (const name of opts.scenarios) {
    const s = scenarioByName(name);
    if (!s) throw new Error(`unknown scenario ${name}`);
    const ctx: ScenarioCtx = { world, r: world.rng.derive('scenario', s.name), add: (i) => fixed.push(i), incident: (d) => truth.register(d), taken, takenNets };
    s.plan(ctx);
    names.push(s.name);
  }
  fixed.push(...storylines(world));
  const byDay = new Map<number, Intent[]>();
  for (const i of fixed) {
    const d = Math.floor((i.time - world.start) / DAY);
    if (d < 0 || d >= world.days) continue;
    (byDay.get(d) ?? byDay.set(d, []).get(d)!).push(i);
  }
  fixed.length = 0;

  mkdirSync(opts.out, { recursive: true });
  const formats = new Set(opts.formats);
  const order = opts.order ?? 'newest';
  const outputs = new Outputs(world, { dir: opts.out, formats, signins: opts.signins ?? 'split', messagetrace: opts.messagetrace ?? 'json', order }, truth);

  let peak = 0;
  const dayList = Array.from({ length: world.days }, (_, k) => (order === 'newest' ? world.days - 1 - k : k));
  for (const [n, d] of dayList.entries()) {
    const from = world.start + d * DAY;
    const to = from + DAY;
    const list: Intent[] = byDay.get(d) ?? [];
    byDay.delete(d);
    const tmp: Intent[] = [];
    const keep = () => {
      for (const i of tmp) if (i.time >= from && i.time < to) list.push(i);
      tmp.length = 0;
    };
    tenantDay(world, d, tmp);
    keep();
    for (const u of world.users) {
      for (const l of localDaysFor(u, d)) personDay(world, u, l, tmp);
      keep();
    }
    list.sort(compareDesc);
    if (order === 'oldest') list.reverse();
    peak = Math.max(peak, list.length);
    for (const i of list) await outputs.emit(i);
    await outputs.endDay(from);
    opts.onDay?.(n + 1, world.days);
  }
  const { files, counts } = await outputs.close();
  if (formats.has('snapshot')) files.push(...(await writeSnapshot(world, opts.out)));

  const geo = world.nets.table.csv();
  mkdirSync(join(opts.out, 'geo'), { recursive: true });
  writeFileSync(join(opts.out, 'geo/networks.csv'), geo);
  files.push({ path: 'geo/networks.csv', records: geo.split('\n').length - 2, bytes: Buffer.byteLength(geo) });

  const head = {
    schema: 'tenantwatch.simulate.truth/1',
    generator: { name: 'tenantwatch simulate', version: GENERATOR_VERSION },
    seed: world.seed,
    options: { users: opts.users, days: opts.days, scenarios: names, formats: [...formats].sort(), signins: opts.signins ?? 'split', messagetrace: opts.messagetrace ?? 'json', order },
    period: { start: isoSecZ(world.start), end: isoSecZ(world.end) },
    tenant: {
      id: world.tenant.id,
      name: world.tenant.displayName,
      domains: world.tenant.domains,
      primaryDomain: world.tenant.primaryDomain,
      initialDomain: world.tenant.initialDomain,
      locale: world.tenant.locale.id,
      entraP2: world.tenant.p2,
      csvDateStyles: world.dateStyles,
    },
    scenarios: names,
    idRules: {
      'entra.signin': 'signIn.id (Graph) = properties.id (diagnostic export)',
      'entra.audit': 'directoryAudit.id',
      ual: 'AuditData.Id',
      'exchange.messagetrace': '<MessageTraceId lower-case>/<RecipientAddress lower-case>',
    },
  };
  const doc = truth.toJSON(head);
  writeFileSync(join(opts.out, 'truth.json'), JSON.stringify(doc, null, 2) + '\n');
  files.push({ path: 'truth.json', records: truth.maliciousCount, bytes: 0 });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const manifest = { ...head, counts, peakDayIntents: peak, files: files.filter((f) => f.path !== 'truth.json') };
  writeFileSync(join(opts.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { dir: opts.out, world, files, counts, incidents: (doc.incidents as unknown[]).length, maliciousEvents: truth.maliciousCount, peakDayIntents: peak };
}

export const ALL_SCENARIOS = SCENARIOS.map((s) => s.name);
export { FORMATS, type Format } from './output/outputs.js';
