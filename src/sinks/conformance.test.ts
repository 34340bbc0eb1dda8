// The shared sink conformance suite: every sink, driven through the real outbox and dispatcher against a local
// receiver, must (1) carry the idempotency key where the receiver sees it, (2) be retried with back-off — the
// receiver's Retry-After when it sends one — after a 429/5xx or a connection failure, (3) end in the dead-letter
// file after N failed attempts (at once when retrying cannot help), and (4) never write a webhook URL or a secret
// into a log line, an error or the dead-letter file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SinkConfig } from '../config/watch.js';
import { alert, app, ip, T0, user } from '../correlate/testing.js';
import type { Alert } from '../detect/alert.js';
import { Redactor, type Logger } from '../sources/auth/redact.js';
import { VirtualClock } from '../sources/clock.js';
import { makeTestPki } from '../sources/fake/pki.js';
import { Store } from '../store/store.js';
import { Dispatcher } from '../watch/dispatcher.js';
import { Metrics } from '../watch/metrics.js';
import { WatchState } from '../watch/state.js';
import { createSinks } from './index.js';
import { freePort, msgIdOf, startHttpReceiver, startTcpSyslog, startTlsSyslog, startUdpSyslog, type HttpReceiver, type SyslogReceiver } from './testing.js';
import { idempotencyKey, type Sink } from './types.js';

const HMAC = 'conformance-hmac-key-0123456789';
let tmp: string;
before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'tw-sinks-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function sampleAlert(name: string, revision = 1): Alert {
  const a = alert({ name, at: T0, severity: 'high', rule: 'TW-APP-001', entities: [user('admin@contoso.example'), app('2a0d085a-5c65-48ff-a873-cb71ec0014fb', 'target', { display: 'Backup [click](https://evil.example) <!channel>' }), ip('203.0.113.9')], revision });
  a.title = 'Application "Backup | Sync" got a secret';
  a.explanation = 'admin@contoso.example added a client secret to Backup 12 minutes after creating it.\nSecond line = more';
  a.evidence = [{ eventId: 'e1', time: a.time, source: 'entra.audit', action: 'app.credential.add', summary: 'Update application by admin@contoso.example', raw: { file: 'watch:graph.directoryAudits/p00001', format: 'graph.directoryaudit', text: '{"id":"e1"}' } }];
  return a;
}

interface Rig {
  clock: VirtualClock;
  store: Store;
  state: WatchState;
  sink: Sink;
  dispatcher: Dispatcher;
  logs: string[];
  redactor: Redactor;
  deadLetter: string;
  close(): Promise<void>;
}

async function rig(cfg: SinkConfig, env: NodeJS.ProcessEnv, maxAttempts = 4): Promise<Rig> {
  const clock = new VirtualClock(T0 + 3_600_000);
  const redactor = new Redactor();
  const logs: string[] = [];
  const logger: Logger = { debug: (m) => logs.push(m), info: (m) => logs.push(m), warn: (m) => logs.push(m) };
  const [sink] = await createSinks([cfg], { env, baseDir: tmp, redactor, clock });
  const store = Store.open(':memory:');
  const state = new WatchState(store);
  const deadLetter = path.join(mkdtempSync(path.join(tmp, 'dl-')), 'dead.ndjson');
  const dispatcher = new Dispatcher({ state, sinks: [sink!], clock, logger, redactor, metrics: new Metrics(), maxAttempts, backoffMs: 2000, maxBackoffMs: 60_000, deadLetter, random: () => 1 });
  return {
    clock, store, state, sink: sink!, dispatcher, logs, redactor, deadLetter,
    close: async () => {
      await sink!.close();
      store.close();
    },
  };
}

/** Put alerts in the outbox for the rig's sink, as a watch commit does. */
function enqueue(r: Rig, alerts: Alert[]): void {
  r.state.commit({
    now: r.clock.now(), checkpoints: [], engine: '{}', ledger: '{}', alerts, runId: 'test',
    deliveries: alerts.map((a) => ({ alertId: a.id, revision: a.revision, sink: r.sink.name, key: idempotencyKey(a.id, a.revision) })),
  });
}

const states = (r: Rig) => r.state.deliveries().map((d) => `${d.state}/${d.attempts}`);

