// Explicit command registry: adding a verb = one module in commands/ + one line here.
import type { Command } from './types.js';
import { inspectCommand } from './commands/inspect.js';
import { auditCommand } from './commands/audit.js';
import { rulesCommand } from './commands/rules.js';
import { simulateCommand } from './commands/simulate.js';
import { huntCommand } from './commands/hunt.js';
import { incidentsCommand } from './commands/incidents.js';
import { collectCommand } from './commands/collect.js';
import { preflightCommand } from './commands/preflight.js';
import { watchCommand } from './commands/watch.js';
import { evaluateCommand } from './commands/evaluate.js';
import { demoCommand } from './commands/demo.js';

export const commands: Command[] = [
  demoCommand,
  inspectCommand,
  huntCommand,
  incidentsCommand,
  auditCommand,
  rulesCommand,
  simulateCommand,
  evaluateCommand,
  collectCommand,
  preflightCommand,
  watchCommand,
];
