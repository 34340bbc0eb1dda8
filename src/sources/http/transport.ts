// The one place collectors touch the network: an HTTPS request with a real-time timeout and an abort signal,
// returning the whole body as text. Injectable (`Transport`) so tests and `watch` can swap it; the default is
// node:https with an optional extra CA bundle (TLS-inspecting proxies; the local fake service in tests).
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** real-time budget for the whole exchange (connect + response body) */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  /** lower-case header names */
  headers: Record<string, string>;
  body: string;
}

export type Transport = (req: HttpRequest) => Promise<HttpResponse>;

/** A network-level failure (no usable HTTP response): retryable. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly code: 'timeout' | 'reset' | 'connect' | 'aborted' | 'too-large' | 'other',
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

export interface HttpsTransportOptions {
  /** extra trusted CA certificates (PEM), added to Node's default roots */
  ca?: string;
  /** refuse bodies larger than this (bytes, after decompression); default 512 MB */
  maxBodyBytes?: number;
  /** default per-request timeout when the request has none; default 120 s */
  timeoutMs?: number;
}

export function httpsTransport(opts: HttpsTransportOptions = {}): Transport {
  const maxBody = opts.maxBodyBytes ?? 512 * 1024 * 1024;
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 8,
    // Node replaces its default roots when `ca` is given: keep them and add the extra bundle
    ...(opts.ca ? { ca: [...rootCertificates, opts.ca] } : {}),
  });
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  return (req) =>
    new Promise<HttpResponse>((resolve, reject) => {
      const url = new URL(req.url);
      const isHttps = url.protocol === 'https:';
      if (!isHttps && url.protocol !== 'http:') return reject(new NetworkError(`unsupported URL scheme ${url.protocol}`, 'other'));
      if (req.signal?.aborted) return reject(new NetworkError('request aborted', 'aborted'));
      const headers: Record<string, string> = { 'accept-encoding': 'gzip', ...lowerKeys(req.headers ?? {}) };
      if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
      let settled = false;
      const done = (err: Error | undefined, res?: HttpResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        if (err) {
          r.destroy();
          reject(err);
        } else resolve(res!);
      };
      const r = (isHttps ? https : http).request(
        url,
        { method: req.method, headers, agent: isHttps ? agent : httpAgent },
        (res) => {
          const enc = String(res.headers['content-encoding'] ?? '').toLowerCase();
          const stream: Readable = enc === 'gzip' ? res.pipe(createGunzip()) : enc === 'deflate' ? res.pipe(createInflate()) : res;
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on('data', (c: Buffer) => {
            size += c.length;
            if (size > maxBody) done(new NetworkError(`response body over ${maxBody} bytes from ${url.host}`, 'too-large'));
            else chunks.push(c);
          });
          stream.on('error', (e) => done(new NetworkError(`response body from ${url.host} broke off: ${e.message}`, 'reset')));
          res.on('aborted', () => done(new NetworkError(`response from ${url.host} was cut off`, 'reset')));
          stream.on('end', () => {
            if (!res.complete) return done(new NetworkError(`response from ${url.host} was cut off`, 'reset'));
            const h: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
            done(undefined, { status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      const timeoutMs = req.timeoutMs ?? opts.timeoutMs ?? 120_000;
      const timer = setTimeout(() => done(new NetworkError(`no complete response from ${url.host} within ${timeoutMs} ms`, 'timeout')), timeoutMs);
      const onAbort = () => done(new NetworkError('request aborted', 'aborted'));
      req.signal?.addEventListener('abort', onAbort, { once: true });
      r.on('error', (e: NodeJS.ErrnoException) =>
        done(new NetworkError(`${req.method} ${url.host}: ${e.code ?? ''} ${e.message}`.trim(), e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' ? 'connect' : 'reset')),
      );
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}
