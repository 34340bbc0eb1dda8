// Cases for TW-DOMAIN-002: domain added / verified, then federated (Graph, diagnostic, UAL).
import { BASE, DAYS, HOURS, MINUTES, auditFile } from '../../app/audit-records.js';
import { domainAdded, domainAuthentication, domainUpdated, domainVerified, federationSettings } from '../../app/changes.js';
import type { RuleCase } from '../../types.js';

const ADMIN = { user: 'it-admin@contoso.com', ip: '203.0.113.50' };
const EVIL = 'contoso-sso.com';

export const cases: RuleCase[] = [
  {
    name: 'unverified domain added, verified, then federated the same hour (UAL)',
    kind: 'positive',
    why: 'the AADInternals backdoor sequence: critical',
    input: auditFile('ual', 'domain', [
      domainAdded(BASE, EVIL, ADMIN),
      domainVerified(BASE + 10 * MINUTES, EVIL, ADMIN),
      domainAuthentication(BASE + 20 * MINUTES, EVIL, 'Managed', 'Federated', ADMIN),
    ]),
    expect: { alerts: 1, severity: 'critical', key: EVIL, facts: { domain: EVIL, added: 'Verify domain', hoursBetween: 0.17 } },
  },
  {
    name: 'verified domain added, federation settings set two days later (Graph)',
    kind: 'positive',
    why: '"Add verified domain" is the add and the verification at once',
    input: auditFile('graph', 'domain', [domainAdded(BASE, EVIL, ADMIN, true), federationSettings(BASE + 2 * DAYS, EVIL, ADMIN, 'http://any.sts/B231A11F')]),
    expect: { alerts: 1, severity: 'critical', key: EVIL, facts: { hoursBetween: 48, issuer: 'http://any.sts/B231A11F' } },
  },
  {
    name: 'added, then federated (diagnostic export)',
    kind: 'positive',
    why: 'the same chain in the Azure Monitor export',
    input: auditFile('diag', 'domain', [domainAdded(BASE, EVIL, ADMIN), domainAuthentication(BASE + 3 * HOURS, EVIL, 'Managed', 'Federated', ADMIN)]),
    expect: { alerts: 1, severity: 'critical', key: EVIL },
  },
  {
    name: 'federated 7 days and one minute after it was added',
    kind: 'negative',
    why: 'just outside the 7-day window (TW-DOMAIN-001 still reports the federation itself)',
    input: auditFile('graph', 'domain', [domainAdded(BASE, EVIL, ADMIN, true), domainAuthentication(BASE + 7 * DAYS + MINUTES, EVIL, 'Managed', 'Federated', ADMIN)]),
    expect: { alerts: 0 },
  },
  {
    name: 'one domain added, another federated',
    kind: 'lookalike',
    why: 'the sequence is per domain',
    input: auditFile('ual', 'domain', [domainAdded(BASE, EVIL, ADMIN), domainAuthentication(BASE + HOURS, 'contoso.com', 'Managed', 'Federated', ADMIN)]),
    expect: { alerts: 0 },
  },
  {
    name: 'new domain added and verified, never federated',
    kind: 'lookalike',
    why: 'a vanity domain for mail is routine',
    input: auditFile('graph', 'domain', [domainAdded(BASE, 'fabrikam.com', ADMIN), domainVerified(BASE + HOURS, 'fabrikam.com', ADMIN)]),
    expect: { alerts: 0 },
  },
  {
    name: 'domain added, then converted to managed',
    kind: 'lookalike',
    why: 'Federated -> Managed is not federation',
    input: auditFile('diag', 'domain', [domainAdded(BASE, EVIL, ADMIN), domainAuthentication(BASE + HOURS, EVIL, 'Federated', 'Managed', ADMIN)]),
    expect: { alerts: 0 },
  },
  {
    name: 'domain added, then an "Update domain." that names no property (UAL)',
    kind: 'lookalike',
    why: 'setting up a new domain for email also updates it; without federation properties it is not evidence of federation',
    input: auditFile('ual', 'domain', [domainAdded(BASE, 'fabrikam.com', ADMIN, true), domainUpdated(BASE + HOURS, 'fabrikam.com', ADMIN)]),
    expect: { alerts: 0 },
  },
];
