// The audit's shared vocabulary: what a check is, what it returns, and what a report holds.
import type { Snapshot } from './snapshot.js';
import type { TenantModel } from './model.js';
import type { AuditConfig } from './exemptions.js';

export type Status = 'Pass' | 'Fail' | 'Warn' | 'NotApplicable' | 'Error';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
/** The step of the takeover chain that the defense breaks. */
export type Stage = 'initial-access' | 'admin-compromise' | 'oauth-app' | 'connector-spam';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export interface Mappings {
  scubagear?: string[];
  cis?: string[]; // CIS Microsoft 365 Foundations v7.0
  maester?: string[];
}

export interface Exemption {
  justification: string;
  expires?: string; // YYYY-MM-DD
  /** true when the exemption is for break-glass accounts declared in the config */
  breakGlass?: boolean;
}

/** One offending (or noteworthy) object, named so a person can find it in the portal. */
export interface AuditObject {
  type: 'user' | 'group' | 'servicePrincipal' | 'application' | 'policy' | 'role' | 'connector' | 'transportRule'
    | 'mailbox' | 'domain' | 'alert' | 'grant' | 'setting';
  id?: string;
  name: string;
  /** why this object is listed */
  reason: string;
  /** 'expected' objects are listed for context and never make a check fail (e.g. the tenantwatch collector) */
  expected?: boolean;
  exempt?: Exemption;
}

export interface CheckOutcome {
  status: Status;
  /** one or two sentences: what was found, or why the check could not decide */
  details: string;
  objects?: AuditObject[];
  /** overrides the check's default remediation when the finding needs a specific step */
  remediation?: string;
  /**
   * true when every listed object is a cause of the Fail/Warn, so that exempting all of them accepts the whole
   * finding. Leave unset when objects are context (e.g. the policies that almost qualify).
   */
  causes?: boolean;
}

export interface CheckContext {
  snapshot: Snapshot;
  model: TenantModel;
  config: AuditConfig;
  now: number;
}

export interface Check {
  id: string;
  title: string;
  severity: Severity;
  stage: Stage;
  mappings: Mappings;
  /** snapshot files the check reads (relative paths), for docs and "missing data" messages */
  needs: string[];
  remediation: string;
  run(ctx: CheckContext): CheckOutcome;
}

export interface AuditResult {
  id: string;
  title: string;
  severity: Severity;
  status: Status;
  stage: Stage;
  mappings: Mappings;
  details: string;
  objects: AuditObject[];
  remediation: string;
  /** set when every failing object (or the whole check) is covered by a config exemption */
  exempt?: Exemption;
  /** notes about exemptions that no longer apply (expired) */
  notes?: string[];
}

export interface AuditReport {
  tool: 'tenantwatch';
  version: string;
  generatedAt: string;
  snapshot: string;
  tenant?: { id?: string; name?: string };
  licences: { known: boolean; plans: string[] };
  summary: Record<Status, number> & { exempt: number };
  results: AuditResult[];
}
