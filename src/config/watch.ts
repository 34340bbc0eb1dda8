// The `watch:` and `sinks:` sections of the config: how `tenantwatch watch` polls, where it keeps its state, the
// loopback address of /healthz and /metrics, how it retries deliveries, and the alert sinks (Teams, Slack, a generic
// webhook, syslog, files). Webhook URLs and HMAC keys are secrets: like the collector's client secret they come
// from an environment variable or a private file, never from the YAML, and no error ever echoes them.
// Reference: docs/watch.md.
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { SourceKind } from '../core/event.js';
import type { Severity } from '../detect/alert.js';
import { SEVERITIES } from '../detect/alert.js';
import type { CollectConfig, SignInEventType } from './collect.js';
import { suggest, type Schema, type Walker } from './schema.js';
import { describe, parseDuration } from './tunables.js';
import { pastedValue } from '../core/text.js';

export const SINK_TYPES = ['teams', 'slack', 'webhook', 'syslog', 'file'] as const;
export type SinkType = (typeof SINK_TYPES)[number];

/** Where a secret lives: exactly one of an environment variable or a file (mode 600). */
export interface SecretRef {
  env?: string;
  file?: string;
}

/** Which revisions of an alert (same id, more occurrences or a higher severity) a sink receives. */
export type RevisionPolicy = 'all' | 'escalations' | 'none';

interface SinkBase {
  /** unique among the sinks; the outbox and the metrics use it (default: the type, numbered when repeated) */
  name: string;
  /** alerts below this severity are not sent */
  minSeverity: Severity;
  revisions: RevisionPolicy;
  /** per-attempt time budget (ms) */
  timeout: number;
}

export interface TeamsSinkConfig extends SinkBase {
  type: 'teams';
  url: SecretRef;
}
export interface SlackSinkConfig extends SinkBase {
  type: 'slack';
  url: SecretRef;
}
export interface WebhookSinkConfig extends SinkBase {
  type: 'webhook';
  url: SecretRef;
  /** HMAC-SHA256 key for the signature header */
  secret?: SecretRef;
  format: 'alert' | 'ocsf';
}
export interface SyslogSinkConfig extends SinkBase {
  type: 'syslog';
  host: string;
  port: number;
  transport: 'udp' | 'tcp' | 'tls';
  format: 'json' | 'cef';
  /** RFC 5424 facility number (0-23) */
  facility: number;
  appName: string;
  /** HOSTNAME field; default: this machine's name */
  hostname?: string;
  /** TCP/TLS framing (RFC 6587): octet counting (default) or one message per line */
  framing: 'octet-counting' | 'lf';
  /** extra CA certificates (PEM) to trust for TLS */
  caFile?: string;
  /** a message longer than this is shortened (evidence dropped first); UDP datagrams must stay small */
  maxMessageBytes: number;
}
export interface FileSinkConfig extends SinkBase {
  type: 'file';
  path: string;
  format: 'ndjson' | 'ocsf';
}

export type SinkConfig = TeamsSinkConfig | SlackSinkConfig | WebhookSinkConfig | SyslogSinkConfig | FileSinkConfig;

export interface WatchConfig {
  /** how often each source is polled */
  interval: number;
  /** Graph sources are read up to now − delay: records need a while to appear */
  delay: number;
  /** each Graph poll re-reads this far below where the last one ended (records that appeared late) */
  lookback: number;
  /** on the very first start, read from now − backfill */
  backfill: number;
  /** /healthz and /metrics; undefined = off */
  listen?: { host: string; port: number };
  /** the SQLite store (default: --db, $TENANTWATCH_DB or ./tenantwatch.db) */
  db?: string;
  /** deliveries that failed for good are appended here (NDJSON); default: beside the store */
  deadLetter?: string;
  delivery: {
    maxAttempts: number;
    /** first retry wait; doubles per attempt up to maxBackoff (Retry-After wins when the receiver sends one) */
    backoff: number;
    maxBackoff: number;
  };
}

