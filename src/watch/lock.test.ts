import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { acquireLock } from './lock.js';

test('one watch per store: a live owner is refused, a dead one (crash, SIGKILL) is taken over', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-lock-'));
  try {
    const file = path.join(dir, 'tenantwatch.db.watch-lock');
    // a process that is gone: its pid no longer exists
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(file, JSON.stringify({ pid: Number(gone), host: hostname(), since: '2025-01-01T00:00:00Z' }));
    const l = acquireLock(file);
    assert.ok(existsSync(file));
    l.release();
    assert.ok(!existsSync(file));
    // a live process on this host (the test runner's parent shell is alive: use our parent pid)
    writeFileSync(file, JSON.stringify({ pid: process.ppid, host: hostname(), since: '2025-01-01T00:00:00Z' }));
    assert.throws(() => acquireLock(file), /another tenantwatch watch \(pid \d+/);
    // another host: respected until removed by hand
    writeFileSync(file, JSON.stringify({ pid: 1, host: 'elsewhere.example', since: '2025-01-01T00:00:00Z' }));
    assert.throws(() => acquireLock(file), /on elsewhere\.example/);
    // half-written: stale
    writeFileSync(file, '{"pid":');
    acquireLock(file).release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
