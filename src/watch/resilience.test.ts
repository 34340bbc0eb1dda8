// `watch` when things go wrong for a while, against the fake Microsoft service on the virtual clock: a stop longer
// than the APIs keep data, a failing sink (health, outbox gauges, the dead-letter file) and a record dated in the
// future.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { defaultWatchConfig } from '../config/watch.js';
import { startHttpReceiver, type HttpReceiver } from '../sinks/testing.js';
import type { Logger } from '../sources/auth/redact.js';
import { startHarness, type Harness } from '../sources/fake/harness.js';
import { openWatch, type OpenWatch } from './index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let h: Harness;
let hook: HttpReceiver;
let tmp: string;
const logs: string[] = [];
const logger: Logger = { debug: (m) => logs.push(`debug: ${m}`), info: (m) => logs.push(`info: ${m}`), warn: (m) => logs.push(`warn: ${m}`) };

before(async () => {
  h = await startHarness({ fixture: { days: 2, users: 8 }, nowAfterEnd: 0, graphMaxTop: 50, contentPageSize: 5 });
  hook = await startHttpReceiver();
  tmp = mkdtempSync(path.join(tmpdir(), 'tw-resilience-'));
});

after(async () => {
  await hook?.close();
  await h?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

type Collect = NonNullable<Config['collect']>;

function config(sources: Collect['sources'], contentTypes: Collect['contentTypes'] = ['Audit.Exchange'], maxAttempts = 4): Config {
  return {
    ...h.config,
    lateness: { default: HOUR, ual: 3 * HOUR },
    collect: { ...h.config.collect!, sources, signInEventTypes: ['interactiveUser'], contentTypes, maxAttempts: 4 },
    watch: { ...defaultWatchConfig(), interval: 5 * MIN, delay: 5 * MIN, lookback: 10 * MIN, backfill: HOUR, delivery: { maxAttempts, backoff: 1000, maxBackoff: 60_000 } },
    sinks: [{ type: 'webhook', name: 'hook', url: { env: 'TW_HOOK_URL' }, format: 'alert', minSeverity: 'informational', revisions: 'all', timeout: 5000 }],
  };
}

function session(dir: string, cfg: Config): Promise<OpenWatch> {
  return openWatch({
    config: cfg, configDir: h.pki.dir, env: { TW_HOOK_URL: hook.url }, clock: h.clock, logger, dbPath: path.join(dir, 'tenantwatch.db'),
    listen: null, geoPackages: false, backoffBaseMs: 10, random: () => 1,
  });
}

const metric = (w: OpenWatch, series: string) => {
  const line = w.watcher.renderMetrics().split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

test('a failing sink makes health degraded, dead deliveries until the dead-letter file is moved; outbox gauges drop to 0', async () => {
  const dir = path.join(tmp, 'sink');
  const start = h.tenant.period.start + 6 * HOUR;
  h.clock.set(start);
  const w = await session(dir, config(['signins', 'directoryAudits', 'managementActivity']));
  try {
    hook.always = 500;
    for (let t = start; t <= h.tenant.period.end; t += 6 * HOUR) {
      h.clock.set(Math.max(t, h.clock.now()));
      await w.watcher.pollOnce({ until: t });
    }
    const queued = w.watcher.state.deliveries().length;
    assert.ok(queued >= 3, `alerts to deliver: ${queued}`);
    logs.length = 0;
    await w.watcher.dispatcher.deliverDue();
    h.clock.advance(2000);
    await w.watcher.dispatcher.deliverDue();
    let health = w.watcher.health();
    assert.equal(health.status, 'degraded');
    assert.deepEqual(health.reasons, ['sink hook: delivery failing (2 attempt(s), last: HTTP 500)']);
    // the first failure is a warning, the next within a minute only a debug line
    assert.deepEqual(logs.filter((l) => /^(warn|debug): sink hook/.test(l)).map((l) => l.slice(0, l.indexOf(':'))), ['warn', 'debug']);
    assert.equal(metric(w, 'tenantwatch_outbox_deliveries{sink="hook",state="pending"}'), queued);

    hook.always = 200;
    h.clock.advance(HOUR);
    await w.watcher.dispatcher.drain({ maxWaitMs: HOUR });
    health = w.watcher.health();
    assert.equal(health.status, 'ok', JSON.stringify(health.reasons));
    assert.equal(metric(w, 'tenantwatch_outbox_deliveries{sink="hook",state="delivered"}'), queued);
    assert.equal(metric(w, 'tenantwatch_outbox_deliveries{sink="hook",state="pending"}'), 0, 'an emptied state reads 0, not its last count');

    // a delivery that cannot pass (404) is dead: health says so until the operator moves the dead-letter file away
    hook.always = 404;
    h.clock.set(h.tenant.period.end + 12 * HOUR);
    await w.watcher.pollOnce({ until: h.clock.now() });
    const more = w.watcher.state.deliveries().length - queued;
    assert.ok(more >= 1, 'later alerts');
    await w.watcher.dispatcher.drain({ maxWaitMs: HOUR });
    health = w.watcher.health();
    assert.equal(health.status, 'degraded');
    assert.deepEqual(health.reasons, [`${more} delivery(ies) failed for good: re-send the alerts in ${w.deadLetter}, then move the file away`]);
    assert.equal(metric(w, 'tenantwatch_outbox_deliveries{sink="hook",state="dead"}'), more);
    renameSync(w.deadLetter, `${w.deadLetter}.handled`);
    assert.equal(w.watcher.health().status, 'ok');
  } finally {
    hook.always = undefined;
    await w.close();
  }
});

test('a record dated 30 days ahead does not move the watermark: later events are not late, and it is counted', async () => {
  const dir = path.join(tmp, 'future');
  const start = h.tenant.period.start + 6 * HOUR;
  const blob = [...h.fake.management.blobs.values()].filter((b) => b.contentType === 'Audit.Exchange' && b.created > start).sort((a, b) => a.created - b.created)[0]!;
  const injected = { ...blob.records[0]!, Id: '11111111-2222-4333-8444-555555555555', CreationTime: new Date(blob.created + 30 * DAY).toISOString().slice(0, 19) };
  blob.records.push(injected);
  h.clock.set(start);
  const w = await session(dir, config(['signins', 'directoryAudits', 'managementActivity'], ['Audit.Exchange', 'Audit.AzureActiveDirectory']));
  try {
    for (let t = start; t <= h.tenant.period.end + 6 * HOUR; t += 2 * HOUR) {
      h.clock.set(Math.max(t, h.clock.now()));
      await w.watcher.pollOnce({ until: t });
    }
    assert.equal(metric(w, 'tenantwatch_future_events_total{source="o365.management.Audit.Exchange"}'), 1);
    assert.equal(metric(w, 'tenantwatch_engine_late_events_total'), 0, 'no event was made late by the future one');
  } finally {
    blob.records.splice(blob.records.indexOf(injected), 1);
    await w.close();
  }
});

test('after a stop longer than the APIs keep data, each source skips to the retention floor once, reports the gap and goes on', async () => {
  const dir = path.join(tmp, 'retention');
  const cfg = config(['signins', 'managementActivity']);
  const start = h.tenant.period.start + 12 * HOUR;
  h.clock.set(start);
  let w = await session(dir, cfg);
  await w.watcher.pollOnce({ until: start });
  const before = new Map(w.watcher.health().sources.map((s) => [s.id, Date.parse(s.frontier)]));
  await w.close();

  const restart = start + 31 * DAY;
  h.clock.set(restart);
  logs.length = 0;
  w = await session(dir, cfg);
  try {
    await w.watcher.pollOnce({ until: restart });
    const health = w.watcher.health();
    assert.equal(health.status, 'ok', JSON.stringify(health.reasons));
    const frontier = new Map(health.sources.map((s) => [s.id, Date.parse(s.frontier)]));
    assert.equal(frontier.get('graph.signins.interactiveUser'), restart - 5 * MIN);
    assert.equal(frontier.get('o365.management.Audit.Exchange'), restart);
    // Graph sign-ins keep 30 days; the Management API 7 (read from 10 minutes inside, AF20030)
    const graphFloor = restart - 30 * DAY;
    const mgmtFloor = restart - 7 * DAY + 10 * MIN;
    assert.equal(metric(w, 'tenantwatch_source_lost_seconds_total{source="graph.signins.interactiveUser"}'), (graphFloor - before.get('graph.signins.interactiveUser')!) / 1000);
    assert.equal(metric(w, 'tenantwatch_source_lost_seconds_total{source="o365.management.Audit.Exchange"}'), (mgmtFloor - before.get('o365.management.Audit.Exchange')!) / 1000);
    const warnings = () => logs.filter((l) => l.startsWith('warn:'));
    assert.deepEqual(warnings().sort(), [
      `warn: graph.signins.interactiveUser: data from ${new Date(before.get('graph.signins.interactiveUser')!).toISOString()} to ${new Date(graphFloor).toISOString()} is past the API's retention and cannot be collected any more`,
      `warn: o365.management.Audit.Exchange: content created ${new Date(before.get('o365.management.Audit.Exchange')!).toISOString().slice(0, 19)}Z – ${new Date(mgmtFloor).toISOString().slice(0, 19)}Z has expired (7 days) and is lost`,
    ].sort());
    // later polls go on from there, with no new gap (the look-back stays above the floor)
    for (let k = 1; k <= 3; k++) {
      h.clock.advance(30 * MIN);
      await w.watcher.pollOnce({ force: true });
    }
    assert.equal(warnings().length, 2, warnings().join('\n'));
    assert.equal(w.watcher.health().status, 'ok');
    assert.ok(w.watcher.health().sources.every((s) => s.failures === 0 && Date.parse(s.lastSuccess!) === h.clock.now()));
  } finally {
    await w.close();
  }
});
