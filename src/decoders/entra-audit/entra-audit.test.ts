import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { Event } from '../../core/event.js';
import { decodeFixture, decodeText, type DecodedFixture } from '../../pipeline/testkit.js';
import type { DecodeContext, RawRecord } from '../types.js';
import { entraRiskDecoders } from '../entra-risk/index.js';
import { graphAlertDecoders } from '../graph-alert/index.js';
import { diagAudit, graphDirectoryAudit, laAudit, laAuditCsv } from './index.js';

const dir = path.resolve('src/decoders/entra-audit/fixtures');
const fx = (name: string): string => path.join(dir, name);

/** Golden form: the Event without the framing-dependent evidence pointer (file, line, offset, text). */
function golden(r: DecodedFixture): unknown {
  return {
    format: r.format,
    events: r.events.map((e) => ({ ...e, raw: { format: e.raw.format } })),
    quarantined: r.quarantined.map((q) => q.reason),
  };
}

const FIXTURES: [string, DecodeContext?][] = [
  ['graph-directoryaudits.json'],
  ['diag-auditlogs-eventhub.json'],
  ['la-auditlogs.ndjson'],
  ['la-auditlogs-portal.csv'],
  ['la-auditlogs-localtime.csv'],
];

for (const [name, ctx] of FIXTURES) {
  test(`golden: ${name}`, async () => {
    const got = JSON.parse(JSON.stringify(golden(await decodeFixture(fx(name), ctx))));
    const file = fx(name.replace(/\.[^.]+$/, '') + '.golden.json');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, JSON.stringify(got, null, 2) + '\n');
    assert.ok(existsSync(file), `golden ${file} missing: run with UPDATE_GOLDEN=1 and review it`);
    assert.deepEqual(got, JSON.parse(readFileSync(file, 'utf8')));
  });
}

async function graphEvents(): Promise<Event[]> {
  return (await decodeFixture(fx('graph-directoryaudits.json'))).events;
}
const byOp = (evs: Event[], id: string): Event => {
  const e = evs.find((x) => x.id === id);
  assert.ok(e, `event ${id}`);
  return e;
};

test('graph: the takeover chain maps to tenantwatch actions', async () => {
  const evs = await graphEvents();
  const actions = evs.map((e) => e.action);
  for (const a of ['app.create', 'sp.create', 'app.credential.add', 'approle.assign', 'consent.grant', 'delegated.permission.grant', 'role.assign', 'sp.credential.add', 'app.owner.add'])
    assert.ok(actions.includes(a as Event['action']), a);
  for (const e of evs) {
    assert.equal(e.source, 'entra.audit');
    assert.equal(e.tenant, 'unknown', 'Graph directoryAudit carries no tenant id');
  }
});

test('graph: Exchange.ManageAsApp app-role assignment names grantee and resource', async () => {
  const e = byOp(await graphEvents(), 'Directory_20240503A_0004');
  assert.equal(e.action, 'approle.assign');
  assert.deepEqual(e.details?.permissions, ['Exchange.ManageAsApp']);
  assert.equal(e.details?.appRoleId, 'dc50a0fb-09a3-484d-be87-e023b12c6440');
  assert.equal(e.details?.resourceAppId, '00000002-0000-0ff1-ce00-000000000000');
  assert.equal(e.details?.resourceName, 'Office 365 Exchange Online');
  // capital "Type" (as in the Graph docs example) still types the targets
  const grantee = e.targets.find((t) => t.id === 'c81d2f3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f');
  assert.deepEqual({ type: grantee?.type, appId: grantee?.appId, name: grantee?.name }, {
    type: 'servicePrincipal',
    appId: '5d2e8f1a-3c4b-4a6d-9e7f-1b2c3d4e5f60',
    name: 'Mail Sync Connector',
  });
  const resource = e.targets.find((t) => t.name === 'Office 365 Exchange Online');
  assert.equal(resource?.appId, '00000002-0000-0ff1-ce00-000000000000');
});

