import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Event } from '../../core/event.js';
import { decodeFixture, type DecodedFixture } from '../../pipeline/testkit.js';
import type { DecodeContext, RawRecord } from '../types.js';
import { flatCsv, graphAuditLogRecord, managementApi, officeActivityCsv, officeActivityJson, powershellCsv, powershellUalJson, purviewCsv } from './index.js';
import { recordTypeNumber, userTypeNumber } from './record-types.js';
import { parseClientInfo } from './client-info.js';
import { mailboxApps } from './exchange.js';

const FIX = (name: string): string => path.resolve('src/decoders/ual/fixtures', name);

async function decode(name: string, ctx: DecodeContext = {}): Promise<DecodedFixture> {
  return decodeFixture(FIX(name), { ...ctx, dedup: false });
}

/** Goldens keep the normalized event and where it came from, not the raw text (the fixture has it). */
function goldenOf(r: DecodedFixture): string {
  const events = r.events.map((e) => ({ ...e, raw: { file: path.basename(e.raw.file), line: e.raw.line, format: e.raw.format } }));
  return JSON.stringify({ format: r.format, events, quarantined: r.quarantined, filtered: r.filtered }, null, 2) + '\n';
}

const GOLDEN = [
  'mgmt-aad.json',
  'mgmt-exchange.ndjson',
  'mailbox-clients.ndjson',
  'mailbox-apps.ndjson',
  'mgmt-alerts-misc.ndjson',
  'graph-auditlogrecords.json',
  'purview.csv',
  'powershell51.csv',
  'powershell7.csv',
  'powershell.json',
  'officeactivity.ndjson',
  'officeactivity-portal.csv',
  'flat.csv',
];

for (const name of GOLDEN) {
  test(`golden: ${name}`, async () => {
    const r = await decode(name);
    const golden = FIX(name.replace(/\.[^.]+$/, '') + '.golden.json');
    const actual = goldenOf(r);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, actual);
    assert.ok(existsSync(golden), `missing ${golden}: run with UPDATE_GOLDEN=1 and review it`);
    assert.equal(actual, readFileSync(golden, 'utf8'));
  });
}

const byOp = (r: DecodedFixture, op: string): Event[] => r.events.filter((e) => e.operation === op);
const one = (r: DecodedFixture, op: string, i = 0): Event => {
  const e = byOp(r, op)[i];
  assert.ok(e, `no event for ${op}`);
  return e;
};

test('sign-ins: UserLoginFailed fails although ResultStatus says Success; CreationTime is UTC; MFA only when the record shows it', async () => {
  const r = await decode('mgmt-aad.json');
  const failed = one(r, 'UserLoginFailed', 0);
  assert.equal(failed.action, 'signin');
  assert.equal(failed.source, 'ual');
  assert.equal(failed.outcome, 'failure');
  assert.deepEqual(failed.reason, { code: '50126', text: 'InvalidUserNameOrPassword' });
  assert.equal(failed.time, Date.UTC(2024, 2, 11, 8, 14, 5));
  assert.equal(failed.auth?.requirement, undefined, 'a UAL sign-in never claims single-factor');
  assert.equal(failed.auth?.mfa, undefined);
  assert.equal(failed.actor.user, 'alex.wilber@contoso.com');
  assert.equal(failed.actor.userId, '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d');
  assert.equal(failed.actor.userAgent, 'python-requests/2.31.0');
  assert.equal(failed.session?.id, '6a1f0c3e-2b4d-4e5f-9a0b-1c2d3e4f5a6b');
  assert.equal(failed.tenant, '7f3a2c10-5b6d-4e8f-9a01-2b3c4d5e6f70');

  const mfaFailed = one(r, 'UserLoginFailed', 1);
  assert.equal(mfaFailed.auth?.mfa, 'failed');
  assert.equal(mfaFailed.auth?.requirement, 'multi');

  const mfaDone = one(r, 'UserLoggedIn', 0);
  assert.equal(mfaDone.outcome, 'success');
  assert.equal(mfaDone.auth?.mfa, 'satisfied');

  const v6 = one(r, 'UserLoggedIn', 1);
  assert.equal(v6.actor.ip, '2001:db8:4:1::25');
  assert.equal(v6.time, Date.UTC(2024, 2, 11, 8, 31, 59, 123));
  assert.equal(v6.details?.keepMeSignedIn, true);
  assert.equal(v6.auth?.mfa, undefined);

  const legacy = one(r, 'PasswordLogonInitialAuthUsingPassword');
  assert.equal(legacy.outcome, 'failure');
  assert.equal(legacy.reason?.code, '-2147217390');
});

