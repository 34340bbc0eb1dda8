// `tenantwatch collect`: pull every configured source over a time range and write Microsoft's own formats to a
// folder that `hunt`, `inspect` and `audit` read back:
//
//   OUT/signins/<eventType>/signins-NNNNN.json       Graph beta signIn pages
//   OUT/audit/directoryAudits-NNNNN.json             Graph directoryAudit pages
//   OUT/ual/management/<contentType>/blob-NNNNN.json Management Activity API content (JSON arrays of records)
//   OUT/ual/auditlog-query/records-NNNNN.json        audit log query API auditLogRecord pages
//   OUT/messagetrace/messageTraces-NNNNN.json        Graph exchangeMessageTrace pages
//   OUT/snapshot/…                                   the configuration snapshot (docs/snapshot.md)
//   OUT/collect.json                                 what ran, counts, notices, errors, and each source's checkpoint
//
// Pages keep Microsoft's envelope but hold only records not written before (duplicates removed on the record id).
// The unified audit log comes from the Management API for the last 7 days and from the audit log query API before
// that (or for everything, when the Management API is not enabled or fails), deduplicated across both.
// Sources run in two lanes (Graph; Management API) so throttling on one does not stall the other. A failing source
// is reported and the others go on; `collect.json` is rewritten as it goes, so `--resume` continues after a crash.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseTime } from '../../core/time.js';
import { Deduper } from '../../pipeline/dedup.js';
import { directoryAuditSource } from '../directory-audits/index.js';
import { signInSource } from '../graph-signins/index.js';
import type { ClientStats } from '../http/client.js';
import { AuditLogQuerySource } from '../audit-log-query/index.js';
import { ManagementActivitySource, MGMT_RETENTION_MS } from '../management-activity/index.js';
import { messageTraceSource } from '../message-trace/index.js';
import type { CollectorRuntime } from '../runtime.js';
import { collectSnapshot, type SnapshotFileResult } from '../snapshot/index.js';
import { SourceError, type Checkpoint, type Source, type SourceContext, type SourceNotice } from '../types.js';

export const COLLECT_SCHEMA = 'tenantwatch.collect/1';

export interface SourceReport {
  id: string;
  needs: string;
  /** ok = ran to the end; failed = stopped with `error` (records written before it are kept) */
  status: 'ok' | 'failed' | 'interrupted' | 'pending';
  from: string;
  to: string;
  records: number;
  files: number;
  dir: string;
  error?: string;
  notices: SourceNotice[];
  checkpoint?: Checkpoint;
}

export interface CollectReport {
  schema: typeof COLLECT_SCHEMA;
  tenant: string;
  started: string;
  finished?: string;
  since: string;
  until: string;
  sources: SourceReport[];
  snapshot?: { status: 'ok' | 'failed' | 'pending'; files: SnapshotFileResult[]; error?: string };
  http?: ClientStats;
}

export interface CollectOptions {
  rt: CollectorRuntime;
  out: string;
  since: number;
  until?: number;
  signal?: AbortSignal;
  /** continue the run recorded in OUT/collect.json */
  resume?: boolean;
  /** called after every written file (progress) */
  onWrite?: (source: string, records: number) => void;
}

/** one audit log query per week of history: the search is asynchronous and each query costs minutes of waiting */
const QUERY_SPAN_MS = 7 * 86_400_000;
const SECRET_FILE_MODE = 0o600; // tenant logs are personal data
const DIR_MODE = 0o700;

let tmpSeq = 0;

/** Write JSON atomically (temp file + rename): a crash never leaves half a page behind. */
export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE });
  const tmp = `${file}.tmp-${process.pid}-${++tmpSeq}`;
  await writeFile(tmp, JSON.stringify(value, null, 1) + '\n', { mode: SECRET_FILE_MODE });
  await rename(tmp, file);
}

interface Planned {
  source: Source;
  dir: string;
  stem: string;
  since: number;
  until: number;
  lane: 'graph' | 'management';
}

function dirFor(id: string): { dir: string; stem: string } {
  if (id.startsWith('graph.signins.')) return { dir: `signins/${id.slice('graph.signins.'.length)}`, stem: 'signins' };
  if (id === 'graph.directoryAudits') return { dir: 'audit', stem: 'directoryAudits' };
  if (id === 'graph.messageTraces') return { dir: 'messagetrace', stem: 'messageTraces' };
  if (id === 'graph.auditLogQuery') return { dir: 'ual/auditlog-query', stem: 'records' };
  if (id.startsWith('o365.management.')) return { dir: `ual/management/${id.slice('o365.management.'.length)}`, stem: 'blob' };
  return { dir: id.replace(/[^\w.-]+/g, '_'), stem: 'batch' };
}

const iso = (t: number) => new Date(t).toISOString();

