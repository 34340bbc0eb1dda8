// Benign tenant-level activity. Two kinds:
//   storylines(): one-off admin work planned once for the period — an app registration with admin consent, secret
//     rotations, a partner connector with TLS certificate restriction, transport rules (one sets SCL -1 for a
//     phishing-simulation vendor), a new helpdesk role member, weekly marketing newsletters from a known sender.
//   tenantDay(): what happens every UTC day — service principal sign-ins of the tenant's integrations, HR sync
//     updates, Exchange service-account noise, an admin's routine cmdlets, a few background MailItemsAccessed.
import { DAY, HOUR, MINUTE } from '../clock.js';
import {
  addApplication,
  addMemberToRole,
  addServicePrincipal,
  appCredentials,
  appRoleAssignment,
  type AppIdentity,
  consentToApplication,
  resetPassword,
  updateRequiredAccess,
  updateUser,
} from '../gen/directory.js';
import { cmdlet, mailItemsAccessed, message } from '../gen/exchange.js';
import { signIn } from '../gen/signin.js';
import type { Intent } from '../model.js';
import { rngFor } from '../rng.js';
import type { TenantApp, User, World } from '../world/build.js';
import { APP_ROLES, APPS, RESOURCES } from '../world/catalog.js';
import { upnPart } from '../world/locales.js';

const userRef = (u: User, ip?: string) => ({ id: u.id, upn: u.upn, displayName: u.displayName, ...(ip ? { ip } : {}) });

/** A workday time in the first office's local office hours, `frac` of the way through the period. */
function officeTime(world: World, frac: number, hourLo: number, hourHi: number, r: ReturnType<typeof rngFor>): number {
  const tz = world.offices[0]!.place.tz;
  let d = Math.min(world.days - 1, Math.max(0, Math.floor(frac * world.days)));
  for (let k = 0; k < 7; k++) {
    const wd = new Date(world.start + d * DAY).getUTCDay();
    if (wd >= 1 && wd <= 5) break;
    d = (d + 1) % world.days;
  }
  return world.start + d * DAY + (r.range(hourLo, hourHi) - tz) * HOUR;
}

