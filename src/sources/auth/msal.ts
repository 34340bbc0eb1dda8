// MSAL Node client-credentials token provider: one ConfidentialClientApplication (and so one token cache) per
// resource — Graph, Management API, Exchange admin API. MSAL's HTTP goes through our Transport via
// `system.networkClient`, so it honours the configured extra CA and can be pointed at the local fake service;
// a non-Microsoft authority host (the fake, an ADFS-like proxy) is trusted through `knownAuthorities`.
import { ConfidentialClientApplication, LogLevel, type Configuration, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import type { Clock } from '../clock.js';
import { retryAfterMs } from '../http/client.js';
import { NetworkError, type HttpResponse, type Transport } from '../http/transport.js';
import { MICROSOFT_LOGIN_HOSTS, scopeFor, type CloudEndpoints, type ResourceName } from './clouds.js';
import type { AppCredential } from './credentials.js';
import type { Logger, Redactor } from './redact.js';
import { aadstsHint, AuthError, type AccessToken, type TokenProvider } from './token.js';

export interface MsalProviderOptions {
  tenantId: string;
  clientId: string;
  credential: AppCredential;
  endpoints: CloudEndpoints;
  transport: Transport;
  redactor: Redactor;
  logger: Logger;
  /** real-time budget for one token-endpoint call */
  timeoutMs?: number;
  /** waits between retries of the token endpoint */
  clock?: Clock;
}

/**
 * MSAL's INetworkModule over our Transport. Bodies are JSON (metadata documents and token responses).
 * Transient failures of the token service (network errors, 429, 5xx) are retried here, with back-off on the
 * injected clock, before MSAL sees them: MSAL answers a 429/5xx by refusing every token request for the next 60
 * wall-clock seconds (its throttling cache), which would fail whole sources over one bad response.
 */
export function networkClientFor(transport: Transport, timeoutMs = 30_000, clock?: Clock, attempts = 4): INetworkModule {
  const once = async (method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<HttpResponse> => {
    for (let i = 1; ; i++) {
      let res: HttpResponse | undefined;
      let err: unknown;
      try {
        res = await transport({ method, url, headers: options?.headers ?? {}, body: options?.body, timeoutMs: timeout ?? timeoutMs });
      } catch (e) {
        if (!(e instanceof NetworkError) || e.code === 'aborted') throw e;
        err = e;
      }
      const transient = !res || res.status === 429 || res.status >= 500;
      if (!transient || i >= attempts || !clock) {
        if (res) return res;
        throw err;
      }
      const wait = (res && retryAfterMs(res.headers, clock.now())) ?? 1000 * 2 ** (i - 1);
      await clock.sleep(Math.min(wait, 60_000));
    }
  };
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
    const res = await once(method, url, options, timeout);
    let body: unknown;
    try {
      body = res.body ? JSON.parse(res.body) : {};
    } catch {
      // MSAL reads error/error_description from the body; a non-JSON body (proxy page) becomes a readable error
      body = { error: 'invalid_response', error_description: `non-JSON response (HTTP ${res.status}) from ${new URL(url).host}` };
    }
    return { status: res.status, headers: res.headers, body: body as T };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

export class MsalTokenProvider implements TokenProvider {
  private readonly apps = new Map<ResourceName, ConfidentialClientApplication>();

  constructor(private readonly o: MsalProviderOptions) {}

  private app(resource: ResourceName): ConfidentialClientApplication {
    let app = this.apps.get(resource);
    if (app) return app;
    const { o } = this;
    const authorityUrl = new URL(o.endpoints.authority);
    const known = MICROSOFT_LOGIN_HOSTS.has(authorityUrl.hostname.toLowerCase()) ? [] : [authorityUrl.host];
    const cred = o.credential;
    const config: Configuration = {
      auth: {
        clientId: o.clientId,
        authority: `${o.endpoints.authority}/${o.tenantId}`,
        ...(known.length ? { knownAuthorities: known } : {}),
        ...(cred.kind === 'certificate'
          ? { clientCertificate: { thumbprintSha256: cred.thumbprintSha256, privateKey: cred.privateKeyPem, ...(cred.x5c ? { x5c: cred.x5c } : {}) } }
          : { clientSecret: cred.secret }),
      },
      system: {
        networkClient: networkClientFor(o.transport, o.timeoutMs, o.clock),
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Error,
          loggerCallback: (level, message) => {
            if (level <= LogLevel.Error) o.logger.debug(`msal: ${o.redactor.redact(message)}`);
          },
        },
      },
    };
    app = new ConfidentialClientApplication(config);
    this.apps.set(resource, app);
    return app;
  }

  async getToken(resource: ResourceName, opts: { forceRefresh?: boolean } = {}): Promise<AccessToken> {
    const scope = scopeFor(this.o.endpoints, resource);
    let result;
    try {
      result = await this.app(resource).acquireTokenByClientCredential({ scopes: [scope], skipCache: Boolean(opts.forceRefresh) });
    } catch (e) {
      const code = (e as { errorCode?: string }).errorCode;
      const msg = this.o.redactor.redact(((e as Error).message || code || (e as Error).name || String(e)).split('\n')[0]!);
      const hint = aadstsHint(msg);
      throw new AuthError(`cannot get a token for ${scope}: ${msg}${hint ? ` — ${hint}` : ''}`, code);
    }
    if (!result?.accessToken) throw new AuthError(`cannot get a token for ${scope}: the token endpoint returned no access token`);
    this.o.redactor.add(result.accessToken);
    return { token: result.accessToken, ...(result.expiresOn ? { expiresOn: result.expiresOn.getTime() } : {}) };
  }
}
