// What `watch` keeps in the store (the same SQLite file as hunts' alerts and incidents), and the one transaction
// that makes a restart exact:
//
//   commit = { each source's checkpoint, the engine snapshot and role ledger, the new alerts (upserted into the
//              alerts table), their incidents, and one outbox row per (alert revision, sink) }
//
// all written together or not at all. A crash before the commit repeats the batches after the last one (the engine
// snapshot matches the checkpoints, so the re-read events are new to it); a crash after it loses nothing, and the
// outbox rows still pending are delivered after the restart — with the same idempotency key, since the key is
// made from the alert id, which is deterministic.
import type Database from 'better-sqlite3';
import type { Alert } from '../detect/alert.js';
import type { Checkpoint } from '../sources/types.js';
import type { Store } from '../store/store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS watch_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS watch_checkpoints (
  source TEXT PRIMARY KEY, checkpoint TEXT NOT NULL, frontier INTEGER NOT NULL, updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS watch_outbox (
  alert_id TEXT NOT NULL, revision INTEGER NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL,
  PRIMARY KEY (alert_id, revision)
);
CREATE TABLE IF NOT EXISTS watch_deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, alert_id TEXT NOT NULL, revision INTEGER NOT NULL, sink TEXT NOT NULL,
  key TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL, next_at INTEGER NOT NULL, last_error TEXT,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, UNIQUE (alert_id, revision, sink)
);
CREATE INDEX IF NOT EXISTS watch_deliveries_sink ON watch_deliveries (sink, state, seq);
`;

export type DeliveryState = 'pending' | 'delivered' | 'dead';

export interface DeliveryRow {
  seq: number;
  alertId: string;
  revision: number;
  sink: string;
  key: string;
  state: DeliveryState;
  attempts: number;
  nextAt: number;
  lastError?: string;
  /** the alert revision as it was emitted */
  body: string;
}

export interface SavedCheckpoint {
  checkpoint: Checkpoint;
  frontier: number;
  updatedAt: number;
}

export interface CommitInput {
  now: number;
  checkpoints: { source: string; checkpoint: Checkpoint; frontier: number }[];
  /** JSON of engine.snapshot() */
  engine: string;
  /** JSON of the role ledger */
  ledger: string;
  /** alerts drained since the last commit, in order (revisions included) */
  alerts: Alert[];
  deliveries: { alertId: string; revision: number; sink: string; key: string }[];
  runId: string;
  /** more writes in the same transaction (incidents) */
  also?: () => void;
}

export class WatchState {
  private readonly db: Database.Database;

  constructor(private readonly store: Store) {
    this.db = store.connection;
    this.db.exec(SCHEMA);
  }

  getMeta(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM watch_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO watch_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  checkpoints(): Map<string, SavedCheckpoint> {
    const rows = this.db.prepare('SELECT source, checkpoint, frontier, updated_at FROM watch_checkpoints').all() as { source: string; checkpoint: string; frontier: number; updated_at: number }[];
    return new Map(rows.map((r) => [r.source, { checkpoint: JSON.parse(r.checkpoint) as Checkpoint, frontier: r.frontier, updatedAt: r.updated_at }]));
  }

  /** The one transaction (see the top of this file). */
  commit(c: CommitInput): void {
    const cp = this.db.prepare(
      `INSERT INTO watch_checkpoints (source, checkpoint, frontier, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (source) DO UPDATE SET checkpoint = excluded.checkpoint, frontier = excluded.frontier, updated_at = excluded.updated_at`,
    );
    const meta = this.db.prepare('INSERT INTO watch_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    const body = this.db.prepare('INSERT OR IGNORE INTO watch_outbox (alert_id, revision, body, created_at) VALUES (?, ?, ?, ?)');
    const del = this.db.prepare(
      `INSERT OR IGNORE INTO watch_deliveries (alert_id, revision, sink, key, state, attempts, next_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const x of c.checkpoints) cp.run(x.source, JSON.stringify(x.checkpoint), Math.round(x.frontier), c.now);
      meta.run('engine', c.engine);
      meta.run('ledger', c.ledger);
      if (c.alerts.length) this.store.saveAlerts(c.alerts, c.runId);
      const wanted = new Set(c.deliveries.map((d) => `${d.alertId}\u0000${d.revision}`));
      for (const a of c.alerts) if (wanted.has(`${a.id}\u0000${a.revision}`)) body.run(a.id, a.revision, JSON.stringify(a), c.now);
      for (const d of c.deliveries) del.run(d.alertId, d.revision, d.sink, d.key, c.now, c.now, c.now);
      c.also?.();
    })();
  }

  /**
   * Each sink's oldest pending deliveries (at most `perSink`), oldest first. A sink's rows go out in this order: the
   * dispatcher stops at a sink's first row that is not due yet, so a retried alert is never overtaken by a later
   * one — and a sink that is down holds back only its own rows.
   */
  pending(perSink = 200): DeliveryRow[] {
    const sinks = this.db.prepare("SELECT DISTINCT sink FROM watch_deliveries WHERE state = 'pending' ORDER BY sink").all() as { sink: string }[];
    const st = this.db.prepare(
      `SELECT d.*, o.body AS body FROM watch_deliveries d JOIN watch_outbox o ON o.alert_id = d.alert_id AND o.revision = d.revision
       WHERE d.sink = ? AND d.state = 'pending' ORDER BY d.seq LIMIT ?`,
    );
    return sinks.flatMap(({ sink }) => (st.all(sink, perSink) as Record<string, unknown>[]).map(toRow));
  }

  /** When the next delivery can go out: the earliest time among each sink's first pending row (undefined: none). */
  nextDue(): number | undefined {
    const r = this.db
      .prepare(
        `SELECT min(next_at) AS t FROM watch_deliveries d WHERE state = 'pending'
         AND seq = (SELECT min(seq) FROM watch_deliveries x WHERE x.sink = d.sink AND x.state = 'pending')`,
      )
      .get() as { t: number | null };
    return r.t ?? undefined;
  }

  /** Each sink's first pending delivery (the one being tried), for health. */
  heads(): Omit<DeliveryRow, 'body'>[] {
    const rows = this.db
      .prepare(
        `SELECT d.*, NULL AS body FROM watch_deliveries d WHERE state = 'pending'
         AND seq = (SELECT min(seq) FROM watch_deliveries x WHERE x.sink = d.sink AND x.state = 'pending') ORDER BY sink`,
      )
      .all() as Record<string, unknown>[];
    return rows.map((r) => {
      const { body: _b, ...rest } = toRow(r);
      return rest;
    });
  }

  markDelivered(seq: number, attempts: number, now: number): void {
    this.db.prepare("UPDATE watch_deliveries SET state = 'delivered', attempts = ?, last_error = NULL, updated_at = ? WHERE seq = ?").run(attempts, now, seq);
  }

  markRetry(seq: number, attempts: number, nextAt: number, error: string, now: number): void {
    this.db.prepare('UPDATE watch_deliveries SET attempts = ?, next_at = ?, last_error = ?, updated_at = ? WHERE seq = ?').run(attempts, Math.round(nextAt), error, now, seq);
  }

  markDead(seq: number, attempts: number, error: string, now: number): void {
    this.db.prepare("UPDATE watch_deliveries SET state = 'dead', attempts = ?, last_error = ?, updated_at = ? WHERE seq = ?").run(attempts, error, now, seq);
  }

  /** Deliveries per sink and state (metrics, health). */
  counts(): { sink: string; state: DeliveryState; n: number }[] {
    return this.db.prepare('SELECT sink, state, count(*) AS n FROM watch_deliveries GROUP BY sink, state ORDER BY sink, state').all() as { sink: string; state: DeliveryState; n: number }[];
  }

  /** Every delivery row (tests, `watch --status`). */
  deliveries(): Omit<DeliveryRow, 'body'>[] {
    return (this.db.prepare('SELECT d.*, NULL AS body FROM watch_deliveries d ORDER BY seq').all() as Record<string, unknown>[]).map((r) => {
      const { body: _b, ...rest } = toRow(r);
      return rest;
    });
  }

  /** Forget delivered (and dead: they are in the dead-letter file) rows older than `before`, and their bodies. */
  prune(before: number): number {
    let n = 0;
    this.db.transaction(() => {
      n = this.db.prepare("DELETE FROM watch_deliveries WHERE state IN ('delivered', 'dead') AND updated_at < ?").run(before).changes;
      this.db.prepare('DELETE FROM watch_outbox WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM watch_deliveries d WHERE d.alert_id = watch_outbox.alert_id AND d.revision = watch_outbox.revision)').run(before);
    })();
    return n;
  }
}

function toRow(r: Record<string, unknown>): DeliveryRow {
  const row: DeliveryRow = {
    seq: Number(r.seq),
    alertId: String(r.alert_id),
    revision: Number(r.revision),
    sink: String(r.sink),
    key: String(r.key),
    state: String(r.state) as DeliveryState,
    attempts: Number(r.attempts),
    nextAt: Number(r.next_at),
    body: String(r.body ?? ''),
  };
  if (typeof r.last_error === 'string') row.lastError = r.last_error;
  return row;
}
