// Run the check catalogue over a snapshot and assemble the report. Pure apart from the clock passed in.
import { VERSION } from '../cli/version.js';
import { checks as allChecks } from './checks/index.js';
import { applyExemptions, DEFAULT_AUDIT_CONFIG, type AuditConfig } from './exemptions.js';
import { buildModel } from './model.js';
import type { Snapshot } from './snapshot.js';
import type { AuditReport, AuditResult, Check, CheckOutcome, Status } from './types.js';

export interface AuditOptions {
  config?: AuditConfig;
  now?: number;
  checks?: Check[];
}

export function runAudit(snapshot: Snapshot, opts: AuditOptions = {}): AuditReport {
  const config = opts.config ?? DEFAULT_AUDIT_CONFIG;
  const now = opts.now ?? Date.now();
  const model = buildModel(snapshot);
  const ctx = { snapshot, model, config, now };
  const results: AuditResult[] = [];
  for (const check of opts.checks ?? allChecks) {
    let outcome: CheckOutcome;
    try {
      outcome = check.run(ctx);
    } catch (e) {
      // one broken check must not hide the others; this is still a bug to report
      outcome = { status: 'Error' as const, details: `check failed unexpectedly (tenantwatch bug, please report): ${(e as Error).message}` };
    }
    const base: AuditResult = {
      id: check.id, title: check.title, severity: check.severity, status: outcome.status, stage: check.stage,
      mappings: check.mappings, details: outcome.details, objects: outcome.objects ?? [],
      remediation: outcome.remediation ?? check.remediation,
    };
    results.push(applyExemptions(base, config, now, outcome.causes === true));
  }
  const summary = { Pass: 0, Fail: 0, Warn: 0, NotApplicable: 0, Error: 0, exempt: 0 } as Record<Status, number> & { exempt: number };
  for (const r of results) {
    summary[r.status]++;
    if (r.exempt) summary.exempt++;
  }
  return {
    tool: 'tenantwatch',
    version: VERSION,
    generatedAt: new Date(now).toISOString(),
    snapshot: snapshot.dir,
    tenant: model.tenant,
    licences: { known: model.licences.known, plans: [...model.licences.plans].sort() },
    summary,
    results,
  };
}
