// Syslog (RFC 5424) over UDP (RFC 5426: one message per datagram), TCP (RFC 6587: octet counting "LEN SP MSG", or
// one message per line) or TLS (RFC 5425: octet counting over TLS 1.2+, the server certificate checked against the
// system CAs plus `caFile`). TCP/TLS keep one connection and reconnect after an error. Syslog has no
// acknowledgement: a message counts as delivered once the kernel took it (UDP: sent; TCP/TLS: written), so a
// receiver that dies mid-stream can lose what it had not read — the idempotency key (MSGID) lets it drop repeats
// when it is sent again.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { connect as tlsConnect, rootCertificates } from 'node:tls';
import type { SyslogSinkConfig } from '../../config/watch.js';
import type { Alert, Severity } from '../../detect/alert.js';
import { VERSION } from '../../cli/version.js';
import { failure, wantsAlert, type DeliveryItem, type SendOutcome, type Sink } from '../types.js';
import { syslogMessage } from './format.js';

export class SyslogSink implements Sink {
  readonly type = 'syslog' as const;
  readonly minIntervalMs = 0;
  private sock: Socket | undefined;
  private udp: UdpSocket | undefined;
  private ca: string[] | undefined;
  constructor(
    readonly cfg: SyslogSinkConfig,
    /** folder relative caFile paths are resolved against */
    private readonly baseDir: string,
  ) {}
  get name(): string {
    return this.cfg.name;
  }
  wants(alert: Alert, previous?: Severity): boolean {
    return wantsAlert(this.cfg, alert, previous);
  }

  message(item: DeliveryItem): string {
    const c = this.cfg;
    return syslogMessage(item.alert, item.key, { facility: c.facility, hostname: c.hostname ?? hostname(), appName: c.appName, format: c.format, maxMessageBytes: c.maxMessageBytes, version: VERSION });
  }

  async send(item: DeliveryItem): Promise<SendOutcome> {
    const msg = this.message(item);
    try {
      if (this.cfg.transport === 'udp') await this.sendUdp(Buffer.from(msg, 'utf8'));
      else {
        const framed = this.cfg.framing === 'lf' ? `${msg}\n` : `${Buffer.byteLength(msg)} ${msg}`;
        await this.write(Buffer.from(framed, 'utf8'));
      }
      return { ok: true };
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      this.drop();
      if (err.code === 'ETIMEOUT') return failure(err.message, 'timeout', true);
      const code = err.code ?? 'network';
      const tls = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/i.test(code);
      // a certificate problem is a configuration problem; anything else may pass (the receiver restarts)
      return failure(`${tls ? 'TLS' : 'network'} error (${code})`, tls ? 'tls' : 'network', !tls);
    }
  }

  private sendUdp(buf: Buffer): Promise<void> {
    if (!this.udp) {
      this.udp = createSocket(isIP(this.cfg.host) === 6 ? 'udp6' : 'udp4');
      this.udp.on('error', () => this.drop());
      this.udp.unref();
    }
    const udp = this.udp;
    return new Promise((resolve, reject) => udp.send(buf, this.cfg.port, this.cfg.host, (e) => (e ? reject(e) : resolve())));
  }

  private async connect(): Promise<Socket> {
    if (this.sock && !this.sock.destroyed) return this.sock;
    const c = this.cfg;
    if (c.transport === 'tls' && c.caFile && !this.ca) this.ca = [...rootCertificates, await readFile(path.resolve(this.baseDir, c.caFile), 'utf8')];
    return new Promise<Socket>((resolve, reject) => {
      const s: Socket =
        c.transport === 'tls'
          ? tlsConnect({ host: c.host, port: c.port, ...(this.ca ? { ca: this.ca } : {}), ...(isIP(c.host) ? {} : { servername: c.host }), minVersion: 'TLSv1.2' }, () => ok())
          : netConnect({ host: c.host, port: c.port }, () => ok());
      const timer = setTimeout(() => {
        s.destroy();
        reject(Object.assign(new Error(`timed out connecting after ${c.timeout / 1000} s`), { code: 'ETIMEOUT' }));
      }, c.timeout);
      const ok = () => {
        clearTimeout(timer);
        s.off('error', fail);
        s.on('error', () => this.drop());
        s.on('close', () => {
          if (this.sock === s) this.sock = undefined;
        });
        s.setKeepAlive(true, 60_000);
        s.unref();
        this.sock = s;
        resolve(s);
      };
      const fail = (e: Error) => {
        clearTimeout(timer);
        reject(e);
      };
      s.once('error', fail);
    });
  }

  private async write(buf: Buffer): Promise<void> {
    const s = await this.connect();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(Object.assign(new Error(`timed out writing after ${this.cfg.timeout / 1000} s`), { code: 'ETIMEOUT' })), this.cfg.timeout);
      s.write(buf, (e) => {
        clearTimeout(timer);
        if (e) reject(e);
        else resolve();
      });
    });
  }

  private drop(): void {
    this.sock?.destroy();
    this.sock = undefined;
    try {
      this.udp?.close();
    } catch {
      /* already closed */
    }
    this.udp = undefined;
  }

  async close(): Promise<void> {
    const s = this.sock;
    this.sock = undefined;
    if (s && !s.destroyed) await new Promise<void>((r) => s.end(() => r()));
    this.drop();
  }
}
