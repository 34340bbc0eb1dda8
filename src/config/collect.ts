// The `tenant:` and `collect:` sections of the config: which tenant and app registration to collect with, how the
// app authenticates (certificate preferred; a secret only from the environment or a file, never in the YAML), the
// national cloud's hosts, and what `collect`/`watch` pull. Reference: README "Collecting from a tenant".
import { isMap, type Document, type Node } from 'yaml';
import type { Walker, Schema } from './schema.js';
import { describe, parseDuration } from './tunables.js';
import { pastedValue } from '../core/text.js';

export const CLOUDS = ['global', 'gcc', 'gcchigh', 'dod', 'china'] as const;
export type CloudName = (typeof CLOUDS)[number];

export const COLLECT_SOURCES = ['signins', 'directoryAudits', 'managementActivity', 'auditLogQuery', 'messageTrace', 'snapshot'] as const;
export type CollectSourceName = (typeof COLLECT_SOURCES)[number];

export const SIGNIN_EVENT_TYPES = ['interactiveUser', 'nonInteractiveUser', 'servicePrincipal', 'managedIdentity'] as const;
export type SignInEventType = (typeof SIGNIN_EVENT_TYPES)[number];

export const CONTENT_TYPES = ['Audit.AzureActiveDirectory', 'Audit.Exchange', 'Audit.SharePoint', 'Audit.General', 'DLP.All'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export interface EndpointOverrides {
  authority?: string;
  graph?: string;
  management?: string;
  exchange?: string;
}

export interface TenantConfig {
  /** directory (tenant) id, lower-case GUID */
  id: string;
  /** application (client) id of the collector app registration */
  clientId: string;
  cloud: CloudName;
  endpoints: EndpointOverrides;
  certificate?: {
    keyFile: string;
    certFile?: string;
    thumbprintSha256?: string;
    /** environment variable holding the key's passphrase */
    passphraseEnv?: string;
    /** send the certificate chain (x5c) for subject-name/issuer authentication */
    sendX5c: boolean;
  };
  secret?: { env?: string; file?: string };
  /** Management Activity API quota pool; defaults to the tenant id */
  publisherIdentifier?: string;
  /** extra CA certificates (PEM) to trust, e.g. a TLS-inspecting proxy */
  caFile?: string;
}

export interface CollectConfig {
  sources: CollectSourceName[];
  signInEventTypes: SignInEventType[];
  contentTypes: ContentType[];
  /** read Exchange configuration through the Exchange admin API (needs Exchange.ManageAsApp + Global Reader) */
  exchangeConfig: boolean;
  /** domain for the X-AnchorMailbox header of Exchange admin API calls; default: the tenant's initial domain */
  exchangeAnchorDomain?: string;
  /** Graph $top */
  pageSize: number;
  /** per-request time budget (ms) */
  requestTimeout: number;
  /** attempts per request before giving up on it */
  maxAttempts: number;
  /** first time span of a Graph query; it shrinks when a query is too big and grows back when pages are few */
  window: number;
}

export function defaultCollectConfig(): CollectConfig {
  return {
    sources: [...COLLECT_SOURCES],
    signInEventTypes: [...SIGNIN_EVENT_TYPES],
    contentTypes: ['Audit.AzureActiveDirectory', 'Audit.Exchange', 'Audit.General'],
    exchangeConfig: false,
    pageSize: 1000,
    requestTimeout: 120_000,
    maxAttempts: 8,
    window: 24 * 3_600_000,
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type Check = { value: unknown } | { error: string };
const leaf = (check: (v: unknown) => Check): Schema => ({ t: 'leaf', check });

const guid = (what: string) =>
  leaf((v) => (typeof v === 'string' && GUID.test(v.trim()) ? { value: v.trim().toLowerCase() } : { error: `expected the ${what} (a GUID like 00000000-0000-0000-0000-000000000000), got ${describe(v)}` }));
const text = leaf((v) => (typeof v === 'string' && v.trim() !== '' ? { value: v.trim() } : { error: `expected text, got ${describe(v)}` }));
// a path to a secret-bearing file: a pasted key or URL is refused without being shown
const secretPath = leaf((v) => {
  if (typeof v !== 'string' || v.trim() === '') return { error: 'expected a path to a file' };
  const pasted = pastedValue(v);
  return pasted ? { error: `expected a path to a file, got ${pasted} (not shown): put it in a file (chmod 600) and give the file's path` } : { value: v.trim() };
});
const bool = leaf((v) => (typeof v === 'boolean' ? { value: v } : { error: `expected true or false, got ${describe(v)}` }));
// never echo the value: someone may have pasted the secret itself where a variable name belongs
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envName = leaf((v) =>
  typeof v === 'string' && ENV_NAME.test(v.trim()) ? { value: v.trim() } : { error: 'expected the NAME of an environment variable (letters, digits, _), like TW_CLIENT_SECRET — not the value itself (not shown)' },
);
const httpsUrl = leaf((v) => {
  if (typeof v !== 'string') return { error: `expected an https:// URL, got ${describe(v)}` };
  let u: URL;
  try {
    u = new URL(v.trim());
  } catch {
    return { error: `"${v}" is not a URL (write https://graph.microsoft.us)` };
  }
  if (u.protocol !== 'https:') return { error: `"${v}" must use https://` };
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return { error: `"${v}": give the host only, like https://graph.microsoft.us (no path)` };
  return { value: `https://${u.host}` };
});
const thumb = leaf((v) => {
  const s = typeof v === 'string' ? v.replace(/[:\s]/g, '').toLowerCase() : '';
  if (/^[0-9a-f]{64}$/.test(s)) return { value: s };
  if (/^[0-9a-f]{40}$/.test(s)) return { error: 'that is a SHA-1 thumbprint; Entra ID needs the SHA-256 one (openssl x509 -noout -fingerprint -sha256 -in cert.pem), or give certFile' };
  return { error: `expected a SHA-256 thumbprint (64 hex digits), got ${describe(v)}` };
});
const oneOf = <T extends string>(values: readonly T[], what: string) =>
  leaf((v) => (typeof v === 'string' && (values as readonly string[]).includes(v) ? { value: v } : { error: `unknown ${what} ${describe(v)} (one of: ${values.join(', ')})` }));
const intIn = (min: number, max: number) =>
  leaf((v) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? { value: v } : { error: `expected a whole number from ${min} to ${max}, got ${describe(v)}` }));
const durationIn = (min: number, max: number) =>
  leaf((v) => {
    const ms = parseDuration(v);
    if (ms === undefined) return { error: `expected a duration like "30s", "2m" or "1d", got ${describe(v)}` };
    if (ms < min || ms > max) return { error: `must be between ${min / 1000}s and ${max / 3_600_000}h` };
    return { value: ms };
  });

export const tenantSchema: Schema = {
  t: 'object',
  fields: {
    id: guid('directory (tenant) id'),
    clientId: guid('application (client) id'),
    cloud: oneOf(CLOUDS, 'cloud'),
    endpoints: { t: 'object', fields: { authority: httpsUrl, graph: httpsUrl, management: httpsUrl, exchange: httpsUrl } },
    certificate: {
      t: 'object',
      fields: { keyFile: secretPath, certFile: text, thumbprintSha256: thumb, passphraseEnv: envName, sendX5c: bool },
    },
    // validated in finishCollectSections so that a secret pasted here is never echoed in an error
    secret: { t: 'external' },
    publisherIdentifier: guid('publisher tenant id'),
    caFile: text,
  },
};

export const collectSchema: Schema = {
  t: 'object',
  fields: {
    sources: { t: 'list', item: oneOf(COLLECT_SOURCES, 'source') },
    signInEventTypes: { t: 'list', item: oneOf(SIGNIN_EVENT_TYPES, 'sign-in event type') },
    contentTypes: { t: 'list', item: oneOf(CONTENT_TYPES, 'content type') },
    exchangeConfig: bool,
    exchangeAnchorDomain: leaf((v) =>
      typeof v === 'string' && /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(v.trim()) ? { value: v.trim().toLowerCase() } : { error: `expected a domain like contoso.onmicrosoft.com, got ${describe(v)}` },
    ),
    pageSize: intIn(1, 1000),
    requestTimeout: durationIn(1000, 3_600_000),
    maxAttempts: intIn(1, 20),
    window: durationIn(60_000, 10 * 24 * 3_600_000),
  },
};

type RawTenant = Partial<Omit<TenantConfig, 'certificate' | 'secret'>> & {
  certificate?: Partial<NonNullable<TenantConfig['certificate']>>;
  /** as written (external): checked here */
  secret?: { env?: string; file?: string } | null;
};

/**
 * Checks across fields (exactly one credential, a thumbprint source for the certificate), reported at the key's
 * place in the file. Returns the normalized sections, or undefined when there were problems.
 */
export function finishCollectSections(
  raw: { tenant?: RawTenant; collect?: Partial<CollectConfig> },
  doc: Document,
  w: Walker,
): { tenant?: TenantConfig; collect: CollectConfig } {
  const at = (...path: string[]): Node | undefined => (doc.getIn(path, true) as Node | undefined) ?? undefined;
  const collect = { ...defaultCollectConfig(), ...raw.collect };
  if (!raw.tenant) return { collect };
  const t = raw.tenant;
  const before = w.problems.length;
  const tenantNode = at('tenant');
  // keys written but invalid were reported already: only complain about keys that are absent
  const written = (...p: string[]) => at(...p) !== undefined;
  for (const k of ['id', 'clientId'] as const) if (!t[k] && !written('tenant', k)) w.problem(tenantNode, `tenant.${k} is required`);
  const cert = t.certificate;
  const secret = t.secret;
  const hasCert = cert !== undefined && isMap(at('tenant', 'certificate'));
  const secretNode = at('tenant', 'secret');
  const hasSecret = secret !== undefined && secret !== null && isMap(secretNode);
  if (secret !== undefined && secret !== null && !hasSecret)
    w.problem(secretNode, 'tenant.secret must be a mapping with env (a variable name) or file (a path) — a secret never goes in the config file (the value is not shown)');
  if (hasSecret) {
    for (const [k, v] of Object.entries(secret as Record<string, unknown>)) {
      if (k === 'env') {
        if (typeof v !== 'string' || !ENV_NAME.test(v.trim())) w.problem(at('tenant', 'secret', 'env'), 'tenant.secret.env: expected the NAME of an environment variable, like TW_CLIENT_SECRET — not the secret itself (not shown)');
      } else if (k === 'file') {
        const pasted = typeof v === 'string' ? pastedValue(v) : undefined;
        if (typeof v !== 'string' || v.trim() === '') w.problem(at('tenant', 'secret', 'file'), 'tenant.secret.file: expected a path to a file holding the secret');
        else if (pasted) w.problem(at('tenant', 'secret', 'file'), `tenant.secret.file: expected a path to a file holding the secret, got ${pasted} (not shown)`);
      } else w.problem(at('tenant', 'secret'), `unknown key "${k}" in tenant.secret (known: env, file)`);
    }
  }
  if (hasCert && hasSecret) w.problem(at('tenant', 'secret'), 'tenant: give either certificate or secret, not both (a certificate is preferred)');
  if (!hasCert && !hasSecret && !written('tenant', 'secret')) w.problem(tenantNode, 'tenant: give a certificate (keyFile + certFile or thumbprintSha256) or a secret (env or file)');
  if (hasCert && !hasSecret) {
    if (!cert!.keyFile && !written('tenant', 'certificate', 'keyFile')) w.problem(at('tenant', 'certificate'), 'tenant.certificate.keyFile is required (the PEM private key)');
    if (!cert!.certFile && !cert!.thumbprintSha256 && !written('tenant', 'certificate', 'certFile') && !written('tenant', 'certificate', 'thumbprintSha256')) w.problem(at('tenant', 'certificate'), 'tenant.certificate needs certFile (to compute the SHA-256 thumbprint) or thumbprintSha256');
  }
  if (hasSecret && Boolean(secret!.env) === Boolean(secret!.file) && w.problems.length === before) w.problem(at('tenant', 'secret'), 'tenant.secret: give exactly one of env (a variable name) or file (a path); never the secret itself');
  if (w.problems.length > before) return { collect };
  const tenant: TenantConfig = {
    id: t.id!,
    clientId: t.clientId!,
    cloud: t.cloud ?? 'global',
    endpoints: t.endpoints ?? {},
    ...(hasCert ? { certificate: { keyFile: cert!.keyFile!, certFile: cert!.certFile, thumbprintSha256: cert!.thumbprintSha256, passphraseEnv: cert!.passphraseEnv, sendX5c: cert!.sendX5c ?? false } } : {}),
    ...(hasSecret ? { secret: { ...(secret!.env ? { env: secret!.env.trim() } : {}), ...(secret!.file ? { file: secret!.file.trim() } : {}) } } : {}),
    ...(t.publisherIdentifier ? { publisherIdentifier: t.publisherIdentifier } : {}),
    ...(t.caFile ? { caFile: t.caFile } : {}),
  };
  return { tenant, collect };
}
