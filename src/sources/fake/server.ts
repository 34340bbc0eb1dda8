// A local fake of the Microsoft services tenantwatch collects from, for tests: the token service (authority),
// Microsoft Graph, the Office 365 Management Activity API and the Exchange admin API, each an HTTPS server on
// 127.0.0.1 with its own port (so each has its own token audience), serving a fixture tenant built by the
// simulator. Response shapes follow Microsoft's documented examples: Graph pages with @odata.nextLink and
// newest-first results, the Management API's NextPageUri header, AF-coded errors, the audit log query states.
// Time comes from the injected clock: token lifetimes, the 7-day content window, late records, query progress.
// Never listens beyond 127.0.0.1.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudEndpoints } from '../auth/clouds.js';
import type { Clock } from '../clock.js';
import type { Obj } from '../types.js';
import { FaultPlan, type FaultRule, type ServerName } from './faults.js';
import { FakeSts, type FakeApp, type IssuedClaims, type ResourceServer } from './sts.js';
import type { FakeTenant } from './tenant.js';
import { GraphRoutes } from './graph-routes.js';
import { ManagementRoutes, type MgmtOptions } from './management-routes.js';

export interface FakeOptions {
  tenant: FakeTenant;
  clock: Clock;
  tls: { keyPem: string; certPem: string };
  app: FakeApp;
  faults?: FaultRule[];
  /** largest page the fake serves (Graph $top is capped to it); small values force paging */
  graphMaxTop?: number;
  /** items per Management API content listing page */
  contentPageSize?: number;
  /** Graph: a time-filtered query matching more records than this answers 504 (a window too big) */
  maxQueryRecords?: number;
  /** Graph: fraction of sign-ins/audits that only become visible `lateDelayMs` after their time */
  lateFraction?: number;
  lateDelayMs?: number;
  /** Graph: licence; false = sign-ins answer 403 like a tenant without Entra ID P1/P2 */
  premium?: boolean;
  mgmt?: MgmtOptions;
  /** virtual ms an audit log query takes to succeed */
  auditQueryRunMs?: number;
  tokenLifetimeMs?: number;
}

export interface RequestLogEntry {
  server: ServerName;
  method: string;
  path: string;
  query: string;
  status: number;
  fault?: string;
  publisherIdentifier?: string;
}

export interface Handled {
  status: number;
  headers?: Record<string, string>;
  /** JSON value, or text already serialised */
  body?: unknown;
}

export interface RouteRequest {
  server: ServerName;
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
  claims: IssuedClaims;
  fault?: FaultRule;
}

