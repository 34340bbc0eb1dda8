// The HTML report without a browser: escaping helpers, the CSP and its style hash, what may appear in attributes,
// determinism, the graph layout, the map projection and the world outline loader, tampered input.
// (browser.test.ts opens the same pages in Chromium.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { renderHtmlReport } from './index.js';
import { cut, marker, num, oneOf, revealHidden, t, v, vFull, visible } from './escape.js';
import { layoutGraph, MAX_PER_COLUMN } from './graph.js';
import { greatCircle, renderTravel, viewFor } from './map.js';
import { loadFromNodeModules, polygonsToPath } from './world.js';
import { STYLESHEET } from './styles.js';
import { hostileAudit, hostileReport, LONG_NAME, PAYLOADS } from './testing.js';
import type { EntityGraph, HuntReport, TravelLeg } from '../types.js';

const sample = () => JSON.parse(readFileSync(path.resolve('src/report/fixtures/sample-report.json'), 'utf8')) as HuntReport;
const noMap = { outline: false as const };

const ALLOWED_ATTRIBUTES = new Set(['lang', 'charset', 'http-equiv', 'content', 'name', 'class', 'id', 'href', 'xmlns', 'viewBox', 'width', 'height', 'role', 'aria-label',
  'x', 'y', 'rx', 'r', 'cx', 'cy', 'd', 'vector-effect', 'text-anchor', 'font-size', 'font-weight', 'stroke-width', 'type', 'colspan', 'title']);

