// A cheap fingerprint of a record's text, so text left in its input file (RawRef.at) can be checked when it is
// read back: its length, its first and last 32 characters and every 16th character between, through FNV-1a.
// Not a cryptographic hash: it tells "the same record" from "the file changed under us", which is what the
// read-back needs (a hunt's inputs are the user's own files; an attacker who can rewrite them mid-hunt could
// as well have rewritten them before). It costs well under a microsecond on a 4 KB sign-in, a full hash ~10 µs.
import type { RawRef, TextAt } from './event.js';

export function textFingerprint(s: string): number {
  const n = s.length;
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  const head = Math.min(32, n);
  for (let i = 0; i < head; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  for (let i = head; i < n - 32; i += 16) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  for (let i = Math.max(head, n - 32); i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Where a record's text is in its input file: `raw.at`, else its place and the fingerprint of its text in hand. */
export function textAtOf(raw: RawRef): TextAt | undefined {
  if (raw.at !== undefined) return raw.at;
  if (raw.offset === undefined || raw.bytes === undefined || raw.text === undefined) return undefined;
  return { offset: raw.offset, bytes: raw.bytes, fp: textFingerprint(raw.text) };
}
