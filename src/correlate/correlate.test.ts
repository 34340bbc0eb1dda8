import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AliasResolver } from './aliases.js';
import { correlate, type CorrelateContext } from './correlate.js';
import type { TacticName } from '../detect/attack.js';
import type { Severity } from '../detect/alert.js';
import { alert, app, connector, DAY, HOUR, ip, sp, T0, user } from './testing.js';

const APP = '2a0d085a-5c65-48ff-a873-cb71ec0014fb';
const APP_SP = '4986ecc9-ecd2-4ec4-90ab-06583e651046';
const APP_OBJ = 'a7c956d7-d3ad-43ab-8e67-c069d4a839ae';
const ADMIN_ID = 'c3b7b65d-8bf9-4a05-911a-895ad1cdde37';

function ctx(extra: Partial<CorrelateContext> = {}): CorrelateContext {
  const aliases = new AliasResolver();
  aliases.learnApp({ appId: APP, spId: APP_SP, name: 'MS Graph Backup' });
  aliases.learnApp({ appId: APP, objectId: APP_OBJ });
  aliases.learnUser({ userId: ADMIN_ID, upn: 'admin@contoso.example' });
  return { aliases, ...extra };
}

const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();

test('an app named by appId, service principal id and object id joins one cluster, 19 days apart', () => {
  const a = alert({ name: 'consent', at: T0, severity: 'high', entities: [app(APP), user('admin@contoso.example')] });
  const b = alert({ name: 'role', at: T0 + HOUR, entities: [sp(APP_SP)] });
  const c = alert({ name: 'connector', at: T0 + 19 * DAY, severity: 'high', entities: [app(APP_OBJ, 'actor'), connector('Relay')] });
  const r = correlate([c, b, a], ctx());
  assert.equal(r.clusters.length, 1);
  assert.deepEqual(ids(r.clusters[0]!.alerts), ids([a, b, c]));
  const lc = r.clusters[0]!.links.get(c.id)!;
  assert.equal(lc.kind, 'app');
  assert.equal(lc.key.resolved.id, APP);
  assert.equal(lc.key.resolved.via, APP_OBJ);
  assert.equal(lc.gapMs, 19 * DAY - HOUR);
});

test('a user named by object id links to the same user named by UPN', () => {
  const a = alert({ name: 'signin', at: T0, entities: [user('admin@contoso.example')] });
  const b = alert({ name: 'mfa', at: T0 + 2 * DAY, entities: [user(ADMIN_ID, 'target')] });
  const r = correlate([a, b], ctx());
  assert.equal(r.clusters.length, 1);
  assert.equal(r.clusters[0]!.links.get(b.id)!.kind, 'user');
});

test('an app link holds 90 days, not 91', () => {
  const a = alert({ name: 'a', at: T0, severity: 'high', entities: [app(APP)] });
  const near = alert({ name: 'near', at: T0 + 90 * DAY, entities: [app(APP)] });
  const far = alert({ name: 'far', at: T0 + 90 * DAY + 1, entities: [app(APP)] });
  assert.equal(correlate([a, near], ctx()).clusters[0]!.alerts.length, 2);
  const r = correlate([a, far], ctx());
  assert.equal(r.clusters.length, 1, 'the high alert is an incident on its own');
  assert.equal(r.clusters[0]!.alerts.length, 1);
  assert.deepEqual(ids(r.unlinked), ids([far]));
});

test('an IP alone links for 24 hours only', () => {
  const a = alert({ name: 'a', at: T0, entities: [ip('203.0.113.9'), user('x@contoso.example')] });
  const b = alert({ name: 'b', at: T0 + 23 * HOUR, entities: [ip('203.0.113.9'), user('y@contoso.example')] });
  const c = alert({ name: 'c', at: T0 + 23 * HOUR + 25 * HOUR, entities: [ip('203.0.113.9'), user('z@contoso.example')] });
  const r = correlate([a, b, c], ctx());
  assert.equal(r.clusters.length, 1);
  assert.deepEqual(ids(r.clusters[0]!.alerts), ids([a, b]));
  assert.equal(r.clusters[0]!.links.get(b.id)!.kind, 'ip');
  assert.deepEqual(ids(r.unlinked), ids([c]));
});