/** Nothing secret anywhere the operator can read. */
function assertNoSecrets(r: Rig, secrets: string[]) {
  const texts = [...r.logs, existsSync(r.deadLetter) ? readFileSync(r.deadLetter, 'utf8') : '', ...r.state.deliveries().map((d) => d.lastError ?? '')];
  for (const s of secrets) for (const t of texts) assert.ok(!t.includes(s), `a secret leaked into: ${t.slice(0, 200)}`);
}

interface HttpCase {
  type: 'teams' | 'slack' | 'webhook';
  /** where the key is inside the body */
  keyInBody(body: string, key: string): boolean;
}

const httpCases: HttpCase[] = [
  { type: 'teams', keyInBody: (b, k) => JSON.stringify((JSON.parse(b) as { attachments: { content: { body: unknown[] } }[] }).attachments[0]!.content.body).includes(`"value":"${k}"`) },
  { type: 'slack', keyInBody: (b, k) => (JSON.parse(b) as { blocks: { type: string; elements?: { text: string }[] }[] }).blocks.some((x) => x.type === 'context' && x.elements!.some((e) => e.text.includes(`\`${k}\``))) },
  { type: 'webhook', keyInBody: (b, k) => (JSON.parse(b) as { idempotencyKey: string }).idempotencyKey === k },
];

for (const c of httpCases) {
  describe(`sink ${c.type} (HTTP)`, () => {
    let recv: HttpReceiver;
    before(async () => {
      recv = await startHttpReceiver(`/workflows/8f2c/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SiGnAtUrE-${c.type}-0123456789abcdef`);
    });
    after(() => recv.close());
    const cfg = (): SinkConfig =>
      c.type === 'webhook'
        ? { type: 'webhook', name: 'w', url: { env: 'URL' }, secret: { env: 'KEY' }, format: 'alert', minSeverity: 'informational', revisions: 'all', timeout: 2000 }
        : { type: c.type, name: c.type, url: { env: 'URL' }, minSeverity: 'informational', revisions: 'all', timeout: 2000 };
    const secrets = () => [recv.url, `sig=SiGnAtUrE-${c.type}-0123456789abcdef`, `SiGnAtUrE-${c.type}-0123456789abcdef`, HMAC];

    test('carries the idempotency key in a header and in the message; a revision has its own key', async () => {
      const r = await rig(cfg(), { URL: recv.url, KEY: HMAC });
      try {
        recv.requests.length = 0;
        const a = sampleAlert(`${c.type}-key`);
        const a2 = { ...structuredClone(a), revision: 2, occurrences: 3 };
        enqueue(r, [a, a2]);
        assert.equal(await r.dispatcher.drain(), 2);
        assert.deepEqual(recv.requests.map((q) => q.headers['idempotency-key']), [a.id, `${a.id}.r2`]);
        recv.requests.forEach((q, i) => assert.ok(c.keyInBody(q.body, i === 0 ? a.id : `${a.id}.r2`), q.body.slice(0, 300)));
        assert.ok(recv.requests.every((q) => q.method === 'POST' && /^application\/json/.test(String(q.headers['content-type']))));
        assert.deepEqual(states(r), ['delivered/1', 'delivered/1']);
        if (c.type === 'slack') assert.ok(r.clock.sleeps.some((s) => s >= 1000), 'Slack is paced at about one message per second');
      } finally {
        await r.close();
      }
    });

    test('429 and 5xx are retried with back-off, Retry-After first; order is kept', async () => {
      const r = await rig(cfg(), { URL: recv.url, KEY: HMAC });
      try {
        recv.requests.length = 0;
        recv.script.push({ status: 429, headers: { 'retry-after': '7' } }, { status: 503 }, { status: 500 });
        const a = sampleAlert(`${c.type}-retry`);
        const b = sampleAlert(`${c.type}-retry-2`);
        enqueue(r, [a, b]);
        const t0 = r.clock.now();
        assert.equal(await r.dispatcher.drain(), 2);
        assert.deepEqual(recv.requests.map((q) => `${q.status} ${String(q.headers['idempotency-key'])}`), [`429 ${a.id}`, `503 ${a.id}`, `500 ${a.id}`, `200 ${a.id}`, `200 ${b.id}`]);
        // waited 7 s (Retry-After), then 2 s × 2^1 = 4 s, then 8 s (random() = 1: the top of the jitter range)
        assert.ok(r.clock.now() - t0 >= 7000 + 4000 + 8000, `waited ${r.clock.now() - t0} ms`);
        assert.ok(r.clock.sleeps.includes(7000), 'Retry-After honoured');
        assert.deepEqual(states(r), ['delivered/4', 'delivered/1']);
        assertNoSecrets(r, secrets());
      } finally {
        await r.close();
      }
    });

    test('dead-letter after N attempts, at once for a 4xx; no URL or secret in logs or the dead-letter file', async () => {
      const r = await rig(cfg(), { URL: recv.url, KEY: HMAC }, 3);
      try {
        recv.requests.length = 0;
        recv.always = 502;
        const a = sampleAlert(`${c.type}-dead`);
        enqueue(r, [a]);
        await r.dispatcher.drain();
        assert.equal(recv.requests.length, 3);
        assert.deepEqual(states(r), ['dead/3']);
        const dl = readFileSync(r.deadLetter, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { idempotencyKey: string; error: string; alert: Alert; sink: string });
        assert.equal(dl.length, 1);
        assert.equal(dl[0]!.idempotencyKey, a.id);
        assert.equal(dl[0]!.alert.id, a.id, 'the alert is kept for a manual re-send');
        assert.match(dl[0]!.error, /gave up after 3 attempts \(last: HTTP 502\)/);
        recv.always = 404;
        const b = sampleAlert(`${c.type}-404`);
        enqueue(r, [b]);
        await r.dispatcher.drain();
        assert.equal(recv.requests.length, 4, 'a 404 is not retried');
        assert.equal(r.state.deliveries().find((d) => d.alertId === b.id)!.state, 'dead');
        assert.ok(r.logs.some((l) => /could not be delivered: HTTP 404/.test(l)));
        assertNoSecrets(r, secrets());
        // the redactor knows the URL: a message that carried it by mistake would be masked
        assert.equal(r.redactor.redact(`posting to ${recv.url} failed`), 'posting to [REDACTED] failed');
      } finally {
        recv.always = undefined;
        await r.close();
      }
    });
  });
}

