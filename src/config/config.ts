// The tenantwatch config file (YAML): rule settings, allowlists, privileged accounts, lateness per source.
// Every problem is reported with its place: `tenantwatch.yml:14:5: unknown key "treshold" (did you mean "threshold"?)`.
// Reference with every key: docs/detection.md#configuration.
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { LineCounter, parseDocument } from 'yaml';
import type { SourceKind } from '../core/event.js';
import { ConfigError } from '../core/errors.js';
import { Walker, suggest, type Schema } from './schema.js';
import { collectSchema, finishCollectSections, tenantSchema, type CollectConfig, type TenantConfig } from './collect.js';
import { checkTunable, describe, parseDuration, HOUR, MINUTE, type TunableSpecs, type TunableValue } from './tunables.js';
import { finishWatchSections, graphKindsPolled, watchSchema, type SinkConfig, type WatchConfig } from './watch.js';

export const SOURCE_KINDS = [
  'entra.signin',
  'entra.signin.noninteractive',
  'entra.signin.serviceprincipal',
  'entra.signin.managedidentity',
  'entra.audit',
  'entra.risk',
  'ual',
  'exchange.messagetrace',
  'security.alert',
] as const satisfies readonly SourceKind[];
// compile-time check that the list above names every SourceKind
const _allSources: Exclude<SourceKind, (typeof SOURCE_KINDS)[number]> extends never ? true : never = true;
void _allSources;

export interface NamedLocation {
  name: string;
  cidrs: string[];
  /** trusted locations count as trusted IPs (allowlists) */
  trusted: boolean;
}

export interface Config {
  rules: {
    disabled: string[];
    /** rule id -> tunable name -> value (durations in ms); includes the implicit `suppress` */
    tunables: Record<string, Record<string, TunableValue>>;
  };
  allowlists: {
    /** IPs and CIDRs (v4/v6) */
    trustedIps: string[];
    namedLocations: NamedLocation[];
    /** VPN / SASE / secure web gateway ASNs */
    vpnAsns: number[];
    /** break-glass accounts: lower-cased UPNs or object ids */
    breakGlass: string[];
    /** tenantwatch's own collector app registration */
    collectorAppId?: string;
  };
  /** lower-cased UPNs or object ids, in addition to what a tenant snapshot says */
  privilegedAccounts: string[];
  /** how late events of a source may arrive (ms); `default` for sources not listed */
  lateness: Partial<Record<SourceKind | 'default', number>>;
  /** the `audit:` section as written; src/posture/exemptions.ts validates it */
  audit?: unknown;
  /** the tenant and app registration `collect`/`preflight`/`watch` use (src/config/collect.ts) */
  tenant?: TenantConfig;
  /** what `collect`/`watch` pull; absent = defaultCollectConfig() */
  collect?: CollectConfig;
  /** how `watch` polls, keeps state and delivers (src/config/watch.ts); absent = defaultWatchConfig() */
  watch?: WatchConfig;
  /** where `watch` delivers alerts */
  sinks?: SinkConfig[];
}

/** Built-in lateness bounds: how far behind the newest event of a source an event may still arrive on time. */
export const DEFAULT_LATENESS: Readonly<Record<SourceKind | 'default', number>> = {
  'entra.signin': 15 * MINUTE,
  'entra.signin.noninteractive': 15 * MINUTE,
  'entra.signin.serviceprincipal': 15 * MINUTE,
  'entra.signin.managedidentity': 15 * MINUTE,
  'entra.audit': 15 * MINUTE,
  'entra.risk': HOUR,
  ual: HOUR,
  'exchange.messagetrace': HOUR,
  'security.alert': HOUR,
  default: HOUR,
};

export function defaultConfig(): Config {
  return {
    rules: { disabled: [], tunables: {} },
    allowlists: { trustedIps: [], namedLocations: [], vpnAsns: [], breakGlass: [] },
    privilegedAccounts: [],
    lateness: {},
  };
}

export function latenessFor(config: Config, source: SourceKind): number {
  return config.lateness[source] ?? config.lateness.default ?? DEFAULT_LATENESS[source];
}

/** What config validation needs to know about rules (kept structural so config does not import the rules). */
export interface KnownRule {
  id: string;
  tunables: TunableSpecs;
  suppressMs: number;
}

