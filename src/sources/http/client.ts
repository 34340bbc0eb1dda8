// Calls to Microsoft APIs with the rules every collector must follow: a bearer token per resource, Retry-After on
// 429 (and on the Management API's AF429, which arrives as a 403), exponential back-off on 5xx, network errors,
// timeouts and truncated JSON, one forced token refresh on 401, and a bounded number of attempts — never an
// endless loop. Waiting uses the injected clock, so tests spend no real time in back-off.
import type { ResourceName } from '../auth/clouds.js';
import type { Logger } from '../auth/redact.js';
import type { TokenProvider } from '../auth/token.js';
import type { Clock } from '../clock.js';
import { NetworkError, type HttpResponse, type Transport } from './transport.js';

export interface ApiRequest {
  resource: ResourceName;
  method?: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  url: string;
  headers?: Record<string, string>;
  /** JSON-serialised as the request body */
  body?: unknown;
  /** statuses the caller handles itself: returned instead of thrown (e.g. 403/404 in preflight probes) */
  accept?: number[];
  /** attempts for this request (default: the client's) */
  maxAttempts?: number;
  /** give up after this many server-side failures (5xx, network, timeouts, cut-off bodies) even with attempts
   *  left — throttling does not count; used where a failing request is better answered by asking for less */
  maxServerErrors?: number;
  signal?: AbortSignal;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** parsed JSON body (undefined for an empty body) */
  body: unknown;
  text: string;
}

/** Microsoft's error body: {"error":{"code","message"}} (Graph, Management API, Exchange admin API). */
export function errorOf(text: string): { code?: string; message?: string } {
  try {
    const v = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } | string; error_description?: unknown };
    if (v && typeof v.error === 'object' && v.error) {
      return { code: typeof v.error.code === 'string' ? v.error.code : undefined, message: typeof v.error.message === 'string' ? v.error.message : undefined };
    }
    if (v && typeof v.error === 'string') return { code: v.error, message: typeof v.error_description === 'string' ? v.error_description : undefined };
  } catch {
    /* not JSON */
  }
  return {};
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    /** the request could succeed later (throttling, 5xx, network); false = fix something first */
    readonly transient: boolean,
    /** the parsed error body, when Microsoft sent one */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ClientStats {
  requests: number;
  throttled: number;
  retries: number;
  tokenRefreshes: number;
  bytes: number;
  /** requests per HTTP status (0 = no response) */
  statuses: Record<string, number>;
}

export interface ApiClientOptions {
  transport: Transport;
  tokens: TokenProvider;
  clock: Clock;
  logger: Logger;
  maxAttempts?: number;
  timeoutMs?: number;
  /** longest wait honoured from Retry-After (ms) */
  maxRetryAfterMs?: number;
  /** back-off: base * 2^(attempt-1), capped */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  random?: () => number;
  userAgent?: string;
  /** the only origin each resource's token is sent to (nextLink / NextPageUri / contentUri are checked) */
  origins?: Partial<Record<ResourceName, string>>;
}

const RETRY_STATUS = new Set([500, 502, 503, 504]);

export class ApiClient {
  readonly stats: ClientStats = { requests: 0, throttled: 0, retries: 0, tokenRefreshes: 0, bytes: 0, statuses: {} };
  constructor(private readonly o: ApiClientOptions) {}

  get clock(): Clock {
    return this.o.clock;
  }
  get logger(): Logger {
    return this.o.logger;
  }

