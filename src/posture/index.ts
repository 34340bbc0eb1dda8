// Public surface of the posture audit, for the CLI and for `hunt --snapshot` (detection joins).
export { loadSnapshot, snapshotFromBodies, type Snapshot, type Collection } from './snapshot.js';
export { runAudit, type AuditOptions } from './audit.js';
export { checks, undecidable } from './checks/index.js';
export { privilegedFromSnapshot, type PrivilegedPrincipal, type RoleHolding } from './privileged.js';
export { exchangeFromSnapshot, type ExchangeFacts } from './exchange.js';
export { buildPostureFacts, postureFactsFor, type PostureFact, type PostureFactsIndex, type EntityRef } from './facts.js';
export { renderAuditHtmlSection, renderTable, renderJson, renderCsv, compareReports, renderComparison, blockingFailures } from './report.js';
export { loadAuditConfig, parseAuditConfig, DEFAULT_AUDIT_CONFIG, type AuditConfig } from './exemptions.js';
export type { AuditReport, AuditResult, Status, Severity, Stage } from './types.js';
