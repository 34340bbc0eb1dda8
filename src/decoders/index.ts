// The decoder registry: explicit, ordered. Framing offers each record to the JSON decoders (first match wins)
// and each CSV header to the CSV decoders. Put specific matchers before general ones.
// Adding a format = one folder under src/decoders/ plus one line here.
import type { Decoder } from './types.js';
import { entraAuditDecoders } from './entra-audit/index.js';
import { entraSignInDecoders } from './entra-signin/index.js';
import { entraRiskDecoders } from './entra-risk/index.js';
import { graphAlertDecoders } from './graph-alert/index.js';
import * as messageTrace from './message-trace/index.js';
import { ualDecoders } from './ual/index.js';
import { azureDiagOtherDecoder } from './azure-diag-other/index.js';

export const decoders: Decoder[] = [
  // --- Entra sign-ins (Graph, diagnostic export, Log Analytics, admin center download) ---
  ...entraSignInDecoders, // azure.diag.signin, loganalytics.signin(.csv), graph.signin, entra.portal.signin(.authdetails).csv
  // --- Entra audit, Identity Protection, Graph security alerts ---
  ...entraAuditDecoders, // graph.directoryaudit, azure.diag.audit, loganalytics.audit(.csv)
  ...entraRiskDecoders, // graph.riskdetection, graph.riskyuser, azure.diag.risk, loganalytics.risk(.csv)
  ...graphAlertDecoders, // graph.alert
  // --- Unified audit log (Management Activity API, audit log query API, Purview / Search-UnifiedAuditLog CSV, OfficeActivity) ---
  ...ualDecoders, // graph.auditlogrecord, ual.json.powershell, loganalytics.officeactivity(.csv), o365.mgmt, ual.csv.purview/powershell/flat
  // --- Exchange message trace ---
  messageTrace.rwsJsonDecoder,
  messageTrace.graphMessageTraceDecoder,
  messageTrace.historicalCsvDecoder,
  messageTrace.powershellCsvDecoder,
  messageTrace.eacCsvDecoder, // most tolerant CSV matcher of the family: last
  // --- known Microsoft records tenantwatch does not use: filtered with a reason, never quarantined as unknown ---
  azureDiagOtherDecoder,
];

export const jsonDecoders = (): Decoder[] => decoders.filter((d) => d.container === 'json');
export const csvDecoders = (): Decoder[] => decoders.filter((d) => d.container === 'csv');
export const decoderById = (id: string): Decoder | undefined => decoders.find((d) => d.id === id);
