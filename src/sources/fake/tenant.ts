// A fixture tenant for the fake Microsoft service, produced by the simulator (src/simulate): its Graph sign-in pages
// (every event type), directory audits, unified audit log records, message trace rows and configuration snapshot,
// read back into the objects the real APIs return. The simulator is deterministic, so a seed is a tenant.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CsvFramer } from '../../io/csv-frame.js';
import { JsonFramer } from '../../io/json-frame.js';
import { simulate } from '../../simulate/index.js';
import type { Obj } from '../types.js';

export interface FakeTenant {
  id: string;
  name: string;
  initialDomain: string;
  /** Graph beta signIn objects, every signInEventTypes value */
  signIns: Obj[];
  /** Graph directoryAudit objects */
  directoryAudits: Obj[];
  /** unified audit log records in the Management Activity API shape */
  ual: Obj[];
  /** Graph exchangeMessageTrace objects (one per recipient) */
  messageTraces: Obj[];
  /** snapshot files by lower-case relative path (graph/v1.0/users.json, exchange/get-inboundconnector.json) */
  snapshot: Map<string, unknown>;
  period: { start: number; end: number };
}

export interface FixtureOptions {
  seed?: number;
  users?: number;
  days?: number;
  /** exclusive end of the simulated period (midnight UTC) */
  end?: number;
  scenarios?: string[];
}

const cache = new Map<string, Promise<FakeTenant>>();

/** Build (once per process and options) a tenant from the simulator's output. */
export function fixtureTenant(o: FixtureOptions = {}): Promise<FakeTenant> {
  const key = JSON.stringify(o);
  let p = cache.get(key);
  if (!p) {
    p = build(o);
    cache.set(key, p);
  }
  return p;
}

async function build(o: FixtureOptions): Promise<FakeTenant> {
  const out = mkdtempSync(path.join(tmpdir(), 'tenantwatch-fake-tenant-'));
  const r = await simulate({
    out,
    seed: o.seed ?? 7,
    users: o.users ?? 12,
    days: o.days ?? 8,
    ...(o.end !== undefined ? { end: o.end } : {}),
    scenarios: o.scenarios ?? ['campaign'],
    formats: ['graph', 'audit', 'ual-search', 'messagetrace', 'snapshot'],
    signins: 'graph',
    messagetrace: 'json',
  });
  const files = walk(out);
  const read = (rel: string) => readFileSync(path.join(out, rel), 'utf8');
  const t: FakeTenant = {
    id: r.world.tenant.id,
    name: r.world.tenant.displayName,
    initialDomain: r.world.tenant.initialDomain,
    signIns: [],
    directoryAudits: [],
    ual: [],
    messageTraces: [],
    snapshot: new Map(),
    period: { start: r.world.start, end: r.world.end },
  };
  try {
    for (const rel of files) load(rel);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return t;

  function load(rel: string): void {
    if (rel.startsWith('signins/') && rel.endsWith('.json')) t.signIns.push(...jsonRecords(read(rel)));
    else if (rel.startsWith('audit/')) t.directoryAudits.push(...jsonRecords(read(rel)));
    else if (rel.startsWith('ual/') && rel.endsWith('.csv')) t.ual.push(...ualFromCsv(read(rel)));
    else if (rel.startsWith('messagetrace/')) t.messageTraces.push(...jsonRecords(read(rel)).map(graphTrace));
    else if (rel.startsWith('snapshot/')) t.snapshot.set(rel.slice('snapshot/'.length).toLowerCase(), JSON.parse(read(rel).replace(/^\uFEFF/, '')));
  }
}

function walk(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

/** Records of a JSON file: pages, concatenated pages, arrays, NDJSON (the project's own framing). */
function jsonRecords(text: string): Obj[] {
  const f = new JsonFramer();
  const frames = [...f.push(text), ...f.end()];
  return frames.flatMap((x) => (x.kind === 'value' ? [JSON.parse(x.text) as Obj] : []));
}

function ualFromCsv(text: string): Obj[] {
  const f = new CsvFramer();
  const rows = [...f.push(text), ...f.end()];
  const header = rows.shift()?.cells ?? [];
  const col = header.indexOf('AuditData');
  return rows.filter((r) => !r.error && r.cells[col]).map((r) => JSON.parse(r.cells[col]!) as Obj);
}

/** Get-MessageTraceV2 row -> Graph exchangeMessageTrace (documented property names; zone-less UTC -> Z). */
function graphTrace(r: Obj): Obj {
  const received = String(r.Received ?? '');
  return {
    '@odata.type': '#microsoft.graph.exchangeMessageTrace',
    id: r.MessageTraceId,
    senderAddress: r.SenderAddress,
    recipientAddress: r.RecipientAddress,
    messageId: r.MessageId,
    receivedDateTime: /Z|[+-]\d\d:\d\d$/.test(received) ? received : `${received}Z`,
    subject: r.Subject,
    size: r.Size,
    fromIP: r.FromIP ?? '',
    toIP: r.ToIP ?? '',
    status: r.Status,
  };
}

/** The id every decoder assigns a fixture record (for loss/duplicate checks against what collect wrote). */
export function fixtureIds(t: FakeTenant): { signIns: string[]; directoryAudits: string[]; ual: string[]; messageTraces: string[] } {
  return {
    signIns: t.signIns.map((r) => String(r.id)),
    directoryAudits: t.directoryAudits.map((r) => String(r.id)),
    ual: t.ual.map((r) => String(r.Id)),
    messageTraces: t.messageTraces.map((r) => `${String(r.id)}/${String(r.recipientAddress)}`.toLowerCase()),
  };
}
