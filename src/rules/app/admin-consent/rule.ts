// TW-APP-005: admin consent on behalf of every user in the tenant (a tenant-wide delegated grant).
import type { Event } from '../../../core/event.js';
import { DAY } from '../../../config/tunables.js';
import type { Severity } from '../../../detect/alert.js';
import { match } from '../../../detect/spec.js';
import { appEntity, entities, ipEntity, listSome } from '../../lib.js';
import { defineRule } from '../../types.js';
import { HIGH_PRIVILEGE_APP_PERMISSIONS, RISKY_SCOPES, SIGN_IN_SCOPES, actorEntity, actorLabel, capitalize, appRef, grantedPermissions, inList, involvesCollector, namesOr, raise } from '../oauth.js';

/** Read-only and basic-profile scopes (Mail.Read, User.ReadBasic.All, Calendars.Read.Shared). */
const READ_SCOPE = /(^|\.)Read(Basic)?(\.|$)/i;

/** "Consent to application" with admin consent / on behalf of all, or a tenant-wide delegated permission grant. */
function tenantWide(ev: Event): boolean {
  if (ev.outcome !== 'success') return false;
  const d = ev.details ?? {};
  if (ev.action === 'consent.grant') return d.adminConsent === true || d.allPrincipals === true;
  return ev.action === 'delegated.permission.grant' && d.allPrincipals === true;
}

export const adminConsent = defineRule({
  id: 'TW-APP-005',
  title: 'Admin consent granted to an app for all users',
  severity: 'medium',
  tactics: ['persistence', 'privilege-escalation', 'credential-access'],
  techniques: ['T1098', 'T1098.003', 'T1528'],
  description:
    'An administrator consents to an app on behalf of the whole organisation ("Consent to application" with ' +
    'IsAdminConsent / OnBehalfOfAll, ConsentType AllPrincipals), or a tenant-wide delegated permission grant is ' +
    'written directly. Rated by the scopes granted: sign-in and read scopes stay low, mail-sending, mailbox-writing ' +
    'and directory-writing scopes are high (so are high-privilege application permissions such as ' +
    'Exchange.ManageAsApp when a consent names them), and an app granting the consent raises it again.',
  whyItMatters:
    'Admin consent is how the 2022 campaign made its app usable without asking anyone, and a tenant-wide grant of ' +
    'Mail.Send, EWS or directory scopes lets the app act as every user who signs in to it. It is also the quiet ' +
    'follow-up of a consent-phishing lure aimed at an administrator.',
  falsePositives: [
    'Administrators approving line-of-business and SaaS apps (the admin consent workflow): routine scopes rate low. ' +
      'Check the publisher, the reply URLs and whether a change request exists when mail or directory write scopes are in it.',
    'One admin consent writes both "Consent to application" and "Add delegated permission grant": they fold into one alert per app.',
  ],
  references: ['https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent', 'https://attack.mitre.org/techniques/T1528/'],
  status: 'stable',
  inputs: { facts: ['directory.audit'], sources: ['entra.audit', 'ual'] },
  tunables: {
    riskyScopes: { type: 'string[]', default: RISKY_SCOPES, help: 'delegated scopes that make a tenant-wide grant high' },
  },
  suppressMs: DAY,
  detect: (t) => {
    const risky = inList(t.riskyScopes);
    const signInOnly = inList(SIGN_IN_SCOPES);
    const appPermission = inList(HIGH_PRIVILEGE_APP_PERMISSIONS);
    return match({
      on: { actions: ['consent.grant', 'delegated.permission.grant'], sources: ['entra.audit', 'ual'], where: tenantWide },
      key: (ev, ctx) => {
        const app = appRef(ev);
        const id = app.appId ?? app.spId;
        return id && !involvesCollector(ev, ctx, app.appId) ? id : undefined;
      },
      alert: (m) => {
        const ev = m.event;
        const scopes = grantedPermissions(ev);
        // an application permission named in the consent (Exchange.ManageAsApp in its Scope) is as hot as a risky
        // delegated scope: it is what the campaign's app was consented to
        const hot = scopes.filter((s) => risky(s) || appPermission(s));
        const other = scopes.filter((s) => !signInOnly(s) && !hot.includes(s));
        const readish = other.filter((s) => READ_SCOPE.test(s));
        const unrated = other.filter((s) => !READ_SCOPE.test(s));
        let sev: Severity = hot.length ? 'high' : 'low';
        if (ev.actor.kind === 'app') sev = raise(sev);
        const app = appRef(ev);
        const appOnly = ev.details?.appOnly === true;
        const rated = hot.length
          ? `${listSome(hot)} let${hot.length === 1 ? 's' : ''} it act on every user's mail or on the directory`
          : appOnly
            ? 'the record is an app-only consent; its application permissions are logged as app role assignments (TW-APP-004)'
            : other.length
              ? [
                  readish.length ? `${listSome(readish)} ${readish.length === 1 ? 'is a read scope' : 'are read scopes'}` : '',
                  unrated.length ? `${listSome(unrated)} ${unrated.length === 1 ? 'is' : 'are'} not among the high-risk scopes (riskyScopes)` : '',
                ].filter(Boolean).join('; ')
              : 'only sign-in scopes';
        const explanation =
          `${capitalize(actorLabel(ev))} granted ${ev.action === 'consent.grant' ? 'admin consent' : 'a tenant-wide delegated permission grant'} ` +
          `to app ${app.name ? `"${app.name}" ` : ''}(${m.key}) for all users, with ${scopes.length} scope${scopes.length === 1 ? '' : 's'}: ${namesOr(scopes)}. ` +
          `Rated ${sev}: ${rated}${ev.actor.kind === 'app' ? '; an app granted it' : ''}.`;
        return {
          title: `Admin consent for all users to ${app.name ?? m.key}${hot.length ? ` (${listSome(hot, 3)})` : ''}`,
          severity: sev,
          entities: entities(appEntity(app.appId ?? m.key, { name: app.name, spId: app.spId }), actorEntity(ev), ipEntity(ev.actor.ip)),
          explanation,
          facts: {
            scopes,
            riskyScopes: hot,
            scopeCount: scopes.length,
            appOnly,
            grantedBy: ev.actor.user ?? ev.actor.appId ?? ev.actor.userId ?? 'unknown',
            actorKind: ev.actor.kind,
            grant: ev.operation,
          },
        };
      },
    });
  },
});
