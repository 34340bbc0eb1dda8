// One UAL record (the Management Activity API object, the AuditData of a CSV row or Graph auditLogRecord, or an
// OfficeActivity row mapped back to UAL names) -> one Event. Common fields here; workloads in aad.ts, exchange.ts,
// alerts.ts. Every UAL flavour goes through normalizeUal so one record decodes the same from any export.
import type { Actor, ActorKind, Event } from '../../core/event.js';
import { stableId } from '../../core/ids.js';
import { parseTime } from '../../core/time.js';
import { normalizeOperation, opKey } from '../../core/text.js';
import { events, quarantine, type DecodeResult, type RawRecord } from '../types.js';
import { decodeDirectory, decodeSignin, SIGNIN_OPS } from './aad.js';
import { decodeAlert } from './alerts.js';
import { decodeExchangeAdmin, decodeMailbox } from './exchange.js';
import { isCmdletName } from './exchange-ops.js';
import { compact, field, isGuid, isUpn, pickIp, resultOutcome, str, type Rec } from './fields.js';
import { recordTypeName, recordTypeNumber, RT, USER_TYPE_NAMES, userTypeNumber } from './record-types.js';

export interface UalSource {
  rec: RawRecord;
  format: string;
  /** the wrapper's time, for a record without CreationTime: CSV CreationDate (locale, --tz), Graph createdDateTime */
  fallbackTime?: { ms: number; from: string };
}

// Service identities that are the platform acting, not a person or a tenant app.
const SYSTEM_USER = /^(NT AUTHORITY\\|SecurityComplianceAlerts$|S-1-5-18$)/i;
const EXCHANGE_MAILBOX_TYPES = new Set<number>([RT.ExchangeItem, RT.ExchangeItemGroup, RT.ExchangeItemAggregated, 19]);

/** Never throws: a record that can't be used becomes a quarantine with the reason. */
export function normalizeUal(r: Rec, src: UalSource): DecodeResult {
  try {
    return build(r, src);
  } catch (e) {
    return quarantine(`UAL record could not be decoded (${(e as Error).message}); this is a tenantwatch bug, please report it with the record`);
  }
}

