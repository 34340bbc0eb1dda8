// A Graph collection filtered by a time field and returned newest first (sign-ins, directory audits, message
// traces): `$filter` time windows, `$top`, `@odata.nextLink`, dedup, adaptive query spans, resumable checkpoints.
//
// How a pull walks time. Everything before `done` has been delivered. A pull to `until` is a *sweep* that walks
// down from `until` to `done` in queries of `span` each: `T ge lo and T lt hi`. Because results come newest first,
// after each page every record at or after the oldest time seen (`minT`) has been delivered, so the sweep's upper
// bound moves down to `minT + 1 ms`, remembering the ids already delivered at `minT`. That makes any page a safe
// resume point without relying on a skip token (which expires): a crash, a broken nextLink chain, a repeated
// page or a failed request just re-queries `[lo, hi)` and drops the ids it already has.
// A query that runs to more than `maxPages` pages is cut there and the span halves; a query whose first page keeps
// failing (timeouts, 5xx — Graph's answer to a window that is too big) halves the span and tries again; quick,
// small queries double it back up to `maxSpan`.
import { parseTime } from '../../core/time.js';
import { ApiError } from '../http/client.js';
import { SourceError, type Batch, type Checkpoint, type Obj, type PullOptions, type Source, type SourceContext, type SourceNotice } from '../types.js';

export interface GraphWindowedSpec {
  id: string;
  needs: string;
  /** Graph host, e.g. https://graph.microsoft.com */
  host: string;
  /** path with version, e.g. /beta/auditLogs/signIns */
  path: string;
  /** the record's time property, filterable with ge/lt */
  timeField: string;
  /** ANDed with the time filter, e.g. signInEventTypes/any(t: t eq 'servicePrincipal') */
  extraFilter?: string;
  /** dedup key; records without one are kept */
  key(rec: Obj): string | undefined;
  pageSize: number;
  spanMs: number;
  minSpanMs?: number;
  maxSpanMs?: number;
  /** pages one query may take before it is cut and the span shrinks */
  maxPages?: number;
  /** how far back the API keeps data: earlier times are not requested and a checkpoint older than that is a gap */
  retentionMs?: number;
  headers?: Record<string, string>;
}

/** Checkpoint v1. `sweep` is absent between pulls. */
export interface GraphCheckpoint extends Checkpoint {
  v: 1;
  done: number;
  span: number;
  sweep: { target: number; hi: number; ids: string[] } | null;
}

export function isGraphCheckpoint(c: Checkpoint | undefined): c is GraphCheckpoint {
  return !!c && c.v === 1 && typeof c.done === 'number' && typeof c.span === 'number';
}

const iso = (t: number) => new Date(t).toISOString();

export class GraphWindowedSource implements Source {
  readonly notices: SourceNotice[] = [];
  constructor(readonly spec: GraphWindowedSpec) {}

  get id(): string {
    return this.spec.id;
  }
  get needs(): string {
    return this.spec.needs;
  }

  firstUrl(lo: number, hi: number): string {
    const s = this.spec;
    const time = `${s.timeField} ge ${iso(lo)} and ${s.timeField} lt ${iso(hi)}`;
    const filter = s.extraFilter ? `${time} and ${s.extraFilter}` : time;
    const q = new URLSearchParams({ $filter: filter, $top: String(s.pageSize) });
    return `${s.host}${s.path}?${q.toString().replace(/\+/g, '%20')}`;
  }