export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 9464 };

export function defaultWatchConfig(): WatchConfig {
  return {
    interval: 5 * 60_000,
    delay: 5 * 60_000,
    lookback: 10 * 60_000,
    backfill: 3_600_000,
    listen: { ...DEFAULT_LISTEN },
    delivery: { maxAttempts: 8, backoff: 5000, maxBackoff: 15 * 60_000 },
  };
}

const SYSLOG_FACILITIES: Record<string, number> = {
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9, authpriv: 10, ftp: 11,
  ntp: 12, security: 13, console: 14, solaris: 15, local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21,
  local6: 22, local7: 23,
};

type Check = { value: unknown } | { error: string };
const leaf = (check: (v: unknown) => Check): Schema => ({ t: 'leaf', check });
const text = leaf((v) => (typeof v === 'string' && v.trim() !== '' ? { value: v.trim() } : { error: `expected text, got ${describe(v)}` }));
const oneOf = <T extends string>(values: readonly T[], what: string) =>
  leaf((v) => (typeof v === 'string' && (values as readonly string[]).includes(v) ? { value: v } : { error: `unknown ${what} ${describe(v)} (one of: ${values.join(', ')})` }));
const intIn = (min: number, max: number) =>
  leaf((v) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? { value: v } : { error: `expected a whole number from ${min} to ${max}, got ${describe(v)}` }));
const durationIn = (min: number, max: number) =>
  leaf((v) => {
    const ms = parseDuration(v);
    if (ms === undefined) return { error: `expected a duration like "30s", "5m" or "1h", got ${describe(v)}` };
    if (ms < min || ms > max) return { error: `must be between ${fmt(min)} and ${fmt(max)}` };
    return { value: ms };
  });