test('directory changes: trailing-period operations map through the shared Entra helper, with grants', async () => {
  const r = await decode('mgmt-aad.json');
  const sp = one(r, 'Add service principal');
  assert.equal(sp.action, 'sp.create');
  assert.deepEqual(
    { type: sp.targets[0]!.type, id: sp.targets[0]!.id, appId: sp.targets[0]!.appId, name: sp.targets[0]!.name },
    { type: 'servicePrincipal', id: '9c8b7a6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', appId: '3f7a9b2c-1d4e-4f60-8a1b-2c3d4e5f6a7b', name: 'Mail Sync Helper' },
  );
  assert.deepEqual(sp.targets[0]!.modified?.AppPrincipalId, { old: [], new: ['3f7a9b2c-1d4e-4f60-8a1b-2c3d4e5f6a7b'] });

  const cred = one(r, 'Update application - Certificates and secrets management');
  assert.equal(cred.action, 'app.credential.add');
  assert.equal(cred.targets[0]!.type, 'app');
  assert.equal(cred.targets[0]!.id, '4b5c6d7e-8f90-41a2-b3c4-d5e6f7a8b9c0');

  const consent = one(r, 'Consent to application');
  assert.equal(consent.action, 'consent.grant');
  assert.deepEqual(consent.details?.permissions, ['Mail.ReadWrite', 'Mail.Send', 'offline_access']);
  assert.equal(consent.details?.adminConsent, true);

  const approle = one(r, 'Add app role assignment to service principal');
  assert.equal(approle.action, 'approle.assign');
  assert.deepEqual(approle.details?.permissions, ['Exchange.ManageAsApp']);
  assert.equal(approle.actor.kind, 'app', 'an app granted itself the role: Actor[] names a ServicePrincipal');
  assert.equal(approle.actor.appId, '3f7a9b2c-1d4e-4f60-8a1b-2c3d4e5f6a7b');
  assert.equal(approle.actor.spId, '9c8b7a6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d');

  const role = one(r, 'Add member to role');
  assert.equal(role.action, 'role.assign');
  assert.deepEqual(role.details?.roles, ['Exchange Administrator']);
  assert.ok(role.targets.some((t) => t.type === 'role' && t.name === 'Exchange Administrator'));
  assert.ok(role.targets.some((t) => t.type === 'servicePrincipal' && t.appId === '3f7a9b2c-1d4e-4f60-8a1b-2c3d4e5f6a7b'));
});

