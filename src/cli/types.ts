// The command contract: every verb is one module under src/cli/commands/ registered in src/cli/registry.ts.
import type { Writable } from 'node:stream';

export interface CommandIO {
  stdout: Writable;
  stderr: Writable;
  stdin: NodeJS.ReadableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** colour and progress are only for a person at a terminal */
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** injectable clock for tests */
  now: () => number;
}

/** Option spec in node:util parseArgs shape, plus help text. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  default?: string | boolean;
  help: string;
  /** placeholder shown in help, e.g. FILE */
  arg?: string;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export interface Command {
  name: string; // 'inspect' or 'rules list' style is handled by the command itself
  summary: string;
  usage: string; // "tenantwatch inspect [options] <paths…|->"
  options: Record<string, OptionSpec>;
  /** false when the command takes no positional arguments: stray words are then a usage error, not silently
   *  ignored (e.g. `--scenario a b` where only `a` is the option's value) */
  positionals?: boolean;
  /** returns the exit code */
  run(args: ParsedArgs, io: CommandIO): Promise<number>;
}

/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  internal: 1, // a bug in tenantwatch
  usage: 2, // bad command line or config
  findings: 3, // an incident/alert/failed check at or above --fail-on
  input: 4, // unreadable input, or quarantined records with --strict
} as const;
