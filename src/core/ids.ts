// Stable identifiers: the same input always yields the same id, across runs and machines.
import { createHash } from 'node:crypto';

/** Short stable hash (base64url of SHA-256, 16 chars = 96 bits) of the given parts. */
export function stableId(...parts: (string | number | undefined)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(String(p ?? '')).update('\u0000');
  return h.digest('base64url').slice(0, 16);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GUID in 8-4-4-4-12 hex form, either case, nothing around it. */
export const isGuid = (s: string | undefined): s is string => !!s && GUID.test(s);

/** A GUID as a cmdlet's -Identity may give it: bare or in braces. */
export const isGuidIdentity = (s: string | undefined): boolean => isGuid(s?.replace(/^\{|\}$/g, ''));

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** 8-4-4-4-12 hex digits (either case) at `at` in `s`; character tests, since this runs several times per record. */
export function isGuidAt(s: string, at = 0): boolean {
  if (s.length < at + 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(at + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/**
 * A session or correlation id as events carry it (Event.session.id / correlationId): a GUID (Entra `sessionId`,
 * `correlationId`, UAL `AppAccessContext.AADSessionId`, `SessionId`, `InterSystemsId`) in lower case without
 * braces, so sign-ins and UAL records join whatever case each export wrote; anything else trimmed and kept as
 * written. Not for token ids: `uniqueTokenIdentifier` / `UniqueTokenId` are base64url, and case-sensitive.
 */
export function sessionIdOf(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (s === '' || s === '<null>') return undefined;
  if (s.length === 36 && isGuidAt(s)) return s.toLowerCase();
  if (s.length === 38 && s.charCodeAt(0) === 123 && s.charCodeAt(37) === 125 && isGuidAt(s, 1)) return s.slice(1, 37).toLowerCase();
  return s;
}