test('a shared or trusted IP never links on its own', () => {
  const a = alert({ name: 'a', at: T0, entities: [ip('198.51.100.1'), user('x@contoso.example')] });
  const b = alert({ name: 'b', at: T0 + HOUR, entities: [ip('198.51.100.1'), user('y@contoso.example')] });
  const r = correlate([a, b], ctx({ ipVeto: (x) => (x === '198.51.100.1' ? 'corporate egress' : undefined) }));
  assert.equal(r.clusters.length, 0);
  assert.equal(r.unlinked.length, 2);
  assert.equal(r.vetoedIps.get('198.51.100.1'), 'corporate egress');
});

test('Microsoft client apps and the tenant domain never link', () => {
  const a = alert({ name: 'a', at: T0, entities: [app('1b730954-1685-4b74-9bfd-dac224a7b894'), { type: 'domain', id: 'contoso.example' }, user('x@contoso.example')] });
  const b = alert({ name: 'b', at: T0 + HOUR, entities: [app('1b730954-1685-4b74-9bfd-dac224a7b894'), { type: 'domain', id: 'contoso.example' }, user('y@contoso.example')] });
  const r = correlate([a, b], ctx({ appVeto: () => 'Microsoft client app', domainVeto: () => 'tenant domain' }));
  assert.equal(r.clusters.length, 0);
});

test('roles never link: everyone shares Global Administrator', () => {
  const role = { type: 'role' as const, id: '62e90394-69f5-4237-9190-012177145e10', role: 'target' as const };
  const a = alert({ name: 'a', at: T0, entities: [role, user('x@contoso.example')] });
  const b = alert({ name: 'b', at: T0 + HOUR, entities: [role, user('y@contoso.example')] });
  assert.equal(correlate([a, b], ctx()).clusters.length, 0);
});

test('low alerts never form an incident, and attach only as leaves through an app or connector', () => {
  const low1 = alert({ name: 'low1', at: T0, severity: 'low', entities: [app(APP), user('admin@contoso.example')] });
  const low2 = alert({ name: 'low2', at: T0 + HOUR, severity: 'low', entities: [app(APP), user('admin@contoso.example')] });
  assert.equal(correlate([low1, low2], ctx()).clusters.length, 0, 'two low look-alikes are no incident');

  const strong = alert({ name: 'strong', at: T0 + 2 * HOUR, severity: 'high', entities: [app(APP)] });
  const lowUser = alert({ name: 'lowUser', at: T0 + 3 * HOUR, severity: 'low', entities: [user('admin@contoso.example')] });
  const r = correlate([low1, strong, lowUser], ctx());
  assert.equal(r.clusters.length, 1);
  assert.deepEqual(ids(r.clusters[0]!.alerts), ids([low1, strong]));
  assert.deepEqual(ids(r.unlinked), ids([lowUser]), 'a low alert sharing only a user stays out');
});

test('a low alert never bridges two chains', () => {
  const otherApp = '0b27ca7e-1c11-49cf-b66c-191b88472b23';
  const a = alert({ name: 'a', at: T0, severity: 'high', entities: [app(APP)] });
  const b = alert({ name: 'b', at: T0 + HOUR, severity: 'high', entities: [app(otherApp)] });
  const bridge = alert({ name: 'bridge', at: T0 + 2 * HOUR, severity: 'low', entities: [app(APP), app(otherApp)] });
  const r = correlate([a, b, bridge], ctx());
  assert.equal(r.clusters.length, 2);
});

test('incident bar: one medium alert is no incident, two linked medium alerts are', () => {
  const a = alert({ name: 'a', at: T0, entities: [user('q@contoso.example')] });
  assert.equal(correlate([a], ctx()).clusters.length, 0);
  const b = alert({ name: 'b', at: T0 + DAY, entities: [user('q@contoso.example')] });
  assert.equal(correlate([a, b], ctx()).clusters.length, 1);
});

test('a user named among many targets (a spray victim list) links for 2 days only', () => {
  const spray = alert({ name: 'spray', at: T0, entities: [ip('203.0.113.5'), ...['a', 'b', 'c', 'd', 'v'].map((u) => user(`${u}@contoso.example`, 'target'))] });
  const soon = alert({ name: 'soon', at: T0 + DAY, entities: [user('v@contoso.example')] });
  const late = alert({ name: 'late', at: T0 + 3 * DAY, entities: [user('b@contoso.example')] });
  const r = correlate([spray, soon, late], ctx());
  assert.equal(r.clusters.length, 1);
  assert.deepEqual(ids(r.clusters[0]!.alerts), ids([spray, soon]));
});

