// The normalized Event: one record in, one Event out. Every later stage (detect, correlate, report)
// reads only this shape, never a source's raw fields. Keep it small and typed; extras go in `details`.

/** Where an event came from: the log pipeline, not the file format (several formats carry one source). */
export type SourceKind =
  | 'entra.signin' // interactive user sign-ins
  | 'entra.signin.noninteractive'
  | 'entra.signin.serviceprincipal'
  | 'entra.signin.managedidentity'
  | 'entra.audit' // directory audits (Graph, diagnostic export, Sentinel AuditLogs)
  | 'entra.risk' // Identity Protection: riskDetection, UserRiskEvents, RiskyUsers, ...
  | 'ual' // unified audit log (Management Activity API, Purview CSV, Search-UnifiedAuditLog, OfficeActivity)
  | 'exchange.messagetrace'
  | 'security.alert'; // Microsoft's own alerts: alerts_v2, SecurityComplianceCenter records

/**
 * What happened, in tenantwatch's own vocabulary. Decoders map every source's operation names onto these;
 * anything without a specific mapping becomes 'other' with the original name kept in `operation`.
 */
export type Action =
  | 'signin'
  | 'signout'
  | 'user.create' | 'user.update' | 'user.delete'
  | 'user.password.reset' | 'user.password.change'
  | 'user.sessions.revoke'
  | 'user.mfa.register' | 'user.mfa.remove' | 'user.mfa.update'
  | 'group.member.add' | 'group.member.remove'
  | 'app.create' | 'app.update' | 'app.delete'
  | 'app.credential.add' | 'app.credential.remove'
  | 'app.owner.add'
  | 'sp.create' | 'sp.update' | 'sp.delete'
  | 'sp.credential.add' | 'sp.credential.remove'
  | 'consent.grant' // "Consent to application"
  | 'delegated.permission.grant' // "Add delegated permission grant" (oauth2PermissionGrant)
  | 'approle.assign' // "Add app role assignment to service principal" (application permission)
  | 'approle.remove'
  | 'role.assign' | 'role.remove' // directory role membership (Add member to role, eligible/active)
  | 'domain.add' | 'domain.update' | 'domain.remove' | 'domain.federation.change'
  | 'policy.change' // CA, authorization, auth methods, ...
  | 'connector.inbound.create' | 'connector.inbound.update' | 'connector.inbound.remove'
  | 'connector.outbound.create' | 'connector.outbound.update' | 'connector.outbound.remove'
  | 'transportrule.create' | 'transportrule.update' | 'transportrule.remove' | 'transportrule.enable' | 'transportrule.disable'
  | 'inboxrule.create' | 'inboxrule.update' | 'inboxrule.remove' // New-/Set-/Remove-InboxRule, UpdateInboxRules
  | 'mailbox.forwarding.set' // Set-Mailbox -ForwardingSmtpAddress / ForwardingAddress, DeliverToMailboxAndForward
  | 'mailbox.permission.add'
  | 'mailbox.access' // MailItemsAccessed and friends
  | 'mail.send' | 'mail.receive' // message trace
  | 'exchange.admin' // any other Exchange cmdlet
  | 'risk.detection' | 'risk.user' // Identity Protection
  | 'alert' // Microsoft-generated alert
  | 'other';

export type Outcome = 'success' | 'failure' | 'interrupted' | 'unknown';

export type ActorKind = 'user' | 'app' | 'system' | 'unknown';

export interface Geo {
  city?: string;
  state?: string;
  country?: string; // ISO-3166 alpha-2 where the source gives it
  lat?: number;
  lon?: number;
  /** 'record' = the log said so; 'db' = looked up by tenantwatch (never mixed in one speed computation) */
  from: 'record' | 'db';
}

export interface Actor {
  kind: ActorKind;
  user?: string; // lower-cased UPN
  userId?: string; // Entra object id
  displayName?: string;
  appId?: string; // client application id (the app that acted, or the app signed in to for user sign-ins)
  appName?: string;
  spId?: string; // service principal object id
  ip?: string; // clean IP (no port, no brackets, ::ffff: unmapped)
  port?: number;
  userAgent?: string;
  geo?: Geo;
  asn?: number;
  deviceId?: string;
  deviceName?: string;
}

