// `collect` end to end against the fake Microsoft service: what it writes is read back by the real read pipeline
// (readInputs, with dedup OFF so a record written twice would show), and the decoded ids must equal the fixture
// tenant's — under every fault the fake can inject, after a crash and --resume, and with the Management API denied.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readInputs } from '../../pipeline/read.js';
import { loadSnapshot } from '../../posture/snapshot.js';
import { startHarness, TEST_SECRET, type Harness, type HarnessOptions } from '../fake/harness.js';
import type { FaultRule } from '../fake/faults.js';
import { collect, type CollectReport } from './index.js';

const DAY = 86_400_000;
const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));
const outDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'tw-collect-'));
  temps.push(d);
  return path.join(d, 'out');
};

/** ids per source family, as the real read pipeline decodes the folder (no dedup: duplicates must not exist). */
async function decoded(dir: string) {
  const by: Record<string, string[]> = { signin: [], audit: [], ual: [], trace: [] };
  const summary = await readInputs([dir], {
    event(e) {
      const k = e.source.startsWith('entra.signin') ? 'signin' : e.source === 'entra.audit' ? 'audit' : e.source === 'ual' ? 'ual' : e.source === 'exchange.messagetrace' ? 'trace' : e.source;
      (by[k] ??= []).push(e.id.toLowerCase());
    },
  }, { dedup: false });
  return { by, summary };
}

const sorted = (a: string[]) => [...a].map((x) => x.toLowerCase()).sort();

/** The fixture ids a collector can get at the harness's current time. */
function expected(h: Harness) {
  return {
    signin: sorted(h.fake.graph.visibleIds('signIns')),
    audit: sorted(h.fake.graph.visibleIds('directoryAudits')),
    trace: sorted(h.fake.graph.visibleIds('messageTraces')),
    ual: sorted(h.tenant.ual.map((r) => String(r.Id))),
  };
}

function assertComplete(h: Harness, by: Record<string, string[]>, exp = expected(h)) {
  for (const k of ['signin', 'audit', 'trace', 'ual'] as const) {
    const got = by[k] ?? [];
    assert.equal(new Set(got).size, got.length, `${k}: ${got.length - new Set(got).size} record(s) written twice`);
    assert.deepEqual(sorted(got), exp[k], `${k}: lost or extra records`);
  }
}

async function run(o: HarnessOptions, fn: (h: Harness) => Promise<void>) {
  const h = await startHarness(o);
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}

test('collect writes native formats that the read pipeline decodes back to exactly the fixture tenant', async () => {
  await run({}, async (h) => {
    const out = outDir();
    const rep = await collect({ rt: h.rt, out, since: h.clock.now() - 30 * DAY });
    assert.deepEqual(rep.sources.filter((s) => s.status !== 'ok').map((s) => `${s.id}: ${s.error}`), []);
    const { by, summary } = await decoded(out);
    assertComplete(h, by);
    assert.equal(summary.totals.quarantined, 0);
    // formats as Microsoft returns them
    const formats = new Set(summary.files.flatMap((f) => Object.keys(f.formats)));
    for (const f of ['graph.signin', 'graph.directoryaudit', 'o365.mgmt', 'graph.auditlogrecord', 'graph.messagetrace']) assert.ok(formats.has(f), `${f} in ${[...formats].join(', ')}`);
    const page = JSON.parse(readFileSync(path.join(out, 'signins/servicePrincipal/signins-00001.json'), 'utf8'));
    assert.match(page['@odata.context'], /signIns$/);
    assert.ok(Array.isArray(JSON.parse(readFileSync(path.join(out, 'ual/management/Audit.Exchange/blob-00001.json'), 'utf8'))));
    // files are private to the user running collect
    assert.equal(statSync(path.join(out, 'audit/directoryAudits-00001.json')).mode & 0o077, 0);
    // the snapshot: the same records as the tenant's, in the layout `audit` reads
    const snap = await loadSnapshot(path.join(out, 'snapshot'));
    for (const [rel, body] of h.tenant.snapshot) {
      if (!rel.startsWith('graph/')) continue;
      const want = (Array.isArray(body) ? body : [body]).flatMap((p: { value?: unknown[] }) => (Array.isArray(p.value) ? p.value : [p]));
      assert.deepEqual(snap.get(rel).items, want, rel);
    }
    assert.equal(snap.get('graph/v1.0/identity/conditionalAccess/namedLocations.json').state, 'error', 'a failed request is saved as its error body');
    assert.equal(snap.exchange('Get-InboundConnector').state, 'missing', 'Exchange configuration only when configured');
    const state = JSON.parse(readFileSync(path.join(out, 'collect.json'), 'utf8')) as CollectReport;
    assert.equal(state.schema, 'tenantwatch.collect/1');
    assert.ok(state.sources.every((s) => s.checkpoint));
  });
});