test('alerts of two known tenants never link, an unknown tenant links to either', () => {
  const a = alert({ name: 'a', at: T0, tenant: 't1', entities: [app(APP)] });
  const b = alert({ name: 'b', at: T0 + HOUR, tenant: 't2', entities: [app(APP)] });
  assert.equal(correlate([a, b], ctx()).clusters.length, 0);
  const c = alert({ name: 'c', at: T0 + 2 * HOUR, tenant: 'unknown', entities: [app(APP)] });
  const r = correlate([a, c], ctx());
  assert.equal(r.clusters.length, 1);
});

test('the highest revision of an alert is the one kept', () => {
  const a1 = alert({ name: 'a', at: T0, entities: [app(APP)], revision: 1 });
  const a2 = { ...alert({ name: 'a', at: T0, span: HOUR, entities: [app(APP)], revision: 2 }) };
  const b = alert({ name: 'b', at: T0 + 2 * HOUR, entities: [app(APP)] });
  const r = correlate([a2, b, a1], ctx());
  assert.equal(r.clusters[0]!.alerts.find((x) => x.id === a1.id)!.revision, 2);
});

test('order independence: every permutation gives the same clusters and reasons', () => {
  const xs = [
    alert({ name: 'p1', at: T0, entities: [ip('203.0.113.7'), user('admin@contoso.example', 'target')] }),
    alert({ name: 'p2', at: T0 + HOUR, severity: 'high', entities: [user(ADMIN_ID), app(APP)] }),
    alert({ name: 'p3', at: T0 + 2 * HOUR, entities: [sp(APP_SP)] }),
    alert({ name: 'p4', at: T0 + 5 * DAY, severity: 'high', entities: [app(APP_OBJ, 'actor'), connector('Relay')] }),
    alert({ name: 'p5', at: T0 + 5 * DAY + HOUR, severity: 'low', entities: [connector('relay')] }),
    alert({ name: 'p6', at: T0 + 6 * DAY, entities: [user('other@contoso.example')] }),
  ];
  const describe = (r: ReturnType<typeof correlate>) =>
    JSON.stringify({
      clusters: r.clusters.map((c) => ({ alerts: c.alerts.map((a) => a.id), links: [...c.links].map(([k, l]) => [k, l.kind, l.key.key, l.withAlert, l.gapMs]).sort() })),
      unlinked: r.unlinked.map((a) => a.id),
    });
  const want = describe(correlate(xs, ctx()));
  let seed = 7;
  for (let n = 0; n < 40; n++) {
    const ys = [...xs];
    for (let i = ys.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const j = seed % (i + 1);
      [ys[i], ys[j]] = [ys[j]!, ys[i]!];
    }
    assert.equal(describe(correlate(ys, ctx())), want);
  }
  const r = correlate(xs, ctx());
  assert.equal(r.clusters.length, 1);
  assert.equal(r.clusters[0]!.alerts.length, 5);
});

test('display names resolve only while they are unique', () => {
  const aliases = new AliasResolver();
  aliases.learnApp({ appId: APP, name: 'Backup' });
  assert.equal(aliases.appIdFor('backup')?.appId, APP);
  aliases.learnApp({ appId: '0b27ca7e-1c11-49cf-b66c-191b88472b23', name: 'Backup' });
  assert.equal(aliases.appIdFor('Backup'), undefined, 'two apps share the name: it resolves to neither');
});

test('travel legs come from alert facts with coordinates; alerts without them give none', async () => {
  const { travelLegs } = await import('./incident.js');
  const a = alert({ name: 't', at: T0, entities: [user('x@contoso.example')], facts: { fromLat: 47.6, fromLon: -122.3, toLat: 6.5, toLon: 3.4, fromPlace: 'Seattle, US', toIp: '203.0.113.5', speedKmh: 7452, fromTime: '2025-01-06T08:00:00Z' } });
  const legs = travelLegs([a, alert({ name: 'u', at: T0, entities: [], facts: { fromLat: 1 } })]);
  assert.equal(legs.length, 1);
  assert.deepEqual(legs[0], {
    alertId: a.id, user: 'x@contoso.example', speedKmh: 7452,
    from: { lat: 47.6, lon: -122.3, time: '2025-01-06T08:00:00.000Z', city: 'Seattle, US' },
    to: { lat: 6.5, lon: 3.4, ip: '203.0.113.5' },
  });
});

