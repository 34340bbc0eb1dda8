// The rule registry: explicit, ordered by id. Adding a rule = one folder under src/rules/<area>/<rule-name>/
// (rule.ts + cases.ts) plus one entry here. Ids never change and are never reused.
import type { Rule, RuleEntry } from './types.js';
import { consentThenCredential } from './app/consent-then-credential/rule.js';
import { credentialStuffing } from './signin/credential-stuffing/rule.js';
import { spNewSource } from './signin/sp-new-source/rule.js';

export const registry: RuleEntry[] = [
  // --- app and service-principal changes (TW-APP-*) ---
  { rule: consentThenCredential, cases: () => import('./app/consent-then-credential/cases.js') },
  // --- user sign-ins (TW-SIGNIN-*) ---
  { rule: credentialStuffing, cases: () => import('./signin/credential-stuffing/cases.js') },
  // --- service-principal sign-ins (TW-SP-*) ---
  { rule: spNewSource, cases: () => import('./signin/sp-new-source/cases.js') },
];

export const rules: Rule[] = registry.map((e) => e.rule);

export const ruleById = (id: string): Rule | undefined => rules.find((r) => r.id === id);

/** What config validation needs about each rule (src/config/config.ts KnownRule). */
export const knownRules = (): { id: string; tunables: Rule['tunables']; suppressMs: number }[] =>
  rules.map((r) => ({ id: r.id, tunables: r.tunables, suppressMs: r.suppressMs }));
