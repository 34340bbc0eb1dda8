// Exchange intents: admin cmdlets (UAL ExchangeAdmin), mailbox activity (UAL ExchangeItem/ItemAggregated) and
// messages (message trace). Parameter names follow the cmdlet docs (New-InboundConnector, Set-InboundConnector,
// New-TransportRule) copied in /work/shared/samples/docs-office-docs-powershell; every value is a string as in UAL.
import type { AppActor, CmdletIntent, Decoy, Label, MailboxIntent, MessageIntent, UserRef } from '../model.js';
import { hash32, type Rng } from '../rng.js';
import type { World } from '../world/build.js';

export interface CmdletBy {
  user?: UserRef;
  app?: AppActor;
  system?: string;
}

export interface CmdletOpts {
  ip?: string;
  /** write ClientIP with a port, as Exchange usually does */
  port?: boolean;
  label?: Label;
  decoy?: Decoy;
  sessionId?: string;
  tokenId?: string;
  tokenIssuedAt?: number;
  userType?: number;
  succeeded?: boolean;
  objectId?: string;
}

export function cmdlet(world: World, r: Rng, at: number, by: CmdletBy, name: string, params: [string, string][], opts: CmdletOpts = {}): CmdletIntent {
  const userType = opts.userType ?? (by.app ? 5 : by.system ? 3 : 2);
  const c: CmdletIntent = {
    kind: 'cmdlet',
    id: r.uuid(),
    time: Math.floor(at),
    sub: r.int(0, 9999),
    tenantId: world.tenant.id,
    orgName: world.tenant.initialDomain,
    cmdlet: name,
    params,
    objectId: opts.objectId ?? params.find(([k]) => k === 'Name' || k === 'Identity')?.[1] ?? '',
    by,
    userType,
    succeeded: opts.succeeded ?? true,
    server: world.tenant.server,
    externalAccess: !!by.system,
  };
  if (opts.ip) c.ip = opts.port === false || opts.ip.includes(':') ? opts.ip : `${opts.ip}:${1024 + (hash32(c.id) % 60000)}`;
  if (opts.sessionId) c.sessionId = opts.sessionId;
  if (opts.tokenId) c.tokenId = opts.tokenId;
  if (opts.tokenIssuedAt) c.tokenIssuedAt = opts.tokenIssuedAt;
  if (opts.label) c.label = opts.label;
  if (opts.decoy) c.decoy = opts.decoy;
  return c;
}

/** ObjectId of a mailbox-scoped object: "<region>/Microsoft Exchange Hosted Organizations/<org>/<mailbox>\<name>" */
export function mailboxObjectPath(world: World, owner: UserRef, name: string): string {
  const mbx = world.rng.derive('mailbox', owner.id).uuid();
  return `${world.tenant.region}/Microsoft Exchange Hosted Organizations/${world.tenant.initialDomain}/${mbx}\\${name}`;
}

export interface MailboxOpts {
  label?: Label;
  decoy?: Decoy;
  appId?: string;
  clientAppId?: string;
  tokenId?: string;
  tokenIssuedAt?: number;
  sessionId?: string;
  userType?: number;
  logonType?: number;
  actorUpn?: string;
}

export function mailItemsAccessed(world: World, r: Rng, at: number, owner: UserRef, ip: string, clientInfo: string, folders: { path: string; items: number }[], opts: MailboxOpts = {}): MailboxIntent {
  const m: MailboxIntent = {
    kind: 'mailbox',
    id: r.uuid(),
    time: Math.floor(at),
    sub: r.int(0, 9999),
    tenantId: world.tenant.id,
    orgName: world.tenant.initialDomain,
    operation: 'MailItemsAccessed',
    recordType: 50,
    owner,
    actorUpn: opts.actorUpn ?? owner.upn,
    userType: opts.userType ?? 0,
    ip,
    clientInfo,
    logonType: opts.logonType ?? 0,
    opProps: [
      ['MailAccessType', 'Bind'],
      ['IsThrottled', 'False'],
    ],
    folders,
  };
  if (opts.appId) m.appId = opts.appId;
  if (opts.clientAppId) m.clientAppId = opts.clientAppId;
  if (opts.tokenId) m.tokenId = opts.tokenId;
  if (opts.tokenIssuedAt) m.tokenIssuedAt = opts.tokenIssuedAt;
  if (opts.sessionId) m.sessionId = opts.sessionId;
  if (opts.label) m.label = opts.label;
  if (opts.decoy) m.decoy = opts.decoy;
  return m;
}

/** Outlook desktop's rule edit: UpdateInboxRules with RuleActions as JSON text (SEKOIA operation_properties_01). */
export function updateInboxRules(world: World, r: Rng, at: number, owner: UserRef, ip: string, ruleName: string, actions: unknown[], condition: string, opts: MailboxOpts = {}): MailboxIntent {
  const m: MailboxIntent = {
    kind: 'mailbox',
    id: r.uuid(),
    time: Math.floor(at),
    sub: r.int(0, 9999),
    tenantId: world.tenant.id,
    orgName: world.tenant.initialDomain,
    operation: 'UpdateInboxRules',
    recordType: 2,
    owner,
    actorUpn: opts.actorUpn ?? owner.upn,
    userType: 0,
    ip,
    clientInfo: 'Client=MSExchangeRPC',
    logonType: 0,
    opProps: [
      ['RuleOperation', 'AddMailboxRule'],
      ['RuleId', String(-r.int(100, 99999))],
      ['RuleState', 'Enabled'],
      ['RuleCondition', condition],
      ['RuleName', ruleName],
      ['RuleProvider', 'RuleOrganizer'],
      ['RuleActions', JSON.stringify(actions)],
    ],
  };
  if (opts.sessionId) m.sessionId = opts.sessionId;
  if (opts.label) m.label = opts.label;
  if (opts.decoy) m.decoy = opts.decoy;
  return m;
}

export interface MessageOpts {
  label?: Label;
  decoy?: Decoy;
  size?: number;
  messageId?: string;
}

/** Exchange Online internal message ids look like "<GVAP278MB0375…@GVAP278MB0375.CHEP278.PROD.OUTLOOK.COM>". */
export function exoMessageId(world: World, r: Rng): string {
  const srv = `${world.tenant.server}${r.int(1000, 9999)}`;
  return `<${srv}${r.alnum(24)}@${srv}.${world.tenant.region.split('.')[0]!.slice(0, 7)}.PROD.OUTLOOK.COM>`;
}

export function message(world: World, r: Rng, at: number, sender: string, recipients: { address: string; status?: string; toIp?: string | null }[], subject: string, fromIp: string | null, opts: MessageOpts = {}): MessageIntent {
  const m: MessageIntent = {
    kind: 'message',
    time: Math.floor(at),
    sub: r.int(0, 9999),
    traceId: r.uuid(),
    messageId: opts.messageId ?? exoMessageId(world, r),
    org: world.tenant.primaryDomain,
    sender,
    // one row per distinct recipient, as message trace reports them
    recipients: [...new Map(recipients.map((x) => [x.address.toLowerCase(), { address: x.address, status: x.status ?? 'Delivered', toIp: x.toIp ?? null }])).values()],
    subject,
    fromIp,
    size: opts.size ?? r.int(4_000, 120_000),
  };
  if (opts.label) m.label = opts.label;
  if (opts.decoy) m.decoy = opts.decoy;
  return m;
}
