// Property (iii), UAL leg: the sign-in pinned by the entra-signin "same sign-in" fixtures, as the unified audit
// log records it (UserLoggedIn, whole seconds, no MFA requirement or risk), yields the same core Event for every
// fact the UAL carries.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { decodeFixture } from '../../pipeline/testkit.js';
import { SAME_SIGNIN_CORE, signInCore } from '../entra-signin/shapes.js';

test('same sign-in as a UAL UserLoggedIn record: same core facts', async () => {
  const r = await decodeFixture(resolve('src/decoders/ual/fixtures/same-signin.ual.json'));
  assert.equal(r.events.length, 1);
  const e = r.events[0]!;
  const core = signInCore(e, { timePrecisionMs: 1000, omit: ['risk', 'auth.mfa', 'session.id', 'source', 'reason.text'] });
  assert.equal(core.time, Math.floor(SAME_SIGNIN_CORE.time / 1000) * 1000);
  assert.equal(core.tenant, SAME_SIGNIN_CORE.tenant);
  assert.equal(core.action, SAME_SIGNIN_CORE.action);
  assert.equal(core.outcome, SAME_SIGNIN_CORE.outcome);
  assert.deepEqual(
    { user: core.actor.user, userId: core.actor.userId, ip: core.actor.ip, appId: core.actor.appId, kind: core.actor.kind },
    { user: SAME_SIGNIN_CORE.actor.user, userId: SAME_SIGNIN_CORE.actor.userId, ip: SAME_SIGNIN_CORE.actor.ip, appId: SAME_SIGNIN_CORE.actor.appId, kind: 'user' },
  );
  // the UAL does not say whether MFA was required: unknown, never single factor
  assert.notEqual(e.auth?.requirement, 'single');
});
