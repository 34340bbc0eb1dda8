// `tenantwatch rules list | show ID | test [ID]`: the detection rules, their documentation, and their cases.
import path from 'node:path';
import { loadConfig, defaultConfig, type Config } from '../../config/config.js';
import { formatDuration, type TunableSpec, type TunableValue } from '../../config/tunables.js';
import { UsageError } from '../../core/errors.js';
import { safeTerminal } from '../../core/text.js';
import { ATTACK_VERSION, tactic, technique } from '../../detect/attack.js';
import { FACT_LABELS } from '../../detect/coverage.js';
import { suggest } from '../../config/schema.js';
import { knownRules, registry } from '../../rules/index.js';
import { runRuleCases } from '../../rules/runner.js';
import type { RuleEntry } from '../../rules/types.js';
import { EXIT, type Command, type CommandIO } from '../types.js';

const SUBCOMMANDS = ['list', 'show', 'test'];

function findEntry(id: string): RuleEntry {
  const e = registry.find((r) => r.rule.id.toLowerCase() === id.toLowerCase());
  if (e) return e;
  const hint = suggest(id, registry.map((r) => r.rule.id));
  throw new UsageError(`unknown rule "${safeTerminal(id, 60)}"${hint ? ` (did you mean "${hint}"?)` : ''}; see \`tenantwatch rules list\``);
}

