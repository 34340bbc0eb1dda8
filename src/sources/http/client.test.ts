import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../auth/redact.js';
import type { TokenProvider } from '../auth/token.js';
import { VirtualClock } from '../clock.js';
import { ApiClient, ApiError, retryAfterMs, shortUrl } from './client.js';
import { NetworkError, type HttpRequest, type HttpResponse } from './transport.js';

const T0 = Date.parse('2025-06-01T00:00:00Z');

/** A transport answering from a script, recording requests. */
function scripted(replies: (HttpResponse | Error)[]) {
  const seen: HttpRequest[] = [];
  const transport = async (req: HttpRequest): Promise<HttpResponse> => {
    seen.push(req);
    const r = replies.shift();
    if (!r) throw new Error('script exhausted');
    if (r instanceof Error) throw r;
    return r;
  };
  return { transport, seen };
}

function tokens() {
  const calls: boolean[] = [];
  let n = 0;
  const p: TokenProvider = {
    async getToken(_r, o) {
      calls.push(Boolean(o?.forceRefresh));
      if (o?.forceRefresh || n === 0) n++;
      return { token: `tok${n}` };
    },
  };
  return { p, calls };
}

const ok = (body: unknown, headers: Record<string, string> = {}): HttpResponse => ({ status: 200, headers, body: JSON.stringify(body) });
const err = (status: number, code: string, headers: Record<string, string> = {}): HttpResponse => ({ status, headers, body: JSON.stringify({ error: { code, message: `${code} happened` } }) });

function client(replies: (HttpResponse | Error)[], extra: Partial<ConstructorParameters<typeof ApiClient>[0]> = {}) {
  const s = scripted(replies);
  const t = tokens();
  const clock = new VirtualClock(T0);
  const api = new ApiClient({ transport: s.transport, tokens: t.p, clock, logger: silentLogger, random: () => 0.5, maxAttempts: 5, ...extra });
  return { api, clock, seen: s.seen, tokenCalls: t.calls };
}

test('429 waits exactly Retry-After on the injected clock, then succeeds', async () => {
  const c = client([err(429, 'TooManyRequests', { 'retry-after': '37' }), ok({ value: [1] })]);
  const r = await c.api.request({ resource: 'graph', url: 'https://graph.example/v1.0/x' });
  assert.deepEqual(r.body, { value: [1] });
  assert.deepEqual(c.clock.sleeps, [37_000]);
  assert.equal(c.api.stats.throttled, 1);
  assert.equal(c.seen[1]!.headers!.authorization, 'Bearer tok1');
});

test('AF429 inside a 403 is throttling (retried); a plain 403 is not', async () => {
  const c = client([err(403, 'AF429'), ok([])]);
  await c.api.request({ resource: 'management', url: 'https://manage.example/api/v1.0/t/activity/feed/subscriptions/list' });
  assert.equal(c.seen.length, 2);
  assert.equal(c.api.stats.throttled, 1);
  const d = client([err(403, 'Authorization_RequestDenied')]);
  await assert.rejects(d.api.request({ resource: 'graph', url: 'https://graph.example/v1.0/x' }), (e: unknown) => e instanceof ApiError && e.status === 403 && e.code === 'Authorization_RequestDenied' && !e.transient);
  assert.equal(d.seen.length, 1);
});

test('5xx, resets, timeouts and truncated JSON back off exponentially and retry', async () => {
  const c = client([err(500, 'x'), new NetworkError('reset', 'reset'), err(503, 'y', { 'retry-after': '2' }), { status: 200, headers: {}, body: '{"value":[1,2' }, ok({ value: [1, 2] })]);
  const r = await c.api.request({ resource: 'graph', url: 'https://graph.example/v1.0/x' });
  assert.deepEqual(r.body, { value: [1, 2] });
  // back-off: 1 s * 2^(n-1) with jitter 0.5 -> 0.75, 1.5, Retry-After 2, then 6
  assert.deepEqual(c.clock.sleeps, [750, 1500, 2000, 6000]);
  assert.equal(c.api.stats.retries, 4);
});

test('gives up after maxAttempts with a transient error, never loops forever', async () => {
  const c = client(Array.from({ length: 5 }, () => err(504, 'GatewayTimeout')));
  await assert.rejects(c.api.request({ resource: 'graph', url: 'https://graph.example/v1.0/x' }), (e: unknown) => e instanceof ApiError && e.transient && /gave up after 5 attempts/.test(e.message));
  assert.equal(c.seen.length, 5);
});

test('401 (expired token) gets one fresh token immediately, without counting as an attempt', async () => {
  const c = client([err(401, 'InvalidAuthenticationToken'), ok({ value: [] })], { maxAttempts: 1 });
  await c.api.request({ resource: 'graph', url: 'https://graph.example/v1.0/x' });
  assert.deepEqual(c.tokenCalls, [false, true]);
  assert.equal(c.seen[1]!.headers!.authorization, 'Bearer tok2');
  assert.deepEqual(c.clock.sleeps, []);
  const d = client([err(401, 'a'), err(401, 'b'), err(401, 'c')]);
  await assert.rejects(d.api.request({ resource: 'graph', url: 'https://graph.example/v1.0/x' }), /even with a fresh token/);
});

test('a token is only ever sent to its own resource host', async () => {
  const c = client([ok({})], { origins: { graph: 'https://graph.example' } });
  await assert.rejects(c.api.request({ resource: 'graph', url: 'https://evil.example/v1.0/x?$skiptoken=1' }), /refusing to send the graph token to https:\/\/evil\.example/);
  assert.equal(c.seen.length, 0);
});

test('accepted statuses are returned, and an abort stops before the next attempt', async () => {
  const c = client([err(404, 'NotFound')]);
  const r = await c.api.request({ resource: 'graph', url: 'https://graph.example/x', accept: [404] });
  assert.equal(r.status, 404);
  const ac = new AbortController();
  ac.abort();
  const d = client([ok({})]);
  await assert.rejects(d.api.request({ resource: 'graph', url: 'https://graph.example/x', signal: ac.signal }), (e: unknown) => e instanceof ApiError && e.code === 'aborted');
});

test('Retry-After: seconds or an HTTP date; shortUrl keeps lines short', () => {
  assert.equal(retryAfterMs({ 'retry-after': '5' }, T0), 5000);
  assert.equal(retryAfterMs({ 'retry-after': new Date(T0 + 12_000).toUTCString() }, T0), 12_000);
  assert.equal(retryAfterMs({ 'retry-after': 'soon' }, T0), undefined);
  assert.equal(retryAfterMs({}, T0), undefined);
  assert.ok(shortUrl(`https://graph.example/v1.0/x?$skiptoken=${'a'.repeat(300)}`).length < 140);
});

test('maxServerErrors: give up early on server errors, but keep waiting out throttling', async () => {
  const c = client([err(429, 'a', { 'retry-after': '1' }), err(429, 'b', { 'retry-after': '1' }), err(429, 'c', { 'retry-after': '1' }), ok({ v: 1 })]);
  assert.deepEqual((await c.api.request({ resource: 'graph', url: 'https://graph.example/x', maxServerErrors: 1 })).body, { v: 1 });
  const d = client([err(504, 'a'), err(504, 'b'), ok({})]);
  await assert.rejects(d.api.request({ resource: 'graph', url: 'https://graph.example/x', maxServerErrors: 2 }), (e: unknown) => e instanceof ApiError && e.transient && /2 server error/.test(e.message));
  assert.equal(d.seen.length, 2);
});
