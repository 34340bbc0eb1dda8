// The rule API. A rule is one folder src/rules/<area>/<rule-name>/ with rule.ts (this shape), cases.ts (raw records
// that run through the real decoders, with expected alert counts) and an optional README.md; it is registered by
// one entry in src/rules/index.ts. Authoring guide: docs/detection.md#writing-a-rule.
import type { Event, Fact, SourceKind } from '../core/event.js';
import type { TunableSpecs, TunableValue, TunableValues } from '../config/tunables.js';
import type { Severity } from '../detect/alert.js';
import type { TacticName } from '../detect/attack.js';
import type { Detector } from '../detect/spec.js';

/**
 * What a rule needs from the input, for honest coverage ("not evaluated: no service-principal sign-ins").
 * `facts`: all must be observed. `anyOf`: at least one fact of each group must be observed.
 */
export interface RuleInputs {
  facts: readonly Fact[];
  anyOf?: readonly (readonly Fact[])[];
  /** sources that carry those facts, shown in help ("entra.signin.serviceprincipal") */
  sources?: readonly SourceKind[];
  /**
   * What needs the tenant's privileged accounts known (config privilegedAccounts, a role snapshot, role-assignment
   * audit events): 'all' when the rule can only fire for them, else the part of the rule that needs them. A run that
   * learned no privileged account says so in its coverage instead of reporting the rule as fully evaluated.
   */
  privileged?: 'all' | string;
}

export interface Rule<T extends TunableSpecs = TunableSpecs> {
  /** stable id "TW-<AREA>-<NNN>"; never changes, never reused (deprecate instead) */
  id: string;
  title: string;
  /** default severity; an alert builder may compute another per alert */
  severity: Severity;
  tactics: readonly TacticName[];
  techniques: readonly string[];
  /** what it detects, in one or two sentences */
  description: string;
  /** why a defender should care: the attack step it catches */
  whyItMatters: string;
  /** known benign causes and how to tell them apart / tune them away */
  falsePositives: readonly string[];
  references?: readonly string[];
  status?: 'stable' | 'experimental' | 'deprecated';
  inputs: RuleInputs;
  /** typed settings with defaults, overridable per rule id in config (rules.tunables.<id>.<name>) */
  tunables: T;
  /** default suppression (dedup) period; overridable as the implicit tunable `suppress` */
  suppressMs: number;
  /** build the detector from resolved tunables */
  detect(t: TunableValues<T>): Detector;
  /** evidence line for an event; the engine's default summary when absent */
  summarize?(ev: Event): string;
}

/** Define a rule with its tunables' types inferred for `detect`. */
export function defineRule<T extends TunableSpecs>(rule: Rule<T>): Rule {
  return rule as unknown as Rule;
}

export type CaseKind = 'positive' | 'negative' | 'lookalike';

/** Raw records given inline so cases ship with the compiled CLI (`tenantwatch rules test`). */
export interface CaseInput {
  /** a file name for evidence and messages; the extension does not pick the format (content is sniffed) */
  name: string;
  /** raw file text (NDJSON, JSON, CSV) exactly as an export would hold it */
  text: string;
}

export interface RuleCase {
  name: string;
  /** positive: must fire; negative: a near miss (one below a threshold, just outside a window); lookalike: benign twin */
  kind: CaseKind;
  /** what the case proves, one line */
  why: string;
  input: CaseInput | CaseInput[];
  expect: {
    /** number of distinct alerts (ids) */
    alerts: number;
    severity?: Severity;
    /** the alert key (e.g. the IP) of every alert */
    key?: string;
    /** facts every alert must carry with these values */
    facts?: Record<string, number | string | boolean | string[]>;
  };
  /** tunable overrides for this case */
  tunables?: Record<string, TunableValue>;
  /** config fragment (allowlists, privileged accounts) as YAML, checked like a real config file */
  config?: string;
}

export interface RuleEntry {
  rule: Rule;
  /** cases live beside the rule; loaded lazily so the engine never pays for them */
  cases: () => Promise<{ cases: RuleCase[] }>;
}
