import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { actionsOf, containmentSteps, type ContainInput } from './containment.js';
import { hasControlChars, odataFilterEq, odataKey, psQuote, urlPart } from './quote.js';

const QUOTES = new Set(["'", '\u2018', '\u2019', '\u201A', '\u201B']);

/**
 * How PowerShell reads a single-quoted string starting at s[0]: any of the five quote characters ends it unless
 * the next character is also one of them (then the pair stands for one literal quote). Returns the value and
 * where the literal ended.
 */
function readPsSingleQuoted(s: string): { value: string; end: number } {
  assert.ok(QUOTES.has(s[0]!));
  let value = '';
  for (let i = 1; i < s.length; i++) {
    const c = s[i]!;
    if (QUOTES.has(c)) {
      if (i + 1 < s.length && QUOTES.has(s[i + 1]!)) {
        value += c;
        i++;
        continue;
      }
      return { value, end: i };
    }
    value += c;
  }
  throw new Error('unterminated');
}

test('psQuote: PowerShell reads back exactly the identifier, and the literal ends at the last character', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', ' ', "'", '\u2019', '\u2018', '$', '`', '"', ';', '|', '(', ')', '#', 'é', '\u201B', '\u201A') }), (s) => {
      const q = psQuote(s);
      const r = readPsSingleQuoted(q);
      assert.equal(r.end, q.length - 1);
      assert.equal(r.value, s);
    }),
    { numRuns: 500 },
  );
});

test('psQuote refuses control characters instead of printing them', () => {
  assert.throws(() => psQuote('a\nRemove-Mailbox x'));
  assert.ok(hasControlChars('x\u2028y'));
});

test('urlPart leaves only unreserved characters and escapes; keys and filters stay closed', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      assert.match(urlPart(s), /^[A-Za-z0-9\-_.~%]*$/);
      assert.equal(decodeURIComponent(urlPart(s)), s);
    }),
  );
  assert.equal(odataKey('appId', "x')/delete?('"), "(appId='x%27%27%29%2Fdelete%3F%28%27%27')");
  assert.equal(decodeURIComponent(odataFilterEq('clientId', "a' or 1 eq 1 or '")), "?$filter=clientId eq 'a'' or 1 eq 1 or '''");
});

const APP = '2a0d085a-5c65-48ff-a873-cb71ec0014fb';

function input(over: Partial<ContainInput> = {}): ContainInput {
  return {
    incidentId: 'INC-abcdefghijkl',
    users: [{ id: 'admin@contoso.example', userId: 'c3b7b65d-8bf9-4a05-911a-895ad1cdde37', privileged: true }],
    apps: [{
      appId: APP, spId: '4986ecc9-ecd2-4ec4-90ab-06583e651046', name: "Backup'; Remove-Mailbox -Identity * #",
      credentials: [{ keyId: '48a86cdc-0fda-40a7-bdda-d6c02041cd7b', type: 'password', addedAt: Date.UTC(2025, 0, 19), addedBy: 'admin@contoso.example' }],
      permissions: ['Exchange.ManageAsApp'], roles: ['Exchange Administrator'],
    }],
    connectors: [{ id: "relay'$(calc)", display: "Relay'$(calc)" }],
    transportRules: [{ id: 'strip', display: 'Strip’ headers' }],
    inboxRules: [{ id: '..', display: '..', mailbox: "o'brien@contoso.example" }],
    forwarding: ["o'brien@contoso.example"],
    ips: ['203.0.113.9', '2001:db8::7', 'not-an-ip'],
    ...over,
  };
}

