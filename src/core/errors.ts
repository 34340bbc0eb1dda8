// Error classes map to exit codes at the one error boundary (src/cli/main.ts). Messages say what, where, what to do.

export class TwError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
    this.name = new.target.name;
  }
}

/** The user asked for something impossible: bad flag, bad config value. Exit 2. */
export class UsageError extends TwError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** Input could not be read or used at all. Exit 4. */
export class InputError extends TwError {
  constructor(message: string) {
    super(message, 4);
  }
}

/** A configuration file problem with its location: "config.yml:14:5: unknown key ...". Exit 2. */
export class ConfigError extends TwError {
  constructor(readonly problems: { file: string; line?: number; col?: number; message: string }[]) {
    super(problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}${p.col ? `:${p.col}` : ''}: ${p.message}`).join('\n'), 2);
  }
}
