// The 2022 OAuth spam campaign (reference/detections.md §1): credential stuffing from a few hosting IPs -> the
// admin account without MFA signs in single-factor -> an app is registered with Exchange.ManageAsApp, admin
// consent, Global Admin + Exchange Admin roles on its service principal and a client secret -> weeks of dwell ->
// the app (app-only Exchange PowerShell) creates an OnPremises inbound connector with wide SenderIPAddresses and no
// TLS certificate, and a header-stripping transport rule -> a spam burst through the connector from new sender
// addresses of the tenant's domain -> clean-up (Remove-TransportRule, Remove-InboundConnector).
import { DAY, HOUR, MINUTE } from '../clock.js';
import { addApplication, addMemberToRole, addServicePrincipal, appCredentials, appRoleAssignment, type AppIdentity, consentToApplication, updateRequiredAccess } from '../gen/directory.js';
import { cmdlet, message } from '../gen/exchange.js';
import { signIn } from '../gen/signin.js';
import type { AppActor, Label } from '../model.js';
import { APP_ROLES, APPS, ATTACKER_UAS, RESOURCES } from '../world/catalog.js';
import { ipv4 } from '../world/networks.js';
import { clampToPeriod, hostingNet, ref, type Scenario, type ScenarioCtx, targets as massTargets } from './types.js';

const APP_NAMES = ['Mail Sync Service', 'Office365 Connector', 'Exchange Integration', 'MS Graph Backup', 'Outlook Add-in Service', 'TestApp', 'Tenant Migration Tool', 'M365 Reporting'];
const CONNECTOR_NAMES = ['Inbound from on-premises', 'Default Frontend Relay', 'Partner Relay', 'Hybrid Mail Flow', 'Smarthost Inbound', 'Mail Relay 01'];
const RULE_NAMES = ['Header cleanup', 'Spam Bypass', 'Relay rule', 'Default rule', 'Skip filtering for relay', 'Mailflow Fix'];
const SPAM_SUBJECTS = ['Congratulations! You have been selected', 'Claim your reward before midnight', 'Your gift card is waiting', 'Final notice: prize unclaimed', 'You are our lucky winner', 'Exclusive offer for loyal customers'];
const SPAM_SENDERS = ['rewards', 'winner', 'promo', 'giftcenter', 'offers', 'prize-team', 'customer.rewards', 'noreply-promo', 'bonus'];

