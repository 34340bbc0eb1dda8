// Exchange intents -> unified audit log records:
//   cmdlets -> RecordType 1 ExchangeAdmin (Parameters as [{Name, Value}] with every Value a string)
//   mailbox -> RecordType 50 ExchangeItemAggregated (MailItemsAccessed) / RecordType 2 ExchangeItem (UpdateInboxRules)
// Shapes after the SEKOIA o365 records (inbox_rule.json, exchange_item_aggregated.json, operation_properties_01.json)
// and the Management Activity API schema's Exchange Admin / Exchange Mailbox tables.
import { ualTime } from '../clock.js';
import type { CmdletIntent, MailboxIntent } from '../model.js';
import { hash32, rngFor } from '../rng.js';

type Obj = Record<string, unknown>;

const serverName = (prefix: string, key: string) => `${prefix}${1000 + (hash32(prefix, key) % 8999)} (15.20.${7000 + (hash32(key, 'v') % 900)}.0${10 + (hash32(key, 'b') % 89)})`;

export function ualCmdlet(c: CmdletIntent, puidOf: (userId: string) => string): Obj {
  let userId: string;
  let userKey: string;
  if (c.by.user) {
    userId = c.by.user.upn;
    userKey = puidOf(c.by.user.id);
  } else if (c.by.app) {
    // App-only Exchange PowerShell: the service principal is the actor (assumption, see docs/simulate.md).
    userId = c.by.app.spId;
    userKey = c.by.app.spId;
  } else {
    userId = c.by.system ?? 'NT AUTHORITY\\SYSTEM (Microsoft.Exchange.ServiceHost)';
    userKey = 'NT AUTHORITY\\SYSTEM (Microsoft.Exchange.ServiceHost)';
  }
  const rec: Obj = {
    CreationTime: ualTime(c.time),
    Id: c.id,
    Operation: c.cmdlet,
    OrganizationId: c.tenantId,
    RecordType: 1,
    ResultStatus: c.succeeded ? 'True' : 'False',
    UserKey: userKey,
    UserType: c.userType,
    Version: 1,
    Workload: 'Exchange',
  };
  if (c.ip !== undefined) rec.ClientIP = c.ip;
  rec.ObjectId = c.objectId;
  rec.UserId = userId;
  if (c.by.app) {
    rec.AppId = c.by.app.appId;
    rec.ClientAppId = c.by.app.appId;
  } else if (c.by.user) {
    rec.AppId = 'fb78d390-0c51-40cd-8e17-fdbfab77341b';
    rec.ClientAppId = '';
  }
  rec.ExternalAccess = c.externalAccess;
  rec.OrganizationName = c.orgName;
  rec.OriginatingServer = serverName(c.server, c.id);
  rec.Parameters = c.params.map(([Name, Value]) => ({ Name, Value }));
  if (c.sessionId) rec.SessionId = c.sessionId;
  if (c.tokenId) {
    rec.AppAccessContext = {
      IssuedAtTime: ualTime(c.tokenIssuedAt ?? c.time),
      UniqueTokenId: c.tokenId,
      ...(c.by.app ? { ClientAppId: c.by.app.appId, ClientAppName: c.by.app.name } : {}),
    };
  }
  if (c.by.app) {
    rec.TokenObjectId = c.by.app.spId;
    rec.TokenTenantId = c.tenantId;
  }
  return rec;
}

const sid = (key: string) => `S-1-5-21-${hash32(key, 'a') % 4000000000}-${hash32(key, 'b') % 4000000000}-${hash32(key, 'c') % 4000000000}-${1000 + (hash32(key, 'd') % 90000)}`;

export function ualMailbox(m: MailboxIntent, puidOf: (userId: string) => string): Obj {
  const r = rngFor(hash32(m.id), 'mbx');
  const rec: Obj = {};
  if (m.tokenId || m.sessionId) {
    const ctx: Obj = {};
    if (m.sessionId) ctx.AADSessionId = m.sessionId;
    if (m.clientAppId) ctx.ClientAppId = m.clientAppId;
    if (m.tokenIssuedAt) ctx.IssuedAtTime = ualTime(m.tokenIssuedAt);
    if (m.tokenId) ctx.UniqueTokenId = m.tokenId;
    rec.AppAccessContext = ctx;
  }
  Object.assign(rec, {
    CreationTime: ualTime(m.time),
    Id: m.id,
    Operation: m.operation,
    OrganizationId: m.tenantId,
    RecordType: m.recordType,
    ResultStatus: 'Succeeded',
    UserKey: m.userType === 5 ? m.actorUpn : puidOf(m.owner.id),
    UserType: m.userType,
    Version: 1,
    Workload: 'Exchange',
    ClientIP: m.ip,
    UserId: m.actorUpn,
  });
  if (m.appId) rec.AppId = m.appId;
  if (m.clientAppId) rec.ClientAppId = m.clientAppId;
  Object.assign(rec, {
    ClientIPAddress: m.ip,
    ClientInfoString: m.clientInfo,
    ExternalAccess: false,
    InternalLogonType: 0,
    LogonType: m.logonType,
    LogonUserSid: sid(m.actorUpn),
    MailboxGuid: rngFor(hash32(m.owner.id), 'mbxguid').uuid(),
    MailboxOwnerSid: sid(m.owner.upn),
    MailboxOwnerUPN: m.owner.upn,
    OperationProperties: m.opProps.map(([Name, Value]) => (Value === undefined ? { Name } : { Name, Value })),
    OrganizationName: m.orgName,
    OriginatingServer: `${serverName('AM0PR07MB', m.id)}\r\n`,
  });
  if (m.sessionId) rec.SessionId = m.sessionId;
  if (m.folders) {
    rec.Folders = m.folders.map((f) => ({
      FolderItems: Array.from({ length: f.items }, () => ({
        InternetMessageId: `<${r.alnum(28)}@${r.alnum(13)}.eurprd07.prod.outlook.com>`,
        SizeInBytes: r.int(2000, 250000),
      })),
      Id: `LgAAAAB${r.b64url(40)}`,
      Path: f.path,
    }));
    rec.OperationCount = m.folders.reduce((n, f) => n + f.items, 0);
  }
  return rec;
}