test('incident severity rises as the chain progresses, each stage from a rule of its own', async () => {
  const { incidentSeverity } = await import('./incident.js');
  const a = (rule: string, tactics: TacticName[], severity: Severity = 'medium') => ({ rule, tactics, severity });
  assert.equal(incidentSeverity([a('R1', ['credential-access'])]), 'medium');
  assert.equal(incidentSeverity([a('R1', ['credential-access']), a('R2', ['persistence'])]), 'high', 'access + foothold');
  assert.equal(incidentSeverity([a('R1', ['initial-access']), a('R2', ['persistence']), a('R3', ['defense-evasion'])]), 'critical', 'access + foothold + objectives');
  assert.equal(incidentSeverity([a('R1', ['impact'], 'critical')]), 'critical', 'never below the highest member');
  // one rule whose technique maps to four tactics (T1078), firing three times for one account: one step, not a chain
  const validAccounts = a('TW-SIGNIN-005', ['initial-access', 'persistence', 'privilege-escalation', 'defense-evasion'], 'high');
  assert.equal(incidentSeverity([validAccounts, validAccounts, validAccounts]), 'high');
  // a second rule makes two stages (the other rule's access, T1078's foothold), not three
  assert.equal(incidentSeverity([validAccounts, a('TW-SIGNIN-001', ['credential-access'], 'medium')]), 'high');
  assert.equal(incidentSeverity([validAccounts, a('TW-SIGNIN-001', ['credential-access']), a('TW-EXO-001', ['defense-evasion'])]), 'critical');
  assert.equal(incidentSeverity([a('R1', ['initial-access', 'persistence']), a('R1', ['defense-evasion'])]), 'medium', 'one rule, whatever its tactics');
  assert.equal(incidentSeverity([a('R1', ['initial-access']), a('R2', ['initial-access', 'credential-access', 'discovery'])]), 'high', 'three tactics from two rules');
});

test("an address range an alert names (a connector's sender IPs) links alerts naming an address inside it, on the IP horizon", () => {
  const range = (id: string) => ({ type: 'ip' as const, id, role: 'target' as const });
  const conn = alert({ name: 'connector', at: T0, severity: 'critical', entities: [connector('Relay'), range('203.0.113.0/24')] });
  const spam = alert({ name: 'spam', at: T0 + 2 * HOUR, severity: 'high', entities: [ip('203.0.113.214')] });
  const outside = alert({ name: 'elsewhere', at: T0 + 2 * HOUR, severity: 'high', entities: [ip('203.0.114.9')] });
  const late = alert({ name: 'late', at: T0 + 3 * DAY, severity: 'high', entities: [ip('203.0.113.77')] });
  const r = correlate([conn, spam, outside, late], ctx());
  const withConn = r.clusters.find((c) => c.alerts.some((a) => a.id === conn.id))!;
  assert.deepEqual(ids(withConn.alerts), ids([conn, spam]));
  const link = withConn.links.get(spam.id)!;
  assert.equal(link.kind, 'ip');
  assert.equal(link.key.resolved.id, '203.0.113.214');
  // a vetoed address (shared egress) never links, range or not
  const vetoed = correlate([conn, spam], ctx({ ipVeto: (x) => (x === '203.0.113.214' ? 'shared' : undefined) }));
  assert.ok(!vetoed.clusters.some((c) => c.alerts.length === 2));
});

