// `tenantwatch evaluate DIR`: hunt a simulated tenant and score the alerts against its truth.json — precision,
// recall and time to detect per rule, step, incident and capability, false positives by cause (docs/evaluate.md).
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import { safeTerminal } from '../../core/text.js';
import { defaultConfig, loadConfig } from '../../config/config.js';
import { evaluateDir } from '../../evaluate/evaluate.js';
import { evaluationJson, renderEvaluationText } from '../../evaluate/render.js';
import { summarize } from '../../evaluate/summary.js';
import { knownRules } from '../../rules/index.js';
import { EXIT, type Command } from '../types.js';
import { writeOutput } from './hunt.js';

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'hunt a simulated tenant (tenantwatch simulate) and score precision, recall and time to detect against its truth.json',
  usage: 'tenantwatch evaluate [--format table|json] [--out FILE] [--config FILE] <DIR>',
  options: {
    format: { type: 'string', default: 'table', arg: 'table|json', help: 'output format' },
    out: { type: 'string', short: 'o', arg: 'FILE', help: 'write the output to FILE instead of standard output' },
    config: { type: 'string', arg: 'FILE', help: 'config file for the hunt (rules, tunables, allowlists)' },
    progress: { type: 'boolean', help: 'show the hunt stages on stderr even when it is not a terminal' },
  },
  async run(args, io) {
    const format = String(args.values.format);
    if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json, not "${safeTerminal(format, 40)}"`);
    if (args.positionals.length !== 1) throw new UsageError('give exactly one directory written by `tenantwatch simulate --out DIR`');
    const dir = path.resolve(io.cwd, args.positionals[0]!);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${safeTerminal(dir, 300)} is not a directory`);
    const config = typeof args.values.config === 'string' ? await loadConfig(path.resolve(io.cwd, args.values.config), knownRules()) : defaultConfig();
    const show = Boolean(args.values.progress) || io.stderrIsTTY;
    const ev = await evaluateDir(dir, { config, onStage: show ? (m) => io.stderr.write(`tenantwatch evaluate: ${m}\n`) : undefined });
    const summary = summarize([ev.scorecard]);
    writeOutput(format === 'json' ? evaluationJson(ev, summary) : renderEvaluationText(ev, summary) + '\n', args.values.out as string | undefined, io);
    if (args.values.out) io.stderr.write(`tenantwatch evaluate: ${format} written to ${safeTerminal(args.values.out, 300)}\n`);
    return EXIT.ok;
  },
};
