// Microsoft's own alerts carried in the unified audit log: SecurityComplianceAlerts (RecordType 40:
// AlertTriggered / AlertEntityGenerated / AlertUpdated; "Suspicious connector activity", "Tenant restricted from
// sending email", "User restricted from sending email", ...) and Defender for Cloud Apps alerts (RecordType 98).
import type { Event, Target } from '../../core/event.js';
import { cleanIp } from '../../core/ip.js';
import { isObject, maybeJson } from '../../core/json.js';
import { strOrUndef } from '../../core/text.js';
import { compact, field, str, upnOrUndef, type Rec } from './fields.js';

export function decodeAlert(r: Rec, ev: Event, recordType: number | undefined): void {
  ev.source = 'security.alert';
  ev.action = 'alert';
  ev.actor = { kind: 'system', ...(ev.actor.ip ? { ip: ev.actor.ip } : {}) };
  const targets: Target[] = [];

  if (recordType === 98) {
    // MCAS: the UserId is the user the alert is about
    const user = str(r, 'UserId');
    if (user) targets.push({ type: 'user', name: upnOrUndef(user) ?? user });
    Object.assign(ev.details!, compact({
      title: str(r, 'AlertDisplayName'),
      severity: str(r, 'AlertSeverity'),
      category: str(r, 'AlertCategory'),
      alertId: str(r, 'ObjectId'),
      description: str(r, 'AlertDescription'),
      status: str(r, 'ResultStatus'),
      alertSource: 'Microsoft Defender for Cloud Apps',
    }));
    // the addresses the alert is about (an impossible-travel pair): entities that link it to other alerts
    const ips = [...new Set((Array.isArray(r.ClientIPs) ? r.ClientIPs : []).map((x) => cleanIp(x)?.ip).filter((x): x is string => !!x))];
    if (ips.length) ev.details!.ips = ips;
    ev.targets = targets;
    return;
  }

  const data = maybeJson(field(r, 'Data'));
  const d = isObject(data) ? data : undefined;
  const entityType = str(r, 'EntityType');
  const entityId = str(r, 'AlertEntityId');
  if (entityType && /^user$/i.test(entityType)) {
    // AlertEntityId is sometimes a display name ("BIURO") while ObjectId / Data.eid hold the address
    const name = upnOrUndef(entityId) ?? upnOrUndef(str(r, 'ObjectId')) ?? upnOrUndef(d?.eid) ?? entityId;
    if (name) targets.push({ type: 'user', name });
  }
  // Data.f3u: the user the alert is about
  const f3u = upnOrUndef(d?.f3u);
  if (f3u && !targets.some((t) => t.name === f3u)) targets.push({ type: 'user', name: f3u });

  Object.assign(ev.details!, compact({
    title: str(r, 'Name') ?? strOrUndef(d?.an),
    severity: str(r, 'Severity') ?? strOrUndef(d?.sev),
    category: str(r, 'Category'),
    alertId: str(r, 'AlertId')?.toLowerCase(),
    status: str(r, 'Status'),
    alertSource: str(r, 'Source'),
    alertType: str(r, 'AlertType'),
    policyId: str(r, 'PolicyId')?.toLowerCase(),
    entity: entityType || entityId ? compact({ type: entityType, id: entityId }) : undefined,
    description: strOrUndef(d?.ad),
  }));
  ev.targets = targets;
}
