// UAL-only input: MailItemsAccessed by an app and the Exchange cmdlets an app runs carry only its appId. The app's
// creation, consent and credential records earlier in the same export name it; the alerts must use that name.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simulate } from '../simulate/index.js';
import type { HuntReport } from '../report/types.js';
import { hunt } from './hunt.js';

let dir: string;
let report: HuntReport;
let apps: string[];

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tw-app-names-'));
  await simulate({ out: dir, seed: 7, users: 120, days: 14, scenarios: ['campaign', 'consent-phishing', 'insider-app'], formats: ['ual-purview'] });
  const truth = JSON.parse(readFileSync(path.join(dir, 'truth.json'), 'utf8')) as { incidents: { actors: { apps: string[] } }[] };
  apps = truth.incidents.flatMap((i) => i.actors.apps).map((a) => a.toLowerCase());
  report = await hunt({ paths: [path.join(dir, 'ual')], now: () => Date.parse('2025-05-01T00:00:00Z') });
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('alerts on records that carry only an app id name the app the export named elsewhere', () => {
  assert.equal(apps.length, 3, 'the campaign app, the consent-phishing app and the insider app');
  const about = report.alerts.filter((a) => a.entities.some((e) => e.type === 'app' && apps.includes(e.id.toLowerCase())));
  assert.ok(about.length >= 5, `alerts about the two apps: ${about.length}`);
  for (const a of about) assert.ok(!apps.some((id) => a.title.toLowerCase().includes(id)), `${a.rule} titles the app by id: ${a.title}`);
  // the reads by the insider app and the campaign app's Exchange changes rest on records without a name
  const reads = about.filter((a) => a.rule === 'TW-MAIL-006' && a.entities.some((e) => e.role === 'actor' && apps.includes(e.id.toLowerCase())));
  assert.ok(reads.length >= 1, 'the insider app reading mail alerted');
  for (const r of reads) {
    const name = r.facts.appName;
    assert.equal(typeof name, 'string', 'the read alert carries the learned name');
    assert.ok(r.title.startsWith(String(name)), r.title);
    assert.ok(r.entities.some((e) => e.type === 'app' && e.display === name), 'its app entity shows the name');
  }
  // the apps that read mail before are listed by name too (ctx.enrich.appName): the consent-phishing app read
  // mail before the insider app did
  const lists = report.alerts.filter((x) => x.rule === 'TW-MAIL-006').map((a) => /read mail since \S+ \(([^)]*)\)/.exec(a.explanation)?.[1] ?? '');
  for (const known of lists) assert.ok(!apps.some((id) => known.toLowerCase().includes(id)), `known apps by id: ${known}`);
  const named = report.alerts.filter((a) => a.rule === 'TW-APP-006' || a.rule === 'TW-APP-004').map((a) => a.entities.find((e) => e.type === 'app')?.display);
  assert.ok(lists.some((known) => named.some((n) => n !== undefined && known.includes(n))), `a consented app named in a known-apps list: ${lists.join(' / ')}`);
  const exchange = about.filter((a) => a.rule === 'TW-EXO-001' || a.rule === 'TW-EXO-002');
  assert.ok(exchange.length >= 1, 'the connector or transport rule the campaign app made alerted');
  for (const a of exchange) assert.match(a.title, / by app "[^"]+"$/);
});
