// Cases for TW-MAIL-006: UAL MailItemsAccessed records as the Management Activity API returns them (NDJSON) and as
// the Purview portal exports them (CSV, AuditData column). Outlook desktop reads the tenant's mail every day; a new
// app then reads a mailbox. As in real records, a read through Graph carries AppId = Microsoft Graph and
// ClientAppId = the app (access-records.ts): the app, not Graph, must be what is learned and named.
import { BASE, MINUTES, guid } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { mailItemsAccessed, purviewMailCsv, ualJson, type MailReadOpts } from '../access-records.js';

const DAYS = 24 * 60 * MINUTES;
const HOURS = 60 * MINUTES;
const STAFF = ['alice@contoso.com', 'bob@contoso.com', 'carol@contoso.com'];
const LOOKALIKE = guid('app|offíce-secure-viewer'); // a multi-tenant look-alike app a user consented to
const ARCHIVER = guid('app|mailbox-archiver'); // an app with Mail.Read application permission
const OWA = '9199bf20-a13f-4107-85dc-02114787ef48';
const CRM = guid('app|contoso-crm-mail-sync'); // a sanctioned integration reading mail through Graph every day

/** Outlook desktop reads each mailbox from the office every day for `days` days from `from`. */
function routine(days: number, from = BASE): Record<string, unknown>[] {
  return Array.from({ length: days * STAFF.length }, (_, i) => {
    const who = STAFF[i % STAFF.length]!;
    return mailItemsAccessed({ at: from + Math.floor(i / STAFF.length) * DAYS + (i % STAFF.length) * 7 * MINUTES, mailbox: who, ip: '198.51.100.20' });
  });
}

const read = (at: number, o: Partial<MailReadOpts> & { appId: string }): Record<string, unknown> =>
  mailItemsAccessed({ at, mailbox: 'alice@contoso.com', ip: '203.0.113.50', clientInfo: 'Client=REST;Client=RESTSystem;;', ...o });

/** The CRM integration reads Bob's mailbox through Graph every day for `days` days. */
const crmDaily = (days: number): Record<string, unknown>[] =>
  Array.from({ length: days }, (_, d) => read(BASE + d * DAYS + 2 * HOURS, { appId: CRM, mailbox: 'bob@contoso.com', ip: '198.51.100.60' }));

/** The look-alike app read during the warm-up, Outlook for 40 days, the app again `gap` after its first read. */
const revisit = (gap: number): Record<string, unknown>[] => [...routine(40), read(BASE + HOURS, { appId: LOOKALIKE }), read(BASE + HOURS + gap, { appId: LOOKALIKE })];

const at = BASE + 3 * DAYS + 4 * HOURS;

