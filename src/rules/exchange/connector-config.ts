// The EFFECTIVE configuration of an inbound connector and how risky it is. A UAL New-/Set-InboundConnector record
// lists only the arguments passed, so a rule judging the connector needs the rest from somewhere:
//   1. New-InboundConnector: the cmdlet's documented defaults (docs: New-InboundConnector) for what was not passed;
//   2. earlier New-/Set- events for the same connector in the input (the rule's own state), applied in order;
//   3. else the tenant snapshot (Get-InboundConnector, the state when the snapshot was taken);
//   4. else "unknown" — and unknown is said so, never taken as safe or as risky.
import { isObject } from '../../core/json.js';
import { strOrUndef } from '../../core/text.js';
import { applyList, getParam, ipBreadth, paramList, senderDomain, toBool } from './params.js';

export type Provenance = 'passed' | 'earlier' | 'default' | 'snapshot' | 'unknown';

interface FieldSpec {
  key: string;
  kind: 'bool' | 'string' | 'list';
  /** New-InboundConnector default; undefined = none documented (stays unknown) */
  def?: boolean | string | string[];
}

/**
 * The parameters that decide whether a connector can relay mail an attacker sends. Defaults from the
 * New-InboundConnector reference: Enabled $true, RequireTls $true, RestrictDomainsToCertificate $false,
 * RestrictDomainsToIPAddresses $false, TreatMessagesAsInternal $false, ConnectorSource Default,
 * CloudServicesMailEnabled $true only for Hybrid Configuration wizard connectors. ConnectorType has no documented
 * default; a connector created without it is a Partner connector (assumption, docs/formats/exchange-rules.md).
 */
export const CONNECTOR_FIELDS: readonly FieldSpec[] = [
  { key: 'Enabled', kind: 'bool', def: true },
  { key: 'ConnectorType', kind: 'string', def: 'Partner' },
  { key: 'ConnectorSource', kind: 'string', def: 'Default' },
  { key: 'SenderDomains', kind: 'list' }, // required by New-InboundConnector
  { key: 'SenderIPAddresses', kind: 'list', def: [] },
  { key: 'RestrictDomainsToIPAddresses', kind: 'bool', def: false },
  { key: 'RestrictDomainsToCertificate', kind: 'bool', def: false },
  { key: 'RequireTls', kind: 'bool', def: true },
  { key: 'TlsSenderCertificateName', kind: 'string', def: '' },
  { key: 'TreatMessagesAsInternal', kind: 'bool', def: false },
  { key: 'CloudServicesMailEnabled', kind: 'bool', def: false },
  { key: 'TrustedOrganizations', kind: 'list', def: [] },
];

export type FieldValue = boolean | string | string[];

export interface ConfigField {
  value?: FieldValue;
  from: Provenance;
  /** event time of the earlier change that set it */
  at?: number;
}

export type ConnectorConfig = Record<string, ConfigField>;

/** One change to a connector as the rule remembers it (the parameters that matter, and when). */
export interface ConnectorChange {
  t: number;
  op: 'new' | 'set' | 'remove';
  params: Record<string, unknown>;
}

/** Keep only the parameters the model reads (state stays small). */
export function relevantParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of CONNECTOR_FIELDS) {
    const { has, value } = getParam(params, f.key);
    if (has) out[f.key] = value ?? '';
  }
  return out;
}

function readValue(kind: FieldSpec['kind'], raw: unknown, before: FieldValue | undefined): FieldValue | undefined {
  if (kind === 'bool') return toBool(raw);
  if (kind === 'string') return strOrUndef(Array.isArray(raw) ? raw.join(';') : raw) ?? '';
  const change = paramList({ v: raw }, 'v');
  if (!change) return undefined;
  return applyList(Array.isArray(before) ? before : undefined, change);
}

function apply(cfg: ConnectorConfig, params: Record<string, unknown>, from: Provenance, at?: number): void {
  for (const f of CONNECTOR_FIELDS) {
    const { has, value } = getParam(params, f.key);
    if (!has) continue;
    const v = readValue(f.kind, value, cfg[f.key]?.value);
    cfg[f.key] = v === undefined ? { from: 'unknown' } : at === undefined ? { value: v, from } : { value: v, from, at };
  }
}

function defaults(): ConnectorConfig {
  const cfg: ConnectorConfig = {};
  for (const f of CONNECTOR_FIELDS) cfg[f.key] = f.def === undefined ? { from: 'unknown' } : { value: f.def, from: 'default' };
  return cfg;
}

function unknowns(): ConnectorConfig {
  const cfg: ConnectorConfig = {};
  for (const f of CONNECTOR_FIELDS) cfg[f.key] = { from: 'unknown' };
  return cfg;
}

