// TW-SIGNIN-008: one account repeatedly tries to reach what it is not allowed to: Conditional Access blocks,
// apps it is not assigned to, and administration portals / tools while holding no admin role.
import { HOUR, MINUTE, humanDuration } from '../../../config/tunables.js';
import type { Event } from '../../../core/event.js';
import type { RuleContext } from '../../../detect/spec.js';
import { threshold } from '../../../detect/spec.js';
import { entities, ipEntity, listSome, plural, userEntity, userOf } from '../../lib.js';
import { defineRule } from '../../types.js';
import { microsoftAppName } from '../../microsoft.js';
import { UAL_TUNABLE, attemptKey, isUserSignin, signinSources, signinSummary } from '../shared/attempts.js';

/** Microsoft admin portals and admin tooling (client app ids; the portal backend as a resource id). */
export const ADMIN_APPS: Record<string, string> = {
  'c44b4083-3bb0-49c1-b47d-974e53cbdf3c': 'Azure portal / Microsoft Entra admin center',
  '74658136-14ec-4630-ad9b-26e160ff0fc6': 'Entra admin portal backend (main.iam.ad.ext.azure.com)',
  '497effe9-df71-4043-a8bb-14cf78c4b63b': 'Exchange admin center',
  '00000006-0000-0ff1-ce00-000000000000': 'Microsoft 365 admin center (Office 365 Portal)',
  '80ccca67-54bd-44ab-8625-4b79c4dc7775': 'Microsoft 365 Security & Compliance Center',
  'de8bc8b5-d9f9-48b1-a8ad-b748da725064': 'Graph Explorer',
  '14d82eec-204b-4c2f-b7e8-296a70dab67e': 'Microsoft Graph Command Line Tools (Graph PowerShell)',
  '1b730954-1685-4b74-9bfd-dac224a7b894': 'Azure Active Directory PowerShell',
  'fb78d390-0c51-40cd-8e17-fdbfab77341b': 'Exchange Online PowerShell (REST)',
  'a0c73c16-a7e3-4564-9a95-2bdf47383716': 'Exchange Online Remote PowerShell',
};

/** CA block, not assigned to the app, blocked by security policy / security defaults. */
const DENY_CODES = ['53003', '50105', '530032', '530035'];

const nameOfId = (id: string | undefined): string | undefined => (id ? (ADMIN_APPS[id.toLowerCase()] ?? microsoftAppName(id)) : undefined);

const targetOf = (ev: Event): string => ev.actor.appId ?? ev.auth?.resourceId ?? ev.actor.appName ?? 'unknown app';

