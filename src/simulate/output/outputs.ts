// Routes each intent's rendered records to the selected output files and tells the truth which ids were written.
import { join } from 'node:path';
import { dayKey, DAY, localeDate } from '../clock.js';
import type { Intent, SignInIntent } from '../model.js';
import { graphAudit, ualAudit } from '../render/audit.js';
import { ualCmdlet, ualMailbox } from '../render/exchange.js';
import { TRACE_CSV_HEADER, traceCsv, traceEventId, traceJson, traceRws, type TraceRow } from '../render/messagetrace.js';
import { DIAG_CATEGORY, diagSignIn, diagTime, graphSignIn, ualSignIn } from '../render/signin.js';
import { hash32, rngFor } from '../rng.js';
import type { Truth } from '../truth.js';
import type { World } from '../world/build.js';
import { FileSink } from './sink.js';
import { csvRow, type FileStat, GraphPageFiles, GraphPagesConcat, HourlyBlobs, DailyFiles, RotatingFile, skipLink } from './writers.js';

export const FORMATS = ['graph', 'diag', 'audit', 'ual-purview', 'ual-search', 'messagetrace', 'snapshot', 'bench'] as const;
export type Format = (typeof FORMATS)[number];

export interface OutputOptions {
  dir: string;
  formats: Set<Format>;
  /** where user sign-ins go: split = interactive to Graph pages, the rest to the diagnostic export */
  signins: 'split' | 'graph' | 'diag';
  messagetrace: 'json' | 'csv' | 'rws';
  order: 'newest' | 'oldest';
}

const RECORD_TYPE: Record<number, string> = { 1: 'ExchangeAdmin', 2: 'ExchangeItem', 8: 'AzureActiveDirectory', 15: 'AzureActiveDirectoryStsLogon', 50: 'ExchangeItemAggregated' };
const PURVIEW_HEADER = ['RecordId', 'CreationDate', 'RecordType', 'Operation', 'UserId', 'AuditData', 'AssociatedAdminUnits', 'AssociatedAdminUnitsNames'];
const SEARCH_HEADER = ['RunspaceId', 'RecordType', 'CreationDate', 'UserIds', 'Operations', 'AuditData', 'ResultIndex', 'ResultCount', 'Identity', 'IsValid', 'ObjectState'];
const UAL_MAX_ROWS = 50_000;

interface UalRow {
  id: string;
  time: number;
  recordType: number;
  operation: string;
  userId: string;
  auditData: string;
}

export class Outputs {
  private graph?: GraphPageFiles;
  private diag?: HourlyBlobs;
  private audit?: GraphPagesConcat;
  private purview?: RotatingFile;
  private search?: DailyFiles<UalRow>;
  private trace?: DailyFiles<TraceRow>;
  private bench?: FileSink;
  private auditStat?: FileStat;
  private counts = { signins: 0, audits: 0, ual: 0, messageRows: 0, bench: 0 };
  private puids = new Map<string, string>();

