// A watch in a child process, for the SIGKILL test (src/watch/crash.test.ts): reads a spec file (config file, store,
// virtual clock start, poll schedule), polls the fake Microsoft service on that schedule, and prints a line after
// every commit and every delivery so the parent knows when to kill it. Not part of the CLI.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../config/config.js';
import { knownRules } from '../../rules/index.js';
import { silentLogger } from '../../sources/auth/redact.js';
import { VirtualClock } from '../../sources/clock.js';
import { openWatch } from '../index.js';

export interface ChildSpec {
  configFile: string;
  dbPath: string;
  clockStart: number;
  schedule: number[];
  env: Record<string, string>;
}

async function main(): Promise<void> {
  const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ChildSpec;
  const config = await loadConfig(spec.configFile, knownRules());
  const clock = new VirtualClock(spec.clockStart);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const w = await openWatch({
    config, configDir: path.dirname(spec.configFile), env: { ...process.env, ...spec.env }, clock, logger: silentLogger, dbPath: spec.dbPath,
    listen: null, geoPackages: false, backoffBaseMs: 10, random: () => 1,
    hooks: { committed: (n) => out(`commit ${n}`), delivered: (row) => out(`delivery ${row.key}`) },
  });
  for (const t of spec.schedule) {
    clock.set(Math.max(clock.now(), t));
    await w.watcher.pollOnce({ until: t });
    await w.watcher.dispatcher.drain({ maxWaitMs: 3_600_000 });
  }
  await w.close();
  out('done');
}

main().catch((e: unknown) => {
  process.stderr.write(`crash-child: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
