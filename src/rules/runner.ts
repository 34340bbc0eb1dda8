// Runs rule cases: raw records -> real framing and decoders -> engine with that one rule -> compare with the
// expectation. Used by the test suite (src/rules/collection.test.ts) and `tenantwatch rules test`.
import type { Event } from '../core/event.js';
import { mergeConfig, parseConfig, defaultConfig, type Config } from '../config/config.js';
import type { Alert } from '../detect/alert.js';
import { Engine } from '../detect/engine.js';
import { createEnrichment } from '../enrich/allowlists.js';
import { RoleLedger, withLearnedRoles } from '../enrich/roles.js';
import { decodeText } from '../pipeline/testkit.js';
import { knownRules, registry } from './index.js';
import type { RuleCase, RuleEntry } from './types.js';

export interface CaseResult {
  rule: string;
  case: string;
  kind: RuleCase['kind'];
  ok: boolean;
  /** what went wrong, in words (empty when ok) */
  problems: string[];
  events: number;
  /** last revision of each distinct alert (in order of first emission) */
  alerts: Alert[];
}

/** Decode a case's raw input through the real pipeline; undecodable or quarantined records are problems. */
async function decodeCase(c: RuleCase): Promise<{ events: Event[]; problems: string[] }> {
  const inputs = Array.isArray(c.input) ? c.input : [c.input];
  const events: Event[] = [];
  const problems: string[] = [];
  for (const input of inputs) {
    const r = await decodeText(input.text, input.name, { dedup: false });
    events.push(...r.events);
    for (const q of r.quarantined) problems.push(`${input.name}${q.line ? `:${q.line}` : ''}: quarantined by the decoders: ${q.reason}`);
    if (r.events.length === 0) problems.push(`${input.name}: no events decoded (formats: ${r.format.join(', ') || 'none recognised'})`);
  }
  return { events, problems };
}

function caseConfig(entry: RuleEntry, c: RuleCase): Config {
  let cfg = defaultConfig();
  if (c.config) cfg = mergeConfig(cfg, parseConfig(c.config, `${entry.rule.id} case "${c.name}" config`, knownRules()));
  if (c.tunables) cfg.rules.tunables[entry.rule.id] = { ...cfg.rules.tunables[entry.rule.id], ...c.tunables };
  return cfg;
}

export async function runCase(entry: RuleEntry, c: RuleCase): Promise<CaseResult> {
  const { events, problems } = await decodeCase(c);
  let alerts: Alert[] = [];
  try {
    const cfg = caseConfig(entry, c);
    // as a hunt does: privileged accounts from config plus those the input's role assignments name (a pre-pass)
    const enrich = withLearnedRoles(createEnrichment(cfg), RoleLedger.learn(events));
    const engine = new Engine([entry.rule], cfg, { enrich });
    // a hunt orders its input by event time first; cases do the same
    for (const e of [...events].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) engine.push(e);
    engine.end();
    // one entry per alert id: its last revision (an escalated alert ends more severe than it started)
    const byId = new Map<string, Alert>();
    for (const a of engine.drain()) byId.set(a.id, a);
    alerts = [...byId.values()];
  } catch (e) {
    problems.push(`engine error: ${(e as Error).message}`);
  }
  const x = c.expect;
  if (alerts.length !== x.alerts) {
    problems.push(`expected ${x.alerts} alert${x.alerts === 1 ? '' : 's'}, got ${alerts.length}` + (alerts.length ? `: ${alerts.map((a) => `[${a.severity}] ${a.key}`).join('; ')}` : ''));
  }
  for (const a of alerts) {
    if (x.severity && a.severity !== x.severity) problems.push(`alert ${a.key}: expected severity ${x.severity}, got ${a.severity}`);
    if (x.key !== undefined && a.key !== x.key) problems.push(`expected key ${x.key}, got ${a.key}`);
    for (const [k, v] of Object.entries(x.facts ?? {})) {
      if (JSON.stringify(a.facts[k]) !== JSON.stringify(v)) problems.push(`alert ${a.key}: expected fact ${k}=${JSON.stringify(v)}, got ${JSON.stringify(a.facts[k])}`);
    }
  }
  return { rule: entry.rule.id, case: c.name, kind: c.kind, ok: problems.length === 0, problems, events: events.length, alerts };
}

/** Run the cases of one rule (by id) or of every registered rule. Throws for an unknown rule id. */
export async function runRuleCases(ruleId?: string): Promise<CaseResult[]> {
  const entries = ruleId ? registry.filter((e) => e.rule.id === ruleId) : registry;
  if (ruleId && entries.length === 0) throw new Error(`unknown rule ${ruleId}`);
  const out: CaseResult[] = [];
  for (const entry of entries) {
    const { cases } = await entry.cases();
    for (const c of cases) out.push(await runCase(entry, c));
  }
  return out;
}
