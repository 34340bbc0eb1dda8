// Alerts appended to a file, one JSON object per line: the delivery envelope {schema, idempotencyKey, alert}
// (ndjson) or an OCSF Detection Finding with the key as metadata.uid (ocsf). Each line is written with one
// write() and flushed to disk (fdatasync) before the delivery counts as done; a crash in between may write the
// line again, with the same key. The file is created with mode 600 (alerts name people and their addresses).
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { FileSinkConfig } from '../../config/watch.js';
import type { Alert, Severity } from '../../detect/alert.js';
import { alertOcsf } from '../ocsf.js';
import { deliveryEnvelope, failure, wantsAlert, type DeliveryItem, type SendOutcome, type Sink } from '../types.js';

export class FileSink implements Sink {
  readonly type = 'file' as const;
  readonly minIntervalMs = 0;
  private fh: FileHandle | undefined;
  constructor(
    readonly cfg: FileSinkConfig,
    /** absolute path */
    readonly file: string,
  ) {}
  get name(): string {
    return this.cfg.name;
  }
  wants(alert: Alert, previous?: Severity): boolean {
    return wantsAlert(this.cfg, alert, previous);
  }
  async send(item: DeliveryItem): Promise<SendOutcome> {
    const line = JSON.stringify(this.cfg.format === 'ocsf' ? alertOcsf(item.alert, item.key) : deliveryEnvelope(item)) + '\n';
    try {
      if (!this.fh) {
        await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
        this.fh = await open(this.file, 'a', 0o600);
      }
      await this.fh.write(line);
      await this.fh.datasync();
      return { ok: true };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'io';
      await this.close();
      // a full disk or a missing mount may come back; a permission problem will not
      return failure(`cannot append to ${this.file} (${code})`, `fs_${code.toLowerCase()}`, !['EACCES', 'EPERM', 'EISDIR', 'EROFS'].includes(code));
    }
  }
  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close().catch(() => undefined);
  }
}