function fmtValue(spec: TunableSpec, v: TunableValue): string {
  if (spec.type === 'duration') return formatDuration(v as number);
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  return String(v);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

function list(io: CommandIO, json: boolean, config: Config): number {
  const disabled = new Set(config.rules.disabled);
  const items = registry.map(({ rule: r }) => ({
    id: r.id,
    title: r.title,
    severity: r.severity,
    status: r.status ?? 'stable',
    enabled: !disabled.has(r.id),
    tactics: r.tactics,
    techniques: r.techniques,
  }));
  if (json) {
    io.stdout.write(JSON.stringify({ attack: ATTACK_VERSION, rules: items }, null, 2) + '\n');
    return EXIT.ok;
  }
  const rows = [['ID', 'SEVERITY', 'TECHNIQUES', 'TITLE']];
  for (const r of items) rows.push([r.id, r.severity, r.techniques.join(','), r.title + (r.enabled ? '' : ' (disabled in config)')]);
  io.stdout.write(table(rows) + `\n\n${items.length} rules; ATT&CK ${ATTACK_VERSION}. \`tenantwatch rules show ID\` for details.\n`);
  return EXIT.ok;
}

async function show(io: CommandIO, id: string, json: boolean, config: Config): Promise<number> {
  const entry = findEntry(id);
  const r = entry.rule;
  const { cases } = await entry.cases();
  const overrides = config.rules.tunables[r.id] ?? {};
  const tunables = Object.entries(r.tunables).map(([name, spec]) => ({
    name,
    type: spec.type,
    default: fmtValue(spec, spec.default),
    ...(name in overrides ? { configured: fmtValue(spec, overrides[name]!) } : {}),
    help: spec.help,
  }));
  tunables.push({
    name: 'suppress',
    type: 'duration',
    default: formatDuration(r.suppressMs),
    ...('suppress' in overrides ? { configured: formatDuration(overrides.suppress as number) } : {}),
    help: 'suppression period: repeats for the same key fold into one alert',
  });
  if (json) {
    const { detect: _d, summarize: _s, tunables: _t, ...meta } = r;
    io.stdout.write(
      JSON.stringify({ ...meta, tunables, cases: cases.map((c) => ({ name: c.name, kind: c.kind, why: c.why, expect: c.expect })) }, null, 2) + '\n',
    );
    return EXIT.ok;
  }
  const L: string[] = [];
  L.push(`${r.id}  ${r.title}`, '');
  L.push(`severity     ${r.severity} (alerts may compute their own)`);
  L.push(`status       ${r.status ?? 'stable'}${config.rules.disabled.includes(r.id) ? ' — disabled in config' : ''}`);
  L.push(`tactics      ${r.tactics.map((t) => `${t} (${tactic(t)?.id ?? '?'})`).join(', ')}`);
  L.push(`techniques   ${r.techniques.map((t) => `${t} ${technique(t)?.name ?? '?'}`).join(', ')}   [ATT&CK ${ATTACK_VERSION}]`);
  L.push(`needs        ${r.inputs.facts.map((f) => FACT_LABELS[f]).join('; ')}${r.inputs.sources?.length ? ` (sources: ${r.inputs.sources.join(', ')})` : ''}`);
  L.push('', 'What it detects', `  ${r.description}`, '', 'Why it matters', `  ${r.whyItMatters}`, '', 'False positives');
  for (const fp of r.falsePositives) L.push(`  - ${fp}`);
  L.push('', `Settings (config: rules.tunables.${r.id}.<name>)`);
  for (const t of tunables) L.push(`  ${t.name.padEnd(20)} ${String(t.default).padEnd(12)} ${t.help}${'configured' in t ? ` [config: ${t.configured}]` : ''}`);
  L.push('', `Cases (${cases.length}; run them with \`tenantwatch rules test ${r.id}\`)`);
  for (const c of cases) L.push(`  ${c.kind.padEnd(9)} ${c.expect.alerts} alert${c.expect.alerts === 1 ? ' ' : 's'}  ${c.name}`);
  if (r.references?.length) L.push('', 'References', ...r.references.map((x) => `  ${x}`));
  io.stdout.write(L.join('\n') + '\n');
  return EXIT.ok;
}

async function runTests(io: CommandIO, id: string | undefined, json: boolean): Promise<number> {
  if (id) findEntry(id);
  const ruleId = id ? findEntry(id).rule.id : undefined;
  const results = await runRuleCases(ruleId);
  const failed = results.filter((r) => !r.ok);
  if (json) {
    io.stdout.write(
      JSON.stringify(
        {
          passed: results.length - failed.length,
          failed: failed.length,
          results: results.map((r) => ({ rule: r.rule, case: r.case, kind: r.kind, ok: r.ok, problems: r.problems, events: r.events, alerts: r.alerts.map((a) => a.id) })),
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    for (const r of results) {
      io.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.rule}  ${r.kind.padEnd(9)} ${r.case}\n`);
      for (const p of r.problems) io.stdout.write(`        ${safeTerminal(p, 400)}\n`);
    }
    io.stdout.write(`\nrule cases: ${results.length - failed.length} passed, ${failed.length} failed\n`);
  }
  return failed.length ? EXIT.findings : EXIT.ok;
}

export const rulesCommand: Command = {
  name: 'rules',
  summary: 'list the detection rules, show one with its documentation and settings, or run their test cases',
  usage: 'tenantwatch rules list | show <ID> | test [ID]  [--format table|json] [--config FILE]',
  options: {
    format: { type: 'string', default: 'table', arg: 'table|json', help: 'output format' },
    config: { type: 'string', arg: 'FILE', help: 'config file: shows which rules are disabled and the settings in force' },
  },
  async run(args, io) {
    const [sub, id, ...extra] = args.positionals;
    const fmt = String(args.values.format);
    if (fmt !== 'table' && fmt !== 'json') throw new UsageError(`--format must be table or json, not "${safeTerminal(fmt, 40)}"`);
    if (!sub || !SUBCOMMANDS.includes(sub)) {
      const hint = sub ? suggest(sub, SUBCOMMANDS) : undefined;
      throw new UsageError(
        `${sub ? `unknown subcommand "${safeTerminal(sub, 40)}"${hint ? ` (did you mean "${hint}"?)` : ''}` : 'missing subcommand'}; usage: ${this.usage}`,
      );
    }
    if (extra.length) throw new UsageError(`unexpected arguments: ${safeTerminal(extra.join(' '), 100)}`);
    const config = typeof args.values.config === 'string' ? await loadConfig(path.resolve(io.cwd, args.values.config), knownRules()) : defaultConfig();
    const json = fmt === 'json';
    if (sub === 'list') {
      if (id) throw new UsageError('`rules list` takes no rule id');
      return list(io, json, config);
    }
    if (sub === 'show') {
      if (!id) throw new UsageError('`rules show` needs a rule id, e.g. `tenantwatch rules show TW-SIGNIN-001`');
      return show(io, id, json, config);
    }
    return runTests(io, id, json);
  },
};