test('Exchange admin cmdlets: actions, targets, parameters, app and system actors', async () => {
  const r = await decode('mgmt-exchange.ndjson');
  const created = one(r, 'New-InboundConnector');
  assert.equal(created.action, 'connector.inbound.create');
  assert.equal(created.actor.kind, 'app');
  assert.equal(created.actor.appId, '3f7a9b2c-1d4e-4f60-8a1b-2c3d4e5f6a7b');
  assert.equal(created.actor.ip, '198.51.100.9');
  assert.equal(created.actor.port, 40211);
  assert.deepEqual(created.targets, [{ type: 'connector', name: 'Partner relay 2', id: 'Partner relay 2' }]);
  assert.equal((created.details?.parameters as Record<string, unknown>).ConnectorType, 'OnPremises');

  const updated = one(r, 'Set-InboundConnector');
  assert.equal(updated.action, 'connector.inbound.update');
  assert.equal(updated.actor.kind, 'user', 'an admin using Exchange PowerShell is a person');
  assert.equal(updated.actor.user, 'admin@contoso.onmicrosoft.com');
  assert.deepEqual(updated.targets[0]!.modified?.SenderIPAddresses, { old: '198.51.100.0/24', new: '198.51.100.0/24;203.0.113.0/24' });

  assert.equal(one(r, 'New-TransportRule').action, 'transportrule.create');
  assert.equal(one(r, 'Disable-TransportRule').action, 'transportrule.disable');
  assert.equal(one(r, 'Remove-InboundConnector').action, 'connector.inbound.remove', 'Parameters given as JSON text');
  const outbound = one(r, 'Set-OutboundConnector');
  assert.equal(outbound.action, 'connector.outbound.update');
  assert.equal(outbound.outcome, 'failure', 'ResultStatus "False"');

  const fwd = one(r, 'Set-Mailbox', 0);
  assert.equal(fwd.action, 'mailbox.forwarding.set');
  assert.deepEqual(fwd.details?.forwardTo, ['collector@fabrikam.com']);
  assert.equal(one(r, 'Set-Mailbox', 1).action, 'exchange.admin');
  const perm = one(r, 'Add-MailboxPermission');
  assert.equal(perm.action, 'mailbox.permission.add');
  assert.ok(perm.targets.some((t) => t.type === 'user' && t.name === 'mail-sync@contoso.com'));

  const sys = one(r, 'Set-TransportConfig');
  assert.equal(sys.actor.kind, 'system');
  assert.equal(sys.details?.recordType, 1, 'RecordType "1" as a string');
  assert.equal(sys.details?.userType, 'DcAdmin', 'UserType "3" as a string');
  assert.equal(sys.actor.ip, undefined);

  const rule = one(r, 'New-InboxRule');
  assert.equal(rule.action, 'inboxrule.create');
  assert.deepEqual(rule.details?.forwardTo, ['collector@fabrikam.com', 'archive@fabrikam.com']);
  assert.deepEqual(rule.targets.map((t) => t.type), ['inboxRule', 'mailbox']);
  assert.equal(rule.targets[1]!.name, 'alex.wilber@contoso.com');
  assert.equal(rule.actor.ip, '2001:db8:4:1::25', '[IPv6]:port');
  assert.equal(rule.actor.port, 443);
});

test('mailbox audit: UpdateInboxRules and MailItemsAccessed', async () => {
  const r = await decode('mgmt-exchange.ndjson');
  const upd = one(r, 'UpdateInboxRules');
  assert.equal(upd.action, 'inboxrule.create', 'RuleOperation AddMailboxRule');
  assert.deepEqual(upd.details?.forwardTo, ['collector@fabrikam.com']);
  assert.equal(upd.session?.tokenId, 'xYz0AbCdEfGhIjKlMnOpQr');
  assert.equal(upd.session?.id, '6a1f0c3e-2b4d-4e5f-9a0b-1c2d3e4f5a6b', 'AppAccessContext.AADSessionId joins the sign-in session');

  const read = one(r, 'MailItemsAccessed');
  assert.equal(read.action, 'mailbox.access');
  assert.equal(read.actor.kind, 'app');
  assert.equal(read.actor.spId, '9c8b7a6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d');
  assert.equal(read.details?.mailAccessType, 'Sync');
  assert.deepEqual(read.targets, [{ type: 'mailbox', id: '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a', name: 'alex.wilber@contoso.com' }]);
});