async function seedUalSeen(out: string, sources: SourceReport[], seen: Deduper): Promise<void> {
  for (const s of sources) {
    if (!s.id.startsWith('o365.management.') && s.id !== 'graph.auditLogQuery') continue;
    for (const n of await readdir(path.join(out, s.dir)).catch(() => [] as string[])) {
      if (!n.endsWith('.json')) continue;
      let body: unknown;
      try {
        body = JSON.parse(await readFile(path.join(out, s.dir, n), 'utf8'));
      } catch {
        continue;
      }
      const recs = (Array.isArray(body) ? body : Array.isArray((body as { value?: unknown })?.value) ? (body as { value: unknown[] }).value : []) as Record<string, unknown>[];
      for (const r of recs) {
        const id = typeof r.Id === 'string' ? r.Id : typeof r.id === 'string' ? r.id : undefined;
        if (id) seen.isDuplicate(id.toLowerCase(), parseTime(r.CreationTime ?? r.createdDateTime) ?? 0);
      }
    }
  }
}

/**
 * Before resuming: remove files written after the last saved checkpoint of their source (numbered above its
 * `files` count) and half-written temp files. Their records are pulled again from the checkpoint, so the folder
 * ends up with every record exactly once even after a hard crash.
 */
async function dropUnrecorded(out: string, previous: CollectReport): Promise<void> {
  const byDir = new Map<string, number>();
  for (const s of previous.sources) byDir.set(s.dir, Math.max(byDir.get(s.dir) ?? 0, s.files));
  for (const [dir, files] of byDir) {
    const names = await readdir(path.join(out, dir)).catch(() => [] as string[]);
    for (const n of names) {
      const m = /-(\d{5,})\.json$/.exec(n);
      if (n.includes('.tmp-') || (m && Number(m[1]) > files)) await rm(path.join(out, dir, n), { force: true });
    }
  }
}

