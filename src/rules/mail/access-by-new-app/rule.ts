// TW-MAIL-006: an app that no record of the tenant showed reading mail within the history window reads a mailbox
// (UAL MailItemsAccessed: the calling app is ClientAppId; AppId is the service it read through, e.g. Microsoft Graph).
import { DAY, MINUTE, humanDuration } from '../../../config/tunables.js';
import { iso, type Entity, type Severity } from '../../../detect/alert.js';
import { firstSeen } from '../../../detect/spec.js';
import { appEntity, asnEntity, entities, ipEntity, listSome, plural, userEntity } from '../../lib.js';
import { isMicrosoftApp, microsoftAppName, MICROSOFT_ASNS } from '../../microsoft.js';
import { defineRule } from '../../types.js';
import { asnKindOf, asnOf } from '../../signin/travel-lib.js';
import { itemsRead, mailboxOf, readerAppOf, viaAppOf } from '../mail-access.js';

/** Every app reading mail is learned per tenant: one key, the tenant (the engine keys state by tenant already). */
const TENANT = 'tenant';

export const accessByNewApp = defineRule({
  id: 'TW-MAIL-006',
  title: 'Mailbox read by an app never seen reading mail in the tenant',
  severity: 'medium',
  tactics: ['collection'],
  techniques: ['T1114', 'T1114.002'],
  description:
    'Learns, per tenant, which apps read mail (the calling app of UAL MailItemsAccessed records: ClientAppId, else ' +
    'AppId; a read through Graph names Microsoft Graph in AppId and the app in ClientAppId). After the ' +
    'warm-up, the first mail read by an app not seen reading mail within the history window fires: low for ' +
    "Microsoft's own clients, medium for any other app, high when the app reads with its own token (application " +
    "permission: any mailbox), reads a mailbox other than the signed-in user's, or reads from a hosting network.",
  whyItMatters:
    'Consent phishing and malicious or insider-registered apps read mail through Microsoft Graph or EWS with ' +
    'delegated tokens or tenant-wide application permissions (Mail.Read, full_access_as_app). No sign-in of the ' +
    'victim is needed after the grant, so the first mail read by the new app is often the first visible harm.',
  falsePositives: [
    'A new sanctioned integration (archiving, CRM, e-discovery, a mail client the organisation rolls out): confirm ' +
      'with its owner and add its app id to this rule\'s trustedApps; it is then also learned and stays quiet.',
    'A Microsoft client used for the first time in the tenant (Outlook for Mac, new Outlook, Teams): low.',
    'An app that reads mail less often than the history window (a quarterly export) is new again each time: raise history.',
  ],
  references: [
    'https://learn.microsoft.com/purview/audit-log-investigate-accounts',
    'https://learn.microsoft.com/defender-office-365/detect-and-remediate-illicit-consent-grants',
    'https://attack.mitre.org/techniques/T1114/002/',
  ],
  status: 'experimental',
  inputs: { facts: ['mailbox.access'], sources: ['ual'] },
  tunables: {
    history: { type: 'duration', default: 30 * DAY, min: DAY, max: 400 * DAY, help: 'how long an app stays known after it last read mail' },
    warmup: { type: 'duration', default: 3 * DAY, min: 0, max: 90 * DAY, help: "learning time from the tenant's first mail-access record before new apps alert" },
    trustedApps: { type: 'string[]', default: [], help: 'app ids (GUIDs) expected to read mail: sanctioned integrations; they are learned but never alert' },
  },
  // one tenant-wide key: apps first seen within a minute of each other fold into one alert (a burst)
  suppressMs: MINUTE,
  detect: (t) => {
    const trusted = new Set(t.trustedApps.map((a) => a.toLowerCase()));
    return firstSeen({
      on: { actions: ['mailbox.access'], sources: ['ual'], where: (ev) => ev.outcome !== 'failure' },
      key: () => TENANT,
      value: (ev) => readerAppOf(ev),
      historyMs: t.history,
      warmupMs: t.warmup,
      alertIf: (ev, ctx) => {
        const app = readerAppOf(ev)!;
        return !trusted.has(app) && !ctx.enrich.isCollectorApp(app);
      },
      alert: (m, ctx) => {
        const ev = m.event;
        const app = m.value;
        const firstParty = isMicrosoftApp(app);
        const name = ev.actor.appName ?? microsoftAppName(app);
        const appOnly = ev.actor.kind === 'app';
        const mailbox = mailboxOf(ev);
        const reader = ev.actor.user;
        const othersMailbox = !appOnly && !!reader && !!mailbox && mailbox !== reader;
        const asn = asnOf(ev, ctx);
        const hosting = asnKindOf(ev, ctx) === 'hosting' && !(asn !== undefined && MICROSOFT_ASNS.has(asn));
        const why: string[] = [];
        if (appOnly) why.push('it reads with its own token (an application permission reaches every mailbox)');
        if (othersMailbox) why.push(`${reader} reads another person's mailbox through it`);
        if (hosting) why.push('it reads from a hosting / cloud network');
        const severity: Severity = firstParty ? 'low' : why.length ? 'high' : 'medium';
        const items = itemsRead(ev);
        const viaId = viaAppOf(ev);
        const via = viaId ? (microsoftAppName(viaId) ?? viaId) : undefined;
        const knownApps = m.known.map((a) => microsoftAppName(a) ?? ctx.enrich.appName?.(a) ?? a);
        const explanation =
          `${name ? `"${name}" (${app})` : `App ${app}`}${firstParty ? ", one of Microsoft's own apps," : ', not one of Microsoft\'s own apps,'} ` +
          `read ${mailbox ?? 'a mailbox'}${via ? ` through ${via}` : ''}${appOnly ? ' with its own (application) token' : reader ? ` for ${reader}` : ''}` +
          `${items !== undefined ? ` (${plural(items, 'item')})` : ''} at ${iso(ev.time)}${ev.actor.ip ? ` from ${ev.actor.ip}` : ''}` +
          `${ev.details?.clientInfo ? ` (${String(ev.details.clientInfo)})` : ''}. ` +
          `No mail-access record of the tenant named this app in the last ${humanDuration(m.historyMs)}: ` +
          `${plural(m.knownCount, 'app')} read mail since ${iso(m.keySince)}${knownApps.length ? ` (${listSome(knownApps, 4)})` : ''}.` +
          (why.length ? ` ${firstParty ? 'Note:' : 'Raised because'} ${why.join('; ')}.` : '') +
          (firstParty ? '' : ' Check who consented to it and which permissions it holds (TW-APP-004 / TW-APP-006).');
        return {
          title: `${name ?? app} read mail for the first time${mailbox ? ` (${mailbox})` : ''}`,
          severity,
          entities: entities(
            appEntity(app, { name, role: 'actor' }),
            appOnly ? undefined : userEntity(ev),
            mailbox ? ({ type: 'mailbox', id: mailbox, role: 'target' } satisfies Entity) : undefined,
            ipEntity(ev.actor.ip),
            asnEntity(asn),
          ),
          explanation,
          facts: {
            appId: app,
            ...(name ? { appName: name } : {}),
            microsoftApp: firstParty,
            appOnly,
            ...(mailbox ? { mailbox } : {}),
            knownApps: m.knownCount,
            historyDays: m.historyMs / DAY,
            learningSince: iso(m.keySince),
            hostingNetwork: hosting,
            ...(items !== undefined ? { items } : {}),
            ...(via ? { via } : {}),
          },
        };
      },
    });
  },
  summarize: (ev) => `${readerAppOf(ev) ?? 'no app'} read ${mailboxOf(ev) ?? 'a mailbox'}${ev.actor.user ? ` for ${ev.actor.user}` : ''} from ${ev.actor.ip ?? 'no IP'}`,
});
