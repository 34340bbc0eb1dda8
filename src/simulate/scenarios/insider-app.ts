// Insider: an administrator registers an app, grants it mailbox-wide application permissions (Graph Mail.ReadWrite
// and/or EWS full_access_as_app) with admin consent, adds a secret, and reads executives' mail from home in the
// evenings. Everything comes from a legitimate admin with MFA during office hours — only the grant is the tell.
import { DAY, HOUR } from '../clock.js';
import { addApplication, addServicePrincipal, appCredentials, appRoleAssignment, type AppIdentity, consentToApplication, updateRequiredAccess } from '../gen/directory.js';
import { mailItemsAccessed } from '../gen/exchange.js';
import { signIn } from '../gen/signin.js';
import type { Label } from '../model.js';
import { APP_ROLES, RESOURCES } from '../world/catalog.js';
import { clampToPeriod, ref, type Scenario, type ScenarioCtx, timeIn, victims } from './types.js';

const NAMES = ['Mailbox Archiver', 'Compliance Export Tool', 'Mail Backup Utility', 'Exchange Reporting', 'Shared Mailbox Monitor'];

export const insiderApp: Scenario = {
  name: 'insider-app',
  title: 'Insider admin grants their own app mail access',
  plan(ctx: ScenarioCtx) {
    const { world, r } = ctx;
    const id = `INC-insider-app-${world.seed}`;
    const L = (step: string): Label => ({ incident: id, step });
    const insider = r.pick([...world.appAdmins, ...world.globalAdmins]);
    const roles = r.weighted([
      [[APP_ROLES.graphMailReadWrite], 2],
      [[APP_ROLES.fullAccessAsApp], 1],
      [[APP_ROLES.graphMailReadWrite, APP_ROLES.fullAccessAsApp], 1],
    ]);
    const app: AppIdentity = { name: r.pick(NAMES), appId: r.uuid(), objectId: r.uuid(), spId: r.uuid(), audience: 'AzureADMyOrg' };
    const secret = { keyId: r.uuid(), name: r.pick(['prod', 'key', 'export']) };
    const execs = victims(ctx, Math.min(r.int(3, 8), Math.max(1, world.users.length - 20)), (u) => ['Finance', 'Legal', 'Human Resources'].includes(u.department) || u.jobTitle === 'Director');
    const t0 = timeIn(ctx, 0.25, 0.75, 10, 16, insider.office.place.tz);

    ctx.incident({
      id,
      scenario: 'insider-app',
      title: this.title,
      summary: `${insider.upn} registers "${app.name}", grants ${roles.map((x) => x.value).join(' + ')} with admin consent and reads ${execs.length} mailboxes from home.`,
      actors: { users: [insider.upn], ips: [insider.homeIp], apps: [app.appId] },
      steps: [
        { step: 'app-registration', description: 'application and service principal created by an admin', expectRules: [] },
        { step: 'permission-grant', description: 'mailbox-wide application permission assigned with admin consent', expectRules: ['app.high-risk-permission', 'consent.admin-app-only'] },
        { step: 'credential-added', description: 'client secret added', expectRules: ['app.credential-added'] },
        { step: 'app-signin', description: 'the app signs in from a residential address', expectRules: ['sp.signin-new-ip'] },
        { step: 'mail-access', description: 'MailItemsAccessed by the app across several mailboxes', expectRules: ['mailbox.access-by-new-app'] },
      ],
    });

    const ip = r.pick(insider.office.nat);
    const by = { user: { ...ref(insider), ip } };
    let t = t0;
    const next = () => (t += r.int(20, 300) * 1000);
    ctx.add(addApplication(world, r, t, by, app, { label: L('app-registration') }));
    ctx.add(addServicePrincipal(world, r, next(), by, app, { label: L('app-registration') }));
    ctx.add(updateRequiredAccess(world, r, next(), by, app, roles, [], { label: L('app-registration') }));
    for (const role of roles) ctx.add(appRoleAssignment(world, r, next(), by, app, role, { label: L('permission-grant') }));
    ctx.add(consentToApplication(world, r, next(), by, app, { admin: true, appOnly: true }, { label: L('permission-grant') }));
    ctx.add(appCredentials(world, r, next(), by, app, [], [secret], { label: L('credential-added') }));
    world.apps.push({
      name: app.name, appId: app.appId, objectId: app.objectId, spId: app.spId, owner: insider.id, created: t0, appRoles: roles,
      secrets: [{ keyId: secret.keyId, name: secret.name, start: t, end: t + 365 * DAY }], net: insider.home, ip: insider.homeIp, rate: 0, scenario: 'insider-app', signInAudience: 'AzureADMyOrg',
    });

    const resource = roles[0]!.resource.id === RESOURCES.exchange.id ? { ...RESOURCES.exchange, spId: world.tenant.exchangeSpId } : { ...RESOURCES.graph, spId: world.tenant.graphSpId };
    const nights = r.int(1, 4);
    for (let n = 0; n < nights; n++) {
      const ta = clampToPeriod(world, Math.floor((t + (n + 1) * DAY) / DAY) * DAY + (r.range(19, 23) - insider.office.place.tz) * HOUR);
      const s = signIn(world, r, {
        type: 'serviceprincipal', at: ta, app: { id: app.appId, name: app.name }, resource, net: insider.home, ip: insider.homeIp,
        sp: { appId: app.appId, spId: app.spId, name: app.name, keyId: secret.keyId, credentialType: 'clientSecret' }, ua: 'python-requests/2.31.0', auth: 'secret', label: L('app-signin'),
      });
      ctx.add(s);
      for (const e of execs) {
        ctx.add(mailItemsAccessed(world, r, ta + r.int(30, 1800) * 1000, ref(e), insider.homeIp, 'Client=REST;Client=RESTSystem;;', [{ path: `\\${world.tenant.locale.folders.inbox}`, items: r.int(10, 80) }], {
          appId: app.appId, clientAppId: app.appId, tokenId: s.tokenId, tokenIssuedAt: s.time, userType: 5, actorUpn: app.appId, label: L('mail-access'),
        }));
      }
    }
  },
};