test('collect under every fault loses nothing and duplicates nothing', async () => {
  const faults: FaultRule[] = [
    { kind: '429', server: 'graph', path: /signIns/, every: 5, times: 4, retryAfter: 30 },
    { kind: 'af429', server: 'management', path: /\/audit\//, every: 4, times: 3, retryAfter: 5 },
    { kind: 'af429', server: 'management', path: /subscriptions\/content/, times: 1 },
    { kind: '500', server: 'graph', path: /directoryAudits/, times: 2 },
    { kind: '503', server: 'graph', path: /messageTraces/, every: 7, times: 2, retryAfter: 3 },
    { kind: '504', server: 'graph', path: /auditLog\/queries\/[^/]+\/records/, times: 1 },
    { kind: 'slow', server: 'graph', path: /signIns/, every: 9, times: 2, delayMs: 40 },
    { kind: 'hang', server: 'management', path: /\/audit\//, after: 5, times: 1 },
    { kind: 'hang', server: 'graph', path: /servicePrincipals/, times: 1 },
    { kind: 'truncate', server: 'graph', path: /signIns.*skiptoken/, every: 3, times: 3 },
    { kind: 'truncate', server: 'management', path: /\/audit\//, after: 8, times: 2 },
    { kind: 'reset', server: 'graph', path: /messageTraces.*skiptoken/, times: 2 },
    { kind: 'expire-token', server: 'graph', path: /signIns/, after: 12, every: 10, times: 2 },
    { kind: 'expire-token', server: 'management', after: 20, times: 1 },
    { kind: 'repeat-page', server: 'graph', path: /signIns.*skiptoken/, after: 4, every: 4, times: 3 },
    { kind: 'repeat-page', server: 'graph', path: /records.*skiptoken/, times: 1 },
    { kind: 'loop-link', server: 'graph', path: /signIns.*skiptoken/, after: 15, times: 1 },
    { kind: 'loop-link', server: 'management', path: /subscriptions\/content/, after: 3, times: 1 },
    { kind: '500', server: 'authority', path: /token/, after: 2, times: 1 },
  ];
  await run(
    {
      faults,
      graphMaxTop: 25,
      contentPageSize: 3,
      lateFraction: 0.05,
      mgmt: { lateFraction: 0.2, duplicateBlobFraction: 0.3, duplicateRecordFraction: 0.2, requirePublisher: true },
      collect: { requestTimeout: 400 },
      // half a day before the fixture's end: the newest records and a day's late deliveries are still to come
      nowAfterEnd: -12 * 3_600_000,
    },
    async (h) => {
      const out = outDir();
      const rep = await collect({ rt: h.rt, out, since: h.clock.now() - 30 * DAY });
      assert.deepEqual(rep.sources.filter((s) => s.status !== 'ok').map((s) => `${s.id}: ${s.error}`), []);
      const fired = h.fake.faults.firedCounts();
      assert.deepEqual(faults.filter((_, i) => fired[i] === 0).map((f) => `${f.kind} ${f.server} ${String(f.path ?? '')}`), [], 'every fault happened');
      const { by } = await decoded(out);
      // late records are not visible yet: collect gets exactly what Graph shows, and for the audit log what the
      // query API holds before the cut-off plus every Management API blob available when the run started
      assert.ok(h.fake.graph.visibleIds('signIns').length < h.tenant.signIns.length);
      const cutoff = Date.parse(rep.sources.find((s) => s.id === 'graph.auditLogQuery')!.to);
      const ual = new Set(h.fake.management.visibleIds(h.rt.collect.contentTypes, Date.parse(rep.until) - 1)); // listing windows end before `until`
      for (const r of h.tenant.ual) if (Date.parse(`${String(r.CreationTime)}Z`) < cutoff) ual.add(String(r.Id).toLowerCase());
      assert.ok(ual.size < h.tenant.ual.length, 'some audit records are still in blobs of tomorrow');
      // sign-ins: everything visible when the run started; nothing newer than that; (virtual) time passes during
      // the run, so a late record may become visible while it runs — it may or may not be in
      const until = Date.parse(rep.until);
      const atStart = new Set(h.fake.graph.visibleIds('signIns', until));
      const inWindow = new Set(h.tenant.signIns.filter((r) => Date.parse(String(r.createdDateTime)) < until).map((r) => String(r.id).toLowerCase()));
      const got = by.signin!;
      assert.equal(new Set(got).size, got.length, 'sign-ins written twice');
      assert.deepEqual([...atStart].filter((id) => !got.includes(id.toLowerCase())), [], 'sign-ins lost');
      assert.deepEqual(got.filter((id) => !inWindow.has(id)), [], 'sign-ins from after the run started');
      assertComplete(h, { ...by, signin: [...atStart] }, { ...expected(h), ual: sorted([...ual]), signin: sorted([...atStart]) });
      assert.ok(rep.http!.throttled >= 8 && rep.http!.tokenRefreshes >= 3, JSON.stringify(rep.http));
      assert.ok(h.clock.sleeps.includes(30_000), 'Retry-After honoured');
      assert.equal(h.fake.requests.filter((r) => r.server === 'management' && r.publisherIdentifier === undefined).length, 0);
    },
  );
});

test('interrupted collect resumes from collect.json to the same complete result', async () => {
  await run({ graphMaxTop: 30, contentPageSize: 4 }, async (h) => {
    const out = outDir();
    const ac = new AbortController();
    let writes = 0;
    const first = await collect({ rt: h.rt, out, since: h.clock.now() - 30 * DAY, signal: ac.signal, onWrite: () => ++writes === 40 && ac.abort() });
    assert.ok(first.sources.some((s) => s.status === 'interrupted' || s.status === 'pending'));
    // a hard crash also leaves files written after the last saved checkpoint; fake one
    const state = JSON.parse(readFileSync(path.join(out, 'collect.json'), 'utf8')) as CollectReport;
    const s0 = state.sources.find((s) => s.files > 0)!;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(out, s0.dir, `x-${String(s0.files + 1).padStart(5, '0')}.json`), readFileSync(path.join(out, s0.dir, readdirSync(path.join(out, s0.dir))[0]!)));
    await assert.rejects(collect({ rt: h.rt, out, since: 0 }), /not empty/);
    const second = await collect({ rt: h.rt, out, since: 0, resume: true });
    assert.deepEqual(second.sources.filter((s) => s.status !== 'ok').map((s) => s.id), []);
    assert.equal(second.since, first.since);
    const { by } = await decoded(out);
    assertComplete(h, by);
  });
});

test('without ActivityFeed.Read the last 7 days of the audit log come from the audit log query API', async () => {
  await run({ roles: { management: [] } }, async (h) => {
    const out = outDir();
    const rep = await collect({ rt: h.rt, out, since: h.clock.now() - 30 * DAY });
    const mg = rep.sources.filter((s) => s.id.startsWith('o365.management.'));
    assert.ok(mg.every((s) => s.status === 'failed' && /AF10001.*ActivityFeed\.Read/.test(s.error ?? '')), JSON.stringify(mg));
    assert.ok(rep.sources.some((s) => s.dir === 'ual/auditlog-query-last7d' && s.status === 'ok'));
    const { by } = await decoded(out);
    assertComplete(h, by);
    assert.ok(h.logs.some((l) => /reading the last 7 days of the unified audit log through the audit log query API/.test(l)));
  });
});

test('the client secret and the access tokens never appear in logs, errors, state or collected files', async () => {
  await run(
    {
      credential: 'secret',
      faults: [
        { kind: 'expire-token', server: 'graph', after: 3, times: 2 },
        { kind: '429', server: 'graph', times: 1, retryAfter: 1 },
      ],
      roles: { graph: ['AuditLog.Read.All'] },
      collect: { sources: ['signins', 'directoryAudits', 'messageTrace', 'snapshot'], signInEventTypes: ['interactiveUser'] },
    },
    async (h) => {
      const out = outDir();
      const rep = await collect({ rt: h.rt, out, since: h.clock.now() - 30 * DAY });
      assert.ok(rep.sources.some((s) => s.status === 'failed'), 'a permission error happened (message trace)');
      const secrets = [TEST_SECRET, ...h.fake.sts.issuedTokens];
      assert.ok(secrets.length >= 3);
      const texts: [string, string][] = h.logs.map((l) => ['log', l]);
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else texts.push([p, readFileSync(p, 'utf8')]);
        }
      };
      walk(out);
      assert.ok(h.logs.some((l) => l.startsWith('debug:')), 'debug logging was on');
      for (const [where, t] of texts) for (const s of secrets) assert.ok(!t.includes(s), `secret leaked into ${where}`);
      // and the redactor masks them when some message does carry one
      assert.equal(h.rt.redactor.redact(`x ${h.fake.sts.issuedTokens[0]} y`), 'x [REDACTED] y');
    },
  );
});
