// A buffered file writer that respects backpressure: text is batched into ~256 KB chunks and every chunk waits for
// 'drain' when the stream's buffer is full, so a 50,000-user run never queues gigabytes in memory.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

const CHUNK = 256 * 1024;

export class FileSink {
  private ws: WriteStream;
  private parts: string[] = [];
  private size = 0;
  private error: Error | undefined;
  bytes = 0;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.ws = createWriteStream(path);
    this.ws.on('error', (e) => (this.error = e));
  }

  async write(text: string): Promise<void> {
    if (this.error) throw this.error;
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    const buf = Buffer.from(chunk, 'utf8');
    this.bytes += buf.length;
    if (!this.ws.write(buf)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => {
          this.ws.off('error', onError);
          resolve();
        };
        const onError = (e: Error) => {
          this.ws.off('drain', onDrain);
          reject(e);
        };
        this.ws.once('drain', onDrain);
        this.ws.once('error', onError);
      });
    }
    if (this.error) throw this.error;
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      if (this.error) return reject(this.error);
      this.ws.end(() => (this.error ? reject(this.error) : resolve()));
    });
  }
}
