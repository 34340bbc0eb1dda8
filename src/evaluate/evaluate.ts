// `evaluate DIR`: hunt a simulated tenant (the output of `tenantwatch simulate`) in-process and score the result
// against DIR/truth.json. The hunt reads the log folders only (not truth.json, manifest.json, the snapshot or the
// geo table), uses DIR/snapshot as --snapshot and DIR/geo/networks.csv as its network table when present, and a
// throwaway in-memory store, so it neither reads nor pollutes a real one. Its clock is the simulated period's end:
// the snapshot describes the tenant then.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import type { Config } from '../config/config.js';
import { hunt } from '../hunt/hunt.js';
import type { HuntReport } from '../report/types.js';
import { Store } from '../store/store.js';
import { score, type Scorecard, type Truth } from './score.js';

/** what a simulated directory holds besides logs */
const NOT_LOGS = new Set(['truth.json', 'manifest.json', 'snapshot', 'geo']);

export interface SimTruth extends Truth {
  period?: { start: string; end: string };
  scenarios?: string[];
  options?: { users?: number; days?: number };
}

export function readTruth(dir: string): SimTruth {
  const file = path.join(dir, 'truth.json');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `${file} not found: evaluate needs a directory written by \`tenantwatch simulate --out DIR\``
        : `${file} is not readable JSON (${(e as Error).message})`,
    );
  }
  const t = doc as Partial<SimTruth>;
  if (!t || typeof t !== 'object' || !Array.isArray(t.incidents) || !Array.isArray(t.maliciousEventIds)) {
    throw new InputError(`${file} is not a simulator truth file (no incidents / maliciousEventIds); see docs/simulate.md`);
  }
  return t as SimTruth;
}

/** The log inputs of a simulated directory: everything at its top level except the truth, manifest, snapshot and geo table. */
export function logPaths(dir: string): string[] {
  return readdirSync(dir).filter((n) => !NOT_LOGS.has(n)).sort().map((n) => path.join(dir, n));
}

export interface EvaluateOptions {
  config?: Config;
  /** stage messages for progress */
  onStage?: (msg: string) => void;
}

export interface Evaluation {
  dir: string;
  truth: SimTruth;
  report: HuntReport;
  scorecard: Scorecard;
  /** wall time of the hunt, ms */
  huntMs: number;
}

/** A clock that starts at `start` and advances with real time (durations in the report stay real). */
export function clockFrom(start: number): () => number {
  const t0 = Date.now();
  return () => start + (Date.now() - t0);
}

export async function evaluateDir(dir: string, opts: EvaluateOptions = {}): Promise<Evaluation> {
  const truth = readTruth(dir);
  const paths = logPaths(dir);
  if (!paths.length) throw new InputError(`${dir} holds no log folders next to truth.json; see docs/simulate.md for the layout`);
  const snapshotDir = path.join(dir, 'snapshot');
  const networks = path.join(dir, 'geo', 'networks.csv');
  const end = truth.period?.end ? Date.parse(truth.period.end) : NaN;
  const store = Store.open(':memory:');
  const wall = Date.now();
  let report: HuntReport;
  try {
    report = await hunt({
      paths,
      config: opts.config,
      ...(existsSync(snapshotDir) ? { snapshotDir } : {}),
      // the simulated networks stand in for the geo / ASN database: the shipped ones know nothing of documentation
      // ranges and private ASNs, and leaving them out keeps the score independent of optional packages
      ...(existsSync(networks) ? { networks: [networks], geoPackages: false } : {}),
      store,
      failOn: 'none',
      ...(Number.isFinite(end) ? { now: clockFrom(end) } : {}),
      onStage: opts.onStage,
    });
  } finally {
    store.close();
  }
  const huntMs = Date.now() - wall;
  return { dir, truth, report, scorecard: score(truth, report.alerts, report.incidents), huntMs };
}