/** Get-InboundConnector object (ConvertTo-Json: keys as written, lists as arrays or strings) -> config. */
function fromSnapshot(obj: Readonly<Record<string, unknown>>): ConnectorConfig {
  const cfg = unknowns();
  const lower = new Map(Object.keys(obj).map((k) => [k.toLowerCase(), obj[k]]));
  for (const f of CONNECTOR_FIELDS) {
    if (!lower.has(f.key.toLowerCase())) continue;
    const raw = lower.get(f.key.toLowerCase());
    let v: FieldValue | undefined;
    if (f.kind === 'list') v = Array.isArray(raw) ? raw.map((x) => String(x)).filter(Boolean) : raw === null ? [] : typeof raw === 'string' ? (raw ? [raw] : []) : undefined;
    else if (f.kind === 'bool') v = toBool(raw);
    else v = raw === null ? '' : (strOrUndef(isObject(raw) ? (raw.RawValue ?? raw.Value ?? raw.value) : raw) ?? '');
    if (v !== undefined) cfg[f.key] = { value: v, from: 'snapshot' };
  }
  return cfg;
}

/**
 * The configuration the connector had right after `current`: defaults + the earlier changes since the last
 * New (or the snapshot when the input holds no New) + the current change's own arguments.
 */
export function effectiveConfig(history: readonly ConnectorChange[], current: ConnectorChange, snapshot?: Readonly<Record<string, unknown>>): { config: ConnectorConfig; base: 'new' | 'earlier-new' | 'snapshot' | 'none'; applied: number } {
  let start = -1;
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i]!.op !== 'set') {
      start = i;
      break;
    }
  }
  let cfg: ConnectorConfig;
  let base: 'new' | 'earlier-new' | 'snapshot' | 'none';
  let applied = 0;
  if (current.op === 'new') {
    cfg = defaults();
    base = 'new';
  } else if (start >= 0 && history[start]!.op === 'new') {
    cfg = defaults();
    base = 'earlier-new';
    for (const h of history.slice(start)) {
      apply(cfg, h.params, 'earlier', h.t);
      applied++;
    }
  } else {
    cfg = snapshot ? fromSnapshot(snapshot) : unknowns();
    base = snapshot ? 'snapshot' : 'none';
    // changes after a removal (or with no New at all) still tell us what they set
    for (const h of history.slice(start + 1)) {
      apply(cfg, h.params, 'earlier', h.t);
      applied++;
    }
  }
  apply(cfg, current.params, 'passed');
  // the Hybrid Configuration wizard sets CloudServicesMailEnabled by default; anything else does not
  const src = cfg.ConnectorSource?.value;
  if (cfg.CloudServicesMailEnabled?.from === 'default' && typeof src === 'string' && src.toLowerCase() === 'hybridwizard') cfg.CloudServicesMailEnabled = { value: true, from: 'default' };
  return { config: cfg, base, applied };
}

// --- risk ----------------------------------------------------------------------------------------------------

export type RiskLevel = 'none' | 'low' | 'medium' | 'high';
export const RISK_RANK: Record<RiskLevel, number> = { none: 0, low: 1, medium: 2, high: 3 };

export interface ConnectorRisk {
  level: 'low' | 'medium' | 'high';
  /** machine-readable factor ids, e.g. onPremises, wideSenderIps, anySenderDomain, noIpOrCertRestriction, treatsAsInternal */
  factors: string[];
  /** the same in words, for the explanation */
  reasons: string[];
  enabled: boolean | undefined;
  /** fields whose value is unknown (no New in the input, no snapshot) */
  unknown: string[];
}

const b = (c: ConnectorConfig, k: string): boolean | undefined => (typeof c[k]?.value === 'boolean' ? (c[k]!.value as boolean) : undefined);
const s = (c: ConnectorConfig, k: string): string | undefined => (typeof c[k]?.value === 'string' ? (c[k]!.value as string) : undefined);
const l = (c: ConnectorConfig, k: string): string[] | undefined => (Array.isArray(c[k]?.value) ? (c[k]!.value as string[]) : undefined);

/**
 * Judge an effective configuration. High: mail accepted as internal (TreatMessagesAsInternal, or
 * CloudServicesMailEnabled outside a wizard connector); sender IPs of /16 or wider; an OnPremises connector with no
 * IP or certificate to identify its sender, or with broad IPs; sender domain "*" on a connector not restricted to
 * IPs or a certificate. Medium: any other OnPremises connector (it may relay through the tenant); IP entries wider
 * than /24; sender domain "*" with a restriction; a Partner connector with neither TLS nor a restriction. Low: the rest.
 */
