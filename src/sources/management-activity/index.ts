// Office 365 Management Activity API (the unified audit log feed), polled — Microsoft de-emphasises webhooks.
// Per content type: make sure the subscription is enabled (start it when missing or disabled), list content
// created in windows of at most 24 h within the last 7 days (startTime inclusive, endTime exclusive), follow the
// NextPageUri header, fetch each content blob, and pass PublisherIdentifier on EVERY call including blob GETs
// (without it the tenant shares a global quota and gets AF429 inside a 403). Records are deduplicated on `Id`
// (Microsoft re-delivers records, and may list the same blob twice); blobs on their contentId.
//
// Checkpoint v1: `listed` = content created before it has been fetched; `win` = the window in progress (listing
// page URI + contentIds fetched); `recent` = contentIds fetched near `listed`, because the next pull re-lists an
// overlap (content can be listed late) and must not fetch them again.
import { parseTime } from '../../core/time.js';
import { Deduper } from '../../pipeline/dedup.js';
import { ApiError } from '../http/client.js';
import { SourceError, type Batch, type Checkpoint, type DedupSet, type Json, type Obj, type PullOptions, type Source, type SourceContext, type SourceNotice } from '../types.js';

export const MGMT_RETENTION_MS = 7 * 86_400_000;
const WINDOW_MS = 24 * 3_600_000;
/** stay clear of the 7-day edge: a start time a little past it is refused (AF20030) */
const EDGE_MARGIN_MS = 10 * 60_000;

export interface MgmtSpec {
  /** e.g. https://manage.office.com */
  host: string;
  tenantId: string;
  publisherId: string;
  contentType: string;
  /** re-list this much before the last listed time on the next pull (late listings) */
  overlapMs?: number;
}

export interface MgmtCheckpoint extends Checkpoint {
  v: 1;
  listed: number;
  recent: [string, number][];
  win: { start: number; end: number; page: string | null; fetched: string[] } | null;
}

function isMgmtCheckpoint(c: Checkpoint | undefined): c is MgmtCheckpoint {
  return !!c && c.v === 1 && typeof c.listed === 'number' && Array.isArray(c.recent);
}

const iso = (t: number) => new Date(t).toISOString().slice(0, 19);

export class ManagementActivitySource implements Source {
  readonly notices: SourceNotice[] = [];
  readonly id: string;
  readonly needs = 'ActivityFeed.Read (Office 365 Management APIs application permission) and unified audit logging turned on';

  constructor(readonly spec: MgmtSpec) {
    this.id = `o365.management.${spec.contentType}`;
  }

  private root(): string {
    return `${this.spec.host}/api/v1.0/${this.spec.tenantId}/activity/feed`;
  }

  /** Add PublisherIdentifier to a URL the API gave us (NextPageUri, contentUri) when it lacks it. */
  withPublisher(url: string): string {
    const u = new URL(url);
    if (![...u.searchParams.keys()].some((k) => k.toLowerCase() === 'publisheridentifier')) u.searchParams.set('PublisherIdentifier', this.spec.publisherId);
    return u.toString();
  }

  listUrl(start: number, end: number): string {
    const q = new URLSearchParams({ contentType: this.spec.contentType, startTime: iso(start), endTime: iso(end), PublisherIdentifier: this.spec.publisherId });
    return `${this.root()}/subscriptions/content?${q}`;
  }

  /** Start the subscription when it is missing or disabled. Returns true when it had to be started. */
  async ensureSubscription(ctx: SourceContext): Promise<boolean> {
    const s = this.spec;
    const list = await ctx.api.request({ resource: 'management', url: `${this.root()}/subscriptions/list?PublisherIdentifier=${s.publisherId}`, signal: ctx.signal });
    const subs = Array.isArray(list.body) ? (list.body as Obj[]) : [];
    const mine = subs.find((x) => String(x.contentType).toLowerCase() === s.contentType.toLowerCase());
    if (mine && String(mine.status).toLowerCase() === 'enabled') return false;
    await ctx.api.request({ resource: 'management', method: 'POST', url: `${this.root()}/subscriptions/start?contentType=${encodeURIComponent(s.contentType)}&PublisherIdentifier=${s.publisherId}`, signal: ctx.signal });
    this.notice('warning', `${mine ? 'the subscription was disabled; re-enabled it' : 'started the subscription'} — content before now cannot be retrieved, and the first content can take up to 12 hours to appear`);
    return true;
  }

