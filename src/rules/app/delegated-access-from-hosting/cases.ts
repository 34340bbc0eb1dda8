// Cases for TW-APP-009, as raw non-interactive user sign-ins in two export shapes: the Graph beta signIn
// (signInEventTypes nonInteractiveUser) and the Azure Monitor NonInteractiveUserSignInLogs record. Rule cases load
// no ASN database: the records carry autonomousSystemNumber and the built-in lists say which ASNs are hosting.
import { BASE, MINUTES, guid, ndjson } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { PLACES, diagUserSignIn, graphBetaUserSignIn, type Place } from '../../signin/travel-records.js';

const DAYS = 24 * 60 * MINUTES;
const HOURS = 60 * MINUTES;
const ALICE = 'alice@contoso.com';
const OUTLOOK = { id: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', name: 'Microsoft Office' };
const TEAMS = { id: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', name: 'Microsoft Teams' };
const CRM = { id: guid('app|contoso-crm-sync'), name: 'Contoso CRM Mail Sync' }; // sanctioned SaaS, runs in AWS
const VIEWER = { id: guid('app|offíce-secure-viewer'), name: 'Offíce 365 Secure Viewer' }; // consent-phishing look-alike

interface Refresh {
  at: number;
  app: { id: string; name: string };
  ip: string;
  asn: number;
  place?: Place;
  ua?: string;
  user?: string;
  code?: number;
  interactive?: boolean;
}

/** A refresh-token redemption: non-interactive, "Previously satisfied", as the beta API returns it. */
function beta(o: Refresh): Record<string, unknown> {
  const r = graphBetaUserSignIn({ at: o.at, user: o.user ?? ALICE, ip: o.ip, asn: o.asn, app: o.app, place: o.place ?? PLACES.london, interactive: o.interactive ?? false, code: o.code });
  return Object.assign(r, {
    userAgent: o.ua ?? 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
    clientAppUsed: 'Mobile Apps and Desktop clients',
    incomingTokenType: 'refreshToken',
    resourceDisplayName: 'Microsoft Graph',
    resourceId: '00000003-0000-0000-c000-000000000000',
    authenticationDetails: [{ authenticationStepDateTime: new Date(o.at).toISOString(), authenticationMethod: 'Previously satisfied', succeeded: true, authenticationStepResultDetail: 'MFA requirement satisfied by claim in the token', authenticationStepRequirement: 'Multi-factor authentication' }],
  });
}

/** The same in the diagnostic-settings envelope (NonInteractiveUserSignInLogs). */
function diag(o: Refresh): Record<string, unknown> {
  const r = diagUserSignIn({ at: o.at, user: o.user ?? ALICE, ip: o.ip, asn: o.asn, app: o.app, place: o.place ?? PLACES.london, interactive: o.interactive ?? false, code: o.code });
  const b = beta(o);
  delete b.signInEventTypes;
  b.userType = 'Member';
  r.properties = b;
  return r;
}

/** Outlook and Teams refresh from Alice's ISP, the CRM from AWS (AS16509), every few hours for `days` days. */
function routine(days: number, from = BASE): Refresh[] {
  const out: Refresh[] = [];
  for (let h = 0; h < days * 24; h += 4) {
    const at = from + h * HOURS;
    out.push({ at, app: h % 8 ? OUTLOOK : TEAMS, ip: '198.51.100.20', asn: 64500 });
    if (h % 12 === 0) out.push({ at: at + 5 * MINUTES, app: CRM, ip: '203.0.113.140', asn: 16509, place: PLACES.frankfurt });
  }
  return out;
}

const DO = { ip: '203.0.113.77', asn: 14061, place: PLACES.amsterdam }; // DigitalOcean (built-in hosting list)
const at = BASE + 3 * DAYS + 2 * HOURS;
const viewer = (t: number, o: Partial<Refresh> = {}): Refresh => ({ at: t, app: VIEWER, ...DO, ua: 'python-requests/2.31.0', ...o });

/** The viewer refreshed from DigitalOcean during the warm-up, routine for 40 days, then again `gap` later. */
const revisit = (gap: number): Refresh[] => [...routine(40), viewer(BASE + HOURS), viewer(BASE + HOURS + gap)];

export const cases: RuleCase[] = [
  {
    name: 'a consented look-alike app redeems Alice\'s refresh token from DigitalOcean with python-requests (Graph beta)',
    kind: 'positive',
    why: 'third-party app, hosting network never seen for it, after the 2-day warm-up; an HTTP library client: high',
    input: ndjson('viewer.json', [...routine(3), viewer(at)].map(beta)),
    expect: { alerts: 1, severity: 'high', key: 'tenant', facts: { appId: VIEWER.id, asn: 14061, user: ALICE, scriptedClient: true, knownPairs: 1 } },
  },
  {
    name: 'the same with a browser user agent (diagnostic NonInteractiveUserSignInLogs)',
    kind: 'positive',
    why: 'without the scripted client it stays medium',
    input: ndjson('viewer-diag.json', [...routine(3), viewer(at, { ua: 'Mozilla/5.0' })].map(diag)),
    expect: { alerts: 1, severity: 'medium', facts: { appId: VIEWER.id, scriptedClient: false, resource: 'Microsoft Graph' } },
  },
  {
    name: 'the sanctioned CRM refreshes from a new cloud (OVH) as well',
    kind: 'positive',
    why: 'every new (app, hosting network) pair fires once: a known app in a new cloud is worth a look, medium',
    input: ndjson('crm-ovh.json', [...routine(3), { at, app: CRM, ip: '203.0.113.95', asn: 16276 }].map(beta)),
    expect: { alerts: 1, severity: 'medium', facts: { appId: CRM.id, asn: 16276 } },
  },
  {
    name: 'an app/network pair last used 30 days and a minute ago is new again',
    kind: 'positive',
    why: 'the 30-day history forgets pairs not used within it',
    input: ndjson('forgotten.json', revisit(30 * DAYS + MINUTES).map(beta)),
    expect: { alerts: 1, facts: { appId: VIEWER.id } },
  },
  {
    name: 'an app/network pair last used 30 days minus a minute ago is still known',
    kind: 'negative',
    why: 'just inside the history window',
    input: ndjson('remembered.json', revisit(30 * DAYS - MINUTES).map(beta)),
    expect: { alerts: 0 },
  },
  {
    name: 'the look-alike app refreshes from DigitalOcean one minute before the 2-day warm-up ends',
    kind: 'negative',
    why: "the tenant's apps and clouds are learned from its first non-interactive sign-in",
    input: ndjson('warmup.json', [...routine(2), viewer(BASE + 2 * DAYS - MINUTES)].map(diag)),
    expect: { alerts: 0 },
  },
  {
    name: 'Outlook Mobile refreshes from a cloud network',
    kind: 'lookalike',
    why: "Microsoft's own apps are not third-party apps (their services run in clouds)",
    input: ndjson('outlook-mobile.json', [...routine(3), { at, app: { id: '27922004-5251-4030-b22d-91ecd9a37ea4', name: 'Outlook Mobile' }, ...DO }].map(beta)),
    expect: { alerts: 0 },
  },
  {
    name: 'the look-alike app refreshes from a residential ISP',
    kind: 'lookalike',
    why: 'not a hosting network (TW-MAIL-006 / TW-SIGNIN-011 look at other angles)',
    input: ndjson('residential.json', [...routine(3), viewer(at, { ip: '192.0.2.44', asn: 64502 })].map(beta)),
    expect: { alerts: 0 },
  },
  {
    name: 'the look-alike app from Microsoft Azure (AS8075)',
    kind: 'lookalike',
    why: "Microsoft's own networks are left out: its services redeem tokens for apps too",
    input: ndjson('azure.json', [...routine(3), viewer(at, { ip: '203.0.113.180', asn: 8075 })].map(beta)),
    expect: { alerts: 0 },
  },
  {
    name: 'a failed refresh from DigitalOcean (revoked token)',
    kind: 'lookalike',
    why: 'only successful token redemptions are learned or alerted',
    input: ndjson('failed.json', [...routine(3), viewer(at, { code: 70043 })].map(beta)),
    expect: { alerts: 0 },
  },
  {
    name: 'an interactive sign-in to the app from DigitalOcean',
    kind: 'lookalike',
    why: 'the rule reads delegated token use (non-interactive sign-ins) only',
    input: ndjson('interactive.json', [...routine(3), viewer(at, { interactive: true })].map(beta)),
    expect: { alerts: 0 },
  },
  {
    name: 'the look-alike app is listed in trustedApps',
    kind: 'lookalike',
    why: 'sanctioned apps are learned but never alert',
    input: ndjson('trusted.json', [...routine(3), viewer(at)].map(beta)),
    tunables: { trustedApps: [VIEWER.id] },
    expect: { alerts: 0 },
  },
];