test('mailbox ClientInfoString: the user agent keeps its own semicolons', () => {
  const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
  assert.deepEqual(parseClientInfo(`Client=OWA;${chrome};`), { client: 'OWA', userAgent: chrome }, 'was cut to "Mozilla/5.0 (Windows NT 10.0"');
  assert.deepEqual(parseClientInfo(`Client=OWA;${chrome}`), { client: 'OWA', userAgent: chrome }, 'no trailing ";"');
  assert.deepEqual(parseClientInfo('Client=OWA;Action=ViaProxy'), { client: 'OWA' });
  assert.deepEqual(parseClientInfo('Client=MSExchangeRPC'), { client: 'MSExchangeRPC' });
  assert.deepEqual(parseClientInfo('Client=OutlookService;Outlook-iOS/2.0;'), { client: 'OutlookService', userAgent: 'Outlook-iOS/2.0' });
  assert.deepEqual(parseClientInfo('Client=REST;Client=RESTSystem;;'), { client: 'REST' });
  // Exchange ActiveSync shape (mailbox audit logs; not in the samples): "UserAgent=" key, "Action=" URL suffix
  assert.deepEqual(
    parseClientInfo('Client=ActiveSync;UserAgent=Apple-iPhone15C2/2104.100;Action=/Microsoft-Server-ActiveSync/Proxy/default.eas?User=megan.bowen@contoso.com&DeviceId=ABC123&DeviceType=iPhone&Cmd=Sync'),
    { client: 'ActiveSync', userAgent: 'Apple-iPhone15C2/2104.100' },
  );
  assert.deepEqual(parseClientInfo('Client=POP3/IMAP4;Protocol=IMAP4'), { client: 'POP3/IMAP4' }, 'a key=value pair is no agent');
  assert.deepEqual(parseClientInfo(''), {});
  assert.deepEqual(parseClientInfo(undefined), {});
});

test('mailbox audit: MailItemsAccessed user agents from OWA, Outlook mobile, proxies and MAPI', async () => {
  const r = await decode('mailbox-clients.ndjson');
  assert.deepEqual(r.quarantined, []);
  assert.deepEqual(r.events.map((e) => [e.actor.ip, e.actor.userAgent, e.details?.clientInfo]), [
    ['203.0.113.41', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
      'Client=OWA;Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0;'],
    ['203.0.113.41', undefined, 'Client=OWA;Action=ViaProxy'],
    ['2001:db8:40::17', 'Outlook-iOS/2.0', 'Client=OutlookService;Outlook-iOS/2.0;'],
    ['198.51.100.77', undefined, 'Client=MSExchangeRPC'],
  ]);
  assert.equal(r.events[0]!.session?.id, '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', 'GUID session ids in lower case');
  assert.equal(r.events[0]!.session?.tokenId, 'aBcDeFgHiJkLmNoPqRsTuV', 'the token id keeps its case');
});

test('mailbox audit: the calling app is ClientAppId; a Microsoft Graph / Exchange AppId is the resource', async () => {
  const r = await decode('mailbox-apps.ndjson');
  assert.deepEqual(r.quarantined, []);
  const APP = '6b1e4c2a-8d3f-4a5b-9c7e-2f1a0b3c4d5e';
  const GRAPH = '00000003-0000-0000-c000-000000000000';
  const apps = r.events.map((e) => [e.actor.kind, e.actor.appId, e.details?.resourceAppId, e.actor.spId]);
  assert.deepEqual(apps, [
    ['user', APP, GRAPH, undefined], // delegated read through Graph: the consented app, not "Microsoft Graph"
    ['app', APP, GRAPH, undefined], // app-only read: UserId is the app id, not a service principal object id
    ['user', '00000002-0000-0ff1-ce00-000000000000', undefined, undefined], // OWA with AppId only
    ['user', APP, undefined, undefined], // AppId = ClientAppId: one app, no resource kept
    ['user', APP, GRAPH, undefined], // ClientAppId only in AppAccessContext (top-level one empty), lower-cased
  ]);
  assert.ok(r.events.every((e) => e.action === 'mailbox.access'));
});

