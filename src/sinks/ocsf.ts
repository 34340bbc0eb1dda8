// An alert as an OCSF 1.1 Detection Finding (the same mapping as `hunt --format ocsf`), with the idempotency key
// as metadata.uid — the logging system's unique id of this event instance — so SIEMs can drop repeats.
import type { Alert } from '../detect/alert.js';
import { alertToOcsf } from '../report/ocsf.js';
import type { HuntReport } from '../report/types.js';
import { VERSION } from '../cli/version.js';

export function alertOcsf(alert: Alert, key: string): Record<string, unknown> {
  const f = alertToOcsf(alert, { tool: { version: VERSION } } as unknown as HuntReport);
  const metadata = { ...(f.metadata as Record<string, unknown>), uid: key, log_name: 'tenantwatch watch' };
  return { ...f, metadata };
}
