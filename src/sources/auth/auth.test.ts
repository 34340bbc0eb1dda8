import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TenantConfig } from '../../config/collect.js';
import { makeTestPki } from '../fake/pki.js';
import { startHarness, TEST_CLIENT_ID, TEST_SECRET, type Harness } from '../fake/harness.js';
import { httpsTransport } from '../http/transport.js';
import { checkPrivateFile, CredentialError, loadCredential, type AppCredential } from './credentials.js';
import { MsalTokenProvider } from './msal.js';
import { REDACTED, Redactor, redactingLogger, streamLogger } from './redact.js';
import { AuthError, decodeJwtClaims } from './token.js';
import { resolveEndpoints, scopeFor } from './clouds.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tw-auth-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const NOW = Date.parse('2025-06-01T00:00:00Z');
const base = (over: Partial<TenantConfig>): TenantConfig => ({ id: '11111111-2222-4333-8444-555555555555', clientId: TEST_CLIENT_ID, cloud: 'global', endpoints: {}, ...over });
const load = (t: TenantConfig, env: NodeJS.ProcessEnv = {}, r = new Redactor()) => loadCredential(t, { env, baseDir: dir, redactor: r, now: NOW });

function file(name: string, text: string, mode: number): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  chmodSync(p, mode);
  return p;
}

test('a secret file readable by every user is refused with the fix; 0600 and 0640 are accepted', async () => {
  const open = file('open.secret', `${TEST_SECRET}\n`, 0o644);
  await assert.rejects(load(base({ secret: { file: open } })), (e: unknown) => e instanceof CredentialError && /readable by every user.*mode 644.*chmod 600/.test((e as Error).message) && !(e as Error).message.includes(TEST_SECRET));
  const key = file('open.key', makeTestPki().appKeyPem, 0o604);
  await assert.rejects(load(base({ certificate: { keyFile: key, certFile: makeTestPki().appCertFile, sendX5c: false } })), /readable by every user/);
  for (const mode of [0o600, 0o640]) {
    const ok = file(`ok-${mode}.secret`, `${TEST_SECRET}\n`, mode);
    assert.deepEqual(await load(base({ secret: { file: ok } })), { kind: 'secret', secret: TEST_SECRET });
  }
  // no mode bits on Windows
  await checkPrivateFile(open, 'x', 'win32');
  // a file that cannot be read is not named: it may be the secret itself, pasted where its path belongs
  await assert.rejects(load(base({ secret: { file: TEST_SECRET } })), (e: unknown) => e instanceof CredentialError && /tenant\.secret\.file: cannot read the file it names \(ENOENT\)/.test((e as Error).message) && !(e as Error).message.includes(TEST_SECRET));
});

test('secret from the environment; an unset variable or a multi-line file is a clear error', async () => {
  assert.deepEqual(await load(base({ secret: { env: 'TW_S' } }), { TW_S: TEST_SECRET }), { kind: 'secret', secret: TEST_SECRET });
  await assert.rejects(load(base({ secret: { env: 'TW_S' } }), {}), /TW_S is not set or empty/);
  const two = file('two.secret', 'a-secret-line\nanother-line\n', 0o600);
  await assert.rejects(load(base({ secret: { file: two } })), /several lines/);
});

