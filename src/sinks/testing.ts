// Test receivers on 127.0.0.1: an HTTP webhook receiver with scripted answers, and syslog listeners over UDP, TCP
// and TLS (octet counting or newline framing). They record what arrived; `keys()` gives the idempotency keys seen,
// so tests can check "every key unique per alert" and count repeats.
import { createSocket } from 'node:dgram';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** the status answered */
  status: number;
}

export interface HttpReceiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** answers for the next requests, in order (then 200); e.g. [{status: 429, headers: {'retry-after': '3'}}, {status: 503}] */
  script: { status: number; headers?: Record<string, string> }[];
  /** answer every request with this status (after the script) */
  always?: number;
  /** idempotency keys of the requests answered 2xx */
  keys(): string[];
  close(): Promise<void>;
}

export async function startHttpReceiver(path = '/hook/s3cr3t-path-token-0123456789'): Promise<HttpReceiver> {
  const r: HttpReceiver = {
    url: '',
    port: 0,
    requests: [],
    script: [],
    keys: () => r.requests.filter((q) => q.status >= 200 && q.status < 300).map((q) => String(q.headers['idempotency-key'])),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const next = r.script.shift() ?? { status: r.always ?? 200 };
      r.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status: next.status });
      res.writeHead(next.status, { 'content-type': 'text/plain', ...next.headers });
      res.end(next.status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  r.port = (server.address() as AddressInfo).port;
  r.url = `http://127.0.0.1:${r.port}${path}`;
  return r;
}

export interface SyslogReceiver {
  port: number;
  messages: string[];
  /** MSGIDs (the idempotency keys) of the messages received */
  keys(): string[];
  close(): Promise<void>;
}

/** The MSGID field of an RFC 5424 message: <PRI>1 TS HOST APP PROCID MSGID ... */
export function msgIdOf(m: string): string | undefined {
  return /^<\d{1,3}>1 \S+ \S+ \S+ \S+ (\S+) /.exec(m)?.[1];
}

function syslogReceiver(messages: string[], port: number, close: () => Promise<void>): SyslogReceiver {
  return { port, messages, keys: () => messages.map((m) => msgIdOf(m) ?? '?'), close };
}

export async function startUdpSyslog(): Promise<SyslogReceiver> {
  const messages: string[] = [];
  const sock = createSocket('udp4');
  sock.on('message', (m) => messages.push(m.toString('utf8')));
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', () => resolve()));
  return syslogReceiver(messages, sock.address().port, () => new Promise((resolve) => sock.close(() => resolve())));
}

/** RFC 6587 framing: octet counting ("LEN SP MSG") when a frame starts with a digit, else newline-terminated. */
function framer(onMessage: (m: string) => void): (chunk: Buffer) => void {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (buf.length === 0) return;
      if (buf[0]! >= 0x30 && buf[0]! <= 0x39) {
        const sp = buf.indexOf(0x20);
        if (sp < 0) return;
        const len = Number(buf.subarray(0, sp).toString('ascii'));
        if (buf.length < sp + 1 + len) return;
        onMessage(buf.subarray(sp + 1, sp + 1 + len).toString('utf8'));
        buf = buf.subarray(sp + 1 + len);
      } else {
        const nl = buf.indexOf(0x0a);
        if (nl < 0) return;
        onMessage(buf.subarray(0, nl).toString('utf8'));
        buf = buf.subarray(nl + 1);
      }
    }
  };
}

async function streamReceiver(server: NetServer, messages: string[], port = 0): Promise<SyslogReceiver> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return syslogReceiver(messages, (server.address() as AddressInfo).port, async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
}

export function startTcpSyslog(port = 0): Promise<SyslogReceiver> {
  const messages: string[] = [];
  const server = createNetServer((s) => {
    const feed = framer((m) => messages.push(m));
    s.on('data', feed);
    s.on('error', () => undefined);
  });
  return streamReceiver(server, messages, port);
}

export function startTlsSyslog(tls: { keyPem: string; certPem: string }): Promise<SyslogReceiver> {
  const messages: string[] = [];
  const server = createTlsServer({ key: tls.keyPem, cert: tls.certPem, minVersion: 'TLSv1.2' }, (s) => {
    const feed = framer((m) => messages.push(m));
    s.on('data', feed);
    s.on('error', () => undefined);
  });
  server.on('tlsClientError', () => undefined);
  return streamReceiver(server as unknown as NetServer, messages);
}

/** A port nothing listens on (yet): bind, read the port, close. */
export async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