export const deniedAccessProbing = defineRule({
  id: 'TW-SIGNIN-008',
  title: 'Repeated attempts to reach what the account may not use',
  severity: 'low',
  tactics: ['discovery', 'initial-access'],
  techniques: ['T1526', 'T1538', 'T1078.004'],
  description:
    'One account makes repeated interactive attempts, across several apps, that are denied by Conditional Access ' +
    '(53003), by app assignment (50105) or by security policy / security defaults, or that reach Microsoft admin ' +
    'portals and admin tooling (Azure portal / Entra admin center, Exchange and Microsoft 365 admin centers, Graph ' +
    'Explorer, Azure AD / Graph / Exchange PowerShell) while the account holds no admin role.',
  whyItMatters:
    'With a freshly stuffed password an attacker explores what it opens: admin portals, PowerShell, every app. A ' +
    'regular employee rarely does so in bursts. Conditional Access blocks are the defences working, but the ' +
    'attempts say the credential is in someone\'s hands.',
  falsePositives: [
    'A user on an unmanaged device blocked by a device-compliance policy, retrying: usually one app (minTargets ' +
      'keeps it out) and non-interactive retries (not counted).',
    'Developers and Azure subscription owners use the Azure portal, Graph Explorer and PowerShell without a ' +
      'directory role: drop those app ids from adminApps, or list the accounts in privilegedAccounts.',
    'Helpdesk staff opening admin centers before their role assignment is activated (PIM): the role assignment ' +
      'makes them privileged once seen.',
  ],
  references: [
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps#microsoft-admin-portals',
    'https://learn.microsoft.com/entra/identity-platform/reference-error-codes',
  ],
  status: 'experimental',
  inputs: { facts: ['signin.interactive'], sources: ['entra.signin', 'ual'], privileged: 'admin portals and tools used by accounts without an admin role' },
  tunables: {
    window: { type: 'duration', default: HOUR, min: 5 * MINUTE, max: 24 * HOUR, help: 'sliding window for counting attempts' },
    minAttempts: { type: 'integer', default: 5, min: 2, help: 'denied or admin-tool attempts by one account to fire' },
    minTargets: { type: 'integer', default: 2, min: 1, help: 'distinct apps / resources among them' },
    denyCodes: { type: 'string[]', default: DENY_CODES, help: 'result codes that mean "not allowed" (add 53000/53001/53002 for device-compliance blocks)' },
    adminApps: { type: 'string[]', default: Object.keys(ADMIN_APPS), help: 'admin portal / tool app ids (client or resource) that count when used by a non-admin' },
    ual: UAL_TUNABLE,
  },
  suppressMs: 6 * HOUR,
  detect: (t) => {
    const deny = new Set(t.denyCodes);
    const admin = new Set(t.adminApps.map((a) => a.toLowerCase()));
    const denied = (ev: Event): boolean => ev.outcome !== 'success' && ev.reason !== undefined && deny.has(ev.reason.code);
    const adminApp = (ev: Event): string | undefined =>
      [ev.actor.appId, ev.auth?.resourceId].find((id) => id !== undefined && admin.has(id.toLowerCase()));
    // admin-tool use counts only when the tenant's admins are known (config, snapshot or role assignments seen):
    // without that, "not privileged" would mean "unknown"
    const probe = (ev: Event, ctx: RuleContext): string | undefined =>
      ctx.enrich.knowsPrivileged?.() && !ctx.enrich.isPrivileged(userOf(ev), ev.actor.userId) ? adminApp(ev) : undefined;
    return threshold({
      on: {
        actions: ['signin'],
        sources: t.ual ? signinSources(true).filter((s) => s !== 'entra.signin.noninteractive') : ['entra.signin'],
        where: (ev, ctx) => isUserSignin(ev) && ev.auth?.interactive !== false && (denied(ev) || probe(ev, ctx) !== undefined),
      },
      key: (ev) => userOf(ev),
      dims: {
        attempts: (ev) => attemptKey(ev),
        targets: (ev) => targetOf(ev),
        denials: (ev) => (denied(ev) ? attemptKey(ev) : undefined),
        adminTools: (ev, ctx) => {
          const id = probe(ev, ctx);
          return id ? (ADMIN_APPS[id.toLowerCase()] ?? ev.actor.appName ?? id) : undefined;
        },
        codes: (ev) => (denied(ev) ? ev.reason!.code : undefined),
        sources: (ev) => ev.actor.ip,
        // UAL sign-ins carry ids only: Microsoft's own apps by their well-known names
        names: (ev) => ev.actor.appName ?? nameOfId(ev.actor.appId) ?? ev.auth?.resource ?? nameOfId(ev.auth?.resourceId),
      },
      metric: 'attempts',
      windowMs: t.window,
      min: t.minAttempts,
      condition: (m) => m.dims.targets! >= t.minTargets,
      alert: (m) => {
        const ev = m.event;
        const attempts = m.dims.attempts!.distinct;
        const denials = m.dims.denials!.distinct;
        const tools = m.dims.adminTools!.values;
        const apps = m.dims.names!.values.length ? m.dims.names!.values : m.dims.targets!.values;
        const span = ev.time - m.firstTime;
        let explanation =
          `${m.key} made ${plural(attempts, 'interactive attempt')} within ${humanDuration(Math.max(span, 1000))} to reach ` +
          `${plural(m.dims.targets!.distinct, 'app')} (${listSome(apps)}) from ${listSome(m.dims.sources!.values)} ` +
          `(threshold ${t.minAttempts} attempts on ${t.minTargets}+ apps in ${humanDuration(t.window)}).`;
        if (denials) explanation += ` ${plural(denials, 'attempt was', 'attempts were')} denied (codes ${listSome(m.dims.codes!.values)}).`;
        if (tools.length) explanation += ` Admin portals / tools used without an admin role: ${listSome(tools)}.`;
        return {
          title: `${m.key} keeps trying apps it may not use${tools.length ? ' (admin tools)' : ''}`,
          severity: tools.length >= 2 || (tools.length >= 1 && denials >= 1) ? 'medium' : 'low',
          entities: entities(
            userEntity(ev) ?? { type: 'user', id: m.key, role: 'actor' },
            ...m.dims.sources!.values.slice(0, 5).map((ip) => ipEntity(ip)),
            ...m.dims.targets!.values.slice(0, 10).map((id) => ({ type: 'app' as const, id, role: 'target' as const, ...(ADMIN_APPS[id] ? { display: ADMIN_APPS[id] } : {}) })),
          ),
          explanation,
          facts: {
            attempts,
            denied: denials,
            distinctApps: m.dims.targets!.distinct,
            codes: m.dims.codes!.values,
            adminTools: tools,
            windowMinutes: t.window / MINUTE,
          },
        };
      },
    });
  },
  summarize: signinSummary,
});
