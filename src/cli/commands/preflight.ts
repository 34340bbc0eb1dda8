// `tenantwatch preflight [--config FILE]`: check the collector app's token roles against the least-privilege
// manifest (docs/permissions.md) and probe each endpoint the configured sources use. Exit 0 when everything is in
// place, 4 when a source would fail, 2 when authentication itself fails.
import path from 'node:path';
import { streamLogger } from '../../sources/auth/redact.js';
import { preflight, renderPreflight } from '../../sources/preflight/index.js';
import { createRuntime } from '../../sources/runtime.js';
import { UsageError } from '../../core/errors.js';
import { EXIT, type Command } from '../types.js';
import { VERSION } from '../version.js';
import { cliClock, collectorConfig, DEFAULT_CONFIG } from './collect.js';

export const preflightCommand: Command = {
  name: 'preflight',
  summary: "check the collector app's permissions and probe every endpoint collect will use",
  usage: 'tenantwatch preflight [--config FILE] [--format table|json]',
  options: {
    config: { type: 'string', arg: 'FILE', help: `config file with the tenant: section (default: ./${DEFAULT_CONFIG})` },
    format: { type: 'string', default: 'table', arg: 'table|json', help: 'output format' },
    debug: { type: 'boolean', help: 'log retries and MSAL warnings' },
  },
  async run(args, io) {
    const fmt = String(args.values.format);
    if (fmt !== 'table' && fmt !== 'json') throw new UsageError(`--format must be table or json, not "${fmt}"`);
    const { file, config } = await collectorConfig(args.values, io);
    const logger = streamLogger((s) => io.stderr.write(s), { debug: Boolean(args.values.debug) });
    const rt = await createRuntime({ config, configDir: path.dirname(file), env: io.env, clock: cliClock(io), logger, userAgent: `tenantwatch/${VERSION}` });
    const report = await preflight(rt);
    io.stdout.write(fmt === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderPreflight(report));
    if (report.tokens.some((t) => t.resource === 'graph' && !t.ok)) return EXIT.usage;
    return report.ok ? EXIT.ok : EXIT.input;
  },
};