test('mailbox audit: AppAccessContext.ClientAppName names the caller only when it is a name for that caller', () => {
  const ctx = (c: Record<string, unknown>) => ({ AppId: '00000003-0000-0000-c000-000000000000', ClientAppId: 'a1', AppAccessContext: c });
  assert.deepEqual(mailboxApps(ctx({ ClientAppId: 'A1', ClientAppName: 'Contoso Mail Helper' })), { appId: 'a1', resourceAppId: '00000003-0000-0000-c000-000000000000', appName: 'Contoso Mail Helper' });
  assert.equal(mailboxApps(ctx({ ClientAppId: 'a1', ClientAppName: 'A1' })).appName, undefined, 'the id repeated is no name');
  assert.equal(mailboxApps(ctx({ ClientAppId: 'b2', ClientAppName: 'Other' })).appName, undefined, 'names another app');
  assert.deepEqual(mailboxApps({}), {});
});

test('alerts become security.alert events; broken times are quarantined with the reason', async () => {
  const r = await decode('mgmt-alerts-misc.ndjson');
  const alerts = r.events.filter((e) => e.source === 'security.alert');
  assert.deepEqual(alerts.map((e) => e.details?.title), [
    'Suspicious connector activity',
    'Tenant restricted from sending email',
    'User restricted from sending email',
    'Impossible travel activity',
  ]);
  for (const a of alerts) {
    assert.equal(a.action, 'alert');
    assert.equal(a.actor.kind, 'system');
  }
  assert.equal(alerts[0]!.details?.severity, 'High');
  assert.equal(alerts[0]!.details?.category, 'ThreatManagement');
  assert.equal(alerts[0]!.details?.alertId, 'c1d2e3f4-0001-4a00-8000-0000000000aa');
  assert.deepEqual(alerts[2]!.targets, [{ type: 'user', name: 'alex.wilber@contoso.com' }], 'the address, not the entity display name');
  assert.deepEqual(alerts[3]!.details?.ips, ['198.51.100.23', '203.0.113.50'], 'Defender for Cloud Apps ClientIPs');

  assert.equal(r.quarantined.length, 2);
  assert.match(r.quarantined[0]!.reason, /no CreationTime/);
  assert.match(r.quarantined[1]!.reason, /"yesterday" is not a timestamp/);

  const file = one(r, 'FileDownloaded');
  assert.equal(file.time, Date.UTC(2024, 2, 11, 12, 0, 0), 'trailing space in CreationTime');
  assert.equal(file.actor.ip, '198.51.100.23', '::ffff: mapped');
  const teams = one(r, 'MessageSent');
  assert.equal(teams.actor.ip, undefined);
  assert.equal(teams.details?.clientIpRaw, 'teams.client.local:4431', 'a hostname is kept, not passed off as an IP');
});

test('IP forms in ClientIP (the Elastic test vectors, re-created)', () => {
  const cases: [string, string | undefined, number | undefined][] = [
    ['198.51.100.7', '198.51.100.7', undefined],
    ['198.51.100.7:12345', '198.51.100.7', 12345],
    ['[198.51.100.7]:12345', '198.51.100.7', 12345],
    ['[198.51.100.7]', '198.51.100.7', undefined],
    ['::ffff:198.51.100.7', '198.51.100.7', undefined],
    ['[::ffff:198.51.100.7]:12345', '198.51.100.7', 12345],
    ['2001:db8::abcd', '2001:db8::abcd', undefined],
    ['[2001:db8::abcd]', '2001:db8::abcd', undefined],
    ['[2001:db8::abcd]:12345', '2001:db8::abcd', 12345],
    ['localhost:12345', undefined, undefined],
    ['<null>', undefined, undefined],
    ['', undefined, undefined],
  ];
  for (const [raw, ip, port] of cases) {
    const rec = { CreationTime: '2024-03-11T12:00:00', Id: 'x', RecordType: 6, Operation: 'FileAccessed', ClientIP: raw };
    const res = managementApi.decode({ value: rec, text: JSON.stringify(rec), file: 't', container: 'json' }, {});
    assert.equal(res.kind, 'events');
    const e = (res as { events: Event[] }).events[0]!;
    assert.equal(e.actor.ip, ip, raw);
    assert.equal(e.actor.port, port, raw);
  }
});

