// Service principals joined with what makes them dangerous in this chain: Exchange/mail app roles,
// directory roles, and the credentials an attacker could use (client secrets above all).
import { str } from './kit.js';
import type { AppRoleGrant, Credential, TenantModel } from './model.js';
import { privilegedFromModel, type RoleHolding } from './privileged.js';
import type { Obj, Snapshot } from './snapshot.js';
import type { AuditConfig } from './exemptions.js';

export interface AppExposure {
  spId: string;
  appId?: string;
  name: string;
  sp?: Obj;
  grants: AppRoleGrant[];
  roles: RoleHolding[];
  credentials: Credential[];
  isCollector: boolean;
  isMicrosoft: boolean;
}

export const activeCreds = (cs: Credential[], now: number) => cs.filter((c) => c.end === undefined || c.end > now);

export function describeCredentials(cs: Credential[], now: number): string {
  const act = activeCreds(cs, now);
  if (!act.length) return cs.length ? 'only expired credentials' : 'no credentials of its own (managed identity or multi-tenant app)';
  const secrets = act.filter((c) => c.kind === 'secret');
  const certs = act.filter((c) => c.kind === 'certificate');
  const fmt = (c: Credential) => `${c.name ? `"${c.name}" ` : ''}${c.start ? `added ${new Date(c.start).toISOString().slice(0, 10)}` : ''}${c.end ? ` until ${new Date(c.end).toISOString().slice(0, 10)}` : ''}`.trim();
  const parts: string[] = [];
  if (secrets.length) parts.push(`${secrets.length} client secret${secrets.length > 1 ? 's' : ''} (${secrets.map(fmt).join('; ')})`);
  if (certs.length) parts.push(`${certs.length} certificate${certs.length > 1 ? 's' : ''}`);
  return parts.join(' and ');
}

export function appExposures(snap: Snapshot, model: TenantModel, config: AuditConfig): AppExposure[] {
  const byId = new Map<string, AppExposure>();
  const get = (spId: string, fallbackName: string): AppExposure => {
    let e = byId.get(spId);
    if (!e) {
      const sp = model.servicePrincipals.get(spId);
      const appId = str(sp, 'appId')?.toLowerCase();
      e = {
        spId, name: str(sp, 'displayName') ?? fallbackName, grants: [], roles: [],
        credentials: sp ? model.credentialsOf(sp) : [],
        isCollector: !!config.collector && appId === config.collector.appId,
        isMicrosoft: sp ? model.isMicrosoftApp(sp) : false,
        ...(sp ? { sp } : {}), ...(appId ? { appId } : {}),
      };
      byId.set(spId, e);
    }
    return e;
  };
  for (const g of model.appRoleGrants) if (g.kind) get(g.principalId, g.principalName).grants.push(g);
  for (const p of privilegedFromModel(snap, model)) if (p.kind === 'servicePrincipal') get(p.id, p.name).roles.push(...p.roles);
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}
