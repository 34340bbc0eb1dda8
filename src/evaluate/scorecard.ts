// The held-out scorecard: simulated tenants whose seeds were never used while writing or tuning rules, simulated,
// hunted and scored. Shared by the scorecard test (src/evaluate/scorecard.test.ts, asserted floors) and
// scripts/scorecard.mjs (docs/scorecard.md).
//
// Seeds: rules are developed and tuned on seeds 1–20 (and the fixtures of their cases). Seeds 1000–1999 are held
// out for evaluation: a rule change that only helps on them is tuning to the test — pick new held-out seeds instead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FORMATS, simulate } from '../simulate/index.js';
import { evaluateDir } from './evaluate.js';
import type { Scorecard } from './score.js';

export const DEVELOPMENT_SEEDS = { from: 1, to: 20 } as const;
export const HELD_OUT_SEEDS = { from: 1000, to: 1999 } as const;

export interface TenantSet {
  name: string;
  /** simulator scenarios; [] = the benign background only */
  scenarios: string[];
  seeds: number[];
  users: number;
  days: number;
}

/** What the test asserts on (kept small: the whole test runs in well under a minute on 2 cores). */
export const TEST_SETS = {
  campaign: { name: 'campaign', scenarios: ['campaign'], seeds: [1030, 1031, 1032], users: 40, days: 14 },
  background: { name: 'background', scenarios: [], seeds: [1530, 1531], users: 40, days: 14 },
} as const satisfies Record<string, TenantSet>;

/** The floors the test asserts (never lowered to make a failing rule pass: fix the rule). */
export const FLOORS = {
  /** campaign tenants, alerts at medium or higher */
  precision: 0.95,
  /** campaign steps some rule implements, detected by an implementing rule */
  recall: 0.95,
  /** high or critical alerts on background-only tenants */
  backgroundHighAlerts: 0,
} as const;

export interface TenantRun {
  seed: number;
  card: Scorecard;
  simulateMs: number;
  huntMs: number;
  events: number;
}

/** Simulate, hunt and score every seed of the set, one at a time, each in its own temp folder (removed after). */
export async function runSet(set: TenantSet, opts: { onTenant?: (r: TenantRun) => void; tmpDir?: string } = {}): Promise<TenantRun[]> {
  const root = mkdtempSync(path.join(opts.tmpDir ?? tmpdir(), `tw-scorecard-${set.name}-`));
  const out: TenantRun[] = [];
  try {
    for (const seed of set.seeds) {
      const dir = path.join(root, String(seed));
      const t = Date.now();
      await simulate({ out: dir, seed, users: set.users, days: set.days, scenarios: [...set.scenarios], formats: FORMATS.filter((f) => f !== 'bench') });
      const simulateMs = Date.now() - t;
      const ev = await evaluateDir(dir);
      const run = { seed, card: ev.scorecard, simulateMs, huntMs: ev.huntMs, events: ev.report.stats.events };
      out.push(run);
      opts.onTenant?.(run);
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return out;
}