/** The implicit tunable every rule has. */
export function suppressSpec(defaultMs: number): TunableSpecs[string] {
  return { type: 'duration', default: defaultMs, min: 0, help: 'suppression period: repeats for the same key fold into one alert' };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const leaf = (check: (v: unknown) => { value: unknown } | { error: string }): Schema => ({ t: 'leaf', check });

const str = leaf((v) => (typeof v === 'string' && v.trim() !== '' ? { value: v.trim() } : { error: `expected text, got ${describe(v)}` }));
const bool = leaf((v) => (typeof v === 'boolean' ? { value: v } : { error: `expected true or false, got ${describe(v)}` }));
const account = leaf((v) =>
  typeof v === 'string' && v.trim() !== ''
    ? { value: v.trim().toLowerCase() }
    : { error: `expected a UPN or object id, got ${describe(v)}` },
);

export function checkIpOrCidr(v: unknown): { value: string } | { error: string } {
  if (typeof v !== 'string') return { error: `expected an IP or CIDR like 203.0.113.0/24, got ${describe(v)}` };
  const s = v.trim();
  const [base, bits, extra] = s.split('/');
  const ver = isIP(base ?? '');
  if (!ver || extra !== undefined) return { error: `"${s}" is not an IP or CIDR (write 203.0.113.7, 203.0.113.0/24 or 2001:db8::/32)` };
  if (bits !== undefined) {
    const n = Number(bits);
    if (!/^\d+$/.test(bits) || n > (ver === 4 ? 32 : 128)) return { error: `"${s}": prefix length must be 0-${ver === 4 ? 32 : 128}` };
  }
  return { value: s.toLowerCase() };
}

function checkAsn(v: unknown): { value: number } | { error: string } {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^(AS)?\d+$/i.test(v.trim()) ? Number(v.trim().replace(/^AS/i, '')) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 4294967295) return { error: `expected an AS number like 13335 or "AS13335", got ${describe(v)}` };
  return { value: n };
}

function checkLateness(v: unknown): { value: number } | { error: string } {
  const ms = parseDuration(v);
  return ms === undefined ? { error: `expected a duration like "15m", "1h" or "24h", got ${describe(v)}` } : { value: ms };
}

export function configSchema(rules: readonly KnownRule[]): Schema {
  const ids = rules.map((r) => r.id);
  const byId = new Map(rules.map((r) => [r.id, r]));
  const ruleId = (k: string): string | undefined => {
    if (byId.has(k)) return undefined;
    const hint = suggest(k, ids);
    return `unknown rule "${k}"${hint ? ` (did you mean "${hint}"?)` : ' (see `tenantwatch rules list`)'}`;
  };
  const tunablesOf = (id: string): Schema => {
    const r = byId.get(id)!;
    const specs: TunableSpecs = { ...r.tunables, suppress: suppressSpec(r.suppressMs) };
    const fields: Record<string, Schema> = {};
    for (const [name, spec] of Object.entries(specs)) fields[name] = leaf((v) => checkTunable(spec, v));
    return { t: 'object', fields };
  };
  return {
    t: 'object',
    fields: {
      rules: {
        t: 'object',
        fields: {
          disabled: { t: 'list', item: leaf((v) => (typeof v === 'string' && !ruleId(v) ? { value: v } : { error: typeof v === 'string' ? ruleId(v)! : `expected a rule id, got ${describe(v)}` })) },
          tunables: { t: 'map', key: ruleId, value: tunablesOf },
        },
      },
      allowlists: {
        t: 'object',
        fields: {
          trustedIps: { t: 'list', item: leaf(checkIpOrCidr) },
          namedLocations: {
            t: 'list',
            item: {
              t: 'object',
              fields: { name: str, cidrs: { t: 'list', item: leaf(checkIpOrCidr) }, trusted: bool },
            },
          },
          vpnAsns: { t: 'list', item: leaf(checkAsn) },
          breakGlass: { t: 'list', item: account },
          collectorAppId: leaf((v) => (typeof v === 'string' && GUID.test(v.trim()) ? { value: v.trim().toLowerCase() } : { error: `expected an application (client) id GUID, got ${describe(v)}` })),
        },
      },
      privilegedAccounts: { t: 'list', item: account },
      lateness: {
        t: 'map',
        key: (k) => {
          const known = [...SOURCE_KINDS, 'default'];
          if (known.includes(k)) return undefined;
          const hint = suggest(k, known);
          return `unknown source "${k}"${hint ? ` (did you mean "${hint}"?)` : ` (sources: ${known.join(', ')})`}`;
        },
        value: leaf(checkLateness),
      },
      audit: { t: 'external' },
      tenant: tenantSchema,
      collect: collectSchema,
      watch: watchSchema,
      // each item's fields depend on its type: finishWatchSections walks them
      sinks: { t: 'external' },
    },
  };
}

