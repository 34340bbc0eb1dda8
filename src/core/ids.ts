// Stable identifiers: the same input always yields the same id, across runs and machines.
import { createHash } from 'node:crypto';

/** Short stable hash (base64url of SHA-256, 16 chars = 96 bits) of the given parts. */
export function stableId(...parts: (string | number | undefined)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(String(p ?? '')).update('\u0000');
  return h.digest('base64url').slice(0, 16);
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
