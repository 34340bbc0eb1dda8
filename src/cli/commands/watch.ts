// `tenantwatch watch --config FILE`: poll the tenant continuously, detect, correlate, store and deliver alerts to
// the configured sinks, with /healthz and /metrics on a loopback port. Ctrl-C (or SIGTERM) stops after the current
// requests and commits what was read; a restart — even after a crash — continues exactly where the store says.
// `--once` polls every source up to now, delivers, and exits (cron, a first test of the config). docs/watch.md.
import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import { checkListen, defaultWatchConfig } from '../../config/watch.js';
import { streamLogger } from '../../sources/auth/redact.js';
import { AuthError } from '../../sources/auth/token.js';
import { openWatch } from '../../watch/index.js';
import type { WatchHealth } from '../../watch/watcher.js';
import { EXIT, type Command } from '../types.js';
import { VERSION } from '../version.js';
import { cliClock, collectorConfig, DEFAULT_CONFIG } from './collect.js';
import { dbPathArg, DEFAULT_DB } from './hunt.js';

function listValues(v: unknown): string[] {
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => String(x)).filter((x) => x !== '');
}

export const watchCommand: Command = {
  name: 'watch',
  summary: 'poll a tenant continuously: detect, correlate, store, and deliver alerts to Teams, Slack, webhooks, syslog or files',
  usage: 'tenantwatch watch [--config FILE] [--db FILE] [--once] [--listen 127.0.0.1:PORT|off] [options]',
  options: {
    config: { type: 'string', arg: 'FILE', help: `config file with the tenant:, watch: and sinks: sections (default: ./${DEFAULT_CONFIG})` },
    db: { type: 'string', arg: 'FILE', help: `the store: checkpoints, detection state, alerts, incidents, outbox (default: watch.db in the config, $TENANTWATCH_DB or ./${DEFAULT_DB})` },
    once: { type: 'boolean', help: 'poll every source up to now, deliver, print a summary and exit' },
    listen: { type: 'string', arg: 'ADDR', help: 'address of /healthz and /metrics, loopback only (default: watch.listen or 127.0.0.1:9464; off to disable)' },
    networks: { type: 'string', multiple: true, arg: 'FILE', help: 'network table (CSV) looked up before the shipped geo/ASN databases; repeatable' },
    quiet: { type: 'boolean', short: 'q', help: 'only warnings' },
    debug: { type: 'boolean', help: 'log every retry, throttling wait and delivery attempt' },
  },
  async run(args, io) {
    const { file, config } = await collectorConfig(args.values, io);
    const configDir = path.dirname(file);
    const watch = config.watch ?? defaultWatchConfig();
    let listen: { host: string; port: number } | null | undefined;
    if (typeof args.values.listen === 'string') {
      const r = checkListen(/^\d+$/.test(args.values.listen) ? Number(args.values.listen) : args.values.listen);
      if ('error' in r) throw new UsageError(`--listen: ${r.error}`);
      listen = r.value as { host: string; port: number } | null;
    }
    const dbPath = typeof args.values.db === 'string' || !watch.db ? dbPathArg(args.values, io) : path.resolve(configDir, watch.db);
    const base = streamLogger((s) => io.stderr.write(s), { debug: Boolean(args.values.debug) });
    const logger = args.values.quiet ? { ...base, info: () => {} } : base;
    const w = await openWatch({
      config, configDir, env: io.env, clock: cliClock(io), logger, dbPath,
      ...(listen !== undefined ? { listen } : {}),
      networks: listValues(args.values.networks).map((f) => path.resolve(io.cwd, f)),
      userAgent: `tenantwatch/${VERSION}`,
    });
    try {
      // fail fast with the AADSTS hint instead of every source failing the same way
      try {
        await w.rt.tokens.getToken('graph');
      } catch (e) {
        if (e instanceof AuthError) throw new UsageError(w.rt.redactor.redact(e.message));
        throw e;
      }
      if (w.server) logger.info(`health and metrics on ${w.server.url}/healthz and ${w.server.url}/metrics`);
      if (args.values.once) {
        await w.watcher.pollOnce({ force: true });
        await w.watcher.dispatcher.drain({ maxWaitMs: 30_000 });
        const h = w.watcher.health();
        io.stdout.write(renderHealth(h, dbPath, w.deadLetter));
        const bad = h.sources.some((s) => s.failures > 0) || h.deliveries.some((d) => d.pending > 0 || d.dead > 0);
        return bad ? EXIT.input : EXIT.ok;
      }
      const ac = new AbortController();
      const stop = () => {
        if (!ac.signal.aborted) io.stderr.write('tenantwatch watch: stopping after the current requests (Ctrl-C again to quit now)…\n');
        else process.exit(130);
        ac.abort();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      try {
        await w.watcher.run(ac.signal);
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
      io.stdout.write(renderHealth(w.watcher.health(), dbPath, w.deadLetter));
      return EXIT.ok;
    } finally {
      await w.close();
    }
  },
};

export function renderHealth(h: WatchHealth, db: string, deadLetter: string): string {
  const lines = [`watch ${h.status}; store ${db}`, ''];
  const width = Math.max(10, ...h.sources.map((s) => s.id.length));
  for (const s of h.sources) {
    lines.push(`  ${s.id.padEnd(width)}  read up to ${s.frontier}${s.failures ? `  FAILING (${s.failures}): ${s.lastError ?? ''}` : ''}`);
  }
  if (h.deliveries.length) lines.push('');
  for (const d of h.deliveries) lines.push(`  sink ${d.sink}: ${d.delivered} delivered, ${d.pending} pending, ${d.dead} failed for good${d.dead ? ` (see ${deadLetter})` : ''}`);
  if (h.reasons.length) lines.push('', ...h.reasons.map((r) => `  ${r}`));
  lines.push('', 'alerts and incidents: tenantwatch incidents list --db ' + db);
  return lines.join('\n') + '\n';
}
