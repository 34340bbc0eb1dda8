// The hunt store (SQLite, better-sqlite3): runs, alerts and their evidence, incidents (with merge tombstones), and
// the entity memory later hunts build on. Re-running a hunt over the same files duplicates nothing: alerts upsert
// by id and keep the highest revision; incidents upsert by id; entity memory merges.
import { closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { SourceKind } from '../core/event.js';
import { InputError } from '../core/errors.js';
import type { Alert, Evidence, Severity } from '../detect/alert.js';
import { SEVERITIES, severityRank } from '../detect/alert.js';
import type { AppAliases } from '../correlate/aliases.js';
import type { AppMemory, EntityMemory, SourceMemory, UserMemory } from '../correlate/memory.js';
import type { HuntReport, Incident, MergedIncident } from '../report/types.js';

export const STORE_SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT NOT NULL,
  tool TEXT NOT NULL, options TEXT NOT NULL, inputs TEXT NOT NULL, skipped TEXT NOT NULL,
  coverage TEXT NOT NULL, stats TEXT NOT NULL, posture TEXT
);
CREATE TABLE IF NOT EXISTS alerts (
  id TEXT PRIMARY KEY, revision INTEGER NOT NULL, rule TEXT NOT NULL, tenant TEXT NOT NULL, severity TEXT NOT NULL,
  first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, body TEXT NOT NULL, first_run TEXT NOT NULL, last_run TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_last_seen ON alerts (last_seen);
CREATE TABLE IF NOT EXISTS evidence (
  alert_id TEXT NOT NULL, seq INTEGER NOT NULL, event_id TEXT NOT NULL, time TEXT NOT NULL, source TEXT NOT NULL,
  action TEXT NOT NULL, file TEXT NOT NULL, line INTEGER, format TEXT NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (alert_id, seq)
);
CREATE TABLE IF NOT EXISTS incidents (
  id TEXT PRIMARY KEY, tenant TEXT NOT NULL, severity TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
  revision INTEGER NOT NULL, title TEXT NOT NULL, merged_into TEXT, merged_at TEXT, body TEXT NOT NULL,
  alert_set TEXT NOT NULL, updated_run TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS incident_alerts (
  incident_id TEXT NOT NULL, alert_id TEXT NOT NULL, PRIMARY KEY (incident_id, alert_id)
);
CREATE INDEX IF NOT EXISTS incident_alerts_alert ON incident_alerts (alert_id);
CREATE TABLE IF NOT EXISTS entities (
  kind TEXT NOT NULL, id TEXT NOT NULL, first_seen INTEGER, last_seen INTEGER, body TEXT NOT NULL,
  PRIMARY KEY (kind, id)
);
`;

export interface StoredIncident {
  incident: Incident;
  mergedInto?: string;
  mergedAt?: string;
}

export interface RunRecord {
  id: string;
  report: HuntReport;
}

type Row = Record<string, unknown>;

export class Store {
  private readonly db: Database.Database;

  private constructor(db: Database.Database) {
    this.db = db;
  }

  /** Open (creating when absent) the store at `path` (':memory:' for tests). */
  static open(path: string, opts: { readonly?: boolean } = {}): Store {
    let db: Database.Database;
    try {
      // a new store is private to its owner, like the collected logs: it holds raw evidence (personal data);
      // SQLite gives its -wal and -shm files the same mode
      if (!opts.readonly && path !== ':memory:' && !existsSync(path)) closeSync(openSync(path, 'a', 0o600));
      db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false, timeout: 5000 });
    } catch (e) {
      throw new InputError(`cannot open the store ${path}: ${(e as Error).message}${opts.readonly ? ' (run `tenantwatch hunt` first, or pass --db FILE)' : ''}`);
    }
    const s = new Store(db);
    try {
      if (!opts.readonly) {
        db.pragma('journal_mode = WAL');
        db.exec(SCHEMA);
        const v = db.prepare('SELECT value FROM meta WHERE key = ?').get('schema') as { value: string } | undefined;
        if (!v) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema', String(STORE_SCHEMA_VERSION));
        else if (Number(v.value) > STORE_SCHEMA_VERSION) throw new InputError(`the store ${path} was written by a newer tenantwatch (schema ${v.value}); upgrade tenantwatch or use another --db`);
      } else {
        const ok = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'incidents'").get();
        if (!ok) throw new InputError(`${path} is not a tenantwatch store (no incidents table)`);
      }
    } catch (e) {
      db.close();
      if (e instanceof InputError) throw e;
      throw new InputError(`${path} is not a usable tenantwatch store: ${(e as Error).message}`);
    }
    return s;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** The SQLite connection, for modules that keep their own tables in the same file and must write them in one
   *  transaction with alerts (watch: checkpoints, engine state and the delivery outbox — src/watch/state.ts). */
  get connection(): Database.Database {
    return this.db;
  }

  // --- runs ------------------------------------------------------------------------------------------------

  saveRun(report: HuntReport): void {
    if (!report.run) return;
    const r = report.run;
    this.db.prepare(
      `INSERT INTO runs (id, started_at, finished_at, tool, options, inputs, skipped, coverage, stats, posture)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET finished_at = excluded.finished_at, stats = excluded.stats`,
    ).run(r.id, r.startedAt, r.finishedAt, JSON.stringify(report.tool), JSON.stringify(r.options), JSON.stringify(report.inputs),
      JSON.stringify(report.skipped), JSON.stringify(report.coverage), JSON.stringify(report.stats), report.posture ? JSON.stringify(report.posture) : null);
  }

  /** The most recent run (its coverage and inputs, for `incidents list`). */
  latestRun(): Pick<HuntReport, 'tool' | 'inputs' | 'skipped' | 'coverage' | 'stats'> & { id: string; finishedAt: string } | undefined {
    const row = this.db.prepare('SELECT * FROM runs ORDER BY finished_at DESC, id DESC LIMIT 1').get() as Row | undefined;
    if (!row) return undefined;
    return {
      id: String(row.id), finishedAt: String(row.finished_at),
      tool: JSON.parse(String(row.tool)), inputs: JSON.parse(String(row.inputs)), skipped: JSON.parse(String(row.skipped)),
      coverage: JSON.parse(String(row.coverage)), stats: JSON.parse(String(row.stats)),
    };
  }

  // --- alerts ----------------------------------------------------------------------------------------------

  /** Upsert alerts: a row is replaced only by the same or a higher revision; evidence follows its alert. */
  saveAlerts(alerts: readonly Alert[], runId: string): { inserted: number; updated: number } {
    const get = this.db.prepare('SELECT revision FROM alerts WHERE id = ?');
    const upsert = this.db.prepare(
      `INSERT INTO alerts (id, revision, rule, tenant, severity, first_seen, last_seen, body, first_run, last_run)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, rule = excluded.rule, tenant = excluded.tenant,
         severity = excluded.severity, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
         body = excluded.body, last_run = excluded.last_run
       WHERE excluded.revision >= alerts.revision`,
    );
    const delEv = this.db.prepare('DELETE FROM evidence WHERE alert_id = ?');
    const insEv = this.db.prepare(
      'INSERT INTO evidence (alert_id, seq, event_id, time, source, action, file, line, format, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    let inserted = 0, updated = 0;
    this.db.transaction(() => {
      for (const a of alerts) {
        const have = get.get(a.id) as { revision: number } | undefined;
        if (have && have.revision > a.revision) continue;
        const { evidence, ...rest } = a;
        upsert.run(a.id, a.revision, a.rule, a.tenant, a.severity, a.firstSeen, a.lastSeen, JSON.stringify(rest), runId, runId);
        delEv.run(a.id);
        evidence.forEach((e, i) => insEv.run(a.id, i, e.eventId, e.time, e.source, e.action, e.raw.file, e.raw.line ?? null, e.raw.format, JSON.stringify(e)));
        if (have) updated++;
        else inserted++;
      }
    })();
    return { inserted, updated };
  }

  /** An alert from its row; without evidence (an empty list) when only correlation needs it. */
  private alertFromRow(row: Row, withEvidence = true): Alert {
    const a = JSON.parse(String(row.body)) as Omit<Alert, 'evidence'>;
    if (!withEvidence) return { ...a, evidence: [] } as Alert;
    const ev = this.db.prepare('SELECT body FROM evidence WHERE alert_id = ? ORDER BY seq').all(a.id) as { body: string }[];
    return { ...a, evidence: ev.map((r) => JSON.parse(r.body) as Evidence) } as Alert;
  }

  alertsByIds(ids: readonly string[], withEvidence = true): Alert[] {
    const st = this.db.prepare('SELECT * FROM alerts WHERE id = ?');
    const out: Alert[] = [];
    for (const id of ids) {
      const row = st.get(id) as Row | undefined;
      if (row) out.push(this.alertFromRow(row, withEvidence));
    }
    return out;
  }

  /** Stored alerts whose span reaches into [from, to] (ISO), at most `limit`, most recent first, without evidence. */
  alertsNear(from: string, to: string, limit = 5000): Alert[] {
    const rows = this.db.prepare('SELECT * FROM alerts WHERE last_seen >= ? AND first_seen <= ? ORDER BY last_seen DESC LIMIT ?').all(from, to, limit) as Row[];
    return rows.map((r) => this.alertFromRow(r, false));
  }

  countAlerts(): number {
    return Number((this.db.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n);
  }

  // --- incidents -------------------------------------------------------------------------------------------

  /** Stored incidents (live or merged) holding any of these alerts. */
  incidentsWithAlerts(alertIds: readonly string[]): StoredIncident[] {
    const st = this.db.prepare('SELECT DISTINCT incident_id FROM incident_alerts WHERE alert_id = ?');
    const ids = new Set<string>();
    for (const a of alertIds) for (const r of st.all(a) as { incident_id: string }[]) ids.add(r.incident_id);
    return [...ids].sort().map((id) => this.incident(id)).filter((x): x is StoredIncident => x !== undefined);
  }

  incident(id: string): StoredIncident | undefined {
    const row = this.db.prepare('SELECT * FROM incidents WHERE id = ?').get(id) as Row | undefined;
    if (!row) return undefined;
    const s: StoredIncident = { incident: JSON.parse(String(row.body)) as Incident };
    if (row.merged_into) {
      s.mergedInto = String(row.merged_into);
      s.mergedAt = String(row.merged_at);
    }
    return s;
  }

  /** Follow mergedInto links to the live incident (bounded, cycles impossible but guarded). */
  resolveIncident(id: string): { live?: StoredIncident; path: string[] } {
    const path: string[] = [];
    let cur = this.incident(id);
    while (cur?.mergedInto && path.length < 50) {
      path.push(cur.incident.id);
      cur = this.incident(cur.mergedInto);
    }
    return cur ? { live: cur, path } : { path };
  }

  saveIncidents(incidents: readonly Incident[], merged: readonly MergedIncident[], runId: string): void {
    const upsert = this.db.prepare(
      `INSERT INTO incidents (id, tenant, severity, first_seen, last_seen, revision, title, merged_into, merged_at, body, alert_set, updated_run)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET tenant = excluded.tenant, severity = excluded.severity, first_seen = excluded.first_seen,
         last_seen = excluded.last_seen, revision = excluded.revision, title = excluded.title, merged_into = NULL, merged_at = NULL,
         body = excluded.body, alert_set = excluded.alert_set, updated_run = excluded.updated_run`,
    );
    const link = this.db.prepare('INSERT OR IGNORE INTO incident_alerts (incident_id, alert_id) VALUES (?, ?)');
    const tomb = this.db.prepare('UPDATE incidents SET merged_into = ?, merged_at = ?, updated_run = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const i of incidents) {
        upsert.run(i.id, i.tenant, i.severity, i.firstSeen, i.lastSeen, i.revision, i.title, JSON.stringify(i), alertSetKey(i.alerts), runId);
        for (const a of i.alerts) link.run(i.id, a);
      }
      for (const m of merged) tomb.run(m.mergedInto, m.mergedAt, runId, m.id);
    })();
  }

  /** Live incidents, most severe first, then most recent. */
  listIncidents(filter: { minSeverity?: Severity; since?: string; tenant?: string; limit?: number } = {}): Incident[] {
    const rows = this.db.prepare('SELECT body FROM incidents WHERE merged_into IS NULL AND last_seen >= ? ORDER BY last_seen DESC, id').all(filter.since ?? '') as { body: string }[];
    const min = severityRank(filter.minSeverity ?? 'informational');
    return rows
      .map((r) => JSON.parse(r.body) as Incident)
      .filter((i) => severityRank(i.severity) >= min && (!filter.tenant || i.tenant === filter.tenant))
      .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : a.id < b.id ? -1 : 1))
      .slice(0, filter.limit ?? 1000);
  }

  mergedIncidents(): MergedIncident[] {
    const rows = this.db.prepare('SELECT id, merged_into, merged_at, title FROM incidents WHERE merged_into IS NOT NULL ORDER BY id').all() as Row[];
    return rows.map((r) => ({ id: String(r.id), mergedInto: String(r.merged_into), mergedAt: String(r.merged_at), title: String(r.title) }));
  }

  // --- entity memory ---------------------------------------------------------------------------------------

  loadMemory(memory: EntityMemory): { apps: number; users: number } {
    let apps = 0, users = 0;
    for (const r of this.db.prepare("SELECT kind, body FROM entities WHERE kind IN ('app', 'user', 'source', 'alias.app', 'alias.user')").iterate() as IterableIterator<{ kind: string; body: string }>) {
      const body = JSON.parse(r.body) as unknown;
      switch (r.kind) {
        case 'app':
          memory.mergeApp(body as AppMemory);
          apps++;
          break;
        case 'user':
          memory.mergeUser(body as UserMemory);
          users++;
          break;
        case 'source':
          memory.mergeSource(body as SourceMemory);
          break;
        case 'alias.app':
          memory.aliases.import({ apps: [body as AppAliases] });
          break;
        case 'alias.user': {
          const u = body as { userId: string; upn: string };
          memory.aliases.learnUser({ userId: u.userId, upn: u.upn });
          break;
        }
      }
    }
    return { apps, users };
  }

  /**
   * Save what was learned. Apps, role-holding users and sources are kept whole; user aliases only for users the
   * run's alerts named (the full directory would bloat the store and is re-learned from the next export).
   */
  saveMemory(memory: EntityMemory, alertUserIds: Iterable<string>): void {
    const up = this.db.prepare(
      `INSERT INTO entities (kind, id, first_seen, last_seen, body) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET first_seen = min(coalesce(entities.first_seen, excluded.first_seen), excluded.first_seen),
         last_seen = max(coalesce(entities.last_seen, excluded.last_seen), excluded.last_seen), body = excluded.body`,
    );
    this.db.transaction(() => {
      for (const a of memory.apps.values()) up.run('app', a.appId, a.firstSeen, a.lastSeen, JSON.stringify(a));
      for (const u of memory.users.values()) up.run('user', u.id, u.firstSeen, u.lastSeen, JSON.stringify(u));
      for (const s of memory.sources.values()) up.run('source', s.source, s.firstSeen, s.lastSeen, JSON.stringify(s));
      const al = memory.aliases.export();
      for (const a of al.apps) up.run('alias.app', a.appId, null, null, JSON.stringify(a));
      const wanted = new Set([...alertUserIds].map((x) => x.toLowerCase()));
      for (const u of memory.users.values()) {
        wanted.add(u.id);
        if (u.userId) wanted.add(u.userId);
      }
      for (const [userId, upn] of al.users) {
        if (wanted.has(userId) || wanted.has(upn)) up.run('alias.user', userId, null, null, JSON.stringify({ userId, upn }));
      }
    })();
  }

  sourceMemory(): SourceMemory[] {
    return (this.db.prepare("SELECT body FROM entities WHERE kind = 'source' ORDER BY id").all() as { body: string }[]).map((r) => JSON.parse(r.body) as SourceMemory);
  }

  /** For tests and `incidents`: counts per table. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of ['runs', 'alerts', 'evidence', 'incidents', 'incident_alerts', 'entities']) {
      out[t] = Number((this.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n);
    }
    return out;
  }
}

export const alertSetKey = (ids: readonly string[]): string => [...ids].sort().join(',');

export const severityOrDefault = (s: unknown, d: Severity): Severity => ((SEVERITIES as readonly unknown[]).includes(s) ? (s as Severity) : d);

export type { SourceKind };