  async request(req: ApiRequest): Promise<ApiResponse> {
    const max = req.maxAttempts ?? this.o.maxAttempts ?? 8;
    const method = req.method ?? 'GET';
    const what = `${method} ${shortUrl(req.url)}`;
    const origin = this.o.origins?.[req.resource];
    if (origin !== undefined && originOf(req.url) !== originOf(origin)) {
      throw new ApiError(`${what}: refusing to send the ${req.resource} token to ${originOf(req.url) ?? 'an invalid URL'} (expected ${originOf(origin)})`, undefined, 'foreign-origin', false);
    }
    let refresh = false;
    let refreshes = 0;
    let last = '';
    let serverErrors = 0;
    const serverError = (): boolean => ++serverErrors >= (req.maxServerErrors ?? Infinity);
    const giveUp = () => new ApiError(`${what}: gave up after ${serverErrors} server error(s) (last: ${last})`, undefined, 'server-errors', true);
    for (let attempt = 1; attempt <= max; attempt++) {
      if (req.signal?.aborted) throw new ApiError(`${what}: aborted`, undefined, 'aborted', false);
      const token = await this.o.tokens.getToken(req.resource, { forceRefresh: refresh, signal: req.signal });
      refresh = false;
      const headers: Record<string, string> = {
        authorization: `Bearer ${token.token}`,
        accept: 'application/json',
        'user-agent': this.o.userAgent ?? 'tenantwatch',
        ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...req.headers,
      };
      let res: HttpResponse;
      this.stats.requests++;
      try {
        res = await this.o.transport({ method, url: req.url, headers, body: req.body !== undefined ? JSON.stringify(req.body) : undefined, signal: req.signal, timeoutMs: this.o.timeoutMs });
      } catch (e) {
        this.count(0);
        if (e instanceof NetworkError && e.code === 'aborted') throw new ApiError(`${what}: aborted`, undefined, 'aborted', false);
        if (!(e instanceof NetworkError)) throw e;
        last = e.message;
        if (serverError()) throw giveUp();
        await this.wait(attempt, max, undefined, `${what}: ${e.message}`, req.signal);
        continue;
      }
      this.count(res.status);
      this.stats.bytes += res.body.length;
      const err = res.status >= 400 ? errorOf(res.body) : {};
      if (res.status === 401 && !req.accept?.includes(401)) {
        // expired or revoked token: one fresh token, immediately (MSAL's cache may still think it is valid)
        if (refreshes < 2) {
          refreshes++;
          refresh = true;
          this.stats.tokenRefreshes++;
          this.o.logger.debug(`${what}: 401 ${err.code ?? ''} — getting a fresh token`);
          attempt--; // a refresh is not a failed attempt
          continue;
        }
        throw new ApiError(`${what}: HTTP 401 ${err.code ?? ''} ${err.message ?? ''} (even with a fresh token)`.trim(), 401, err.code, false, safeJson(res.body));
      }
      const throttled = res.status === 429 || (res.status === 403 && err.code === 'AF429');
      if (throttled || RETRY_STATUS.has(res.status) || err.code === 'AF50000') {
        last = `HTTP ${res.status}${err.code ? ` ${err.code}` : ''}${err.message ? `: ${err.message}` : ''}`;
        if (throttled) this.stats.throttled++;
        else if (serverError()) throw giveUp();
        await this.wait(attempt, max, retryAfterMs(res.headers, this.o.clock.now()), `${what}: ${last}`, req.signal);
        continue;
      }
      if (res.status >= 400 && !req.accept?.includes(res.status)) {
        throw new ApiError(`${what}: HTTP ${res.status}${err.code ? ` ${err.code}` : ''}${err.message ? `: ${err.message}` : ''}`, res.status, err.code, false, safeJson(res.body));
      }
      let body: unknown;
      if (res.body.trim() !== '') {
        try {
          body = JSON.parse(res.body);
        } catch {
          // a 200 with a cut-off body: the same request again gets the whole page
          last = `HTTP ${res.status} with a body that is not complete JSON (${res.body.length} chars)`;
          if (serverError()) throw giveUp();
          await this.wait(attempt, max, undefined, `${what}: ${last}`, req.signal);
          continue;
        }
      }
      return { status: res.status, headers: res.headers, body, text: res.body };
    }
    throw new ApiError(`${what}: gave up after ${max} attempts (last: ${last})`, undefined, 'retries-exhausted', true);
  }

  private count(status: number): void {
    const k = String(status);
    this.stats.statuses[k] = (this.stats.statuses[k] ?? 0) + 1;
  }

  private async wait(attempt: number, max: number, retryAfter: number | undefined, why: string, signal?: AbortSignal): Promise<void> {
    if (attempt >= max) return;
    this.stats.retries++;
    const base = this.o.backoffBaseMs ?? 1000;
    const cap = this.o.backoffCapMs ?? 60_000;
    const exp = Math.min(cap, base * 2 ** (attempt - 1));
    const backoff = exp / 2 + (this.o.random ?? Math.random)() * (exp / 2);
    const ms = retryAfter !== undefined ? Math.min(retryAfter, this.o.maxRetryAfterMs ?? 600_000) : backoff;
    this.o.logger.debug(`${why} — retry ${attempt}/${max - 1} in ${Math.round(ms / 100) / 10} s${retryAfter !== undefined ? ' (Retry-After)' : ''}`);
    await this.o.clock.sleep(ms, signal);
  }
}

/** Retry-After: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function retryAfterMs(headers: Record<string, string>, now: number): number | undefined {
  const v = headers['retry-after'];
  if (v === undefined) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.max(0, Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return undefined;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** URL for messages: host + path, query cut to keep lines short (skip tokens are long and not useful). */
export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    const q = u.search.length > 80 ? `${u.search.slice(0, 80)}…` : u.search;
    let d = q;
    try {
      d = decodeURIComponent(q);
    } catch {
      /* keep it encoded */
    }
    return `${u.host}${u.pathname}${d}`;
  } catch {
    return url.slice(0, 120);
  }
}
