// Progress on stderr for long inputs: bytes, records/s, ETA. Only on a TTY or with --progress, never on stdout.
import type { Writable } from 'node:stream';

export class Progress {
  private bytes = 0;
  private records = 0;
  private last = 0;
  private readonly started: number;
  constructor(
    private readonly out: Writable,
    private readonly enabled: boolean,
    private readonly totalBytes: number | undefined,
    private readonly tty: boolean,
    private readonly clock: () => number = () => Date.now(),
  ) {
    this.started = this.clock();
  }
  addBytes(n: number): void {
    this.bytes += n;
    this.tick();
  }
  addRecords(n = 1): void {
    this.records += n;
    if ((this.records & 0x3fff) === 0) this.tick();
  }
  private tick(): void {
    if (!this.enabled) return;
    const now = this.clock();
    if (now - this.last < 500) return;
    this.last = now;
    const secs = Math.max(0.001, (now - this.started) / 1000);
    const rate = this.records / secs;
    const mb = this.bytes / 1048576;
    let eta = '';
    if (this.totalBytes && this.bytes > 0) {
      const left = ((this.totalBytes - this.bytes) / this.bytes) * secs;
      eta = ` ${Math.round((this.bytes / this.totalBytes) * 100)}% ETA ${Math.max(0, Math.round(left))}s`;
    }
    const line = `read ${mb.toFixed(1)} MB, ${this.records} records, ${Math.round(rate)} rec/s${eta}`;
    this.out.write(this.tty ? `\r\x1b[K${line}` : `${line}\n`);
  }
  done(): void {
    if (this.enabled && this.tty && this.last > 0) this.out.write('\r\x1b[K');
  }
}
