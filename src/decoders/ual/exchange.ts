// Audit.Exchange: admin cmdlets (RecordType 1; 18 for EOP cmdlets in the Defender portal) and mailbox audit
// records (2 ExchangeItem, 3 ExchangeItemGroup, 50 ExchangeItemAggregated = MailItemsAccessed,
// UpdateInboxRules from Outlook clients).
import type { Event, Target } from '../../core/event.js';
import { isGuidIdentity, sessionIdOf } from '../../core/ids.js';
import { cleanIp } from '../../core/ip.js';
import { isObject, maybeJson, nameValueMap } from '../../core/json.js';
import { boolOrUndef, numOrUndef, opKey, strOrUndef } from '../../core/text.js';
import { addresses, arr, bool, compact, field, isFirstPartyAppId, isGuid, isUpn, nvMap, nvStr, obj, str, upnOrUndef, type Rec } from './fields.js';
import { cmdletAction, param } from './exchange-ops.js';
import { decodeModifiedProperties } from '../shared/entra-audit-ops.js';
import { parseClientInfo } from './client-info.js';

/** Parameters as a map; also the odd string forms (JSON text, or "-Name x -Enabled True" in EOP records). */
function readParameters(r: Rec): { params: Record<string, unknown>; text?: string } {
  const v = maybeJson(field(r, 'Parameters'));
  if (Array.isArray(v)) return { params: nameValueMap(v) };
  if (isObject(v)) return { params: v };
  const text = strOrUndef(v);
  return text ? { params: {}, text } : { params: {} };
}

const pstr = (params: Record<string, unknown>, name: string): string | undefined => {
  const v = param(params, name);
  return strOrUndef(Array.isArray(v) ? v.join(';') : v);
};

/** "…/Hosted Organizations/<org>/<mailbox guid>\<rule name>" -> {mailbox, rule}. */
function splitRuleObjectId(objectId: string | undefined): { mailbox?: string; rule?: string } {
  if (!objectId) return {};
  const bs = objectId.lastIndexOf('\\');
  if (bs < 0) return {};
  const left = objectId.slice(0, bs);
  const mailbox = left.slice(left.lastIndexOf('/') + 1);
  return compact({ mailbox: mailbox || undefined, rule: objectId.slice(bs + 1) || undefined });
}

/** Exchange admin cmdlet. */
export function decodeExchangeAdmin(r: Rec, ev: Event): void {
  const { params, text } = readParameters(r);
  ev.action = cmdletAction(ev.operation, params);
  const objectId = str(r, 'ObjectId');
  const resolved = str(r, 'ModifiedObjectResolvedName');
  const a = ev.actor;

  // An app that ran the cmdlet (Exchange.ManageAsApp): an app id that isn't Exchange's own and no person's UPN.
  const appId = str(r, 'AppId') ?? str(r, 'ClientAppId');
  if (appId && !isFirstPartyAppId(appId) && !a.user && a.kind !== 'system') {
    a.kind = 'app';
    if (a.displayName && !isGuid(a.displayName)) a.appName ??= a.displayName;
  }

  // -Identity may be the object's GUID while the record's ObjectId keeps its name (Remove-TransportRule -Identity
  // <guid>): the name is what joins a change or removal to the creation, so a named form wins over a GUID
  const identity = pstr(params, 'Identity');
  const named = (x: string | undefined) => (x && !isGuidIdentity(x) ? x : undefined);
  const name = pstr(params, 'Name') ?? named(identity) ?? named(resolved) ?? named(objectId) ?? identity;
  const targets: Target[] = [];
  const op = opKey(ev.operation);
  if (ev.action.startsWith('connector.')) {
    targets.push(compact({ type: 'connector' as const, name: name ?? resolved ?? objectId, id: objectId }));
  } else if (ev.action.startsWith('transportrule.')) {
    targets.push(compact({ type: 'transportRule' as const, name: name ?? resolved ?? objectId, id: objectId }));
  } else if (ev.action.startsWith('inboxrule.')) {
    const fromPath = splitRuleObjectId(objectId);
    const ruleName = pstr(params, 'Name') ?? fromPath.rule ?? lastSegment(pstr(params, 'Identity'));
    targets.push(compact({ type: 'inboxRule' as const, name: ruleName, id: objectId }));
    const mbx = pstr(params, 'Mailbox') ?? mailboxOfIdentity(pstr(params, 'Identity'));
    // without -Mailbox the rule is in the caller's own mailbox
    const mailboxName = upnOrUndef(mbx) ?? mbx ?? a.user;
    const mailboxId = fromPath.mailbox && isGuid(fromPath.mailbox) ? fromPath.mailbox.toLowerCase() : fromPath.mailbox;
    targets.push(compact({ type: 'mailbox' as const, id: mailboxId, name: mailboxName }));
  } else if (ev.action === 'mailbox.forwarding.set' || op === 'set-mailbox') {
    const id = pstr(params, 'Identity') ?? objectId;
    targets.push(compact({ type: 'mailbox' as const, name: upnOrUndef(id) ?? resolved ?? id, id: objectId }));
  } else if (ev.action === 'mailbox.permission.add') {
    const id = pstr(params, 'Identity') ?? objectId;
    targets.push(compact({ type: 'mailbox' as const, name: upnOrUndef(id) ?? resolved ?? id, id: objectId }));
    const grantee = pstr(params, 'User') ?? pstr(params, 'Trustee');
    if (grantee) targets.push(compact({ type: 'user' as const, name: upnOrUndef(grantee) ?? grantee }));
  } else if (objectId || resolved) {
    targets.push(compact({ type: 'other' as const, id: objectId, name: resolved }));
  }
  ev.targets = targets.filter((t) => t.id || t.name);
  // Set-* cmdlets may log old and new values of what they changed
  const modified = decodeModifiedProperties(maybeJson(field(r, 'ModifiedProperties')));
  if (Object.keys(modified).length && ev.targets[0]) ev.targets[0].modified = modified;

  const forwardTo = [
    ...addresses(param(params, 'ForwardTo')),
    ...addresses(param(params, 'RedirectTo')),
    ...addresses(param(params, 'ForwardAsAttachmentTo')),
    ...(ev.action === 'mailbox.forwarding.set' ? [...addresses(param(params, 'ForwardingSmtpAddress')), ...addresses(param(params, 'ForwardingAddress'))] : []),
  ];
  const forwarding = ev.action === 'mailbox.forwarding.set'
    ? compact({
        smtpAddress: pstr(params, 'ForwardingSmtpAddress') ?? (param(params, 'ForwardingSmtpAddress') !== undefined ? '' : undefined),
        address: pstr(params, 'ForwardingAddress') ?? (param(params, 'ForwardingAddress') !== undefined ? '' : undefined),
        deliverToMailboxAndForward: pstr(params, 'DeliverToMailboxAndForward'),
      })
    : undefined;

  Object.assign(ev.details!, compact({
    parameters: Object.keys(params).length ? params : undefined,
    parametersText: text,
    forwardTo: forwardTo.length ? [...new Set(forwardTo)] : undefined,
    forwarding,
    externalAccess: bool(r, 'ExternalAccess'),
    originatingServer: str(r, 'OriginatingServer'),
    organizationName: str(r, 'OrganizationName'),
  }));
  if (appId && !a.appId) a.appId = appId.toLowerCase();
  exchangeSession(r, ev);
}