export type TargetType =
  | 'user' | 'group' | 'app' | 'servicePrincipal' | 'role' | 'device' | 'policy' | 'domain'
  | 'connector' | 'transportRule' | 'inboxRule' | 'mailbox' | 'message' | 'other';

export interface Target {
  type: TargetType;
  id?: string; // object id / identity as the source gives it
  name?: string; // display name, UPN, connector name, rule name
  appId?: string; // for app / servicePrincipal targets
  /** decoded modifiedProperties: name -> {old,new}, values JSON-decoded where they were JSON text */
  modified?: Record<string, { old?: unknown; new?: unknown }>;
}

export interface AuthFacts {
  /** 'single' | 'multi' only when the source says so; absent = unknown (never assume single) */
  requirement?: 'single' | 'multi';
  mfa?: 'satisfied' | 'previously_satisfied' | 'not_required' | 'failed' | 'unknown';
  methods?: string[];
  ca?: 'success' | 'failure' | 'notApplied';
  interactive?: boolean;
  clientApp?: string; // clientAppUsed
  protocol?: string; // authenticationProtocol (ropc, deviceCode, ...)
  legacy?: boolean; // legacy-auth client (IMAP, POP, SMTP, EAS, "Other clients", ...)
  resource?: string; // resourceDisplayName
  resourceId?: string;
  credentialType?: string; // clientCredentialType for SP sign-ins (clientSecret, clientAssertion, ...)
}

export interface Risk {
  level?: string; // riskLevelDuringSignIn / riskLevel
  aggregated?: string;
  state?: string;
  detail?: string;
  types?: string[]; // riskEventTypes_v2
}

export interface RawRef {
  file: string; // path as given, '-' for stdin
  line?: number; // 1-based line where the record starts (text formats)
  /** byte offset in `file` where the record starts: set for NDJSON lines cut as bytes, whose text is the
   * `bytes` bytes from there, decoded */
  offset?: number;
  bytes?: number;
  format: string; // decoder id that produced the event
  /** the record's bytes as text, so evidence survives stdin and gzip (which can't be re-read) */
  text?: string;
  /** @internal the text was left in the input file (the hunt reads with leaveTexts, src/pipeline/read.ts): the
   * engine reads it back for evidence */
  at?: TextAt;
  /** @internal an event held in detection state: its text waits in the engine's TextStore (src/detect/texts.ts) */
  ref?: number;
  /** @internal the held text was cut to the evidence cap */
  refTruncated?: boolean;
}

/** Where a record's text is in its input file: bytes [offset, offset + bytes) as UTF-8, with its textFingerprint. */
export interface TextAt {
  offset: number;
  bytes: number;
  fp: number;
}

export interface Event {
  id: string; // source id (signIn.id, directoryAudit.id, UAL Id) or a stable hash of the raw record
  time: number; // event time, epoch ms UTC
  tenant: string; // tenant id (GUID) or 'unknown'
  source: SourceKind;
  action: Action;
  operation: string; // the source's own operation name, normalized (trimmed, no trailing '.', dashes unified)
  outcome: Outcome;
  reason?: { code: string; text?: string };
  actor: Actor;
  targets: Target[];
  auth?: AuthFacts;
  session?: { id?: string; tokenId?: string; correlationId?: string };
  risk?: Risk;
  /** normalized extras: cmdlet parameters, permissions granted, message-trace fields, alert fields ... */
  details?: Record<string, unknown>;
  raw: RawRef;
}

/** The facts a record carries, used for coverage reports ("which detections can this file feed?"). */
export type Fact =
  | 'signin.interactive'
  | 'signin.noninteractive'
  | 'signin.serviceprincipal'
  | 'signin.managedidentity'
  | 'signin.failures'
  | 'mfa.detail' // authenticationRequirement / authenticationDetails present
  | 'ca.status'
  | 'location' // geo from the record
  | 'ip'
  | 'asn'
  | 'risk'
  | 'session.id'
  | 'token.id'
  | 'useragent'
  | 'directory.audit'
  | 'exchange.admin'
  | 'mailbox.rules'
  | 'mailbox.access' // mailbox audit MailItemsAccessed (UAL RecordType 50)
  | 'messagetrace'
  | 'alerts';
