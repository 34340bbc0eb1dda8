// The CLI's one error boundary: parse the verb, run it, map errors to exit codes and clear messages.
import { parseArgs } from 'node:util';
import { TwError } from '../core/errors.js';
import { safeTerminal } from '../core/text.js';
import { Redactor } from '../sources/auth/redact.js';
import { commands } from './registry.js';
import { EXIT, type Command, type CommandIO, type ParsedArgs } from './types.js';
import { VERSION } from './version.js';

export function defaultIO(): CommandIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    now: () => Date.now(),
  };
}

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `tenantwatch ${VERSION} — hunt, watch and audit Microsoft 365 tenants for account and OAuth-app takeover`,
    '',
    'usage: tenantwatch <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `tenantwatch <command> --help` for a command\'s options.',
  ].join('\n');
}

export function commandHelp(c: Command): string {
  const lines = [`usage: ${c.usage}`, '', c.summary, '', 'options:'];
  for (const [name, o] of Object.entries(c.options)) {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`;
    lines.push(`  ${flag.padEnd(28)} ${o.help}${o.default !== undefined ? ` (default: ${String(o.default)})` : ''}`);
  }
  lines.push(`      --help                   show this help`);
  return lines.join('\n');
}

export async function run(argv: string[], io: CommandIO = defaultIO()): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    io.stdout.write(usage() + '\n');
    return verb ? EXIT.ok : EXIT.usage;
  }
  if (verb === '--version' || verb === '-V') {
    io.stdout.write(VERSION + '\n');
    return EXIT.ok;
  }
  const cmd = commands.find((c) => c.name === verb);
  if (!cmd) {
    io.stderr.write(`tenantwatch: unknown command "${safeTerminal(verb, 60)}"\n\n${usage()}\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(commandHelp(cmd) + '\n');
    return EXIT.ok;
  }
  try {
    const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
    for (const [k, o] of Object.entries(cmd.options)) {
      options[k] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
    }
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
    } catch (e) {
      io.stderr.write(`tenantwatch ${cmd.name}: ${(e as Error).message}\n\n${commandHelp(cmd)}\n`);
      return EXIT.usage;
    }
    if (cmd.positionals === false && parsed.positionals.length > 0) {
      const first = safeTerminal(parsed.positionals[0], 60);
      io.stderr.write(`tenantwatch ${cmd.name}: unexpected argument "${first}" (repeat the option for several values, e.g. --scenario a --scenario b, or use a comma list)\n\n${commandHelp(cmd)}\n`);
      return EXIT.usage;
    }
    const values = { ...parsed.values } as ParsedArgs["values"];
    for (const [k, o] of Object.entries(cmd.options)) if (values[k] === undefined && o.default !== undefined) values[k] = o.default;
    return await cmd.run({ values, positionals: parsed.positionals }, io);
  } catch (e) {
    if (e instanceof TwError) {
      // a message may quote what the user gave (a path that was a pasted key): anything shaped like a credential is masked
      io.stderr.write(`tenantwatch ${cmd.name}: ${safeTerminal(new Redactor().redact(e.message), 4000)}\n`);
      return e.exitCode;
    }
    io.stderr.write(
      `tenantwatch ${cmd.name}: internal error — this is a bug in tenantwatch, please report it with the command line:\n` +
        `${(e as Error)?.stack ?? String(e)}\n`,
    );
    return EXIT.internal;
  }
}
