// One sign-in expressed as Graph beta, diagnostic export, Sentinel row, Log Analytics CSV and the admin-center
// CSV download must normalize to the same core Event. Static fixtures pin one attack-relevant sign-in; a
// fast-check property covers the combinations (codes, MFA steps, requirement, CA, legacy clients, IPv6,
// non-UTC offsets, JSON-text dynamic columns).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Event } from '../../core/event.js';
import { decodeFixture, decodeText } from '../../pipeline/testkit.js';
import type { Decoder, RawRecord } from '../types.js';
import { outcomeForCode } from './codes.js';
import { diagSignInDecoder, graphSignInDecoder, laSignInDecoder } from './index.js';
import {
  renderDiag, renderGraphBeta, renderLaCsv, renderPortalCsv, renderSentinelRow, SAME_SIGNIN_CORE as EXPECTED,
  SAME_SIGNIN_FIXTURES, sameSignInFixture, signInCore, type AuthStepFacts, type SignInFacts,
} from './shapes.js';

test('same sign-in, five shapes, one core Event', async () => {
  const got: Record<string, Event> = {};
  for (const name of SAME_SIGNIN_FIXTURES) {
    const r = await decodeFixture(sameSignInFixture(name), { dedup: false });
    assert.equal(r.events.length, 1, name);
    assert.equal(r.quarantined.length, 0, name);
    got[name] = r.events[0]!;
  }
  for (const name of SAME_SIGNIN_FIXTURES.slice(0, 3)) assert.deepEqual(signInCore(got[name]!), EXPECTED, name);
  // the real SigninLogs portal-export header has no SessionId column
  const { id: _sid, ...sessionWithoutId } = EXPECTED.session;
  assert.deepEqual(signInCore(got['same-signin.la-export.csv']!, { omit: ['session.id'] }), { ...EXPECTED, session: sessionWithoutId });
  // the download has no risk columns and whole-second dates
  const portal = signInCore(got['same-signin.InteractiveSignIns.csv']!, { omit: ['risk'], timePrecisionMs: 1000 });
  assert.deepEqual(portal, { ...EXPECTED, time: Date.parse('2024-05-01T09:41:07Z'), risk: {} });
  // and the pipeline's dedup sees one sign-in (same source id in every shape)
  const all = await decodeFixture(SAME_SIGNIN_FIXTURES.map(sameSignInFixture));
  assert.equal(all.events.length, 1);
  assert.equal(all.duplicates.length, 4);
});

// ---------------------------------------------------------------------------------------------------------
// property: random sign-ins rendered in every shape agree

const FAILURE_TEXT: Record<number, string> = {
  50126: 'Error validating credentials due to invalid username or password.',
  50053: 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.',
  50074: 'Strong Authentication is required.',
  50076: 'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access.',
  50140: "This error occurred due to 'Keep me signed in' interrupt when the user was signing-in.",
  53003: 'Access has been blocked by Conditional Access policies.',
  500121: 'Authentication failed during strong authentication request.',
  50158: 'External security challenge was not satisfied.',
  50055: 'The password is expired.',
  50057: 'The user account is disabled.',
};

const step = (method: string, succeeded: boolean, requirement: AuthStepFacts['requirement']): AuthStepFacts => ({ method, succeeded, requirement });
const STEPS: AuthStepFacts[] = [
  step('Password', true, 'Primary authentication'),
  step('Password', false, 'Primary authentication'),
  step('Mobile app notification', true, 'Multi-factor authentication'),
  step('Text message', false, 'Multi-factor authentication'),
  { method: 'Previously satisfied', succeeded: true, requirement: 'Multi-factor authentication', result: 'MFA requirement satisfied by claim in the token' },
];

const hex = (n: number): fc.Arbitrary<string> => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
const guid = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((p) => p.join('-'));