/** Parse and validate config text. Throws ConfigError listing every problem with file:line:col. */
export function parseConfig(text: string, file: string, rules: readonly KnownRule[]): Config {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const w = new Walker(file, lines);
  for (const e of doc.errors) {
    const pos = e.linePos?.[0] ?? (e.pos?.[0] !== undefined ? lines.linePos(e.pos[0]) : undefined);
    w.problems.push({ file, line: pos?.line, col: pos?.col, message: `YAML syntax: ${e.message.split('\n')[0]}` });
  }
  if (doc.errors.length) throw new ConfigError(w.problems);
  const raw = w.walk(doc.contents as never, configSchema(rules), '') as Partial<RawConfig> | undefined;
  const sections = raw ? finishCollectSections(raw as Parameters<typeof finishCollectSections>[0], doc, w) : undefined;
  const lateness = { ...defaultConfig(), lateness: raw?.lateness ?? {} };
  const watchSections = raw && sections
    ? finishWatchSections(raw as Parameters<typeof finishWatchSections>[0], doc, w, graphKindsPolled(sections.collect).map((k) => ({ source: k, ms: latenessFor(lateness, k) })))
    : undefined;
  if (w.problems.length || !raw) throw new ConfigError(w.problems.length ? w.problems : [{ file, message: 'not a config mapping' }]);
  const base = defaultConfig();
  const named = (raw.allowlists?.namedLocations ?? []).map((n) => ({ name: n.name, cidrs: n.cidrs ?? [], trusted: n.trusted ?? false }));
  return {
    rules: { disabled: raw.rules?.disabled ?? [], tunables: raw.rules?.tunables ?? {} },
    allowlists: {
      ...base.allowlists,
      ...raw.allowlists,
      namedLocations: named,
    },
    privilegedAccounts: raw.privilegedAccounts ?? [],
    lateness: raw.lateness ?? {},
    ...(raw.audit !== undefined ? { audit: raw.audit } : {}),
    ...(sections?.tenant ? { tenant: sections.tenant } : {}),
    ...(raw.collect !== undefined && sections ? { collect: sections.collect } : {}),
    ...(watchSections?.watch ? { watch: watchSections.watch } : {}),
    ...(watchSections?.sinks ? { sinks: watchSections.sinks } : {}),
  };
}

interface RawConfig {
  audit?: unknown;
  rules: { disabled?: string[]; tunables?: Record<string, Record<string, TunableValue>> };
  allowlists: Partial<Omit<Config['allowlists'], 'namedLocations'>> & { namedLocations?: { name: string; cidrs?: string[]; trusted?: boolean }[] };
  privilegedAccounts: string[];
  lateness: Config['lateness'];
  tenant?: unknown;
  collect?: Partial<CollectConfig>;
  watch?: Partial<WatchConfig>;
}

/** Read and parse a config file. A missing or unreadable file is a ConfigError too (exit 2). */
export async function loadConfig(path: string, rules: readonly KnownRule[]): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigError([{ file: path, message: `cannot read the config file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
  }
  return parseConfig(text.replace(/^\uFEFF/, ''), path, rules);
}

/** Merge a config fragment over a base (used by rule cases): lists concatenate, maps merge. */
export function mergeConfig(base: Config, over: Config): Config {
  const tunables: Config['rules']['tunables'] = { ...base.rules.tunables };
  for (const [id, t] of Object.entries(over.rules.tunables)) tunables[id] = { ...tunables[id], ...t };
  return {
    rules: { disabled: [...base.rules.disabled, ...over.rules.disabled], tunables },
    allowlists: {
      trustedIps: [...base.allowlists.trustedIps, ...over.allowlists.trustedIps],
      namedLocations: [...base.allowlists.namedLocations, ...over.allowlists.namedLocations],
      vpnAsns: [...base.allowlists.vpnAsns, ...over.allowlists.vpnAsns],
      breakGlass: [...base.allowlists.breakGlass, ...over.allowlists.breakGlass],
      collectorAppId: over.allowlists.collectorAppId ?? base.allowlists.collectorAppId,
    },
    privilegedAccounts: [...base.privilegedAccounts, ...over.privilegedAccounts],
    lateness: { ...base.lateness, ...over.lateness },
    ...((over.tenant ?? base.tenant) ? { tenant: over.tenant ?? base.tenant } : {}),
    ...((over.collect ?? base.collect) ? { collect: over.collect ?? base.collect } : {}),
    ...((over.watch ?? base.watch) ? { watch: over.watch ?? base.watch } : {}),
    ...((over.sinks ?? base.sinks) ? { sinks: over.sinks ?? base.sinks } : {}),
  };
}
