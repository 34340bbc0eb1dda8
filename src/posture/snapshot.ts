// Snapshot loader: a directory of the JSON bodies Microsoft returns (docs/snapshot.md), read once into memory.
// A body may be one Graph page {value:[…]}, an array of pages, a plain array (ConvertTo-Json), one object
// (a singleton resource or ConvertTo-Json of a single item), or an error body {error:{code,message}} that the
// collector writes when a request failed — which the checks report as Error, never as a failed control.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { isObject } from '../core/json.js';

export type Obj = Record<string, unknown>;
export type ApiVersion = 'v1.0' | 'beta';

export interface Collection {
  /** snapshot-relative path with forward slashes, e.g. graph/v1.0/users.json */
  path: string;
  state: 'ok' | 'missing' | 'error';
  items: Obj[];
  /** why the file is missing/unusable, or the error Microsoft returned */
  reason?: string;
  /** the last page still had @odata.nextLink: the collection was cut short */
  incomplete?: boolean;
}

export interface Snapshot {
  dir: string;
  /** every loaded file by relative path */
  files: Map<string, Collection>;
  get(rel: string): Collection;
  graph(version: ApiVersion, endpoint: string): Collection;
  /** the first present of the given versions (e.g. beta CA policies carry more fields than v1.0) */
  graphAny(endpoint: string, versions?: ApiVersion[]): Collection;
  exchange(cmdlet: string): Collection;
  /** files below a folder, e.g. graph/v1.0/servicePrincipals/ for per-SP appRoleAssignments.json */
  under(prefix: string): Collection[];
}

/** Decode bytes: UTF-8 (with or without BOM) or UTF-16 LE/BE (Windows PowerShell 5.1 `Out-File` writes UTF-16LE). */
export function decodeText(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const swapped = Buffer.from(buf.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  // UTF-16LE without BOM: ASCII JSON has a NUL every second byte
  if (buf.length >= 4 && buf[1] === 0 && buf[3] === 0 && buf[0] !== 0) return buf.toString('utf16le');
  return buf.toString('utf8');
}

function isPage(v: unknown): v is Obj & { value: unknown[] } {
  if (!isObject(v) || !Array.isArray(v.value)) return false;
  return Object.keys(v).every((k) => k === 'value' || k.startsWith('@'));
}

function errorOf(v: unknown): string | undefined {
  if (!isObject(v) || !isObject(v.error) || 'value' in v) return undefined;
  const e = v.error;
  const code = typeof e.code === 'string' ? e.code : 'error';
  const msg = typeof e.message === 'string' ? e.message : '';
  return `Microsoft returned ${code}${msg ? `: ${msg}` : ''}`;
}

/** Turn a parsed body into records. Exported for tests. */
export function flattenBody(rel: string, body: unknown): Collection {
  const err = errorOf(body);
  if (err) return { path: rel, state: 'error', items: [], reason: err };
  if (isPage(body)) {
    return { path: rel, state: 'ok', items: body.value.filter(isObject), incomplete: typeof body['@odata.nextLink'] === 'string' };
  }
  if (Array.isArray(body)) {
    if (body.length > 0 && body.every(isPage)) {
      const pages = body as (Obj & { value: unknown[] })[];
      const last = pages[pages.length - 1]!;
      return {
        path: rel, state: 'ok',
        items: pages.flatMap((p) => p.value.filter(isObject)),
        incomplete: typeof last['@odata.nextLink'] === 'string',
      };
    }
    const firstErr = body.map(errorOf).find((e) => e !== undefined);
    if (firstErr) return { path: rel, state: 'error', items: [], reason: firstErr };
    return { path: rel, state: 'ok', items: body.filter(isObject) };
  }
  if (isObject(body)) return { path: rel, state: 'ok', items: [body] };
  if (body === null) return { path: rel, state: 'ok', items: [] }; // ConvertTo-Json of no objects writes nothing/null
  return { path: rel, state: 'error', items: [], reason: `unexpected JSON ${typeof body} at top level` };
}

export function parseBody(rel: string, buf: Buffer): Collection {
  const text = decodeText(buf).trim();
  if (text === '') return { path: rel, state: 'ok', items: [] };
  try {
    return flattenBody(rel, JSON.parse(text));
  } catch (e) {
    return { path: rel, state: 'error', items: [], reason: `not valid JSON (${(e as Error).message}); re-export the file` };
  }
}

async function walk(root: string, dir: string, out: string[]): Promise<void> {
  for (const ent of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) await walk(root, p, out);
    else if (ent.isFile() && ent.name.toLowerCase().endsWith('.json')) out.push(path.relative(root, p).split(path.sep).join('/'));
  }
}

/** Case-insensitive path key: Windows exports may differ in case from the documented layout. */
const key = (rel: string) => rel.toLowerCase();

export function makeSnapshot(dir: string, loaded: Collection[]): Snapshot {
  const files = new Map<string, Collection>();
  const byKey = new Map<string, Collection>();
  for (const c of loaded) {
    files.set(c.path, c);
    byKey.set(key(c.path), c);
  }
  const get = (rel: string): Collection =>
    byKey.get(key(rel)) ?? { path: rel, state: 'missing', items: [], reason: `${rel} is not in the snapshot` };
  return {
    dir,
    files,
    get,
    graph: (version, endpoint) => get(`graph/${version}/${endpoint.replace(/^\/+/, '')}.json`),
    graphAny(endpoint, versions = ['beta', 'v1.0']) {
      const tried = versions.map((v) => get(`graph/${v}/${endpoint.replace(/^\/+/, '')}.json`));
      return tried.find((c) => c.state === 'ok') ?? tried.find((c) => c.state === 'error') ?? {
        ...tried[0]!,
        reason: `none of ${tried.map((c) => c.path).join(', ')} is in the snapshot`,
      };
    },
    exchange: (cmdlet) => get(`exchange/${cmdlet}.json`),
    under(prefix) {
      const k = key(prefix.endsWith('/') ? prefix : prefix + '/');
      return [...byKey.entries()].filter(([p]) => p.startsWith(k)).map(([, c]) => c);
    },
  };
}

/** Read a snapshot directory. Throws InputError when the directory itself can't be read. */
export async function loadSnapshot(dir: string): Promise<Snapshot> {
  let st;
  try {
    st = await stat(dir);
  } catch {
    throw new InputError(`snapshot directory ${dir} does not exist; pass the folder written by \`tenantwatch collect\` (layout: docs/snapshot.md)`);
  }
  if (!st.isDirectory()) throw new InputError(`${dir} is not a directory; a snapshot is a folder of JSON files (docs/snapshot.md)`);
  const rels: string[] = [];
  await walk(dir, dir, rels);
  if (!rels.some((r) => r.startsWith('graph/') || r.startsWith('exchange/'))) {
    throw new InputError(`${dir} has no graph/ or exchange/ JSON files; see docs/snapshot.md for the layout`);
  }
  const loaded: Collection[] = [];
  for (const rel of rels.sort()) loaded.push(parseBody(rel, await readFile(path.join(dir, rel))));
  return makeSnapshot(dir, loaded);
}

/** Build an in-memory snapshot from {relPath: body}, for tests and for the live collector. */
export function snapshotFromBodies(bodies: Record<string, unknown>, dir = '(memory)'): Snapshot {
  return makeSnapshot(dir, Object.entries(bodies).map(([rel, body]) => flattenBody(rel, body)));
}