test('graph: admin consent for all principals, and a blocked user consent', async () => {
  const evs = await graphEvents();
  const admin = byOp(evs, 'Directory_20240503A_0005');
  assert.equal(admin.details?.adminConsent, true);
  assert.equal(admin.details?.allPrincipals, true);
  assert.deepEqual(admin.details?.permissions, ['Mail.Read', 'offline_access', 'User.Read']);
  assert.equal(admin.targets[0]?.appId, '5d2e8f1a-3c4b-4a6d-9e7f-1b2c3d4e5f60');
  const blocked = byOp(evs, 'Directory_20240503A_0020');
  assert.equal(blocked.outcome, 'failure');
  assert.equal(blocked.reason?.code, 'Microsoft.online.Security.userConsentBlockedForRiskyAppsExceptions');
  assert.equal(blocked.details?.adminConsent, false);
  assert.equal(blocked.details?.allPrincipals, false);
  assert.equal(blocked.actor.ip, '2001:db8:4a::17');
  assert.equal(blocked.actor.user, 'megan.b@contoso.com', 'UPN lower-cased');
});

test('graph: credentials and roles', async () => {
  const evs = await graphEvents();
  const secret = byOp(evs, 'Directory_20240503A_0003');
  assert.equal(secret.operation, 'Update application - Certificates and secrets management', 'en dash and trailing space normalized');
  assert.equal(secret.action, 'app.credential.add');
  assert.deepEqual(secret.details?.credential, { type: 'password', keyId: '6e5d4c3b-2a19-4f8e-b7d6-c5b4a3f2e1d0', displayName: 'sync', usage: 'Verify' });
  const cert = byOp(evs, 'Directory_20240503A_0009');
  assert.equal(cert.action, 'sp.credential.add');
  assert.equal((cert.details?.credential as { type: string; displayName: string }).displayName, 'CN=sync, O=Contoso');
  const role = byOp(evs, 'Directory_20240503A_0007');
  assert.deepEqual(role.details?.roles, ['Exchange Administrator']);
  assert.deepEqual(role.details?.roleTemplateIds, ['29232cdf-9323-42fd-ade2-1d097af3e4de']);
  assert.deepEqual(role.targets.map((t) => t.type), ['servicePrincipal', 'role']);
  const pim = byOp(evs, 'Directory_20240503A_0008');
  assert.equal(pim.action, 'role.assign');
  assert.equal(pim.details?.roleAssignment, 'eligible');
  assert.deepEqual(pim.details?.roles, ['Global Administrator']);
  const removed = byOp(evs, 'Directory_20240503A_0011');
  assert.equal(removed.action, 'role.remove');
  assert.deepEqual(removed.details?.roles, ['Global Administrator'], 'role read from the old value');
});

test('graph: app-initiated change makes an app actor; domain and policy ops', async () => {
  const evs = await graphEvents();
  const owner = byOp(evs, 'Directory_20240503A_0010');
  assert.deepEqual(owner.actor, {
    kind: 'app',
    appId: '5d2e8f1a-3c4b-4a6d-9e7f-1b2c3d4e5f60',
    appName: 'Mail Sync Connector',
    spId: 'c81d2f3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
  });
  assert.equal(byOp(evs, 'Directory_20240503A_0016').action, 'domain.federation.change');
  const upd = byOp(evs, 'Directory_20240503A_0017');
  assert.equal(upd.action, 'domain.update', 'Update domain touching only IsVerified is not a federation change');
  assert.equal(upd.targets[0]?.type, 'domain');
  assert.equal(byOp(evs, 'Directory_20240503A_0018').action, 'policy.change');
  assert.equal(byOp(evs, 'Directory_20240503A_0013').action, 'user.sessions.revoke');
  assert.equal(byOp(evs, 'Directory_20240503A_0015').action, 'user.mfa.remove');
  const group = byOp(evs, 'Directory_20240503A_0019');
  assert.deepEqual(group.targets[1], { type: 'group', id: 'e9d8c7b6-a5f4-4e3d-9c2b-1a0f9e8d7c6b', name: 'Finance Team' });
});

test('graph: a record without time is quarantined with a reason', async () => {
  const r = await decodeFixture(fx('graph-directoryaudits.json'));
  assert.equal(r.quarantined.length, 1);
  assert.match(r.quarantined[0]!.reason, /no usable activityDateTime/);
});

