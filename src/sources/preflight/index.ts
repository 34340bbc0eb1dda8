// `tenantwatch preflight`: before a long collection, check what the collector app can really do. Get a token per
// resource, read its `roles` claim, compare with the least-privilege manifest for the configured sources, list
// permissions it holds beyond that (write access a collector never needs), and probe one request per endpoint —
// a permission can be granted and still fail (no Entra ID P1/P2 licence, auditing off, subscription disabled).
import { AuthError, decodeJwtClaims } from '../auth/token.js';
import type { ResourceName } from '../auth/clouds.js';
import { ApiError } from '../http/client.js';
import type { CollectorRuntime } from '../runtime.js';
import type { Obj } from '../types.js';
import { PERMISSIONS, RESOURCE_NAMES, WRITE_ROLE, type Need, type PermissionSpec } from './manifest.js';

export interface PermissionRow {
  resource: ResourceName;
  role: string;
  purpose: string;
  state: 'granted' | 'missing' | 'covered' | 'not-needed';
  /** required by a configured source (missing -> that source will fail) */
  required: boolean;
  coveredBy?: string;
}

export interface ProbeRow {
  name: string;
  request: string;
  needs: string;
  ok: boolean;
  status?: number;
  code?: string;
  message?: string;
  hint?: string;
}

export interface TokenRow {
  resource: ResourceName;
  ok: boolean;
  roles: string[];
  /** roles beyond the manifest that grant write access */
  excess: string[];
  error?: string;
}

export interface PreflightReport {
  tenant: string;
  clientId: string;
  credential: 'certificate' | 'secret' | 'injected';
  tokens: TokenRow[];
  permissions: PermissionRow[];
  probes: ProbeRow[];
  ok: boolean;
}

function needsFor(rt: CollectorRuntime): Set<Need> {
  const s = new Set<Need>(rt.collect.sources);
  if (rt.collect.exchangeConfig && s.has('snapshot')) s.add('exchangeConfig');
  return s;
}

function resourcesFor(needs: Set<Need>): ResourceName[] {
  const r: ResourceName[] = ['graph'];
  if (needs.has('managementActivity')) r.push('management');
  if (needs.has('exchangeConfig')) r.push('exchange');
  return r;
}

function hintFor(status: number | undefined, code: string | undefined, spec: string): string | undefined {
  if (code === 'Authentication_RequestFromNonPremiumTenantOrB2CTenant') return 'sign-in logs through Graph need an Entra ID P1 or P2 licence in the tenant';
  if (code === 'AF20022') return 'no subscription yet: `collect` starts it (content then takes up to 12 hours to appear)';
  if (code === 'AF20023') return 'an administrator disabled the subscription; `collect` tries to start it again';
  if (code === 'AF10001' || (status === 403 && spec.includes('ActivityFeed'))) return 'grant Office 365 Management APIs → Application permissions → ActivityFeed.Read, then admin consent';
  if (status === 401 && spec.includes('Exchange.ManageAsApp')) return 'grant Office 365 Exchange Online → Exchange.ManageAsApp and assign the Global Reader role to the app';
  if (status === 403) return `grant ${spec} (application permission) and admin consent`;
  if (status === 401) return 'the token was refused: check the cloud (tenant.cloud) and the endpoints';
  return undefined;
}

