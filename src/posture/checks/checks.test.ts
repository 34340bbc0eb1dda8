// Every check's Pass, Fail and missing-data paths, over the two fixture tenants and an empty snapshot,
// plus targeted edits for the paths the fixtures don't reach (P2-only checks, absent properties).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { runAudit } from '../audit.js';
import { loadAuditConfig } from '../exemptions.js';
import { loadSnapshot, snapshotFromBodies, type Snapshot } from '../snapshot.js';
import { edited, FIXTURES, NOW, valueOf } from '../testing.js';
import type { AuditConfig } from '../exemptions.js';
import type { AuditResult, Status } from '../types.js';
import { checks } from './index.js';

const hardenedCfg = () => loadAuditConfig(path.join(FIXTURES, 'hardened.config.yml'));
const exposedCfg = () => loadAuditConfig(path.join(FIXTURES, 'exposed.config.yml'));
const audit = (s: Snapshot, config?: AuditConfig) => runAudit(s, { now: NOW, ...(config ? { config } : {}) });
const byId = (rs: AuditResult[]) => new Map(rs.map((r) => [r.id, r]));

const EXPOSED_EXPECTED: Record<string, Status> = {
  A1: 'Fail', A2: 'Fail', A3: 'Fail', A4: 'Fail', A5: 'Fail', A6: 'Fail', A7: 'Fail', A8: 'Fail', A9: 'Fail', A10: 'Fail',
  A12: 'NotApplicable', A13: 'Fail', A14: 'Fail', A15: 'Fail',
  B1: 'Fail', B2: 'Pass', B3: 'NotApplicable', B5: 'Fail', B6: 'Fail', B7: 'Fail', B8: 'Fail', B9: 'Fail', B10: 'Fail', B11: 'Warn', B12: 'Fail', B13: 'Fail',
  C1: 'Fail', C2: 'Fail', C3: 'Fail', C4: 'Fail', C5: 'Fail', C6: 'Fail', C7: 'Fail',
  D1: 'Fail', D2: 'Fail', D3: 'Fail', D4: 'Fail', D5: 'Fail', D6: 'Fail', D7: 'Fail',
};

test('registry: unique ids, one module per catalogue id, metadata complete', () => {
  const ids = checks.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(Object.keys(EXPOSED_EXPECTED).sort(), [...ids].sort());
  for (const c of checks) {
    assert.ok(c.title && c.remediation.length > 40 && c.needs.length > 0, c.id);
    assert.ok(Object.values(c.mappings).some((m) => m && m.length) || ['B8'].includes(c.id) || c.mappings.cis, `${c.id} has mappings`);
  }
});

test('hardened tenant: every check passes', async () => {
  const r = audit(await loadSnapshot(path.join(FIXTURES, 'hardened')), await hardenedCfg());
  const notPass = r.results.filter((x) => x.status !== 'Pass').map((x) => `${x.id}=${x.status}: ${x.details}`);
  assert.deepEqual(notPass, []);
  assert.equal(r.tenant?.name, 'Contoso Hardened Ltd');
  assert.ok(r.licences.plans.includes('AAD_PREMIUM_P2'));
});

test('exposed tenant: the campaign victim fails what it should, and no more', async () => {
  const r = audit(await loadSnapshot(path.join(FIXTURES, 'exposed')), await exposedCfg());
  const got = Object.fromEntries(r.results.map((x) => [x.id, x.status]));
  assert.deepEqual(got, EXPOSED_EXPECTED);
});

test('empty snapshot: nothing passes or fails, every check says why it could not decide', () => {
  const r = audit(snapshotFromBodies({}));
  for (const x of r.results) {
    assert.ok(x.status === 'Error' || x.status === 'NotApplicable', `${x.id} is ${x.status}`);
    assert.match(x.details, /missing|not in the snapshot|could not|No role assignment/, x.id);
  }
});

test('error bodies written by the collector give Error with Microsoft\'s reason, never Fail', () => {
  const denied = { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } };
  const s = edited('hardened', (b) => {
    b['graph/beta/identity/conditionalAccess/policies.json'] = denied;
    b['graph/v1.0/reports/authenticationMethods/userRegistrationDetails.json'] = denied;
    b['exchange/Get-InboundConnector.json'] = denied;
  });
  const r = byId(audit(s).results);
  for (const id of ['A1', 'A5', 'B8', 'A6', 'D1']) {
    assert.equal(r.get(id)!.status, 'Error', id);
    assert.match(r.get(id)!.details, /Authorization_RequestDenied/, id);
  }
});