describe('sink syslog', () => {
  const pki = makeTestPki();
  let rcv: SyslogReceiver[] = [];
  after(async () => {
    for (const x of rcv) await x.close();
  });
  const cfg = (transport: 'udp' | 'tcp' | 'tls', port: number, extra: Partial<SinkConfig> = {}): SinkConfig => ({
    type: 'syslog', name: `syslog-${transport}`, host: '127.0.0.1', port, transport, format: 'json', facility: 10, appName: 'tenantwatch', hostname: 'tw-host',
    framing: 'octet-counting', maxMessageBytes: transport === 'udp' ? 8192 : 65_536, minSeverity: 'informational', revisions: 'all', timeout: 2000,
    ...(transport === 'tls' ? { caFile: pki.caFile } : {}), ...extra,
  } as SinkConfig);

  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    test(`${transport}: RFC 5424 with the idempotency key as MSGID`, async () => {
      const server = transport === 'udp' ? await startUdpSyslog() : transport === 'tcp' ? await startTcpSyslog() : await startTlsSyslog({ keyPem: pki.serverKeyPem, certPem: pki.serverCertPem });
      rcv.push(server);
      const r = await rig(cfg(transport, server.port), {});
      try {
        const a = sampleAlert(`syslog-${transport}`);
        enqueue(r, [a, { ...structuredClone(a), revision: 2 }]);
        assert.equal(await r.dispatcher.drain(), 2);
        for (let i = 0; i < 50 && server.messages.length < 2; i++) await new Promise((res) => setTimeout(res, 10));
        assert.deepEqual(server.keys(), [a.id, `${a.id}.r2`]);
        const m = server.messages[0]!;
        // <authpriv(10)*8 + error(3) for high>1 TIMESTAMP HOST APP - MSGID [SD] MSG
        assert.match(m, new RegExp(`^<83>1 ${a.time.replace(/\./g, '\\.')} tw-host tenantwatch - ${a.id} \\[tenantwatch@32473 alertId="${a.id}" revision="1" rule="TW-APP-001" severity="high" tenant="tenant-a"\\] \\{`));
        const body = JSON.parse(m.slice(m.indexOf('] ') + 2)) as { idempotencyKey: string; evidence: { summary: string }[] };
        assert.equal(body.idempotencyKey, a.id);
        assert.equal(body.evidence[0]!.summary, 'Update application by admin@contoso.example');
      } finally {
        await r.close();
      }
    });
  }

  test('tcp: a refused connection is retried; a dead receiver ends in the dead-letter file', async () => {
    const port = await freePort();
    const r = await rig(cfg('tcp', port), {}, 3);
    try {
      const a = sampleAlert('syslog-retry');
      enqueue(r, [a]);
      assert.equal(await r.dispatcher.deliverDue(), 0);
      assert.deepEqual(states(r), ['pending/1']);
      assert.match(r.state.deliveries()[0]!.lastError ?? '', /ECONNREFUSED/);
      const server = await startTcpSyslog(port);
      rcv.push(server);
      assert.equal(await r.dispatcher.drain(), 1);
      for (let i = 0; i < 50 && !server.messages.length; i++) await new Promise((res) => setTimeout(res, 10));
      assert.deepEqual(server.keys(), [a.id]);
      await server.close();
      rcv = rcv.filter((x) => x !== server);
      await new Promise((res) => setTimeout(res, 50)); // let the sink see its connection closed
      const b = sampleAlert('syslog-dead');
      enqueue(r, [b]);
      await r.dispatcher.drain();
      const dl = readFileSync(r.deadLetter, 'utf8');
      assert.match(dl, new RegExp(`"idempotencyKey":"${b.id}"`));
      assert.match(dl, /gave up after 3 attempts/);
    } finally {
      await r.close();
    }
  });

  test('tls: a certificate the sink does not trust is not retried (a configuration problem)', async () => {
    const server = await startTlsSyslog({ keyPem: pki.serverKeyPem, certPem: pki.serverCertPem });
    rcv.push(server);
    const r = await rig(cfg('tls', server.port, { caFile: undefined } as Partial<SinkConfig>), {});
    try {
      enqueue(r, [sampleAlert('syslog-untrusted')]);
      await r.dispatcher.drain();
      assert.deepEqual(states(r), ['dead/1']);
      assert.match(r.state.deliveries()[0]!.lastError ?? '', /TLS error/);
    } finally {
      await r.close();
    }
  });
});

