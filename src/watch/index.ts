// Wiring for `tenantwatch watch` (and the crash tests' child process): the collector runtime, the sinks with their
// secrets, the store and its lock, the watcher, and the loopback health/metrics server.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { defaultWatchConfig } from '../config/watch.js';
import { createSinks } from '../sinks/index.js';
import type { Logger } from '../sources/auth/redact.js';
import type { TokenProvider } from '../sources/auth/token.js';
import type { Clock } from '../sources/clock.js';
import type { Transport } from '../sources/http/transport.js';
import { createRuntime, type CollectorRuntime } from '../sources/runtime.js';
import { Store } from '../store/store.js';
import { startWatchServer, type WatchServer } from '../server/index.js';
import { acquireLock, type WatchLock } from './lock.js';
import { Watcher, type WatchHooks } from './watcher.js';

export interface OpenWatchOptions {
  config: Config;
  /** folder of the config file (relative paths: keys, secrets, CA files, the dead-letter file) */
  configDir: string;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  logger: Logger;
  /** the store (absolute path, or :memory:) */
  dbPath: string;
  /** override watch.listen; null = no server */
  listen?: { host: string; port: number } | null;
  transport?: Transport;
  tokens?: TokenProvider;
  backoffBaseMs?: number;
  userAgent?: string;
  hooks?: WatchHooks;
  geoPackages?: boolean;
  networks?: string[];
  random?: () => number;
}

export interface OpenWatch {
  rt: CollectorRuntime;
  store: Store;
  watcher: Watcher;
  server?: WatchServer;
  deadLetter: string;
  /** close the server, the watcher (commits what was read), the store, and release the lock */
  close(): Promise<void>;
}

export async function openWatch(o: OpenWatchOptions): Promise<OpenWatch> {
  const rt = await createRuntime({
    config: o.config, configDir: o.configDir, env: o.env, clock: o.clock, logger: o.logger,
    ...(o.transport ? { transport: o.transport } : {}), ...(o.tokens ? { tokens: o.tokens } : {}),
    ...(o.backoffBaseMs !== undefined ? { backoffBaseMs: o.backoffBaseMs } : {}), ...(o.userAgent ? { userAgent: o.userAgent } : {}),
  });
  const sinks = await createSinks(o.config.sinks ?? [], { env: o.env, baseDir: o.configDir, redactor: rt.redactor, clock: o.clock });
  const watch = o.config.watch ?? defaultWatchConfig();
  const deadLetter = watch.deadLetter ? path.resolve(o.configDir, watch.deadLetter) : o.dbPath === ':memory:' ? path.resolve(o.configDir, 'tenantwatch-deadletter.ndjson') : `${o.dbPath.replace(/\.db$/, '')}-deadletter.ndjson`;
  if (o.dbPath !== ':memory:') mkdirSync(path.dirname(o.dbPath), { recursive: true, mode: 0o700 });
  const lock: WatchLock | undefined = o.dbPath === ':memory:' ? undefined : acquireLock(`${o.dbPath}.watch-lock`);
  let store: Store | undefined;
  try {
    store = Store.open(o.dbPath);
    const watcher = new Watcher({ rt, config: o.config, store, sinks, deadLetter, hooks: o.hooks, geoPackages: o.geoPackages, networks: o.networks, random: o.random });
    watcher.open();
    const listen = o.listen === undefined ? watch.listen : o.listen ?? undefined;
    const server = listen ? await startWatchServer({ host: listen.host, port: listen.port, health: () => watcher.health(), metrics: () => watcher.renderMetrics() }) : undefined;
    const st = store;
    let closed = false;
    return {
      rt, store: st, watcher, deadLetter, ...(server ? { server } : {}),
      async close() {
        if (closed) return;
        closed = true;
        await server?.close();
        await watcher.close();
        st.close();
        lock?.release();
      },
    };
  } catch (e) {
    store?.close();
    lock?.release();
    throw e;
  }
}
