// File layouts: Graph pages, hourly diagnostic-export blobs, rotating CSV / JSON Lines files, per-day query files.
// All of them stream: the most any writer holds is one Graph page (1,000 records), one hour of diagnostic records
// per category, or one day's rows of a per-day query export.
import { join } from 'node:path';
import { HOUR } from '../clock.js';
import { hash32 } from '../rng.js';
import { FileSink } from './sink.js';

export interface FileStat {
  path: string; // relative to the output dir
  records: number;
  bytes: number;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** RFC 4180 cell; `always` quotes every cell (Export-Csv, newer Purview exports). */
export function csvCell(v: string | number | boolean | null | undefined, always = false): string {
  const s = v === null || v === undefined ? '' : String(v);
  if (always || /[",\r\n]/.test(s)) return `"${s.replace(/"/g, '""')}"`;
  return s;
}

export const csvRow = (cells: (string | number | boolean | null | undefined)[], always = false) => cells.map((c) => csvCell(c, always)).join(',') + '\r\n';

/** Graph list responses saved one page per file: {"@odata.context", "@odata.nextLink" (all but the last), "value"}. */
export class GraphPageFiles {
  private page: string[] = [];
  private n = 0;
  readonly stats: FileStat[] = [];

  constructor(
    private root: string,
    private rel: (n: number) => string,
    private context: string,
    private nextLink: (n: number) => string,
    private pageSize = 1000,
  ) {}

  async add(json: string): Promise<void> {
    if (this.page.length >= this.pageSize) await this.writePage(true);
    this.page.push(json);
  }

  private async writePage(hasNext: boolean): Promise<void> {
    this.n++;
    const rel = this.rel(this.n);
    const sink = new FileSink(join(this.root, rel));
    let head = `{"@odata.context":${JSON.stringify(this.context)},`;
    if (hasNext) head += `"@odata.nextLink":${JSON.stringify(this.nextLink(this.n))},`;
    await sink.write(head + '"value":[');
    for (let i = 0; i < this.page.length; i++) await sink.write((i ? ',' : '') + this.page[i]);
    await sink.write(']}');
    await sink.close();
    this.stats.push({ path: rel, records: this.page.length, bytes: sink.bytes });
    this.page = [];
  }

  async close(): Promise<void> {
    if (this.page.length > 0 || this.n === 0) await this.writePage(false);
  }
}

/** Graph pages appended to one file as pretty JSON, as `ConvertTo-Json | Out-File -Append` scripts save them. */
export class GraphPagesConcat {
  private page: unknown[] = [];
  private n = 0;
  private records = 0;
  private sink: FileSink;

  constructor(
    private root: string,
    private rel: string,
    private context: string,
    private nextLink: (n: number) => string,
    private pageSize = 1000,
  ) {
    this.sink = new FileSink(join(root, rel));
  }

  async add(obj: unknown): Promise<void> {
    if (this.page.length >= this.pageSize) await this.writePage(true);
    this.page.push(obj);
  }

  private async writePage(hasNext: boolean): Promise<void> {
    this.n++;
    const body: Record<string, unknown> = { '@odata.context': this.context };
    if (hasNext) body['@odata.nextLink'] = this.nextLink(this.n);
    body.value = this.page;
    await this.sink.write(JSON.stringify(body, null, 2) + '\n');
    this.records += this.page.length;
    this.page = [];
  }

  async close(): Promise<FileStat> {
    if (this.page.length > 0 || this.n === 0) await this.writePage(false);
    await this.sink.close();
    return { path: this.rel, records: this.records, bytes: this.sink.bytes };
  }
}

/** `https://graph.microsoft.com/beta/auditLogs/signIns?$top=1000&$skiptoken=…`, deterministic per page. */
export const skipLink = (base: string, seed: number, n: number) =>
  `${base}${base.includes('?') ? '&' : '?'}$skiptoken=${hash32(seed, base, n).toString(16).padStart(8, '0')}${hash32(n, base, seed).toString(16).padStart(8, '0')}`;

interface HourBuf {
  category: string;
  hour: number;
  lines: { t: number; key: string; text: string }[];
}

/**
 * Azure Monitor diagnostic export to a storage account: one container per category, one PT1H.json blob per hour
 * of the envelope `time`, JSON Lines in time order. Blobs are written once, when no later record can fall in them.
 */
export class HourlyBlobs {
  private bufs = new Map<string, HourBuf>();
  readonly stats: FileStat[] = [];

  constructor(
    private root: string,
    private order: 'newest' | 'oldest',
  ) {}

  static rel(category: string, hour: number): string {
    const d = new Date(hour);
    return `signins/diag/insights-logs-${category.toLowerCase()}/y=${d.getUTCFullYear()}/m=${pad(d.getUTCMonth() + 1, 2)}/d=${pad(d.getUTCDate(), 2)}/h=${pad(d.getUTCHours(), 2)}/m=00/PT1H.json`;
  }

  /** `created` drives completeness; `time` (created + processing lag, < 1 h) picks the blob. */
  async add(category: string, created: number, time: number, key: string, text: string): Promise<void> {
    const hour = Math.floor(time / HOUR) * HOUR;
    const k = `${category}|${hour}`;
    let b = this.bufs.get(k);
    if (!b) this.bufs.set(k, (b = { category, hour, lines: [] }));
    b.lines.push({ t: time, key, text });
    const c = Math.floor(created / HOUR) * HOUR;
    for (const [bk, buf] of this.bufs) {
      const done = this.order === 'newest' ? buf.hour > c + HOUR : buf.hour < c;
      if (done) {
        this.bufs.delete(bk);
        await this.write(buf);
      }
    }
  }

  private async write(b: HourBuf): Promise<void> {
    b.lines.sort((x, y) => x.t - y.t || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    const rel = HourlyBlobs.rel(b.category, b.hour);
    const sink = new FileSink(join(this.root, rel));
    for (const l of b.lines) await sink.write(l.text + '\n');
    await sink.close();
    this.stats.push({ path: rel, records: b.lines.length, bytes: sink.bytes });
  }

  async close(): Promise<void> {
    const rest = [...this.bufs.values()].sort((a, b) => a.hour - b.hour || (a.category < b.category ? -1 : 1));
    this.bufs.clear();
    for (const b of rest) await this.write(b);
  }
}

/** Lines (CSV rows or JSON Lines) rotated into numbered files of at most `maxRows` records. */
export class RotatingFile {
  private sink: FileSink | undefined;
  private n = 0;
  private rows = 0;
  readonly stats: FileStat[] = [];

  constructor(
    private root: string,
    private rel: (n: number) => string,
    private header: string | undefined,
    private maxRows: number,
  ) {}

  async add(line: string): Promise<void> {
    if (!this.sink || this.rows >= this.maxRows) await this.rotate();
    await this.sink!.write(line);
    this.rows++;
  }

  private async rotate(): Promise<void> {
    await this.finish();
    this.n++;
    this.sink = new FileSink(join(this.root, this.rel(this.n)));
    this.rows = 0;
    if (this.header) await this.sink.write(this.header);
  }

  private async finish(): Promise<void> {
    if (!this.sink) return;
    await this.sink.close();
    this.stats.push({ path: this.rel(this.n), records: this.rows, bytes: this.sink.bytes });
    this.sink = undefined;
  }

  async close(): Promise<void> {
    await this.finish();
  }
}

/** One file per simulated day (a per-day query export); rows for the day are buffered, then written at day end. */
export class DailyFiles<Row> {
  private rows: Row[] = [];
  readonly stats: FileStat[] = [];

  constructor(
    private root: string,
    private rel: (day: number) => string,
    private render: (rows: Row[], day: number) => string[],
  ) {}

  add(row: Row): void {
    this.rows.push(row);
  }

  async endDay(day: number): Promise<void> {
    if (this.rows.length === 0) return;
    const rel = this.rel(day);
    const sink = new FileSink(join(this.root, rel));
    for (const chunk of this.render(this.rows, day)) await sink.write(chunk);
    await sink.close();
    this.stats.push({ path: rel, records: this.rows.length, bytes: sink.bytes });
    this.rows = [];
  }
}