test('app steps come before account steps; the password reset says it does not evict an app secret holder', () => {
  const steps = containmentSteps(input());
  assert.deepEqual(actionsOf(steps), [
    'disable-service-principal', 'remove-app-secret', 'remove-directory-role', 'remove-app-role-assignment', 'remove-consent-grant',
    'revoke-sessions', 'reset-password', 'require-mfa',
    'remove-inbound-connector', 'remove-transport-rule', 'review-inbox-rules', 'remove-forwarding', 'block-ip',
  ]);
  assert.deepEqual(steps.map((s) => s.order), steps.map((_, i) => i + 1));
  const reset = steps.find((s) => s.action === 'reset-password')!;
  assert.match(reset.why, /does NOT evict an attacker who owns an app secret/);
  const secret = steps.find((s) => s.action === 'remove-app-secret')!;
  assert.equal(secret.graph?.path, `/v1.0/applications(appId='${APP}')/removePassword`);
  assert.equal(secret.graph?.body, '{"keyId":"48a86cdc-0fda-40a7-bdda-d6c02041cd7b"}');
  assert.match(secret.permission, /Application\.ReadWrite\.All/);
  assert.equal(steps.find((s) => s.action === 'revoke-sessions')!.graph?.path, '/v1.0/users/c3b7b65d-8bf9-4a05-911a-895ad1cdde37/revokeSignInSessions');
  assert.equal(steps.find((s) => s.action === 'disable-service-principal')!.graph?.body, '{"accountEnabled":false}');
  for (const s of steps) assert.ok(s.permission.length > 0 && s.why.length > 0, s.action);
});

test('hostile names stay inside their quotes in every PowerShell line', () => {
  const steps = containmentSteps(input());
  const conn = steps.find((s) => s.action === 'remove-inbound-connector')!;
  assert.ok(conn.powershell!.includes("Remove-InboundConnector -Identity 'Relay''$(calc)' -Confirm:$false"));
  const rule = steps.find((s) => s.action === 'remove-transport-rule')!;
  assert.ok(rule.powershell!.includes("-Identity 'Strip’’ headers'"));
  const inbox = steps.find((s) => s.action === 'review-inbox-rules')!;
  assert.ok(inbox.powershell!.includes("Remove-InboxRule -Mailbox 'o''brien@contoso.example' -Identity '..' -Confirm:$false"));
  assert.ok(steps.find((s) => s.action === 'remove-forwarding')!.powershell!.startsWith("Set-Mailbox -Identity 'o''brien@contoso.example' -ForwardingSmtpAddress $null"));
  // the app's hostile display name appears in titles (escaped by renderers) but never in a command
  for (const s of steps) assert.ok(!(s.powershell ?? '').includes('Remove-Mailbox'), s.action);
});

test('a user UPN is URL-encoded in Graph paths', () => {
  const steps = containmentSteps(input({ users: [{ id: "o'brien/../x@contoso.example" }], apps: [] }));
  assert.equal(steps[0]!.graph!.path, '/v1.0/users/o%27brien%2F..%2Fx%40contoso.example/revokeSignInSessions');
  assert.ok(steps.find((s) => s.action === 'reset-password')!.why.includes('does not evict an attacker holding an app secret'));
});

test('block-ip keeps only real addresses, as /32 and /128', () => {
  const steps = containmentSteps(input());
  const b = steps.find((s) => s.action === 'block-ip')!;
  const body = JSON.parse(b.graph!.body!) as { ipRanges: { cidrAddress: string }[] };
  assert.deepEqual(body.ipRanges.map((r) => r.cidrAddress), ['2001:db8::7/128', '203.0.113.9/32']);
});

test('an unknown key id and a Microsoft app are handled without guessing', () => {
  const steps = containmentSteps(input({
    apps: [
      { appId: APP, credentials: [{ type: 'password', addedAt: 0 }], permissions: [], roles: [] },
      { appId: '00000006-0000-0ff1-ce00-000000000000', microsoft: true, credentials: [], permissions: [], roles: [] },
    ],
    users: [], connectors: [], transportRules: [], inboxRules: [], forwarding: [], ips: [],
  }));
  const secret = steps.find((s) => s.action === 'remove-app-secret')!;
  assert.equal(secret.graph!.method, 'GET');
  assert.match(secret.note!, /key id/);
  const ms = steps.filter((s) => s.entity.id === '00000006-0000-0ff1-ce00-000000000000');
  assert.deepEqual(actionsOf(ms), ['review']);
});