export function assessConnector(c: ConnectorConfig): ConnectorRisk {
  const factors: string[] = [];
  const reasons: string[] = [];
  const add = (id: string, why: string) => {
    factors.push(id);
    reasons.push(why);
  };
  let level: RiskLevel = 'low';
  const raise = (to: RiskLevel) => {
    if (RISK_RANK[to] > RISK_RANK[level]) level = to;
  };
  const type = s(c, 'ConnectorType')?.toLowerCase();
  const onPrem = type === 'onpremises';
  const ips = l(c, 'SenderIPAddresses');
  const breadth = ips ? ipBreadth(ips) : undefined;
  const cert = s(c, 'TlsSenderCertificateName');
  const hasCert = cert !== undefined ? cert.trim() !== '' : undefined;
  const domains = l(c, 'SenderDomains')?.map(senderDomain).filter((d) => d && !/^\d+$/.test(d));
  const anyDomain = domains?.includes('*') ?? false;
  const restrictIp = b(c, 'RestrictDomainsToIPAddresses');
  const restrictCert = b(c, 'RestrictDomainsToCertificate');
  const requireTls = b(c, 'RequireTls');
  const src = s(c, 'ConnectorSource')?.toLowerCase();

  if (onPrem) add('onPremises', 'ConnectorType OnPremises: mail it accepts counts as the organization\'s own and may relay through the tenant to any internet recipient');
  if (breadth?.breadth === 'wide') add('wideSenderIps', `sender IPs are wide (${breadth.widest ?? ''}; ${breadth.addresses.toLocaleString('en-US')} IPv4 addresses in all, /16 or larger)`);
  else if (breadth?.breadth === 'broad') add('broadSenderIps', `sender IPs are broader than the /24–/32 the cmdlet documents (${breadth.widest ?? ''}; ${breadth.addresses.toLocaleString('en-US')} IPv4 addresses)`);
  if (anyDomain) add('anySenderDomain', 'accepts any sender domain ("*")');
  // what identifies the sending server: for OnPremises its IPs or certificate, for Partner the restriction switches
  const noIdOnPrem = onPrem && ips !== undefined && ips.length === 0 && hasCert === false;
  const noRestrictPartner = !onPrem && restrictIp === false && restrictCert === false;
  if (noIdOnPrem) add('noIpOrCertRestriction', 'neither sender IPs nor a TLS certificate name identify the sending server');
  else if (noRestrictPartner) add('noIpOrCertRestriction', 'not restricted to its sender IPs (RestrictDomainsToIPAddresses) or to a certificate (RestrictDomainsToCertificate)');
  if (!onPrem && requireTls === false && noRestrictPartner) add('noTls', 'does not require TLS');
  const internal = b(c, 'TreatMessagesAsInternal') === true;
  const cloudSvc = b(c, 'CloudServicesMailEnabled') === true && src !== 'hybridwizard';
  if (internal) add('treatsAsInternal', 'TreatMessagesAsInternal: messages from it are internal and skip antispam filtering');
  if (cloudSvc) add('cloudServicesMail', 'CloudServicesMailEnabled outside a Hybrid Configuration wizard connector: cross-premises headers are trusted');

  if (internal || cloudSvc) raise('high');
  if (breadth?.breadth === 'wide') raise('high');
  if (onPrem && (noIdOnPrem || breadth?.breadth === 'broad')) raise('high');
  if (anyDomain && noRestrictPartner) raise('high');
  if (onPrem) raise('medium');
  if (breadth?.breadth === 'broad') raise('medium');
  if (anyDomain) raise('medium');
  if (!onPrem && requireTls === false && noRestrictPartner) raise('medium');

  const unknown = CONNECTOR_FIELDS.filter((f) => c[f.key]?.from === 'unknown').map((f) => f.key);
  return { level: level as 'low' | 'medium' | 'high', factors, reasons, enabled: b(c, 'Enabled'), unknown };
}

const FROM_WORDS: Record<Provenance, string> = {
  passed: 'passed',
  earlier: 'earlier change',
  default: 'cmdlet default',
  snapshot: 'snapshot',
  unknown: 'unknown',
};

function show(v: FieldValue | undefined): string {
  if (v === undefined) return '?';
  if (Array.isArray(v)) return v.length ? v.join(',') : '(none)';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return v === '' ? '(none)' : v;
}

/** "ConnectorType=OnPremises (passed); SenderIPAddresses=198.18.0.0/15 (passed); RequireTls=True (cmdlet default); …" */
export function describeConfig(c: ConnectorConfig): string {
  return CONNECTOR_FIELDS.filter((f) => c[f.key] && c[f.key]!.from !== 'unknown')
    .map((f) => `${f.key}=${show(c[f.key]!.value)} (${FROM_WORDS[c[f.key]!.from]})`)
    .join('; ');
}

/** The effective configuration as facts: "Key=value" strings (attacker text stays data). */
export function configFacts(c: ConnectorConfig): string[] {
  return CONNECTOR_FIELDS.filter((f) => c[f.key] && c[f.key]!.from !== 'unknown').map((f) => `${f.key}=${show(c[f.key]!.value)}`);
}
