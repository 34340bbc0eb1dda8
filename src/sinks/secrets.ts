// Sink secrets (webhook URLs, HMAC keys) from an environment variable or a file, like the collector's client
// secret: a file must not be readable by every user, and every value goes to the Redactor at once, so a log line
// or an error that somehow carries it shows [REDACTED]. A URL is registered whole and by its path and query too
// (a Slack URL's credential is its path, a Teams Workflows URL's is its `sig` query parameter).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SecretRef } from '../config/watch.js';
import { checkPrivateFile, CredentialError } from '../sources/auth/credentials.js';
import type { Redactor } from '../sources/auth/redact.js';

export interface SecretContext {
  env: NodeJS.ProcessEnv;
  /** relative file paths are relative to the config file's folder */
  baseDir: string;
  redactor: Redactor;
}

/** The secret's value. `what` names it in errors ("sinks[0] (teams) url"); the value never appears in one. */
export async function readSecret(ref: SecretRef, what: string, ctx: SecretContext): Promise<string> {
  let v: string;
  if (ref.env) {
    const raw = ctx.env[ref.env];
    if (raw === undefined || raw.trim() === '') throw new CredentialError(`${what}: the environment variable ${ref.env} is not set or empty`);
    v = raw.trim();
  } else if (ref.file) {
    const p = path.resolve(ctx.baseDir, ref.file);
    await checkPrivateFile(p, what, process.platform);
    v = (await readFile(p, 'utf8')).trim();
    if (!v) throw new CredentialError(`${what}: ${ref.file} is empty`);
    if (v.includes('\n')) {
      ctx.redactor.add(v);
      throw new CredentialError(`${what}: ${ref.file} holds several lines; it must hold only the value`);
    }
  } else throw new CredentialError(`${what}: give { env: VARIABLE } or { file: PATH }`);
  registerSecret(v, ctx.redactor);
  return v;
}

/** Mask the value and, for a URL, the parts of it that are the credential. */
export function registerSecret(v: string, redactor: Redactor): void {
  redactor.add(v);
  try {
    const u = new URL(v);
    redactor.add(u.pathname + u.search);
    if (u.search.length > 1) redactor.add(u.search.slice(1));
    // credential-like parameters alone (not api-version=2016-06-01, which would mask dates everywhere)
    for (const [k, value] of u.searchParams) if (/sig|token|key|secret|code|auth|pass/i.test(k)) redactor.add(value);
  } catch {
    /* not a URL: the value itself is masked */
  }
}

/** Where a secret comes from, for messages: "$TW_TEAMS_URL" or "the file /etc/tenantwatch/teams-url". */
export const secretSource = (ref: SecretRef): string => (ref.env ? `$${ref.env}` : `the file ${ref.file}`);
