// Fake Office 365 Management Activity API: subscriptions (list/start), content listing by contentCreated in windows
// of at most 24 h within 7 days with the NextPageUri header, content blobs (JSON arrays of records) and the
// documented AF error codes. The fixture tenant's UAL records are packed into hourly blobs per content type; faults
// at the data level: records delivered a day late (in a blob created a day after them), the same blob listed twice,
// records delivered again in another blob — all of which Microsoft documents or users have reported.
import { parseTime } from '../../core/time.js';
import type { Obj } from '../types.js';
import { unitHash } from './graph-routes.js';
import type { FakeMicrosoft, Handled, RouteRequest } from './server.js';

export interface MgmtOptions {
  /** content types whose subscription is enabled at the start (default: all) */
  enabled?: string[];
  /** fraction of records delivered `lateDelayMs` (default a day) late */
  lateFraction?: number;
  lateDelayMs?: number;
  /** fraction of blobs listed a second time (same contentId), 3 h after the first listing */
  duplicateBlobFraction?: number;
  /** fraction of records delivered again in another blob 2 h later */
  duplicateRecordFraction?: number;
  /** answer requests without PublisherIdentifier with AF429 (the shared pool is exhausted) */
  requirePublisher?: boolean;
}

interface Blob {
  contentId: string;
  contentType: string;
  created: number;
  records: Obj[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function contentTypeOf(rec: Obj): string {
  const w = String(rec.Workload ?? '');
  if (w === 'AzureActiveDirectory') return 'Audit.AzureActiveDirectory';
  if (w === 'Exchange') return 'Audit.Exchange';
  if (w === 'SharePoint' || w === 'OneDrive') return 'Audit.SharePoint';
  return 'Audit.General';
}

const afError = (status: number, code: string, message: string): Handled => ({ status, body: { error: { code, message } } });

function parseApiTime(v: string | null): number | undefined {
  if (!v) return undefined;
  // YYYY-MM-DD, YYYY-MM-DDTHH:MM, YYYY-MM-DDTHH:MM:SS — all UTC
  if (!/^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d)?)?$/.test(v)) return undefined;
  return parseTime(v.length === 10 ? `${v}T00:00:00Z` : `${v}${v.length === 16 ? ':00' : ''}Z`);
}

export class ManagementRoutes {
  readonly blobs = new Map<string, Blob>();
  /** listing entries: a blob may be listed more than once */
  private readonly listing: { contentId: string; contentType: string; listedAt: number }[] = [];
  readonly subscriptions = new Map<string, 'enabled' | 'disabled'>();

  constructor(
    private readonly fake: FakeMicrosoft,
    private readonly o: MgmtOptions,
  ) {
    for (const ct of o.enabled ?? ['Audit.AzureActiveDirectory', 'Audit.Exchange', 'Audit.SharePoint', 'Audit.General', 'DLP.All']) this.subscriptions.set(ct, 'enabled');
    const groups = new Map<string, Blob>();
    let n = 0;
    const add = (ct: string, created: number, rec: Obj) => {
      const key = `${ct}|${created}`;
      let b = groups.get(key);
      if (!b) {
        const stamp = new Date(created).toISOString().replace(/\D/g, '').slice(0, 17);
        const contentId = `${stamp}${String(++n).padStart(6, '0')}$${stamp}${n}$${ct.toLowerCase().replace('.', '_')}$${ct.replace('.', '_')}$emea0001`;
        b = { contentId, contentType: ct, created, records: [] };
        groups.set(key, b);
      }
      b.records.push(rec);
    };
    const tenant = fake.o.tenant;
    for (const rec of tenant.ual) {
      const t = parseTime(rec.CreationTime) ?? 0;
      const id = String(rec.Id);
      const late = o.lateFraction !== undefined && unitHash(`mgmt-late:${id}`) < o.lateFraction;
      const deliver = t + 20 * 60_000 + (late ? (o.lateDelayMs ?? DAY) : 0);
      // hourly blobs, made available a few minutes after the hour
      const created = Math.floor(deliver / HOUR) * HOUR + HOUR + Math.floor(unitHash(`m:${Math.floor(deliver / HOUR)}`) * 20) * 60_000;
      add(contentTypeOf(rec), created, rec);
      if (o.duplicateRecordFraction !== undefined && unitHash(`mgmt-dup:${id}`) < o.duplicateRecordFraction) add(contentTypeOf(rec), created + 2 * HOUR, rec);
    }
    for (const b of groups.values()) {
      this.blobs.set(b.contentId, b);
      this.listing.push({ contentId: b.contentId, contentType: b.contentType, listedAt: b.created });
      if (o.duplicateBlobFraction !== undefined && unitHash(`mgmt-dupblob:${b.contentId}`) < o.duplicateBlobFraction) {
        this.listing.push({ contentId: b.contentId, contentType: b.contentType, listedAt: b.created + 3 * HOUR });
      }
    }
    this.listing.sort((a, b) => a.listedAt - b.listedAt || (a.contentId < b.contentId ? -1 : 1));
  }

