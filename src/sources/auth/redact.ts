// Secrets never reach a log line, an error message or a file. Everything the collector prints about auth and
// HTTP goes through a Redactor: it knows the exact secret values it was given (client secret, key passphrase,
// private key, tokens as they are issued) and also masks anything that looks like a credential (bearer tokens,
// JWTs, PEM private keys, client_secret= / client_assertion= form fields, access_token JSON fields).

import { safeTerminal } from '../../core/text.js';

export const REDACTED = '[REDACTED]';

const PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, // JWT (header.payload.signature)
  /\b(client_secret|client_assertion|assertion|access_token|refresh_token|password)=([^&\s"']+)/gi,
  /"(client_secret|client_assertion|access_token|refresh_token|id_token)"\s*:\s*"[^"]*"/gi,
];

export class Redactor {
  private readonly values = new Set<string>();

  /** Remember an exact secret value (ignored when too short to be a secret worth masking). */
  add(secret: string | undefined): void {
    if (!secret) return;
    const s = secret.trim();
    if (s.length >= 6) this.values.add(s);
    // a PEM key is also masked line by line, in case a message wraps it differently
    if (s.includes('\n')) for (const line of s.split(/\r?\n/)) if (line.length >= 16 && !line.startsWith('-----')) this.values.add(line);
  }

  redact(text: string): string {
    let out = text;
    // longest first, so a secret containing another secret is masked whole
    for (const v of [...this.values].sort((a, b) => b.length - a.length)) if (out.includes(v)) out = out.split(v).join(REDACTED);
    for (const re of PATTERNS) {
      out = out.replace(re, (m, name: string | undefined) => {
        if (m.startsWith('"') && name) return `"${name}":"${REDACTED}"`;
        if (name && m.includes('=')) return `${name}=${REDACTED}`;
        if (/^Bearer/i.test(m)) return `Bearer ${REDACTED}`;
        return REDACTED;
      });
    }
    return out;
  }

  /** An Error safe to show: same class name, redacted message, no stack details carrying secrets. */
  error(e: unknown): Error {
    const err = e instanceof Error ? e : new Error(String(e));
    const safe = new Error(this.redact(err.message));
    safe.name = err.name;
    return safe;
  }
}

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {} };

/** Wrap a logger so every line passes through the redactor first. */
export function redactingLogger(inner: Logger, r: Redactor): Logger {
  return {
    debug: (m) => inner.debug(r.redact(m)),
    info: (m) => inner.info(r.redact(m)),
    warn: (m) => inner.warn(r.redact(m)),
  };
}

/**
 * A logger writing "tenantwatch: level: message" lines to a stream (stderr in the CLI). Messages quote log data
 * (a quarantined record's keys, an API's error text): control and bidi characters are shown as escapes.
 */
export function streamLogger(write: (s: string) => void, opts: { debug?: boolean } = {}): Logger {
  const line = (m: string) => safeTerminal(m, 8000);
  return {
    debug: (m) => {
      if (opts.debug) write(`tenantwatch: debug: ${line(m)}\n`);
    },
    info: (m) => write(`tenantwatch: ${line(m)}\n`),
    warn: (m) => write(`tenantwatch: warning: ${line(m)}\n`),
  };
}
