// The hunt report contract: what `tenantwatch hunt` (and `incidents list|show`) produce, what the JSON output is,
// what the store keeps and what every renderer (terminal, NDJSON, OCSF, HTML) reads. Documented in docs/report.md,
// machine-checked by docs/report.schema.json. Alerts inside it follow the alert contract (src/detect/alert.ts,
// docs/alert.schema.json) unchanged. Changing a field here is a breaking change: bump REPORT_SCHEMA_VERSION.
//
// Every string that came from a log (names, UPNs, display names, narratives quoting them, PowerShell lines) is
// attacker-controlled: renderers escape for their medium (HTML-escape, safeTerminal); the JSON keeps it verbatim.
import type { Fact } from '../core/event.js';
import type { Alert, Entity, EntityType, Severity } from '../detect/alert.js';
import type { TacticName } from '../detect/attack.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface HuntReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  /** 'hunt' = produced by a hunt over inputs; 'store' = read back from the store by `incidents list|show` */
  kind: 'hunt' | 'store';
  /** ISO UTC time the report was made (the only field that differs between two runs over the same data) */
  generatedAt: string;
  tool: ToolInfo;
  /** the run that produced it; absent for store read-backs spanning several runs */
  run?: RunInfo;
  inputs: InputSummary[];
  /** inputs not read as logs (not a recognized format, unreadable), with the reason */
  skipped: { path: string; reason: string }[];
  coverage: Coverage;
  stats: HuntStats;
  /** live incidents, most severe first, then by firstSeen; merged-away incidents only appear in `merged` */
  incidents: Incident[];
  /** incidents that more data merged into another (tombstones: id + mergedInto), so old ids still resolve */
  merged: MergedIncident[];
  /** every alert of the run (incident members and unlinked ones), by time then id */
  alerts: Alert[];
  /** present with --snapshot: what the configuration says, per entity (also folded into incidents) */
  posture?: PostureSummary;
}

export interface ToolInfo {
  name: 'tenantwatch';
  version: string;
  /** changes whenever a rule is added, removed, or its logic/tunables change ("<count>-<hash>") */
  rulesetVersion: string;
  alertSchemaVersion: number;
  attackVersion: string;
  /** the geo / ASN data used, with its attribution (CC BY 4.0 asks for it), when any was loaded */
  dataSources?: string[];
}

export interface RunInfo {
  id: string;
  startedAt: string;
  finishedAt: string;
  /** the options that shape the result (never secrets) */
  options: {
    since?: string;
    until?: string;
    failOn: Severity | 'none';
    config?: string;
    snapshot?: string;
    db?: string;
    /** network tables given with --networks */
    networks?: string[];
    /** --tenant: the tenant events without a tenant id were assigned */
    tenant?: string;
  };
}

export interface InputSummary {
  path: string;
  sha256: string;
  /** the decoder id that produced most events ("entra-signin-graph", ...); "mixed" never used: see formats */
  format: string;
  /** decoder id -> events, when one file held several formats */
  formats: Record<string, number>;
  bytes: number;
  encoding?: string;
  records: number;
  events: number;
  duplicates: number;
  filtered: number;
  quarantined: number;
  /** earliest/latest event time in the file (ISO UTC) */
  timeMin?: string;
  timeMax?: string;
  /** up to 10 sample quarantine reasons with their line */
  quarantineSamples: { line?: number; reason: string }[];
  /** why records were filtered (not used by tenantwatch, by design), up to 10 reasons with their counts */
  filteredReasons?: { reason: string; count: number }[];
}

export type CoverageStatus = 'evaluated' | 'not-evaluated' | 'disabled';

export interface Coverage {
  /** facts the inputs carried (src/core/event.ts Fact) */
  facts: Fact[];
  rules: { rule: string; title: string; status: CoverageStatus; reason?: string; missing?: Fact[]; limits?: string[] }[];
  evaluated: number;
  notEvaluated: number;
  disabled: number;
  /** what limits or shaped the analysis, in words: tenant join, dropped cross-source copies, missing databases */
  notes?: string[];
}

