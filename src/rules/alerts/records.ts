// Builders of RAW Microsoft alert records for the alert rule cases: SecurityComplianceAlerts in the unified audit
// log (RecordType 40: AlertTriggered / AlertEntityGenerated / AlertUpdated, with the Data JSON-in-a-string) and
// Microsoft Graph security alerts_v2 objects with their evidence. Names, ids and addresses are invented.
import { TENANT, guid, iso } from '../records.js';
import type { CaseInput } from '../types.js';

export interface UalAlertOpts {
  at: number;
  name: string;
  severity: string;
  alertId: string;
  operation?: 'AlertTriggered' | 'AlertEntityGenerated' | 'AlertUpdated';
  status?: string;
  /** the user the alert is about (AlertEntityGenerated EntityType User, Data.f3u) */
  user?: string;
  description?: string;
}

/** One SecurityComplianceAlerts record (RecordType 40) as the Management Activity API returns it. */
export function ualAlert(o: UalAlertOpts): Record<string, unknown> {
  const op = o.operation ?? 'AlertTriggered';
  const data: Record<string, unknown> = { ts: iso(o.at - 15 * 60_000), te: iso(o.at), wl: 'Exchange', tid: TENANT, an: o.name, sev: o.severity, ad: o.description ?? `${o.name}.` };
  if (o.user) data.f3u = o.user;
  const rec: Record<string, unknown> = {
    CreationTime: iso(o.at).slice(0, 19),
    Id: guid(`ualalert|${o.alertId}|${op}|${o.at}`),
    Operation: op,
    OrganizationId: TENANT,
    RecordType: 40,
    ResultStatus: 'Succeeded',
    UserKey: 'SecurityComplianceAlerts',
    UserType: 4,
    Version: 1,
    Workload: 'SecurityComplianceCenter',
    ObjectId: o.user && op === 'AlertEntityGenerated' ? o.user : o.alertId,
    UserId: 'SecurityComplianceAlerts',
    AlertId: o.alertId,
    AlertLinks: [],
    AlertType: 'System',
    Category: 'ThreatManagement',
    Comments: op === 'AlertUpdated' ? 'Status changed' : 'New alert',
    Data: JSON.stringify(data),
    Name: o.name,
    PolicyId: guid(`policy|${o.name}`),
    Severity: o.severity,
    Source: 'Office 365 Security & Compliance',
    Status: o.status ?? 'Active',
  };
  if (op === 'AlertEntityGenerated' && o.user) {
    rec.EntityType = 'User';
    rec.AlertEntityId = o.user;
  }
  return rec;
}

export interface GraphAlertOpts {
  at: number;
  title: string;
  severity: string;
  id: string;
  status?: string;
  classification?: string | null;
  serviceSource?: string;
  category?: string;
  user?: { upn: string; id: string; name: string };
  mailbox?: string;
  ip?: string;
  app?: { appId: string; objectId: string; name: string };
  mitreTechniques?: string[];
}

/** One Graph alerts_v2 object with user / mailbox / IP / OAuth-app evidence. */
export function graphAlert(o: GraphAlertOpts): Record<string, unknown> {
  const when = iso(o.at + 10 * 60_000);
  const base = { createdDateTime: when, verdict: 'suspicious', remediationStatus: 'none', remediationStatusDetails: null, detailedRoles: [], tags: [] };
  const evidence: Record<string, unknown>[] = [];
  if (o.user) {
    evidence.push({
      '@odata.type': '#microsoft.graph.security.userEvidence', ...base, roles: ['compromised'],
      userAccount: { accountName: o.user.upn.split('@')[0], domainName: o.user.upn.split('@')[1], userSid: null, azureAdUserId: o.user.id, userPrincipalName: o.user.upn, displayName: o.user.name },
    });
  }
  if (o.mailbox) evidence.push({ '@odata.type': '#microsoft.graph.security.mailboxEvidence', ...base, roles: [], primaryAddress: o.mailbox, displayName: o.mailbox.split('@')[0], userAccount: null });
  if (o.ip) evidence.push({ '@odata.type': '#microsoft.graph.security.ipEvidence', ...base, roles: ['attacker'], ipAddress: o.ip, countryLetterCode: 'NL' });
  if (o.app) evidence.push({ '@odata.type': '#microsoft.graph.security.oauthApplicationEvidence', ...base, roles: ['contextual'], appId: o.app.appId, displayName: o.app.name, objectId: o.app.objectId, publisher: 'Unknown' });
  const status = o.status ?? 'new';
  return {
    '@odata.type': '#microsoft.graph.security.alert',
    id: o.id,
    providerAlertId: o.id,
    incidentId: '4127',
    status,
    severity: o.severity,
    classification: o.classification ?? null,
    determination: null,
    serviceSource: o.serviceSource ?? 'microsoftDefenderForOffice365',
    detectionSource: 'microsoftDefenderForOffice365',
    detectorId: guid(`detector|${o.title}`),
    tenantId: TENANT,
    title: o.title,
    description: `${o.title}.`,
    recommendedActions: '',
    category: o.category ?? 'InitialAccess',
    assignedTo: null,
    alertWebUrl: `https://security.microsoft.com/alerts/${o.id}?tid=${TENANT}`,
    incidentWebUrl: `https://security.microsoft.com/incidents/4127?tid=${TENANT}`,
    actorDisplayName: null,
    threatDisplayName: null,
    threatFamilyName: null,
    mitreTechniques: o.mitreTechniques ?? [],
    createdDateTime: when,
    lastUpdateDateTime: when,
    resolvedDateTime: status === 'resolved' ? when : null,
    firstActivityDateTime: iso(o.at),
    lastActivityDateTime: iso(o.at),
    comments: [],
    systemTags: [],
    evidence,
  };
}

/** A Graph page {"@odata.context", value:[…]} as /security/alerts_v2 returns it. */
export function graphAlertPage(name: string, alerts: readonly Record<string, unknown>[]): CaseInput {
  return { name, text: JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2', value: alerts }, null, 1) + '\n' };
}
