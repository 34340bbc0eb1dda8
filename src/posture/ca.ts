// Conditional Access evaluation shared by the CA-based checks. The rules follow posture-checks.md §1b and
// the complaints users of ScubaGear/Maester raise: risk-scoped policies are not "MFA for everyone", report-only
// is not enforcement, authentication strengths count as MFA, break-glass exclusions are declared once in config.
import { ADMIN_ROLES_FOR_CA, PHISHING_RESISTANT_COMBINATIONS, PHISHING_RESISTANT_STRENGTH_ID } from './ids.js';
import { at, bool, inList, lc, list, str } from './kit.js';
import { groupClosure, hasP1, type TenantModel } from './model.js';
import { privilegedFromModel, roleDataPresent, type PrivilegedPrincipal } from './privileged.js';
import { isBreakGlass } from './exemptions.js';
import type { Collection, Obj } from './snapshot.js';
import type { AuditObject, CheckContext, CheckOutcome } from './types.js';

export const caPolicies = (ctx: CheckContext): Collection => ctx.snapshot.graphAny('identity/conditionalAccess/policies');

/** Error / NotApplicable outcome when CA can't be evaluated, else undefined. */
export function caUnavailable(ctx: CheckContext): CheckOutcome | undefined {
  const c = caPolicies(ctx);
  if (c.state === 'error') {
    return { status: 'Error', details: `${c.path} could not be read: ${c.reason}. Reading CA needs Policy.Read.All.` };
  }
  if (c.state === 'missing') {
    if (ctx.model.licences.known && !hasP1(ctx.model)) return { status: 'NotApplicable', details: 'the tenant has no Entra ID P1/P2 licence, so Conditional Access is not available (see A7 security defaults)' };
    return { status: 'Error', details: 'identity/conditionalAccess/policies.json (beta or v1.0) is missing from the snapshot; collect it (docs/snapshot.md)' };
  }
  if (c.items.length === 0 && ctx.model.licences.known && !hasP1(ctx.model)) {
    return { status: 'NotApplicable', details: 'no Entra ID P1/P2 licence: Conditional Access is not available (see A7 security defaults)' };
  }
  return undefined;
}

export const name = (p: Obj) => str(p, 'displayName') ?? str(p, 'id') ?? '(unnamed policy)';
export const state = (p: Obj) => (str(p, 'state') ?? '').toLowerCase();
export const enabled = (p: Obj) => state(p) === 'enabled';
export const reportOnly = (p: Obj) => state(p) === 'enabledforreportingbutnotenforced';

export const allUsers = (p: Obj) => inList(list(p, 'conditions.users.includeUsers'), 'All');
export const allApps = (p: Obj) => inList(list(p, 'conditions.applications.includeApplications'), 'All');
export const riskScoped = (p: Obj) =>
  list(p, 'conditions.userRiskLevels').length > 0 || list(p, 'conditions.signInRiskLevels').length > 0 || list(p, 'conditions.servicePrincipalRiskLevels').length > 0;

/** The policy applies only under extra conditions (locations, platforms, client apps, device filter): it leaves gaps. */
export function narrowing(p: Obj): string[] {
  const out: string[] = [];
  const inc = list(p, 'conditions.locations.includeLocations');
  const exc = list(p, 'conditions.locations.excludeLocations');
  if (exc.length || (inc.length && !inList(inc, 'All'))) out.push('locations');
  if (list(p, 'conditions.platforms.includePlatforms').some((x) => x.toLowerCase() !== 'all') || list(p, 'conditions.platforms.excludePlatforms').length) out.push('device platforms');
  const apps = list(p, 'conditions.clientAppTypes').map((x) => x.toLowerCase());
  if (apps.length && !apps.includes('all')) out.push('client app types');
  if (at(p, 'conditions.devices.deviceFilter')) out.push('device filter');
  if (str(p, 'conditions.authenticationFlows.transferMethods')) out.push('authentication flows');
  if (list(p, 'conditions.insiderRiskLevels').length || str(p, 'conditions.insiderRiskLevels')) out.push('insider risk');
  return out;
}

export function builtIn(p: Obj): string[] {
  return list(p, 'grantControls.builtInControls').map((x) => x.toLowerCase());
}
export const blocks = (p: Obj) => builtIn(p).includes('block');