  async *pull(ctx: SourceContext, opts: PullOptions): AsyncGenerator<Batch> {
    this.notices.length = 0;
    const s = this.spec;
    const now = ctx.clock.now();
    const until = Math.min(opts.until ?? now, now);
    const floor = now - MGMT_RETENTION_MS + EDGE_MARGIN_MS;
    const overlap = s.overlapMs ?? 3_600_000;
    const seenRecords: DedupSet = ctx.ualSeen ?? new Deduper(1_000_000);
    try {
      await this.ensureSubscription(ctx);
    } catch (e) {
      throw this.fail(e, 'checking the subscription');
    }
    let cp: MgmtCheckpoint;
    let lost: Batch['lost'];
    if (isMgmtCheckpoint(opts.checkpoint)) {
      cp = structuredClone(opts.checkpoint);
      const behind = cp.win ? Math.min(cp.win.start, cp.listed) : cp.listed;
      if (behind < floor) {
        // skip to the floor (a window started below it would be refused, AF20030); a gap under a minute is the
        // floor moving while the previous pull ran, not a stop
        if (floor - cp.listed > 60_000) {
          this.notice('warning', `content created ${iso(cp.listed)}Z – ${iso(floor)}Z has expired (7 days) and is lost`);
          lost = { from: cp.listed, to: floor };
        }
        cp.listed = Math.max(cp.listed, floor);
        cp.win = null;
      }
    } else {
      if (opts.since < floor) this.notice('info', `the Management API keeps content 7 days: listing from ${iso(floor)}Z, not ${iso(opts.since)}Z`);
      cp = { v: 1, listed: Math.max(opts.since, floor), recent: [], win: null };
    }
    const recent = new Map<string, number>(cp.recent);
    let seq = 0;
    // the skip is a resume point of its own: a caller whose `until` is still below the floor sees progress
    if (lost) yield { source: this.id, records: [], checkpoint: this.snapshot(cp, recent), name: 'w00000', lost };
    // the next window starts at the last listed time less an overlap (late listings), but never before the floor
    let startAt = cp.win ? cp.win.start : Math.max(floor, cp.listed - (opts.checkpoint ? overlap : 0));
    while (startAt < until) {
      if (ctx.signal?.aborted) return;
      const win = cp.win && cp.win.start === startAt ? cp.win : { start: startAt, end: Math.min(startAt + WINDOW_MS, until), page: null, fetched: [] };
      cp.win = win;
      const fetched = new Set(win.fetched);
      let visited = new Set<string>();
      let relisted = 0;
      let pageUrl: string | null = win.page ?? this.listUrl(win.start, win.end);
      while (pageUrl) {
        if (ctx.signal?.aborted) return;
        visited.add(pageUrl);
        let res;
        try {
          res = await ctx.api.request({ resource: 'management', url: pageUrl, signal: ctx.signal });
        } catch (e) {
          if (e instanceof ApiError && (e.code === 'AF20022' || e.code === 'AF20023')) {
            await this.ensureSubscription(ctx).catch((x) => {
              throw this.fail(x, 'starting the subscription');
            });
            res = { body: [], headers: {} as Record<string, string> };
          } else throw this.fail(e, `listing content ${iso(win.start)}Z – ${iso(win.end)}Z`);
        }
        const items = Array.isArray(res.body) ? (res.body as Obj[]) : [];
        for (const item of items) {
          const contentId = String(item.contentId ?? '');
          const uri = typeof item.contentUri === 'string' ? item.contentUri : undefined;
          if (!contentId || !uri) continue;
          if (fetched.has(contentId) || recent.has(contentId)) continue; // the same blob listed again
          const created = parseTime(item.contentCreated) ?? win.start;
          let records: Obj[] = [];
          try {
            const blob = await ctx.api.request({ resource: 'management', url: this.withPublisher(uri), signal: ctx.signal });
            records = Array.isArray(blob.body) ? (blob.body as unknown[]).filter((r): r is Obj => !!r && typeof r === 'object' && !Array.isArray(r)) : [];
          } catch (e) {
            if (e instanceof ApiError && (e.code === 'AF20051' || e.code === 'AF20050')) {
              this.notice('warning', `content ${contentId.slice(0, 40)}… ${e.code === 'AF20051' ? 'expired before it could be fetched' : 'no longer exists'}: its records are lost`);
            } else throw this.fail(e, `fetching content ${contentId.slice(0, 40)}…`);
          }
          const fresh = records.filter((r) => {
            const id = typeof r.Id === 'string' ? r.Id.toLowerCase() : undefined;
            if (!id) return true;
            return !seenRecords.isDuplicate(id, parseTime(r.CreationTime) ?? 0);
          });
          fetched.add(contentId);
          win.fetched.push(contentId);
          recent.set(contentId, created);
          const checkpoint = this.snapshot(cp, recent);
          yield { source: this.id, payload: fresh.length ? fresh : undefined, records: fresh, checkpoint, name: `b${String(++seq).padStart(5, '0')}` };
        }
        const next = res.headers['nextpageuri'] ?? res.headers['nextpageurl'];
        if (next && visited.has(this.withPublisher(next))) {
          // a paging loop: list the window again from its first page (fetched blobs are skipped); twice = give up
          if (++relisted > 2) throw new SourceError(this.id, `the content listing for ${iso(win.start)}Z keeps repeating a NextPageUri; run collect again later`);
          this.notice('info', `the content listing for ${iso(win.start)}Z repeated a NextPageUri; listed the window again`);
          visited = new Set<string>();
          pageUrl = this.listUrl(win.start, win.end);
          win.page = null;
          continue;
        }
        pageUrl = next ? this.withPublisher(next) : null;
        win.page = pageUrl;
      }
      // window complete
      cp.listed = Math.max(cp.listed, win.end);
      cp.win = null;
      for (const [id, t] of recent) if (t < cp.listed - overlap - WINDOW_MS) recent.delete(id);
      startAt = win.end;
      yield { source: this.id, records: [], checkpoint: this.snapshot(cp, recent), name: `w${String(seq).padStart(5, '0')}` };
    }
  }

  private snapshot(cp: MgmtCheckpoint, recent: Map<string, number>): MgmtCheckpoint {
    return {
      v: 1,
      listed: cp.listed,
      recent: [...recent.entries()] as [string, number][],
      win: cp.win ? { ...cp.win, fetched: [...cp.win.fetched] } : null,
    } satisfies Record<string, Json | undefined> as MgmtCheckpoint;
  }

  private fail(e: unknown, doing: string): Error {
    if (!(e instanceof ApiError)) return e as Error;
    const hint =
      e.code === 'AF10001' || e.status === 401
        ? ' — the token lacks ActivityFeed.Read (Office 365 Management APIs → Application permissions → ActivityFeed.Read, then admin consent)'
        : e.code === 'AF20023'
          ? ' — an administrator or the service disabled the subscription'
          : /auditing|audit log/i.test(e.message)
            ? ' — turn on unified audit logging (Purview → Audit)'
            : '';
    return new SourceError(this.id, `${doing}: ${e.message}${hint}`, e);
  }

  private notice(level: SourceNotice['level'], message: string): void {
    this.notices.push({ source: this.id, level, message });
  }
}
