import { activeCreds, appExposures } from '../apps.js';
import { at, bool, DAY_MS, missing, single, str } from '../kit.js';
import type { AuditObject, Check } from '../types.js';

/** ISO-8601 duration (P180D, P1Y, PT4H) -> days */
function isoDays(s: string | undefined): number | undefined {
  const m = s ? /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?)?$/.exec(s) : null;
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 365 + Number(m[2] ?? 0) * 30 + Number(m[3] ?? 0) + Number(m[4] ?? 0) / 24;
}

export const C7: Check = {
  id: 'C7',
  title: 'App credential policy blocks or limits client secrets',
  severity: 'medium',
  stage: 'oauth-app',
  mappings: { scubagear: ['MS.AAD.5.5v1', 'MS.AAD.5.6v1', 'MS.AAD.5.7v1'], maester: ['MT.1002', 'MT.1057'], cis: ['5.1.5.3', '5.1.5.4', '5.1.5.5', '5.1.5.6'] },
  needs: ['graph/beta/policies/defaultAppManagementPolicy.json', 'graph/v1.0/applications.json'],
  remediation: 'Enable the tenant default app management policy with passwordAddition restricted (no new client secrets) or passwordLifetime of 180 days or less, and move privileged apps to certificates. The campaign added a client secret to its app to run Exchange cmdlets.',
  run(ctx) {
    const c = ctx.snapshot.graphAny('policies/defaultAppManagementPolicy', ['beta', 'v1.0']);
    const p = single(c);
    if (!p) return missing(c, 'needs Policy.Read.All');
    const objects: AuditObject[] = [];
    // privileged apps with long-lived secrets are named whatever the policy says
    for (const e of appExposures(ctx.snapshot, ctx.model, ctx.config)) {
      if (e.isMicrosoft || !(e.grants.length || e.roles.some((r) => r.tier0))) continue;
      for (const s of activeCreds(e.credentials, ctx.now).filter((x) => x.kind === 'secret')) {
        if (s.start !== undefined && s.end !== undefined && s.end - s.start > 181 * DAY_MS) {
          objects.push({ type: 'servicePrincipal', id: e.spId, name: e.name, reason: `privileged app with a client secret valid ${Math.round((s.end - s.start) / DAY_MS)} days${s.name ? ` ("${s.name}")` : ''}` });
        }
      }
    }
    if (bool(p, 'isEnabled') !== true) return { status: 'Fail', details: 'The default app management policy is not enabled: any app owner can add long-lived client secrets.', objects };
    const rules = at(p, 'applicationRestrictions.passwordCredentials');
    const arr = Array.isArray(rules) ? rules : [];
    const rule = (t: string) => arr.find((r) => (str(r, 'restrictionType') ?? '').toLowerCase() === t.toLowerCase() && (str(r, 'state') ?? 'enabled').toLowerCase() === 'enabled');
    const add = rule('passwordAddition');
    const life = rule('passwordLifetime');
    const lifeDays = isoDays(str(life, 'maxLifetime'));
    if (add) return { status: objects.length ? 'Warn' : 'Pass', details: `New client secrets are blocked by the default app policy${objects.length ? ', but existing privileged apps still hold long-lived secrets' : ''}.`, objects };
    if (lifeDays !== undefined && lifeDays <= 181) return { status: objects.length ? 'Warn' : 'Pass', details: `Client secret lifetime is capped at ${lifeDays} days${objects.length ? '; some privileged apps hold older long-lived secrets' : ''}.`, objects };
    return { status: 'Fail', details: `The default app management policy neither blocks client secrets nor caps them at 180 days${lifeDays ? ` (cap: ${lifeDays} days)` : ''}.`, objects };
  },
};
