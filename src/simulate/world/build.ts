// The simulated tenant: organisation, domains, offices, people (with their habits), admins, the tenant's own apps,
// Conditional Access, and the seed-varied rates that sit near detection thresholds. Built once from the seed; users
// are plain objects (about 1 KB each, so 50,000 users is ~50 MB) — events are never held for the whole period.
import { DAY, HOUR } from '../clock.js';
import type { DeviceInfo, PolicyResult } from '../model.js';
import { Rng } from '../rng.js';
import { APP_ROLES, type AppRoleDef, DESKTOP_UAS, MOBILE_UAS, type RoleKey, type UaProfile } from './catalog.js';
import { LOCALES, type Locale, upnPart } from './locales.js';
import { buildNetworks, type Network, type Networks } from './networks.js';
import { type Place, placeByCity, PLACES } from './places.js';

export interface Office {
  place: Place;
  net: Network;
  nat: string[]; // shared NAT egress addresses
}

export interface Trip {
  depart: number; // epoch ms, take-off
  arrive: number; // landing at destination
  dest: Place;
  returnDepart: number;
  returnArrive: number;
}

export interface User {
  idx: number;
  id: string;
  upn: string;
  displayName: string;
  given: string;
  surname: string;
  jobTitle: string;
  department: string;
  office: Office;
  home: Network;
  homeIp: string;
  carrier: Network;
  /** probability of working from home on a workday */
  wfh: number;
  vpn: boolean;
  trips: Trip[];
  mfa: boolean;
  methods: string[];
  roles: RoleKey[];
  desktop: DeviceInfo & { ua: string };
  mobile: (DeviceInfo & { ua: string }) | null;
  startHour: number; // local start of the working day
  /** chance an interactive sign-in starts with a mistyped password */
  typo: number;
  /** excluded from the "require MFA" CA policy (service / legacy accounts) */
  caExcluded: boolean;
  created: number;
  kind: 'person' | 'shared' | 'legacy-admin';
}

export interface TenantApp {
  name: string;
  appId: string;
  objectId: string; // application object id
  spId: string;
  owner: string; // user id
  created: number;
  appRoles: AppRoleDef[];
  delegated?: string; // delegated scopes (oauth2PermissionGrant)
  secrets: { keyId: string; name: string; start: number; end: number; removed?: number }[];
  /** where the integration runs (service principal sign-ins) */
  net: Network;
  ip: string;
  /** sign-ins per day */
  rate: number;
  /** owned by a scenario: not part of the benign background schedule */
  scenario?: string;
  signInAudience: 'AzureADMyOrg' | 'AzureADMultipleOrgs';
  publisherTenant?: string;
}

export interface Rates {
  typo: [number, number];
  lockout: number; // chance a typo sequence ends locked out
  mfaPromptDaily: number; // chance the first sign-in of a day asks for MFA again
  nonInteractive: number; // mean token refreshes per workday
  mailPerUser: number; // mean messages sent per user per workday
  sprayPerIpPer20m: number; // spray pace (accounts per IP per 20 minutes), around the classic threshold of 5
  stuffingIps: number;
  spamMessages: number;
  marketingRecipients: number;
}

export interface World {
  seed: number;
  rng: Rng;
  start: number; // first day 00:00 UTC
  end: number; // exclusive
  days: number;
  tenant: {
    id: string;
    name: string;
    displayName: string;
    initialDomain: string; // xxx.onmicrosoft.com
    primaryDomain: string;
    domains: string[];
    locale: Locale;
    partnerDomain: string;
    consumerDomains: string[];
    exchangeSpId: string;
    graphSpId: string;
    server: string; // Exchange OriginatingServer prefix, e.g. "AM0PR07MB"
    region: string; // "EURPR07A010.PROD.OUTLOOK.COM"
    /** Entra ID P2: risk levels are real; without it Entra writes "hidden" */
    p2: boolean;
  };
  offices: Office[];
  users: User[];
  byRole: Partial<Record<RoleKey, User[]>>;
  legacyAdmin: User;
  helpdesk: User[];
  globalAdmins: User[];
  exchangeAdmins: User[];
  appAdmins: User[];
  marketing: User;
  nets: Networks;
  apps: TenantApp[];
  travelCities: string[];
  ca: { mfaAll: PolicyResult; mfaAdmins: PolicyResult; blockLegacy: PolicyResult; exclusionGroupId: string; policies: { id: string; name: string }[] };
  rates: Rates;
  /** directory roles held by service principals (scenarios add theirs), for the snapshot */
  spRoles: { spId: string; role: RoleKey; at: number }[];
  /** extra role assignments to users made during the period (benign storylines) */
  userRoles: { userId: string; role: RoleKey; at: number }[];
  /** Exchange objects that exist at the end of the period (connectors and transport rules), for the snapshot */
  exchange: { kind: 'inboundConnector' | 'transportRule'; name: string; params: [string, string][]; created: number; by: string }[];
  /** delegated permission grants made during the period (consent), for the snapshot */
  grants: { clientSpId: string; resourceSpId: string; scope: string; consentType: 'AllPrincipals' | 'Principal'; principalId?: string; at: number }[];
  dateStyles: { purview: 'us' | 'iso-trailing'; powershell: Locale['psDateStyle'] };
}

