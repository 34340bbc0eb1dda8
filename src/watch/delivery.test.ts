// The dispatcher when a receiver is down for a while or the watch is stopped mid-delivery: an outage delays the
// sink's alerts but dead-letters none of them, an alert the receiver keeps refusing is still given up, and a
// graceful stop during a request uses up no attempt.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { alert, T0, user } from '../correlate/testing.js';
import type { Alert } from '../detect/alert.js';
import { createSinks } from '../sinks/index.js';
import { startHttpReceiver, type HttpReceiver } from '../sinks/testing.js';
import { idempotencyKey } from '../sinks/types.js';
import { Redactor, type Logger } from '../sources/auth/redact.js';
import { VirtualClock } from '../sources/clock.js';
import { Store } from '../store/store.js';
import { Dispatcher } from './dispatcher.js';
import { Metrics } from './metrics.js';
import { WatchState } from './state.js';

let tmp: string;
let recv: HttpReceiver;
before(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'tw-delivery-'));
  recv = await startHttpReceiver();
});
after(async () => {
  await recv.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function rig(url: string, name: string) {
  const clock = new VirtualClock(T0 + 3_600_000);
  const logs: string[] = [];
  const logger: Logger = { debug: (m) => logs.push(m), info: (m) => logs.push(m), warn: (m) => logs.push(m) };
  const [sink] = await createSinks([{ type: 'webhook', name: 'hook', url: { env: 'URL' }, format: 'alert', minSeverity: 'informational', revisions: 'all', timeout: 5000 }], { env: { URL: url }, baseDir: tmp, redactor: new Redactor(), clock });
  const store = Store.open(':memory:');
  const state = new WatchState(store);
  const deadLetter = path.join(tmp, `${name}-dead.ndjson`);
  const dispatcher = new Dispatcher({ state, sinks: [sink!], clock, logger, redactor: new Redactor(), metrics: new Metrics(), maxAttempts: 3, backoffMs: 1000, maxBackoffMs: 60_000, deadLetter, random: () => 1 });
  const alerts: Alert[] = Array.from({ length: 4 }, (_, i) => alert({ name: `${name}-${i}`, at: T0 + i * 60_000, entities: [user(`u${i}@contoso.example`)] }));
  state.commit({ now: clock.now(), checkpoints: [], engine: '{}', ledger: '{}', alerts, runId: 't', deliveries: alerts.map((a) => ({ alertId: a.id, revision: 1, sink: 'hook', key: idempotencyKey(a.id, 1) })) });
  const states = () => state.deliveries().map((d) => `${d.state}/${d.attempts}`);
  return { clock, logs, state, dispatcher, deadLetter, alerts, states, close: async () => { await sink!.close(); store.close(); } };
}

test('an outage delays a sink\'s alerts without dead-lettering them; afterwards they go out in order', async () => {
  const r = await rig(recv.url, 'outage');
  try {
    recv.requests.length = 0;
    recv.always = 503;
    // about an hour of outage: the first alert's 3 attempts are used up, then the sink is retried at maxBackoff
    await r.dispatcher.drain({ maxWaitMs: 60 * 60_000, maxPasses: 60 });
    assert.ok(r.clock.now() - (T0 + 3_600_000) >= 55 * 60_000, `${r.clock.now() - T0 - 3_600_000} ms of outage`);
    assert.deepEqual(r.state.deliveries().map((d) => d.state), ['pending', 'pending', 'pending', 'pending']);
    assert.ok(r.state.deliveries()[0]!.attempts > 3, 'the head row kept being tried');
    assert.deepEqual(r.state.deliveries().slice(1).map((d) => d.attempts), [0, 0, 0], 'only the head row counts attempts');
    assert.equal(existsSync(r.deadLetter), false, 'nothing dead-lettered');
    recv.always = undefined;
    recv.requests.length = 0;
    await r.dispatcher.drain({ maxWaitMs: 60 * 60_000 });
    assert.deepEqual(recv.requests.map((q) => q.headers['idempotency-key']), r.alerts.map((a) => a.id));
    assert.deepEqual(r.state.deliveries().map((d) => d.state), ['delivered', 'delivered', 'delivered', 'delivered']);
  } finally {
    recv.always = undefined;
    await r.close();
  }
});

test('an alert the receiver keeps refusing while it takes the next one is dead-lettered after maxAttempts', async () => {
  const r = await rig(recv.url, 'poison');
  try {
    recv.requests.length = 0;
    recv.script.push({ status: 500 }, { status: 500 }, { status: 500 });
    assert.equal(await r.dispatcher.drain({ maxWaitMs: 60 * 60_000 }), 3);
    assert.deepEqual(r.states(), ['dead/3', 'delivered/1', 'delivered/1', 'delivered/1']);
    const keys = recv.requests.map((q) => `${q.status} ${String(q.headers['idempotency-key'])}`);
    const [a, b, c, d] = r.alerts.map((x) => x.id);
    assert.deepEqual(keys, [`500 ${a}`, `500 ${a}`, `500 ${a}`, `200 ${b}`, `200 ${c}`, `200 ${d}`]);
  } finally {
    await r.close();
  }
});

test('a graceful stop during a delivery leaves the row as it was: no attempt used, still pending', async () => {
  let server: Server | undefined;
  const seen: string[] = [];
  let failFirst = 2;
  server = createServer((req, res) => {
    seen.push(String(req.headers['idempotency-key']));
    req.resume();
    if (failFirst-- > 0) res.writeHead(500).end();
    // else: never answers — the stop comes while the request is in flight
  });
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
  const r = await rig(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, 'abort');
  try {
    await r.dispatcher.deliverDue();
    r.clock.advance(60_000);
    await r.dispatcher.deliverDue();
    assert.deepEqual(r.states(), ['pending/2', 'pending/0', 'pending/0', 'pending/0']);
    r.clock.advance(60_000);
    const ac = new AbortController();
    const pass = r.dispatcher.deliverDue(ac.signal);
    for (let i = 0; i < 400 && seen.length < 3; i++) await new Promise((ok) => setTimeout(ok, 5));
    ac.abort();
    await pass;
    assert.equal(seen.length, 3, 'the third attempt reached the receiver');
    assert.deepEqual(r.states(), ['pending/2', 'pending/0', 'pending/0', 'pending/0'], 'the last attempt is not used up, nothing dead');
    assert.equal(existsSync(r.deadLetter), false);
  } finally {
    server.closeAllConnections();
    await new Promise((ok) => server!.close(ok));
    server = undefined;
    await r.close();
  }
});
