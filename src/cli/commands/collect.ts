// `tenantwatch collect --since 30d --out DIR [--config FILE]`: pull sign-ins, directory audits, the unified audit
// log, message trace and the configuration snapshot from a tenant into a folder of Microsoft's own formats, which
// `hunt`, `inspect` and `audit` read. Needs the `tenant:` section of the config (README, "Collecting from a tenant").
import { existsSync } from 'node:fs';
import path from 'node:path';
import { COLLECT_SOURCES, defaultCollectConfig, type CollectSourceName } from '../../config/collect.js';
import { loadConfig } from '../../config/config.js';
import { UsageError } from '../../core/errors.js';
import { safeTerminal } from '../../core/text.js';
import { knownRules } from '../../rules/index.js';
import { streamLogger } from '../../sources/auth/redact.js';
import { AuthError } from '../../sources/auth/token.js';
import { realClock, type Clock } from '../../sources/clock.js';
import { collect, type CollectReport } from '../../sources/collect/index.js';
import { createRuntime } from '../../sources/runtime.js';
import { SourceError } from '../../sources/types.js';
import { EXIT, type Command, type CommandIO } from '../types.js';
import { VERSION } from '../version.js';
import { timeArg } from './inspect.js';

export const DEFAULT_CONFIG = 'tenantwatch.yml';

/** The config file: --config, else ./tenantwatch.yml. */
export async function collectorConfig(values: Record<string, unknown>, io: CommandIO) {
  const given = typeof values.config === 'string' ? values.config : undefined;
  const file = path.resolve(io.cwd, given ?? DEFAULT_CONFIG);
  if (!given && !existsSync(file)) throw new UsageError(`no --config given and no ${DEFAULT_CONFIG} here: collecting needs a config with a tenant: section (README, "Collecting from a tenant")`);
  return { file, config: await loadConfig(file, knownRules()) };
}

/** The CLI's clock: io.now (tests inject it), real waiting. */
export function cliClock(io: CommandIO): Clock {
  return { now: io.now, sleep: realClock.sleep };
}

export const collectCommand: Command = {
  name: 'collect',
  summary: 'collect sign-ins, audits, unified audit log, message trace and the configuration snapshot from a tenant into a folder',
  usage: 'tenantwatch collect --out DIR [--since 30d] [--config FILE] [options]',
  options: {
    out: { type: 'string', arg: 'DIR', help: 'folder to write (must be empty, or hold an interrupted run with --resume)' },
    since: { type: 'string', default: '30d', arg: 'TIME', help: 'collect from TIME (ISO, or relative like 7d)' },
    until: { type: 'string', arg: 'TIME', help: 'collect up to TIME (default: now)' },
    config: { type: 'string', arg: 'FILE', help: `config file with the tenant: section (default: ./${DEFAULT_CONFIG})` },
    sources: { type: 'string', arg: 'LIST', help: `comma-separated subset of ${COLLECT_SOURCES.join(',')}` },
    resume: { type: 'boolean', help: 'continue the interrupted run recorded in DIR/collect.json' },
    quiet: { type: 'boolean', short: 'q', help: 'only warnings and the summary' },
    debug: { type: 'boolean', help: 'log every retry and throttling wait' },
  },
  async run(args, io) {
    const out = typeof args.values.out === 'string' ? path.resolve(io.cwd, args.values.out) : undefined;
    if (!out) throw new UsageError('--out DIR is required');
    const now = io.now();
    const since = timeArg(args.values.since, '--since', now)!;
    const until = timeArg(args.values.until, '--until', now);
    if (until !== undefined && until <= since) throw new UsageError('--until must be after --since');
    const { file, config } = await collectorConfig(args.values, io);
    if (typeof args.values.sources === 'string') {
      const list = args.values.sources.split(',').map((s) => s.trim()).filter(Boolean);
      const bad = list.filter((s) => !(COLLECT_SOURCES as readonly string[]).includes(s));
      if (bad.length) throw new UsageError(`--sources: unknown ${bad.map((b) => `"${safeTerminal(b, 40)}"`).join(', ')} (known: ${COLLECT_SOURCES.join(', ')})`);
      config.collect = { ...(config.collect ?? defaultCollectConfig()), sources: list as CollectSourceName[] };
    }
    const write = (s: string) => io.stderr.write(s);
    const base = streamLogger(write, { debug: Boolean(args.values.debug) });
    const logger = args.values.quiet ? { ...base, info: () => {} } : base;
    const rt = await createRuntime({ config, configDir: path.dirname(file), env: io.env, clock: cliClock(io), logger, userAgent: `tenantwatch/${VERSION}` });
    // fail fast with the AADSTS hint instead of every source failing the same way
    try {
      await rt.tokens.getToken('graph');
    } catch (e) {
      if (e instanceof AuthError) throw new UsageError(rt.redactor.redact(e.message));
      throw e;
    }
    const ac = new AbortController();
    const stop = () => {
      if (!ac.signal.aborted) io.stderr.write('tenantwatch collect: stopping after the current request (Ctrl-C again to quit now)…\n');
      else process.exit(130);
      ac.abort();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    let report: CollectReport;
    try {
      report = await collect({ rt, out, since, ...(until !== undefined ? { until } : {}), resume: Boolean(args.values.resume), signal: ac.signal });
    } catch (e) {
      if (e instanceof SourceError && e.source === 'collect') throw new UsageError(e.message.replace(/^collect: /, ''));
      throw e;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    io.stdout.write(renderCollect(report, out));
    const bad = report.sources.some((s) => s.status !== 'ok') || report.snapshot?.status === 'failed';
    return bad ? EXIT.input : EXIT.ok;
  },
};

export function renderCollect(r: CollectReport, out: string): string {
  const lines = [`collected ${r.since} – ${r.until} from tenant ${r.tenant} into ${out}`, ''];
  const w = Math.max(...r.sources.map((s) => s.id.length), 10);
  for (const s of r.sources) {
    lines.push(`  ${s.id.padEnd(w)}  ${s.status.padEnd(11)} ${String(s.records).padStart(9)} records  ${String(s.files).padStart(5)} files${s.error ? `\n  ${''.padEnd(w)}  ${s.error}` : ''}`);
    for (const n of s.notices) if (n.level === 'warning') lines.push(`  ${''.padEnd(w)}  warning: ${n.message}`);
  }
  if (r.snapshot) {
    const errs = r.snapshot.files.filter((f) => f.state === 'error');
    lines.push(`  ${'snapshot'.padEnd(w)}  ${r.snapshot.status.padEnd(11)} ${String(r.snapshot.files.length - errs.length).padStart(9)} files ok, ${errs.length} saved as errors${r.snapshot.error ? ` — ${r.snapshot.error}` : ''}`);
  }
  if (r.http) lines.push('', `  ${r.http.requests} requests, ${r.http.throttled} throttled, ${r.http.retries} retries, ${r.http.tokenRefreshes} token refreshes`);
  const interrupted = r.sources.some((s) => s.status === 'interrupted' || s.status === 'pending');
  lines.push('');
  if (interrupted) lines.push(`interrupted: continue with  tenantwatch collect --out ${out} --resume`);
  lines.push(`next:  tenantwatch hunt ${out}${r.snapshot ? `    tenantwatch audit ${path.join(out, 'snapshot')}` : ''}`);
  return lines.join('\n') + '\n';
}
