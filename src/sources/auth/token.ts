// Access tokens per resource. Collectors ask a TokenProvider; the real one is MSAL (msal.ts). Token claims are
// decoded (not verified: the token came straight from the token endpoint over TLS) for `preflight`'s roles check.
import type { ResourceName } from './clouds.js';

export interface AccessToken {
  token: string;
  /** epoch ms when the token stops working, when known */
  expiresOn?: number;
}

export interface TokenProvider {
  /** `forceRefresh`: the API rejected the cached token (expired or revoked); get a fresh one */
  getToken(resource: ResourceName, opts?: { forceRefresh?: boolean; signal?: AbortSignal }): Promise<AccessToken>;
}

/** Authentication failed: wrong app id, credential not registered, tenant unknown. Exit 2 (fix the config). */
export class AuthError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export interface TokenClaims {
  roles?: string[];
  tid?: string;
  appid?: string;
  azp?: string;
  aud?: string;
  exp?: number;
  [k: string]: unknown;
}

/** The payload of a JWT (base64url JSON in the middle part); undefined when it is not a JWT. */
export function decodeJwtClaims(token: string): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length < 2) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as TokenClaims) : undefined;
  } catch {
    return undefined;
  }
}

/** Hints for the AADSTS errors a collector app meets in practice. */
export function aadstsHint(message: string): string | undefined {
  const code = /AADSTS(\d+)/.exec(message)?.[1];
  switch (code) {
    case '700016':
      return 'the application (client) id is not registered in this tenant: check tenant.clientId and tenant.id';
    case '7000215':
      return 'the client secret is wrong: use the secret VALUE (shown once when created), not its secret ID';
    case '7000222':
      return 'the client secret has expired: create a new one';
    case '700027':
      return 'the certificate is not registered on the app (upload the public certificate under Certificates & secrets), or the thumbprint is wrong';
    case '90002':
    case '900023':
      return 'the tenant id is wrong or belongs to another cloud (tenant.cloud)';
    case '7000112':
      return 'the application is disabled in this tenant';
    case '500011':
      return 'the resource is not available in this tenant (no Exchange Online or Office 365 licence?)';
    default:
      return undefined;
  }
}
