// Honest coverage: which rules the input could feed. A rule whose inputs are missing is "not evaluated", with the
// reason in words, never a silent all-clear. Facts come from the read stage (src/pipeline/coverage.ts factsOf).
import type { Fact } from '../core/event.js';
import type { Config } from '../config/config.js';
import type { Rule } from '../rules/types.js';
import { humanDuration } from '../config/tunables.js';

export const FACT_LABELS: Record<Fact, string> = {
  'signin.interactive': 'interactive user sign-ins',
  'signin.noninteractive': 'non-interactive user sign-ins',
  'signin.serviceprincipal': 'service-principal sign-ins',
  'signin.managedidentity': 'managed-identity sign-ins',
  'signin.failures': 'failed sign-ins',
  'mfa.detail': 'MFA details (authenticationRequirement / authenticationDetails)',
  'ca.status': 'Conditional Access status',
  location: 'sign-in locations from the log',
  ip: 'client IP addresses',
  asn: 'autonomous system numbers (ASN)',
  risk: 'Identity Protection risk',
  'session.id': 'session ids',
  'token.id': 'token ids (uniqueTokenIdentifier)',
  useragent: 'user agents',
  'directory.audit': 'directory audit events',
  'exchange.admin': 'Exchange admin cmdlets',
  'mailbox.rules': 'inbox rule and forwarding changes',
  'mailbox.access': 'mailbox access records (UAL MailItemsAccessed)',
  messagetrace: 'message trace',
  alerts: 'Microsoft security alerts',
};

export type CoverageStatus = 'evaluated' | 'not-evaluated' | 'disabled';

export interface RuleCoverage {
  rule: string;
  title: string;
  status: CoverageStatus;
  /** for not-evaluated: what is missing, in words; for disabled: where it was disabled */
  reason?: string;
  missing?: Fact[];
  /** for evaluated: parts of the rule the run could not judge, in words */
  limits?: string[];
}

/** What the run knew besides the facts of its input. */
export interface CoverageContext {
  /** whether any privileged account was known (config, snapshot or role assignments seen); undefined: not asked */
  privilegedKnown?: boolean;
  /** first-seen rules that only learned (every key inside its warm-up): rule id -> warm-up (Engine.learningOnly) */
  learningOnly?: ReadonlyMap<string, number>;
}

export const PRIVILEGED_UNKNOWN =
  "the tenant's privileged accounts are unknown: give privilegedAccounts in the config, a snapshot with role " +
  'assignments (--snapshot), or directory audits that include role assignments';

/** Per rule: evaluated, or not evaluated with the missing inputs named. */
export function ruleCoverage(rules: readonly Rule[], observed: Iterable<Fact>, config?: Config, known: CoverageContext = {}): RuleCoverage[] {
  const have = new Set(observed);
  const disabled = new Set(config?.rules.disabled ?? []);
  return rules.map((r) => {
    if (disabled.has(r.id)) return { rule: r.id, title: r.title, status: 'disabled', reason: 'disabled in config (rules.disabled)' };
    const missing: Fact[] = r.inputs.facts.filter((f) => !have.has(f));
    for (const group of r.inputs.anyOf ?? []) {
      if (!group.some((f) => have.has(f))) missing.push(...group);
    }
    if (missing.length === 0) {
      const p = known.privilegedKnown === false ? r.inputs.privileged : undefined;
      if (p === 'all') return { rule: r.id, title: r.title, status: 'not-evaluated', reason: `not evaluated: ${PRIVILEGED_UNKNOWN}` };
      const limits: string[] = [];
      if (p !== undefined) limits.push(`${p}: not judged, ${PRIVILEGED_UNKNOWN}`);
      const warmup = known.learningOnly?.get(r.id);
      if (warmup !== undefined) {
        limits.push(`learning only: every key it saw was still inside its ${humanDuration(warmup)} warm-up, so nothing could be new yet (give a longer span of logs)`);
      }
      return limits.length ? { rule: r.id, title: r.title, status: 'evaluated', limits } : { rule: r.id, title: r.title, status: 'evaluated' };
    }
    const words = missing.map((f) => FACT_LABELS[f]);
    const reason = `not evaluated: no ${joinOr(words)} in the input` + (r.inputs.sources?.length ? ` (needs ${r.inputs.sources.join(' / ')})` : '');
    return { rule: r.id, title: r.title, status: 'not-evaluated', reason, missing };
  });
}

function joinOr(words: string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return words.slice(0, -1).join(', ') + ' or ' + words[words.length - 1];
}
