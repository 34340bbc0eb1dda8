// Capabilities -> rules. The simulator labels each attack step with the detection *capabilities* it expects
// (truth.json `expectRules`, docs/simulate.md "Capabilities"), not rule ids, so that ground truth does not depend on
// how the rule set is cut. This is the one table that says which registered rules implement each capability; it was
// written by reading the rules' metadata (src/rules/index.ts: title, description). A capability whose rules are not
// all registered is still listed: `implementedBy` keeps only the rules that exist, and an empty result means
// "no rule implements it yet" — the evaluation reports those steps separately instead of hiding them.
import type { Rule } from '../rules/types.js';
import { rules as registeredRules } from '../rules/index.js';

export interface Capability {
  id: string;
  /** what the simulator expects to be caught, in a few words */
  what: string;
  /** rule ids that implement it (some may be planned, not registered yet) */
  rules: readonly string[];
  /** why the mapping is what it is, when not obvious */
  note?: string;
}

export const CAPABILITIES: readonly Capability[] = [
  // --- sign-ins
  { id: 'signin.credential-stuffing', what: 'one source failing against many accounts', rules: ['TW-SIGNIN-001'] },
  { id: 'signin.brute-force', what: 'many failures against one account', rules: ['TW-SIGNIN-003'] },
  {
    id: 'signin.password-spray', what: 'few tries per account spread over many sources', rules: ['TW-SIGNIN-002', 'TW-SIGNIN-001'],
    note: 'TW-SIGNIN-001 also covers spraying from one source',
  },
  {
    id: 'signin.spray-password-valid', what: 'a sprayed password proves right (MFA / CA interrupt)', rules: ['TW-SIGNIN-004', 'TW-SIGNIN-002'],
    note: 'TW-SIGNIN-002 names the accounts that then proved the password',
  },
  { id: 'signin.success-after-failures', what: 'success from a source that failed on many accounts', rules: ['TW-SIGNIN-004'] },
  { id: 'signin.admin-single-factor', what: 'privileged account signed in with one factor', rules: ['TW-SIGNIN-005'] },
  { id: 'signin.token-replay', what: 'session or token reused from elsewhere', rules: ['TW-SIGNIN-011'] },
  { id: 'signin.impossible-travel', what: 'two sign-ins too far apart for the time between', rules: ['TW-SIGNIN-010'] },
  { id: 'signin.unfamiliar-location', what: 'AiTM sign-in with MFA from a network and country new for the user', rules: ['TW-SIGNIN-012'] },
  // --- apps and roles
  { id: 'app.registered-from-risky-session', what: 'app registered by an account right after a risky sign-in', rules: ['TW-APP-002'] },
  { id: 'app.high-risk-permission', what: 'tenant-wide application permission granted', rules: ['TW-APP-004'] },
  { id: 'consent.admin-app-only', what: 'admin consent for all users', rules: ['TW-APP-005'] },
  { id: 'consent.user-high-risk-scope', what: 'user consent to mail scopes with offline_access', rules: ['TW-APP-006'] },
  { id: 'role.privileged-to-service-principal', what: 'directory role assigned to a service principal', rules: ['TW-APP-007'] },
  {
    id: 'app.credential-added', what: 'secret or certificate added to an app', rules: ['TW-APP-003', 'TW-APP-001'],
    note: 'TW-APP-001 is the credential-after-grant sequence',
  },
  { id: 'app.delegated-access-from-hosting', what: "an app using a user's delegated token from a hosting network", rules: ['TW-APP-009'] },
  {
    id: 'sp.signin-new-ip', what: 'service principal signing in from a new network', rules: ['TW-SP-001', 'TW-SP-002'],
    note: "TW-SP-001 needs the app's networks learned first; TW-SP-002 judges a new app's first sign-ins against its new credential",
  },
  // --- Exchange and mail
  { id: 'exchange.inbound-connector-by-app', what: 'inbound connector created by an app', rules: ['TW-EXO-001'] },
  { id: 'exchange.inbound-connector-onpremises-wide', what: 'OnPremises inbound connector with wide sender IPs', rules: ['TW-EXO-001'] },
  { id: 'exchange.transport-rule-header-removal', what: 'transport rule stripping headers or setting SCL -1', rules: ['TW-EXO-002'] },
  { id: 'exchange.connector-removed', what: 'connector or transport rule removed soon after creation', rules: ['TW-EXO-003'] },
  {
    id: 'mail.outbound-spam-burst', what: 'outbound spam burst from new senders', rules: ['TW-MAIL-003', 'TW-MAIL-004'],
    note: 'TW-MAIL-003 is the volume baseline, TW-MAIL-004 the new relayed or spam-filtered sender',
  },
  // --- mailboxes
  { id: 'mailbox.inbox-rule-hiding', what: 'inbox rule hiding or deleting mail', rules: ['TW-MAIL-001'] },
  {
    id: 'mailbox.external-forwarding', what: 'mail forwarded outside the tenant', rules: ['TW-MAIL-002', 'TW-MAIL-001'],
    note: 'TW-MAIL-001 covers forwarding by an inbox rule, TW-MAIL-002 mailbox forwarding',
  },
  { id: 'mailbox.access-by-new-app', what: 'mailbox read by an app never seen reading mail', rules: ['TW-MAIL-006'] },
  {
    id: 'mailbox.token-replay', what: 'mailbox accessed with a stolen token', rules: ['TW-SIGNIN-011'],
    note: 'TW-SIGNIN-011 follows session and token ids into UAL mailbox records',
  },
  { id: 'mailbox.access-from-new-ip', what: 'mailbox accessed from an address new for the account', rules: ['TW-MAIL-005'] },
];

const byId = new Map(CAPABILITIES.map((c) => [c.id, c]));

export function capability(id: string): Capability | undefined {
  return byId.get(id);
}

/** capability id -> the registered rules implementing it ([] = none yet; unknown capabilities map to []) */
export function capabilityMap(rules: readonly Rule[] = registeredRules): Map<string, string[]> {
  const have = new Set(rules.map((r) => r.id));
  return new Map(CAPABILITIES.map((c) => [c.id, c.rules.filter((r) => have.has(r))]));
}

/** capabilities no registered rule implements */
export function unimplementedCapabilities(rules: readonly Rule[] = registeredRules): string[] {
  return [...capabilityMap(rules)].filter(([, rs]) => rs.length === 0).map(([id]) => id);
}

/** registered rules no capability names: their alerts are scored for precision only */
export function rulesWithoutCapability(rules: readonly Rule[] = registeredRules): string[] {
  const named = new Set(CAPABILITIES.flatMap((c) => c.rules));
  return rules.map((r) => r.id).filter((id) => !named.has(id));
}
