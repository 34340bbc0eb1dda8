// One watch per store: two would both commit checkpoints and deliver every alert twice under different runs. The
// lock is a file beside the store holding the owner's pid and host; a lock whose process is gone (a crash, a
// SIGKILL) is taken over. On another host (a shared disk) the lock is respected until removed by hand.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { UsageError } from '../core/errors.js';

export interface WatchLock {
  file: string;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireLock(file: string): WatchLock {
  const me = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me) + '\n');
      closeSync(fd);
      return { file, release: () => rmSync(file, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`cannot create the watch lock ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    let owner: { pid?: number; host?: string; since?: string } = {};
    try {
      owner = JSON.parse(readFileSync(file, 'utf8')) as typeof owner;
    } catch {
      /* half-written by a crashed process: stale */
    }
    const sameHost = owner.host === me.host;
    if (owner.pid !== undefined && owner.host !== undefined && (!sameHost || (owner.pid !== process.pid && alive(owner.pid)))) {
      throw new UsageError(`another tenantwatch watch (pid ${owner.pid} on ${owner.host}, since ${owner.since ?? '?'}) uses this store; stop it first, or remove ${file} if it is gone`);
    }
    rmSync(file, { force: true });
  }
  throw new UsageError(`cannot take the watch lock ${file}`);
}
