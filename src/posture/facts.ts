// Posture facts per entity, for `hunt --snapshot DIR`: a detection about an admin or an app can say
// "this admin had no MFA method registered" or "this app holds Exchange.ManageAsApp and a client secret".
// Pure: built from the snapshot (and the audit config for collector/break-glass), no I/O.
import { activeCreds, appExposures, describeCredentials } from './apps.js';
import { DEFAULT_AUDIT_CONFIG, isBreakGlass, type AuditConfig } from './exemptions.js';
import { PHISHING_RESISTANT_METHODS, RISKY_DELEGATED_SCOPES } from './ids.js';
import { bool, list, str } from './kit.js';
import { buildModel } from './model.js';
import { privilegedFromModel } from './privileged.js';
import type { Snapshot } from './snapshot.js';
import type { Severity } from './types.js';

export type PostureFactKind =
  | 'role' | 'no-mfa-registered' | 'no-phishing-resistant-method' | 'mfa-registered' | 'synced-admin' | 'break-glass'
  | 'exchange-app-role' | 'mailbox-app-role' | 'directory-write-app-role' | 'client-secret' | 'certificate-only'
  | 'tenant-wide-grant' | 'collector' | 'microsoft-app';

export interface PostureFact {
  kind: PostureFactKind;
  severity: Severity;
  /** one sentence a report can print as is */
  text: string;
  /** the audit check that covers this fact */
  checkId?: string;
}

/** How detections name entities (mirrors Event.actor / Target fields). */
export interface EntityRef {
  userId?: string;
  user?: string; // UPN
  appId?: string;
  spId?: string;
}

export interface PostureFactsIndex {
  /** facts by lower-cased user object id and UPN */
  users: Map<string, PostureFact[]>;
  /** facts by lower-cased appId and service principal object id */
  apps: Map<string, PostureFact[]>;
  forEntity(e: EntityRef): PostureFact[];
}

