import { readSync } from 'node:fs';

/** The `n` bytes of an open file at `pos` (fewer when the file ends first). */
export function readAt(fd: number, pos: number, n: number): Buffer {
  const buf = Buffer.allocUnsafe(n);
  let got = 0;
  while (got < n) {
    const k = readSync(fd, buf, got, n - got, pos + got);
    if (k <= 0) break;
    got += k;
  }
  return got === n ? buf : buf.subarray(0, got);
}
