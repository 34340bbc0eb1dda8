// Unified audit log history through the Microsoft Graph audit log query API (Purview audit search):
// create a query (POST /security/auditLog/queries with filterStartDateTime/filterEndDateTime), poll it
// (GET …/queries/{id}) until `succeeded`, then page its records (GET …/queries/{id}/records, @odata.nextLink).
// Reaches back as far as the tenant's audit retention (180 days Standard), without the 5,000/50,000 caps of
// Search-UnifiedAuditLog; asynchronous, so a query can take minutes. Needs AuditLogsQuery.Read.All.
// Queries run one time window at a time, oldest first; records are auditLogRecord objects whose `id` is the
// UAL record Id, deduplicated together with the Management API feed.
//
// Checkpoint v1: `done` = windows before it are complete; `cur` = the window in progress with its query id (so a
// resumed pull does not create the query again) and the next records page.
import { parseTime } from '../../core/time.js';
import { Deduper } from '../../pipeline/dedup.js';
import { ApiError } from '../http/client.js';
import { SourceError, type Batch, type Checkpoint, type DedupSet, type Obj, type PullOptions, type Source, type SourceContext, type SourceNotice } from '../types.js';

export interface AuditLogQuerySpec {
  graphHost: string;
  /** time span of one query */
  spanMs: number;
  pageSize: number;
  /** optional auditLogRecordType values to restrict the search to (empty = every record type) */
  recordTypeFilters?: string[];
  /** longest wait for one query to finish */
  maxQueryWaitMs?: number;
}

export interface AuditLogQueryCheckpoint extends Checkpoint {
  v: 1;
  done: number;
  cur: { from: number; to: number; queryId: string | null; next: string | null } | null;
}

function isAlqCheckpoint(c: Checkpoint | undefined): c is AuditLogQueryCheckpoint {
  return !!c && c.v === 1 && typeof c.done === 'number' && 'cur' in c;
}

const iso = (t: number) => new Date(t).toISOString();

export class AuditLogQuerySource implements Source {
  readonly id = 'graph.auditLogQuery';
  readonly needs = 'AuditLogsQuery.Read.All (Graph application permission) and auditing turned on';
  readonly notices: SourceNotice[] = [];

  constructor(readonly spec: AuditLogQuerySpec) {}

  private base(): string {
    return `${this.spec.graphHost}/v1.0/security/auditLog/queries`;
  }

  async *pull(ctx: SourceContext, opts: PullOptions): AsyncGenerator<Batch> {
    this.notices.length = 0;
    const s = this.spec;
    const until = opts.until ?? ctx.clock.now();
    const seenRecords: DedupSet = ctx.ualSeen ?? new Deduper(1_000_000);
    const cp: AuditLogQueryCheckpoint = isAlqCheckpoint(opts.checkpoint) ? structuredClone(opts.checkpoint) : { v: 1, done: opts.since, cur: null };
    let seq = 0;
    const snap = (): AuditLogQueryCheckpoint => ({ v: 1, done: cp.done, cur: cp.cur ? { ...cp.cur } : null });
    while (cp.done < until || cp.cur) {
      if (ctx.signal?.aborted) return;
      const cur = (cp.cur ??= { from: cp.done, to: Math.min(cp.done + s.spanMs, until), queryId: null, next: null });
      try {
        if (!cur.queryId) {
          const res = await ctx.api.request({
            resource: 'graph',
            method: 'POST',
            url: this.base(),
            body: {
              '@odata.type': '#microsoft.graph.security.auditLogQuery',
              displayName: `tenantwatch ${iso(cur.from)} – ${iso(cur.to)}`,
              filterStartDateTime: iso(cur.from),
              filterEndDateTime: iso(cur.to),
              ...(s.recordTypeFilters?.length ? { recordTypeFilters: s.recordTypeFilters } : {}),
            },
            signal: ctx.signal,
          });
          const id = (res.body as Obj | undefined)?.id;
          if (typeof id !== 'string' || !id) throw new SourceError(this.id, 'the audit log query API created a query without an id');
          cur.queryId = id;
          // persist the query id before waiting: a resumed pull must not create it again
          yield { source: this.id, records: [], checkpoint: snap(), name: `q${String(seq).padStart(5, '0')}` };
        }
        if (!cur.next) {
          const status = await this.waitFor(ctx, cur.queryId);
          if (status === 'gone') {
            // the query expired or was deleted before it was read: ask again
            cur.queryId = null;
            continue;
          }
          cur.next = `${this.base()}/${encodeURIComponent(cur.queryId)}/records?$top=${s.pageSize}`;
        }
        const visited = new Set<string>();
        while (cur.next) {
          if (ctx.signal?.aborted) return;
          visited.add(cur.next);
          const res = await ctx.api.request({ resource: 'graph', url: cur.next, signal: ctx.signal });
          const body = (res.body ?? {}) as Obj;
          const value = Array.isArray(body.value) ? (body.value as unknown[]).filter((r): r is Obj => !!r && typeof r === 'object' && !Array.isArray(r)) : [];
          const fresh = value.filter((r) => {
            const id = typeof r.id === 'string' ? r.id.toLowerCase() : undefined;
            return !id || !seenRecords.isDuplicate(id, parseTime(r.createdDateTime) ?? 0);
          });
          let next = typeof body['@odata.nextLink'] === 'string' ? (body['@odata.nextLink'] as string) : null;
          if (next && visited.has(next)) {
            this.notice('warning', `query ${cur.queryId}: the records paging repeated a nextLink; stopped following it`);
            next = null;
          }
          cur.next = next;
          if (!next) {
            cp.done = cur.to;
            cp.cur = null;
          }
          yield { source: this.id, payload: fresh.length ? { ...body, value: fresh } : undefined, records: fresh, checkpoint: snap(), name: `p${String(++seq).padStart(5, '0')}` };
        }
        if (cp.cur === cur) {
          cp.done = cur.to;
          cp.cur = null;
        }
      } catch (e) {
        if (e instanceof ApiError) {
          if (e.code === 'aborted') return;
          const hint = e.status === 403 ? ' — the token lacks AuditLogsQuery.Read.All (run `tenantwatch preflight`)' : '';
          throw new SourceError(this.id, `${e.message}${hint}`, e);
        }
        throw e;
      }
    }
  }

  /** Poll a query until it succeeds. Back-off 5 s → 60 s on the injected clock. */
  private async waitFor(ctx: SourceContext, queryId: string): Promise<'succeeded' | 'gone'> {
    const limit = this.spec.maxQueryWaitMs ?? 6 * 3_600_000;
    const start = ctx.clock.now();
    let delay = 5000;
    for (;;) {
      const res = await ctx.api.request({ resource: 'graph', url: `${this.base()}/${encodeURIComponent(queryId)}`, accept: [404], signal: ctx.signal });
      if (res.status === 404) return 'gone';
      const status = String((res.body as Obj | undefined)?.status ?? '').toLowerCase();
      if (status === 'succeeded') return 'succeeded';
      if (status === 'failed' || status === 'cancelled') throw new SourceError(this.id, `audit log query ${queryId} ${status} on Microsoft's side; run collect again`);
      if (ctx.clock.now() - start > limit) throw new SourceError(this.id, `audit log query ${queryId} still "${status}" after ${Math.round(limit / 60_000)} min`);
      await ctx.clock.sleep(delay, ctx.signal);
      delay = Math.min(60_000, Math.round(delay * 1.5));
    }
  }

  private notice(level: SourceNotice['level'], message: string): void {
    this.notices.push({ source: this.id, level, message });
  }
}