test('diag: envelope tenant, caller IP for app actors, system actor, envelope time fallback', async () => {
  const r = await decodeFixture(fx('diag-auditlogs-eventhub.json'));
  assert.deepEqual(r.format, ['azure.diag.audit']);
  const [approle, appActor, system, noTime] = r.events;
  assert.equal(approle?.tenant, '7f3c2a10-4b5e-4c2d-9a1b-0e5f6a7b8c9d');
  assert.equal(appActor?.actor.kind, 'app');
  assert.equal(appActor?.actor.ip, '2001:db8:4a::17');
  assert.equal(appActor?.actor.port, 443);
  assert.equal(system?.actor.kind, 'system');
  assert.equal(system?.actor.displayName, 'Microsoft Azure AD Internal - Jit Provisioning');
  assert.equal(system?.actor.ip, undefined, '"<null>" is no IP');
  assert.equal(system?.outcome, 'failure');
  assert.equal(noTime?.time, Date.parse('2024-05-03T09:16:02Z'));
});

test('diag: the envelope correlationId when properties has none (Panther-normalised records), the record\'s own first', async () => {
  const props = { id: 'a1', activityDisplayName: 'Add service principal', activityDateTime: '2024-05-03T09:16:02Z', category: 'ApplicationManagement', result: 'success', initiatedBy: { user: { userPrincipalName: 'admin@contoso.example' } }, targetResources: [] };
  const env = { time: '2024-05-03T09:16:02Z', category: 'AuditLogs', operationName: 'Add service principal', correlationId: '6F0E3C55-1111-4222-8333-944455556666' };
  const text = [JSON.stringify({ ...env, properties: props }), JSON.stringify({ ...env, properties: { ...props, id: 'a2', correlationId: 'c0ffee00-0000-4000-8000-000000000001' } })].join('\n') + '\n';
  const r = await decodeText(text, 'audit.json');
  assert.deepEqual(r.events.map((e) => e.session?.correlationId), ['6f0e3c55-1111-4222-8333-944455556666', 'c0ffee00-0000-4000-8000-000000000001']);
});

test('log analytics: JSON-text columns and CSV exports decode like Graph', async () => {
  const la = await decodeFixture(fx('la-auditlogs.ndjson'));
  assert.deepEqual(la.events.map((e) => e.action), ['app.credential.add', 'consent.grant', 'role.assign']);
  assert.equal(la.events[1]?.details?.allPrincipals, true);
  assert.equal(la.events[0]?.tenant, '7f3c2a10-4b5e-4c2d-9a1b-0e5f6a7b8c9d');
  const csv = await decodeFixture(fx('la-auditlogs-portal.csv'));
  assert.deepEqual(csv.events.map((e) => [e.action, e.time]), [
    ['sp.credential.add', Date.parse('2024-05-03T09:21:15Z')],
    ['role.assign', Date.parse('2024-05-03T09:16:02Z')],
  ]);
});

test('log analytics CSV in local time: quarantined without --tz, decoded with it', async () => {
  const without = await decodeFixture(fx('la-auditlogs-localtime.csv'));
  assert.equal(without.events.length, 0);
  assert.match(without.quarantined[0]!.reason, /local time zone.*--tz/);
  const withTz = await decodeFixture(fx('la-auditlogs-localtime.csv'), { tz: 'Europe/Amsterdam' });
  assert.equal(withTz.events[0]?.time, Date.parse('2024-05-03T09:21:15Z'), '11:21 CEST = 09:21 UTC');
});

const rec = (value: Record<string, unknown>): RawRecord => ({ value, text: JSON.stringify(value), file: 't.json', container: 'json' });