test('the timeline is in the order steps happened (trigger time), and a link says how far apart the alerts fired', async () => {
  const { buildIncident } = await import('./incident.js');
  const { EntityMemory } = await import('./memory.js');
  const c = ctx();
  // the credential (T0), then the app's sign-in from a new network three weeks later: one alert whose evidence
  // spans both; a connector an hour after the credential names the same app
  const credential = alert({ name: 'credential', at: T0, severity: 'high', rule: 'TW-APP-003', entities: [app(APP)] });
  const signin = alert({ name: 'sp-signin', at: T0, span: 21 * DAY, severity: 'high', rule: 'TW-SP-002', entities: [app(APP)] });
  const conn = alert({ name: 'connector', at: T0 + HOUR, severity: 'high', rule: 'TW-EXO-001', entities: [app(APP, 'actor'), connector('Relay')] });
  const cl = correlate([credential, signin, conn], c).clusters;
  assert.equal(cl.length, 1);
  const inc = buildIncident(cl[0]!, { memory: new EntityMemory({}, c.aliases) });
  assert.deepEqual(inc.timeline.map((t) => t.rule), ['TW-APP-003', 'TW-EXO-001', 'TW-SP-002']);
  assert.deepEqual(inc.timeline.map((t) => t.time), [credential.time, conn.time, signin.time]);
  const late = inc.timeline[2]!;
  assert.match(late.linkedBecause, /\((21 days|20 days) apart; their evidence overlaps; app links hold/);
  assert.doesNotMatch(inc.timeline.map((t) => t.linkedBecause).join('\n'), /\(0 s apart/);
});

test('the narrative says an app holds credentials added during the incident only when one was seen added', async () => {
  const { buildIncident } = await import('./incident.js');
  const { EntityMemory } = await import('./memory.js');
  const c = ctx();
  const consent = alert({ name: 'consent', at: T0, severity: 'high', rule: 'TW-APP-006', entities: [app(APP), user('grace.lin@contoso.example')] });
  const read = alert({ name: 'read', at: T0 + HOUR, severity: 'high', rule: 'TW-MAIL-006', entities: [app(APP), user('grace.lin@contoso.example', 'target')] });
  const memory = new EntityMemory({}, c.aliases);
  const build = () => buildIncident(correlate([consent, read], c).clusters[0]!, { memory });
  assert.doesNotMatch(build().narrative, /credentials added during the incident/);
  assert.ok(build().containment.some((s) => s.action === 'remove-app-secret'), 'the step to look for secrets stays');
  memory.mergeApp({ appId: APP, credentials: [{ addedAt: T0 + 30 * 60_000, type: 'password' }], permissions: [], roles: [], sources: {}, firstSeen: T0, lastSeen: T0 });
  assert.match(build().narrative, /An app holds credentials added during the incident/);
});

test('a low alert joins a strong one that names the same address and the same account; the address alone is not enough', () => {
  const strongRead = alert({ name: 'mail-read', at: T0 + 60_000, severity: 'high', rule: 'TW-MAIL-005', entities: [user('pat@contoso.example'), ip('185.220.101.7')] });
  const legacy = alert({ name: 'imap', at: T0, severity: 'low', rule: 'TW-SIGNIN-006', entities: [user('pat@contoso.example'), ip('185.220.101.7')] });
  const other = alert({ name: 'other-user', at: T0, severity: 'low', rule: 'TW-SIGNIN-006', entities: [user('sam@contoso.example'), ip('185.220.101.7')] });
  const cl = correlate([strongRead, legacy, other], ctx()).clusters;
  const withRead = cl.find((c) => c.alerts.some((a) => a.id === strongRead.id))!;
  assert.deepEqual(ids(withRead.alerts), ids([strongRead, legacy]));
  assert.ok(!withRead.alerts.some((a) => a.id === other.id), 'another account at the address stays out');
});

test('an app seen in use after its last alert: the scope says until when, and the narrative that it went on', async () => {
  const { buildIncident } = await import('./incident.js');
  const { EntityMemory } = await import('./memory.js');
  const c = ctx();
  const consent = alert({ name: 'consent2', at: T0, severity: 'high', rule: 'TW-APP-006', entities: [app(APP), user('grace.lin@contoso.example')] });
  const read = alert({ name: 'read2', at: T0 + HOUR, severity: 'high', rule: 'TW-MAIL-006', entities: [app(APP), user('grace.lin@contoso.example', 'target')] });
  const memory = new EntityMemory({}, c.aliases);
  memory.mergeApp({ appId: APP, credentials: [], permissions: [], roles: [], sources: {}, firstSeen: T0, lastSeen: T0 + HOUR + 30 * 60_000 });
  const quiet = buildIncident(correlate([consent, read], c).clusters[0]!, { memory });
  assert.equal(quiet.scope.apps[0]!.lastActivity, undefined, 'within an hour of its last alert: nothing to add');
  assert.doesNotMatch(quiet.narrative, /still in use/);
  memory.mergeApp({ appId: APP, credentials: [], permissions: [], roles: [], sources: {}, firstSeen: T0, lastSeen: T0 + 3 * DAY });
  const inc = buildIncident(correlate([consent, read], c).clusters[0]!, { memory });
  assert.equal(inc.scope.apps[0]!.lastActivity, new Date(T0 + 3 * DAY).toISOString());
  assert.match(inc.narrative, /was still in use until .* \(3 days after the last alert\)/);
});