/** Every tag's attributes are name="value" pairs from an allowlist; ids, classes, links and geometry are ours. */
function assertAttributesSafe(html: string): string[] {
  const tags = html.match(/<[a-zA-Z][^>]*>/g)!;
  for (const tag of tags) {
    const body = tag.replace(/^<[a-zA-Z0-9]+/, '').replace(/\/?>$/, '');
    const attrs = [...body.matchAll(/\s*([^\s=]+)(?:="([^"]*)")?/g)];
    assert.equal(attrs.map((a) => a[0]).join(''), body, `attributes are all name="value": ${tag.slice(0, 120)}`);
    for (const [, name, value = ''] of attrs) {
      assert.ok(ALLOWED_ATTRIBUTES.has(name!), `unexpected attribute ${name} in ${tag.slice(0, 120)}`);
      if (name === 'href') assert.match(value, /^#[a-z0-9-]+$/);
      if (name === 'id') assert.match(value, /^[a-z0-9-]+$/);
      if (name === 'class') assert.match(value, /^[a-zA-Z0-9 _-]+$/);
      if (['x', 'y', 'rx', 'r', 'cx', 'cy', 'width', 'height', 'font-size', 'stroke-width', 'colspan'].includes(name!)) assert.match(value, /^-?\d+(\.\d+)?$/, `${name}="${value}"`);
      if (name === 'd') assert.match(value, /^[MLCHVZ0-9 .-]+$/);
      if (name === 'viewBox') assert.match(value, /^[-\d. ]+$/);
    }
  }
  return tags;
}

test('t(): HTML-escaped, hidden characters as visible markers, long runs breakable without changing the text', () => {
  assert.equal(t('<b a="1">&\'`</b>'), '&#60;b a=&#34;1&#34;&#62;&#38;&#39;&#96;&#60;/b&#62;');
  assert.equal(t('a\u202Eb'), 'a<span class="tw-ctl">[U+202E]</span>b');
  assert.equal(marker('\u200b'), '[U+200B]');
  assert.equal(visible('x\u0007y\u2066'), 'x[U+0007]y[U+2066]');
  assert.equal(t('tab\there\nnewline'), 'tab\there\nnewline', 'tab and newline are ordinary whitespace');
  const long = t('B'.repeat(60));
  assert.equal(long, 'B'.repeat(24) + '<wbr>' + 'B'.repeat(24) + '<wbr>' + 'B'.repeat(12));
  assert.equal(t('Exchange.ManageAsApp'), 'Exchange.ManageAsApp', 'ordinary words are not broken');
  // the breaks never split an entity or a surrogate pair
  const mixed = t('<'.repeat(40));
  assert.doesNotMatch(mixed.replace(/<wbr>/g, ''), /</);
  const emoji = t('😀'.repeat(20));
  assert.equal(emoji.replace(/<wbr>/g, ''), '😀'.repeat(20));
  assert.doesNotMatch(emoji, /[\ud800-\udbff]<wbr>/);
});

test('v()/vFull(): cut with a count, full text one click away; cut() keeps surrogate pairs', () => {
  assert.equal(v('abc'), '<bdi>abc</bdi>');
  assert.equal(v('abcdef', 3), '<bdi>abc</bdi><span class="tw-cut">… (+3 characters)</span>');
  assert.match(vFull('x'.repeat(10), 4), /^<bdi>xxxx<\/bdi><details class="tw-more"><summary>… \+6 characters<\/summary><div class="tw-full">x{10}<\/div><\/details>$/);
  assert.equal(cut('a😀', 2), 'a');
  assert.equal(v(undefined), '<bdi></bdi>');
  assert.equal(v({ a: '<x>' }), '<bdi>{&#34;a&#34;:&#34;&#60;x&#62;&#34;}</bdi>');
});

test('oneOf/num: enum values and numbers only, for class names and SVG geometry', () => {
  assert.equal(oneOf('high', ['high', 'low'] as const, 'low'), 'high');
  assert.equal(oneOf('high" onclick="x', ['high', 'low'] as const, 'low'), 'low');
  assert.equal(num(12.345), '12.3');
  assert.equal(num('1" onload="x'), '0');
  assert.equal(num(NaN), '0');
  assert.equal(num(-0.01), '0');
  assert.equal(revealHidden('<p title="a\u202Eb">c\u200bd</p>'), '<p title="a[U+202E]b">c[U+200B]d</p>');
});

test('CSP: the meta tag comes first, allows exactly the inline stylesheet by hash, no script, no network', () => {
  const html = renderHtmlReport(hostileReport(), noMap);
  const head = html.slice(0, html.indexOf('</head>'));
  assert.match(head, /^<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="/);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(head)![1]!.replace(/&#39;/g, "'");
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
  assert.equal(style, STYLESHEET);
  const hash = createHash('sha256').update(style, 'utf8').digest('base64');
  assert.equal(csp, `default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`);
  assert.equal(html.match(/<style/g)!.length, 1);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(style, /url\(|@import|https?:/i, 'the stylesheet loads nothing');
});

test('no hostile string reaches the page unescaped; attributes carry only our own values', () => {
  const html = renderHtmlReport(hostileReport(), { audit: hostileAudit(), outline: false });
  for (const [name, p] of Object.entries(PAYLOADS)) if (/[<>"']/.test(p)) assert.ok(!html.includes(p), `payload ${name} appears raw`);
  assert.ok(!html.includes('\u202E') && !html.includes('\u200B') && !html.includes('\u0007'), 'hidden characters are shown as markers');
  const tags = assertAttributesSafe(html);
  // the one attribute that may carry log text is the audit section's escaped exemption tooltip; there is none here
  assert.ok(!tags.some((tag) => /\stitle=/.test(tag)));
});

test('deterministic: the same report gives the same bytes, also after a JSON round trip', () => {
  const a = renderHtmlReport(hostileReport(), noMap);
  const b = renderHtmlReport(JSON.parse(JSON.stringify(hostileReport())) as HuntReport, noMap);
  assert.equal(a, b);
  assert.equal(renderHtmlReport(sample()), renderHtmlReport(sample()));
});

test('sample report: every section, timeline in time order with its link reasons, checklist in order', () => {
  const s = sample();
  const html = renderHtmlReport(s, noMap);
  for (const id of ['inc-1', 'unlinked', 'coverage', 'inputs', 'merged', 'posture']) assert.ok(html.includes(`id="${id}"`), id);
  for (const h of ['Timeline', 'Entities', 'Impossible travel', 'Scope', 'Containment checklist', 'What else is known', 'Alerts and evidence']) assert.ok(html.includes(`<h3>${h}</h3>`), h);
  // timeline: steps in firstSeen order, each with its reason
  const tl = html.slice(html.indexOf('<ol class="tw-timeline">'), html.indexOf('</ol>', html.indexOf('<ol class="tw-timeline">')));
  const times = [...tl.matchAll(/<div class="tw-when">\d+\. (\S+ \S+)/g)].map((m) => m[1]!);
  assert.equal(times.length, s.incidents[0]!.timeline.length);
  assert.deepEqual(times, [...times].sort());
  assert.equal(tl.match(/Linked because/g)!.length, times.length);
  assert.ok(tl.includes('matched through alias'), 'the alias that joined the app is shown');
  // tactic strip: all 14 tactics, the incident's lit
  assert.equal(html.match(/<div class="tw-tactic[ "]/g)!.length, 14);
  assert.equal(html.match(/<div class="tw-tactic tw-on">/g)!.length, s.incidents[0]!.tactics.length);
  // containment: numbered checkboxes in the contract's order
  const steps = [...html.matchAll(/<label><input type="checkbox"> <span>(\d+)\.<\/span>/g)].map((m) => Number(m[1]));
  assert.deepEqual(steps, s.incidents[0]!.containment.map((c) => c.order));
  // every alert is rendered once, with its raw records behind <details>
  for (const a of s.alerts) assert.equal(html.split(`<code><bdi>${a.id}</bdi></code>`).length > 1, true, a.id);
  assert.equal(html.match(/<details class="tw-alert"/g)!.length, s.alerts.length);
  assert.ok(html.includes('<summary>raw record</summary>'));
});

test('audit section: embedded when given, hidden characters revealed', () => {
  const html = renderHtmlReport(hostileReport(), { audit: hostileAudit(), outline: false });
  assert.ok(html.includes('<section class="tw-audit" id="posture-audit">'));
  assert.ok(html.includes('invoice[U+202E]gpj.exe'));
  assert.ok(!renderHtmlReport(hostileReport(), noMap).includes('<section class="tw-audit"'));
});

test('tampered report (wrong types, missing arrays, bogus enums) renders without throwing or breaking out', () => {
  const r = hostileReport() as unknown as Record<string, unknown>;
  const inc = (r.incidents as Record<string, unknown>[])[0]!;
  inc.severity = 'critical" onclick="x';
  inc.timeline = 'not a list';
  inc.graph = { nodes: [{ id: 'user:x', type: 'user" onmouseover="x', label: 5 }, null], edges: [{ from: 'user:x', to: 'nowhere' }] };
  inc.travel = [{ alertId: 'x', from: { lat: '1" y="2', lon: 3 }, to: { lat: 4, lon: 5 } }, { alertId: 'y', from: { lat: 1, lon: 2 }, to: { lat: 91, lon: 0 } }];
  inc.containment = [{ order: '1"', title: 'x', entity: null, graph: { method: 'GET" x="', path: '/a' } }];
  r.stats = undefined;
  r.coverage = { rules: [{ rule: 'R', status: 'bogus" x="' }] };
  delete r.inputs;
  const html = renderHtmlReport(r as unknown as HuntReport, noMap);
  assertAttributesSafe(html);
  assert.match(html, /tw-sev tw-sev-unknown/);
  assert.match(html, /No timeline/);
});

test('graph layout: columns by entity kind, no overlapping boxes, deterministic, crowded columns folded', () => {
  const ips = Array.from({ length: 25 }, (_, i) => ({ id: `ip:203.0.113.${i}`, type: 'ip' as const, label: `203.0.113.${i}`, alerts: i === 24 ? ['a1', 'a2'] : ['a1'] }));
  const g: EntityGraph = {
    nodes: [...ips, { id: 'user:u', type: 'user', label: 'u', alerts: ['a1'], primary: true }, { id: 'app:p', type: 'app', label: 'p', alerts: ['a2'] }, { id: 'connector:c', type: 'connector', label: 'c', alerts: ['a3'] }],
    edges: [...ips.map((n) => ({ from: n.id, to: 'user:u', label: 'stuffing', alerts: ['a1'] })), { from: 'user:u', to: 'app:p', label: 'consent', alerts: ['a2'] }, { from: 'app:p', to: 'connector:c', label: 'connector', alerts: ['a3'] }],
  };
  const l = layoutGraph(g);
  assert.deepEqual(l.columns.map((c) => c.title), ['Where from', 'Accounts', 'Apps', 'Mail flow']);
  const ipCol = l.nodes.filter((n) => n.column === 0);
  assert.equal(ipCol.length, MAX_PER_COLUMN);
  const more = ipCol.find((n) => n.type === 'more')!;
  assert.equal(more.label, `+${25 - (MAX_PER_COLUMN - 1)} more`);
  assert.ok(ipCol.some((n) => n.id === 'ip:203.0.113.24'), 'the IP with most alerts stays visible');
  assert.ok(l.edges.some((e) => e.from === more && e.to.id === 'user:u'), 'hidden IPs still connect through the "+N more" node');
  for (const a of l.nodes) for (const b of l.nodes) {
    if (a === b) continue;
    const overlap = Math.abs(a.x - b.x) < 220 && Math.abs(a.y - b.y) < 38;
    assert.ok(!overlap, `${a.id} overlaps ${b.id}`);
  }
  assert.ok(l.nodes.every((n) => n.x >= 0 && n.y >= 0 && n.x + 220 <= l.width && n.y + 38 <= l.height));
  const shuffled: EntityGraph = { nodes: [...g.nodes].reverse(), edges: [...g.edges].reverse() };
  const l2 = layoutGraph(shuffled);
  assert.deepEqual(l2.nodes.map((n) => [n.id, n.x, n.y]).sort(), l.nodes.map((n) => [n.id, n.x, n.y]).sort(), 'input order does not matter');
});

test('map: great circles, antimeridian, zoom to the legs', () => {
  const gc = greatCircle({ lat: 47.6, lon: -122.3 }, { lat: 6.5, lon: 3.4 });
  assert.ok(Math.abs(gc[0]![0] + 122.3) < 1e-9 && Math.abs(gc[0]![1] - 47.6) < 1e-9);
  assert.ok(Math.abs(gc.at(-1)![0] - 3.4) < 1e-9 && Math.abs(gc.at(-1)![1] - 6.5) < 1e-9);
  assert.ok(Math.max(...gc.map((p) => p[1])) > 50, 'the arc bows north of both ends');
  // Tokyo -> San Francisco crosses the antimeridian: longitudes stay continuous (past 180)
  const pacific = greatCircle({ lat: 35.7, lon: 139.7 }, { lat: 37.8, lon: -122.4 });
  for (let i = 1; i < pacific.length; i++) assert.ok(Math.abs(pacific[i]![0] - pacific[i - 1]![0]) < 20);
  assert.ok(Math.abs(pacific.at(-1)![0] - (360 - 122.4)) < 1e-9);
  assert.deepEqual(viewFor([pacific]), { x: 0, y: 6, w: 360, h: 150 }, 'world view when a leg wraps');
  const v1 = viewFor([greatCircle({ lat: 48.9, lon: 2.3 }, { lat: 52.5, lon: 13.4 })]);
  assert.ok(v1.w >= 40 && v1.w < 100 && v1.h === v1.w / 2, 'zoomed on Europe');
  // the drawn wrap-around leg appears on both edges
  const legs: TravelLeg[] = [{ alertId: 'a', from: { lat: 35.7, lon: 139.7, city: 'Tokyo' }, to: { lat: 37.8, lon: -122.4, city: 'San Francisco' } }];
  const svg = renderTravel(legs, (id) => id, noMap);
  assert.equal(svg.match(/<path class="tw-leg"/g)!.length, 2);
  assert.match(svg, /No coastline: the map outline was turned off/);
});

test('world outline: antimeridian rings drawn twice, polar rings closed, fallback without the package', () => {
  // a ring stitched across the antimeridian (as world-atlas stores Chukotka)
  const path1 = polygonsToPath([[[[170, 60], [-170, 60], [-170, 70], [170, 70], [170, 60]]]]);
  assert.equal(path1.match(/M/g)!.length, 2, 'drawn at both edges');
  assert.match(path1, /^M350 30L370 30/);
  // a ring around the south pole (Antarctica) is closed along the pole
  const ant = polygonsToPath([[[[-180, -70], [-90, -72], [0, -70], [90, -72], [180, -70]]]]);
  assert.match(ant, /L360 180L0 180Z/);
  // the loader reports what is missing instead of throwing
  const missing = renderTravel([{ alertId: 'a', from: { lat: 1, lon: 1 }, to: { lat: 50, lon: 50 } }], (id) => id, { outline: () => ({ missing: 'the world-atlas package is not installed' }) });
  assert.match(missing, /No coastline: the world-atlas package is not installed/);
  assert.match(missing, /class="tw-leg"/, 'legs are drawn anyway');
});

const hasAtlas = (() => {
  try {
    createRequire(import.meta.url).resolve('world-atlas/land-110m.json');
    createRequire(import.meta.url).resolve('topojson-client');
    return true;
  } catch {
    return false;
  }
})();

test('world outline from world-atlas + topojson-client', { skip: hasAtlas ? false : 'world-atlas / topojson-client not installed' }, () => {
  const o = loadFromNodeModules();
  assert.ok('path' in o, JSON.stringify(o));
  assert.ok(o.path.length > 20_000 && o.path.length < 200_000, `path size ${o.path.length}`);
  assert.match(o.path, /^M[\d. LMZ-]+$/);
  const html = renderHtmlReport(sample());
  assert.match(html, /<path class="tw-land"/);
  assert.match(html, /Natural Earth/);
});

test('a 10 kB name is cut where it is a label and complete where it is data', () => {
  const html = renderHtmlReport(hostileReport(), noMap);
  assert.ok(html.includes('characters)</span>') || html.includes('characters</summary>'));
  const text = html.replace(/<wbr>/g, '');
  assert.ok(text.includes('A'.repeat(10_200) + '&#60;b&#62;end&#60;/b&#62;'), 'full text present');
  assert.ok(LONG_NAME.length > 10_000);
});

test('size limits: raw records stop at the page budget, unlinked alerts are capped most severe first', () => {
  const r = hostileReport();
  const tiny = renderHtmlReport(r, { outline: false, maxRawChars: 1 });
  assert.equal(tiny.match(/<summary>raw record<\/summary>/g)!.length, 1, 'the first record spends the whole budget');
  assert.ok(tiny.includes('raw record left out to keep this page small'));
  const low = { ...r.alerts[5]!, id: 'low-1', severity: 'low' as const, title: 'a low one' };
  const high = { ...r.alerts[5]!, id: 'high-1', severity: 'high' as const, title: 'a high one' };
  r.alerts.push(low, high);
  const capped = renderHtmlReport(r, { outline: false, maxUnlinkedAlerts: 1 });
  const unlinked = capped.slice(capped.indexOf('<section id="unlinked">'));
  assert.ok(unlinked.includes('a high one') && !unlinked.includes('a low one'), 'the high alert is the one shown');
  assert.ok(unlinked.includes('2 more alerts not listed here'));
});