export function storylines(world: World): Intent[] {
  const out: Intent[] = [];
  const r = rngFor(world.seed, 'storylines');
  const appAdmin = world.appAdmins[0] ?? world.globalAdmins[0]!;
  const ga = world.globalAdmins[0]!;
  const exo = world.exchangeAdmins[0] ?? ga;

  // 1. an admin registers a reporting app and grants it read permissions with admin consent
  {
    const t0 = officeTime(world, r.range(0.1, 0.9), 10, 16, r);
    const ip = r.pick(appAdmin.office.nat);
    const by = { user: userRef(appAdmin, ip) };
    const app: AppIdentity = { name: r.pick(['Power BI Usage Reports', 'Contract Management Sync', 'Intranet Directory', 'Helpdesk Ticketing Integration']), appId: r.uuid(), objectId: r.uuid(), spId: r.uuid(), replyUrl: 'https://localhost:44321/signin-oidc' };
    let t = t0;
    const next = () => (t += r.int(30, 400) * 1000);
    out.push(addApplication(world, r, t, by, app, { decoy: 'admin-app-registration' }));
    out.push(addServicePrincipal(world, r, next(), by, app, { decoy: 'admin-app-registration' }));
    out.push(updateRequiredAccess(world, r, next(), by, app, [APP_ROLES.graphUserReadAll], [{ resourceAppId: RESOURCES.graph.id, ids: ['e1fe6dd8-ba31-4d61-89e7-88639da4683d'] }], { decoy: 'admin-app-registration' }));
    out.push(appRoleAssignment(world, r, next(), by, app, APP_ROLES.graphUserReadAll, { decoy: 'admin-consent' }));
    out.push(consentToApplication(world, r, next(), by, app, { admin: true, appOnly: false, scope: 'User.Read' }, { decoy: 'admin-consent' }));
    const key = { keyId: r.uuid(), name: 'prod' };
    out.push(appCredentials(world, r, next(), by, app, [], [key], { decoy: 'credential-rotation' }));
    world.apps.push({
      name: app.name, appId: app.appId, objectId: app.objectId, spId: app.spId, owner: appAdmin.id, created: t0, appRoles: [APP_ROLES.graphUserReadAll], delegated: 'User.Read',
      secrets: [{ ...key, start: t, end: t + 365 * DAY }], net: world.nets.saas, ip: world.nets.table.hostV4(world.nets.saas, r), rate: 8, signInAudience: 'AzureADMyOrg',
    });
    world.grants.push({ clientSpId: app.spId, resourceSpId: world.tenant.graphSpId, scope: 'User.Read', consentType: 'AllPrincipals', at: t });
  }

  // 2. secret rotation for integrations whose secret expires soon
  for (const app of world.apps.slice(0, 4)) {
    const old = app.secrets[0]!;
    if (old.end > world.end + 30 * DAY) continue;
    const rot = Math.max(world.start + HOUR, Math.min(world.end - 2 * HOUR, old.end - r.int(3, 14) * DAY));
    const tr = officeTime(world, (rot - world.start) / (world.end - world.start), 9, 17, r);
    const owner = world.users.find((u) => u.id === app.owner) ?? appAdmin;
    const ip = r.pick(owner.office.nat);
    const fresh = { keyId: r.uuid(), name: `prod-${new Date(tr).getUTCFullYear()}` };
    const ident = { name: app.name, appId: app.appId, objectId: app.objectId, spId: app.spId };
    out.push(appCredentials(world, r, tr, { user: userRef(owner, ip) }, ident, [old], [old, fresh], { decoy: 'credential-rotation' }));
    app.secrets.push({ ...fresh, start: tr + r.int(1, 6) * HOUR, end: tr + 365 * DAY });
    const drop = tr + r.int(5, 9) * DAY;
    if (drop < world.end - HOUR) {
      out.push(appCredentials(world, r, drop, { user: userRef(owner, r.pick(owner.office.nat)) }, ident, [old, fresh], [fresh], { decoy: 'credential-rotation' }));
      old.removed = drop;
    }
  }

  // 3. a partner connector restricted to the partner's TLS certificate
  {
    const t = officeTime(world, r.range(0.05, 0.95), 9, 17, r);
    const ip = r.pick(exo.office.nat);
    const name = `Inbound from ${world.tenant.partnerDomain.split('.')[0]}`;
    const params: [string, string][] = [
      ['Name', name],
      ['ConnectorType', 'Partner'],
      ['SenderDomains', world.tenant.partnerDomain],
      ['RequireTls', 'True'],
      ['RestrictDomainsToCertificate', 'True'],
      ['TlsSenderCertificateName', `mail.${world.tenant.partnerDomain}`],
      ['SenderIPAddresses', world.nets.partner.v4],
    ];
    out.push(cmdlet(world, r, t, { user: userRef(exo) }, 'New-InboundConnector', params, { ip, decoy: 'partner-connector' }));
    world.exchange.push({ kind: 'inboundConnector', name, params, created: t, by: exo.upn });
  }

  // 4. transport rules: an external-sender banner, and an SCL -1 bypass for the phishing-simulation vendor
  {
    const t = officeTime(world, r.range(0.05, 0.95), 9, 17, r);
    const ip = r.pick(exo.office.nat);
    const banner: [string, string][] = [
      ['Name', 'External sender warning'],
      ['FromScope', 'NotInOrganization'],
      ['PrependSubject', '[EXTERNAL] '],
      ['Priority', '1'],
    ];
    out.push(cmdlet(world, r, t, { user: userRef(exo) }, 'New-TransportRule', banner, { ip, decoy: 'transport-rule' }));
    world.exchange.push({ kind: 'transportRule', name: 'External sender warning', params: banner, created: t, by: exo.upn });
    const sim: [string, string][] = [
      ['Name', 'Phishing simulation allow list'],
      ['SenderIpRanges', world.nets.esp.v4],
      ['SetSCL', '-1'],
      ['SetHeaderName', 'X-MS-Exchange-Organization-BypassClutter'],
      ['SetHeaderValue', 'true'],
      ['Priority', '0'],
    ];
    const t2 = t + r.int(3, 30) * MINUTE;
    out.push(cmdlet(world, r, t2, { user: userRef(exo) }, 'New-TransportRule', sim, { ip, decoy: 'transport-rule' }));
    world.exchange.push({ kind: 'transportRule', name: 'Phishing simulation allow list', params: sim, created: t2, by: exo.upn });
  }

  // 5. a new helpdesk member
  {
    const candidates = world.users.filter((u) => u.kind === 'person' && u.roles.length === 0 && u.department === 'IT');
    const who = candidates.length ? r.pick(candidates) : world.users.find((u) => u.kind === 'person' && u.roles.length === 0);
    if (who) {
      const t = officeTime(world, r.range(0.05, 0.95), 9, 17, r);
      out.push(addMemberToRole(world, r, t, { user: userRef(ga, r.pick(ga.office.nat)) }, { id: who.id, name: who.displayName, upn: who.upn, type: 'User' }, 'helpdeskAdmin', { decoy: 'role-assignment' }));
      world.userRoles.push({ userId: who.id, role: 'helpdeskAdmin', at: t });
    }
  }

  // 6. weekly newsletters from the marketing mailbox to the same (slowly growing) subscriber list
  {
    const m = world.marketing;
    const tz = world.offices[0]!.place.tz;
    const list = world.rates.marketingRecipients;
    const weekday = r.int(2, 4);
    for (let d = 0; d < world.days; d++) {
      if (new Date(world.start + d * DAY).getUTCDay() !== weekday) continue;
      const rr = rngFor(world.seed, 'newsletter', d);
      const size = Math.round(list * rr.range(0.85, 1.05));
      const subject = rr.pick(world.tenant.locale.newsletter);
      let t = world.start + d * DAY + (10 + rr.range(0, 0.5) - tz) * HOUR;
      for (let i = 0; i < size; i += 50) {
        const rc = [];
        for (let k = i; k < Math.min(size, i + 50); k++) {
          const sub = rngFor(world.seed, 'subscriber', k);
          rc.push({ address: `${upnPart(sub.pick(world.tenant.locale.first))}.${sub.int(1, 9999)}@${sub.pick(world.tenant.consumerDomains)}`, status: rr.chance(0.02) ? 'Failed' : 'Delivered' });
        }
        out.push(message(world, rr, t, m.upn, rc, subject, world.offices[0]!.nat[0]!, { decoy: 'marketing-bulk-mail', size: rr.int(40_000, 90_000) }));
        t += rr.int(20, 90) * 1000;
      }
    }
  }
  return out;
}

