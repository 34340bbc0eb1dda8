// Source-level behaviour against the fake service: paging, adaptive spans, resuming from every checkpoint
// (what `watch` relies on), the Management API's rules, the audit log query lifecycle.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Deduper } from '../pipeline/dedup.js';
import { AuditLogQuerySource } from './audit-log-query/index.js';
import { directoryAuditSource } from './directory-audits/index.js';
import { startHarness, type Harness } from './fake/harness.js';
import { signInSource } from './graph-signins/index.js';
import { isGraphCheckpoint } from './graph/windowed.js';
import { ManagementActivitySource } from './management-activity/index.js';
import type { Batch, Checkpoint, Obj, Source, SourceContext } from './types.js';

const DAY = 86_400_000;
let h: Harness;
before(async () => {
  h = await startHarness({ graphMaxTop: 25 });
});
after(() => h.close());

const ctxOf = (hh: Harness, extra: Partial<SourceContext> = {}): SourceContext => ({ api: hh.rt.api, clock: hh.clock, logger: hh.rt.logger, ...extra });

async function drain(src: Source, ctx: SourceContext, since: number, checkpoint?: Checkpoint, until?: number): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of src.pull(ctx, { since, ...(checkpoint ? { checkpoint } : {}), ...(until !== undefined ? { until } : {}) })) out.push(b);
  return out;
}

const ids = (bs: Batch[], key = (r: Obj) => String(r.id)) => bs.flatMap((b) => b.records.map(key));
const sorted = (a: string[]) => [...a].sort();