  async *pull(ctx: SourceContext, opts: PullOptions): AsyncGenerator<Batch> {
    const s = this.spec;
    this.notices.length = 0;
    const now = ctx.clock.now();
    const until = opts.until ?? now;
    const minSpan = s.minSpanMs ?? 60_000;
    const maxSpan = s.maxSpanMs ?? Math.max(s.spanMs, 7 * 86_400_000);
    const maxPages = s.maxPages ?? 25;
    const cp: GraphCheckpoint = isGraphCheckpoint(opts.checkpoint)
      ? structuredClone(opts.checkpoint)
      : { v: 1, done: opts.since, span: s.spanMs, sweep: null };
    let lost: Batch['lost'];
    if (s.retentionMs !== undefined) {
      const floor = now - s.retentionMs;
      if (cp.done < floor) {
        // a gap under a minute is the floor moving while the previous pull ran, not a stop: move on quietly
        if (opts.checkpoint && floor - cp.done > 60_000) {
          this.notice('warning', `data from ${iso(cp.done)} to ${iso(floor)} is past the API's retention and cannot be collected any more`);
          lost = { from: cp.done, to: floor };
        } else if (!opts.checkpoint && floor - cp.done > 60_000) this.notice('info', `the API keeps ${Math.round(s.retentionMs / 86_400_000)} days: collecting from ${iso(floor)}, not ${iso(cp.done)}`);
        cp.done = floor;
      }
      if (cp.sweep && cp.sweep.hi < cp.done) cp.sweep = null;
    }
    if (lost) {
      // the skip is a resume point of its own: a caller whose `until` is still below the floor sees progress
      if (cp.sweep && cp.sweep.hi <= cp.done) cp.sweep = null;
      yield { source: s.id, records: [], checkpoint: { v: 1, done: cp.done, span: cp.span, sweep: cp.sweep ? { ...cp.sweep, ids: [...cp.sweep.ids] } : null }, name: 'p00000', lost };
    }
    if (!cp.sweep) {
      if (cp.done >= until) return;
      cp.sweep = { target: until, hi: until, ids: [] };
    }
    const sw = cp.sweep;
    let seq = 0;
    let stuck = 0; // consecutive restarts without progress
    // ids delivered in the current query range; kept when a query is restarted without progress (an unordered
    // answer cannot narrow the range, so the restart relies on this set), reset once the upper bound moves
    let seen = new Set(sw.ids);
    let seenHi = sw.hi;
    while (sw.hi > cp.done) {
      if (ctx.signal?.aborted) return;
      const lo = Math.max(cp.done, sw.hi - cp.span);
      const chainHi = sw.hi;
      if (seenHi !== sw.hi) {
        seen = new Set(sw.ids);
        seenHi = sw.hi;
      }
      let url: string | undefined = this.firstUrl(lo, sw.hi);
      const visited = new Set<string>();
      let pages = 0;
      let minT = Infinity;
      let atMin: string[] = [];
      let ordered = true;
      let broke: string | undefined;
      while (url) {
        if (ctx.signal?.aborted) return;
        visited.add(url);
        let body: Obj;
        try {
          // a first page failing on the server side is how Graph says "ask for less": shrink rather than insist
          const res = await ctx.api.request({ resource: 'graph', url, headers: s.headers, signal: ctx.signal, ...(pages === 0 ? { maxServerErrors: 3 } : {}) });
          body = (res.body ?? {}) as Obj;
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          if (e.code === 'aborted') return;
          if (pages === 0 && !e.transient) throw new SourceError(s.id, `${e.message}${hintFor(e)}`, e);
          broke = e.message;
          break;
        }
        pages++;
        const value = Array.isArray(body.value) ? (body.value as unknown[]).filter((r): r is Obj => !!r && typeof r === 'object' && !Array.isArray(r)) : [];
        const fresh: Obj[] = [];
        for (const r of value) {
          const k = s.key(r);
          // a record delivered before (a repeated page, a restarted query) changes nothing
          if (k !== undefined && seen.has(k)) continue;
          const t = parseTime(r[s.timeField]);
          if (t !== undefined) {
            if (t > minT) ordered = false;
            if (t < minT) {
              minT = t;
              atMin = [];
            }
          }
          if (k !== undefined) {
            if (t !== undefined && t === minT) atMin.push(k);
            seen.add(k);
          }
          fresh.push(r);
        }
        const next = typeof body['@odata.nextLink'] === 'string' ? (body['@odata.nextLink'] as string) : undefined;
        const cut = next !== undefined && pages >= maxPages;
        const repeated = next !== undefined && visited.has(next);
        const last = next === undefined;
        // advance the resume point
        if (last) {
          if (lo <= cp.done) {
            cp.done = sw.target;
            sw.hi = cp.done;
          } else {
            sw.hi = lo;
          }
          sw.ids = [];
        } else if (ordered && minT !== Infinity && minT + 1 <= sw.hi) {
          const ids = minT + 1 === sw.hi ? [...new Set([...sw.ids, ...atMin])] : [...new Set(atMin)];
          sw.hi = minT + 1;
          sw.ids = ids;
        }
        const done = sw.hi <= cp.done;
        const checkpoint: GraphCheckpoint = { v: 1, done: cp.done, span: cp.span, sweep: done ? null : { ...sw, ids: [...sw.ids] } };
        const page: Obj = { ...body, value: fresh };
        yield { source: s.id, payload: fresh.length ? page : undefined, records: fresh, checkpoint, name: `p${String(++seq).padStart(5, '0')}` };
        if (last) break;
        if (repeated) {
          broke = 'the API returned a nextLink it had already returned (paging loop)';
          break;
        }
        if (cut) {
          broke = `more than ${maxPages} pages in ${Math.round((chainHi - lo) / 60_000)} min`;
          break;
        }
        url = next;
      }
      if (broke === undefined) {
        // the query ran to its end: small and quick -> widen the next one
        if (pages <= 1) cp.span = Math.min(maxSpan, cp.span * 2);
        stuck = 0;
        continue;
      }
      const progressed = sw.hi < chainHi;
      if (pages === 0 || /more than \d+ pages/.test(broke)) {
        if (cp.span > minSpan) {
          cp.span = Math.max(minSpan, Math.floor(cp.span / 2));
          ctx.logger.debug(`${s.id}: ${broke} — query span now ${Math.round(cp.span / 60_000)} min`);
        } else if (!progressed) stuck++;
      } else if (!progressed) stuck++;
      if (progressed) stuck = 0;
      if (stuck >= 3) throw new SourceError(s.id, `no progress below ${iso(sw.hi)}: ${broke}`);
      ctx.logger.debug(`${s.id}: ${broke}; re-querying below ${iso(sw.hi)}`);
      if (pages > 0 && !/more than \d+ pages/.test(broke)) this.notice('info', `re-queried below ${iso(sw.hi)} after: ${broke}`);
    }
    if (cp.done < sw.target) cp.done = sw.target;
  }

  private notice(level: SourceNotice['level'], message: string): void {
    this.notices.push({ source: this.spec.id, level, message });
  }
}

function hintFor(e: ApiError): string {
  if (e.status === 403) return ' — the app lacks the permission or the tenant lacks the licence (run `tenantwatch preflight`)';
  if (e.status === 400 && /premium|license|licence/i.test(e.message)) return ' — sign-in logs through Graph need Entra ID P1 or P2';
  return '';
}