describe('sink file', () => {
  test('appends one line per delivery with the key; a blocked path is retried, then delivered', async () => {
    const dir = mkdtempSync(path.join(tmp, 'file-'));
    const blocker = path.join(dir, 'out');
    writeFileSync(blocker, 'not a folder');
    const r = await rig({ type: 'file', name: 'file', path: path.join(blocker, 'alerts.ndjson'), format: 'ndjson', minSeverity: 'informational', revisions: 'all', timeout: 2000 }, {});
    try {
      const a = sampleAlert('file-1');
      enqueue(r, [a]);
      await r.dispatcher.deliverDue();
      assert.deepEqual(states(r), ['pending/1']);
      assert.match(r.state.deliveries()[0]!.lastError ?? '', /EEXIST|ENOTDIR/);
      rmSync(blocker);
      await r.dispatcher.drain();
      const lines = readFileSync(path.join(blocker, 'alerts.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { schema: string; idempotencyKey: string; alert: Alert });
      assert.deepEqual(lines.map((l) => [l.schema, l.idempotencyKey, l.alert.id]), [['tenantwatch.delivery/1', a.id, a.id]]);
      if (process.platform !== 'win32') {
        chmodSync(path.join(blocker, 'alerts.ndjson'), 0o600);
      }
    } finally {
      await r.close();
    }
  });
});

test('syslog MSGID of a revision is the key with .rN, at most 32 characters', () => {
  const key = idempotencyKey('abcdefghijklmnop', 12);
  assert.equal(key, 'abcdefghijklmnop.r12');
  assert.equal(msgIdOf(`<83>1 2025-01-06T09:00:00.000Z h tenantwatch - ${key} - x`), key);
});