export const graphError = (status: number, code: string, message: string): Handled => ({
  status,
  body: { error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': '00000000-0000-4000-8000-000000000000', 'client-request-id': '00000000-0000-4000-8000-000000000000' } } },
});

export class FakeMicrosoft {
  readonly requests: RequestLogEntry[] = [];
  readonly sts: FakeSts;
  readonly faults: FaultPlan;
  readonly graph: GraphRoutes;
  readonly management: ManagementRoutes;
  private servers = new Map<ServerName, Server>();
  private hanging = new Set<ServerResponse>();
  private ports: Partial<Record<ServerName, number>> = {};

  constructor(readonly o: FakeOptions) {
    this.faults = new FaultPlan(o.faults ?? []);
    this.sts = new FakeSts(o.tenant.id, o.app, o.clock, () => this.origins(), o.tokenLifetimeMs);
    this.graph = new GraphRoutes(this);
    this.management = new ManagementRoutes(this, o.mgmt ?? {});
  }

  origins(): Record<ServerName, string> {
    const o = (n: ServerName) => `https://127.0.0.1:${this.ports[n] ?? 0}`;
    return { authority: o('authority'), graph: o('graph'), management: o('management'), exchange: o('exchange') };
  }

  /** The endpoints to configure a collector with (tenant.endpoints). */
  get endpoints(): CloudEndpoints {
    const o = this.origins();
    return { authority: o.authority, graph: o.graph, management: o.management, exchange: o.exchange };
  }

  async start(): Promise<this> {
    for (const name of ['authority', 'graph', 'management', 'exchange'] as const) {
      const srv = createServer({ key: this.o.tls.keyPem, cert: this.o.tls.certPem }, (req, res) => void this.handle(name, req, res));
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', () => resolve());
      });
      this.ports[name] = (srv.address() as AddressInfo).port;
      this.servers.set(name, srv);
    }
    return this;
  }

  async close(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    this.hanging.clear();
    await Promise.all(
      [...this.servers.values()].map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
  }

  private async handle(server: ServerName, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.origins()[server]);
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: RequestLogEntry = { server, method, path: url.pathname, query: url.search, status: 0 };
    const pub = [...url.searchParams.entries()].find(([k]) => k.toLowerCase() === 'publisheridentifier')?.[1];
    if (pub !== undefined) entry.publisherIdentifier = pub;
    this.requests.push(entry);
    const fault = this.faults.pick(server, method, url.pathname + url.search);
    if (fault) entry.fault = fault.kind;

    let out: Handled | undefined;
    if (fault) {
      switch (fault.kind) {
        case 'hang':
          this.hanging.add(res);
          res.on('close', () => this.hanging.delete(res));
          entry.status = -1;
          return;
        case 'slow':
          await new Promise((r) => setTimeout(r, fault.delayMs ?? 50));
          break;
        case '429':
          out = { ...graphError(429, 'TooManyRequests', 'Too many requests, please try again later.'), headers: { 'retry-after': String(fault.retryAfter ?? 10) } };
          break;
        case 'af429':
          out = { status: 403, body: { error: { code: 'AF429', message: `Too many requests. Method=${url.pathname.includes('/audit/') ? 'GetBlob' : 'ListContent'}, PublisherId=${pub ?? '00000000-0000-0000-0000-000000000000'}` } } };
          if (fault.retryAfter !== undefined) out.headers = { 'retry-after': String(fault.retryAfter) };
          break;
        case '500':
          out = graphError(500, 'InternalServerError', 'An internal server error occurred.');
          break;
        case '503':
          out = { ...graphError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.'), ...(fault.retryAfter !== undefined ? { headers: { 'retry-after': String(fault.retryAfter) } } : {}) };
          break;
        case '504':
          out = graphError(504, 'GatewayTimeout', 'The gateway timed out.');
          break;
        case 'expire-token':
          if (server !== 'authority') {
            this.sts.revokeAll();
            out = graphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
          }
          break;
        default:
          break; // truncate / reset / repeat-page / loop-link act on the real response below
      }
    }
    if (out && server === 'authority' && out.status >= 500) {
      out = { status: out.status, body: { error: 'temporarily_unavailable', error_description: 'AADSTS90033: A transient error has occurred. Please try again.', error_codes: [90033] } };
    }
    if (!out) {
      try {
        out = await this.route(server, method, url, req.headers, body, fault);
      } catch (e) {
        out = graphError(500, 'InternalServerError', `fake service bug: ${(e as Error).message}`);
      }
    }
    entry.status = out.status;
    const text = out.body === undefined ? '' : typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...out.headers };
    if (fault?.kind === 'truncate' && out.status === 200 && text.length > 2) {
      const cut = text.slice(0, Math.floor(text.length / 2));
      res.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(cut)) });
      res.end(cut);
      return;
    }
    if (fault?.kind === 'reset' && text.length > 2) {
      res.writeHead(out.status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
      res.write(text.slice(0, Math.floor(text.length / 2)), () => res.destroy());
      return;
    }
    res.writeHead(out.status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  }

  private async route(server: ServerName, method: string, url: URL, headers: IncomingMessage['headers'], body: string, fault: FaultRule | undefined): Promise<Handled> {
    if (server === 'authority') return this.authority(method, url, body);
    const v = this.sts.validate(headers.authorization, server as ResourceServer);
    if (!('claims' in v)) {
      if (server === 'management') return { status: 401, body: { error: { code: 'AF10001', message: `Authorization has been denied for this request. ${v.message}` } } };
      return graphError(401, v.code, v.message);
    }
    const r: RouteRequest = { server, method, url, headers, body, claims: v.claims, fault };
    if (server === 'graph') return this.graph.handle(r);
    if (server === 'management') return this.management.handle(r);
    return this.exchange(r);
  }

  private authority(method: string, url: URL, body: string): Handled {
    const m = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/.exec(url.pathname);
    if (!m) return { status: 404, body: { error: 'not_found', error_description: `no route ${url.pathname}` } };
    if (m[2]!.startsWith('v2.0')) {
      if (m[1]!.toLowerCase() !== this.o.tenant.id.toLowerCase()) return { status: 400, body: { error: 'invalid_tenant', error_description: `AADSTS90002: Tenant '${m[1]}' not found.` } };
      return { status: 200, body: this.sts.metadata(m[1]!) };
    }
    if (method !== 'POST') return { status: 405, body: { error: 'invalid_request' } };
    const reply = this.sts.token(m[1]!, new URLSearchParams(body), `${this.origins().authority}${url.pathname}`);
    return { status: reply.status, body: reply.body };
  }

  /** Exchange admin API: POST /adminapi/beta/{tenant}/InvokeCommand {CmdletInput:{CmdletName,Parameters}}. */
  private exchange(r: RouteRequest): Handled {
    const m = /^\/adminapi\/beta\/([^/]+)\/InvokeCommand$/i.exec(r.url.pathname);
    if (!m || r.method !== 'POST') return graphError(404, 'NotFound', `no route ${r.url.pathname}`);
    if (m[1]!.toLowerCase() !== this.o.tenant.id) return graphError(400, 'BadRequest', 'tenant mismatch');
    if (!r.claims.roles.includes('Exchange.ManageAsApp')) return graphError(401, 'Unauthorized', 'The role assigned to application isn\'t supported in this scenario (Exchange.ManageAsApp missing).');
    if (!String(r.headers['x-anchormailbox'] ?? '').startsWith('UPN:')) return graphError(400, 'BadRequest', 'X-AnchorMailbox header missing');
    let cmd: string | undefined;
    try {
      cmd = (JSON.parse(r.body) as { CmdletInput?: { CmdletName?: string } }).CmdletInput?.CmdletName;
    } catch {
      /* below */
    }
    if (!cmd) return graphError(400, 'BadRequest', 'CmdletInput.CmdletName missing');
    const body = this.o.tenant.snapshot.get(`exchange/${cmd.toLowerCase()}.json`);
    const value = Array.isArray(body) ? (body as Obj[]) : body && typeof body === 'object' ? [body as Obj] : [];
    return { status: 200, body: { '@odata.context': `${this.origins().exchange}/adminapi/beta/${m[1]}/$metadata#Collection(Exchange.GenericHashTable)`, adminapi_warnings: [], value } };
  }

  now(): number {
    return this.o.clock.now();
  }
}

export async function startFakeMicrosoft(o: FakeOptions): Promise<FakeMicrosoft> {
  return new FakeMicrosoft(o).start();
}