test('sign-ins: every event type comes back once, newest first within a query, pages kept in Graph shape', async () => {
  const since = h.clock.now() - 30 * DAY;
  const all: string[] = [];
  for (const t of ['interactiveUser', 'nonInteractiveUser', 'servicePrincipal', 'managedIdentity'] as const) {
    const src = signInSource({ graphHost: h.rt.endpoints.graph, eventType: t, pageSize: 1000, spanMs: DAY });
    const bs = await drain(src, ctxOf(h), since);
    const got = ids(bs);
    assert.equal(new Set(got).size, got.length, `${t}: duplicates`);
    for (const b of bs) {
      if (!b.payload) continue;
      const page = b.payload as Obj;
      assert.match(String(page['@odata.context']), /\$metadata#auditLogs\/signIns$/);
      assert.ok((page.value as Obj[]).every((r) => (r.signInEventTypes as string[]).includes(t)));
      const times = (page.value as Obj[]).map((r) => Date.parse(String(r.createdDateTime)));
      assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
    }
    all.push(...got);
  }
  assert.deepEqual(sorted(all), sorted(h.fake.graph.visibleIds('signIns')));
  // the filter Graph got: a time window plus the beta event-type filter, $top capped by the server
  const q = h.fake.requests.find((r) => r.path === '/beta/auditLogs/signIns')!;
  assert.match(decodeURIComponent(q.query), /\$filter=createdDateTime ge \S+Z and createdDateTime lt \S+Z and signInEventTypes\/any\(t: t eq '\w+'\)&\$top=1000/);
});

test('resuming from ANY yielded checkpoint loses nothing and repeats nothing (crash at every page)', async () => {
  const since = h.clock.now() - 30 * DAY;
  const until = h.clock.now();
  const mk = () => signInSource({ graphHost: h.rt.endpoints.graph, eventType: 'servicePrincipal', pageSize: 25, spanMs: 2 * DAY });
  const full = await drain(mk(), ctxOf(h), since, undefined, until);
  const want = sorted(ids(full));
  assert.ok(full.length > 20, `enough pages to crash in (${full.length})`);
  for (let k = 0; k < full.length; k += 5) {
    const cp = full[k]!.checkpoint;
    assert.ok(isGraphCheckpoint(cp));
    // the checkpoint survives a JSON round trip (it is persisted by watch)
    const rest = await drain(mk(), ctxOf(h), since, JSON.parse(JSON.stringify(cp)) as Checkpoint, until);
    const got = [...ids(full.slice(0, k + 1)), ...ids(rest)];
    assert.equal(new Set(got).size, got.length, `duplicates after resuming at batch ${k}`);
    assert.deepEqual(sorted(got), want, `loss after resuming at batch ${k}`);
  }
});

test('a window too big for Graph (504) halves the query span until it fits; nothing is lost', async () => {
  const hh = await startHarness({ graphMaxTop: 25, maxQueryRecords: 40 });
  try {
    const src = directoryAuditSource({ graphHost: hh.rt.endpoints.graph, pageSize: 25, spanMs: 30 * DAY });
    const src2 = signInSource({ graphHost: hh.rt.endpoints.graph, eventType: 'servicePrincipal', pageSize: 25, spanMs: 30 * DAY });
    const since = hh.clock.now() - 30 * DAY;
    const a = await drain(src, ctxOf(hh), since);
    const b = await drain(src2, ctxOf(hh), since);
    assert.deepEqual(sorted(ids(a)), sorted(hh.fake.graph.visibleIds('directoryAudits')));
    assert.deepEqual(sorted(ids(b)), sorted(hh.tenant.signIns.filter((s) => (s.signInEventTypes as string[])[0] === 'servicePrincipal').map((s) => String(s.id))));
    const r504 = hh.fake.requests.filter((r) => r.status === 504).length;
    assert.ok(r504 >= 2, `the fake refused big windows (${r504})`);
    const spans = b.map((x) => (x.checkpoint as unknown as { span: number }).span);
    assert.ok(Math.min(...spans) < 30 * DAY, 'span shrank');
  } finally {
    await hh.close();
  }
});

test('repeated pages and a nextLink that loops: deduplicated, re-queried below the last record, no endless loop', async () => {
  const hh = await startHarness({
    graphMaxTop: 20,
    faults: [
      { kind: 'repeat-page', server: 'graph', path: /signIns.*skiptoken/, every: 2, times: 4 },
      { kind: 'loop-link', server: 'graph', path: /signIns.*skiptoken/, after: 9, times: 2 },
    ],
  });
  try {
    const src = signInSource({ graphHost: hh.rt.endpoints.graph, eventType: 'servicePrincipal', pageSize: 20, spanMs: 30 * DAY });
    const bs = await drain(src, ctxOf(hh), hh.clock.now() - 30 * DAY);
    const got = ids(bs);
    assert.equal(new Set(got).size, got.length);
    assert.equal(got.length, hh.tenant.signIns.filter((s) => (s.signInEventTypes as string[])[0] === 'servicePrincipal').length);
    assert.deepEqual(hh.fake.faults.firedCounts(), [4, 2]);
    assert.ok(src.notices.some((n) => /nextLink it had already returned/.test(n.message)));
  } finally {
    await hh.close();
  }
});

test('Management API: PublisherIdentifier on every call (blob GETs and NextPageUri too), subscriptions started, duplicates removed', async () => {
  const hh = await startHarness({
    contentPageSize: 4,
    mgmt: { requirePublisher: true, enabled: ['Audit.Exchange'], duplicateBlobFraction: 0.3, duplicateRecordFraction: 0.2 },
  });
  try {
    const types = ['Audit.AzureActiveDirectory', 'Audit.Exchange'];
    const seen = new Deduper();
    const got: string[] = [];
    for (const ct of types) {
      const src = new ManagementActivitySource({ host: hh.rt.endpoints.management, tenantId: hh.tenant.id, publisherId: hh.tenant.id, contentType: ct });
      const bs = await drain(src, ctxOf(hh, { ualSeen: seen }), hh.clock.now() - 30 * DAY);
      got.push(...ids(bs, (r) => String(r.Id).toLowerCase()));
      if (ct === 'Audit.AzureActiveDirectory') assert.ok(src.notices.some((n) => /started the subscription/.test(n.message)));
    }
    const mg = hh.fake.requests.filter((r) => r.server === 'management');
    assert.ok(mg.length > 20);
    assert.deepEqual(mg.filter((r) => r.publisherIdentifier !== hh.tenant.id).map((r) => r.path), [], 'every call carries PublisherIdentifier');
    assert.ok(mg.some((r) => /nextPage=/.test(r.query)), 'followed NextPageUri');
    assert.ok(mg.some((r) => r.method === 'POST' && r.path.endsWith('/subscriptions/start')));
    assert.equal(new Set(got).size, got.length, 'no record twice');
    assert.deepEqual(sorted(got), sorted(hh.fake.management.visibleIds(types)));
    // the data really had duplicates to remove
    const listed = mg.filter((r) => r.path.includes('/audit/')).length;
    assert.ok(listed < [...hh.fake.management.blobs.values()].filter((b) => types.includes(b.contentType) && b.created <= hh.clock.now() && b.created >= hh.clock.now() - 7 * DAY).length + 1);
  } finally {
    await hh.close();
  }
});

test('Management API: records delivered a day late arrive on the next pull from the checkpoint, once', async () => {
  const hh = await startHarness({ mgmt: { lateFraction: 0.25 }, nowAfterEnd: -2 * DAY });
  try {
    const ct = 'Audit.AzureActiveDirectory';
    const seen = new Deduper();
    const src = new ManagementActivitySource({ host: hh.rt.endpoints.management, tenantId: hh.tenant.id, publisherId: hh.tenant.id, contentType: ct });
    const first = await drain(src, ctxOf(hh, { ualSeen: seen }), hh.clock.now() - 7 * DAY);
    const got1 = ids(first, (r) => String(r.Id).toLowerCase());
    const visible1 = hh.fake.management.visibleIds([ct]);
    assert.deepEqual(sorted(got1), sorted(visible1));
    const cp = first[first.length - 1]!.checkpoint;
    hh.clock.advance(DAY + 3 * 3_600_000); // a day later
    const second = await drain(src, ctxOf(hh, { ualSeen: seen }), 0, JSON.parse(JSON.stringify(cp)) as Checkpoint);
    const got2 = ids(second, (r) => String(r.Id).toLowerCase());
    assert.ok(got2.length > 0, 'late records arrived');
    const all = [...got1, ...got2];
    assert.equal(new Set(all).size, all.length);
    // everything seen then, plus everything visible now (the oldest blobs of the first pull have expired since)
    assert.deepEqual(sorted(all), sorted([...new Set([...visible1, ...hh.fake.management.visibleIds([ct])])]));
  } finally {
    await hh.close();
  }
});

test('audit log query: create, poll on the injected clock, page; resumes with the same query id', async () => {
  const hh = await startHarness({ graphMaxTop: 15, auditQueryRunMs: 4 * 60_000 });
  try {
    const since = hh.clock.now() - 20 * DAY;
    const until = hh.clock.now() - 6 * DAY;
    const src = new AuditLogQuerySource({ graphHost: hh.rt.endpoints.graph, spanMs: 4 * DAY, pageSize: 15 });
    const before = hh.clock.slept;
    const bs = await drain(src, ctxOf(hh), since, undefined, until);
    assert.ok(hh.clock.slept - before >= 4 * 60_000, 'waited for the query on the virtual clock');
    const want = hh.tenant.ual.filter((r) => {
      const t = Date.parse(`${String(r.CreationTime)}Z`);
      return t >= since && t < until;
    });
    const got = ids(bs);
    assert.deepEqual(sorted(got), sorted(want.map((r) => String(r.Id))));
    const creates = hh.fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/auditLog/queries')).length;
    // crash right after the query was created: the resumed pull reuses it
    const k = bs.findIndex((b) => (b.checkpoint as unknown as { cur: { queryId: string | null } | null }).cur?.queryId && b.records.length === 0);
    const rest = await drain(new AuditLogQuerySource({ graphHost: hh.rt.endpoints.graph, spanMs: 4 * DAY, pageSize: 15 }), ctxOf(hh), since, bs[k]!.checkpoint, until);
    assert.equal(hh.fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/auditLog/queries')).length, creates + Math.ceil((until - since) / (4 * DAY)) - 1);
    assert.deepEqual(sorted([...ids(bs.slice(0, k + 1)), ...ids(rest)]), sorted(got));
    assert.equal(bs.find((b) => b.payload)!.payload && (bs.find((b) => b.payload)!.payload as Obj)['@odata.context'] !== undefined, true);
  } finally {
    await hh.close();
  }
});