test('absent properties give Error, not Fail', () => {
  const s = edited('hardened', (b) => {
    delete valueOf(b['exchange/Get-TransportConfig.json'])[0]!.SmtpClientAuthenticationDisabled;
    delete valueOf(b['exchange/Get-OrganizationConfig.json'])[0]!.OAuth2ClientProfileEnabled;
    delete valueOf(b['exchange/Get-OrganizationConfig.json'])[0]!.RejectDirectSend;
    delete valueOf(b['exchange/Get-AdminAuditLogConfig.json'])[0]!.UnifiedAuditLogIngestionEnabled;
    delete (b['graph/v1.0/policies/authorizationPolicy.json'] as { defaultUserRolePermissions: Record<string, unknown> }).defaultUserRolePermissions.allowedToCreateApps;
    delete (b['graph/v1.0/policies/adminConsentRequestPolicy.json'] as Record<string, unknown>).isEnabled;
    for (const u of valueOf(b['graph/v1.0/users.json'])) { delete u.onPremisesSyncEnabled; delete u.onPremisesImmutableId; }
    for (const p of valueOf(b['exchange/Get-HostedOutboundSpamFilterPolicy.json'])) { delete p.RecipientLimitExternalPerHour; delete p.RecipientLimitInternalPerHour; delete p.RecipientLimitPerDay; }
  });
  const r = byId(audit(s).results);
  for (const id of ['A14', 'A15', 'D6', 'B12', 'C1', 'C3', 'B5']) assert.equal(r.get(id)!.status, 'Error', `${id}: ${r.get(id)!.details}`);
});

