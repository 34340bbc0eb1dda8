// The HTML report in a real browser: Debian's Chromium driven by playwright-core, JavaScript ON, with hostile
// names in every field a log can fill. Nothing may run (no dialog, no console output, no page error, no
// window.__pwned), nothing may load (the only request is the file itself), and every hostile string must be on
// the page as visible text. Skips with a message when /usr/bin/chromium or playwright-core is missing
// (apt-get install chromium; npm install -D playwright-core); TW_REQUIRE_BROWSER=1 turns the skip into a failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { renderHtmlReport } from './index.js';
import { CHROMIUM_PATH, observeInChromium, type BrowserObservations, type PwChromium } from './browser-check.js';
import { hostileAudit, hostileReport, LONG_NAME, PAYLOADS, hostileAppName, hostileConnectorComment, hostileSubject, hostileUserAgent } from './testing.js';
import { visible } from './escape.js';
import type { HuntReport } from '../types.js';

async function loadChromium(): Promise<{ chromium?: PwChromium; why?: string }> {
  if (!existsSync(CHROMIUM_PATH)) return { why: `${CHROMIUM_PATH} not found (apt-get install chromium)` };
  const name = 'playwright-core'; // a variable, so the project compiles without the package installed
  try {
    const mod = (await import(name)) as { chromium?: PwChromium; default?: { chromium?: PwChromium } };
    const chromium = mod.chromium ?? mod.default?.chromium;
    return chromium ? { chromium } : { why: 'playwright-core has no chromium export' };
  } catch {
    return { why: 'playwright-core is not installed (npm install -D playwright-core)' };
  }
}

const browser = await loadChromium();
const skip = browser.chromium || process.env.TW_REQUIRE_BROWSER === '1' ? false : `browser test skipped: ${browser.why}`;
if (skip) console.log(skip);

function chromium(): PwChromium {
  if (!browser.chromium) assert.fail(`TW_REQUIRE_BROWSER=1 but ${browser.why}`);
  return browser.chromium;
}

/** Nothing ran and nothing was fetched. */
function assertInert(o: BrowserObservations, what: string) {
  assert.deepEqual(o.dialogs, [], `${what}: a dialog opened`);
  assert.deepEqual(o.pageErrors, [], `${what}: page errors`);
  assert.deepEqual(o.console, [], `${what}: console output (a payload ran, or the CSP refused something)`);
  assert.equal(o.pwned, undefined, `${what}: window.__pwned was set`);
  assert.deepEqual(o.requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), [], `${what}: network requests`);
  assert.equal(o.requests.length, 1, `${what}: only the report itself is loaded`);
  assert.deepEqual(o.handlers, [], `${what}: event-handler attributes in the DOM`);
  assert.deepEqual(o.forbidden, [], `${what}: script/iframe/base/link/meta-refresh elements in the DOM`);
  assert.equal(o.styleAttributes, 0, `${what}: style attributes in the DOM`);
  for (const h of o.hrefs) assert.match(h, /^#[a-z0-9-]+$/, `${what}: only in-page links (got ${h})`);
}

function hostileHtml(report: HuntReport = hostileReport()): string {
  return renderHtmlReport(report, { audit: hostileAudit() });
}

test('the harness sees a script that runs (canary: a page with a real script and no CSP)', { skip }, async () => {
  const o = await observeInChromium(chromium(), '<!DOCTYPE html><title>canary</title><p>x</p><script>window.__pwned = 1; console.log("canary"); alert("canary")</script>');
  assert.equal(o.pwned, 1);
  assert.ok(o.console.some((c) => c.includes('canary')), 'console seen');
  assert.equal(o.dialogs.length, 1, 'dialog seen');
  assert.ok(o.forbidden.length > 0, 'script element seen');
});

test('hostile report: nothing runs, nothing loads, every hostile string is visible text', { skip }, async () => {
  const report = hostileReport();
  const o = await observeInChromium(chromium(), hostileHtml(report), { openDetails: true });
  assertInert(o, 'hostile report');
  assert.ok(o.styled, 'the stylesheet applied: its CSP hash matches');
  assert.match(o.csp ?? '', /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; img-src data:; base-uri 'none'; form-action 'none'$/);
  assert.equal(o.styleElements, 1);
  // every payload, and each composite string (app name, connector comment, mail subject, user agent), as text
  for (const [name, p] of Object.entries(PAYLOADS)) assert.ok(o.text.includes(visible(p)), `payload ${name} is visible text`);
  for (const s of [hostileAppName, hostileConnectorComment, hostileSubject, hostileUserAgent, LONG_NAME]) assert.ok(o.text.includes(visible(s)), `visible: ${s.slice(0, 40)}`);
  // the title element is plain text too, with the override shown
  assert.equal(o.title, visible(`tenantwatch: critical — ${report.incidents[0]!.title}`));
  // direction overrides and zero-width characters are shown as markers, not left to reorder or hide text
  assert.deepEqual(o.hiddenChars, []);
  assert.ok(o.text.includes('invoice[U+202E]gpj.exe'));
  assert.ok(o.text.includes('admin[U+200B]@contoso.example'));
  // a 10 kB name does not widen the page
  assert.equal(o.overflowX, false, 'no horizontal scrolling');
});

test('escaping alone holds: the same report with its CSP removed still runs nothing', { skip }, async () => {
  const html = hostileHtml();
  const noCsp = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\n/, '');
  assert.notEqual(noCsp, html, 'CSP meta removed');
  const o = await observeInChromium(chromium(), noCsp, { openDetails: true });
  assertInert(o, 'without CSP');
  assert.equal(o.csp, null);
  assert.ok(o.text.includes(visible(PAYLOADS.script)));
});

test('the contract sample renders cleanly, with its sections', { skip }, async () => {
  const sample = JSON.parse(readFileSync(path.resolve('src/report/fixtures/sample-report.json'), 'utf8')) as HuntReport;
  const o = await observeInChromium(chromium(), renderHtmlReport(sample), { openDetails: true });
  assertInert(o, 'sample');
  for (const heading of ['Timeline', 'Entities', 'Containment checklist', 'Alerts and evidence', 'Coverage', 'Inputs']) assert.ok(o.text.includes(heading), heading);
  assert.ok(o.text.includes('Linked because'));
  assert.ok(o.text.includes(sample.incidents[0]!.title), 'incident title as text');
});
