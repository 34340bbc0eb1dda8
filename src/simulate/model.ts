// Intents: what happened in the simulated tenant, before it is written in any log format. Generators (background and
// scenarios) produce intents; renderers turn one intent into the records each log family writes for it (a sign-in
// -> Graph signIn / diagnostic record / UAL UserLoggedIn; a directory change -> directoryAudit + UAL record; …).
// Every id a record will carry is drawn when the intent is made, so the output formats chosen never change ids.
import type { Network } from './world/networks.js';

/** Ground-truth label: which incident and step an intent belongs to. Absent = benign. */
export interface Label {
  incident: string;
  step: string;
}

/** A benign intent that is deliberately close to an attack pattern (for false-positive accounting). */
export type Decoy =
  | 'office-nat-typos'
  | 'mfa-prompt'
  | 'traveler'
  | 'roaming'
  | 'sase-egress'
  | 'helpdesk-reset'
  | 'admin-app-registration'
  | 'admin-consent'
  | 'credential-rotation'
  | 'partner-connector'
  | 'transport-rule'
  | 'marketing-bulk-mail'
  | 'legacy-admin-signin'
  | 'user-inbox-rule'
  | 'role-assignment'
  | 'lockout';

export interface UserRef {
  id: string;
  upn: string;
  displayName: string;
}

export interface AppActor {
  appId: string;
  spId: string;
  name: string;
}

export interface DeviceInfo {
  deviceId: string;
  displayName: string;
  operatingSystem: string;
  browser: string;
  isCompliant: boolean | null;
  isManaged: boolean | null;
  trustType: string;
}

export interface AuthStep {
  method: string; // "Password", "Mobile app notification", "Previously satisfied"
  detail?: string; // authenticationMethodDetail
  succeeded: boolean;
  result: string; // authenticationStepResultDetail
  requirement: string; // "Primary authentication" | "Multi-factor authentication"
  offsetMs?: number; // step time relative to the sign-in
}

export interface PolicyResult {
  id: string;
  displayName: string;
  grant: string[];
  session: string[];
  result: 'success' | 'failure' | 'notApplied' | 'notEnabled' | 'reportOnlySuccess' | 'reportOnlyFailure' | 'reportOnlyNotApplied';
  satisfied: number;
  notSatisfied: number;
}

interface Base {
  time: number; // epoch ms UTC
  sub: number; // 100 ns ticks below the ms, 0..9999
  label?: Label;
  decoy?: Decoy;
}

export interface SignInIntent extends Base {
  kind: 'signin';
  id: string;
  type: 'interactive' | 'noninteractive' | 'serviceprincipal';
  tenantId: string;
  user?: UserRef;
  userType?: 'Member' | 'Guest';
  sp?: AppActor & { keyId?: string; credentialType: 'clientSecret' | 'clientAssertion' };
  app: { id: string; name: string };
  resource: { id: string; name: string; spId?: string };
  ip: string;
  net: Network;
  ua?: string;
  device?: DeviceInfo;
  clientAppUsed?: string;
  protocol: string; // authenticationProtocol
  incomingTokenType: string;
  errorCode: number;
  additionalDetails?: string;
  requirement?: 'singleFactorAuthentication' | 'multiFactorAuthentication';
  requirementPolicies?: { requirementProvider: string; detail: string }[];
  steps: AuthStep[];
  ca: 'success' | 'failure' | 'notApplied';
  policies: PolicyResult[];
  correlationId: string;
  sessionId?: string;
  tokenId: string; // uniqueTokenIdentifier
  scopes?: string; // "Oauth Scope Info"
  risk?: { during: string; aggregated: string; state: string; detail: string; types: string[] };
  /** Entra processing lag before the diagnostic export's envelope `time` */
  lagMs: number;
  /** id of the UAL AzureActiveDirectoryStsLogon mirror record (interactive user sign-ins only) */
  ualId?: string;
}

export type GraphValueStyle = 'array' | 'string' | 'raw';

export interface ModProp {
  name: string;
  /** old and new values; `style` says how Entra writes them: array '["x"]', string '"x"', or raw text */
  old?: unknown;
  new?: unknown;
  style: GraphValueStyle;
}

export interface AuditTarget {
  id: string;
  displayName: string | null;
  type: 'User' | 'Application' | 'ServicePrincipal' | 'Role' | 'Group' | 'Policy' | 'Other';
  upn?: string;
  modified: ModProp[];
}

export interface AuditIntent extends Base {
  kind: 'audit';
  id: string; // Graph directoryAudit id
  ualId: string; // UAL (RecordType 8) Id for the same change
  tenantId: string;
  activity: string; // Entra activityDisplayName ("Add application"); UAL adds a trailing "."
  category: string;
  service: string; // loggedByService
  operationType: string;
  result: 'success' | 'failure';
  resultReason?: string;
  correlationId: string;
  by: { user?: UserRef & { ip?: string }; app?: AppActor };
  targets: AuditTarget[];
  additional: { key: string; value: string }[];
  /** UAL extendedAuditEventCategory ("Application", "ServicePrincipal", "Role", "User" …) */
  ualCategory: string;
}

export interface CmdletIntent extends Base {
  kind: 'cmdlet';
  id: string; // UAL Id
  tenantId: string;
  orgName: string; // xxx.onmicrosoft.com
  cmdlet: string;
  params: [string, string][];
  objectId: string;
  by: { user?: UserRef; app?: AppActor; system?: string };
  userType: number;
  ip?: string; // ClientIP as written (may carry a port)
  succeeded: boolean;
  sessionId?: string;
  tokenId?: string;
  tokenIssuedAt?: number;
  server: string;
  externalAccess: boolean;
}

export interface MailboxIntent extends Base {
  kind: 'mailbox';
  id: string;
  tenantId: string;
  orgName: string;
  operation: 'MailItemsAccessed' | 'UpdateInboxRules';
  recordType: number; // 50 ExchangeItemAggregated, 2 ExchangeItem
  owner: UserRef;
  actorUpn: string;
  userType: number;
  ip: string;
  clientInfo: string;
  appId?: string;
  clientAppId?: string;
  tokenId?: string;
  tokenIssuedAt?: number;
  sessionId?: string;
  logonType: number;
  opProps: [string, string | undefined][];
  folders?: { path: string; items: number }[];
}

export interface MessageIntent extends Base {
  kind: 'message';
  traceId: string;
  messageId: string;
  org: string; // Organization column: the tenant's default domain
  sender: string;
  recipients: { address: string; status: string; toIp: string | null }[];
  subject: string;
  fromIp: string | null;
  size: number;
}

export type Intent = SignInIntent | AuditIntent | CmdletIntent | MailboxIntent | MessageIntent;

/** Sort newest first, ties broken by a stable key so output never depends on generation order. */
export function compareDesc(a: Intent, b: Intent): number {
  return b.time - a.time || b.sub - a.sub || (keyOf(b) < keyOf(a) ? -1 : keyOf(b) > keyOf(a) ? 1 : 0);
}

export const keyOf = (i: Intent): string => (i.kind === 'message' ? i.traceId : i.id);