const DEPTS = ['Finance', 'Sales', 'Marketing', 'Engineering', 'Operations', 'Human Resources', 'Legal', 'Support', 'IT', 'Procurement'];
const TITLES = ['Analyst', 'Manager', 'Specialist', 'Coordinator', 'Engineer', 'Consultant', 'Director', 'Associate'];

function device(rng: Rng, prof: UaProfile, kind: 'desktop' | 'mobile', name: string): DeviceInfo & { ua: string } {
  const managed = kind === 'desktop' ? rng.chance(0.85) : rng.chance(0.5);
  return {
    deviceId: managed ? rng.uuid() : '',
    displayName: managed ? name : '',
    operatingSystem: prof.os,
    browser: prof.browser,
    isCompliant: managed ? rng.chance(0.95) : false,
    isManaged: managed,
    trustType: managed ? (kind === 'desktop' ? rng.pick(['Microsoft Entra joined', 'Hybrid Microsoft Entra joined']) : 'Microsoft Entra registered') : '',
    ua: prof.ua,
  };
}

function policy(rng: Rng, displayName: string, grant: string[]): PolicyResult {
  return { id: rng.uuid(), displayName, grant, session: [], result: 'notApplied', satisfied: 0, notSatisfied: 0 };
}

export interface WorldOptions {
  seed: number;
  users: number;
  days: number;
  /** exclusive end of the period, epoch ms at 00:00 UTC */
  end: number;
}

