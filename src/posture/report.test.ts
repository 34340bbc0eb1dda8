import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { runAudit } from './audit.js';
import { loadAuditConfig } from './exemptions.js';
import { blockingFailures, compareReports, renderAuditHtmlSection, renderComparison, renderCsv, renderJson, renderTable } from './report.js';
import { loadSnapshot } from './snapshot.js';
import { edited, FIXTURES, NOW, valueOf } from './testing.js';

const exposed = async () => runAudit(await loadSnapshot(path.join(FIXTURES, 'exposed')), { now: NOW, config: await loadAuditConfig(path.join(FIXTURES, 'exposed.config.yml')) });
const hardened = async () => runAudit(await loadSnapshot(path.join(FIXTURES, 'hardened')), { now: NOW, config: await loadAuditConfig(path.join(FIXTURES, 'hardened.config.yml')) });

// a hostile display name: formula prefix, HTML, terminal control characters
const hostile = () => edited('exposed', (b) => {
  const apps = valueOf(b['graph/v1.0/servicePrincipals.json']);
  apps.find((a) => a.displayName === 'Mail Sync Service')!.displayName = '=HYPERLINK("http://x")<script>alert(1)</script>\u001b[31m';
});

test('JSON: {results:[{id,title,severity,status,stage,mappings,details,objects,remediation}]}', async () => {
  const j = JSON.parse(renderJson(await exposed()));
  assert.equal(j.results.length, 40);
  for (const r of j.results) for (const k of ['id', 'title', 'severity', 'status', 'stage', 'mappings', 'details', 'objects', 'remediation']) assert.ok(k in r, `${r.id}.${k}`);
  const a14 = j.results.find((r: { id: string }) => r.id === 'A14');
  assert.ok(a14.objects.some((o: { exempt?: unknown }) => o.exempt), 'exempt objects are shown, not hidden');
  assert.equal(j.summary.Fail, 36);
});

test('table: failures first with objects and fixes, exemptions marked, controls escaped', async () => {
  const t = renderTable(runAudit(hostile(), { now: NOW }));
  assert.ok(t.indexOf(' Fail ') < t.indexOf(' Pass '));
  assert.doesNotMatch(t, /\u001b/);
  assert.match(t, /\\u\{1b\}/);
  const e = renderTable(await exposed());
  assert.match(e, /A14\s+high\s+Fail\s/);
  assert.match(e, /\[exempt until 2099-12-31: Multifunction printer/);
  assert.match(e, /note: exemption expired on 2024-01-31/);
});

test('CSV: one row per object, formula prefixes neutralised', () => {
  const csv = renderCsv(runAudit(hostile(), { now: NOW }));
  const lines = csv.split('\r\n');
  assert.match(lines[0]!, /^id,title,severity,status,exempt,stage/);
  assert.ok(csv.includes(`"'=HYPERLINK(""http://x"")`), 'formula neutralised and quotes doubled');
  assert.ok(!/(^|,)=HYPERLINK/.test(csv));
});

test('HTML section: pure, every string escaped', () => {
  const html = renderAuditHtmlSection(runAudit(hostile(), { now: NOW }));
  assert.match(html, /^<section class="tw-audit"/);
  assert.doesNotMatch(html, /<script>/);
  assert.match(html, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
  assert.match(html, /tw-status-fail/);
});

test('compare: new failures, fixes, new and resolved objects', async () => {
  const prev = JSON.parse(renderJson(await hardened()));
  const cmp = compareReports(await exposed(), prev);
  assert.ok(cmp.newFailures.some((f) => f.id === 'D1' && f.was === 'Pass'));
  assert.equal(cmp.fixed.length, 0);
  const back = compareReports(await hardened(), JSON.parse(renderJson(await exposed())));
  assert.ok(back.fixed.some((f) => f.id === 'C4'));
  assert.ok(back.resolvedObjects.some((o) => o.id === 'C4' && o.object === 'Mail Sync Service'));
  assert.deepEqual(compareReports(await hardened(), {}).newFailures, []);
});

test('blockingFailures: severity threshold, exempt failures never block', async () => {
  const r = await exposed();
  const high = blockingFailures(r, 'high').map((x) => x.id);
  assert.ok(high.includes('C4') && high.includes('D4'));
  assert.ok(!high.includes('A8'), 'medium is below the default threshold');
  assert.ok(blockingFailures(r, 'medium').some((x) => x.id === 'A8'));
  assert.deepEqual(blockingFailures(await hardened(), 'low'), []);
});

test('compare: a check that cannot run now resolves nothing; every status change is shown', async () => {
  const prev = JSON.parse(renderJson(await exposed()));
  const denied = { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } };
  const lost = edited('exposed', (b) => { b['graph/v1.0/servicePrincipals.json'] = denied; });
  const cmp = compareReports(runAudit(lost, { now: NOW }), prev);
  assert.ok(!cmp.fixed.some((f) => f.id === 'C4'));
  assert.ok(!cmp.resolvedObjects.some((o) => o.id === 'C4'));
  assert.deepEqual(cmp.changed.find((c) => c.id === 'C4'), { id: 'C4', title: prev.results.find((r: { id: string }) => r.id === 'C4').title, was: 'Fail', now: 'Error' });
  assert.ok(cmp.uncheckedObjects.some((o) => o.id === 'C4' && o.object === 'Mail Sync Service' && o.now === 'Error'));
  const text = renderComparison(cmp);
  assert.match(text, /CHANGED {3}C4 .*\(was Fail, now Error: could not be checked now\)/);
  assert.match(text, /unknown {3}C4: Mail Sync Service — could not be checked now \(Error\)/);
  assert.doesNotMatch(text, /(FIXED|resolved) +C4/);
  // Pass -> Warn is a change too
  const broad = edited('hardened', (b) => { const k = valueOf(b['exchange/Get-InboundConnector.json'])[0]!; k.TlsSenderCertificateName = null; k.SenderIPAddresses = ['203.0.113.0/22']; });
  const warn = compareReports(runAudit(broad, { now: NOW }), JSON.parse(renderJson(await hardened())));
  assert.ok(warn.changed.some((c) => c.id === 'D1' && c.was === 'Pass' && c.now === 'Warn'));
});