const factsArb: fc.Arbitrary<SignInFacts> = fc.record({
  id: guid,
  time: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
  tenant: guid,
  upn: fc.tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9.]{0,12}$/), fc.constantFrom('contoso.com', 'Fabrikam.example')).map(([u, d]) => `${u}@${d}`),
  userId: guid,
  displayName: fc.string({ minLength: 1, maxLength: 24 }),
  appId: guid,
  appName: fc.constantFrom('Azure Portal', 'Microsoft Office', 'Azure Active Directory PowerShell', 'Contoso "Sync", v2'),
  ip: fc.oneof(fc.ipV4(), fc.ipV6()),
  userAgent: fc.constantFrom('python-requests/2.31.0', 'BAV2ROPC', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0'),
  code: fc.constantFrom(0, 0, 0, 50126, 50053, 50074, 50076, 50140, 53003, 500121, 50158, 50055, 50057),
  statusDetail: fc.option(fc.constantFrom('MFA completed in Azure AD', 'MFA requirement satisfied by claim in the token'), { nil: undefined }),
  requirement: fc.option(fc.constantFrom('singleFactorAuthentication' as const, 'multiFactorAuthentication' as const), { nil: undefined }),
  steps: fc.subarray(STEPS, { maxLength: 3 }),
  ca: fc.constantFrom('success' as const, 'failure' as const, 'notApplied' as const),
  interactive: fc.boolean(),
  clientApp: fc.constantFrom('Browser', 'Mobile Apps and Desktop clients', 'IMAP4', 'Exchange ActiveSync', 'Other clients', 'Authenticated SMTP'),
  protocol: fc.constantFrom('none' as const, 'ropc' as const, 'deviceCode' as const, 'oAuth2' as const),
  resourceId: fc.constantFrom('00000003-0000-0000-c000-000000000000', '00000002-0000-0ff1-ce00-000000000000'),
  resourceName: fc.constantFrom('Microsoft Graph', 'Office 365 Exchange Online'),
  sessionId: fc.option(guid, { nil: undefined }),
  tokenId: fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
  correlationId: guid,
  riskLevel: fc.constantFrom('none' as const, 'low' as const, 'medium' as const, 'high' as const, 'hidden' as const),
  riskTypes: fc.subarray(['unfamiliarFeatures', 'unlikelyTravel', 'anonymizedIPAddress', 'passwordSpray']),
  city: fc.constantFrom('Seattle', 'Amsterdam', 'São Paulo'),
  country: fc.constantFrom('US', 'NL', 'BR'),
  lat: fc.option(fc.double({ min: -80, max: 80, noNaN: true, noDefaultInfinity: true }).filter((x) => x !== 0), { nil: undefined }),
  lon: fc.double({ min: -170, max: 170, noNaN: true, noDefaultInfinity: true }),
  asn: fc.integer({ min: 1, max: 400000 }),
  diagOffsetMinutes: fc.constantFrom(0, -300, 60, 330, -420, 765),
}).map((f) => ({ ...f, failureReason: f.code === 0 ? undefined : FAILURE_TEXT[f.code] }));

function decodeOne(d: Decoder, value: Record<string, unknown>): Event {
  assert.ok(d.matchRecord?.(value), `${d.id} matches its own shape`);
  const rec: RawRecord = { value, text: JSON.stringify(value), file: 'prop.json', container: 'json' };
  const r = d.decode(rec, {});
  assert.equal(r.kind, 'events', r.kind === 'quarantine' ? r.reason : '');
  return (r as { events: Event[] }).events[0]!;
}

test('property: Graph beta, diagnostic export and Sentinel rows (objects or JSON text) agree', () => {
  fc.assert(
    fc.property(factsArb, fc.boolean(), (f, stringDynamic) => {
      const graph = renderGraphBeta(f);
      const diag = renderDiag(f);
      const row = renderSentinelRow(f, stringDynamic);
      // each shape is taken by its own decoder only
      assert.deepEqual([graphSignInDecoder, diagSignInDecoder, laSignInDecoder].map((d) => d.matchRecord!(diag)), [false, true, false]);
      assert.deepEqual([graphSignInDecoder, diagSignInDecoder, laSignInDecoder].map((d) => d.matchRecord!(row)), [false, false, true]);
      const core = signInCore(decodeOne(graphSignInDecoder, graph));
      assert.deepEqual(signInCore(decodeOne(diagSignInDecoder, diag)), core);
      assert.deepEqual(signInCore(decodeOne(laSignInDecoder, row)), core);
      // sanity of the core itself
      assert.equal(core.time, f.time);
      assert.equal(core.actor.user, f.upn.toLowerCase());
      assert.equal(core.outcome, outcomeForCode(f.code));
    }),
    { numRuns: 250 },
  );
});

const portalStatus = (code: number): string => ({ success: 'Success', failure: 'Failure', interrupted: 'Interrupted', unknown: '' })[outcomeForCode(code)];

test('property: the Log Analytics CSV export and the admin-center CSV download agree with Graph', async () => {
  await fc.assert(
    fc.asyncProperty(factsArb, async (f) => {
      const core = signInCore(decodeOne(graphSignInDecoder, renderGraphBeta(f)));
      const la = await decodeText(renderLaCsv([f]), 'SigninLogs_export.csv');
      assert.equal(la.events.length, 1, JSON.stringify(la.quarantined));
      assert.deepEqual(signInCore(la.events[0]!), core);
      const file = f.interactive ? 'InteractiveSignIns_2024.csv' : 'NonInteractiveSignIns_2024.csv';
      const portal = await decodeText(renderPortalCsv([f], portalStatus), file);
      assert.equal(portal.events.length, 1, JSON.stringify(portal.quarantined));
      // the download has no risk columns, no per-step results (so no MFA state of its own) and whole seconds
      const opts = { omit: ['risk', 'auth.mfa'] as const, timePrecisionMs: 1000 };
      assert.deepEqual(signInCore(portal.events[0]!, { ...opts, omit: [...opts.omit] }), signInCore(decodeOne(graphSignInDecoder, renderGraphBeta(f)), { ...opts, omit: [...opts.omit] }));
    }),
    { numRuns: 40 },
  );
});