export async function preflight(rt: CollectorRuntime, signal?: AbortSignal): Promise<PreflightReport> {
  const needs = needsFor(rt);
  const tokens: TokenRow[] = [];
  const permissions: PermissionRow[] = [];
  for (const resource of resourcesFor(needs)) {
    let roles: string[] = [];
    try {
      const t = await rt.tokens.getToken(resource, { signal });
      const claims = decodeJwtClaims(t.token);
      roles = Array.isArray(claims?.roles) ? claims.roles.map(String) : [];
      const known = new Set(PERMISSIONS.filter((p) => p.resource === resource).flatMap((p) => [p.role, ...(p.coveredBy ?? [])]));
      tokens.push({ resource, ok: true, roles, excess: roles.filter((r) => !known.has(r) && WRITE_ROLE.test(r)) });
    } catch (e) {
      const msg = rt.redactor.redact(e instanceof AuthError || e instanceof Error ? e.message : String(e));
      tokens.push({ resource, ok: false, roles: [], excess: [], error: msg });
    }
    for (const p of PERMISSIONS.filter((x) => x.resource === resource)) permissions.push(row(p, roles, needs));
  }

  const g = rt.endpoints.graph;
  const hour = new Date(Math.floor(rt.clock.now() / 3_600_000) * 3_600_000 - 3_600_000).toISOString();
  const probes: { name: string; resource: ResourceName; url: string; needs: string; method?: 'POST'; body?: unknown; headers?: Record<string, string>; when: boolean }[] = [
    { name: 'sign-in logs (beta, all event types)', resource: 'graph', url: `${g}/beta/auditLogs/signIns?$top=1`, needs: 'AuditLog.Read.All', when: needs.has('signins') },
    { name: 'directory audits', resource: 'graph', url: `${g}/v1.0/auditLogs/directoryAudits?$top=1`, needs: 'AuditLog.Read.All', when: needs.has('directoryAudits') },
    { name: 'audit log query API', resource: 'graph', url: `${g}/v1.0/security/auditLog/queries?$top=1`, needs: 'AuditLogsQuery.Read.All', when: needs.has('auditLogQuery') },
    { name: 'message trace', resource: 'graph', url: `${g}/v1.0/admin/exchange/tracing/messageTraces?$filter=${encodeURIComponent(`receivedDateTime ge ${hour}`)}&$top=1`, needs: 'ExchangeMessageTrace.Read.All', when: needs.has('messageTrace') },
    { name: 'snapshot: organization', resource: 'graph', url: `${g}/v1.0/organization`, needs: 'Directory.Read.All', when: needs.has('snapshot') },
    { name: 'snapshot: conditional access', resource: 'graph', url: `${g}/beta/identity/conditionalAccess/policies?$top=1`, needs: 'Policy.Read.All', when: needs.has('snapshot') },
    { name: 'snapshot: role assignments', resource: 'graph', url: `${g}/v1.0/roleManagement/directory/roleAssignments?$top=1`, needs: 'RoleManagement.Read.Directory', when: needs.has('snapshot') },
    { name: 'snapshot: service principals', resource: 'graph', url: `${g}/v1.0/servicePrincipals?$top=1`, needs: 'Application.Read.All', when: needs.has('snapshot') },
    {
      name: 'Management API subscriptions',
      resource: 'management',
      url: `${rt.endpoints.management}/api/v1.0/${rt.tenant.id}/activity/feed/subscriptions/list?PublisherIdentifier=${rt.publisherId}`,
      needs: 'ActivityFeed.Read',
      when: needs.has('managementActivity'),
    },
  ];
  const out: ProbeRow[] = [];
  let organization: Obj | undefined;
  for (const p of probes.filter((x) => x.when)) {
    const r = await probe(rt, p.name, p.resource, p.url, p.needs, { signal });
    if (p.name === 'snapshot: organization' && r.body) organization = ((r.body as Obj).value as Obj[] | undefined)?.[0];
    if (p.name === 'Management API subscriptions' && r.row.ok) {
      const subs = Array.isArray(r.body) ? (r.body as Obj[]) : [];
      const off = rt.collect.contentTypes.filter((ct) => !subs.some((s) => s.contentType === ct && String(s.status).toLowerCase() === 'enabled'));
      if (off.length) r.row.message = `not enabled yet: ${off.join(', ')} (collect starts them; content appears within 12 hours)`;
    }
    out.push(r.row);
  }
  if (needs.has('exchangeConfig')) {
    const domains = (organization?.verifiedDomains as Obj[] | undefined) ?? [];
    const domain = rt.collect.exchangeAnchorDomain ?? (domains.find((d) => d.isInitial === true)?.name as string | undefined);
    if (!domain) out.push({ name: 'Exchange admin API', request: 'InvokeCommand Get-AcceptedDomain', needs: 'Exchange.ManageAsApp + Global Reader', ok: false, message: 'no initial domain known', hint: 'set collect.exchangeAnchorDomain (the tenant\'s *.onmicrosoft.com domain)' });
    else {
      const r = await probe(rt, 'Exchange admin API', 'exchange', `${rt.endpoints.exchange}/adminapi/beta/${rt.tenant.id}/InvokeCommand`, 'Exchange.ManageAsApp + Global Reader', {
        method: 'POST',
        body: { CmdletInput: { CmdletName: 'Get-AcceptedDomain', Parameters: {} } },
        headers: { 'X-AnchorMailbox': `UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${domain}`, 'X-ResponseFormat': 'json' },
        signal,
      });
      out.push(r.row);
    }
  }
  const ok = tokens.every((t) => t.ok) && permissions.every((p) => p.state !== 'missing' || !p.required) && out.every((p) => p.ok);
  return { tenant: rt.tenant.id, clientId: rt.tenant.clientId, credential: rt.credential?.kind ?? 'injected', tokens, permissions, probes: out, ok };
}

