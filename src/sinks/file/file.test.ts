import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { alert, T0, user } from '../../correlate/testing.js';
import { FileSink } from './index.js';

test('file sink: NDJSON envelopes or OCSF findings, one line each, mode 600', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-file-sink-'));
  try {
    const a = alert({ name: 'file', at: T0, severity: 'high', entities: [user('admin@contoso.example')] });
    const base = { minSeverity: 'informational' as const, revisions: 'all' as const, timeout: 1000 };
    const nd = new FileSink({ type: 'file', name: 'nd', path: 'x', format: 'ndjson', ...base }, path.join(dir, 'sub', 'alerts.ndjson'));
    assert.deepEqual(await nd.send({ key: a.id, alert: a, attempt: 1 }), { ok: true });
    assert.deepEqual(await nd.send({ key: `${a.id}.r2`, alert: { ...a, revision: 2 }, attempt: 1 }), { ok: true });
    await nd.close();
    const lines = readFileSync(path.join(dir, 'sub', 'alerts.ndjson'), 'utf8').split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '');
    assert.deepEqual(lines.slice(0, 2).map((l) => (JSON.parse(l) as { idempotencyKey: string }).idempotencyKey), [a.id, `${a.id}.r2`]);
    if (process.platform !== 'win32') assert.equal(statSync(path.join(dir, 'sub', 'alerts.ndjson')).mode & 0o077, 0);
    const oc = new FileSink({ type: 'file', name: 'oc', path: 'y', format: 'ocsf', ...base }, path.join(dir, 'ocsf.ndjson'));
    await oc.send({ key: a.id, alert: a, attempt: 1 });
    await oc.close();
    const f = JSON.parse(readFileSync(path.join(dir, 'ocsf.ndjson'), 'utf8')) as { class_uid: number; metadata: { uid: string } };
    assert.equal(f.class_uid, 2004);
    assert.equal(f.metadata.uid, a.id);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
