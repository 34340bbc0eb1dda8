import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../core/errors.js';
import { parseConfig } from './config.js';
import { defaultCollectConfig } from './collect.js';

function problems(text: string): string[] {
  try {
    parseConfig(text, 'tw.yml', []);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.message.split('\n');
  }
  return [];
}

const TENANT = `tenant:
  id: 11111111-2222-4333-8444-555555555555
  clientId: 5B1E0A11-8888-4888-8888-0000000000E3
`;

test('tenant + collect: a full section is normalized (GUIDs lower-cased, hosts only, durations in ms)', () => {
  const c = parseConfig(
    `${TENANT}  cloud: gcchigh
  endpoints:
    graph: https://graph.microsoft.us/
  certificate:
    keyFile: keys/collector.key
    certFile: keys/collector.crt
    passphraseEnv: TW_KEY_PASS
  publisherIdentifier: 99999999-2222-4333-8444-555555555555
  caFile: proxy-ca.pem
collect:
  sources: [signins, managementActivity]
  signInEventTypes: [interactiveUser, servicePrincipal]
  contentTypes: [Audit.Exchange]
  exchangeConfig: true
  exchangeAnchorDomain: Contoso.onmicrosoft.com
  pageSize: 500
  requestTimeout: 90s
  maxAttempts: 5
  window: 6h
`,
    'tw.yml',
    [],
  );
  assert.deepEqual(c.tenant, {
    id: '11111111-2222-4333-8444-555555555555',
    clientId: '5b1e0a11-8888-4888-8888-0000000000e3',
    cloud: 'gcchigh',
    endpoints: { graph: 'https://graph.microsoft.us' },
    certificate: { keyFile: 'keys/collector.key', certFile: 'keys/collector.crt', thumbprintSha256: undefined, passphraseEnv: 'TW_KEY_PASS', sendX5c: false },
    publisherIdentifier: '99999999-2222-4333-8444-555555555555',
    caFile: 'proxy-ca.pem',
  });
  assert.deepEqual(c.collect, {
    ...defaultCollectConfig(),
    sources: ['signins', 'managementActivity'],
    signInEventTypes: ['interactiveUser', 'servicePrincipal'],
    contentTypes: ['Audit.Exchange'],
    exchangeConfig: true,
    exchangeAnchorDomain: 'contoso.onmicrosoft.com',
    pageSize: 500,
    requestTimeout: 90_000,
    maxAttempts: 5,
    window: 6 * 3_600_000,
  });
  const s = parseConfig(`${TENANT}  secret:\n    env: TW_CLIENT_SECRET\n`, 'tw.yml', []);
  assert.deepEqual(s.tenant?.secret, { env: 'TW_CLIENT_SECRET' });
  assert.equal(s.tenant?.cloud, 'global');
  assert.equal(s.collect, undefined, 'no collect section: callers use defaultCollectConfig()');
});

test('tenant: every problem with file:line:col', () => {
  assert.deepEqual(
    problems(`tenant:
  id: not-a-guid
  clientId: 5b1e0a11-8888-4888-8888-0000000000e3
  cloud: azure
  endpoints:
    graph: http://graph.example
    management: https://manage.example/api
  certificate:
    keyFile: k.pem
    thumbprintSha256: 3B2F6C0E9A1D4E5F6A7B8C9D0E1F2A3B4C5D6E7F
collect:
  sources: [signins, mailbox]
  pageSize: 5000
  window: 5s
`),
    [
      'tw.yml:2:7: tenant.id: expected the directory (tenant) id (a GUID like 00000000-0000-0000-0000-000000000000), got "not-a-guid"',
      'tw.yml:4:10: tenant.cloud: unknown cloud "azure" (one of: global, gcc, gcchigh, dod, china)',
      'tw.yml:6:12: tenant.endpoints.graph: "http://graph.example" must use https://',
      'tw.yml:7:17: tenant.endpoints.management: "https://manage.example/api": give the host only, like https://graph.microsoft.us (no path)',
      'tw.yml:10:23: tenant.certificate.thumbprintSha256: that is a SHA-1 thumbprint; Entra ID needs the SHA-256 one (openssl x509 -noout -fingerprint -sha256 -in cert.pem), or give certFile',
      'tw.yml:12:22: collect.sources[1]: unknown source "mailbox" (one of: signins, directoryAudits, managementActivity, auditLogQuery, messageTrace, snapshot)',
      'tw.yml:13:13: collect.pageSize: expected a whole number from 1 to 1000, got number 5000',
      'tw.yml:14:11: collect.window: must be between 60s and 240h',
    ],
  );
});

test('tenant: exactly one credential; a secret pasted into the config is refused and never echoed', () => {
  assert.deepEqual(problems(TENANT), ['tw.yml:2:3: tenant: give a certificate (keyFile + certFile or thumbprintSha256) or a secret (env or file)']);
  assert.deepEqual(problems(`${TENANT}  certificate:\n    keyFile: k.pem\n  secret:\n    env: X\n`), ['tw.yml:7:5: tenant: give either certificate or secret, not both (a certificate is preferred)']);
  assert.deepEqual(problems(`${TENANT}  certificate:\n    certFile: c.pem\n`), ['tw.yml:5:5: tenant.certificate.keyFile is required (the PEM private key)']);
  assert.deepEqual(problems(`${TENANT}  certificate:\n    keyFile: k.pem\n`), ['tw.yml:5:5: tenant.certificate needs certFile (to compute the SHA-256 thumbprint) or thumbprintSha256']);
  const pasted = 'Abc8Q~very.secret-value_123';
  for (const text of [`${TENANT}  secret: ${pasted}\n`, `${TENANT}  secret:\n    env: ${pasted}\n`, `${TENANT}  certificate:\n    keyFile: k\n    thumbprintSha256: ${'a'.repeat(64)}\n    passphraseEnv: "${pasted} x"\n`]) {
    const p = problems(text);
    assert.equal(p.length, 1, p.join('\n'));
    assert.match(p[0]!, /^tw\.yml:\d+:\d+: /);
    assert.match(p[0]!, /not shown/);
    assert.ok(!p[0]!.includes(pasted), p[0]);
  }
  assert.deepEqual(problems(`${TENANT}  secret:\n    env: A\n    file: /b\n`), ['tw.yml:5:5: tenant.secret: give exactly one of env (a variable name) or file (a path); never the secret itself']);
  assert.deepEqual(problems(`${TENANT}  secret:\n    vault: x\n`), ['tw.yml:5:5: unknown key "vault" in tenant.secret (known: env, file)']);
  // the key or a URL pasted where a file path belongs
  const pem = '-----BEGIN PRIVATE KEY-----\n    MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n    -----END PRIVATE KEY-----';
  for (const text of [`${TENANT}  certificate:\n    keyFile: |\n      ${pem.replace(/\n {4}/g, '\n      ')}\n    thumbprintSha256: ${'a'.repeat(64)}\n`, `${TENANT}  secret:\n    file: "https://vault.example/secret?sig=S3CR3T"\n`]) {
    const p = problems(text);
    assert.equal(p.length, 1, p.join('\n'));
    assert.match(p[0]!, /expected a path to a file.*got (a PEM key or certificate|a URL) \(not shown\)/);
    assert.ok(!p[0]!.includes('MIIEvQ') && !p[0]!.includes('S3CR3T'), p[0]);
  }
});