function row(p: PermissionSpec, roles: string[], needs: Set<Need>): PermissionRow {
  const required = p.for.some((n) => n !== 'future' && needs.has(n));
  const base = { resource: p.resource, role: p.role, purpose: p.purpose, required };
  if (roles.includes(p.role)) return { ...base, state: 'granted' };
  // a broader grant covers the read (X.ReadWrite.All reads too — and is flagged as more than needed)
  const broader = [...(p.coveredBy ?? []), ...[p.role, ...(p.coveredBy ?? [])].map((r) => r.replace('.Read.', '.ReadWrite.'))];
  const cover = broader.find((c) => roles.includes(c));
  if (cover) return { ...base, state: 'covered', coveredBy: cover };
  return { ...base, state: required ? 'missing' : 'not-needed' };
}

async function probe(
  rt: CollectorRuntime,
  name: string,
  resource: ResourceName,
  url: string,
  needs: string,
  init: { method?: 'POST'; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal },
): Promise<{ row: ProbeRow; body?: unknown }> {
  const request = `${init.method ?? 'GET'} ${new URL(url).pathname}`;
  try {
    const res = await rt.api.request({ resource, url, method: init.method, body: init.body, headers: init.headers, maxAttempts: 3, accept: [400, 401, 403, 404], signal: init.signal });
    if (res.status < 400) return { row: { name, request, needs, ok: true, status: res.status }, body: res.body };
    const err = (res.body as { error?: { code?: string; message?: string } } | undefined)?.error;
    return { row: { name, request, needs, ok: false, status: res.status, code: err?.code, message: rt.redactor.redact(err?.message ?? ''), hint: hintFor(res.status, err?.code, needs) } };
  } catch (e) {
    const msg = rt.redactor.redact((e as Error).message);
    const status = e instanceof ApiError ? e.status : undefined;
    return { row: { name, request, needs, ok: false, ...(status ? { status } : {}), ...(e instanceof ApiError && e.code ? { code: e.code } : {}), message: msg, hint: hintFor(status, e instanceof ApiError ? e.code : undefined, needs) } };
  }
}

export function renderPreflight(r: PreflightReport): string {
  const lines: string[] = [];
  lines.push(`tenant ${r.tenant}, app ${r.clientId}, credential: ${r.credential}`);
  lines.push('');
  lines.push('tokens');
  for (const t of r.tokens) {
    lines.push(`  ${t.ok ? 'ok  ' : 'FAIL'} ${RESOURCE_NAMES[t.resource]}${t.ok ? `: roles ${t.roles.length ? t.roles.join(', ') : '(none)'}` : `: ${t.error}`}`);
    if (t.excess.length) lines.push(`       more than a collector needs (write access): ${t.excess.join(', ')} — remove them (least privilege)`);
  }
  lines.push('');
  lines.push('permissions (application, read-only)');
  for (const p of r.permissions) {
    const mark = p.state === 'granted' ? 'ok     ' : p.state === 'covered' ? 'ok*    ' : p.state === 'missing' ? 'MISSING' : '-      ';
    lines.push(`  ${mark} ${p.role.padEnd(32)} ${p.purpose}${p.state === 'covered' ? ` (covered by ${p.coveredBy})` : ''}${p.state === 'not-needed' ? ' (not needed by the configured sources)' : ''}`);
  }
  lines.push('');
  lines.push('probes');
  for (const p of r.probes) {
    lines.push(`  ${p.ok ? 'ok  ' : 'FAIL'} ${p.name.padEnd(38)} ${p.request}${p.ok ? '' : ` → ${p.status ?? 'no response'} ${p.code ?? ''} ${p.message ?? ''}`.trimEnd()}${p.ok && p.message ? ` (${p.message})` : ''}`);
    if (!p.ok && p.hint) lines.push(`       ${p.hint}`);
  }
  lines.push('');
  lines.push(r.ok ? 'preflight: everything the configured sources need is in place' : 'preflight: some sources will fail or be incomplete (see MISSING / FAIL above; docs/permissions.md)');
  return lines.join('\n') + '\n';
}