/** Every grant control of the policy: built-in ones, 'authenticationstrength', custom factors and terms of use. */
function grantControls(p: Obj): string[] {
  const s = at(p, 'grantControls.authenticationStrength');
  return [
    ...builtIn(p),
    ...(s && typeof s === 'object' ? ['authenticationstrength'] : []),
    ...list(p, 'grantControls.customAuthenticationFactors').map((x) => `custom:${x}`),
    ...list(p, 'grantControls.termsOfUse').map((x) => `termsofuse:${x}`),
  ];
}

/**
 * The policy always demands a control that `satisfies`: with AND one of its controls must, with OR ("require one of
 * the selected controls") every control must, since the user picks. A missing operator is read as OR (the weaker).
 */
export function demands(p: Obj, satisfies: (control: string) => boolean): boolean {
  const cs = grantControls(p);
  if (!cs.length) return false;
  return (str(p, 'grantControls.operator') ?? '').toUpperCase() === 'AND' ? cs.some(satisfies) : cs.every(satisfies);
}

/** MFA required: the mfa control or any authentication strength (all built-in strengths are multifactor). */
export const requiresMfa = (p: Obj) => demands(p, (c) => c === 'mfa' || c === 'authenticationstrength');

/** A compliant or hybrid-joined device required. */
export const requiresManagedDevice = (p: Obj) => demands(p, (c) => c === 'compliantdevice' || c === 'domainjoineddevice');

/** Phishing-resistant strength: the built-in id or only phishing-resistant combinations. */
export function requiresPhishingResistant(p: Obj, strengths: Obj[]): boolean {
  const s = at(p, 'grantControls.authenticationStrength');
  if (!s || typeof s !== 'object' || !demands(p, (c) => c === 'authenticationstrength')) return false;
  const id = str(s, 'id');
  if (id === PHISHING_RESISTANT_STRENGTH_ID) return true;
  let combos = list(s, 'allowedCombinations');
  if (!combos.length && id) combos = list(strengths.find((x) => str(x, 'id') === id), 'allowedCombinations');
  return combos.length > 0 && combos.every((c) => c.split(',').every((part) => PHISHING_RESISTANT_COMBINATIONS.has(part.trim())));
}

/** Targets every admin role (or everyone). Returns the admin roles it misses. */
export function missingAdminRoles(p: Obj): string[] {
  if (allUsers(p)) return [];
  const roles = list(p, 'conditions.users.includeRoles').map((r) => r.toLowerCase());
  return ADMIN_ROLES_FOR_CA.filter((r) => !roles.includes(r));
}

/** One principal a policy leaves out; `via` names the group or role it is excluded through. */
interface Excluded {
  type: AuditObject['type'];
  id: string;
  via?: string;
  /** a group (or role) whose members the snapshot does not list: compared as itself, who it holds is unknown */
  opaque?: boolean;
}

const holdersCache = new WeakMap<TenantModel, PrivilegedPrincipal[]>();
function roleHolders(ctx: CheckContext, roleId: string): PrivilegedPrincipal[] {
  let all = holdersCache.get(ctx.model);
  if (!all) holdersCache.set(ctx.model, (all = privilegedFromModel(ctx.snapshot, ctx.model)));
  return all.filter((h) => h.roles.some((r) => r.roleId === roleId));
}

/**
 * Who a policy excludes, by principal: excluded users, the members of excluded groups (nested groups expanded) and
 * the holders of excluded roles, as far as the snapshot lists them. Keys are shared, so a user excluded directly in
 * one policy and through a group in another is the same gap.
 */
export function excludedBy(ctx: CheckContext, p: Obj): Map<string, Excluded> {
  const out = new Map<string, Excluded>();
  const put = (key: string, x: Excluded) => { if (!out.has(key)) out.set(key, x); };
  const principal = (id: string, via?: string) =>
    put(`principal:${id}`, { type: ctx.model.servicePrincipals.has(id) ? 'servicePrincipal' : 'user', id, ...(via ? { via } : {}) });
  // `roleVia` is set when the group holds an excluded role; otherwise its members are excluded "via group …"
  const group = (gid: string, roleVia?: string) => {
    const via = roleVia ?? `group ${ctx.model.nameOf(gid)}`;
    const { members, unknown } = groupClosure(ctx.model, gid);
    for (const m of members) principal(m, via);
    for (const g of unknown) put(`principal:${g}`, { type: 'group', id: g, opaque: true, ...(g !== gid || roleVia ? { via } : {}) });
  };
  for (const id of list(p, 'conditions.users.excludeUsers').map(lc)) principal(id);
  for (const gid of list(p, 'conditions.users.excludeGroups').map(lc)) group(gid);
  for (const rid of list(p, 'conditions.users.excludeRoles').map(lc)) {
    const via = `role ${ctx.model.roleName(rid)}`;
    if (!roleDataPresent(ctx.snapshot)) { put(`role:${rid}`, { type: 'role', id: rid, opaque: true }); continue; }
    for (const h of roleHolders(ctx, rid)) {
      if (h.kind === 'unknown' && ctx.model.groups.has(h.id)) group(h.id, via);
      else principal(h.id, via);
    }
  }
  const guests = at(p, 'conditions.users.excludeGuestsOrExternalUsers');
  if (guests && typeof guests === 'object') {
    const kinds = str(guests, 'guestOrExternalUserTypes') ?? 'guests';
    put(`guests:${kinds}`, { type: 'setting', id: kinds });
  }
  for (const id of list(p, 'conditions.applications.excludeApplications').map(lc)) put(`application:${id}`, { type: 'servicePrincipal', id });
  return out;
}

