// The hunt's cross-source dedup: a directory change in an Entra export and in the UAL (another id) is kept once,
// from the Entra side; distinct changes that look alike are all kept; the stream stays in time order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event } from '../core/event.js';
import { decodeText } from '../pipeline/testkit.js';
import { auditFile, type CaseAudit, type Shape } from '../rules/app/audit-records.js';
import { ROLES_USED, appCredential, appRoleAssignment, consent, key, roleAssignment } from '../rules/app/changes.js';
import { BASE, MINUTES, guid } from '../rules/records.js';
import { isUalDirectoryRecord, withoutUalTwins, type TwinStats } from './twins.js';

const ADMIN = { user: 'it-admin@contoso.example', ip: '203.0.113.50' };
const APP = { id: guid('app|twins'), name: 'Twin Test App' };
const EXO = { spId: guid('sp|exo'), appId: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' };

async function eventsOf(shape: Shape, changes: CaseAudit[]): Promise<Event[]> {
  const f = auditFile(shape, 'x', changes);
  const { events, quarantined } = await decodeText(f.text, f.name);
  assert.deepEqual(quarantined, []);
  return events;
}

const byTime = (a: Event, b: Event): number => a.time - b.time || (a.id < b.id ? -1 : 1);

async function run(changes: { graph?: CaseAudit[]; ual?: CaseAudit[] }, opts = {}): Promise<{ out: Event[]; stats: TwinStats; input: Event[] }> {
  const input = [...(await eventsOf('graph', changes.graph ?? [])), ...(await eventsOf('ual', changes.ual ?? []))].sort(byTime);
  const stats: TwinStats = { dropped: 0, undecided: 0 };
  return { out: [...withoutUalTwins(input, stats, opts)], stats, input };
}

test('the UAL copy of an Entra directory audit event is dropped, whichever comes first in the stream', async () => {
  const change = appRoleAssignment(BASE + 250, APP, { by: ADMIN, value: 'Exchange.ManageAsApp', id: 'dc50a0fb-09a3-484d-be87-e023b12c6440', resource: EXO });
  const { out, stats, input } = await run({ graph: [change], ual: [change] });
  assert.equal(input.length, 2);
  // the UAL CreationTime is whole seconds: its copy sorts first
  assert.equal(input[0]!.source, 'ual');
  assert.equal(stats.dropped, 1);
  assert.deepEqual(out.map((e) => e.source), ['entra.audit']);
});

test('each Entra record absorbs one copy; different roles, actors or targets are different changes', async () => {
  // two role assignments to the same service principal in the same second: only the role tells them apart
  const ga = roleAssignment(BASE, { app: APP }, ROLES_USED.globalAdmin, ADMIN);
  const exa = roleAssignment(BASE + 300, { app: APP }, { name: 'Exchange Administrator', templateId: '29232cdf-9323-42fd-ade2-1d097af3e4de' }, ADMIN);
  const other = consent(BASE + 2000, APP, { by: { user: 'someone@contoso.example', ip: '198.51.100.9' }, scopes: ['User.Read'], admin: true });
  const mine = consent(BASE + 2000, APP, { by: ADMIN, scopes: ['User.Read'], admin: true });
  // Graph has both role assignments and one consent; the UAL has both role assignments and the other actor's consent
  const { out, stats } = await run({ graph: [ga, exa, mine], ual: [ga, exa, other] });
  assert.equal(stats.dropped, 2, 'the two role assignments (roles differ, so each pairs with its own copy)');
  const ual = out.filter((e) => e.source === 'ual');
  assert.equal(ual.length, 1);
  assert.equal(ual[0]!.actor.user, 'someone@contoso.example', 'another actor: not a copy');
});

test('copies further apart than the window are kept; different correlation ids are different requests', async () => {
  const change = appCredential(BASE, APP, key('k1'), { by: ADMIN, existing: [] });
  const [entra] = await eventsOf('graph', [change]);
  const [ual] = await eventsOf('ual', [change]);
  assert.ok(entra && ual);
  const moved = { ...ual, time: ual.time + 10 * MINUTES };
  const apart: TwinStats = { dropped: 0, undecided: 0 };
  const out = [...withoutUalTwins([entra, moved], apart)];
  assert.equal(apart.dropped, 0);
  assert.equal(out.length, 2);
  const wide: TwinStats = { dropped: 0, undecided: 0 };
  assert.equal([...withoutUalTwins([entra, moved], wide, { windowMs: 11 * MINUTES })].length, 1);
  assert.equal(wide.dropped, 1, 'a wider window joins them');
  // the same change made again 10 minutes later is another request (its own correlation id): never a copy
  const again = await run({ graph: [change], ual: [{ ...change, at: BASE + 10 * MINUTES }] }, { windowMs: 11 * MINUTES });
  assert.equal(again.stats.dropped, 0);
  for (let i = 1; i < again.out.length; i++) assert.ok(again.out[i - 1]!.time <= again.out[i]!.time);
});

test('events behind a waiting UAL record keep their order; a full queue releases it undecided', async () => {
  const change = appCredential(BASE, APP, key('k2'), { by: ADMIN, existing: [] });
  const [ual] = await eventsOf('ual', [change]);
  assert.ok(ual && isUalDirectoryRecord(ual));
  const filler = (i: number): Event => ({ ...ual, id: `f${i}`, source: 'entra.signin', action: 'signin', time: ual.time + i, details: {} });
  const input = [ual, ...Array.from({ length: 10 }, (_, i) => filler(i + 1))];
  const stats: TwinStats = { dropped: 0, undecided: 0 };
  const out = [...withoutUalTwins(input, stats)];
  assert.deepEqual(out.map((e) => e.id), input.map((e) => e.id));
  const capped: TwinStats = { dropped: 0, undecided: 0 };
  const out2 = [...withoutUalTwins(input, capped, { maxQueued: 3 })];
  assert.deepEqual(out2.map((e) => e.id), input.map((e) => e.id));
  assert.equal(capped.undecided, 1);
});

test('UAL sign-ins and Exchange records are not directory records', async () => {
  const [ual] = await eventsOf('ual', [appCredential(BASE, APP, key('k3'), { by: ADMIN, existing: [] })]);
  assert.ok(ual);
  assert.equal(isUalDirectoryRecord({ ...ual, action: 'signin' }), false);
  assert.equal(isUalDirectoryRecord({ ...ual, details: { ...ual.details, recordType: 1, workload: 'Exchange' } }), false);
});