function lastSegment(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const i = Math.max(s.lastIndexOf('\\'), s.lastIndexOf('/'));
  return i >= 0 ? s.slice(i + 1) || undefined : s;
}

/** "user@contoso.com\RuleName" -> "user@contoso.com". */
function mailboxOfIdentity(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const i = s.lastIndexOf('\\');
  return i > 0 ? s.slice(0, i) : undefined;
}

function exchangeSession(r: Rec, ev: Event): void {
  const ctx = obj(r, 'AppAccessContext');
  const session = compact({
    id: sessionIdOf(ctx?.AADSessionId) ?? sessionIdOf(str(r, 'SessionId')),
    tokenId: strOrUndef(ctx?.UniqueTokenId), // base64url: case-sensitive, kept as written
    correlationId: sessionIdOf(ctx?.CorrelationId),
  });
  if (Object.keys(session).length) ev.session = { ...ev.session, ...session };
}

const LOGON_TYPES: Readonly<Record<number, string>> = {
  0: 'Owner', 1: 'Admin', 2: 'Delegated', 3: 'Transport', 4: 'SystemService', 5: 'BestAccess', 6: 'DelegatedAdmin',
};

/**
 * The apps a mailbox audit record names. `ClientAppId` (also `AppAccessContext.ClientAppId`) is the calling app: "the
 * Entra app that performed the access on behalf of the user" / "original caller" (Management Activity API schema).
 * `AppId` is, for reads through an API, the service the call went through: Microsoft Graph
 * (00000003-0000-0000-c000-000000000000) with the consented app in ClientAppId, as Microsoft's own hunting queries
 * for apps reading mail read them; Exchange Online (00000002-0000-0ff1-ce00-…) for OWA. So the caller is ClientAppId
 * when the record has one, else AppId; an AppId that differs from the caller is kept as the resource app.
 */
export function mailboxApps(r: Rec): { appId?: string; resourceAppId?: string; appName?: string } {
  const appId = str(r, 'AppId')?.toLowerCase();
  const ctx = obj(r, 'AppAccessContext');
  const ctxClient = strOrUndef(ctx?.ClientAppId)?.toLowerCase();
  const client = str(r, 'ClientAppId')?.toLowerCase() ?? ctxClient;
  const caller = client ?? appId;
  // ClientAppName only when it names the caller and is a name (some records repeat the id there)
  const name = strOrUndef(ctx?.ClientAppName);
  const appName = name && (ctxClient === undefined || ctxClient === caller) && name.toLowerCase() !== caller ? name : undefined;
  return compact({ appId: caller, resourceAppId: appId !== caller ? appId : undefined, appName });
}

