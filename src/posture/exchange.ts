// Exchange facts from a tenant snapshot that detection can use through enrichment (src/enrich/allowlists.ts
// EnrichmentExtras): the inbound connectors as they are configured, and the tenant's accepted domains. Pure.
import { str } from './kit.js';
import type { Obj, Snapshot } from './snapshot.js';

export interface ExchangeFacts {
  /** Get-InboundConnector objects; absent when the snapshot lacks the file or it failed (unknown, not "none") */
  inboundConnectors?: Obj[];
  /** Get-AcceptedDomain DomainName values, lower-cased; absent when unknown */
  acceptedDomains?: string[];
}

export function exchangeFromSnapshot(snapshot: Snapshot): ExchangeFacts {
  const out: ExchangeFacts = {};
  const connectors = snapshot.exchange('Get-InboundConnector');
  if (connectors.state === 'ok') out.inboundConnectors = connectors.items;
  const domains = snapshot.exchange('Get-AcceptedDomain');
  if (domains.state === 'ok') {
    out.acceptedDomains = [
      ...new Set(domains.items.map((d) => (str(d, 'DomainName') ?? str(d, 'Name'))?.toLowerCase()).filter((d): d is string => !!d)),
    ];
  }
  return out;
}