test('certificate: SHA-256 thumbprint from the certificate; mismatches and wrong pairs are refused', async () => {
  const pki = makeTestPki();
  const c = await load(base({ certificate: { keyFile: pki.appKeyFile, certFile: pki.appCertFile, sendX5c: true } }));
  assert.equal(c.kind, 'certificate');
  if (c.kind !== 'certificate') return;
  assert.equal(c.thumbprintSha256, pki.appThumbprintSha256);
  assert.match(c.thumbprintSha256, /^[0-9a-f]{64}$/);
  assert.match(c.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
  assert.match(c.x5c ?? '', /BEGIN CERTIFICATE/);
  await assert.rejects(load(base({ certificate: { keyFile: pki.appKeyFile, certFile: pki.appCertFile, thumbprintSha256: 'a'.repeat(64), sendX5c: false } })), /does not match certFile/);
  await assert.rejects(load(base({ certificate: { keyFile: pki.appKeyFile, certFile: pki.caFile, sendX5c: false } })), /does not belong to the private key/);
  // thumbprint given without a certificate file is accepted as is
  const t = await load(base({ certificate: { keyFile: pki.appKeyFile, thumbprintSha256: 'b'.repeat(64), sendX5c: false } }));
  assert.equal(t.kind === 'certificate' && t.thumbprintSha256, 'b'.repeat(64));
});

test('an encrypted key needs its passphrase from the environment; neither appears in errors', async () => {
  const pass = 'correct horse battery staple 42';
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: pass }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const key = file('enc.key', privateKey, 0o600);
  const cfg = base({ certificate: { keyFile: key, thumbprintSha256: 'c'.repeat(64), passphraseEnv: 'TW_PASS', sendX5c: false } });
  const r = new Redactor();
  const c = await load(cfg, { TW_PASS: pass }, r);
  assert.equal(c.kind, 'certificate');
  assert.equal(r.redact(`x ${pass} y`), `x ${REDACTED} y`);
  await assert.rejects(load(cfg, { TW_PASS: 'wrong passphrase!' }), (e: unknown) => /wrong passphrase\?/.test((e as Error).message) && !(e as Error).message.includes('wrong passphrase!'));
  await assert.rejects(load(base({ certificate: { keyFile: key, thumbprintSha256: 'c'.repeat(64), sendX5c: false } })), /the key is encrypted: set tenant.certificate.passphraseEnv/);
});

test('redactor: exact secrets and anything shaped like a credential are masked', () => {
  const r = new Redactor();
  r.add(TEST_SECRET);
  const jwt = 'eyJ0eXAiOiJKV1QifQ.eyJyb2xlcyI6WyJ4Il19.c2lnbmF0dXJlLXBhcnQ';
  const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ\n-----END PRIVATE KEY-----';
  const text = [
    `secret ${TEST_SECRET} in text`,
    `Authorization: Bearer ${jwt}`,
    `token ${jwt}`,
    `client_secret=${encodeURIComponent('abc~def')}&scope=x`,
    `{"access_token":"opaque-token-value","token_type":"Bearer"}`,
    pem,
  ].join('\n');
  const out = r.redact(text);
  for (const s of [TEST_SECRET, jwt, 'abc', 'opaque-token-value', 'MIIEvQIBADANBg']) assert.ok(!out.includes(s), `${s} leaked: ${out}`);
  assert.match(out, /client_secret=\[REDACTED\]&scope=x/);
  assert.match(out, /"token_type":"Bearer"/);
  const lines: string[] = [];
  redactingLogger({ debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m) }, r).warn(`failed with ${TEST_SECRET}`);
  assert.deepEqual(lines, [`failed with ${REDACTED}`]);
  assert.ok(!r.error(new Error(`boom ${TEST_SECRET}`)).message.includes(TEST_SECRET));
});

test('stream logger: log data quoted in a line (a record\'s keys) reaches the terminal without control characters', () => {
  const out: string[] = [];
  const log = streamLogger((s) => out.push(s), { debug: true });
  log.debug('1 record(s) quarantined, e.g. unrecognized record (keys: \u001b]0;pwned\u0007\u001b[2J\u001b[31mKEY\r, id)');
  log.warn('app \u202eexe.txt');
  assert.equal(out.length, 2);
  for (const l of out) assert.ok(!/[\u0000-\u0009\u000b-\u001f\u202e]/.test(l) && l.endsWith('\n') && l.indexOf('\n') === l.length - 1, JSON.stringify(l));
  assert.match(out[0]!, /^tenantwatch: debug: .*keys: \\u\{1b\}\]0;pwned\\u\{7\}/);
});

