// Test TLS material, made at test time with the `openssl` command (node:crypto cannot issue X.509 certificates):
// a throw-away CA, a server certificate for 127.0.0.1 signed by it, and a self-signed certificate for the fake
// collector app registration. Nothing secret is committed; files live in a temp folder shared by test processes.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestPki {
  dir: string;
  caPem: string;
  caFile: string;
  serverKeyPem: string;
  serverCertPem: string;
  /** the collector app's certificate and key (mode 600) */
  appKeyFile: string;
  appCertFile: string;
  appKeyPem: string;
  appCertPem: string;
  appThumbprintSha256: string;
}

let cached: TestPki | undefined;

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new Error('the tests of the fake Microsoft service need the `openssl` command (apt-get install openssl)');
    throw new Error(`openssl ${args[0]} failed: ${err.stderr?.toString() ?? err.message}`);
  }
}

/** Reused across test processes (made once per machine, ~0.5 s of key generation saved per test file). */
const SHARED = path.join(tmpdir(), 'tenantwatch-test-pki-v1');

export function makeTestPki(): TestPki {
  if (cached) return cached;
  if (existsSync(path.join(SHARED, 'done'))) {
    try {
      return (cached = load(SHARED));
    } catch {
      /* damaged: make a fresh one below */
    }
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'tenantwatch-pki-'));
  const days = '3650';
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', days, '-subj', '/CN=tenantwatch test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], dir);
  writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-sha256', '-days', days, '-extfile', 'server.ext', '-out', 'server.crt'], dir);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', 'app.key', '-out', 'app.crt', '-days', days, '-subj', '/CN=tenantwatch collector (test)'], dir);
  chmodSync(path.join(dir, 'app.key'), 0o600);
  writeFileSync(path.join(dir, 'done'), '');
  try {
    renameSync(dir, SHARED); // atomic; another process may have won the race, then use theirs
    return (cached = load(SHARED));
  } catch {
    return (cached = load(existsSync(path.join(SHARED, 'done')) ? SHARED : dir));
  }
}

function load(dir: string): TestPki {
  const f = (n: string) => path.join(dir, n);
  const appCertPem = readFileSync(f('app.crt'), 'utf8');
  if (Date.parse(new X509Certificate(appCertPem).validTo) < Date.now() + 86_400_000) throw new Error('expired');
  return {
    dir,
    caPem: readFileSync(f('ca.crt'), 'utf8'),
    caFile: f('ca.crt'),
    serverKeyPem: readFileSync(f('server.key'), 'utf8'),
    serverCertPem: readFileSync(f('server.crt'), 'utf8'),
    appKeyFile: f('app.key'),
    appCertFile: f('app.crt'),
    appKeyPem: readFileSync(f('app.key'), 'utf8'),
    appCertPem,
    appThumbprintSha256: new X509Certificate(appCertPem).fingerprint256.replace(/:/g, '').toLowerCase(),
  };
}
