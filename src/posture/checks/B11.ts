import * as ca from '../ca.js';
import { list, time, DAY_MS } from '../kit.js';
import type { AuditObject, Check } from '../types.js';

export const B11: Check = {
  id: 'B11',
  title: 'Conditional Access hygiene: break-glass exclusions, dangling references, stale report-only policies',
  severity: 'medium',
  stage: 'initial-access',
  mappings: { maester: ['MT.1005', 'MT.1036', 'MT.1038'], cis: ['1.1.2'] },
  needs: ['graph/beta/identity/conditionalAccess/policies.json', 'graph/v1.0/users.json', 'graph/v1.0/groups.json'],
  remediation: 'Exclude the declared break-glass accounts from every enabled policy (and monitor their sign-ins), remove references to deleted users/groups, and either enforce or delete policies left in report-only mode.',
  run(ctx) {
    const u = ca.caUnavailable(ctx);
    if (u) return u;
    const policies = ca.caPolicies(ctx).items;
    const objects: AuditObject[] = [];
    let failing = false;
    if (ctx.config.breakGlass.length) {
      for (const p of policies.filter(ca.enabled)) {
        if (!(ca.blocks(p) || ca.requiresMfa(p) || ca.builtIn(p).length)) continue;
        const { missing, unsure } = ca.breakGlassNotExcluded(ctx, p);
        if (missing.length) {
          failing = true;
          objects.push(ca.policyObject(p, `does not exclude break-glass ${missing.join(', ')}: a misconfiguration can lock every admin out`));
        }
        if (unsure.length) objects.push(ca.policyObject(p, `excludes groups or roles whose members are not in the snapshot: could not check that it excludes break-glass ${unsure.join(', ')}`));
      }
    }
    // only a complete list can prove an id dangling (a cut-short page set would produce false reports)
    const complete = (c: { state: string; incomplete?: boolean }) => c.state === 'ok' && !c.incomplete;
    const usersKnown = complete(ctx.snapshot.graph('v1.0', 'users'));
    const groupsKnown = complete(ctx.snapshot.graph('v1.0', 'groups'));
    for (const p of policies) {
      const refs: string[] = [];
      if (usersKnown) for (const id of [...list(p, 'conditions.users.includeUsers'), ...list(p, 'conditions.users.excludeUsers')]) {
        if (/^[0-9a-f-]{36}$/i.test(id) && !ctx.model.users.has(id.toLowerCase())) refs.push(`user ${id}`);
      }
      if (groupsKnown) for (const id of [...list(p, 'conditions.users.includeGroups'), ...list(p, 'conditions.users.excludeGroups')]) {
        if (/^[0-9a-f-]{36}$/i.test(id) && !ctx.model.groups.has(id.toLowerCase())) refs.push(`group ${id}`);
      }
      if (refs.length) objects.push(ca.policyObject(p, `references objects not in the directory: ${refs.join(', ')}`));
      if (ca.reportOnly(p)) {
        const changed = time(p, 'modifiedDateTime') ?? time(p, 'createdDateTime');
        if (changed !== undefined && ctx.now - changed > 30 * DAY_MS) objects.push(ca.policyObject(p, `report-only since ${new Date(changed).toISOString().slice(0, 10)}: not enforced`));
      }
    }
    const notes = [
      ctx.config.breakGlass.length ? '' : 'No break-glass accounts are declared in the config (audit.breakGlass), so their exclusion was not checked.',
      usersKnown && groupsKnown ? '' : 'users.json/groups.json missing or incomplete: dangling references were not checked.',
    ].filter(Boolean).join(' ');
    if (failing) return { status: 'Fail', details: `Some enabled policies do not exclude the break-glass accounts. ${notes}`.trim(), objects, causes: true };
    if (objects.length) return { status: 'Warn', details: `${objects.length} hygiene issue(s) in Conditional Access. ${notes}`.trim(), objects, causes: true };
    if (!ctx.config.breakGlass.length) return { status: 'Warn', details: notes };
    return { status: 'Pass', details: `Break-glass accounts are excluded from every enabled policy; no dangling references or stale report-only policies. ${notes}`.trim() };
  },
};