test('clouds: national hosts and overrides; scope = host/.default', () => {
  const us = resolveEndpoints('gcchigh');
  assert.equal(us.authority, 'https://login.microsoftonline.us');
  assert.equal(us.management, 'https://manage.office365.us');
  const o = resolveEndpoints('global', { graph: 'https://graph.example' });
  assert.equal(o.graph, 'https://graph.example');
  assert.equal(o.authority, 'https://login.microsoftonline.com');
  assert.equal(scopeFor(o, 'management'), 'https://manage.office.com/.default');
});

// --- MSAL against the local fake token service (TLS, knownAuthorities, networkClient) ---
let h: Harness | undefined;
after(() => h?.close());

test('MSAL client credentials against the fake: certificate (PS256 assertion) and secret, one cache per resource', async () => {
  const hh: Harness = await startHarness();
  h = hh;
  const pki = hh.pki;
  const transport = httpsTransport({ ca: pki.caPem, timeoutMs: 5000 });
  const credentials: AppCredential[] = [
    await load(base({ id: hh.tenant.id, certificate: { keyFile: pki.appKeyFile, certFile: pki.appCertFile, sendX5c: false } })),
    await load(base({ id: hh.tenant.id, secret: { env: 'S' } }), { S: TEST_SECRET }),
  ];
  for (const credential of credentials) {
    const redactor = new Redactor();
    const p = new MsalTokenProvider({ tenantId: hh.tenant.id, clientId: TEST_CLIENT_ID, credential, endpoints: hh.fake.endpoints, transport, redactor, logger: { debug() {}, info() {}, warn() {} } });
    const before: number = hh.fake.sts.issued;
    const g = await p.getToken('graph');
    const claims = decodeJwtClaims(g.token)!;
    assert.equal(claims.aud, hh.fake.endpoints.graph);
    assert.equal(claims.tid, hh.tenant.id);
    assert.ok(claims.roles?.includes('AuditLog.Read.All'));
    const m = await p.getToken('management');
    assert.equal(decodeJwtClaims(m.token)!.aud, hh.fake.endpoints.management);
    assert.deepEqual(decodeJwtClaims(m.token)!.roles, ['ActivityFeed.Read']);
    // cached per resource; forceRefresh goes back to the token endpoint
    assert.equal((await p.getToken('graph')).token, g.token);
    assert.notEqual((await p.getToken('graph', { forceRefresh: true })).token, g.token);
    assert.equal(hh.fake.sts.issued - before, 3);
    assert.equal(redactor.redact(g.token), REDACTED);
  }
});

test('MSAL errors: wrong secret and unregistered certificate give the AADSTS hint, never the secret', async () => {
  h ??= await startHarness();
  const transport = httpsTransport({ ca: h.pki.caPem, timeoutMs: 5000 });
  const wrong = 'Wrong~secret.value-0000-not-it';
  const redactor = new Redactor();
  const cred = await load(base({ id: h.tenant.id, secret: { env: 'S' } }), { S: wrong }, redactor);
  const logs: string[] = [];
  const logger = { debug: (m: string) => logs.push(m), info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m) };
  const p = new MsalTokenProvider({ tenantId: h.tenant.id, clientId: TEST_CLIENT_ID, credential: cred, endpoints: h.fake.endpoints, transport, redactor, logger });
  await assert.rejects(p.getToken('graph'), (e: unknown) => {
    assert.ok(e instanceof AuthError);
    assert.match(e.message, /AADSTS7000215/);
    assert.match(e.message, /use the secret VALUE/);
    assert.ok(!e.message.includes(wrong));
    return true;
  });
  for (const l of logs) assert.ok(!l.includes(wrong), l);
  const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const key = file('other.key', other.privateKey, 0o600);
  const c2 = await load(base({ id: h.tenant.id, certificate: { keyFile: key, thumbprintSha256: 'd'.repeat(64), sendX5c: false } }));
  const p2 = new MsalTokenProvider({ tenantId: h.tenant.id, clientId: TEST_CLIENT_ID, credential: c2, endpoints: h.fake.endpoints, transport, redactor: new Redactor(), logger });
  await assert.rejects(p2.getToken('graph'), /AADSTS700027.*certificate is not registered/);
});
