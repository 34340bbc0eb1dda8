// The watch's HTTP endpoints, on a loopback address only (they have no authentication):
//   GET /healthz  200 {"status":"ok"|"degraded", …} or 503 {"status":"failing", …} — per source: checkpoint, lag,
//                 last success, failures; per sink: pending, delivered, dead deliveries
//   GET /metrics  Prometheus text format 0.0.4
// Anything else is 404; methods other than GET/HEAD 405. Responses carry no secrets: errors in the health report
// went through the Redactor.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthReport {
  status: 'ok' | 'degraded' | 'failing';
}

export interface WatchServerOptions {
  host: string;
  port: number;
  health(): HealthReport;
  metrics(): string;
}

export interface WatchServer {
  host: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/i;

export async function startWatchServer(o: WatchServerOptions): Promise<WatchServer> {
  if (!LOOPBACK.test(o.host)) throw new Error(`the health and metrics endpoints listen on loopback only, not ${o.host}`);
  const server: Server = createServer((req, res) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(405, 'text/plain; charset=utf-8', 'method not allowed\n');
    }
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (path === '/healthz') {
        const h = o.health();
        return send(h.status === 'failing' ? 503 : 200, 'application/json; charset=utf-8', JSON.stringify(h, null, 1) + '\n');
      }
      if (path === '/metrics') return send(200, 'text/plain; version=0.0.4; charset=utf-8', o.metrics());
    } catch (e) {
      return send(500, 'text/plain; charset=utf-8', `internal error: ${(e as Error).name}\n`);
    }
    return send(404, 'text/plain; charset=utf-8', 'not found: /healthz, /metrics\n');
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host === 'localhost' ? '127.0.0.1' : o.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    host: addr.address,
    port: addr.port,
    url: `http://${host}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
