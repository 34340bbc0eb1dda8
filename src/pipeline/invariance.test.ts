// Property (ii) of the ingestion issue: changes that carry no meaning — key order, BOM, CRLF, numbers written as
// strings, unknown extra fields — must yield an identical Event. Run over every JSON fixture of every decoder.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import type { Event } from '../core/event.js';
import { decodeText } from './testkit.js';

const root = resolve('src/decoders');

function fixtures(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(root)) {
    const f = join(root, dir, 'fixtures');
    if (!existsSync(f)) continue;
    for (const name of readdirSync(f).sort()) {
      if (!/\.(json|ndjson|jsonl)$/.test(name) || name.includes('.golden.') || /invalid|bad|broken|trunc/i.test(name)) continue;
      out.push(join(f, name));
    }
  }
  return out;
}

type Tx = (v: unknown, top: boolean) => unknown;
function deep(v: unknown, fn: (v: unknown) => unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => deep(x, fn));
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = deep(x, fn);
    return fn(o);
  }
  return fn(v);
}
const reverseKeys: Tx = (v) => deep(v, (x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).reverse()) : x));
const numbersAsStrings: Tx = (v) => deep(v, (x) => (typeof x === 'number' ? String(x) : x));
/** an unknown field on every record object (objects with at least 3 keys, so envelopes' records get one too) */
const extraField: Tx = (v) => deep(v, (x) => (x && typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length >= 3 && !('value' in x) && !('records' in x) ? { ...x, zzUnknownField: { a: [1, 'b'] } } : x));

function transform(text: string, tx: Tx): string {
  try {
    return JSON.stringify(tx(JSON.parse(text), true), null, 2);
  } catch {
    return text.split(/\r?\n/).filter((l) => l.trim()).map((l) => JSON.stringify(tx(JSON.parse(l), true))).join('\n') + '\n';
  }
}

const core = (es: Event[]) => es.map((e) => ({ ...e, raw: { format: e.raw.format } }));

for (const file of fixtures()) {
  const name = file.slice(root.length + 1);
  test(`meaningless changes keep the Event identical: ${name}`, async () => {
    const text = readFileSync(file, 'utf8').replace(/^\ufeff/, '');
    const base = await decodeText(text, 'f.json');
    if (base.events.length === 0) return; // fixtures that only hold quarantine cases are covered by their own tests
    const expected = core(base.events);
    const variants: [string, string | Buffer][] = [
      ['BOM + CRLF', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace(/\r?\n/g, '\r\n'))])],
      ['key order', transform(text, reverseKeys)],
      ['numbers as strings', transform(text, numbersAsStrings)],
      ['unknown extra fields', transform(text, extraField)],
    ];
    for (const [label, v] of variants) {
      const got = await decodeText(v, 'f.json');
      assert.deepEqual(core(got.events), expected, `${name}: ${label}`);
    }
  });
}