test('CSV exports: time from AuditData.CreationTime, never the locale CreationDate; fallback honours --tz / --day-first', async () => {
  const utc = await decode('purview.csv');
  const paris = await decode('purview.csv', { tz: 'Europe/Paris' });
  // rows with CreationTime: the same instant whatever --tz says
  assert.equal(utc.events[0]!.time, Date.UTC(2024, 2, 11, 8, 14, 5));
  assert.equal(paris.events[0]!.time, utc.events[0]!.time);
  assert.equal(utc.events[2]!.time, Date.UTC(2024, 2, 11, 8, 20, 12));
  // the row without CreationTime falls back to CreationDate, in the export's zone, and says so
  const fb = utc.events[3]!;
  assert.equal(fb.time, Date.UTC(2024, 2, 11, 8, 25, 0));
  assert.match(String(fb.details?.timeSource), /CreationDate/);
  assert.equal(paris.events[3]!.time, Date.UTC(2024, 2, 11, 7, 25, 0));
  // a cut AuditData cell is quarantined, not guessed at
  assert.equal(utc.quarantined.length, 1);
  assert.match(utc.quarantined[0]!.reason, /AuditData is not valid JSON/);
  assert.deepEqual(utc.format, ['ual.csv.purview']);

  const ps7 = await decode('powershell7.csv', { dayFirst: true });
  assert.equal(ps7.events[1]!.time, Date.UTC(2024, 2, 11, 9, 25, 0), '11/03/2024 read day-first');
  assert.equal(ps7.events[0]!.time, Date.UTC(2024, 2, 11, 8, 20, 12), 'CreationTime, not CreationDate');
});

test('PowerShell 5.1 CSV (BOM, #TYPE line, all cells quoted) and ConvertTo-Json output decode like the API record', async () => {
  const csv = await decode('powershell51.csv');
  assert.deepEqual(csv.format, ['ual.csv.powershell']);
  assert.equal(csv.events.length, 2);
  assert.equal(csv.quarantined.length, 0);
  const [login, connector] = csv.events;
  assert.equal(login!.time, Date.UTC(2024, 2, 11, 8, 14, 5), 'CreationDate says 9:14 local; CreationTime 8:14 UTC wins');
  assert.equal(connector!.action, 'connector.inbound.create');

  const json = await decode('powershell.json');
  assert.deepEqual(json.format, ['ual.json.powershell']);
  assert.equal(json.events[0]!.id, login!.id);
  assert.equal(json.events[0]!.time, login!.time);
});

test('one record, five carriers: Management API, Purview CSV, Graph auditLogRecord, OfficeActivity agree', async () => {
  const core = (e: Event) => ({ time: e.time, action: e.action, tenant: e.tenant, actor: { kind: e.actor.kind, appId: e.actor.appId, ip: e.actor.ip }, target: e.targets[0]?.name });
  const mgmt = one(await decode('mgmt-exchange.ndjson'), 'New-InboundConnector');
  const purview = one(await decode('purview.csv'), 'New-InboundConnector');
  const graph = one(await decode('graph-auditlogrecords.json'), 'New-InboundConnector');
  const oa = one(await decode('officeactivity.ndjson'), 'New-InboundConnector');
  assert.deepEqual(core(purview), core(mgmt));
  assert.deepEqual(core(graph), core(mgmt));
  assert.deepEqual(core(oa), core(mgmt));
  assert.equal(graph.id, mgmt.id, 'Graph id is the UAL Id, so overlapping exports dedupe');
});