/** The key a tenant app signs in with at time t (rotations switch keys). */
function keyAt(app: TenantApp, t: number): string | undefined {
  let k: string | undefined;
  for (const s of app.secrets) if (s.start <= t) k = s.keyId;
  return k;
}

export function tenantDay(world: World, d: number, out: Intent[]): void {
  const r = rngFor(world.seed, 'tenant-day', d);
  const day0 = world.start + d * DAY;
  const weekday = new Date(day0).getUTCDay();
  const workday = weekday >= 1 && weekday <= 5;

  // integrations sign in on their schedules
  for (const app of world.apps) {
    if (app.scenario || app.rate <= 0) continue;
    const n = r.poisson(app.rate);
    for (let i = 0; i < n; i++) {
      const t = day0 + r.int(0, DAY - 1);
      if (t < app.created) continue;
      const role = app.appRoles[0];
      const resource = role && role.resource.id === RESOURCES.exchange.id ? { ...RESOURCES.exchange, spId: world.tenant.exchangeSpId } : { ...RESOURCES.graph, spId: world.tenant.graphSpId };
      out.push(signIn(world, r, {
        type: 'serviceprincipal', at: t, app: { id: app.appId, name: app.name }, resource, net: app.net, ip: app.ip,
        sp: { appId: app.appId, spId: app.spId, name: app.name, keyId: keyAt(app, t), credentialType: 'clientSecret' }, ua: '', auth: r.chance(0.002) ? 'bad-secret' : 'secret',
      }));
    }
  }

  const people = world.users.length - 2;
  const pick = () => world.users[r.int(0, people - 1)]!;
  const hr = world.apps[0]!;
  if (workday) {
    for (let i = r.poisson(Math.min(300, Math.max(1, people * 0.01))); i > 0; i--) {
      const u = pick();
      out.push(updateUser(world, r, day0 + r.range(1, 5) * HOUR, { app: { appId: hr.appId, spId: hr.spId, name: hr.name } }, userRef(u), [
        [r.pick(['JobTitle', 'Department', 'TelephoneNumber']), r.pick(['Analyst', 'Sales', '+1 555 0100']), r.pick(['Senior Analyst', 'Operations', '+1 555 0199'])],
      ]));
    }
    for (let i = r.poisson(Math.max(0.3, people * 0.0006)); i > 0; i--) {
      const helper = r.pick(world.helpdesk);
      const u = pick();
      out.push(resetPassword(world, r, day0 + r.range(7, 18) * HOUR, { user: userRef(helper, r.pick(helper.office.nat)) }, userRef(u), { decoy: 'helpdesk-reset' }));
    }
    const exo = world.exchangeAdmins[0];
    if (exo) {
      for (let i = r.poisson(0.8); i > 0; i--) {
        const u = pick();
        const op = r.weighted<[string, [string, string][]]>([
          [['Set-Mailbox', [['Identity', u.upn], ['LitigationHoldEnabled', 'True']]], 2],
          [['Add-MailboxPermission', [['Identity', world.marketing.upn], ['User', u.upn], ['AccessRights', 'FullAccess'], ['InheritanceType', 'All']]], 1],
          [['Set-CASMailbox', [['Identity', u.upn], ['PopEnabled', 'False'], ['ImapEnabled', 'False']]], 1],
        ]);
        out.push(cmdlet(world, r, day0 + r.range(8, 17) * HOUR, { user: userRef(exo) }, op[0], op[1], { ip: r.pick(exo.office.nat), objectId: u.upn }));
      }
    }
  }
  // Exchange's own service account
  for (let i = r.poisson(3); i > 0; i--) {
    const u = pick();
    out.push(cmdlet(world, r, day0 + r.int(0, DAY - 1), { system: 'NT AUTHORITY\\SYSTEM (Microsoft.Exchange.ServiceHost)' }, r.pick(['Set-Mailbox', 'Set-MailboxFolderPermission', 'Enable-MailboxQuarantine']), [['Identity', u.id]], { userType: 3, objectId: u.id }));
  }
  // background mail-item access by Outlook (audit for a sample of mailboxes)
  for (let i = r.poisson(Math.min(200, Math.max(1, people * 0.002))); i > 0; i--) {
    const u = pick();
    out.push(mailItemsAccessed(world, r, day0 + ((((r.range(7, 19) - u.office.place.tz) * HOUR) % DAY) + DAY) % DAY, userRef(u), r.pick(u.office.nat), 'Client=MSExchangeRPC', [{ path: `\\${world.tenant.locale.folders.inbox}`, items: r.int(1, 20) }], {
      appId: APPS.office.id, sessionId: rngFor(world.seed, 'sess', u.idx, Math.floor((d + 3) / 7)).uuid(),
    }));
  }
}