test('an identifier with control characters gets no command line, only a note', () => {
  const steps = containmentSteps(input({ connectors: [{ id: 'evil\nRemove-Mailbox *' }], apps: [], users: [], transportRules: [], inboxRules: [], forwarding: [], ips: [] }));
  assert.equal(steps[0]!.powershell, undefined);
  assert.match(steps[0]!.note!, /control characters/);
});

test('a connector or rule the input shows removed: check it stays gone, the removal only if it came back', () => {
  const steps = containmentSteps(input({
    apps: [], users: [], inboxRules: [], forwarding: [], ips: [],
    connectors: [{ id: 'partner relay 0609', display: 'Partner relay 0609', removedAt: '2024-04-03T09:00:00.000Z' }, { id: 'live', display: 'Live' }],
    transportRules: [{ id: 'sync hdr 1', display: 'Sync hdr 1', removedAt: '2024-04-03T09:01:00.000Z' }],
  }));
  const [gone, live] = steps.filter((s) => s.action === 'remove-inbound-connector');
  assert.equal(gone!.title, 'Make sure the inbound connector "Partner relay 0609" is gone (removed at 2024-04-03T09:00:00.000Z in the input)');
  assert.match(gone!.powershell!, /^Get-InboundConnector -Identity 'Partner relay 0609' -ErrorAction SilentlyContinue \|/);
  assert.match(gone!.powershell!, /\n# only if it is listed: Remove-InboundConnector/);
  assert.match(gone!.note!, /can create it again/);
  assert.equal(live!.title, 'Remove the inbound connector "Live"');
  assert.match(live!.powershell!, /\nRemove-InboundConnector -Identity 'Live' -Confirm:\$false$/);
  const rule = steps.find((s) => s.action === 'remove-transport-rule')!;
  assert.match(rule.title, /^Make sure the transport rule "Sync hdr 1" is gone/);
  assert.match(rule.powershell!, /\n# only if it is listed: Remove-TransportRule/);
});

test('consent phishing: one user\'s delegated grant, an app registered elsewhere, no stolen password — the steps say so', () => {
  const steps = containmentSteps(input({
    apps: [{ appId: APP, credentials: [], permissions: ['Mail.Read', 'Mail.Send', 'offline_access', 'User.Read'], delegated: ['Mail.Read', 'Mail.Send', 'offline_access', 'User.Read'], roles: [] }],
    users: [{ id: 'grace.lin@contoso.com', passwordStolen: false }],
    connectors: [], transportRules: [], inboxRules: [], forwarding: [], ips: [],
  }));
  const byAction = (a: string) => steps.find((s) => s.action === a)!;
  assert.equal(byAction('remove-app-role-assignment').title, `Remove the application permissions granted to app ${APP}`, 'delegated scopes are not app role assignments');
  assert.equal(byAction('remove-consent-grant').title, `Remove the delegated consent grants of app ${APP} (Mail.Read, Mail.Send, offline_access, User.Read)`);
  assert.match(byAction('remove-consent-grant').why, /^A user's consent lets the app act as that user/);
  assert.match(byAction('remove-app-secret').note!, /not seen registered in this tenant: if it is another tenant's/);
  assert.match(byAction('reset-password').why, /^Nothing in the logs shows the password was stolen/);
  // the campaign's own app: registered here, application permissions, admin consent for all users, a stolen admin password
  const own = containmentSteps(input({
    apps: [{ appId: APP, credentials: [], permissions: ['Exchange.ManageAsApp', 'User.Read'], delegated: ['User.Read'], tenantWide: true, registeredHere: true, roles: [] }],
    users: [{ id: 'admin@contoso.com', passwordStolen: true }],
    connectors: [], transportRules: [], inboxRules: [], forwarding: [], ips: [],
  }));
  assert.equal(own.find((s) => s.action === 'remove-app-role-assignment')!.title, `Remove the application permissions granted to app ${APP} (Exchange.ManageAsApp)`);
  assert.match(own.find((s) => s.action === 'remove-consent-grant')!.why, /^A tenant-wide consent grant/);
  assert.match(own.find((s) => s.action === 'remove-app-secret')!.note!, /^no secret was seen added in the logs: list the credentials/);
  assert.match(own.find((s) => s.action === 'reset-password')!.why, /^The attacker knows the current password/);
});