const fmt = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`);
const severity = leaf((v) => {
  const s = typeof v === 'string' ? (v.toLowerCase() === 'info' ? 'informational' : v.toLowerCase()) : v;
  return typeof s === 'string' && (SEVERITIES as readonly string[]).includes(s) ? { value: s } : { error: `expected a severity (${SEVERITIES.join(', ')}), got ${describe(v)}` };
});
const facility = leaf((v) => {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 23) return { value: v };
  if (typeof v === 'string' && SYSLOG_FACILITIES[v.toLowerCase()] !== undefined) return { value: SYSLOG_FACILITIES[v.toLowerCase()] };
  const hint = typeof v === 'string' ? suggest(v, Object.keys(SYSLOG_FACILITIES)) : undefined;
  return { error: `expected a syslog facility (${Object.keys(SYSLOG_FACILITIES).join(', ')} or 0-23), got ${describe(v)}${hint ? ` (did you mean "${hint}"?)` : ''}` };
});
const hostName = leaf((v) =>
  typeof v === 'string' && /^[A-Za-z0-9.:_-]+$/.test(v.trim()) && v.trim().length <= 255 ? { value: v.trim() } : { error: `expected a host name or IP address, got ${describe(v)}` },
);
// RFC 5424 APP-NAME / HOSTNAME: printable US-ASCII without spaces
const printable = (max: number) =>
  leaf((v) => (typeof v === 'string' && /^[!-~]+$/.test(v) && v.length <= max ? { value: v } : { error: `expected 1-${max} printable ASCII characters without spaces, got ${describe(v)}` }));

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** "127.0.0.1:9464", "localhost:9464", "[::1]:9464", 9464, "off". Only loopback: the endpoints have no auth. */
export function checkListen(v: unknown): Check {
  if (v === false || v === 'off' || v === 'none') return { value: null };
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 65535 ? { value: { host: '127.0.0.1', port: v } } : { error: `port must be 0-65535, got ${v}` };
  if (typeof v !== 'string') return { error: `expected 127.0.0.1:PORT (or off), got ${describe(v)}` };
  const m = /^(\[::1\]|[^:\s]+|::1):(\d{1,5})$/.exec(v.trim());
  if (!m) return { error: `expected HOST:PORT like 127.0.0.1:9464 (or off), got ${describe(v)}` };
  const host = m[1]!;
  const port = Number(m[2]);
  if (port > 65535) return { error: `port must be 0-65535, got ${port}` };
  const h = host.toLowerCase();
  if (!LOOPBACK.has(h) && !/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) {
    return { error: `/healthz and /metrics have no authentication, so they listen on loopback only (127.0.0.1, ::1 or localhost), not ${describe(host)}; put a reverse proxy in front to expose them` };
  }
  return { value: { host: h === '[::1]' ? '::1' : h, port } };
}

export const watchSchema: Schema = {
  t: 'object',
  fields: {
    interval: durationIn(10_000, 24 * 3_600_000),
    delay: durationIn(0, 24 * 3_600_000),
    lookback: durationIn(0, 7 * 24 * 3_600_000),
    backfill: durationIn(0, 7 * 24 * 3_600_000),
    listen: leaf(checkListen),
    db: text,
    deadLetter: text,
    delivery: {
      t: 'object',
      fields: { maxAttempts: intIn(1, 100), backoff: durationIn(100, 3_600_000), maxBackoff: durationIn(1000, 24 * 3_600_000) },
    },
  },
};

const common: Record<string, Schema> = {
  type: oneOf(SINK_TYPES, 'sink type'),
  name: leaf((v) => (typeof v === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(v) ? { value: v } : { error: `expected a name of 1-40 letters, digits, _ . -, got ${describe(v)}` })),
  minSeverity: severity,
  revisions: oneOf(['all', 'escalations', 'none'] as const, 'revision policy'),
  timeout: durationIn(500, 300_000),
};
// url and secret are validated in finishWatchSections: a URL pasted here instead of {env|file} is never echoed
const secretField: Schema = { t: 'external' };

const SINK_SCHEMAS: Record<SinkType, Schema> = {
  teams: { t: 'object', fields: { ...common, url: secretField } },
  slack: { t: 'object', fields: { ...common, url: secretField } },
  webhook: { t: 'object', fields: { ...common, url: secretField, secret: secretField, format: oneOf(['alert', 'ocsf'] as const, 'webhook format') } },
  syslog: {
    t: 'object',
    fields: {
      ...common,
      host: hostName,
      port: intIn(1, 65535),
      transport: oneOf(['udp', 'tcp', 'tls'] as const, 'syslog transport'),
      format: oneOf(['json', 'cef'] as const, 'syslog format'),
      facility,
      appName: printable(48),
      hostname: printable(255),
      framing: oneOf(['octet-counting', 'lf'] as const, 'syslog framing'),
      caFile: text,
      maxMessageBytes: intIn(480, 1_000_000),
    },
  },
  file: { t: 'object', fields: { ...common, path: text, format: oneOf(['ndjson', 'ocsf'] as const, 'file format') } },
};

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Chat sinks get what a person should look at now; machine sinks get everything. */
function sinkDefaults(type: SinkType): Pick<SinkBase, 'minSeverity' | 'revisions' | 'timeout'> {
  const chat = type === 'teams' || type === 'slack';
  return { minSeverity: chat ? 'medium' : 'informational', revisions: chat ? 'escalations' : 'all', timeout: 10_000 };
}

/**
 * The `sinks:` list (each item's fields depend on its `type`) and cross-field checks of `watch:`, reported at the
 * item's place in the file. `latenessOf` gives the configured lateness of the Graph sources watch polls.
 */
export function finishWatchSections(
  raw: { watch?: Partial<WatchConfig> & { delivery?: Partial<WatchConfig['delivery']> } },
  doc: Document,
  w: Walker,
  graphLateness: { source: string; ms: number }[],
): { watch?: WatchConfig; sinks?: SinkConfig[] } {
  const at = (...path: (string | number)[]): Node | undefined => (doc.getIn(path, true) as Node | undefined) ?? undefined;
  const out: { watch?: WatchConfig; sinks?: SinkConfig[] } = {};
  if (raw.watch !== undefined) {
    const d = defaultWatchConfig();
    const rw = raw.watch;
    const watch: WatchConfig = {
      ...d,
      ...rw,
      delivery: { ...d.delivery, ...rw.delivery },
    };
    // listen: off arrives as null
    if ((rw as { listen?: unknown }).listen === null) delete watch.listen;
    if (watch.delivery.maxBackoff < watch.delivery.backoff) w.problem(at('watch', 'delivery', 'maxBackoff'), 'watch.delivery.maxBackoff must not be shorter than watch.delivery.backoff');
    const problem = lookbackProblem(watch, graphLateness);
    if (problem) w.problem(at('watch', 'lookback') ?? at('watch'), problem);
    out.watch = watch;
  }
  const sinksNode = at('sinks');
  if (sinksNode !== undefined && !(isScalar(sinksNode) && sinksNode.value === null)) {
    if (!isSeq(sinksNode)) {
      w.problem(sinksNode, 'sinks: expected a list of sinks ("- type: teams" items)');
      return out;
    }
    const sinks: { s: SinkConfig; i: number }[] = [];
    const names = new Map<string, number>();
    sinksNode.items.forEach((item, i) => {
      const s = finishSink(item as Node, i, w, at);
      if (!s) return;
      if (!s.name) {
        const n = (names.get(`#${s.type}`) ?? 0) + 1;
        names.set(`#${s.type}`, n);
        s.name = n === 1 ? s.type : `${s.type}-${n}`;
      }
      sinks.push({ s, i });
    });
    const seen = new Set<string>();
    for (const { s, i } of sinks) {
      if (seen.has(s.name)) w.problem(at('sinks', i, 'name') ?? at('sinks', i), `sinks[${i}]: the name "${s.name}" is used by another sink; give each a unique name`);
      seen.add(s.name);
    }
    out.sinks = sinks.map((x) => x.s);
  }
  return out;
}

