// The rule registry: explicit, ordered by id. Adding a rule = one folder under src/rules/<area>/<rule-name>/
// (rule.ts + cases.ts) plus one entry here. Ids never change and are never reused.
import type { Rule, RuleEntry } from './types.js';
import { consentThenCredential } from './app/consent-then-credential/rule.js';
import { riskySigninThenApp } from './app/risky-signin-then-app/rule.js';
import { credentialAdded } from './app/credential-added/rule.js';
import { highPrivilegePermission } from './app/high-privilege-permission/rule.js';
import { adminConsent } from './app/admin-consent/rule.js';
import { userConsentMail } from './app/user-consent-mail/rule.js';
import { roleToServicePrincipal } from './app/role-to-service-principal/rule.js';
import { ownerAdded } from './app/owner-added/rule.js';
import { delegatedAccessFromHosting } from './app/delegated-access-from-hosting/rule.js';
import { domainFederation } from './directory/domain-federation/rule.js';
import { newDomainFederated } from './directory/new-domain-federated/rule.js';
import { credentialStuffing } from './signin/credential-stuffing/rule.js';
import { spNewSource } from './signin/sp-new-source/rule.js';
import { newAppFirstSignIn } from './signin/new-app-first-signin/rule.js';
import { impossibleTravel } from './signin/impossible-travel/rule.js';
import { tokenReplay } from './signin/token-replay/rule.js';
import { passwordSprayDistributed } from './signin/password-spray-distributed/rule.js';
import { bruteForceAccount } from './signin/brute-force-account/rule.js';
import { successFromStuffingSource } from './signin/success-from-stuffing-source/rule.js';
import { privilegedSingleFactor } from './signin/privileged-single-factor/rule.js';
import { legacyAuthSuccess } from './signin/legacy-auth-success/rule.js';
import { privilegedHighRisk } from './signin/privileged-high-risk/rule.js';
import { deniedAccessProbing } from './signin/denied-access-probing/rule.js';
import { unfamiliarLocation } from './signin/unfamiliar-location/rule.js';
import { mfaFatigue } from './signin/mfa-fatigue/rule.js';
import { inboundConnector } from './exchange/inbound-connector/rule.js';
import { transportRuleBypass } from './exchange/transport-rule-bypass/rule.js';
import { createdThenRemoved } from './exchange/created-then-removed/rule.js';
import { inboxRule } from './mail/inbox-rule/rule.js';
import { mailboxForwarding } from './mail/mailbox-forwarding/rule.js';
import { outboundBurst } from './mail/outbound-burst/rule.js';
import { newRelayedSender } from './mail/new-relayed-sender/rule.js';
import { accessFromNewIp } from './mail/access-from-new-ip/rule.js';
import { accessByNewApp } from './mail/access-by-new-app/rule.js';
import { microsoftAlert } from './alerts/microsoft-alert/rule.js';

export const registry: RuleEntry[] = [
  // --- app and service-principal changes (TW-APP-*) ---
  { rule: consentThenCredential, cases: () => import('./app/consent-then-credential/cases.js') },
  { rule: riskySigninThenApp, cases: () => import('./app/risky-signin-then-app/cases.js') },
  { rule: credentialAdded, cases: () => import('./app/credential-added/cases.js') },
  { rule: highPrivilegePermission, cases: () => import('./app/high-privilege-permission/cases.js') },
  { rule: adminConsent, cases: () => import('./app/admin-consent/cases.js') },
  { rule: userConsentMail, cases: () => import('./app/user-consent-mail/cases.js') },
  { rule: roleToServicePrincipal, cases: () => import('./app/role-to-service-principal/cases.js') },
  { rule: ownerAdded, cases: () => import('./app/owner-added/cases.js') },
  { rule: delegatedAccessFromHosting, cases: () => import('./app/delegated-access-from-hosting/cases.js') },
  // --- domains and federation (TW-DOMAIN-*) ---
  { rule: domainFederation, cases: () => import('./directory/domain-federation/cases.js') },
  { rule: newDomainFederated, cases: () => import('./directory/new-domain-federated/cases.js') },
  // --- user sign-ins (TW-SIGNIN-*) ---
  { rule: credentialStuffing, cases: () => import('./signin/credential-stuffing/cases.js') },
  { rule: passwordSprayDistributed, cases: () => import('./signin/password-spray-distributed/cases.js') },
  { rule: bruteForceAccount, cases: () => import('./signin/brute-force-account/cases.js') },
  { rule: successFromStuffingSource, cases: () => import('./signin/success-from-stuffing-source/cases.js') },
  { rule: privilegedSingleFactor, cases: () => import('./signin/privileged-single-factor/cases.js') },
  { rule: legacyAuthSuccess, cases: () => import('./signin/legacy-auth-success/cases.js') },
  { rule: privilegedHighRisk, cases: () => import('./signin/privileged-high-risk/cases.js') },
  { rule: deniedAccessProbing, cases: () => import('./signin/denied-access-probing/cases.js') },
  { rule: impossibleTravel, cases: () => import('./signin/impossible-travel/cases.js') },
  { rule: tokenReplay, cases: () => import('./signin/token-replay/cases.js') },
  { rule: unfamiliarLocation, cases: () => import('./signin/unfamiliar-location/cases.js') },
  { rule: mfaFatigue, cases: () => import('./signin/mfa-fatigue/cases.js') },
  // --- service-principal sign-ins (TW-SP-*) ---
  { rule: spNewSource, cases: () => import('./signin/sp-new-source/cases.js') },
  { rule: newAppFirstSignIn, cases: () => import('./signin/new-app-first-signin/cases.js') },
  // --- Exchange mail flow: connectors and transport rules (TW-EXO-*) ---
  { rule: inboundConnector, cases: () => import('./exchange/inbound-connector/cases.js') },
  { rule: transportRuleBypass, cases: () => import('./exchange/transport-rule-bypass/cases.js') },
  { rule: createdThenRemoved, cases: () => import('./exchange/created-then-removed/cases.js') },
  // --- mailboxes and outbound mail (TW-MAIL-*) ---
  { rule: inboxRule, cases: () => import('./mail/inbox-rule/cases.js') },
  { rule: mailboxForwarding, cases: () => import('./mail/mailbox-forwarding/cases.js') },
  { rule: outboundBurst, cases: () => import('./mail/outbound-burst/cases.js') },
  { rule: newRelayedSender, cases: () => import('./mail/new-relayed-sender/cases.js') },
  { rule: accessFromNewIp, cases: () => import('./mail/access-from-new-ip/cases.js') },
  { rule: accessByNewApp, cases: () => import('./mail/access-by-new-app/cases.js') },
  // --- Microsoft's own alerts (TW-ALERT-*) ---
  { rule: microsoftAlert, cases: () => import('./alerts/microsoft-alert/cases.js') },
];

export const rules: Rule[] = registry.map((e) => e.rule);

export const ruleById = (id: string): Rule | undefined => rules.find((r) => r.id === id);

/** What config validation needs about each rule (src/config/config.ts KnownRule). */
export const knownRules = (): { id: string; tunables: Rule['tunables']; suppressMs: number }[] =>
  rules.map((r) => ({ id: r.id, tunables: r.tunables, suppressMs: r.suppressMs }));