function label(ctx: CheckContext, key: string, x: Excluded): string {
  if (key.startsWith('guests:')) return `guest/external users (${x.id})`;
  if (key.startsWith('application:')) return str(ctx.model.spByAppId.get(x.id), 'displayName') ?? x.id;
  return ctx.model.nameOf(x.id);
}

const breakGlass = (ctx: CheckContext, x: Excluded) => x.type === 'user' && isBreakGlass(ctx.config, x.id, str(ctx.model.users.get(x.id), 'userPrincipalName'));

/**
 * Exclusions left uncovered by a set of equivalent policies: a principal is a gap only when EVERY candidate excludes
 * it, directly or through a group or role. Break-glass accounts (config) are not gaps.
 */
export function gaps(ctx: CheckContext, candidates: Obj[]): AuditObject[] {
  if (!candidates.length) return [];
  const per = candidates.map((p) => excludedBy(ctx, p));
  const out: AuditObject[] = [];
  for (const [key, x] of per[0]!) {
    if (!per.every((m) => m.has(key)) || breakGlass(ctx, x)) continue;
    const from = candidates.map((p, i) => { const via = per[i]!.get(key)!.via; return `"${name(p)}"${via ? ` (via ${via})` : ''}`; }).join(', ');
    const unknown = x.opaque ? `; its members are not in the snapshot (collect ${x.type === 'role' ? 'role assignments' : `graph/v1.0/groups/${x.id}/transitiveMembers.json`}), so whom it excludes was not checked` : '';
    out.push({ type: x.type, id: x.id, name: label(ctx, key, x), reason: `excluded from ${from}${unknown}` });
  }
  return out;
}

/**
 * Declared break-glass users a policy does not exclude (`missing`), or may not exclude because it excludes groups or
 * roles whose members the snapshot does not list (`unsure`).
 */
export function breakGlassNotExcluded(ctx: CheckContext, p: Obj): { missing: string[]; unsure: string[] } {
  const excluded = excludedBy(ctx, p);
  const opaque = [...excluded.values()].some((x) => x.opaque);
  const out = { missing: [] as string[], unsure: [] as string[] };
  for (const bg of ctx.config.breakGlass) {
    const u = ctx.model.users.get(bg) ?? ctx.model.usersByUpn.get(bg);
    const id = str(u, 'id')?.toLowerCase() ?? bg;
    if (excluded.has(`principal:${id}`) || excluded.has(`principal:${bg}`)) continue;
    (opaque ? out.unsure : out.missing).push(str(u, 'userPrincipalName') ?? bg);
  }
  return out;
}

export const policyObject = (p: Obj, reason: string): AuditObject => ({ type: 'policy', id: str(p, 'id'), name: name(p), reason });

/** Sign-in frequency in hours (0 = every time), or undefined when the policy sets none. */
export function signInFrequencyHours(p: Obj): number | undefined {
  const sif = at(p, 'sessionControls.signInFrequency');
  if (!sif || typeof sif !== 'object' || bool(sif, 'isEnabled') === false) return undefined;
  if ((str(sif, 'frequencyInterval') ?? '').toLowerCase() === 'everytime') return 0;
  const v = Number(at(sif, 'value'));
  if (!Number.isFinite(v) || v <= 0) return undefined;
  return (str(sif, 'type') ?? '').toLowerCase() === 'days' ? v * 24 : v;
}

export function persistentBrowserNever(p: Obj): boolean {
  const pb = at(p, 'sessionControls.persistentBrowser');
  return !!pb && bool(pb, 'isEnabled') !== false && (str(pb, 'mode') ?? '').toLowerCase() === 'never';
}
