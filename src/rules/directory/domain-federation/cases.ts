// Cases for TW-DOMAIN-001: "Set domain authentication", "Set federation settings on domain" (Graph, diagnostic, UAL).
import { BASE, auditFile } from '../../app/audit-records.js';
import { domainAuthentication, domainUpdated, domainVerified, federationSettings } from '../../app/changes.js';
import type { RuleCase } from '../../types.js';

const ADMIN = { user: 'it-admin@contoso.com', ip: '203.0.113.50' };
const HYBRID = { user: 'hybrid-admin@contoso.com', ip: '198.51.100.10' };
const DOMAIN = 'contoso.com';
const TOOL = { id: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', name: 'Ops Automation' };

export const cases: RuleCase[] = [
  {
    name: 'managed domain converted to federated (Graph)',
    kind: 'positive',
    why: 'LiveType Managed -> Federated: high, with the direction and the actor',
    input: auditFile('graph', 'domain', [domainAuthentication(BASE, DOMAIN, 'Managed', 'Federated', ADMIN)]),
    expect: { alerts: 1, severity: 'high', key: DOMAIN, facts: { from: 'Managed', to: 'Federated', changedBy: ADMIN.user } },
  },
  {
    name: 'federation settings replaced (UAL "Set federation settings on domain.")',
    kind: 'positive',
    why: 'a new issuer / signing certificate on a federated domain: high',
    input: auditFile('ual', 'domain', [federationSettings(BASE, DOMAIN, ADMIN, 'http://any.sts.example/adfs/services/trust')]),
    expect: { alerts: 1, severity: 'high', key: DOMAIN, facts: { properties: ['IssuerUri', 'SigningCertificate'] } },
  },
  {
    name: 'an app changes federation settings (diagnostic export)',
    kind: 'positive',
    why: 'an app touching federation: critical',
    input: auditFile('diag', 'domain', [federationSettings(BASE, DOMAIN, { app: TOOL })]),
    expect: { alerts: 1, severity: 'critical', key: DOMAIN, facts: { actorKind: 'app' } },
  },
  {
    name: 'certificate rollover by the listed hybrid identity admin: low',
    kind: 'positive',
    why: 'expectedActors turns planned federation work into a low alert',
    input: auditFile('graph', 'domain', [federationSettings(BASE, DOMAIN, HYBRID)]),
    tunables: { expectedActors: [HYBRID.user] },
    expect: { alerts: 1, severity: 'low', facts: { expectedActor: true } },
  },
  {
    name: 'federated domain converted back to managed',
    kind: 'lookalike',
    why: 'moving to cloud authentication hands nobody a token-signing key',
    input: auditFile('ual', 'domain', [domainAuthentication(BASE, DOMAIN, 'Federated', 'Managed', ADMIN)]),
    expect: { alerts: 0 },
  },
  {
    name: 'domain verified',
    kind: 'lookalike',
    why: 'verification is not a federation change',
    input: auditFile('graph', 'domain', [domainVerified(BASE, DOMAIN, ADMIN)]),
    expect: { alerts: 0 },
  },
  {
    name: 'federation change that failed',
    kind: 'negative',
    why: 'only successful changes count',
    input: auditFile('graph', 'domain', [{ ...domainAuthentication(BASE, DOMAIN, 'Managed', 'Federated', ADMIN), result: 'failure' }]),
    expect: { alerts: 0 },
  },
  {
    name: '"Update domain." with no modified properties (UAL): medium',
    kind: 'positive',
    why: 'the decoder counts it as a possible federation change; the record does not say what changed, so one step lower',
    input: auditFile('ual', 'domain', [domainUpdated(BASE, DOMAIN, ADMIN)]),
    expect: { alerts: 1, severity: 'medium', facts: { propertiesKnown: false } },
  },
];
