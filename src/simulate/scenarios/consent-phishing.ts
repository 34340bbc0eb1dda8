// Illicit consent grant: a user consents Mail.Read + offline_access to a look-alike multi-tenant app; the app then
// refreshes the user's token from a hosting network and reads mail through Graph for days.
import { DAY, HOUR, MINUTE } from '../clock.js';
import { addDelegatedGrant, addServicePrincipal, type AppIdentity, consentToApplication } from '../gen/directory.js';
import { mailItemsAccessed } from '../gen/exchange.js';
import { signIn } from '../gen/signin.js';
import type { Label } from '../model.js';
import { RESOURCES } from '../world/catalog.js';
import { clampToPeriod, hostingNet, ref, type Scenario, type ScenarioCtx, timeIn, victims } from './types.js';

const LOOKALIKES = ['Microsoft 0utlook Sync', 'Offíce 365 Secure Viewer', 'DocuSlgn Document Access', 'SharePoint Docs Viewer', 'Adobe Acrobat Sign-In', 'Teams Meeting Assistant'];

export const consentPhishing: Scenario = {
  name: 'consent-phishing',
  title: 'Consent phishing: Mail.Read + offline_access granted to a look-alike app',
  plan(ctx: ScenarioCtx) {
    const { world, r } = ctx;
    const id = `INC-consent-phishing-${world.seed}`;
    const L = (step: string): Label => ({ incident: id, step });
    const [victim] = victims(ctx, 1);
    if (!victim) return;
    const net = hostingNet(ctx, victim.office.place.country);
    const attackerIp = world.nets.table.hostV4(net, r);
    const scope = r.pick(['Mail.Read offline_access User.Read', 'Mail.Read offline_access', 'Mail.ReadWrite offline_access User.Read openid profile']);
    const app: AppIdentity = { name: r.pick(LOOKALIKES), appId: r.uuid(), objectId: r.uuid(), spId: r.uuid(), audience: 'AzureADMultipleOrgs' };
    const t0 = timeIn(ctx, 0.15, 0.8, 9, 17, victim.office.place.tz);

    ctx.incident({
      id,
      scenario: 'consent-phishing',
      title: this.title,
      summary: `${victim.upn} consents "${scope}" to "${app.name}" (multi-tenant, unverified publisher); the app reads mail from ${attackerIp}.`,
      actors: { users: [victim.upn], ips: [attackerIp], apps: [app.appId] },
      steps: [
        { step: 'consent', description: 'user signs in to the look-alike app and consents to mail scopes (SP created, delegated grant, consent)', expectRules: ['consent.user-high-risk-scope'] },
        { step: 'token-use', description: 'the app refreshes the user token from a hosting network', expectRules: ['app.delegated-access-from-hosting'] },
        { step: 'mail-access', description: 'MailItemsAccessed through Graph by the app from the attacker IP', expectRules: ['mailbox.access-by-new-app'] },
      ],
    });

    const ip = r.pick(victim.office.nat);
    const session = r.uuid();
    ctx.add(signIn(world, r, {
      type: 'interactive', at: t0, user: victim, app: { id: app.appId, name: app.name }, resource: RESOURCES.graph, net: victim.office.net, ip, ua: victim.desktop.ua,
      device: victim.desktop, clientAppUsed: 'Browser', auth: 'claim', sessionId: session, scopes: `[${scope.split(' ').join(',')}]`, label: L('consent'),
    }));
    const by = { user: { ...ref(victim), ip }, userAgent: victim.desktop.ua };
    let t = t0 + r.int(10, 40) * 1000;
    ctx.add(addServicePrincipal(world, r, t, by, app, { label: L('consent') }));
    t += r.int(1, 5) * 1000;
    ctx.add(addDelegatedGrant(world, r, t, by, app, scope, 'Principal', { label: L('consent') }));
    t += r.int(1, 5) * 1000;
    ctx.add(consentToApplication(world, r, t, by, app, { admin: false, appOnly: false, scope, principalId: victim.id }, { label: L('consent') }));
    world.apps.push({
      name: app.name, appId: app.appId, objectId: app.objectId, spId: app.spId, owner: '', created: t, appRoles: [], delegated: scope, secrets: [], net, ip: attackerIp,
      rate: 0, scenario: 'consent-phishing', signInAudience: 'AzureADMultipleOrgs', publisherTenant: r.uuid(),
    });
    world.grants.push({ clientSpId: app.spId, resourceSpId: world.tenant.graphSpId, scope, consentType: 'Principal', principalId: victim.id, at: t });

    const until = clampToPeriod(world, t + r.range(1, 5) * DAY);
    let ta = t + r.int(2, 30) * MINUTE;
    while (ta < until) {
      const s = signIn(world, r, {
        type: 'noninteractive', at: ta, user: victim, app: { id: app.appId, name: app.name }, resource: RESOURCES.graph, net, ip: attackerIp, ua: r.pick(['python-requests/2.31.0', 'axios/1.6.8', 'Mozilla/5.0']),
        clientAppUsed: 'Mobile Apps and Desktop clients', auth: 'claim', incomingTokenType: 'refreshToken', scopes: `[${scope.split(' ').join(',')}]`, label: L('token-use'),
      });
      ctx.add(s);
      ctx.add(mailItemsAccessed(world, r, ta + r.int(5, 60) * 1000, ref(victim), attackerIp, 'Client=REST;Client=RESTSystem;;', [{ path: `\\${world.tenant.locale.folders.inbox}`, items: r.int(5, 40) }], {
        appId: app.appId, clientAppId: app.appId, tokenId: s.tokenId, tokenIssuedAt: s.time, label: L('mail-access'),
      }));
      ta += r.range(1, 8) * HOUR;
    }
  },
};