  /** UAL record ids a collector can get now: in a blob created within the last 7 days and not in the future */
  visibleIds(contentTypes: string[], now = this.fake.now()): string[] {
    const ids = new Set<string>();
    for (const b of this.blobs.values()) {
      if (!contentTypes.includes(b.contentType) || b.created > now || b.created < now - 7 * DAY) continue;
      for (const r of b.records) ids.add(String(r.Id).toLowerCase());
    }
    return [...ids];
  }

  handle(r: RouteRequest): Handled {
    const m = /^\/api\/v1\.0\/([^/]+)\/activity\/feed\/(.+)$/.exec(r.url.pathname);
    if (!m) return afError(404, 'AF20052', `Unknown path ${r.url.pathname}`);
    const tenantId = this.fake.o.tenant.id;
    if (m[1]!.toLowerCase() !== tenantId) return afError(400, 'AF20010', `The tenant ID passed in the URL (${m[1]}) does not match the tenant ID passed in the access token (${r.claims.tid}).`);
    if (!r.claims.roles.includes('ActivityFeed.Read')) return afError(403, 'AF10001', `The permission set (${r.claims.roles.join(' ')}) sent in the request did not include the expected permission ActivityFeed.Read.`);
    const pub = [...r.url.searchParams.entries()].find(([k]) => k.toLowerCase() === 'publisheridentifier')?.[1];
    const method = m[2]!.startsWith('audit/') ? 'GetBlob' : 'ListContent';
    if (this.o.requirePublisher && !pub) return afError(403, 'AF429', `Too many requests. Method=${method}, PublisherId=00000000-0000-0000-0000-000000000000`);
    const op = m[2]!;
    const now = this.fake.now();
    const ct = r.url.searchParams.get('contentType') ?? '';
    if (op === 'subscriptions/list' && r.method === 'GET') {
      return { status: 200, body: [...this.subscriptions.entries()].map(([contentType, status]) => ({ contentType, status, webhook: null })) };
    }
    if (op === 'subscriptions/start' && r.method === 'POST') {
      if (!ct) return afError(400, 'AF20001', 'Missing parameter: contentType.');
      this.subscriptions.set(ct, 'enabled');
      return { status: 200, body: { contentType: ct, status: 'enabled', webhook: null } };
    }
    if (op === 'subscriptions/content' && r.method === 'GET') {
      const sub = this.subscriptions.get(ct);
      if (!sub) return afError(400, 'AF20022', 'No subscription found for the specified content type.');
      if (sub === 'disabled') return afError(400, 'AF20023', 'The subscription was disabled by a tenant admin.');
      const sRaw = r.url.searchParams.get('startTime');
      const eRaw = r.url.searchParams.get('endTime');
      if ((sRaw === null) !== (eRaw === null)) return afError(400, 'AF20055', 'Start time and end time must both be specified (or both omitted).');
      const start = sRaw === null ? now - DAY : parseApiTime(sRaw);
      const end = eRaw === null ? now : parseApiTime(eRaw);
      if (start === undefined || end === undefined || end <= start || end - start > DAY || start < now - 7 * DAY) {
        return afError(400, 'AF20030', 'Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time no more than 7 days in the past.');
      }
      const items = this.listing.filter((x) => x.contentType === ct && x.listedAt >= start && x.listedAt < end && x.listedAt <= now);
      const size = this.fake.o.contentPageSize ?? 100;
      const offRaw = r.url.searchParams.get('nextPage');
      const off = offRaw === null ? 0 : Number(offRaw.replace(/^p/, ''));
      if (!Number.isInteger(off) || off < 0) return afError(400, 'AF20031', `Invalid nextPage Input: ${offRaw}.`);
      const root = `${this.fake.origins().management}/api/v1.0/${tenantId}/activity/feed`;
      const body = items.slice(off, off + size).map((x) => {
        const b = this.blobs.get(x.contentId)!;
        return {
          contentUri: `${root}/audit/${x.contentId}`,
          contentId: x.contentId,
          contentType: ct,
          contentCreated: new Date(b.created).toISOString(),
          contentExpiration: new Date(b.created + 7 * DAY).toISOString(),
        };
      });
      const headers: Record<string, string> = {};
      if (off + size < items.length) {
        const u = new URL(r.url.toString());
        u.searchParams.set('nextPage', `p${off + size}`);
        // Microsoft's NextPageUri does not carry PublisherIdentifier: the client must add it again
        for (const k of [...u.searchParams.keys()]) if (k.toLowerCase() === 'publisheridentifier') u.searchParams.delete(k);
        headers.NextPageUri = r.fault?.kind === 'loop-link' ? r.url.toString() : u.toString();
      }
      return { status: 200, headers, body };
    }
    if (op.startsWith('audit/') && r.method === 'GET') {
      const id = decodeURIComponent(op.slice('audit/'.length));
      const b = this.blobs.get(id);
      if (!b || b.created > now) return afError(400, 'AF20050', `The specified content (${id}) does not exist.`);
      if (b.created < now - 7 * DAY) return afError(400, 'AF20051', `Content requested with the key ${id} has already expired. Content older than 7 days cannot be retrieved.`);
      return { status: 200, body: b.records };
    }
    return afError(404, 'AF20052', `Unsupported operation ${op}`);
  }
}
