// Alerts wait in a temporary file while detection runs, not in the heap: a hunt over gigabytes makes thousands of
// them while detection state is at its largest, and nothing reads them before detection ends. Memory keeps only
// id -> (revision, place in the file). The latest revision of each alert comes back, in the order alerts were
// first made, when detection is over. Evidence texts go to the report's text store (when there is one) before the
// alert is written, so the file holds no record texts and the alerts read back read their texts from that store.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../detect/alert.js';
import type { TextStore } from '../detect/texts.js';

const WRITE_BUFFER = 1 << 20;

interface Place {
  revision: number;
  offset: number;
  bytes: number;
}

/** One spooled alert: the alert with its evidence texts taken out (null) and their refs in the text store. */
interface Line {
  a: Alert;
  refs?: (number | null)[];
}

export class AlertSpool {
  private readonly index = new Map<string, Place>();
  private dir: string | undefined;
  private fd: number | undefined;
  private buf = Buffer.allocUnsafe(WRITE_BUFFER);
  private used = 0;
  private flushed = 0;

  constructor(private readonly opts: { tmpDir?: string; texts?: TextStore } = {}) {}

  get size(): number {
    return this.index.size;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  ids(): IterableIterator<string> {
    return this.index.keys();
  }

  /** Keep `a` unless a later revision of it is already kept (an equal one replaces it, as the engine re-emits). */
  put(a: Alert): void {
    const have = this.index.get(a.id);
    if (have && a.revision < have.revision) return;
    const bytes = this.write(JSON.stringify(this.line(a)));
    const place = { revision: a.revision, offset: bytes.offset, bytes: bytes.bytes };
    if (have) Object.assign(have, place);
    else this.index.set(a.id, place);
  }

  /** Every alert (its latest revision) in first-made order. The spool is closed after. */
  takeAll(): Alert[] {
    const out: Alert[] = [];
    try {
      for (const p of this.index.values()) out.push(this.revive(JSON.parse(this.read(p)) as Line));
    } finally {
      this.close();
    }
    return out;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.fd = this.dir = undefined;
    this.used = this.flushed = 0;
    this.index.clear();
  }

  private line(a: Alert): Line {
    const texts = this.opts.texts;
    if (!texts || !a.evidence.some((e) => e.raw.text !== undefined)) return { a };
    const refs: (number | null)[] = [];
    // text: null keeps the key's place, so the revived alert renders with the same key order
    const evidence = a.evidence.map((e) => {
      if (e.raw.text === undefined) {
        refs.push(null);
        return e;
      }
      refs.push(texts.put(e.raw.text));
      return { ...e, raw: { ...e.raw, text: null } };
    });
    return { a: { ...a, evidence } as Alert, refs };
  }

  private revive(l: Line): Alert {
    const texts = this.opts.texts;
    if (!l.refs || !texts) return l.a;
    l.a.evidence.forEach((e, i) => {
      const ref = l.refs![i];
      if (ref === null || ref === undefined) return;
      // read on demand: the report writers read each text as they write it
      Object.defineProperty(e.raw, 'text', { get: () => texts.get(ref), enumerable: true, configurable: true });
    });
    return l.a;
  }

  private write(text: string): { offset: number; bytes: number } {
    const bytes = Buffer.byteLength(text);
    if (this.used + bytes > this.buf.length) this.flush();
    const offset = this.flushed + this.used;
    if (bytes > this.buf.length) {
      // an alert larger than the buffer goes straight to the file
      this.open();
      const b = Buffer.from(text);
      let off = 0;
      while (off < bytes) off += writeSync(this.fd!, b, off, bytes - off, offset + off);
      this.flushed += bytes;
      return { offset, bytes };
    }
    this.buf.write(text, this.used);
    this.used += bytes;
    return { offset, bytes };
  }

  private read(p: Place): string {
    if (p.offset >= this.flushed) return this.buf.toString('utf8', p.offset - this.flushed, p.offset - this.flushed + p.bytes);
    const out = Buffer.allocUnsafe(p.bytes);
    let got = 0;
    while (got < p.bytes) {
      const n = readSync(this.fd!, out, got, p.bytes - got, p.offset + got);
      if (n <= 0) throw new Error(`alert spool: ${this.dir} was cut short (${got} of ${p.bytes} bytes at ${p.offset})`);
      got += n;
    }
    return out.toString('utf8');
  }

  private open(): void {
    if (this.fd !== undefined) return;
    this.dir = mkdtempSync(join(this.opts.tmpDir || tmpdir(), 'tenantwatch-alerts-'));
    this.fd = openSync(join(this.dir, 'alerts.ndjson'), 'w+');
  }

  private flush(): void {
    if (this.used === 0) return;
    this.open();
    let off = 0;
    while (off < this.used) off += writeSync(this.fd!, this.buf, off, this.used - off, this.flushed + off);
    this.flushed += this.used;
    this.used = 0;
  }
}
