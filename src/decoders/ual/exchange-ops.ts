// Exchange admin cmdlet names (UAL RecordType 1 "Operation") -> Action. The takeover chain shows up as
// connector and transport-rule cmdlets, inbox rules and mailbox forwarding / permission changes.
import type { Action } from '../../core/event.js';
import { opKey } from '../../core/text.js';

const VERB_ACTION: Readonly<Record<string, 'create' | 'update' | 'remove' | 'enable' | 'disable'>> = {
  new: 'create',
  set: 'update',
  remove: 'remove',
  enable: 'enable',
  disable: 'disable',
};

// Set-Mailbox parameters that send a mailbox's mail elsewhere.
export const FORWARDING_PARAMS = ['ForwardingSmtpAddress', 'ForwardingAddress', 'DeliverToMailboxAndForward'];

/** The Action for an Exchange cmdlet; `params` (the cmdlet's Parameters as a map) refines Set-Mailbox. */
export function cmdletAction(op: string, params: Record<string, unknown>): Action {
  const k = opKey(op);
  const m = /^(new|set|remove|enable|disable)-(.+)$/.exec(k);
  if (m) {
    const verb = VERB_ACTION[m[1]!]!;
    const noun = m[2]!;
    if (noun === 'inboundconnector' || noun === 'outboundconnector') {
      const dir = noun === 'inboundconnector' ? 'inbound' : 'outbound';
      if (verb === 'create' || verb === 'update' || verb === 'remove') return `connector.${dir}.${verb}`;
      return `connector.${dir}.update`;
    }
    if (noun === 'transportrule') return `transportrule.${verb}`;
    if (noun === 'inboxrule') {
      if (verb === 'create' || verb === 'remove') return `inboxrule.${verb}`;
      return 'inboxrule.update'; // Set-, Enable-, Disable-InboxRule
    }
    if (noun === 'mailbox' && verb === 'update' && FORWARDING_PARAMS.some((p) => hasParam(params, p))) return 'mailbox.forwarding.set';
  }
  // Mailbox delegation: full access, send-as, folder access all hand another principal the mailbox.
  if (k === 'add-mailboxpermission' || k === 'add-recipientpermission' || k === 'add-mailboxfolderpermission') return 'mailbox.permission.add';
  return 'exchange.admin';
}

export function hasParam(params: Record<string, unknown>, name: string): boolean {
  const l = name.toLowerCase();
  return Object.keys(params).some((k) => k.toLowerCase() === l);
}

export function param(params: Record<string, unknown>, name: string): unknown {
  const l = name.toLowerCase();
  for (const [k, v] of Object.entries(params)) if (k.toLowerCase() === l) return v;
  return undefined;
}

/** Looks like a cmdlet name ("New-InboundConnector"), so a record without RecordType can still be routed. */
export const isCmdletName = (op: string): boolean => /^[A-Za-z]+-[A-Za-z0-9]+$/.test(op.trim());
