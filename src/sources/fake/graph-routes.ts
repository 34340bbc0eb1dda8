// Fake Microsoft Graph: auditLogs/signIns (beta; v1.0 = interactive only), auditLogs/directoryAudits,
// admin/exchange/tracing/messageTraces, the audit log query API (security/auditLog/queries) and the snapshot
// endpoints (served from the fixture tenant's snapshot files). Time-filtered collections answer newest first and
// page with a cursor $skiptoken, as Graph's opaque skip tokens behave.
import { createHash, randomUUID } from 'node:crypto';
import { parseTime } from '../../core/time.js';
import { RECORD_TYPE_NAMES } from '../../decoders/ual/record-types.js';
import type { Obj } from '../types.js';
import { parseFilter, timeMatches } from './odata.js';
import { graphError, type FakeMicrosoft, type Handled, type RouteRequest } from './server.js';

interface Timed {
  t: number;
  id: string;
  visibleAt: number;
  rec: Obj;
}

interface Query {
  id: string;
  created: number;
  start: number;
  end: number;
  body: Obj;
}

/** deterministic per-record fraction in [0,1) */
export function unitHash(s: string): number {
  return createHash('sha256').update(s).digest().readUInt32BE(0) / 2 ** 32;
}

const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function dec<T>(s: string | null): T | undefined {
  if (!s) return undefined;
  try {
    return JSON.parse(Buffer.from(s, 'base64url').toString()) as T;
  } catch {
    return undefined;
  }
}

/** A granted role, or its ReadWrite sibling (which reads too). */
function hasRole(granted: string[], role: string): boolean {
  return granted.includes(role) || granted.includes(role.replace('.Read.', '.ReadWrite.'));
}