export async function collect(o: CollectOptions): Promise<CollectReport> {
  const { rt } = o;
  const c = rt.collect;
  const now = rt.clock.now();
  const until = Math.min(o.until ?? now, now);
  const want = new Set(c.sources);
  const statePath = path.join(o.out, 'collect.json');

  let previous: CollectReport | undefined;
  if (o.resume) {
    try {
      previous = JSON.parse(await readFile(statePath, 'utf8')) as CollectReport;
    } catch {
      previous = undefined;
    }
    if (!previous || previous.schema !== COLLECT_SCHEMA) throw new SourceError('collect', `--resume: ${statePath} is missing or not a tenantwatch collect state`);
  } else {
    const existing = await readdir(o.out).catch(() => [] as string[]);
    if (existing.length) throw new SourceError('collect', `${o.out} is not empty: collect into a new folder, or continue an interrupted run with --resume`);
  }
  await mkdir(o.out, { recursive: true, mode: DIR_MODE });
  if (previous) await dropUnrecorded(o.out, previous);
  const since = previous ? Date.parse(previous.since) : o.since;
  const end = previous ? Date.parse(previous.until) : until;

  // plan
  const span = c.window;
  const plan: Planned[] = [];
  const add = (source: Source, lane: Planned['lane'], from = since, to = end) => plan.push({ source, ...dirFor(source.id), since: from, until: to, lane });
  if (want.has('signins')) for (const t of c.signInEventTypes) add(signInSource({ graphHost: rt.endpoints.graph, eventType: t, pageSize: c.pageSize, spanMs: span }), 'graph');
  if (want.has('directoryAudits')) add(directoryAuditSource({ graphHost: rt.endpoints.graph, pageSize: c.pageSize, spanMs: span }), 'graph');
  if (want.has('messageTrace')) add(messageTraceSource({ graphHost: rt.endpoints.graph, pageSize: c.pageSize, spanMs: span }), 'graph');
  const mgmt = want.has('managementActivity');
  // the Management API reaches 7 days back; the audit log query API fills in before that
  const earlierQuery = previous?.sources.find((s) => s.id === 'graph.auditLogQuery' && s.from === iso(since));
  const cutoff = earlierQuery ? Date.parse(earlierQuery.to) : mgmt ? Math.min(end, Math.max(since, now - MGMT_RETENTION_MS + 3_600_000)) : end;
  const query = new AuditLogQuerySource({ graphHost: rt.endpoints.graph, spanMs: QUERY_SPAN_MS, pageSize: c.pageSize });
  if (want.has('auditLogQuery') && since < cutoff) add(query, 'graph', since, cutoff);
  if (mgmt) for (const ct of c.contentTypes) add(new ManagementActivitySource({ host: rt.endpoints.management, tenantId: rt.tenant.id, publisherId: rt.publisherId, contentType: ct }), 'management');

  const report: CollectReport = {
    schema: COLLECT_SCHEMA,
    tenant: rt.tenant.id,
    started: previous?.started ?? iso(now),
    since: iso(since),
    until: iso(end),
    sources: [
      ...plan.map((p): SourceReport => {
        const prev = previous?.sources.find((s) => s.id === p.source.id && s.from === iso(p.since));
        return prev ?? { id: p.source.id, needs: p.source.needs, status: 'pending', from: iso(p.since), to: iso(p.until), records: 0, files: 0, dir: p.dir, notices: [] };
      }),
      // sources added during the previous run (the audit log query fallback)
      ...(previous?.sources.filter((s) => !plan.some((p) => p.source.id === s.id && iso(p.since) === s.from)) ?? []),
    ],
    ...(want.has('snapshot') ? { snapshot: previous?.snapshot?.status === 'ok' ? previous.snapshot : { status: 'pending' as const, files: [] } } : {}),
  };
  let lastSave = 0;
  let saving: Promise<void> = Promise.resolve();
  const save = (force = false): Promise<void> => {
    const t = Date.now(); // real time: how often the state file is rewritten is about I/O, not about the tenant
    if (!force && t - lastSave < 2000) return saving;
    lastSave = t;
    // the two lanes save concurrently: one write at a time, each a consistent picture of (files, checkpoint)
    report.http = { ...rt.api.stats, statuses: { ...rt.api.stats.statuses } };
    const text = JSON.parse(JSON.stringify(report)) as CollectReport;
    saving = saving.then(() => writeJsonFile(statePath, text));
    return saving;
  };
  await save(true);

  const ualSeen = new Deduper(2_000_000);
  // the audit log comes from two APIs that overlap: after a crash, remember what the first run already wrote
  if (previous) await seedUalSeen(o.out, report.sources, ualSeen);
  const ctx: SourceContext = { api: rt.api, clock: rt.clock, logger: rt.logger, ualSeen, ...(o.signal ? { signal: o.signal } : {}) };

  const run = async (p: Planned, r: SourceReport): Promise<void> => {
    if (r.status === 'ok') return;
    r.status = 'pending';
    delete r.error;
    try {
      for await (const b of p.source.pull(ctx, { since: p.since, until: p.until, ...(r.checkpoint ? { checkpoint: r.checkpoint } : {}) })) {
        if (b.payload !== undefined && b.records.length) {
          r.files++;
          await writeJsonFile(path.join(o.out, p.dir, `${p.stem}-${String(r.files).padStart(5, '0')}.json`), b.payload);
          r.records += b.records.length;
          o.onWrite?.(p.source.id, b.records.length);
        }
        r.checkpoint = b.checkpoint;
        await save();
      }
      r.status = o.signal?.aborted ? 'interrupted' : 'ok';
    } catch (e) {
      if (o.signal?.aborted) r.status = 'interrupted';
      else {
        r.status = 'failed';
        r.error = rt.redactor.redact((e as Error).message);
        rt.logger.warn(`${p.source.id}: ${r.error}`);
      }
    }
    r.notices = p.source.notices.map((n) => ({ ...n, message: rt.redactor.redact(n.message) }));
    for (const n of r.notices) (n.level === 'warning' ? rt.logger.warn : rt.logger.info)(`${n.source}: ${n.message}`);
    rt.logger.info(`${p.source.id}: ${r.status}, ${r.records} record(s) in ${r.files} file(s)`);
    await save(true);
  };

  const lane = async (name: Planned['lane']) => {
    for (const [i, p] of plan.entries()) if (p.lane === name && !o.signal?.aborted) await run(p, report.sources[i]!);
  };
  const snapshot = async () => {
    if (!report.snapshot || report.snapshot.status === 'ok' || o.signal?.aborted) return;
    try {
      report.snapshot.files = await collectSnapshot(ctx, {
        graphHost: rt.endpoints.graph,
        ...(c.exchangeConfig ? { exchange: { host: rt.endpoints.exchange, tenantId: rt.tenant.id, ...(c.exchangeAnchorDomain ? { anchorDomain: c.exchangeAnchorDomain } : {}) } } : {}),
        write: (rel, body) => writeJsonFile(path.join(o.out, 'snapshot', rel), body),
      });
      report.snapshot.status = 'ok';
      delete report.snapshot.error;
    } catch (e) {
      report.snapshot.status = 'failed';
      report.snapshot.error = rt.redactor.redact((e as Error).message);
    }
    await save(true);
  };
  await Promise.all([lane('graph').then(snapshot), lane('management')]);

  // the Management API failed (no ActivityFeed.Read, audit log off…): take the last 7 days from the query API too
  const mgmtFailed = report.sources.some((s) => s.id.startsWith('o365.management.') && s.status === 'failed');
  if (mgmtFailed && want.has('auditLogQuery') && cutoff < end && !o.signal?.aborted) {
    const fallback = new AuditLogQuerySource({ graphHost: rt.endpoints.graph, spanMs: QUERY_SPAN_MS, pageSize: c.pageSize });
    // its own folder: the first query source's files keep their numbers
    const p: Planned = { source: fallback, dir: 'ual/auditlog-query-last7d', stem: 'records', since: cutoff, until: end, lane: 'graph' };
    let r = report.sources.find((s) => s.id === fallback.id && s.from === iso(cutoff));
    if (!r) {
      r = { id: fallback.id, needs: fallback.needs, status: 'pending', from: iso(cutoff), to: iso(end), records: 0, files: 0, dir: p.dir, notices: [] };
      report.sources.push(r);
      rt.logger.warn('the Management API failed: reading the last 7 days of the unified audit log through the audit log query API instead');
    }
    await run(p, r);
  }
  ualSeen.close();
  report.finished = iso(rt.clock.now());
  await save(true);
  return report;
}