export const cases: RuleCase[] = [
  {
    name: 'a consented look-alike app reads Alice\'s mail through Graph with her delegated token (UAL JSON)',
    kind: 'positive',
    why: 'an app never seen reading mail, not one of Microsoft\'s, after the 3-day warm-up: medium; AppId is Microsoft Graph, the app is ClientAppId',
    input: ualJson('lookalike.json', [...routine(4), read(at, { appId: LOOKALIKE })]),
    expect: { alerts: 1, severity: 'medium', key: 'tenant', facts: { appId: LOOKALIKE, microsoftApp: false, appOnly: false, mailbox: 'alice@contoso.com', knownApps: 1, via: 'Microsoft Graph' } },
  },
  {
    name: 'a sanctioned app reads mail through Graph every day; the look-alike reading through Graph is still new (Purview CSV)',
    kind: 'positive',
    why: 'every Graph read has AppId = Microsoft Graph: learning AppId would make the look-alike "known"; the caller (ClientAppId) is what counts',
    input: purviewMailCsv('graph-known.csv', [...routine(4), ...crmDaily(4), read(at, { appId: LOOKALIKE })]),
    expect: { alerts: 1, severity: 'medium', facts: { appId: LOOKALIKE, microsoftApp: false, knownApps: 2, via: 'Microsoft Graph' } },
  },
  {
    name: 'an app reads three executives\' mailboxes with its own token (Purview CSV)',
    kind: 'positive',
    why: 'reading with an application permission reaches every mailbox: high; its next reads are known (one alert)',
    input: purviewMailCsv('app-only.csv', [
      ...routine(4),
      ...['ceo@contoso.com', 'cfo@contoso.com', 'legal@contoso.com'].map((mailbox, i) => mailItemsAccessed({ at: at + i * MINUTES * 0.5, mailbox, by: { app: ARCHIVER }, ip: '192.0.2.33', appId: ARCHIVER, clientInfo: 'Client=REST;Client=RESTSystem;;', items: 40 })),
    ]),
    expect: { alerts: 1, severity: 'high', facts: { appId: ARCHIVER, appOnly: true, mailbox: 'ceo@contoso.com' } },
  },
  {
    name: 'Bob reads Alice\'s mailbox through a new third-party app',
    kind: 'positive',
    why: "a delegated read of another person's mailbox through a new app: high",
    input: ualJson('other-mailbox.json', [...routine(4), read(at, { appId: LOOKALIKE, by: { user: 'bob@contoso.com' } })]),
    expect: { alerts: 1, severity: 'high', facts: { appId: LOOKALIKE, mailbox: 'alice@contoso.com' } },
  },
  {
    name: 'Outlook on the web reads mail for the first time in the tenant',
    kind: 'positive',
    why: "one of Microsoft's own clients: low (a new client, or an attacker's browser session)",
    input: ualJson('owa.json', [...routine(4), read(at, { appId: OWA, clientInfo: 'Client=OWA;Action=ViaProxy' })]),
    expect: { alerts: 1, severity: 'low', facts: { appId: OWA, microsoftApp: true, appName: 'One Outlook Web' } },
  },
  {
    name: 'an app last seen reading mail 30 days and a minute ago is new again',
    kind: 'positive',
    why: 'the 30-day history forgets apps that stopped reading',
    input: ualJson('forgotten.json', revisit(30 * DAYS + MINUTES)),
    expect: { alerts: 1, facts: { appId: LOOKALIKE } },
  },
  {
    name: 'an app last seen reading mail 30 days minus a minute ago is still known',
    kind: 'negative',
    why: 'just inside the history window',
    input: ualJson('remembered.json', revisit(30 * DAYS - MINUTES)),
    expect: { alerts: 0 },
  },
  {
    name: 'a new app reads mail one minute before the tenant\'s 3-day warm-up ends',
    kind: 'negative',
    why: "the tenant's mail readers are learned from its first mail-access record",
    input: purviewMailCsv('warmup.csv', [...routine(3), read(BASE + 3 * DAYS - MINUTES, { appId: LOOKALIKE })]),
    expect: { alerts: 0 },
  },
  {
    name: 'a sanctioned archiving app listed in trustedApps',
    kind: 'lookalike',
    why: 'apps the organisation expects are learned but never alert',
    input: ualJson('trusted.json', [...routine(4), read(at, { appId: ARCHIVER, by: { app: ARCHIVER } })]),
    tunables: { trustedApps: [ARCHIVER.toUpperCase()] },
    expect: { alerts: 0 },
  },
  {
    name: "tenantwatch's own collector app",
    kind: 'lookalike',
    why: 'allowlists.collectorAppId reads are expected',
    input: ualJson('collector.json', [...routine(4), read(at, { appId: ARCHIVER, by: { app: ARCHIVER } })]),
    config: `allowlists:\n  collectorAppId: ${ARCHIVER}\n`,
    expect: { alerts: 0 },
  },
  {
    name: 'Outlook desktop reads a new mailbox (a new hire)',
    kind: 'lookalike',
    why: 'a known app reading another mailbox is not a new app',
    input: ualJson('new-hire.json', [...routine(4), mailItemsAccessed({ at, mailbox: 'new.hire@contoso.com', ip: '198.51.100.20' })]),
    expect: { alerts: 0 },
  },
  {
    name: 'the sanctioned app reads another mailbox through Graph',
    kind: 'lookalike',
    why: 'an app learned from its Graph reads (ClientAppId) is known on its next mailbox',
    input: ualJson('crm-known.json', [...routine(4), ...crmDaily(4), read(at, { appId: CRM, mailbox: 'carol@contoso.com', ip: '198.51.100.60' })]),
    expect: { alerts: 0 },
  },
];