/** Paths whose snapshot files need a role, by prefix (application permissions). */
const SNAPSHOT_ROLES: [RegExp, string[]][] = [
  [/^(identity\/conditionalaccess|policies)\//, ['Policy.Read.All']],
  [/^rolemanagement\//, ['RoleManagement.Read.Directory', 'RoleManagement.Read.All', 'Directory.Read.All']],
  [/^(applications|serviceprincipals)/, ['Application.Read.All', 'Directory.Read.All']],
  [/^reports\//, ['AuditLog.Read.All']],
  [/^/, ['Directory.Read.All']],
];

export class GraphRoutes {
  private readonly signIns: Timed[];
  private readonly audits: Timed[];
  private readonly traces: Timed[];
  private readonly ual: { t: number; rec: Obj }[];
  readonly queries = new Map<string, Query>();

  constructor(private readonly fake: FakeMicrosoft) {
    const o = fake.o;
    const late = (id: string, t: number) => (o.lateFraction && unitHash(`late:${id}`) < o.lateFraction ? t + (o.lateDelayMs ?? 86_400_000) : t);
    const timed = (recs: Obj[], field: string, idOf: (r: Obj) => string, lateOk: boolean): Timed[] =>
      recs
        .map((rec) => {
          const t = parseTime(rec[field]) ?? 0;
          const id = idOf(rec);
          return { t, id, visibleAt: lateOk ? late(id, t) : t, rec };
        })
        .sort((a, b) => b.t - a.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.signIns = timed(o.tenant.signIns, 'createdDateTime', (r) => String(r.id), true);
    this.audits = timed(o.tenant.directoryAudits, 'activityDateTime', (r) => String(r.id), true);
    this.traces = timed(o.tenant.messageTraces, 'receivedDateTime', (r) => `${String(r.id)}/${String(r.recipientAddress)}`.toLowerCase(), false);
    this.ual = o.tenant.ual.map((rec) => ({ t: parseTime(rec.CreationTime) ?? 0, rec })).sort((a, b) => a.t - b.t || String(a.rec.Id).localeCompare(String(b.rec.Id)));
  }

  /** ids visible now (what a collector can possibly get) */
  visibleIds(kind: 'signIns' | 'directoryAudits' | 'messageTraces', now = this.fake.now()): string[] {
    const list = kind === 'signIns' ? this.signIns : kind === 'directoryAudits' ? this.audits : this.traces;
    return list.filter((x) => x.visibleAt <= now).map((x) => x.id);
  }

  handle(r: RouteRequest): Handled {
    const m = /^\/(v1\.0|beta)\/(.+)$/.exec(r.url.pathname);
    if (!m) return graphError(400, 'BadRequest', 'Invalid version');
    const [, ver, path] = m as unknown as [string, 'v1.0' | 'beta', string];
    const roles = r.claims.roles;
    const need = (...any: string[]): Handled | undefined =>
      any.some((x) => hasRole(roles, x)) ? undefined : graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    if (path === 'auditLogs/signIns' && r.method === 'GET') {
      const denied = need('AuditLog.Read.All');
      if (denied) return denied;
      if (this.fake.o.premium === false) return graphError(403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license");
      return this.timedPage(r, this.signIns, 'createdDateTime', ver, 'auditLogs/signIns', ver === 'v1.0' ? ['interactiveUser'] : undefined);
    }
    if (path === 'auditLogs/directoryAudits' && r.method === 'GET') {
      return need('AuditLog.Read.All') ?? this.timedPage(r, this.audits, 'activityDateTime', ver, 'auditLogs/directoryAudits');
    }
    if (path === 'admin/exchange/tracing/messageTraces' && r.method === 'GET') {
      return need('ExchangeMessageTrace.Read.All') ?? this.timedPage(r, this.traces, 'receivedDateTime', ver, 'admin/exchange/tracing/messageTraces');
    }
    if (path.startsWith('security/auditLog/queries')) return need('AuditLogsQuery.Read.All', 'AuditLogsQuery-Entra.Read.All') ?? this.auditQuery(r, ver, path);
    if (r.method === 'GET') return this.snapshot(r, ver, path);
    return graphError(405, 'Request_BadRequest', 'Method not allowed');
  }

  private nextLink(r: RouteRequest, token: unknown): string {
    const u = new URL(r.url.toString());
    u.searchParams.set('$skiptoken', enc(token));
    return u.toString();
  }

  private timedPage(r: RouteRequest, list: Timed[], field: string, ver: string, entity: string, onlyTypes?: string[]): Handled {
    const f = parseFilter(r.url.searchParams.get('$filter'));
    if ('error' in f) return graphError(400, 'BadRequest', f.error);
    if (f.time.some((c) => c.field !== field)) return graphError(400, 'BadRequest', `Invalid filter clause: property ${f.time.find((c) => c.field !== field)!.field} cannot be filtered`);
    if (f.eventTypes && ver === 'v1.0') return graphError(400, 'BadRequest', "Could not find a property named 'signInEventTypes' on type 'microsoft.graph.signIn'.");
    const types = f.eventTypes ?? onlyTypes;
    const top = Math.min(Number(r.url.searchParams.get('$top') ?? 1000) || 1000, this.fake.o.graphMaxTop ?? 1000);
    const now = this.fake.now();
    const matches = list.filter(
      (x) =>
        x.visibleAt <= now &&
        timeMatches(x.t, f.time) &&
        (!types || (Array.isArray(x.rec.signInEventTypes) && (x.rec.signInEventTypes as string[]).some((e) => types.includes(e)))),
    );
    const tok = dec<{ a: [number, string] | null; r?: number }>(r.url.searchParams.get('$skiptoken'));
    if (!tok && this.fake.o.maxQueryRecords !== undefined && matches.length > this.fake.o.maxQueryRecords) {
      return graphError(504, 'UnknownError', 'The request timed out (the query matched too many records; narrow the time range).');
    }
    let start = 0;
    if (tok?.a) {
      const [at, aid] = tok.a;
      start = matches.findIndex((x) => x.t < at || (x.t === at && x.id > aid));
      if (start < 0) start = matches.length;
    }
    const page = matches.slice(start, start + top);
    const body: Obj = { '@odata.context': `${this.fake.origins().graph}/${ver}/$metadata#${entity}`, value: page.map((x) => x.rec) };
    if (start + top < matches.length) {
      const lastRec = page[page.length - 1]!;
      if (r.fault?.kind === 'loop-link') body['@odata.nextLink'] = r.url.toString();
      else if (r.fault?.kind === 'repeat-page') body['@odata.nextLink'] = this.nextLink(r, { a: tok?.a ?? null, r: (tok?.r ?? 0) + 1 });
      else body['@odata.nextLink'] = this.nextLink(r, { a: [lastRec.t, lastRec.id] });
    }
    return { status: 200, body };
  }

  private auditQuery(r: RouteRequest, ver: string, path: string): Handled {
    const base = `${this.fake.origins().graph}/${ver}`;
    const parts = path.split('/'); // security, auditLog, queries, {id}?, records?
    const now = this.fake.now();
    if (parts.length === 3 && r.method === 'POST') {
      let b: Obj;
      try {
        b = JSON.parse(r.body) as Obj;
      } catch {
        return graphError(400, 'BadRequest', 'Invalid JSON body');
      }
      const start = parseTime(b.filterStartDateTime);
      const end = parseTime(b.filterEndDateTime);
      if (start === undefined || end === undefined || end <= start) return graphError(400, 'BadRequest', 'filterStartDateTime and filterEndDateTime are required, start before end');
      const id = randomUUID();
      const body: Obj = {
        '@odata.context': `${base}/$metadata#security/auditLog/queries/$entity`,
        id,
        displayName: b.displayName ?? null,
        filterStartDateTime: b.filterStartDateTime,
        filterEndDateTime: b.filterEndDateTime,
        recordTypeFilters: b.recordTypeFilters ?? [],
        keywordFilter: null,
        serviceFilter: null,
        operationFilters: [],
        userPrincipalNameFilters: [],
        ipAddressFilters: [],
        objectIdFilters: [],
        administrativeUnitIdFilters: [],
        status: 'notStarted',
      };
      this.queries.set(id, { id, created: now, start, end, body });
      return { status: 201, body };
    }
    if (parts.length === 3 && r.method === 'GET') {
      const value = [...this.queries.values()].map((x) => ({ ...x.body, status: now - x.created >= (this.fake.o.auditQueryRunMs ?? 90_000) ? 'succeeded' : 'running' }));
      return { status: 200, body: { '@odata.context': `${base}/$metadata#security/auditLog/queries`, value } };
    }
    const q = parts[3] ? this.queries.get(decodeURIComponent(parts[3])) : undefined;
    if (!q) return graphError(404, 'NotFound', 'The audit log query was not found.');
    const done = now - q.created >= (this.fake.o.auditQueryRunMs ?? 90_000);
    const records = this.ual.filter((x) => x.t >= q.start && x.t < q.end);
    if (parts.length === 4 && r.method === 'GET') {
      return { status: 200, body: { ...q.body, status: done ? 'succeeded' : 'running', ...(done ? { approximateReturnedRecordCount: records.length } : {}) } };
    }
    if (parts[4] === 'records' && r.method === 'GET') {
      if (!done) return graphError(400, 'BadRequest', 'The query has not completed.');
      const top = Math.min(Number(r.url.searchParams.get('$top') ?? 1000) || 1000, this.fake.o.graphMaxTop ?? 1000);
      const tok = dec<{ o: number; r?: number }>(r.url.searchParams.get('$skiptoken'));
      const off = tok?.o ?? 0;
      const page = records.slice(off, off + top).map((x) => auditLogRecord(x.rec));
      const body: Obj = { '@odata.context': `${base}/$metadata#security/auditLog/queries('${q.id}')/records`, value: page };
      if (off + top < records.length) {
        body['@odata.nextLink'] =
          r.fault?.kind === 'loop-link' ? r.url.toString() : r.fault?.kind === 'repeat-page' ? this.nextLink(r, { o: off, r: (tok?.r ?? 0) + 1 }) : this.nextLink(r, { o: off + top });
      }
      return { status: 200, body };
    }
    return graphError(405, 'BadRequest', 'Unsupported audit log query request');
  }

  private snapshot(r: RouteRequest, ver: string, path: string): Handled {
    const key = `graph/${ver}/${path}.json`.toLowerCase();
    const body = this.fake.o.tenant.snapshot.get(key);
    const p = path.toLowerCase();
    const roles = SNAPSHOT_ROLES.find(([re]) => re.test(p))![1];
    if (!roles.some((x) => hasRole(r.claims.roles, x))) return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    if (body === undefined) return graphError(404, 'Request_ResourceNotFound', `Resource '${path}' does not exist or one of its queried reference-property objects are not present.`);
    const pages = Array.isArray(body) ? (body as Obj[]) : [body as Obj];
    const all = pages.flatMap((pg) => (Array.isArray(pg.value) ? (pg.value as Obj[]) : []));
    const isCollection = pages.every((pg) => Array.isArray(pg.value));
    if (!isCollection) return { status: 200, body: pages[0] };
    const top = Math.min(Number(r.url.searchParams.get('$top') ?? 100) || 100, this.fake.o.graphMaxTop ?? 100);
    const off = dec<{ o: number }>(r.url.searchParams.get('$skiptoken'))?.o ?? 0;
    const out: Obj = { '@odata.context': (pages[0]!['@odata.context'] as string | undefined) ?? `${this.fake.origins().graph}/${ver}/$metadata#${path}`, value: all.slice(off, off + top) };
    if (off + top < all.length) out['@odata.nextLink'] = this.nextLink(r, { o: off + top });
    return { status: 200, body: out };
  }
}

/** A Management API record as the audit log query API returns it (microsoft.graph.security.auditLogRecord). */
export function auditLogRecord(rec: Obj): Obj {
  const name = RECORD_TYPE_NAMES[Number(rec.RecordType)] ?? String(rec.RecordType);
  const created = String(rec.CreationTime ?? '');
  return {
    '@odata.type': '#microsoft.graph.security.auditLogRecord',
    id: rec.Id,
    createdDateTime: /Z$|[+-]\d\d:\d\d$/.test(created) ? created : `${created}Z`,
    auditLogRecordType: name.charAt(0).toLowerCase() + name.slice(1),
    operation: rec.Operation,
    organizationId: rec.OrganizationId,
    userType: typeof rec.UserType === 'number' ? ['regular', 'reserved', 'admin', 'dcAdmin', 'system', 'application', 'servicePrincipal', 'customPolicy', 'systemPolicy', 'partnerTechnician', 'guest'][rec.UserType] ?? 'regular' : rec.UserType,
    userId: rec.UserKey,
    service: rec.Workload,
    objectId: rec.ObjectId ?? null,
    userPrincipalName: rec.UserId,
    clientIp: rec.ClientIP ?? null,
    administrativeUnits: [],
    auditData: { '@odata.type': '#microsoft.graph.security.defaultAuditData', ...rec },
  };
}
