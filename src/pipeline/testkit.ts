// Test helpers: run a fixture (or a string) through the real framing + decoder registry.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '../core/event.js';
import type { DecodeContext } from '../decoders/types.js';
import { readInputs, type ReadSummary } from './read.js';

export interface DecodedFixture {
  events: Event[];
  duplicates: Event[];
  quarantined: { reason: string; line?: number }[];
  filtered: { reason: string; line?: number }[];
  format: string[];
  summary: ReadSummary;
}

export async function decodeFixture(path: string | string[], ctx: DecodeContext & { dedup?: boolean; since?: number; until?: number } = {}): Promise<DecodedFixture> {
  const events: Event[] = [];
  const duplicates: Event[] = [];
  const quarantined: { reason: string; line?: number }[] = [];
  const filtered: { reason: string; line?: number }[] = [];
  const summary = await readInputs(Array.isArray(path) ? path : [path], {
    event: (e) => events.push(e),
    duplicate: (e) => duplicates.push(e),
    quarantined: (ref, reason) => quarantined.push({ reason, line: ref.line }),
    filtered: (ref, reason) => filtered.push({ reason, line: ref.line }),
  }, ctx);
  const format = [...new Set(summary.files.flatMap((f) => Object.keys(f.formats)))].sort();
  return { events, duplicates, quarantined, filtered, format, summary };
}

/** Decode text as if it were a file named `name` (the extension is irrelevant; content is sniffed). */
export async function decodeText(text: string | Buffer, name = 'input.json', ctx: DecodeContext & { dedup?: boolean } = {}): Promise<DecodedFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'tw-fixture-'));
  const p = join(dir, name);
  writeFileSync(p, text);
  try {
    const r = await decodeFixture(p, ctx);
    for (const e of r.events) {
      e.raw.file = name;
      // the temporary file is gone: the text cannot be read back from it (RawRef.at)
      delete e.raw.offset;
      delete e.raw.bytes;
    }
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Events as stable JSON for golden files: raw.file made relative, keys in insertion order. */
export function goldenJson(events: Event[]): string {
  return JSON.stringify(events.map((e) => ({ ...e, raw: { ...e.raw, file: e.raw.file.split(/[\\/]/).pop() } })), null, 2) + '\n';
}
