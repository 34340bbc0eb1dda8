// The collector app's credential: a certificate (private key PEM + SHA-256 thumbprint; preferred) or a client secret
// read from an environment variable or a file. Files holding secrets must not be readable by every user on the
// machine. Nothing here logs or returns the secret in a message; every value is handed to the Redactor.
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TenantConfig } from '../../config/collect.js';
import { UsageError } from '../../core/errors.js';
import type { Redactor } from './redact.js';

export type AppCredential =
  | { kind: 'certificate'; privateKeyPem: string; thumbprintSha256: string; x5c?: string; notAfter?: number; subject?: string }
  | { kind: 'secret'; secret: string };

/** A credential that cannot be loaded: bad file, wrong mode, missing variable. Exit 2 (a config problem). */
export class CredentialError extends UsageError {}

/** Refuse a secret-bearing file that every user can read (mode & 0o004). Windows has no such mode bits. */
export async function checkPrivateFile(file: string, what: string, platform = process.platform): Promise<void> {
  let st;
  try {
    st = await stat(file);
  } catch (e) {
    // the path is not shown: a file that cannot be read may be the secret itself, pasted where its path belongs
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new CredentialError(`${what}: cannot read the file it names (${code}); check that path in the config (it names a file holding the value, never the value itself)`);
  }
  if (!st.isFile()) throw new CredentialError(`${what} ${file}: not a regular file`);
  if (platform !== 'win32' && (st.mode & 0o004) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(3, '0');
    throw new CredentialError(`${what} ${file} is readable by every user on this machine (mode ${mode}); restrict it first: chmod 600 ${file}`);
  }
}

async function readPrivate(file: string, what: string, baseDir: string): Promise<string> {
  const p = path.resolve(baseDir, file);
  await checkPrivateFile(p, what);
  return readFile(p, 'utf8');
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export interface LoadOptions {
  env: NodeJS.ProcessEnv;
  /** relative paths in the config are relative to the config file's folder */
  baseDir: string;
  redactor: Redactor;
  now: number;
}

export async function loadCredential(t: TenantConfig, o: LoadOptions): Promise<AppCredential> {
  if (t.certificate) return loadCertificate(t.certificate, o);
  if (t.secret?.env) {
    const v = o.env[t.secret.env];
    if (v === undefined || v.trim() === '') throw new CredentialError(`tenant.secret.env: the environment variable ${t.secret.env} is not set or empty`);
    o.redactor.add(v);
    return { kind: 'secret', secret: v.trim() };
  }
  if (t.secret?.file) {
    const v = (await readPrivate(t.secret.file, 'tenant.secret.file', o.baseDir)).trim();
    o.redactor.add(v);
    if (!v) throw new CredentialError(`tenant.secret.file ${t.secret.file} is empty`);
    if (v.includes('\n')) throw new CredentialError(`tenant.secret.file ${t.secret.file} holds several lines; it must hold only the secret value`);
    return { kind: 'secret', secret: v };
  }
  throw new CredentialError('tenant: no certificate and no secret configured');
}

async function loadCertificate(c: NonNullable<TenantConfig['certificate']>, o: LoadOptions): Promise<AppCredential> {
  const keyText = await readPrivate(c.keyFile, 'tenant.certificate.keyFile', o.baseDir);
  o.redactor.add(keyText);
  const passphrase = c.passphraseEnv ? o.env[c.passphraseEnv] : undefined;
  if (c.passphraseEnv && !passphrase) throw new CredentialError(`tenant.certificate.passphraseEnv: the environment variable ${c.passphraseEnv} is not set or empty`);
  o.redactor.add(passphrase);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: keyText, format: 'pem', ...(passphrase ? { passphrase } : {}) });
  } catch (e) {
    const encrypted = /ENCRYPTED/.test(keyText) || /decrypt/i.test((e as Error).message);
    const hint = encrypted
      ? passphrase
        ? ' (wrong passphrase?)'
        : ' (the key is encrypted: set tenant.certificate.passphraseEnv)'
      : ' (expected a PEM private key: -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)';
    throw new CredentialError(`tenant.certificate.keyFile ${c.keyFile}: cannot read the private key${hint}`);
  }
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss')
    throw new CredentialError(`tenant.certificate.keyFile ${c.keyFile}: Entra ID app certificates must be RSA keys, this one is ${key.asymmetricKeyType ?? 'unknown'}`);
  // MSAL signs with this text: unencrypted PKCS#8 PEM
  const privateKeyPem = key.export({ format: 'pem', type: 'pkcs8' }).toString();
  o.redactor.add(privateKeyPem);

  // the certificate: its own file, or a block in the key file (az ad sp create-for-rbac --create-cert writes both)
  let certPem: string | undefined;
  if (c.certFile) {
    try {
      certPem = await readFile(path.resolve(o.baseDir, c.certFile), 'utf8');
    } catch (e) {
      throw new CredentialError(`tenant.certificate.certFile ${c.certFile}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  } else if (PEM_CERT.test(keyText)) certPem = keyText;
  PEM_CERT.lastIndex = 0;

  let thumbprintSha256 = c.thumbprintSha256;
  let x5c: string | undefined;
  let notAfter: number | undefined;
  let subject: string | undefined;
  if (certPem) {
    const blocks = certPem.match(PEM_CERT) ?? [];
    if (blocks.length === 0) throw new CredentialError(`tenant.certificate.certFile ${c.certFile}: no PEM certificate (-----BEGIN CERTIFICATE-----) in it`);
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(blocks[0]!);
    } catch {
      throw new CredentialError(`tenant.certificate.certFile ${c.certFile}: the first certificate cannot be parsed`);
    }
    const fromCert = cert.fingerprint256.replace(/:/g, '').toLowerCase();
    if (thumbprintSha256 && thumbprintSha256 !== fromCert)
      throw new CredentialError(`tenant.certificate: thumbprintSha256 ${thumbprintSha256} does not match certFile (its SHA-256 thumbprint is ${fromCert})`);
    thumbprintSha256 = fromCert;
    const pub = createPublicKey(key).export({ format: 'der', type: 'spki' });
    if (!cert.publicKey.export({ format: 'der', type: 'spki' }).equals(pub)) throw new CredentialError('tenant.certificate: the certificate does not belong to the private key (their public keys differ)');
    notAfter = Date.parse(cert.validTo);
    subject = cert.subject.replace(/\n/g, ', ');
    if (Number.isFinite(notAfter) && notAfter < o.now) throw new CredentialError(`tenant.certificate: the certificate (${subject}) expired on ${new Date(notAfter).toISOString()}; upload a new one to the app registration`);
    if (c.sendX5c) x5c = blocks.join('\n');
  }
  if (!thumbprintSha256) throw new CredentialError('tenant.certificate: no thumbprint (give certFile or thumbprintSha256)');
  return { kind: 'certificate', privateKeyPem, thumbprintSha256, ...(x5c ? { x5c } : {}), ...(notAfter ? { notAfter } : {}), ...(subject ? { subject } : {}) };
}
