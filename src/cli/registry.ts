// Explicit command registry: adding a verb = one module in commands/ + one line here.
import type { Command } from './types.js';
import { inspectCommand } from './commands/inspect.js';
import { auditCommand } from './commands/audit.js';
import { rulesCommand } from './commands/rules.js';
import { simulateCommand } from './commands/simulate.js';

export const commands: Command[] = [
  inspectCommand,
  auditCommand,
  rulesCommand,
  simulateCommand,
];