function build(r: Rec, src: UalSource): DecodeResult {
  const created = field(r, 'CreationTime');
  // CreationTime is UTC without a zone: never apply --tz to it
  let time = parseTime(created);
  const details: Record<string, unknown> = {};
  if (time === undefined) {
    if (!src.fallbackTime) {
      return quarantine(
        created === undefined || created === null || created === ''
          ? 'UAL record has no CreationTime, so its event time is unknown; the record is incomplete: export whole records (in CSV exports, the AuditData column)'
          : `UAL CreationTime ${JSON.stringify(String(created).slice(0, 40))} is not a timestamp; the record is damaged or not a UAL record`,
      );
    }
    time = src.fallbackTime.ms;
    details.timeSource = src.fallbackTime.from;
  }

  const operation = normalizeOperation(field(r, 'Operation'));
  const recordType = recordTypeNumber(field(r, 'RecordType'));
  const workload = str(r, 'Workload');
  const userType = userTypeNumber(field(r, 'UserType'));
  Object.assign(details, compact({
    recordType,
    recordTypeName: recordTypeName(recordType) ?? (recordType === undefined ? str(r, 'RecordType') : undefined),
    workload,
    userType: userType === undefined ? str(r, 'UserType') : USER_TYPE_NAMES[userType] ?? String(userType),
    resultStatus: str(r, 'ResultStatus'),
    objectId: str(r, 'ObjectId'),
  }));

  const ev: Event = {
    id: str(r, 'Id') ?? stableId(src.format, src.rec.text),
    time,
    tenant: str(r, 'OrganizationId')?.toLowerCase() ?? 'unknown',
    source: 'ual',
    action: 'other',
    operation,
    outcome: resultOutcome(field(r, 'ResultStatus')),
    actor: baseActor(r, userType),
    targets: [],
    details,
    raw: compact({ file: src.rec.file, line: src.rec.line, offset: src.rec.offset, format: src.format, text: src.rec.text }),
  };

  // ClientIP (common schema) first: for mailbox records ClientIPAddress can be a Microsoft front end
  const ip = pickIp(r, ['ClientIP', 'ClientIPAddress', 'ActorIpAddress', 'ActorIP']);
  if (ip.ip) ev.actor.ip = ip.ip;
  if (ip.port !== undefined) ev.actor.port = ip.port;
  if (ip.unparsed) details.clientIpRaw = ip.unparsed; // a hostname or other non-IP, kept for the analyst
  const ua = str(r, 'UserAgent'); // SharePoint / OneDrive / Teams records; AAD ones carry it in ExtendedProperties
  if (ua) ev.actor.userAgent = ua;

  const op = opKey(operation);
  const isAad = recordType === RT.AzureActiveDirectory || (recordType === undefined && workload === 'AzureActiveDirectory');
  if (recordType === RT.SecurityComplianceAlerts || recordType === RT.MCASAlerts) decodeAlert(r, ev, recordType);
  else if (recordType === RT.AzureActiveDirectoryStsLogon || recordType === RT.AzureActiveDirectoryAccountLogon || SIGNIN_OPS.has(op)) decodeSignin(r, ev);
  else if (isAad) decodeDirectory(r, ev);
  else if (
    recordType === RT.ExchangeAdmin ||
    recordType === RT.SecurityComplianceCenterEOPCmdlet ||
    (recordType === undefined && workload === 'Exchange' && isCmdletName(operation) && field(r, 'Parameters') !== undefined)
  )
    decodeExchangeAdmin(r, ev);
  else if ((recordType !== undefined && EXCHANGE_MAILBOX_TYPES.has(recordType)) || (recordType === undefined && workload === 'Exchange') || op === 'updateinboxrules')
    decodeMailbox(r, ev);

  // ObjectId already shown as a target or the sign-in resource adds nothing
  const objectId = details.objectId;
  if (objectId !== undefined && (ev.targets.some((t) => t.id === objectId || t.name === String(objectId).toLowerCase()) || ev.auth?.resourceId === String(objectId).toLowerCase() || details.alertId === String(objectId).toLowerCase() || details.alertId === objectId))
    delete details.objectId;
  compact(ev.actor);
  if (ev.details && Object.keys(ev.details).length === 0) delete ev.details;
  return events(ev);
}

/** The actor from the common schema fields (UserId, UserType, UserKey, AppId). */
function baseActor(r: Rec, userType: number | undefined): Actor {
  const uid = str(r, 'UserId');
  const appId = str(r, 'AppId') ?? str(r, 'ClientAppId');
  let kind: ActorKind = 'unknown';
  if (uid && SYSTEM_USER.test(uid)) kind = 'system';
  else if (userType === 5 || userType === 6 || (uid && /^ServicePrincipal_/i.test(uid))) kind = 'app';
  else if (userType === 3 || userType === 4) kind = 'system'; // DcAdmin / System: datacenter and service accounts
  else if (uid) kind = 'user';

  const a: Actor = { kind };
  if (uid) {
    const sp = /^ServicePrincipal_(.+)$/i.exec(uid);
    if (isUpn(uid)) a.user = uid.toLowerCase();
    else if (sp) a.spId = sp[1]!.toLowerCase();
    else if (isGuid(uid)) {
      if (kind === 'app') {
        if (uid.toLowerCase() !== appId?.toLowerCase()) a.spId = uid.toLowerCase();
      } else a.userId = uid.toLowerCase();
    } else a.displayName = uid;
  }
  // the user's object id: a GUID UserKey (STS logons, Graph audit log query)
  const key = str(r, 'UserKey');
  if (kind === 'user' && !a.userId && key && isGuid(key)) a.userId = key.toLowerCase();
  if (kind === 'app' && appId) a.appId = appId.toLowerCase();
  return a;
}
