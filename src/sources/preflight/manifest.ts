// The least-privilege permission manifest of the collector app (docs/permissions.md is written from this list).
// Application permissions only; every one is read-only. `for` names the collect sources that need it ('snapshot'
// for the configuration snapshot, 'exchangeConfig' for the optional Exchange admin API read).
import type { ResourceName } from '../auth/clouds.js';
import type { CollectSourceName } from '../../config/collect.js';

export type Need = CollectSourceName | 'exchangeConfig' | 'future';

export interface PermissionSpec {
  resource: ResourceName;
  /** app role value as it appears in the token's `roles` claim */
  role: string;
  /** what tenantwatch reads with it */
  purpose: string;
  for: Need[];
  /** another role that also covers it (a broader one the tenant may already have granted) */
  coveredBy?: string[];
}

export const RESOURCE_NAMES: Record<ResourceName, string> = {
  graph: 'Microsoft Graph',
  management: 'Office 365 Management APIs',
  exchange: 'Office 365 Exchange Online',
};

export const PERMISSIONS: PermissionSpec[] = [
  { resource: 'graph', role: 'AuditLog.Read.All', purpose: 'sign-in logs (all event types, beta), directory audits, MFA registration details', for: ['signins', 'directoryAudits', 'snapshot'] },
  { resource: 'graph', role: 'Directory.Read.All', purpose: 'users, groups and members, organization, licences, domains, delegated grants', for: ['snapshot'] },
  { resource: 'graph', role: 'Policy.Read.All', purpose: 'conditional access, authorization, authentication-methods and security-defaults policies', for: ['snapshot'] },
  { resource: 'graph', role: 'RoleManagement.Read.Directory', purpose: 'directory role assignments and definitions', for: ['snapshot'], coveredBy: ['RoleManagement.Read.All'] },
  { resource: 'graph', role: 'Application.Read.All', purpose: 'app registrations and service principals with their credentials and app role assignments', for: ['snapshot'], coveredBy: ['Directory.Read.All'] },
  { resource: 'graph', role: 'AuditLogsQuery.Read.All', purpose: 'unified audit log history through the audit log query API (before the Management API\'s 7 days)', for: ['auditLogQuery'] },
  { resource: 'graph', role: 'ExchangeMessageTrace.Read.All', purpose: 'message trace (spam bursts through a malicious connector)', for: ['messageTrace'] },
  { resource: 'graph', role: 'IdentityRiskEvent.Read.All', purpose: 'Identity Protection risk detections (used by `watch`)', for: ['future'] },
  { resource: 'graph', role: 'SecurityAlert.Read.All', purpose: "Microsoft's own alerts (alerts_v2; used by `watch`)", for: ['future'] },
  { resource: 'graph', role: 'Reports.Read.All', purpose: 'Microsoft 365 usage reports (not read by this version; listed so the grant can be planned once)', for: ['future'] },
  { resource: 'management', role: 'ActivityFeed.Read', purpose: 'unified audit log feed of the last 7 days (Management Activity API)', for: ['managementActivity'] },
  { resource: 'exchange', role: 'Exchange.ManageAsApp', purpose: 'Exchange Online configuration (connectors, transport rules) through the Exchange admin API — with the Global Reader directory role', for: ['exchangeConfig'] },
];

/** Permissions with write power: a collector that holds them has more than it needs. */
export const WRITE_ROLE = /(ReadWrite|\.Send$|FullControl|full_access_as_app|\.Write\.|Manage\.All|\.Delete)/i;