export function buildWorld(opts: WorldOptions): World {
  const rng = new Rng(opts.seed);
  const r = rng.derive('world');
  const locale = r.pick(LOCALES);
  const word = r.pick(locale.companyWords);
  const suffix = r.pick(['Logistics', 'Health', 'Foods', 'Engineering', 'Partners', 'Retail', 'Labs', 'Capital', 'Energy', 'Media']);
  const name = `${word} ${suffix}`;
  const slug = upnPart(word) + upnPart(suffix).slice(0, r.int(3, 8));
  const primaryDomain = `${slug}.example`;
  const initialDomain = `${slug}${r.int(10, 99)}.onmicrosoft.com`;
  const officeCount = Math.min(locale.officeCities.length, opts.users < 50 ? 2 : r.int(2, 4));
  const officeCities = r.sample(locale.officeCities, officeCount);
  const far = PLACES.filter((p) => !officeCities.includes(p.city));
  const travelCities = r.sample(far, 7).map((p) => p.city);
  const nets = buildNetworks(r.derive('nets'), officeCities, travelCities);
  const offices: Office[] = nets.offices.map((net) => ({
    place: net.place,
    net,
    nat: [1, 2].map((i) => nets.table.hostV4(net, r.derive('nat', net.id, i))),
  }));

  const start = opts.end - opts.days * DAY;
  const rates: Rates = {
    typo: [r.range(0.015, 0.03), r.range(0.04, 0.07)],
    lockout: r.range(0.05, 0.2),
    mfaPromptDaily: r.range(0.08, 0.2),
    nonInteractive: r.range(2, 4),
    mailPerUser: r.range(0.4, 1.2),
    sprayPerIpPer20m: r.int(2, 6),
    stuffingIps: r.int(2, 4),
    spamMessages: r.int(250, 2500),
    marketingRecipients: r.int(300, 3000),
  };

  const users: User[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < opts.users; i++) {
    const u = rng.derive('user', i);
    const given = u.pick(locale.first);
    const surname = u.pick(locale.last);
    let local = `${upnPart(given)}.${upnPart(surname)}`;
    if (seen.has(local)) local = `${local}${i}`;
    seen.add(local);
    const office = u.chance(0.7) ? offices[0]! : u.pick(offices);
    const homeIsps = nets.isps.get(office.place.city)!;
    const home = u.pick(homeIsps);
    const carrier = u.pick(nets.carriers.get(office.place.country)!);
    const desktopProf = u.pick(DESKTOP_UAS);
    const hasMobile = u.chance(0.75);
    const traveler = u.chance(0.04);
    const user: User = {
      idx: i,
      id: u.uuid(),
      upn: `${local}@${primaryDomain}`,
      displayName: `${given} ${surname}`,
      given,
      surname,
      jobTitle: u.pick(TITLES),
      department: u.pick(DEPTS),
      office,
      home,
      homeIp: nets.table.hostV4(home, u),
      carrier,
      wfh: u.pick([0, 0.1, 0.2, 0.4, 0.6]),
      vpn: u.chance(0.25),
      trips: [],
      mfa: u.chance(0.96),
      methods: [],
      roles: [],
      desktop: device(u, desktopProf, 'desktop', `${upnPart(word).slice(0, 3).toUpperCase()}-LT${u.digits(5)}`),
      mobile: hasMobile ? device(u, u.pick(MOBILE_UAS), 'mobile', '') : null,
      startHour: u.range(7.3, 9.8),
      typo: u.range(rates.typo[0], rates.typo[1]),
      caExcluded: false,
      created: start - u.int(30, 2000) * DAY,
      kind: 'person',
    };
    user.methods = user.mfa ? (user.mobile ? ['password', 'microsoftAuthenticatorPush', 'softwareOneTimePasscode'] : ['password', 'mobilePhone']) : ['password'];
    if (traveler && opts.days >= 3) user.trips = planTrips(u, user, travelCities, start, opts.days);
    users.push(user);
  }

  // Roles: picked among the first people so small tenants still have every role; ids vary by seed.
  const pool = r.sample(users.slice(0, Math.max(10, Math.min(users.length, 200))), Math.min(users.length, 12));
  const take = (n: number) => pool.splice(0, n);
  const globalAdmins = take(2);
  const exchangeAdmins = take(1);
  const helpdesk = take(Math.min(2, Math.max(1, pool.length - 4)));
  const appAdmins = take(1);
  for (const a of globalAdmins) a.roles.push('globalAdmin');
  for (const a of exchangeAdmins) a.roles.push('exchangeAdmin');
  for (const a of helpdesk) a.roles.push('helpdeskAdmin');
  for (const a of appAdmins) a.roles.push('appAdmin');
  for (const a of [...globalAdmins, ...exchangeAdmins, ...helpdesk, ...appAdmins]) {
    a.mfa = true;
    a.methods = ['password', 'microsoftAuthenticatorPush', 'fido2'];
    a.department = 'IT';
  }

  // The legacy admin: a separate cloud-only admin account without MFA, excluded from CA ("for scripts"). The
  // campaign's way in; in the background it signs in single-factor from the office now and then.
  const la = rng.derive('legacy-admin');
  const legacyOwner = globalAdmins[0]!;
  const legacyAdmin: User = {
    ...legacyOwner,
    idx: users.length,
    id: la.uuid(),
    upn: `${la.pick(['admin', 'adm', 'o365admin', 'svc-admin'])}.${upnPart(legacyOwner.surname)}@${initialDomain}`,
    displayName: `Admin ${legacyOwner.displayName}`,
    mfa: false,
    methods: ['password'],
    roles: ['globalAdmin', 'exchangeAdmin'],
    mobile: null,
    caExcluded: true,
    created: start - la.int(400, 1500) * DAY,
    kind: 'legacy-admin',
    trips: [],
  };
  users.push(legacyAdmin);

  const mk = rng.derive('marketing');
  const marketing: User = {
    ...users[0]!,
    idx: users.length,
    id: mk.uuid(),
    upn: `${mk.pick(['news', 'marketing', 'hello', 'updates'])}@${primaryDomain}`,
    displayName: `${name} ${mk.pick(['News', 'Marketing', 'Updates'])}`,
    given: '',
    surname: '',
    roles: [],
    trips: [],
    mobile: null,
    kind: 'shared',
    created: start - 900 * DAY,
  };
  users.push(marketing);

  const byRole: World['byRole'] = {};
  for (const u of users) for (const role of u.roles) (byRole[role] ??= []).push(u);

  const cr = rng.derive('ca');
  const ca = {
    mfaAll: policy(cr, 'Require MFA for all users', ['Mfa']),
    mfaAdmins: policy(cr, 'Require phishing-resistant MFA for administrators', ['Mfa']),
    blockLegacy: policy(cr, 'Block legacy authentication', ['Block']),
    exclusionGroupId: cr.uuid(),
    policies: [] as { id: string; name: string }[],
  };
  ca.policies = [ca.mfaAll, ca.mfaAdmins, ca.blockLegacy].map((p) => ({ id: p.id, name: p.displayName }));

  const tr = rng.derive('tenant');
  const tenant: World['tenant'] = {
    id: tr.uuid(),
    name: slug,
    displayName: name,
    initialDomain,
    primaryDomain,
    domains: [primaryDomain, initialDomain],
    locale,
    partnerDomain: `${tr.pick(['freight', 'supply', 'clinic', 'print', 'legal', 'audit'])}${tr.pick(['works', 'partners', 'group', 'co'])}.example`,
    consumerDomains: ['mail.example.com', 'inbox.example.net', 'post.example.org', 'webmail.test', 'freemail.example'],
    exchangeSpId: tr.uuid(),
    graphSpId: tr.uuid(),
    server: tr.pick(['AM0PR07MB', 'DB9PR02MB', 'CH3PR10MB', 'SN6PR04MB', 'GV0P278MB', 'PA4PR10MB']),
    region: `${tr.pick(['EURPR07', 'NAMPR10', 'APCPR02', 'EURPR03'])}A0${tr.int(10, 99)}.PROD.OUTLOOK.COM`,
    p2: tr.chance(0.65),
  };

  const apps = buildTenantApps(rng.derive('apps'), nets, [...globalAdmins, ...appAdmins], start);

  return {
    seed: opts.seed,
    rng,
    start,
    end: opts.end,
    days: opts.days,
    tenant,
    offices,
    users,
    byRole,
    legacyAdmin,
    helpdesk,
    globalAdmins,
    exchangeAdmins,
    appAdmins,
    marketing,
    nets,
    apps,
    travelCities,
    ca,
    rates,
    spRoles: [],
    userRoles: [],
    exchange: [],
    grants: [],
    dateStyles: { purview: rng.derive('dates').chance(0.6) ? 'us' : 'iso-trailing', powershell: locale.psDateStyle },
  };
}