/** Mailbox audit record: MailItemsAccessed, UpdateInboxRules, Send, MoveToDeletedItems, ... */
export function decodeMailbox(r: Rec, ev: Event): void {
  const op = opKey(ev.operation);
  const a = ev.actor;
  const apps = mailboxApps(r);
  if (apps.appId) {
    a.appId = apps.appId;
    // an app-only read may name the app itself in UserId: that is the app, not a service principal object id
    if (a.spId === apps.appId) delete a.spId;
  }
  if (apps.appName && !a.appName) a.appName = apps.appName;
  const clientInfo = str(r, 'ClientInfoString');
  // the agent has semicolons of its own: everything after the "Client=…;" prefix (client-info.ts)
  const ua = parseClientInfo(clientInfo).userAgent;
  if (ua && !a.userAgent) a.userAgent = ua;

  const ownerRaw = str(r, 'MailboxOwnerUPN');
  const mailbox = compact({ type: 'mailbox' as const, id: str(r, 'MailboxGuid')?.toLowerCase(), name: upnOrUndef(ownerRaw) ?? ownerRaw });
  const targets: Target[] = [];
  const props = nvMap(r, 'OperationProperties');
  const details: Record<string, unknown> = {
    logonType: LOGON_TYPES[numOrUndef(field(r, 'LogonType')) ?? -1] ?? str(r, 'LogonType'),
    externalAccess: bool(r, 'ExternalAccess'),
    clientInfo,
    resourceAppId: apps.resourceAppId,
  };
  // ClientIPAddress when it names another address than the one the actor got (ClientIP wins, see normalize.ts)
  const mailboxIp = cleanIp(str(r, 'ClientIPAddress'))?.ip;
  if (mailboxIp && mailboxIp !== a.ip) details.clientIpAddress = mailboxIp;

  if (op === 'mailitemsaccessed') {
    ev.action = 'mailbox.access';
    const folders = arr(r, 'Folders') ?? [];
    let items = 0;
    const paths: string[] = [];
    for (const f of folders) {
      if (!isObject(f)) continue;
      const fi = f.FolderItems;
      if (Array.isArray(fi)) items += fi.length;
      const p = strOrUndef(f.Path);
      if (p && paths.length < 20) paths.push(p);
    }
    Object.assign(details, compact({
      mailAccessType: nvStr(props, 'MailAccessType'),
      throttled: boolOrUndef(nvStr(props, 'IsThrottled')),
      operationCount: numOrUndef(field(r, 'OperationCount')),
      itemCount: folders.length ? items : undefined,
      folders: paths.length ? paths : undefined,
    }));
  } else if (op === 'updateinboxrules') {
    const ruleOp = nvStr(props, 'RuleOperation');
    ev.action = !ruleOp ? 'inboxrule.update' : /add|create|new/i.test(ruleOp) ? 'inboxrule.create' : /remove|delete/i.test(ruleOp) ? 'inboxrule.remove' : 'inboxrule.update';
    const ruleName = nvStr(props, 'RuleName');
    const ruleId = nvStr(props, 'RuleId');
    targets.push(compact({ type: 'inboxRule' as const, id: ruleId, name: ruleName }));
    const actions = maybeJson(nvStr(props, 'RuleActions'));
    const forwardTo: string[] = [];
    const actionTypes: string[] = [];
    if (Array.isArray(actions)) {
      for (const x of actions) {
        if (!isObject(x)) continue;
        const t = strOrUndef(x.ActionType);
        if (t && !actionTypes.includes(t)) actionTypes.push(t);
        if (t && /forward|redirect/i.test(t)) forwardTo.push(...addresses(x.Recipients));
      }
    }
    Object.assign(details, compact({
      rule: compact({
        operation: ruleOp,
        state: nvStr(props, 'RuleState'),
        condition: nvStr(props, 'RuleCondition'),
        provider: nvStr(props, 'RuleProvider'),
        actions: actions ?? undefined,
        actionTypes: actionTypes.length ? actionTypes : undefined,
      }),
      forwardTo: forwardTo.length ? [...new Set(forwardTo)] : undefined,
    }));
  } else if (Object.keys(props).length) {
    details.operationProperties = props;
  }
  if (mailbox.id || mailbox.name) targets.push(mailbox);
  ev.targets = targets.filter((t) => t.id || t.name);
  Object.assign(ev.details!, compact(details));
  exchangeSession(r, ev);
  // an app reading mail with its own token (UserType 5, no person) is the app acting
  if (a.kind === 'app' && !a.appName && a.displayName && !isUpn(a.displayName)) a.appName = a.displayName;
}
