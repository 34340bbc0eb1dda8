// What the mailbox-access rules (TW-MAIL-005, TW-MAIL-006) read from a UAL MailItemsAccessed Event: whose mailbox,
// which app, from where. The UAL decoder maps MailItemsAccessed (RecordType 50, ExchangeItemAggregated) to the
// action 'mailbox.access', the mailbox to a 'mailbox' target (MailboxOwnerUPN / MailboxGuid), the calling app
// (ClientAppId, else AppAccessContext.ClientAppId, else AppId) to actor.appId, an AppId naming another app (the
// service read through: Microsoft Graph, Exchange Online) to details.resourceAppId, and ClientIP (else
// ClientIPAddress) to actor.ip; no record carries an ASN or a place.
import type { Event } from '../../core/event.js';

/** The mailbox read: its owner's UPN (lower-case), else its GUID. */
export function mailboxOf(ev: Event): string | undefined {
  const t = ev.targets.find((x) => x.type === 'mailbox');
  return t?.name?.toLowerCase() ?? t?.id;
}

/** The app that read (lower-case app id), when the record names one. */
export function readerAppOf(ev: Event): string | undefined {
  return ev.actor.appId?.toLowerCase();
}

/** Items the record lists as read (Bind) or folders synced, for explanations. */
export function itemsRead(ev: Event): number | undefined {
  const n = ev.details?.itemCount ?? ev.details?.operationCount;
  return typeof n === 'number' ? n : undefined;
}

/** The service the app read through (the record's AppId when it names another app than the caller: Graph, EWS). */
export function viaAppOf(ev: Event): string | undefined {
  const v = ev.details?.resourceAppId;
  return typeof v === 'string' ? v : undefined;
}