  constructor(
    private world: World,
    private opts: OutputOptions,
    private truth: Truth,
  ) {
    const f = opts.formats;
    const seed = world.seed;
    if (f.has('graph')) {
      const base = 'https://graph.microsoft.com/beta/auditLogs/signIns?$top=1000';
      this.graph = new GraphPageFiles(opts.dir, (n) => `signins/graph-beta-page-${String(n).padStart(4, '0')}.json`, 'https://graph.microsoft.com/beta/$metadata#auditLogs/signIns', (n) => skipLink(base, seed, n));
    }
    if (f.has('diag')) this.diag = new HourlyBlobs(opts.dir, opts.order);
    if (f.has('audit')) {
      const base = 'https://graph.microsoft.com/v1.0/auditLogs/directoryAudits?$top=1000';
      this.audit = new GraphPagesConcat(opts.dir, 'audit/directoryAudits.json', 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits', (n) => skipLink(base, seed, n));
    }
    if (f.has('ual-purview')) {
      const always = world.dateStyles.purview === 'iso-trailing';
      this.purview = new RotatingFile(opts.dir, (n) => `ual/purview-export-${String(n).padStart(3, '0')}.csv`, csvRow(PURVIEW_HEADER, always), UAL_MAX_ROWS);
    }
    if (f.has('ual-search')) {
      const style = world.dateStyles.powershell;
      this.search = new DailyFiles<UalRow>(opts.dir, (d) => `ual/search-unifiedauditlog-${dayKey(d)}.csv`, (rows, d) => {
        const runspace = rngFor(seed, 'runspace', d).uuid();
        const out = [csvRow(SEARCH_HEADER, true)];
        rows.forEach((r, i) =>
          out.push(csvRow([runspace, RECORD_TYPE[r.recordType] ?? String(r.recordType), localeDate(r.time, style), r.userId, r.operation, r.auditData, i + 1, rows.length, r.id, 'True', 'Unchanged'], true)),
        );
        return out;
      });
    }
    if (f.has('messagetrace')) {
      const kind = opts.messagetrace;
      const ext = kind === 'csv' ? 'csv' : 'json';
      this.trace = new DailyFiles<TraceRow>(opts.dir, (d) => `messagetrace/messagetrace-${dayKey(d)}.${ext}`, (rows, d) => {
        const end = d + DAY;
        if (kind === 'csv') {
          const runspace = rngFor(seed, 'mt-runspace', d).uuid();
          return [TRACE_CSV_HEADER, ...rows.map((r, i) => traceCsv(r, i, d, end, world.dateStyles.powershell, runspace))];
        }
        if (kind === 'rws') return ['{"d":{"results":[', rows.map((r, i) => traceRws(r, i, d, end)).join(','), ']}}'];
        return rows.map((r, i) => traceJson(r, i, d, end) + '\n');
      });
    }
    if (f.has('bench')) this.bench = new FileSink(join(opts.dir, 'signins/bench-signins.ndjson'));
  }

  /** UAL UserKey for a user: a PUID-like 16-hex id, stable per user */
  puid = (userId: string): string => {
    let p = this.puids.get(userId);
    if (!p) {
      p = `1003${(hash32(userId, 'puid').toString(16) + hash32('puid', userId).toString(16)).toUpperCase().padStart(12, '0').slice(0, 12)}`;
      if (this.puids.size < 200_000) this.puids.set(userId, p);
    }
    return p;
  };

  private mark(i: Intent, id: string, source: string): void {
    if (i.label) this.truth.record(i.label, id, source, i.time);
    else if (i.decoy) this.truth.decoy(i.decoy, id);
  }

  private signinRoute(s: SignInIntent): 'graph' | 'diag' | undefined {
    const want = this.opts.signins === 'split' ? (s.type === 'interactive' ? 'graph' : 'diag') : this.opts.signins;
    if (want === 'graph') return this.graph ? 'graph' : this.diag ? 'diag' : undefined;
    return this.diag ? 'diag' : this.graph ? 'graph' : undefined;
  }

  private async ual(i: Intent, rec: Record<string, unknown>): Promise<void> {
    const workload = rec.Workload as string;
    const useSearch = this.search && (workload === 'Exchange' || !this.purview);
    if (!useSearch && !this.purview) return;
    const row: UalRow = {
      id: rec.Id as string,
      time: i.time,
      recordType: rec.RecordType as number,
      operation: rec.Operation as string,
      userId: rec.UserId as string,
      auditData: JSON.stringify(rec),
    };
    if (useSearch) this.search!.add(row);
    else {
      const always = this.world.dateStyles.purview === 'iso-trailing';
      await this.purview!.add(
        csvRow([row.id, localeDate(row.time, this.world.dateStyles.purview), RECORD_TYPE[row.recordType] ?? String(row.recordType), row.operation, row.userId, row.auditData, '', ''], always),
      );
    }
    this.counts.ual++;
    this.mark(i, row.id, 'ual');
  }

  async emit(i: Intent): Promise<void> {
    switch (i.kind) {
      case 'signin': {
        const route = this.signinRoute(i);
        if (route === 'graph') await this.graph!.add(JSON.stringify(graphSignIn(i)));
        else if (route === 'diag') await this.diag!.add(DIAG_CATEGORY[i.type], i.time, diagTime(i), i.id, JSON.stringify(diagSignIn(i)));
        if (route) {
          this.counts.signins++;
          this.mark(i, i.id, route === 'graph' ? 'entra.signin.graph' : 'entra.signin.diag');
        }
        if (this.bench) {
          await this.bench.write(JSON.stringify(diagSignIn(i)) + '\n');
          this.counts.bench++;
          if (!route) this.mark(i, i.id, 'entra.signin.bench');
        }
        const u = ualSignIn(i, i.user ? this.puid(i.user.id) : '');
        if (u) await this.ual(i, u);
        return;
      }
      case 'audit':
        if (this.audit) {
          await this.audit.add(graphAudit(i));
          this.counts.audits++;
          this.mark(i, i.id, 'entra.audit');
        }
        await this.ual(i, ualAudit(i, this.puid));
        return;
      case 'cmdlet':
        await this.ual(i, ualCmdlet(i, this.puid));
        return;
      case 'mailbox':
        await this.ual(i, ualMailbox(i, this.puid));
        return;
      case 'message':
        if (!this.trace) return;
        for (let r = 0; r < i.recipients.length; r++) {
          this.trace.add({ m: i, r });
          this.counts.messageRows++;
          this.mark(i, traceEventId(i, r), 'exchange.messagetrace');
        }
        return;
    }
  }

  async endDay(day: number): Promise<void> {
    await this.search?.endDay(day);
    await this.trace?.endDay(day);
  }

  async close(): Promise<{ files: FileStat[]; counts: Outputs['counts'] }> {
    await this.graph?.close();
    await this.diag?.close();
    if (this.audit) this.auditStat = await this.audit.close();
    await this.purview?.close();
    if (this.bench) await this.bench.close();
    const files: FileStat[] = [
      ...(this.graph?.stats ?? []),
      ...(this.diag?.stats ?? []),
      ...(this.auditStat ? [this.auditStat] : []),
      ...(this.purview?.stats ?? []),
      ...(this.search?.stats ?? []),
      ...(this.trace?.stats ?? []),
      ...(this.bench ? [{ path: 'signins/bench-signins.ndjson', records: this.counts.bench, bytes: this.bench.bytes }] : []),
    ];
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { files, counts: this.counts };
  }
}
