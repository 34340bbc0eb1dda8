// Which facts a record carries, so `inspect` and the detection coverage report can say what a file can feed.
import type { Event, Fact } from '../core/event.js';

export function factsOf(e: Event, add: (f: Fact) => void): void {
  switch (e.source) {
    case 'entra.signin': add('signin.interactive'); break;
    case 'entra.signin.noninteractive': add('signin.noninteractive'); break;
    case 'entra.signin.serviceprincipal': add('signin.serviceprincipal'); break;
    case 'entra.signin.managedidentity': add('signin.managedidentity'); break;
    case 'entra.audit': add('directory.audit'); break;
    case 'exchange.messagetrace': add('messagetrace'); break;
    case 'security.alert': add('alerts'); break;
    case 'entra.risk': add('risk'); break;
    case 'ual':
      if (e.action === 'signin') add('signin.interactive');
      else if (e.action.startsWith('inboxrule.') || e.action === 'mailbox.forwarding.set') { add('mailbox.rules'); add('exchange.admin'); }
      else if (e.action.startsWith('connector.') || e.action.startsWith('transportrule.') || e.action === 'exchange.admin' || e.action === 'mailbox.permission.add') add('exchange.admin');
      else if (e.action === 'mailbox.access') add('mailbox.access');
      else if (e.details?.workload === 'AzureActiveDirectory' || isDirectoryAction(e.action)) add('directory.audit');
      break;
  }
  if (e.action === 'signin' && e.outcome === 'failure') add('signin.failures');
  if (e.auth?.requirement !== undefined || (e.auth?.mfa !== undefined && e.auth.mfa !== 'unknown')) add('mfa.detail');
  if (e.auth?.ca !== undefined) add('ca.status');
  if (e.actor.geo?.from === 'record' && e.actor.geo.lat !== undefined) add('location');
  if (e.actor.ip) add('ip');
  if (e.actor.asn !== undefined) add('asn');
  if (e.risk?.level !== undefined || e.risk?.types?.length) add('risk');
  if (e.session?.id) add('session.id');
  if (e.session?.tokenId) add('token.id');
  if (e.actor.userAgent) add('useragent');
}

function isDirectoryAction(a: string): boolean {
  return /^(app|sp|consent|delegated|approle|role|user|group|domain|policy)\b/.test(a);
}