test('matchers: each decoder claims only its own shape', () => {
  const graph = { id: 'x', activityDisplayName: 'Add user', activityDateTime: '2024-01-01T00:00:00Z', initiatedBy: {}, targetResources: [] };
  const diag = { time: '2024-01-01T00:00:00Z', category: 'AuditLogs', operationName: 'Add user', properties: graph };
  const signinDiag = { time: '2024-01-01T00:00:00Z', category: 'SignInLogs', operationName: 'Sign-in activity', properties: { id: 'y', createdDateTime: '2024-01-01T00:00:00Z' } };
  const la = { TimeGenerated: '2024-01-01T00:00:00Z', OperationName: 'Add user', InitiatedBy: '{}', TargetResources: '[]', Type: 'AuditLogs' };
  const ual = { CreationTime: '2024-01-01T00:00:00', Operation: 'Add user.', RecordType: 8, Workload: 'AzureActiveDirectory' };
  const m = (v: Record<string, unknown>): string[] =>
    [graphDirectoryAudit, diagAudit, laAudit].filter((d) => d.matchRecord!(v)).map((d) => d.id);
  assert.deepEqual(m(graph), ['graph.directoryaudit']);
  assert.deepEqual(m(diag), ['azure.diag.audit']);
  assert.deepEqual(m(la), ['loganalytics.audit']);
  assert.deepEqual(m(signinDiag), []);
  assert.deepEqual(m(ual), []);
  assert.equal(laAuditCsv.matchHeader!(['TimeGenerated [UTC]', 'OperationName', 'InitiatedBy', 'TargetResources']), true);
  assert.equal(laAuditCsv.matchHeader!(['TimeGenerated [UTC]', 'OperationName', 'UserPrincipalName']), false);
});

test('type drift: string booleans, "Type" casing, ports and missing pieces never break the Event', () => {
  const r = graphDirectoryAudit.decode(
    rec({
      id: 'd1',
      activityDisplayName: 'Consent to application.',
      activityDateTime: '2024-05-03T09:14:31Z',
      result: 'Success',
      initiatedBy: { user: { id: 'U1', userPrincipalName: 'A@Contoso.com', ipAddress: '203.0.113.9:50123' }, app: null },
      targetResources: [
        {
          id: 'SP1',
          Type: 'ServicePrincipal',
          modifiedProperties: [
            { displayName: 'ConsentContext.IsAdminConsent', oldValue: null, newValue: 'True' }, // not JSON-quoted
            { displayName: 'ConsentAction.Permissions', oldValue: null, newValue: '"[] => [[ConsentType: AllPrincipals, Scope: Mail.Send]]"' },
          ],
        },
      ],
      additionalDetails: null,
    }),
    {},
  );
  assert.equal(r.kind, 'events');
  if (r.kind !== 'events') return;
  const e = r.events[0]!;
  assert.equal(e.action, 'consent.grant');
  assert.equal(e.operation, 'Consent to application');
  assert.equal(e.outcome, 'success');
  assert.deepEqual([e.actor.user, e.actor.userId, e.actor.ip, e.actor.port], ['a@contoso.com', 'u1', '203.0.113.9', 50123]);
  assert.deepEqual([e.details?.adminConsent, e.details?.allPrincipals, e.details?.permissions], [true, true, ['Mail.Send']]);
  assert.equal(e.targets[0]?.type, 'servicePrincipal');
});

test('a record without an operation name is quarantined, never thrown', () => {
  const r = graphDirectoryAudit.decode(rec({ id: 'd2', activityDisplayName: null, activityDateTime: '2024-05-03T09:14:31Z', initiatedBy: 'garbage', targetResources: 'nope' }), {});
  assert.equal(r.kind, 'quarantine');
  const r2 = diagAudit.decode(rec({ category: 'AuditLogs', properties: 5 }), {});
  assert.equal(r2.kind, 'quarantine');
});

test('property: no input makes any of these decoders throw', () => {
  const all = [graphDirectoryAudit, diagAudit, laAudit, ...entraRiskDecoders, ...graphAlertDecoders].filter((d) => d.container === 'json');
  const keys = ['activityDisplayName', 'activityDateTime', 'initiatedBy', 'targetResources', 'additionalDetails', 'properties', 'category',
    'InitiatedBy', 'TargetResources', 'OperationName', 'riskEventType', 'detectedDateTime', 'riskLastUpdatedDateTime', 'evidence',
    'providerAlertId', 'serviceSource', 'createdDateTime', 'modifiedProperties', 'location', 'additionalInfo'];
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant('2024-05-03T09:14:31Z'),
      fc.constant('[{"displayName":"KeyDescription","newValue":"[\\"[KeyIdentifier=x]\\"]"}]'), fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...keys, 'displayName', 'newValue', 'oldValue', 'type', 'id', 'user', 'app'), tie('v'), { maxKeys: 5 })),
  })).v;
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 8 }), (obj) => {
      for (const d of all) {
        const r = d.decode(rec(obj), {});
        assert.ok(['events', 'quarantine', 'filtered'].includes(r.kind));
      }
    }),
    { numRuns: 300 },
  );
});