test('Graph auditLogRecord: @odata annotations ignored, createdDateTime only as fallback, crossed userId not used as the UPN', async () => {
  const r = await decode('graph-auditlogrecords.json');
  assert.deepEqual(r.format, ['graph.auditlogrecord']);
  const login = one(r, 'UserLoginFailed');
  assert.equal(login.actor.user, 'alex.wilber@contoso.com');
  assert.equal(login.details?.recordType, 15);
  assert.ok(!Object.keys(login.details ?? {}).some((k) => k.includes('@odata')));
  const fwd = one(r, 'Set-Mailbox');
  assert.equal(fwd.time, Date.UTC(2024, 2, 11, 9, 30, 0));
  assert.match(String(fwd.details?.timeSource), /createdDateTime/);
  assert.equal(fwd.actor.ip, '203.0.113.50', 'clientIp fills a record without ClientIP');
  assert.equal(r.quarantined.length, 1, 'auditData given as broken JSON text');
});

test('OfficeActivity: renamed columns, JSON text columns, tenant from OrganizationId not the workspace TenantId', async () => {
  const r = await decode('officeactivity.ndjson');
  assert.deepEqual(r.format, ['loganalytics.officeactivity']);
  for (const e of r.events) assert.equal(e.tenant, '7f3a2c10-5b6d-4e8f-9a01-2b3c4d5e6f70');
  const read = one(r, 'MailItemsAccessed');
  assert.equal(read.details?.recordType, 50, 'RecordType "50"');
  assert.equal(read.actor.ip, '2001:db8:4:1::25', 'Client_IPAddress');
  assert.equal(read.details?.mailAccessType, 'Bind', 'OperationProperties as JSON text');
  assert.equal(read.details?.itemCount, 1, 'Folders as JSON text');
  assert.equal(one(r, 'New-InboundConnector').details?.externalAccess, false, 'ExternalAccess "False"');
  assert.equal(one(r, 'New-InboxRule').time, Date.UTC(2024, 2, 11, 9, 35, 12, 345));
  assert.match(r.quarantined[0]!.reason, /TimeGenerated/);

  const csv = await decode('officeactivity-portal.csv');
  assert.deepEqual(csv.format, ['loganalytics.officeactivity.csv']);
  assert.equal(csv.events[0]!.time, Date.UTC(2024, 2, 11, 9, 27, 13));
  assert.equal(csv.events[0]!.action, 'transportrule.create');
  assert.equal(csv.events[1]!.action, 'mailbox.forwarding.set');

  const local = await decode('officeactivity-localtime.csv');
  assert.equal(local.events.length, 0);
  assert.match(local.quarantined[0]!.reason, /local time zone.*--tz/);
  const localTz = await decode('officeactivity-localtime.csv', { tz: '+02:00' });
  assert.equal(localTz.events[0]!.time, Date.UTC(2024, 2, 11, 7, 27, 13));
});

test('flattened AuditData-only CSV: PowerShell type names are dropped, not read as values', async () => {
  const r = await decode('flat.csv');
  assert.deepEqual(r.format, ['ual.csv.flat']);
  const e = r.events[0]!;
  assert.equal(e.action, 'signin');
  assert.equal(e.outcome, 'failure');
  assert.equal(e.reason?.code, '50126');
  assert.equal(e.actor.userAgent, undefined);
});