export function buildPostureFacts(snapshot: Snapshot, config: AuditConfig = DEFAULT_AUDIT_CONFIG, now = Date.now()): PostureFactsIndex {
  const model = buildModel(snapshot);
  const users = new Map<string, PostureFact[]>();
  const apps = new Map<string, PostureFact[]>();
  const push = (m: Map<string, PostureFact[]>, keys: (string | undefined)[], f: PostureFact) => {
    for (const k of keys) {
      if (!k) continue;
      const kk = k.toLowerCase();
      const arr = m.get(kk) ?? [];
      arr.push(f);
      m.set(kk, arr);
    }
  };
  const reg = new Map(snapshot.graph('v1.0', 'reports/authenticationMethods/userRegistrationDetails').items.map((r) => [str(r, 'id')?.toLowerCase(), r]));
  for (const p of privilegedFromModel(snapshot, model)) {
    if (p.kind !== 'user') continue;
    const keys = [p.id, p.upn];
    const roles = [...new Set(p.roles.map((r) => `${r.roleName} (${r.assignment}${r.via ? ` via ${r.via.groupName}` : ''})`))];
    push(users, keys, { kind: 'role', severity: p.roles.some((r) => r.tier0) ? 'high' : 'info', text: `holds ${roles.join(', ')}` });
    if (isBreakGlass(config, p.id, p.upn)) push(users, keys, { kind: 'break-glass', severity: 'info', text: 'is a declared break-glass account' });
    const r = reg.get(p.id);
    if (r) {
      const registered = bool(r, 'isMfaRegistered') ?? bool(r, 'isMfaCapable');
      const methods = list(r, 'methodsRegistered');
      if (registered === false) push(users, keys, { kind: 'no-mfa-registered', severity: 'critical', checkId: 'A6', text: 'this admin had no MFA method registered' });
      else if (registered === true && !methods.some((m) => PHISHING_RESISTANT_METHODS.has(m))) push(users, keys, { kind: 'no-phishing-resistant-method', severity: 'high', checkId: 'A6', text: `this admin had no phishing-resistant method (only ${methods.join(', ') || 'unknown methods'})` });
      else if (registered === true) push(users, keys, { kind: 'mfa-registered', severity: 'info', checkId: 'A6', text: `this admin had ${methods.join(', ')} registered` });
    }
    const u = model.users.get(p.id);
    if (u && (bool(u, 'onPremisesSyncEnabled') === true || str(u, 'onPremisesImmutableId'))) push(users, keys, { kind: 'synced-admin', severity: 'high', checkId: 'B5', text: 'this admin account is synced from on-premises' });
  }
  for (const e of appExposures(snapshot, model, config)) {
    const keys = [e.appId, e.spId];
    if (e.isCollector) push(apps, keys, { kind: 'collector', severity: 'info', checkId: 'C4', text: 'is the configured tenantwatch collector app' });
    if (e.isMicrosoft) push(apps, keys, { kind: 'microsoft-app', severity: 'info', text: 'is a Microsoft first-party app' });
    for (const g of e.grants) {
      const kind: PostureFactKind = g.kind === 'exchange-admin' ? 'exchange-app-role' : g.kind === 'mailbox' ? 'mailbox-app-role' : 'directory-write-app-role';
      push(apps, keys, { kind, severity: g.kind === 'directory-write' ? 'high' : 'critical', checkId: 'C4', text: `this app holds ${g.value ?? g.appRoleId} on ${g.resourceName}${g.created ? ` (granted ${new Date(g.created).toISOString().slice(0, 10)})` : ''}` });
    }
    const roles = [...new Set(e.roles.map((r) => r.roleName))];
    if (roles.length) push(apps, keys, { kind: 'role', severity: e.roles.some((r) => r.tier0) ? 'critical' : 'medium', checkId: 'C5', text: `this app holds directory role ${roles.join(', ')}` });
    const act = activeCreds(e.credentials, now);
    if (act.some((c) => c.kind === 'secret')) push(apps, keys, { kind: 'client-secret', severity: 'high', checkId: 'C4', text: `this app has ${describeCredentials(e.credentials, now)}` });
    else if (act.length) push(apps, keys, { kind: 'certificate-only', severity: 'info', text: 'this app authenticates with a certificate only' });
  }
  const risky = new Set(RISKY_DELEGATED_SCOPES.map((s) => s.toLowerCase()));
  for (const g of snapshot.graph('v1.0', 'oauth2PermissionGrants').items) {
    if ((str(g, 'consentType') ?? '').toLowerCase() !== 'allprincipals') continue;
    const hit = (str(g, 'scope') ?? '').split(/\s+/).filter((s) => risky.has(s.toLowerCase()));
    if (!hit.length) continue;
    const spId = str(g, 'clientId')?.toLowerCase();
    const sp = spId ? model.servicePrincipals.get(spId) : undefined;
    push(apps, [spId, str(sp, 'appId')], { kind: 'tenant-wide-grant', severity: 'high', checkId: 'C6', text: `this app has a tenant-wide delegated grant of ${hit.join(', ')}` });
  }
  return {
    users, apps,
    forEntity: (e) => postureFactsFor({ users, apps }, e),
  };
}

/** Facts about one entity (user by id/UPN, app by appId/SP id), de-duplicated. */
export function postureFactsFor(index: Pick<PostureFactsIndex, 'users' | 'apps'>, e: EntityRef): PostureFact[] {
  const out: PostureFact[] = [];
  const seen = new Set<string>();
  const add = (fs: PostureFact[] | undefined) => {
    for (const f of fs ?? []) {
      const k = `${f.kind}|${f.text}`;
      if (!seen.has(k)) { seen.add(k); out.push(f); }
    }
  };
  if (e.userId) add(index.users.get(e.userId.toLowerCase()));
  if (e.user) add(index.users.get(e.user.toLowerCase()));
  if (e.appId) add(index.apps.get(e.appId.toLowerCase()));
  if (e.spId) add(index.apps.get(e.spId.toLowerCase()));
  return out;
}
