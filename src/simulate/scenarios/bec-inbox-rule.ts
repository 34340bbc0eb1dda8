// Business email compromise after an adversary-in-the-middle sign-in: the attacker hides replies with inbox rules
// (move to RSS Feeds / Conversation History / Archive in the tenant's language, mark as read, sometimes delete),
// sets external forwarding, reads mail and sends a payment-change request to a partner.
import { MINUTE } from '../clock.js';
import { cmdlet, mailboxObjectPath, mailItemsAccessed, message, updateInboxRules } from '../gen/exchange.js';
import { signIn } from '../gen/signin.js';
import type { Label } from '../model.js';
import { APPS, RESOURCES } from '../world/catalog.js';
import { hostingNet, proxyNets, ref, type Scenario, type ScenarioCtx, timeIn, victims } from './types.js';

const RULE_NAMES = ['.', '..', ' ', 'a', ',', 'RSS', 'Clean up', '...'];
const WORDS = ['invoice', 'payment', 'wire', 'bank', 'remittance', 'transfer', 'IBAN', 'overdue'];

export const becInboxRule: Scenario = {
  name: 'bec-inbox-rule',
  title: 'BEC: reply-hiding inbox rules and external forwarding after an AiTM sign-in',
  plan(ctx: ScenarioCtx) {
    const { world, r } = ctx;
    const id = `INC-bec-inbox-rule-${world.seed}`;
    const L = (step: string): Label => ({ incident: id, step });
    const [victim] = victims(ctx, 1, (u) => u.department === 'Finance' || u.department === 'Procurement' || u.department === 'Sales');
    const v = victim ?? victims(ctx, 1)[0];
    if (!v) return;
    const net = r.chance(0.6) ? hostingNet(ctx, v.office.place.country) : proxyNets(ctx, 1, v.office.place.continent)[0]!;
    const ip = world.nets.table.hostV4(net, r);
    const folders = world.tenant.locale.folders;
    const folder = r.pick([folders.rss, folders.history, folders.archive]);
    const dropbox = `${r.pick(['accounts', 'finance.dept', 'payments', 'invoices'])}${r.digits(2)}@${r.pick(world.tenant.consumerDomains)}`;
    const t0 = timeIn(ctx, 0.2, 0.85, 7, 18, v.office.place.tz);

    ctx.incident({
      id,
      scenario: 'bec-inbox-rule',
      title: this.title,
      summary: `Sign-in to ${v.upn} from ${ip} (${net.place.country}); rule moves mail about payments to "${folder}" and marks it read; mail forwarded to ${dropbox}.`,
      actors: { users: [v.upn], ips: [ip], apps: [] },
      steps: [
        { step: 'compromised-signin', description: 'AiTM sign-in: MFA completed through the phishing proxy from a foreign network', expectRules: ['signin.unfamiliar-location'] },
        { step: 'hide-rule', description: `inbox rule(s) moving replies to "${folder}", marking read or deleting`, expectRules: ['mailbox.inbox-rule-hiding'] },
        { step: 'forwarding', description: 'external forwarding (mailbox forwarding or a forward rule)', expectRules: ['mailbox.external-forwarding'] },
        { step: 'mail-access', description: 'MailItemsAccessed from the attacker address', expectRules: ['mailbox.access-from-new-ip'] },
        { step: 'bec-mail', description: 'payment-change request sent from the mailbox to a partner', expectRules: [] },
      ],
    });

    const session = r.uuid();
    const victimRef = ref(v);
    ctx.add(signIn(world, r, {
      type: 'interactive', at: t0, user: v, app: APPS.owa, resource: RESOURCES.exchange, net, ip, ua: v.desktop.ua, clientAppUsed: 'Browser', auth: 'prompt', sessionId: session,
      label: L('compromised-signin'), risk: r.chance(0.5) ? { during: 'medium', aggregated: 'medium', state: 'atRisk', detail: 'none', types: ['unfamiliarFeatures'] } : undefined,
    }));
    let t = t0 + r.int(3, 40) * MINUTE;
    const ruleName = r.pick(RULE_NAMES);
    const words = r.sample(WORDS, r.int(2, 5)).join(';');
    const params: [string, string][] = [
      ['Name', ruleName],
      ['SubjectOrBodyContainsWords', words],
    ];
    if (r.chance(0.5)) params.push(['FromAddressContainsWords', `@${world.tenant.partnerDomain}`]);
    if (r.chance(0.25)) params.push(['DeleteMessage', 'True']);
    else params.push(['MoveToFolder', folder]);
    params.push(['MarkAsRead', 'True'], ['StopProcessingRules', 'True']);
    ctx.add(cmdlet(world, r, t, { user: victimRef }, 'New-InboxRule', params, { ip, userType: 0, sessionId: session, objectId: mailboxObjectPath(world, victimRef, ruleName), label: L('hide-rule') }));
    if (r.chance(0.35)) {
      t += r.int(1, 10) * MINUTE;
      ctx.add(updateInboxRules(world, r, t, victimRef, ip, ' ', [{ ActionType: 'MoveToFolder', Folder: folder }, { ActionType: 'MarkAsRead' }], `{(Subject Contains '${r.pick(WORDS)}')}`, { sessionId: session, label: L('hide-rule') }));
    }

    t += r.int(1, 30) * MINUTE;
    if (r.chance(0.5)) {
      ctx.add(cmdlet(world, r, t, { user: victimRef }, 'Set-Mailbox', [['Identity', v.upn], ['ForwardingSmtpAddress', `smtp:${dropbox}`], ['DeliverToMailboxAndForward', 'True']], {
        ip, userType: 0, sessionId: session, objectId: v.upn, label: L('forwarding'),
      }));
    } else {
      const name = r.pick(RULE_NAMES.filter((n) => n !== ruleName));
      ctx.add(cmdlet(world, r, t, { user: victimRef }, 'New-InboxRule', [['Name', name], [r.pick(['ForwardTo', 'RedirectTo', 'ForwardAsAttachmentTo']), dropbox], ['StopProcessingRules', 'False']], {
        ip, userType: 0, sessionId: session, objectId: mailboxObjectPath(world, victimRef, name), label: L('forwarding'),
      }));
    }
    for (let i = r.int(2, 6); i > 0; i--) {
      t += r.int(2, 40) * MINUTE;
      ctx.add(mailItemsAccessed(world, r, t, victimRef, ip, 'Client=OWA;Action=ViaProxy', [{ path: `\\${folders.inbox}`, items: r.int(5, 50) }], { appId: APPS.owa.id, clientAppId: APPS.owa.id, sessionId: session, label: L('mail-access') }));
    }
    t += r.int(10, 240) * MINUTE;
    ctx.add(message(world, r, t, v.upn, [{ address: `ap@${world.tenant.partnerDomain}` }], r.pick(['Updated bank details for upcoming payment', 'RE: Invoice - new remittance account', 'Urgent: change of payment details']), ip, { label: L('bec-mail') }));
  },
};