export const campaign: Scenario = {
  name: 'campaign',
  title: 'OAuth app abuse: credential stuffing -> malicious app with Exchange.ManageAsApp -> inbound connector spam',
  plan(ctx: ScenarioCtx) {
    const { world, r } = ctx;
    const id = `INC-campaign-${world.seed}`;
    const L = (step: string): Label => ({ incident: id, step });
    const admin = world.legacyAdmin;
    const stuffNets = Array.from({ length: world.rates.stuffingIps }, () => hostingNet(ctx, admin.office.place.country));
    const stuffIps = stuffNets.map((n) => world.nets.table.hostV4(n, r));
    const sendNet = hostingNet(ctx, admin.office.place.country);
    const appNet = r.chance(0.5) ? stuffNets[0]! : hostingNet(ctx);
    const appIp = world.nets.table.hostV4(appNet, r);
    const appName = r.pick(APP_NAMES);
    const app: AppIdentity = { name: appName, appId: r.uuid(), objectId: r.uuid(), spId: r.uuid(), audience: 'AzureADMyOrg' };
    const actor: AppActor = { appId: app.appId, spId: app.spId, name: app.name };
    const secret = { keyId: r.uuid(), name: r.pick(['key1', 'secret', 'default', 'pwd', 'Password uploaded on ' + new Date(world.start).toUTCString().slice(5, 16)]) };

    // --- timeline, scaled to the period: stuffing early, dwell of weeks when the period allows it
    const days = world.days;
    const t0 = clampToPeriod(world, world.start + Math.floor(r.range(0.05, 0.3) * days) * DAY + r.range(0, 24) * HOUR);
    const spamLatest = world.end - Math.max(3 * HOUR, Math.min(2 * DAY, days * 0.1 * DAY));
    const dwell = Math.min(r.range(7, 35) * DAY, Math.max(2 * HOUR, spamLatest - t0 - 6 * HOUR));
    const targets = [admin, ...massTargets(ctx, Math.min(r.int(15, 60), Math.max(3, Math.floor(world.users.length / 3))))];

    ctx.incident({
      id,
      scenario: 'campaign',
      title: this.title,
      summary: `Credential stuffing from ${stuffIps.length} hosting IPs finds ${admin.upn} (no MFA, excluded from CA); app "${appName}" gets Exchange.ManageAsApp, Global and Exchange Administrator and a secret; after ${Math.round(dwell / DAY)} days it creates an inbound connector and a header-stripping transport rule, sends spam, and removes both.`,
      actors: { users: [admin.upn], ips: [...stuffIps, appIp], apps: [app.appId] },
      steps: [
        { step: 'stuffing', description: 'credential stuffing: bursts of failed sign-ins (50126/50053) over many accounts from a few hosting IPs', expectRules: ['signin.credential-stuffing', 'signin.brute-force'] },
        { step: 'initial-access', description: 'the admin account without MFA signs in single-factor from a stuffing IP (CA not applied)', expectRules: ['signin.success-after-failures', 'signin.admin-single-factor'] },
        { step: 'app-registration', description: 'application and service principal created, Exchange.ManageAsApp requested', expectRules: ['app.registered-from-risky-session'] },
        { step: 'permission-grant', description: 'Exchange.ManageAsApp app role assigned and admin consent granted', expectRules: ['app.high-risk-permission', 'consent.admin-app-only'] },
        { step: 'role-assignment', description: 'Global Administrator and Exchange Administrator assigned to the service principal', expectRules: ['role.privileged-to-service-principal'] },
        { step: 'credential-added', description: 'client secret added to the application', expectRules: ['app.credential-added'] },
        { step: 'app-signin', description: 'the app signs in with its secret from a new IP after weeks of dwell', expectRules: ['sp.signin-new-ip'] },
        { step: 'connector-created', description: 'New-InboundConnector by the app: OnPremises, wide SenderIPAddresses, no TLS certificate', expectRules: ['exchange.inbound-connector-by-app', 'exchange.inbound-connector-onpremises-wide'] },
        { step: 'transport-rule', description: 'New-TransportRule by the app removing sender headers / setting SCL -1', expectRules: ['exchange.transport-rule-header-removal'] },
        { step: 'spam', description: 'spam burst through the connector: new sender addresses of the tenant domain to many external recipients', expectRules: ['mail.outbound-spam-burst'] },
        { step: 'cleanup', description: 'Remove-TransportRule and Remove-InboundConnector by the app', expectRules: ['exchange.connector-removed'] },
      ],
    });

    // --- 1. credential stuffing: fast bursts, each IP working through part of the list
    let t = t0;
    const ua = r.pick(ATTACKER_UAS.stuffing);
    const stuffApp = r.pick([APPS.aadPowerShell, APPS.office]);
    for (let k = 0; k < stuffIps.length; k++) {
      let tk = t + k * r.int(2, 30) * MINUTE;
      const list = r.sample(targets.slice(1), Math.ceil(targets.length * r.range(0.5, 1)));
      for (const u of list) {
        const tries = r.int(1, 3);
        for (let i = 0; i < tries; i++) {
          tk += r.int(1, 12) * 1000;
          ctx.add(signIn(world, r, {
            type: 'interactive', at: tk, user: u, app: stuffApp, resource: RESOURCES.aadGraph, net: stuffNets[k]!, ip: stuffIps[k]!, ua,
            clientAppUsed: 'Mobile Apps and Desktop clients', protocol: 'ropc', auth: i === 2 && r.chance(0.5) ? 'locked' : 'badpw', label: L('stuffing'),
            risk: r.chance(0.4) ? { during: 'medium', aggregated: 'medium', state: 'atRisk', detail: 'none', types: ['passwordSpray'] } : undefined,
          }));
        }
      }
      t = Math.max(t, tk);
    }
    // the admin: a couple of wrong passwords from the list, then the right one
    const winK = r.int(0, stuffIps.length - 1);
    let ta = t + r.int(1, 20) * MINUTE;
    for (let i = r.int(1, 3); i > 0; i--) {
      ctx.add(signIn(world, r, {
        type: 'interactive', at: ta, user: admin, app: stuffApp, resource: RESOURCES.aadGraph, net: stuffNets[winK]!, ip: stuffIps[winK]!, ua,
        clientAppUsed: 'Mobile Apps and Desktop clients', protocol: 'ropc', auth: 'badpw', mfaRequired: false, label: L('stuffing'),
      }));
      ta += r.int(3, 20) * 1000;
    }
    const risky = r.chance(0.7) ? { during: 'medium', aggregated: 'high', state: 'atRisk', detail: 'none', types: ['unfamiliarFeatures'] } : undefined;
    const accessSession = r.uuid();
    ctx.add(signIn(world, r, {
      type: 'interactive', at: ta, user: admin, app: stuffApp, resource: RESOURCES.aadGraph, net: stuffNets[winK]!, ip: stuffIps[winK]!, ua,
      clientAppUsed: 'Mobile Apps and Desktop clients', protocol: 'ropc', auth: 'single', mfaRequired: false, label: L('initial-access'), risk: risky, sessionId: accessSession,
    }));

    // --- 2. the app, from a PowerShell script a few minutes later
    const adminIp = stuffIps[winK]!;
    let tp = ta + r.int(2, 15) * MINUTE;
    ctx.add(signIn(world, r, {
      type: 'interactive', at: tp, user: admin, app: APPS.graphCli, resource: RESOURCES.graph, net: stuffNets[winK]!, ip: adminIp, ua: ATTACKER_UAS.powershell,
      clientAppUsed: 'Mobile Apps and Desktop clients', protocol: 'ropc', auth: 'single', mfaRequired: false, label: L('initial-access'), risk: risky, sessionId: accessSession,
    }));
    const by = { user: { ...ref(admin), ip: adminIp }, userAgent: ATTACKER_UAS.powershell };
    const step = () => (tp += r.int(4, 50) * 1000);
    ctx.add(addApplication(world, r, step(), by, app, { label: L('app-registration') }));
    ctx.add(addServicePrincipal(world, r, step(), by, app, { label: L('app-registration') }));
    ctx.add(updateRequiredAccess(world, r, step(), by, app, [APP_ROLES.exchangeManageAsApp], [], { label: L('app-registration') }));
    ctx.add(appRoleAssignment(world, r, step(), by, app, APP_ROLES.exchangeManageAsApp, { label: L('permission-grant') }));
    ctx.add(consentToApplication(world, r, step(), by, app, { admin: true, appOnly: true }, { label: L('permission-grant') }));
    const member = { id: app.spId, name: app.name, type: 'ServicePrincipal' as const, appId: app.appId };
    ctx.add(addMemberToRole(world, r, step(), by, member, 'globalAdmin', { label: L('role-assignment') }));
    ctx.add(addMemberToRole(world, r, step(), by, member, 'exchangeAdmin', { label: L('role-assignment') }));
    ctx.add(appCredentials(world, r, step(), by, app, [], [secret], { label: L('credential-added') }));
    world.apps.push({
      name: app.name, appId: app.appId, objectId: app.objectId, spId: app.spId, owner: admin.id, created: ta, appRoles: [APP_ROLES.exchangeManageAsApp],
      secrets: [{ keyId: secret.keyId, name: secret.name, start: tp, end: tp + 730 * DAY }], net: appNet, ip: appIp, rate: 0, scenario: 'campaign', signInAudience: 'AzureADMyOrg',
    });
    world.spRoles.push({ spId: app.spId, role: 'globalAdmin', at: tp }, { spId: app.spId, role: 'exchangeAdmin', at: tp });

    // --- 3. dwell, then the app signs in (a test sign-in during dwell when there is room)
    const spAuth = (at: number, ip: string) =>
      signIn(world, r, {
        type: 'serviceprincipal', at, app: { id: app.appId, name: app.name }, resource: { ...RESOURCES.exchange, spId: world.tenant.exchangeSpId }, net: appNet, ip,
        sp: { ...actor, keyId: secret.keyId, credentialType: 'clientSecret' }, ua: ATTACKER_UAS.exoV3, auth: 'secret', label: L('app-signin'),
      });
    if (dwell > 3 * DAY) ctx.add(spAuth(tp + r.range(1, 3) * DAY, appIp));
    let ts = clampToPeriod(world, tp + dwell, 3 * HOUR);
    const s1 = spAuth(ts, appIp);
    ctx.add(s1);

    // --- 4. connector and transport rule(s), run by the app
    const appOpts = { ip: appIp, userType: 5, tokenId: s1.tokenId, tokenIssuedAt: s1.time, label: L('connector-created') };
    const connector = r.pick(CONNECTOR_NAMES);
    const sendHost = world.nets.table.hostV4(sendNet, r);
    const wide = r.weighted<string>([
      [`${ipv4((sendNet.v4Base & 0xffffff00) >>> 0)}/24`, 3],
      [`${sendNet.v4}`, 2],
      [`${sendHost}`, 1],
    ]);
    const extra = r.chance(0.5) ? `;${r.pick(['192.0.2.0/24', '198.18.0.0/16', '198.19.0.0/16'])}` : '';
    const connParams: [string, string][] = [
      ['Name', connector],
      ['ConnectorType', 'OnPremises'],
      ['SenderIPAddresses', wide + extra],
      ['SenderDomains', r.pick(['*', 'smtp:*;1'])],
      ['RestrictDomainsToIPAddresses', r.pick(['True', 'False'])],
      ['RequireTls', 'False'],
      ['Enabled', 'True'],
    ];
    if (r.chance(0.4)) connParams.push(['TreatMessagesAsInternal', 'True']);
    ts += r.int(1, 10) * MINUTE;
    ctx.add(cmdlet(world, r, ts, { app: actor }, 'New-InboundConnector', connParams, appOpts));
    const rules: string[] = [];
    const headers = r.sample(['X-MS-Exchange-ExternalOriginalInternetSender', 'X-MS-Exchange-SkipListedInternetSender', 'X-MS-Exchange-Organization-AuthAs', 'Received-SPF'], r.int(1, 2));
    for (const header of headers) {
      const name = rules.length ? `${r.pick(RULE_NAMES)} ${rules.length + 1}` : r.pick(RULE_NAMES);
      rules.push(name);
      const params: [string, string][] = [
        ['Name', name],
        ['SenderIpRanges', wide],
        ['RemoveHeader', header],
      ];
      if (r.chance(0.6)) params.push(['SetSCL', '-1']);
      params.push(['Priority', '0'], ['Enabled', 'True']);
      ts += r.int(20, 240) * 1000;
      ctx.add(cmdlet(world, r, ts, { app: actor }, 'New-TransportRule', params, { ...appOpts, label: L('transport-rule') }));
    }

    // --- 5. spam burst through the connector
    const burstStart = ts + r.int(10, 90) * MINUTE;
    const burstLen = Math.max(HOUR, Math.min(r.range(2, 18) * HOUR, world.end - burstStart - 2 * HOUR));
    const senders = Array.from({ length: r.int(3, 15) }, () => `${r.pick(SPAM_SENDERS)}${r.chance(0.6) ? r.digits(3) : ''}@${world.tenant.primaryDomain}`);
    const n = world.rates.spamMessages;
    const sendIps = wide === sendHost ? [sendHost] : [sendHost, world.nets.table.hostV4(sendNet, r)]; // always inside the connector's range
    let last = burstStart;
    for (let i = 0; i < n; i++) {
      const at = burstStart + Math.floor((i / n) * burstLen) + r.int(0, 20_000);
      last = Math.max(last, at);
      const rc = Array.from({ length: r.weighted([[1, 6], [2, 2], [5, 1]]) }, () => ({
        address: `${r.pick(['j', 'm', 'k', 'sam', 'alex', 'chris', 'pat', 'lee'])}${r.pick(['.', '_', ''])}${r.alnum(5).toLowerCase()}@${r.pick(world.tenant.consumerDomains)}`,
        status: r.weighted([['Delivered', 7], ['FilteredAsSpam', 2], ['Failed', 1]]),
      }));
      ctx.add(message(world, r, at, r.pick(senders), rc, r.pick(SPAM_SUBJECTS), r.pick(sendIps), {
        label: L('spam'), size: r.int(9_000, 40_000), messageId: `<${r.uuid()}@${r.pick(['mta', 'mail', 'smtp', 'relay'])}${r.int(1, 40)}.${r.pick(['bulkmailer', 'sender-cloud', 'mx-route'])}.example>`,
      }));
    }

    // --- 6. clean-up
    let tc = clampToPeriod(world, last + r.int(10, 120) * MINUTE, 20 * MINUTE);
    for (const name of rules) {
      ctx.add(cmdlet(world, r, tc, { app: actor }, 'Remove-TransportRule', [['Identity', name], ['Confirm', 'False']], { ...appOpts, label: L('cleanup') }));
      tc += r.int(10, 60) * 1000;
    }
    ctx.add(cmdlet(world, r, tc, { app: actor }, 'Remove-InboundConnector', [['Identity', connector], ['Confirm', 'False']], { ...appOpts, label: L('cleanup') }));
  },
};
