// The collector source contract. `collect` drives a source once over a time range; `watch` drives it repeatedly,
// persisting each batch's checkpoint after its sink has durably handled the batch. A source:
//  - pulls Microsoft's data in batches (one Graph page, one Management API content blob, one audit-log-query page)
//    and yields each with the records it holds that were not yielded before (duplicates removed) and a
//    JSON-serialisable checkpoint that resumes right after it;
//  - is resumable from any yielded checkpoint (crash, Ctrl-C, the next poll);
//  - takes its clock, HTTP client and abort signal from the context, so tests and `watch` control time and I/O.
import type { ApiClient } from './http/client.js';
import type { Logger } from './auth/redact.js';
import type { Clock } from './clock.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
/** Opaque to callers; each source documents its own shape. Always has a version `v`. */
export type Checkpoint = { v: number; [k: string]: Json };

export type Obj = Record<string, unknown>;

export interface Batch {
  /** the source that yielded it, e.g. graph.signins.nonInteractiveUser */
  source: string;
  /**
   * The payload in Microsoft's own shape, ready to write as a file the read pipeline knows: a Graph page
   * ({@odata.context, value:[…], @odata.nextLink}) with `value` cut to the new records; a Management API blob
   * (array of records); an auditLogRecord page. Undefined when the batch holds no new records.
   */
  payload?: Obj | Obj[];
  /** records in the payload that were not yielded before */
  records: Obj[];
  /** resume point after this batch */
  checkpoint: Checkpoint;
  /** suggested file name stem (no extension), unique within the source for this pull */
  name: string;
  /** the checkpoint was behind the API's retention and skipped ahead: records in [from, to) cannot be read any more */
  lost?: { from: number; to: number };
}

/** Record-level duplicate check shared across sources of one family (UAL via the Management API and via the audit
 *  log query API); bounded memory (src/pipeline/dedup.ts). Returns true when (key, time) was seen before. */
export interface DedupSet {
  isDuplicate(key: string, time: number): boolean;
}

export interface SourceContext {
  api: ApiClient;
  clock: Clock;
  logger: Logger;
  signal?: AbortSignal;
  /** UAL record dedup across the Management API and the audit log query API; a source makes its own when absent */
  ualSeen?: DedupSet;
}

export interface PullOptions {
  /** resume point; undefined = start at `since` */
  checkpoint?: Checkpoint;
  /** first instant of interest (epoch ms) when there is no checkpoint */
  since: number;
  /** pull up to this instant (exclusive); default: now */
  until?: number;
}

/** A warning a pull wants the operator to see in the run summary (data gaps, throttling, subscriptions started). */
export interface SourceNotice {
  source: string;
  level: 'info' | 'warning';
  message: string;
}

export interface Source {
  readonly id: string;
  /** what the source needs, for messages: e.g. "AuditLog.Read.All (Graph)" */
  readonly needs: string;
  pull(ctx: SourceContext, opts: PullOptions): AsyncIterable<Batch>;
  /** notices gathered during the last pull */
  readonly notices: SourceNotice[];
}

/** A source failed in a way retrying now will not fix (permission, licence, bad request) or retries ran out. */
export class SourceError extends Error {
  constructor(
    readonly source: string,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(`${source}: ${message}`);
    this.name = 'SourceError';
  }
}