/** watch.lookback must stay below the lateness of every Graph source polled (docs/watch.md, "Late records"). */
export function lookbackProblem(watch: Pick<WatchConfig, 'lookback'>, graphLateness: { source: string; ms: number }[]): string | undefined {
  for (const g of graphLateness) {
    if (watch.lookback >= g.ms) {
      return `watch.lookback (${fmt(watch.lookback)}) must be shorter than the lateness of ${g.source} (${fmt(g.ms)}): records read again would otherwise arrive behind the watermark; raise lateness.${g.source} or lower watch.lookback`;
    }
  }
  return undefined;
}

/** The event sources (engine SourceKinds) of the Graph collections watch polls with a look-back. */
export function graphKindsPolled(c: Pick<CollectConfig, 'sources' | 'signInEventTypes'>): SourceKind[] {
  const out: SourceKind[] = [];
  if (c.sources.includes('signins')) for (const t of c.signInEventTypes) out.push(SIGNIN_KIND[t]);
  if (c.sources.includes('directoryAudits')) out.push('entra.audit');
  if (c.sources.includes('messageTrace')) out.push('exchange.messagetrace');
  return out;
}

export const SIGNIN_KIND: Record<SignInEventType, SourceKind> = {
  interactiveUser: 'entra.signin',
  nonInteractiveUser: 'entra.signin.noninteractive',
  servicePrincipal: 'entra.signin.serviceprincipal',
  managedIdentity: 'entra.signin.managedidentity',
};