test('matchers pick the right carrier', () => {
  const mgmtRec = { CreationTime: '2024-03-11T08:00:00', Id: 'a', Operation: 'UserLoggedIn', RecordType: 15 };
  const graphRec = { id: 'a', createdDateTime: '2024-03-11T08:00:00Z', auditLogRecordType: 'exchangeAdmin', operation: 'x', auditData: {} };
  const psRec = { CreationDate: '/Date(1)/', UserIds: 'a', Operations: 'b', AuditData: '{}' };
  const oaRec = { TimeGenerated: '2024-03-11T08:00:00Z', OfficeWorkload: 'Exchange', Operation: 'x', Type: 'OfficeActivity' };
  assert.ok(managementApi.matchRecord!(mgmtRec));
  assert.ok(!managementApi.matchRecord!(graphRec) && !managementApi.matchRecord!(oaRec) && !managementApi.matchRecord!(psRec));
  assert.ok(graphAuditLogRecord.matchRecord!(graphRec) && !graphAuditLogRecord.matchRecord!(mgmtRec));
  assert.ok(powershellUalJson.matchRecord!(psRec) && !powershellUalJson.matchRecord!(graphRec));
  assert.ok(officeActivityJson.matchRecord!(oaRec) && !officeActivityJson.matchRecord!(mgmtRec));

  const purview = ['RecordId', 'CreationDate', 'RecordType', 'Operation', 'UserId', 'AuditData', 'AssociatedAdminUnits', 'AssociatedAdminUnitsNames'];
  const ps = ['RunspaceId', 'RecordType', 'CreationDate', 'UserIds', 'Operations', 'AuditData', 'ResultIndex', 'ResultCount', 'Identity', 'IsValid', 'ObjectState'];
  const legacy = ['CreationDate', 'UserIds', 'Operations', 'AuditData'];
  const oa = ['TenantId', 'TimeGenerated [UTC]', 'OfficeWorkload', 'Operation'];
  const flat = ['CreationTime', 'Id', 'Operation', 'OrganizationId', 'RecordType', 'UserId'];
  assert.ok(purviewCsv.matchHeader!(purview) && !purviewCsv.matchHeader!(ps) && !purviewCsv.matchHeader!(legacy));
  assert.ok(powershellCsv.matchHeader!(ps) && powershellCsv.matchHeader!(legacy));
  assert.ok(officeActivityCsv.matchHeader!(oa) && !officeActivityCsv.matchHeader!(purview));
  assert.ok(flatCsv.matchHeader!(flat) && !flatCsv.matchHeader!(purview) && !flatCsv.matchHeader!(oa));
});

test('decode never throws on hostile shapes', () => {
  const weird: Record<string, unknown>[] = [
    { CreationTime: '2024-03-11T08:00:00', RecordType: 1, Operation: 'New-InboundConnector', Parameters: 'not json', UserId: 42 },
    { CreationTime: '2024-03-11T08:00:00', RecordType: 8, Operation: 'Add member to role.', Actor: 'x', Target: [null, 1, { ID: 5 }], ModifiedProperties: '[{' },
    { CreationTime: '2024-03-11T08:00:00', RecordType: 15, Operation: 'UserLoginFailed', ExtendedProperties: { a: 1 }, DeviceProperties: [1, 2] },
    { CreationTime: '2024-03-11T08:00:00', RecordType: 40, Operation: 'AlertTriggered', Data: '{"f3u":7}' },
    { CreationTime: '2024-03-11T08:00:00', RecordType: 2, Operation: 'UpdateInboxRules', OperationProperties: [{ Name: 'RuleActions', Value: '[1,"x",{"ActionType":7}]' }] },
  ];
  for (const v of weird) {
    const rec: RawRecord = { value: v, text: JSON.stringify(v), file: 't', container: 'json' };
    const res = managementApi.decode(rec, {});
    assert.equal(res.kind, 'events', JSON.stringify(v));
  }
});

test('record and user type names', () => {
  assert.equal(recordTypeNumber('ExchangeItemAggregated'), 50);
  assert.equal(recordTypeNumber('azureActiveDirectoryStsLogon'), 15);
  assert.equal(recordTypeNumber('50'), 50);
  assert.equal(recordTypeNumber('Yammer'), 22);
  assert.equal(recordTypeNumber('NoSuchType'), undefined);
  assert.equal(userTypeNumber('Application'), 5);
  assert.equal(userTypeNumber('servicePrincipal'), 6);
  assert.equal(userTypeNumber('3'), 3);
});