export interface HuntStats {
  records: number;
  events: number;
  duplicates: number;
  filtered: number;
  quarantined: number;
  /** event-time span of what was analysed (ISO UTC) */
  timeMin?: string;
  timeMax?: string;
  alerts: number;
  incidents: number;
  alertsBySeverity: Record<Severity, number>;
  incidentsBySeverity: Record<Severity, number>;
  /** alerts not in any incident (below the incident bar, see docs/report.md) */
  unlinkedAlerts: number;
  /** external sort: sorted runs spilled to temp files, bytes written */
  sort: { runs: number; spilledBytes: number };
  /** engine counters: events consumed by no rule, late arrivals, duplicate ids dropped */
  engine: {
    pushed: number; ignored: number; late: number; duplicates: number;
    /** detection state keys forgotten because a rule reached its key cap (a note says which rules) */
    evicted?: number;
  };
  durationMs: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Incidents

export interface Incident {
  /** "INC-" + 12 chars derived from the earliest member alert id: stable across re-runs over the same data */
  id: string;
  title: string;
  /** rises with the chain: see docs/report.md "Incident severity" */
  severity: Severity;
  tenant: string;
  /** ATT&CK tactics in kill-chain order (src/detect/attack.ts TACTICS) */
  tactics: TacticName[];
  techniques: string[];
  /** canonical entities (aliases resolved and merged), most involved first */
  entities: Entity[];
  /** member alert ids, in timeline order */
  alerts: string[];
  firstSeen: string;
  lastSeen: string;
  /** one paragraph, plain language; quotes log-derived names verbatim (escape on output) */
  narrative: string;
  /** ids of incidents earlier runs knew that more data merged into this one */
  mergedFrom?: string[];
  /** 1 when first stored; +1 whenever its alert set changes */
  revision: number;
  timeline: TimelineEntry[];
  scope: IncidentScope;
  graph: EntityGraph;
  containment: ContainmentStep[];
  /** what the tenant configuration (--snapshot) or the store's memory says about its entities */
  context: ContextNote[];
  /** impossible-travel legs from member alerts whose facts carry coordinates */
  travel: TravelLeg[];
}

/** An incident that more data merged into another; kept so old ids still resolve. */
export interface MergedIncident {
  id: string;
  mergedInto: string;
  /** ISO UTC time of the run that merged it */
  mergedAt: string;
  title: string;
}

export type LinkKind =
  | 'seed' // the first alert of the incident
  | 'user'
  | 'app'
  | 'servicePrincipal'
  | 'connector'
  | 'transportRule'
  | 'inboxRule'
  | 'mailbox'
  | 'role'
  | 'domain'
  | 'session'
  | 'ip';

export interface TimelineEntry {
  alertId: string;
  rule: string;
  title: string;
  severity: Severity;
  tactics: TacticName[];
  /** the alert's trigger time, firstSeen and lastSeen (ISO UTC) */
  time: string;
  firstSeen: string;
  lastSeen: string;
  /** the alert's explanation (with its numbers) */
  summary: string;
  /** why this alert belongs to the incident, in words ("shares app 'Contoso Sync' (appId …) with TW-APP-001 …") */
  linkedBecause: string;
  /** the same reason, machine-readable; absent for the seed */
  link?: {
    kind: LinkKind;
    /** the canonical entity both alerts name (after alias resolution) */
    entity: { type: EntityType; id: string; display?: string };
    /** the alert id it linked to */
    withAlert: string;
    /** the alias that matched when the two alerts named the entity differently (spId vs appId, UPN vs object id) */
    via?: string;
    /** time between the two alerts, ms (within the horizon of this link kind) */
    gapMs: number;
  };
}

export interface ScopeItem {
  /** canonical id (UPN, appId, connector name, IP) */
  id: string;
  display?: string;
  aliases?: string[];
  /** member alerts naming it */
  alerts: string[];
  firstSeen: string;
  lastSeen: string;
}

export interface IncidentScope {
  accounts: (ScopeItem & { privileged?: boolean })[];
  /** `lastActivity`: the app was seen in use (signing in, acting, used by a person) after its last alert */
  apps: (ScopeItem & { spId?: string; createdAt?: string; credentials?: string[]; permissions?: string[]; roles?: string[]; lastActivity?: string })[];
  connectors: ScopeItem[];
  transportRules: ScopeItem[];
  inboxRules: ScopeItem[];
  mailboxes: ScopeItem[];
  ips: (ScopeItem & { asn?: string; country?: string })[];
}

export interface GraphNode {
  /** "<type>:<canonical id>", unique in the graph */
  id: string;
  type: EntityType;
  label: string;
  /** alerts naming the entity */
  alerts: string[];
  /** the accounts and apps the containment checklist acts on */
  primary?: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** what the alerts say about the pair, e.g. rule titles ("Consent then credential") */
  label: string;
  alerts: string[];
}

export interface EntityGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export type ContainmentAction =
  | 'revoke-sessions'
  | 'reset-password'
  | 'require-mfa'
  | 'remove-app-secret'
  | 'remove-app-certificate'
  | 'disable-service-principal'
  | 'remove-app-role-assignment'
  | 'remove-directory-role'
  | 'remove-consent-grant'
  | 'remove-inbound-connector'
  | 'remove-transport-rule'
  | 'review-inbox-rules'
  | 'remove-forwarding'
  | 'block-ip'
  | 'review';

export interface ContainmentStep {
  /** 1-based position in the checklist */
  order: number;
  action: ContainmentAction;
  title: string;
  /** what it acts on */
  entity: { type: EntityType; id: string; display?: string };
  /** why this step, and what it does NOT do (a password reset does not evict an app secret holder) */
  why: string;
  /** exact Graph call: path identifiers URL-encoded; body as JSON text */
  graph?: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string; body?: string };
  /** exact PowerShell line(s); identifiers single-quoted with quotes doubled */
  powershell?: string;
  /** the permission / role the call needs ("User.RevokeSessions.All", "Exchange Administrator") */
  permission: string;
  /** a step the checklist cannot fill in (unknown key id, ...) says what to look up first */
  note?: string;
}

export interface ContextNote {
  entity: { type: EntityType; id: string };
  /** 'snapshot' = --snapshot configuration; 'memory' = learned by earlier hunts (store) */
  from: 'snapshot' | 'memory';
  severity: Severity;
  text: string;
  checkId?: string;
}

export interface TravelPoint {
  time?: string;
  ip?: string;
  lat: number;
  lon: number;
  city?: string;
  country?: string;
}

export interface TravelLeg {
  alertId: string;
  user?: string;
  from: TravelPoint;
  to: TravelPoint;
  distanceKm?: number;
  speedKmh?: number;
}

export interface PostureSummary {
  snapshot: string;
  /** privileged accounts the snapshot lists (UPN or id) */
  privileged: number;
  /** per-entity notes, also folded into matching incidents' context */
  notes: ContextNote[];
}
