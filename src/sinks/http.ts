// One HTTP POST for the webhook-style sinks (Teams, Slack, generic webhook), classified for the dispatcher:
// 2xx delivered; 429, 408 and 5xx retryable (with the receiver's Retry-After); network errors and timeouts
// retryable; any other 4xx not (the URL or the payload is wrong — retrying cannot help). Error texts name the
// status or the network error code only: the URL is a secret (a Teams Workflows URL carries its signature, a Slack
// URL is its own credential) and never appears in an error, a log line or the dead-letter file.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { retryAfterMs } from '../sources/http/client.js';
import { failure, type SendOutcome } from './types.js';

export interface PostOptions {
  url: URL;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** current time, for an HTTP-date Retry-After */
  now: number;
}

const RETRY = new Set([408, 425, 429, 500, 502, 503, 504]);

export function postJson(o: PostOptions): Promise<SendOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const body = Buffer.from(o.body, 'utf8');
    const req = (o.url.protocol === 'https:' ? httpsRequest : httpRequest)(
      o.url,
      { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length), ...o.headers } },
      (res: IncomingMessage) => {
        // drain (bounded) so the socket is reused; the body is not shown anywhere
        let n = 0;
        res.on('data', (c: Buffer) => {
          n += c.length;
          if (n > 1 << 20) res.destroy();
        });
        res.on('error', () => undefined);
        res.on('end', () => done(classify(res, o.now)));
        res.on('close', () => done(classify(res, o.now)));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      done(failure(`timed out after ${Math.round(o.timeoutMs / 100) / 10} s`, 'timeout', true));
    }, o.timeoutMs);
    const onAbort = () => {
      // our own stop: the dispatcher sees its signal aborted and leaves the delivery as it was (no attempt used)
      req.destroy();
      done(failure('aborted', 'aborted', true));
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? 'network';
      const tls = /CERT|SSL|TLS/i.test(code);
      done(failure(`${tls ? 'TLS' : 'network'} error (${code})`, tls ? 'tls' : 'network', !tls));
    });
    req.end(body);
  });
}

function classify(res: IncomingMessage, now: number): SendOutcome {
  const status = res.statusCode ?? 0;
  if (status >= 200 && status < 300) return { ok: true, status };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
  const wait = status === 429 || status === 503 ? retryAfterMs(headers, now) : undefined;
  return failure(`HTTP ${status}`, `http_${status}`, RETRY.has(status), wait);
}

/** A webhook URL read from a secret: https, or http to this machine only (tests, a local relay). */
export function checkWebhookUrl(text: string): URL | string {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return 'is not a URL';
  }
  if (u.username || u.password) return 'must not carry a user name or password';
  if (u.protocol === 'https:') return u;
  if (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) return u;
  return 'must be an https:// URL (http:// only to 127.0.0.1)';
}