function finishSink(item: Node, i: number, w: Walker, at: (...p: (string | number)[]) => Node | undefined): SinkConfig | undefined {
  const where = `sinks[${i}]`;
  if (!isMap(item)) {
    w.problem(item, `${where}: expected a mapping with a type (${SINK_TYPES.join(', ')})`);
    return undefined;
  }
  const typeNode = item.get('type', true) as Node | undefined;
  const type = isScalar(typeNode) ? typeNode.value : undefined;
  if (typeof type !== 'string' || !(SINK_TYPES as readonly string[]).includes(type)) {
    const hint = typeof type === 'string' ? suggest(type, SINK_TYPES) : undefined;
    w.problem(typeNode ?? item, `${where}.type: ${type === undefined ? 'missing' : `unknown sink type ${describe(type)}`} (one of: ${SINK_TYPES.join(', ')})${hint ? ` (did you mean "${hint}"?)` : ''}`);
    return undefined;
  }
  const t = type as SinkType;
  const before = w.problems.length;
  const v = w.walk(item, SINK_SCHEMAS[t], where) as Record<string, unknown> | undefined;
  if (!v) return undefined;
  const need = (key: string, what: string) => {
    if (v[key] === undefined && at('sinks', i, key) === undefined) w.problem(item, `${where} (${t}): ${key} is required (${what})`);
  };
  if (t === 'teams' || t === 'slack' || t === 'webhook') {
    const u = secretRef(v.url, at('sinks', i, 'url'), `${where}.url`, w, 'the webhook URL is a secret');
    need('url', '{ env: VARIABLE } or { file: PATH } holding the webhook URL');
    if (u) v.url = u;
    if (t === 'webhook' && v.secret !== undefined) {
      const s = secretRef(v.secret, at('sinks', i, 'secret'), `${where}.secret`, w, 'the HMAC key is a secret');
      if (s) v.secret = s;
    }
  }
  if (t === 'syslog') need('host', 'the syslog receiver');
  if (t === 'file') need('path', 'the file to append alerts to');
  if (w.problems.length > before) return undefined;
  const d = sinkDefaults(t);
  const base = { ...d, name: '', ...v };
  switch (t) {
    case 'teams':
    case 'slack':
      return base as unknown as SinkConfig;
    case 'webhook':
      return { format: 'alert', ...base } as unknown as WebhookSinkConfig;
    case 'syslog': {
      const transport = (v.transport as SyslogSinkConfig['transport'] | undefined) ?? 'tls';
      return {
        transport,
        port: transport === 'tls' ? 6514 : 514,
        format: 'json',
        facility: 10,
        appName: 'tenantwatch',
        framing: 'octet-counting',
        maxMessageBytes: transport === 'udp' ? 8192 : 65_536,
        ...base,
      } as unknown as SyslogSinkConfig;
    }
    case 'file':
      return { format: 'ndjson', ...base } as unknown as FileSinkConfig;
  }
}

/** { env: NAME } or { file: PATH }; anything else is reported without showing it (it may be the secret itself). */
function secretRef(v: unknown, node: Node | undefined, where: string, w: Walker, why: string): SecretRef | undefined {
  if (v === undefined || v === null) return undefined;
  const hint = `give { env: VARIABLE } or { file: PATH } — ${why} and never goes in the config file (the value is not shown)`;
  if (typeof v !== 'object' || Array.isArray(v)) {
    w.problem(node, `${where}: ${hint}`);
    return undefined;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  const bad = keys.filter((k) => k !== 'env' && k !== 'file');
  if (bad.length) {
    w.problem(node, `${where}: unknown key "${bad[0]}" (known: env, file)`);
    return undefined;
  }
  if (keys.length !== 1) {
    w.problem(node, `${where}: ${hint}; exactly one of env or file`);
    return undefined;
  }
  if (o.env !== undefined) {
    if (typeof o.env !== 'string' || !ENV_NAME.test(o.env.trim())) {
      w.problem(node, `${where}.env: expected the NAME of an environment variable, like TW_TEAMS_URL — not the value itself (not shown)`);
      return undefined;
    }
    return { env: o.env.trim() };
  }
  if (typeof o.file !== 'string' || o.file.trim() === '') {
    w.problem(node, `${where}.file: expected a path to a file holding the value`);
    return undefined;
  }
  const pasted = pastedValue(o.file);
  if (pasted) {
    w.problem(node, `${where}.file: expected a path to a file holding the value, got ${pasted} (not shown): put it in a file (chmod 600) and give the file's path`);
    return undefined;
  }
  return { file: o.file.trim() };
}