function planTrips(u: Rng, user: User, travelCities: string[], start: number, days: number): Trip[] {
  const trips: Trip[] = [];
  let day = u.int(0, Math.max(0, Math.floor(days / 2)));
  while (day < days - 2) {
    const dest = placeByCity(u.pick(travelCities));
    const from = user.office.place;
    const fly = Math.max(60, Math.round((haversine(from, dest) / 800) * 60 + 45)) * 60_000;
    // departures in the local morning or evening, on the hour or half hour like real schedules
    const depLocal = u.pick([7, 7.5, 9, 11, 13.5, 18, 21.5]);
    const depart = start + day * DAY + (depLocal - from.tz) * HOUR;
    const stay = u.int(2, 6);
    const retLocal = u.pick([8, 10.5, 14, 17, 20]);
    const returnDepart = start + (day + stay) * DAY + (retLocal - dest.tz) * HOUR;
    trips.push({ depart, arrive: depart + fly, dest, returnDepart, returnArrive: returnDepart + fly });
    day += stay + u.int(5, 20);
  }
  return trips;
}

function haversine(a: Place, b: Place): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

function buildTenantApps(r: Rng, nets: Networks, owners: User[], start: number): TenantApp[] {
  const defs: { name: string; roles: AppRoleDef[]; rate: number }[] = [
    { name: 'HR Directory Sync', roles: [APP_ROLES.graphUserReadAll, APP_ROLES.graphGroupReadAll], rate: 24 },
    { name: 'Backup Service Connector', roles: [APP_ROLES.graphFilesReadAll, APP_ROLES.fullAccessAsApp], rate: 6 },
    { name: 'SIEM Log Collector', roles: [APP_ROLES.graphAuditLogReadAll], rate: 48 },
    { name: 'Invoice Notifier', roles: [APP_ROLES.graphMailSend], rate: 4 },
  ];
  return defs.map((d) => {
    const net = d.name.startsWith('SIEM') ? r.pick(nets.offices) : nets.saas;
    return {
      name: d.name,
      appId: r.uuid(),
      objectId: r.uuid(),
      spId: r.uuid(),
      owner: r.pick(owners).id,
      created: start - r.int(60, 900) * DAY,
      appRoles: d.roles,
      secrets: [{ keyId: r.uuid(), name: 'prod', start: start - r.int(60, 300) * DAY, end: start + r.int(5, 200) * DAY }],
      net,
      ip: nets.table.hostV4(net, r),
      rate: d.rate,
      signInAudience: 'AzureADMyOrg',
    };
  });
}

/** Where a user's laptop and phone are at an instant: their office city, or their trip destination. */
export function whereabouts(user: User, t: number): { place: Place; flying: boolean; abroad: boolean } {
  for (const trip of user.trips) {
    if (t >= trip.depart && t < trip.arrive) return { place: user.office.place, flying: true, abroad: false };
    if (t >= trip.arrive && t < trip.returnDepart) return { place: trip.dest, flying: false, abroad: true };
    if (t >= trip.returnDepart && t < trip.returnArrive) return { place: trip.dest, flying: true, abroad: true };
  }
  return { place: user.office.place, flying: false, abroad: false };
}