test('licence-dependent checks: no P2 -> NotApplicable; unknown licence -> Error; P2 + gaps -> Fail', async () => {
  const noP2 = edited('hardened', (b) => {
    const skus = valueOf(b['graph/v1.0/subscribedSkus.json']);
    skus[0]!.servicePlans = (skus[0]!.servicePlans as { servicePlanName: string }[]).filter((p) => p.servicePlanName !== 'AAD_PREMIUM_P2');
  });
  let r = byId(audit(noP2, await hardenedCfg()).results);
  assert.equal(r.get('A12')!.status, 'NotApplicable');
  assert.equal(r.get('B3')!.status, 'NotApplicable');
  assert.equal(r.get('A1')!.status, 'Pass', 'P1 still enables CA');

  r = byId(audit(edited('hardened', (b) => { delete b['graph/v1.0/subscribedSkus.json']; })).results);
  assert.equal(r.get('A12')!.status, 'Error');
  assert.match(r.get('A12')!.details, /licence could not be checked/);

  const gaps = edited('hardened', (b) => {
    const pols = valueOf(b['graph/beta/identity/conditionalAccess/policies.json']);
    b['graph/beta/identity/conditionalAccess/policies.json'] = { value: pols.filter((p) => p.displayName !== 'CA005 Block high sign-in risk') };
    // alice becomes a permanent, active Global Administrator assigned outside PIM
    valueOf(b['graph/v1.0/roleManagement/directory/roleAssignmentScheduleInstances.json']).push({ id: 'x', principalId: 'a0000000-0000-4000-8000-000000000001', roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10', directoryScopeId: '/', startDateTime: null, endDateTime: null, assignmentType: 'Assigned', memberType: 'Direct' });
  });
  r = byId(audit(gaps, await hardenedCfg()).results);
  assert.equal(r.get('A12')!.status, 'Fail');
  assert.match(r.get('A12')!.details, /high sign-in risk/);
  assert.equal(r.get('B3')!.status, 'Fail');
  assert.deepEqual(r.get('B3')!.objects.map((o) => o.name), ['alice.admin@contoso.com']);
  assert.match(r.get('B3')!.objects[0]!.reason, /outside PIM/);
  // no Entra ID P1 at all: CA checks are not applicable, A7 still decides via security defaults
  const free = edited('exposed', (b) => {
    valueOf(b['graph/v1.0/subscribedSkus.json'])[0]!.servicePlans = [{ servicePlanName: 'EXCHANGE_S_STANDARD', provisioningStatus: 'Success' }];
    delete b['graph/beta/identity/conditionalAccess/policies.json'];
  });
  r = byId(audit(free).results);
  assert.equal(r.get('A1')!.status, 'NotApplicable');
  assert.equal(r.get('A7')!.status, 'Fail', 'no P1 and security defaults off: nothing enforces MFA');
});

test('A1/A2: offenders are named; exclusions covered by another policy are not gaps; break-glass is not a gap', async () => {
  const r = byId(audit(await loadSnapshot(path.join(FIXTURES, 'exposed')), await exposedCfg()).results);
  const a1 = r.get('A1')!;
  const names = a1.objects.map((o) => o.name);
  assert.ok(names.includes('contractor@fabrikam-victim.example'));
  assert.ok(names.includes('MFA exclusions'));
  assert.ok(names.some((n) => n.includes('Everything (temp)')), 'a trusted 0.0.0.0/1 location is named');
  // hardened: CA001 excludes the break-glass accounts; without the config they become gaps
  const noCfg = byId(audit(await loadSnapshot(path.join(FIXTURES, 'hardened'))).results);
  assert.equal(noCfg.get('A1')!.status, 'Fail');
  assert.equal(noCfg.get('A1')!.objects.length, 2);
  assert.equal(noCfg.get('B11')!.status, 'Warn');
});

test('A5/A13/B8/B6: report-only and v1.0-only data are handled', () => {
  const v1only = edited('hardened', (b) => {
    const pols = valueOf(b['graph/beta/identity/conditionalAccess/policies.json']).map((p) => {
      const c = structuredClone(p) as { conditions: Record<string, unknown>; sessionControls?: Record<string, unknown> | null };
      delete c.conditions.authenticationFlows;
      if (c.sessionControls) delete c.sessionControls.continuousAccessEvaluation;
      return c;
    });
    delete b['graph/beta/identity/conditionalAccess/policies.json'];
    b['graph/v1.0/identity/conditionalAccess/policies.json'] = { value: pols };
  });
  const r = byId(audit(v1only).results);
  assert.equal(r.get('A1')!.status === 'Fail' || r.get('A1')!.status === 'Pass', true);
  assert.equal(r.get('B8')!.status, 'Error');
  assert.match(r.get('B8')!.details, /beta/);
  assert.equal(r.get('A13')!.status, 'Error');
  const cae = edited('hardened', (b) => {
    const p = valueOf(b['graph/beta/identity/conditionalAccess/policies.json'])[1]! as { sessionControls: Record<string, unknown> };
    p.sessionControls.continuousAccessEvaluation = { mode: 'disabled' };
    p.sessionControls.signInFrequency = { isEnabled: true, type: 'days', value: 1, frequencyInterval: 'timeBased' };
  });
  const r2 = byId(audit(cae).results);
  assert.equal(r2.get('B8')!.status, 'Fail');
  assert.equal(r2.get('B8')!.objects[0]!.name, 'CA002 Phishing-resistant MFA and short sessions for admins');
  assert.equal(r2.get('B6')!.status, 'Fail');
  assert.match(r2.get('B6')!.objects.find((o) => o.name.startsWith('CA002'))!.reason, /24 hours/);
});

test('A6 names admins without MFA and their roles', async () => {
  const r = byId(audit(await loadSnapshot(path.join(FIXTURES, 'exposed'))).results);
  const a6 = r.get('A6')!;
  const admin = a6.objects.find((o) => o.name === 'it.admin@fabrikam-victim.example')!;
  assert.match(admin.reason, /Global Administrator.*no MFA method registered/);
  assert.ok(a6.objects.some((o) => o.name === 'mail.admin@fabrikam-victim.example' && /only mobilePhone/.test(o.reason)));
  assert.ok(!a6.objects.some((o) => o.name.includes('ceo')), 'users with MFA are not listed');
});

test('C4/C5: apps with Exchange rights are joined with their credentials and roles; the collector is recognised', async () => {
  const r = byId(audit(await loadSnapshot(path.join(FIXTURES, 'exposed')), await exposedCfg()).results);
  const c4 = r.get('C4')!;
  const mal = c4.objects.find((o) => o.name === 'Mail Sync Service')!;
  assert.match(mal.reason, /Exchange\.ManageAsApp/);
  assert.match(mal.reason, /full_access_as_app/);
  assert.match(mal.reason, /Exchange Administrator/);
  assert.match(mal.reason, /client secret \("sync" added 2025-06-09/);
  assert.match(mal.reason, /granted in the last 30 days/);
  const col = c4.objects.find((o) => o.name === 'tenantwatch collector')!;
  assert.match(col.reason, /collector \(expected\) but it has 1 client secret/);
  assert.ok(!col.expected, 'a collector with a secret is an offender');
  assert.match(c4.details, /campaign's fingerprint/);
  const c5 = r.get('C5')!;
  assert.deepEqual(c5.objects.map((o) => o.name).sort(), ['Backup Helper', 'Mail Sync Service']);
  // hardened: certificate-bound collector is listed as expected and the check passes
  const h = byId(audit(await loadSnapshot(path.join(FIXTURES, 'hardened')), await hardenedCfg()).results).get('C4')!;
  assert.equal(h.objects.length, 1);
  assert.equal(h.objects[0]!.expected, true);
  // without the collector declared, the same app is an offender
  const h2 = byId(audit(await loadSnapshot(path.join(FIXTURES, 'hardened'))).results).get('C4')!;
  assert.equal(h2.status, 'Fail');
  assert.equal(h2.objects[0]!.name, 'tenantwatch collector');
});

test('C4: missing app role data is an Error, not a Pass', () => {
  const s = edited('exposed', (b) => { for (const k of Object.keys(b)) if (k.includes('/appRoleAssignments.json')) delete b[k]; });
  const c4 = byId(audit(s).results).get('C4')!;
  assert.equal(c4.status, 'Error');
  assert.match(c4.details, /app role assignments/);
});

test('D1: wide ranges, * sender domains, internal-trust and recent creation are named; narrow cert-bound passes', async () => {
  const r = byId(audit(await loadSnapshot(path.join(FIXTURES, 'exposed'))).results);
  const d1 = r.get('D1')!;
  assert.equal(d1.objects.length, 1, 'the disabled connector is ignored');
  const reason = d1.objects[0]!.reason;
  for (const re of [/wide IP ranges 198\.18\.0\.0\/15 without a certificate/, /sender domain "\*"/, /treats mail as internal/, /created 2025-06-10/]) assert.match(reason, re);
  const broad = edited('hardened', (b) => {
    const k = valueOf(b['exchange/Get-InboundConnector.json'])[0]!;
    k.TlsSenderCertificateName = null;
    k.SenderIPAddresses = ['203.0.113.0/22'];
  });
  assert.equal(byId(audit(broad).results).get('D1')!.status, 'Warn');
  const none = edited('hardened', (b) => { b['exchange/Get-InboundConnector.json'] = { value: [] }; });
  assert.equal(byId(audit(none).results).get('D1')!.status, 'Pass');
});

test('D4 and A14 read ConvertTo-Json (UTF-16LE, /Date()/, single object) exports', async () => {
  const r = byId(audit(await loadSnapshot(path.join(FIXTURES, 'exposed')), await exposedCfg()).results);
  assert.deepEqual(r.get('D4')!.objects.map((o) => o.name), ['Allow partner relay', 'Header cleanup']);
  const a14 = r.get('A14')!;
  assert.equal(a14.status, 'Fail');
  assert.equal(a14.exempt, undefined, 'the org-wide setting is not exempt even though the mailbox is');
  assert.ok(a14.objects.find((o) => o.name === 'sales1@fabrikam-victim.example')!.exempt);
});

test('D4 judges rules as detection does: the campaign\'s header stripping fails, a Clutter bypass for one recipient warns', () => {
  // Get-TransportRule lists unset properties as null/false/[]; they must not read as conditions
  const rule = (name: string, set: Record<string, unknown>) => ({
    Name: name, Identity: name, Guid: `0e1${name.length}`, State: 'Enabled', Mode: 'Enforce', Priority: 1, SetSCL: null, RemoveHeader: null,
    SetHeaderName: null, SetHeaderValue: null, RedirectMessageTo: null, SentTo: null, HasNoClassification: false, Conditions: [], WhenChanged: '2023-01-01T00:00:00Z', ...set,
  });
  const d4 = (...rules: Record<string, unknown>[]) =>
    byId(audit(edited('hardened', (b) => { b['exchange/Get-TransportRule.json'] = { value: rules }; })).results).get('D4')!;
  for (const header of ['X-MS-Exchange-ExternalOriginalInternetSender', 'X-MS-Exchange-SkipListedInternetSender']) {
    const strip = d4(rule('Sync Rule', { SenderIpRanges: ['104.0.0.0/9'], RemoveHeader: header }));
    assert.equal(strip.status, 'Fail', header);
    assert.match(strip.objects[0]!.reason, new RegExp(`high risk: removes ${header}`));
    assert.equal(d4(rule('Stamp', { SetHeaderName: header, SetHeaderValue: 'relay.example' })).status, 'Fail', `overwriting ${header}`);
  }
  // Microsoft's documented rule to keep one person's mail out of Clutter
  const clutter = d4(rule('Bypass Clutter for CEO', { SentTo: ['ceo@contoso.com'], SetHeaderName: 'X-MS-Exchange-Organization-BypassClutter', SetHeaderValue: 'true' }));
  assert.equal(clutter.status, 'Warn');
  assert.match(clutter.objects[0]!.reason, /^medium risk: stamps X-MS-Exchange-Organization-BypassClutter: true .*applies to mail matching SentTo\)$/);
  assert.equal(d4(rule('Footer', { RemoveHeader: 'X-Contoso-Footer' })).status, 'Warn');
  assert.equal(d4(rule('Disclaimer', { FromScope: 'NotInOrganization', ApplyHtmlDisclaimerText: '[EXTERNAL]' })).status, 'Pass');
});

test('B1/C5 read the principal type from roleAssignments $expand=principal; unidentified holders give Error, not Fail or Pass', () => {
  const GA = '62e90394-69f5-4237-9190-012177145e10';
  const types: Record<string, string> = {};
  const noDirectory = (expand: boolean) => edited('hardened', (b) => {
    for (const f of ['users', 'servicePrincipals', 'applications']) delete b[`graph/v1.0/${f}.json`];
    for (const f of ['roleAssignmentScheduleInstances', 'roleEligibilitySchedules']) delete b[`graph/v1.0/roleManagement/directory/${f}.json`];
    const ras = valueOf(b['graph/v1.0/roleManagement/directory/roleAssignments.json']);
    ras.push({ id: 'ra-bad', principalId: 'c9000000-0000-4000-8000-0000000000ba', roleDefinitionId: GA, directoryScopeId: '/' });
    for (const ra of ras) {
      const id = String(ra.principalId);
      types[id] ??= id.startsWith('c') ? 'servicePrincipal' : 'user';
      if (expand) ra.principal = { '@odata.type': `#microsoft.graph.${types[id]}`, id, displayName: id === 'c9000000-0000-4000-8000-0000000000ba' ? 'Backdoor App' : `user ${id}` };
    }
  });
  let r = byId(audit(noDirectory(true)).results);
  assert.equal(r.get('C5')!.status, 'Fail');
  assert.deepEqual(r.get('C5')!.objects.map((o) => o.name), ['Backdoor App']);
  assert.match(r.get('C5')!.objects[0]!.reason, /Global Administrator; credentials: unknown/);
  assert.match(r.get('C5')!.details, /servicePrincipals\.json is missing/);
  assert.notEqual(r.get('B1')!.status, 'Fail', r.get('B1')!.details);
  assert.match(r.get('B1')!.details, /^2 Global Administrators/);
  // no $expand=principal and no users/servicePrincipals files: nobody can be told apart
  r = byId(audit(noDirectory(false)).results);
  assert.equal(r.get('B1')!.status, 'Error');
  assert.match(r.get('B1')!.details, /0 Global Administrator user\(s\) identified, but 3 holders .*could not be identified/);
  assert.equal(r.get('C5')!.status, 'Error');
  assert.match(r.get('C5')!.details, /servicePrincipals\.json is missing/);
});

test('a role-holding group whose members are not in the snapshot is an unidentified holder, not zero admins', () => {
  const s = edited('hardened', (b) => {
    for (const g of valueOf(b['graph/v1.0/groups.json'])) { delete g.members; delete g.transitiveMembers; }
    const ras = valueOf(b['graph/v1.0/roleManagement/directory/roleAssignments.json']);
    const groupId = String(valueOf(b['graph/v1.0/groups.json'])[0]!.id);
    for (const ra of ras) if (ra.roleDefinitionId === '62e90394-69f5-4237-9190-012177145e10') ra.principalId = groupId;
    for (const f of ['roleAssignmentScheduleInstances', 'roleEligibilitySchedules']) delete b[`graph/v1.0/roleManagement/directory/${f}.json`];
  });
  const b1 = byId(audit(s).results).get('B1')!;
  assert.equal(b1.status, 'Error', b1.details);
  assert.match(b1.details, /1 holder .*could not be identified/);
});

test('grant operator: with OR a control is required only when every alternative satisfies it', async () => {
  const cfg = await hardenedCfg();
  const withGrants = (grants: Record<string, Record<string, unknown>>) => byId(audit(edited('hardened', (b) => {
    for (const p of valueOf(b['graph/beta/identity/conditionalAccess/policies.json'])) {
      const g = grants[String(p.displayName).slice(0, 5)];
      if (g) Object.assign(p.grantControls as Record<string, unknown>, g);
    }
  }), cfg).results);
  // "MFA or compliant device": a password plus an enrolled device gets in without MFA, a managed device is not required
  let r = withGrants({
    CA001: { operator: 'OR', builtInControls: ['mfa', 'compliantDevice'] }, CA007: { operator: 'OR', builtInControls: ['mfa', 'compliantDevice'] },
    CA009: { operator: 'OR', builtInControls: ['compliantDevice'] }, // phishing-resistant strength OR a compliant device
  });
  assert.equal(r.get('A1')!.status, 'Fail');
  assert.equal(r.get('B9')!.status, 'Fail');
  r = withGrants({ CA001: { operator: 'AND', builtInControls: ['mfa', 'compliantDevice'] }, CA007: { operator: 'AND', builtInControls: ['mfa', 'compliantDevice'] } });
  assert.equal(r.get('A1')!.status, 'Pass');
  assert.equal(r.get('B9')!.status, 'Pass');
  // phishing-resistant strength OR plain mfa: plain MFA is enough, so not phishing-resistant (still MFA)
  r = withGrants({ CA009: { operator: 'OR', builtInControls: ['mfa'] }, CA001: { operator: 'OR', builtInControls: ['mfa', 'approvedApplication'] } });
  assert.equal(r.get('A4')!.status, 'Fail');
  assert.equal(r.get('A1')!.status, 'Pass', 'CA009 still requires MFA either way');
  r = withGrants({ CA009: { operator: 'OR', builtInControls: [], termsOfUse: ['tou-1'] }, CA001: { operator: 'OR', builtInControls: ['mfa', 'approvedApplication'] } });
  assert.equal(r.get('A1')!.status, 'Fail', 'strength OR terms of use is not MFA');
});

test('CA exclusions are compared by principal: group members and role holders are expanded when the snapshot lists them', async () => {
  const cfg = await hardenedCfg();
  const BG = ['a0000000-0000-4000-8000-000000000005', 'a0000000-0000-4000-8000-000000000010'];
  const ALICE = 'a0000000-0000-4000-8000-000000000001';
  const withGroup = (id: string, name: string, members: string[] | undefined, edit: (p: Record<string, { excludeUsers: string[]; excludeGroups: string[] }>) => void) => edited('hardened', (b) => {
    valueOf(b['graph/v1.0/groups.json']).push({ id, displayName: name, securityEnabled: true });
    if (members) b[`graph/v1.0/groups/${id}/transitiveMembers.json`] = { value: members.map((m) => ({ '@odata.type': '#microsoft.graph.user', id: m })) };
    const pols = valueOf(b['graph/beta/identity/conditionalAccess/policies.json']);
    edit(Object.fromEntries(pols.map((p) => [String(p.displayName).slice(0, 5), (p.conditions as { users: { excludeUsers: string[]; excludeGroups: string[] } }).users])));
  });
  // break-glass accounts excluded through a group that holds only them: nothing is a gap, B11 is satisfied
  const bgGroup = withGroup('b0000000-0000-4000-8000-0000000000b9', 'Break-glass', BG, (ps) => { for (const u of Object.values(ps)) { u.excludeUsers = []; u.excludeGroups = ['b0000000-0000-4000-8000-0000000000b9']; } });
  let r = byId(audit(bgGroup, cfg).results);
  assert.deepEqual([...r.values()].filter((x) => x.status !== 'Pass').map((x) => `${x.id}: ${x.details}`), []);
  // alice is excluded from CA001 through a group and from the admin policies directly: uncovered everywhere
  const legacy = withGroup('b0000000-0000-4000-8000-0000000000e1', 'MFA-Exempt (legacy app)', [ALICE], (ps) => {
    ps.CA001!.excludeGroups = ['b0000000-0000-4000-8000-0000000000e1'];
    ps.CA002!.excludeUsers.push(ALICE);
    ps.CA009!.excludeGroups = ['b0000000-0000-4000-8000-0000000000e1'];
  });
  r = byId(audit(legacy, cfg).results);
  for (const id of ['A2', 'A3']) {
    assert.equal(r.get(id)!.status, 'Fail', id);
    assert.deepEqual(r.get(id)!.objects.map((o) => o.name), ['alice.admin@contoso.com'], id);
  }
  assert.match(r.get('A2')!.objects[0]!.reason, /"CA001 Require MFA for all users" \(via group MFA-Exempt \(legacy app\)\), "CA002 [^"]*", "CA009 [^"]*" \(via group/);
  // excluding a role excludes its holders
  const byRole = edited('hardened', (b) => {
    for (const p of valueOf(b['graph/beta/identity/conditionalAccess/policies.json'])) (p.conditions as { users: { excludeRoles: string[] } }).users.excludeRoles = ['29232cdf-9323-42fd-ade2-1d097af3e4de'];
  });
  assert.ok(byId(audit(byRole, cfg).results).get('A1')!.objects.some((o) => o.name === 'carol.exo@contoso.com' && /via role Exchange Administrator/.test(o.reason)));
  // membership not collected: the group is compared as itself, and the finding says its members were not checked
  const opaque = withGroup('b0000000-0000-4000-8000-0000000000c1', 'Contractors', undefined, (ps) => { for (const u of Object.values(ps)) { u.excludeUsers = []; u.excludeGroups = ['b0000000-0000-4000-8000-0000000000c1']; } });
  r = byId(audit(opaque, cfg).results);
  assert.deepEqual(r.get('A1')!.objects.map((o) => o.name), ['Contractors']);
  assert.match(r.get('A1')!.objects[0]!.reason, /its members are not in the snapshot .*whom it excludes was not checked/);
  assert.equal(r.get('B11')!.status, 'Warn', 'whether it holds the break-glass accounts is unknown, not a failure');
  assert.match(r.get('B11')!.objects[0]!.reason, /could not check that it excludes break-glass/);
});

test('B6/B9: a principal excluded from every session-limit / managed-device policy is a gap', async () => {
  const s = edited('hardened', (b) => {
    for (const p of valueOf(b['graph/beta/identity/conditionalAccess/policies.json'])) {
      if (/^CA00[27]/.test(String(p.displayName))) (p.conditions as { users: { excludeUsers: string[] } }).users.excludeUsers.push('a0000000-0000-4000-8000-000000000001');
    }
  });
  const r = byId(audit(s, await hardenedCfg()).results);
  for (const id of ['B6', 'B9']) {
    assert.equal(r.get(id)!.status, 'Fail', id);
    assert.deepEqual(r.get(id)!.objects.map((o) => o.name), ['alice.admin@contoso.com'], id);
  }
});

test('A7: MFA policies with gaps are named as such, not as "no policy"', async () => {
  // security defaults off; without the config the break-glass exclusions are gaps
  const r = byId(audit(await loadSnapshot(path.join(FIXTURES, 'hardened'))).results).get('A7')!;
  assert.equal(r.status, 'Fail');
  assert.match(r.details, /^Security defaults are off and the Conditional Access policies requiring MFA for all users have gaps \(A1\): /);
  assert.ok(r.objects.some((o) => o.name === 'bg-emergency1@contoso.onmicrosoft.com'));
});
