import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startWatchServer } from './index.js';

test('health and metrics server: loopback only; 200 / 503 by status; HEAD; 404 and 405', async () => {
  await assert.rejects(startWatchServer({ host: '0.0.0.0', port: 0, health: () => ({ status: 'ok' }), metrics: () => '' }), /loopback only/);
  let status: 'ok' | 'degraded' | 'failing' = 'ok';
  const s = await startWatchServer({ host: '127.0.0.1', port: 0, health: () => ({ status }), metrics: () => 'tenantwatch_watch_up 1\n' });
  try {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const h1 = await fetch(`${s.url}/healthz`);
    assert.equal(h1.status, 200);
    assert.deepEqual(await h1.json(), { status: 'ok' });
    status = 'degraded';
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
    status = 'failing';
    assert.equal((await fetch(`${s.url}/healthz`)).status, 503);
    const head = await fetch(`${s.url}/metrics`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    assert.equal(await (await fetch(`${s.url}/metrics?x=1`)).text(), 'tenantwatch_watch_up 1\n');
    assert.equal((await fetch(`${s.url}/`)).status, 404);
    const post = await fetch(`${s.url}/healthz`, { method: 'DELETE' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  } finally {
    await s.close();
  }
});
