// Alerts wait in a temporary file while detection runs, not in the heap: a hunt over gigabytes makes thousands of
// them while detection state is at its largest, and nothing reads them before detection ends. Memory keeps only
// id -> (revision, place in the file). The latest revision of each alert comes back, in the order alerts were
// first made, when detection is over. Evidence texts go to the report's text store (when there is one) before the
// alert is written, so the file holds no record texts and the alerts read back read their texts from that store.
import type { Alert } from '../detect/alert.js';
import type { TextStore } from '../detect/texts.js';
import { SpillFile, type SpillPlace } from '../io/spill-file.js';

interface Place extends SpillPlace {
  revision: number;
}

/** One spooled alert: the alert with its evidence texts taken out (null) and their refs in the text store. */
interface Line {
  a: Alert;
  refs?: (number | null)[];
}

export class AlertSpool {
  private readonly index = new Map<string, Place>();
  private readonly file: SpillFile;

  constructor(private readonly opts: { tmpDir?: string; texts?: TextStore } = {}) {
    this.file = new SpillFile(opts.tmpDir ?? '', 'tenantwatch-alerts-', 'alerts.ndjson');
  }

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
    const place = { revision: a.revision, ...this.file.append(JSON.stringify(this.line(a))) };
    if (have) Object.assign(have, place);
    else this.index.set(a.id, place);
  }

  /** Every alert (its latest revision) in first-made order. The spool is closed after. */
  takeAll(): Alert[] {
    const out: Alert[] = [];
    try {
      for (const p of this.index.values()) {
        const text = this.file.read(p);
        if (text === undefined) throw new Error(`alert spool: ${this.file.where} was cut short (${p.bytes} bytes at ${p.offset})`);
        out.push(this.revive(JSON.parse(text) as Line));
      }
    } finally {
      this.close();
    }
    return out;
  }

  close(): void {
    this.file.close();
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
}
