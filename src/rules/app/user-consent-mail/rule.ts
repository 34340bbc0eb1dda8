// TW-APP-006: a user (not an admin) consents to an app that asks for mail scopes and offline_access — the
// signature of consent phishing: the lure app keeps reading or sending the victim's mail with a refresh token.
import type { Event } from '../../../core/event.js';
import { DAY } from '../../../config/tunables.js';
import type { Severity } from '../../../detect/alert.js';
import { match } from '../../../detect/spec.js';
import { appEntity, entities, ipEntity, listSome, userEntity } from '../../lib.js';
import { defineRule } from '../../types.js';
import { MAIL_SCOPES, MAIL_WRITE_SCOPES, appRef, capitalize, grantedPermissions, inList, involvesCollector, raise } from '../oauth.js';

const OFFLINE = 'offline_access';

/** A consent the user gave for themselves: neither admin consent nor on behalf of all. */
function userConsent(ev: Event): boolean {
  const d = ev.details ?? {};
  return ev.outcome === 'success' && d.adminConsent !== true && d.allPrincipals !== true;
}

export const userConsentMail = defineRule({
  id: 'TW-APP-006',
  title: 'User consented to an app asking for mail access and offline access',
  severity: 'medium',
  tactics: ['credential-access', 'initial-access', 'collection'],
  techniques: ['T1528', 'T1566', 'T1566.002', 'T1114', 'T1114.002'],
  description:
    'A user consents for themselves ("Consent to application" with IsAdminConsent False, ConsentType Principal) to an ' +
    'app whose requested scopes include a mail scope (Mail.Read, Mail.ReadWrite, Mail.Send, EWS, IMAP, POP, SMTP, ' +
    'MailboxSettings.ReadWrite, …) together with offline_access. Scopes that write or send mail rate high; consent by a ' +
    'privileged account rates one step up.',
  whyItMatters:
    'Consent phishing needs no password: the victim clicks "Accept" on a lure app and the attacker gets a refresh ' +
    'token (offline_access) that keeps reading, forwarding or sending their mail after password resets and MFA. Mail ' +
    'scopes are what the lure apps ask for; sign-in-only consents (openid, profile, User.Read) are not.',
  falsePositives: [
    'Users connecting a legitimate mail client or productivity add-in (third-party mail apps, CRM plug-ins) where user ' +
      'consent is allowed: check the publisher (verified?), the number of users consenting and the reply URL; list the ' +
      "app's id in allowedApps once reviewed, or move the tenant to admin-consent workflow for mail scopes.",
  ],
  references: [
    'https://learn.microsoft.com/defender-office-365/detect-and-remediate-illicit-consent-grants',
    'https://attack.mitre.org/techniques/T1528/',
  ],
  status: 'stable',
  inputs: { facts: ['directory.audit'], sources: ['entra.audit', 'ual'] },
  tunables: {
    mailScopes: { type: 'string[]', default: MAIL_SCOPES, help: 'delegated scopes that count as mail access' },
    requireOfflineAccess: { type: 'boolean', default: true, help: 'alert only when offline_access (a refresh token) is also granted' },
    allowedApps: { type: 'string[]', default: [], help: 'app ids of reviewed apps users may consent to' },
  },
  suppressMs: DAY,
  detect: (t) => {
    const mail = inList(t.mailScopes);
    const write = inList(MAIL_WRITE_SCOPES);
    const allowed = inList(t.allowedApps);
    const qualifies = (ev: Event): boolean => {
      if (!userConsent(ev)) return false;
      const scopes = grantedPermissions(ev);
      return scopes.some(mail) && (!t.requireOfflineAccess || scopes.some((s) => s.toLowerCase() === OFFLINE));
    };
    return match({
      on: { actions: ['consent.grant'], sources: ['entra.audit', 'ual'], where: qualifies },
      // one alert per app: every further victim of the same lure app folds into it as an occurrence
      key: (ev, ctx) => {
        const app = appRef(ev);
        const id = app.appId ?? app.spId;
        return id && !allowed(id) && !involvesCollector(ev, ctx, app.appId) ? id : undefined;
      },
      alert: (m, ctx) => {
        const ev = m.event;
        const scopes = grantedPermissions(ev);
        const mailScopes = scopes.filter(mail);
        const writes = mailScopes.filter(write);
        const victim = ev.actor.user ?? ev.actor.userId ?? 'unknown user';
        const privileged = ctx.enrich.isPrivileged(ev.actor.user, ev.actor.userId);
        let sev: Severity = writes.length ? 'high' : 'medium';
        if (privileged) sev = raise(sev);
        const app = appRef(ev);
        const explanation =
          `${capitalize(privileged ? 'privileged account ' : 'user ')}${victim}${ev.actor.ip ? ` (${ev.actor.ip})` : ''} consented for themselves to app ` +
          `${app.name ? `"${app.name}" ` : ''}(${m.key}) with ${scopes.length} scopes: ${listSome(scopes, 8)}. ` +
          `${mailScopes.length} mail scope${mailScopes.length === 1 ? '' : 's'} (${listSome(mailScopes)})` +
          `${scopes.some((s) => s.toLowerCase() === OFFLINE) ? ` with offline_access ${mailScopes.length === 1 ? 'gives' : 'give'} the app a refresh token to the mailbox` : ' without offline_access (access ends with the session)'}` +
          `${writes.length ? `; ${listSome(writes)} can change the mailbox or send as the user` : ''}.`;
        return {
          title: `${victim} consented to ${app.name ?? m.key} with ${listSome(mailScopes, 3)}`,
          severity: sev,
          entities: entities(
            appEntity(app.appId ?? m.key, { name: app.name, spId: app.spId }),
            userEntity(ev, 'target'),
            ipEntity(ev.actor.ip),
          ),
          explanation,
          facts: {
            user: victim,
            scopes,
            mailScopes,
            writeScopes: writes,
            offlineAccess: scopes.some((s) => s.toLowerCase() === OFFLINE),
            privilegedUser: privileged,
          },
        };
      },
    });
  },
});
