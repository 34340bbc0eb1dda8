// Input discovery and byte streams: files, directories (recursive, sorted), gzip by magic bytes, stdin ('-').
import { createReadStream, type Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export interface InputFile {
  path: string; // as given or joined from a directory walk; '-' for stdin
  size?: number;
}

export interface SkippedInput {
  path: string;
  reason: string;
}

/** Expand paths: directories recursively (sorted for determinism), hidden entries skipped. */
export async function expandInputs(paths: string[]): Promise<{ files: InputFile[]; skipped: SkippedInput[] }> {
  const files: InputFile[] = [];
  const skipped: SkippedInput[] = [];
  async function visit(p: string, explicit: boolean): Promise<void> {
    let st: Stats;
    try {
      st = await stat(p);
    } catch (e) {
      skipped.push({ path: p, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    if (st.isDirectory()) {
      const names = (await readdir(p)).sort();
      for (const name of names) {
        if (name.startsWith('.')) continue;
        await visit(join(p, name), false);
      }
      return;
    }
    if (!st.isFile()) {
      skipped.push({ path: p, reason: 'not a regular file' });
      return;
    }
    if (st.size === 0) {
      skipped.push({ path: p, reason: 'empty file (0 bytes): nothing to read' });
      return;
    }
    void explicit;
    files.push({ path: p, size: st.size });
  }
  for (const p of paths) {
    if (p === '-') files.push({ path: '-' });
    else await visit(p, true);
  }
  return { files, skipped };
}

export interface OpenedBytes {
  chunks: AsyncIterable<Buffer>;
  /** the chunks are the file's own bytes from its start (not standard input, not gunzipped): they can be read again */
  fileBytes: boolean;
}

/** Open a byte stream, transparently gunzipping when the content starts with the gzip magic bytes. */
export async function openBytes(file: InputFile, stdin: NodeJS.ReadableStream, onRawBytes?: (n: number) => void): Promise<OpenedBytes> {
  const src: Readable = (file.path === '-' ? stdin : createReadStream(file.path, { highWaterMark: 1 << 20 })) as Readable;
  if (onRawBytes) src.on('data', (b: Buffer) => onRawBytes(b.length));
  const it = src[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await it.next();
  const head: Buffer | undefined = first.done ? undefined : Buffer.isBuffer(first.value) ? first.value : Buffer.from(first.value as string);
  async function* rest(): AsyncGenerator<Buffer> {
    if (head) yield head;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as string);
    }
  }
  if (head && head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    (async () => {
      try {
        for await (const b of rest()) if (!gunzip.write(b)) await new Promise((r) => gunzip.once('drain', r));
        gunzip.end();
      } catch (e) {
        gunzip.destroy(e as Error);
      }
    })();
    return { chunks: gunzip as AsyncIterable<Buffer>, fileBytes: false };
  }
  return { chunks: rest(), fileBytes: file.path !== '-' };
}
