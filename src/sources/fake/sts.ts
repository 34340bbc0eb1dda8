// The fake token service: OpenID metadata and the v2 token endpoint for the client-credentials grant, checking
// the client secret or the certificate assertion (x5t#S256 thumbprint, PS256/RS256 signature) the way Entra ID
// does, and issuing RS256 access tokens whose `roles` are the app roles granted on the requested resource.
import { X509Certificate, constants, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { ServerName } from './faults.js';

export interface FakeApp {
  clientId: string;
  /** accepted client secret */
  secret?: string;
  /** registered certificate (PEM) for certificate credentials */
  certPem?: string;
  /** app roles granted per resource */
  roles: { graph: string[]; management: string[]; exchange: string[] };
}

export type ResourceServer = Exclude<ServerName, 'authority'>;

export interface TokenReply {
  status: number;
  body: unknown;
}

export interface IssuedClaims {
  aud: string;
  tid: string;
  appid: string;
  roles: string[];
  exp: number;
  iat: number;
  seq: number;
}

const b64u = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export class FakeSts {
  private readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private seq = 0;
  /** tokens with seq <= revokedUpTo are rejected (the expire-token fault) */
  revokedUpTo = 0;
  issued = 0;
  /** every access token handed out (tests check none of them leaks into logs or files) */
  readonly issuedTokens: string[] = [];

  constructor(
    private readonly tenantId: string,
    private readonly app: FakeApp,
    private readonly clock: Clock,
    /** origin per resource server, e.g. graph -> https://127.0.0.1:4431 */
    private readonly origins: () => Record<ServerName, string>,
    private readonly lifetimeMs = 3_600_000,
  ) {}

  metadata(tenant: string): unknown {
    const base = `${this.origins().authority}/${tenant}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${this.origins().authority}/${tenant}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat'],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
    };
  }

  private aadError(status: number, code: number, error: string, description: string): TokenReply {
    return { status, body: { error, error_description: `AADSTS${code}: ${description}`, error_codes: [code], timestamp: new Date(this.clock.now()).toISOString(), trace_id: randomUUID(), correlation_id: randomUUID() } };
  }

  token(tenant: string, form: URLSearchParams, tokenEndpoint: string): TokenReply {
    if (tenant.toLowerCase() !== this.tenantId.toLowerCase()) return this.aadError(400, 90002, 'invalid_request', `Tenant '${tenant}' not found.`);
    if (form.get('grant_type') !== 'client_credentials') return this.aadError(400, 70003, 'unsupported_grant_type', 'The app requested an unsupported grant type.');
    if (form.get('client_id') !== this.app.clientId) return this.aadError(400, 700016, 'unauthorized_client', `Application with identifier '${form.get('client_id')}' was not found in the directory.`);
    const scope = form.get('scope') ?? '';
    const resource = (Object.entries(this.origins()) as [ServerName, string][]).find(([k, o]) => k !== 'authority' && scope.split(' ').includes(`${o}/.default`))?.[0] as ResourceServer | undefined;
    if (!resource) return this.aadError(400, 500011, 'invalid_resource', `The resource principal named ${scope} was not found in the tenant.`);
    const assertion = form.get('client_assertion');
    const secret = form.get('client_secret');
    if (assertion) {
      const why = this.checkAssertion(assertion, tokenEndpoint);
      if (why) return this.aadError(401, 700027, 'invalid_client', `Client assertion failed signature validation. ${why}`);
    } else if (secret !== null) {
      if (!this.app.secret || secret !== this.app.secret) return this.aadError(401, 7000215, 'invalid_client', 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
    } else return this.aadError(401, 7000218, 'invalid_client', "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    const now = Math.floor(this.clock.now() / 1000);
    const exp = now + Math.floor(this.lifetimeMs / 1000);
    const claims: IssuedClaims = { aud: this.origins()[resource], tid: this.tenantId, appid: this.app.clientId, roles: this.app.roles[resource], iat: now, exp, seq: ++this.seq };
    const head = b64u({ typ: 'JWT', alg: 'RS256', kid: 'fake' });
    const body = b64u({ ...claims, iss: `https://sts.windows.net/${this.tenantId}/`, nbf: now, oid: randomUUID(), idtyp: 'app', ver: '1.0' });
    const sig = sign('sha256', Buffer.from(`${head}.${body}`), this.key.privateKey).toString('base64url');
    this.issued++;
    const accessToken = `${head}.${body}.${sig}`;
    this.issuedTokens.push(accessToken);
    return { status: 200, body: { token_type: 'Bearer', expires_in: Math.floor(this.lifetimeMs / 1000), ext_expires_in: Math.floor(this.lifetimeMs / 1000), access_token: accessToken } };
  }

  /** A reason the assertion is bad, or undefined when it is good. Its times are checked against the wall clock
   *  (MSAL signs with Date.now()), not the injected clock. */
  private checkAssertion(jwt: string, tokenEndpoint: string): string | undefined {
    if (!this.app.certPem) return 'No certificate is registered for this application.';
    const [h, p, s] = jwt.split('.');
    if (!h || !p || !s) return 'The assertion is not a JWT.';
    let header: Record<string, unknown>;
    let payload: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>;
      payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    } catch {
      return 'The assertion is not a JWT.';
    }
    const cert = new X509Certificate(this.app.certPem);
    const thumbHex = cert.fingerprint256.replace(/:/g, '').toLowerCase();
    const x5tS256 = typeof header['x5t#S256'] === 'string' ? Buffer.from(header['x5t#S256'], 'base64url').toString('hex') : undefined;
    if (x5tS256 !== thumbHex) return `Key was not found (x5t#S256 ${x5tS256 ?? 'missing'}).`;
    const key: KeyObject = createPublicKey(cert.publicKey.export({ format: 'pem', type: 'spki' }));
    const data = Buffer.from(`${h}.${p}`);
    const sig = Buffer.from(s, 'base64url');
    const ok =
      header.alg === 'PS256'
        ? verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, sig)
        : header.alg === 'RS256'
          ? verify('sha256', data, key, sig)
          : false;
    if (!ok) return `Signature (${String(header.alg)}) does not verify.`;
    if (payload.aud !== tokenEndpoint) return `Audience ${String(payload.aud)} is not the token endpoint.`;
    if (payload.iss !== this.app.clientId || payload.sub !== this.app.clientId) return 'iss/sub must be the client id.';
    if (typeof payload.exp !== 'number' || payload.exp * 1000 < Date.now() - 300_000) return 'The assertion has expired.';
    return undefined;
  }

  /** Check a bearer token for a resource server; returns its claims or a Graph-style 401 reason. */
  validate(authorization: string | undefined, server: ResourceServer): { claims: IssuedClaims } | { code: string; message: string } {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' };
    const [h, p, s] = m[1]!.split('.');
    if (!h || !p || !s || !verify('sha256', Buffer.from(`${h}.${p}`), this.key.publicKey, Buffer.from(s, 'base64url'))) {
      return { code: 'InvalidAuthenticationToken', message: 'Access token validation failure. Invalid audience or signature.' };
    }
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as IssuedClaims;
    if (claims.aud !== this.origins()[server]) return { code: 'InvalidAuthenticationToken', message: 'Access token validation failure. Invalid audience.' };
    if (claims.exp * 1000 <= this.clock.now() || claims.seq <= this.revokedUpTo) return { code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' };
    return { claims };
  }

  /** every token issued so far stops working */
  revokeAll(): void {
    this.revokedUpTo = this.seq;
  }
}
