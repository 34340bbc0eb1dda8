// Cases for TW-MAIL-005: UAL MailItemsAccessed records (Management Activity API JSON and the Purview CSV export)
// with the account's sign-ins (Graph beta signIn and the diagnostic SignInLogs record). Rule cases load no ASN
// database, so networks here are /24 prefixes; hosting networks and Microsoft's own are covered with a network
// table in db.test.ts.
import { BASE, MINUTES, guid, ndjson } from '../../records.js';
import type { CaseInput, RuleCase } from '../../types.js';
import { diagUserSignIn, graphBetaUserSignIn, type UserSignInOpts } from '../../signin/travel-records.js';
import { mailItemsAccessed, purviewMailCsv, ualJson, type MailReadOpts } from '../access-records.js';

const DAYS = 24 * 60 * MINUTES;
const HOURS = 60 * MINUTES;
const ALICE = 'alice@contoso.com';
const HOME = '198.51.100.20';
const PROXY = '203.0.113.50';

/** Alice's laptop (registered, compliant) signs in; `device: false` is an unmanaged browser. */
function signIn(at: number, ip: string, device = true, shape: 'beta' | 'diag' = 'beta'): Record<string, unknown> {
  const o: UserSignInOpts = { at, user: ALICE, ip, asn: undefined };
  const r = shape === 'beta' ? graphBetaUserSignIn(o) : diagUserSignIn(o);
  const p = (shape === 'beta' ? r : r.properties) as Record<string, unknown>;
  p.deviceDetail = device
    ? { deviceId: guid(`device|${ALICE}`), displayName: 'CONTOSO-LT-0042', operatingSystem: 'Windows10', browser: 'Edge 124.0.0', isCompliant: true, isManaged: true, trustType: 'Microsoft Entra joined' }
    : { deviceId: '', displayName: '', operatingSystem: 'Windows10', browser: 'Chrome 124.0.0', isCompliant: false, isManaged: false, trustType: '' };
  delete p.autonomousSystemNumber;
  return r;
}

const read = (at: number, ip: string, o: Partial<MailReadOpts> = {}): Record<string, unknown> => mailItemsAccessed({ at, mailbox: ALICE, ip, ...o });

/** `days` days of Alice signing in on her laptop at home and Outlook reading her mail from there. */
function routine(days: number, from = BASE, shape: 'beta' | 'diag' = 'beta'): { signIns: Record<string, unknown>[]; reads: Record<string, unknown>[] } {
  const signIns = Array.from({ length: days }, (_, d) => signIn(from + d * DAYS, HOME, true, shape));
  const reads = Array.from({ length: days }, (_, d) => read(from + d * DAYS + 10 * MINUTES, HOME));
  return { signIns, reads };
}

/** Sign-ins as one NDJSON file, mail reads as UAL JSON or a Purview CSV export. */
function files(name: string, signIns: Record<string, unknown>[], reads: Record<string, unknown>[], ual: 'json' | 'csv' = 'json'): CaseInput[] {
  return [ndjson(`${name}-signins.json`, signIns), ual === 'json' ? ualJson(`${name}-ual.json`, reads) : purviewMailCsv(`${name}-ual.csv`, reads)];
}

/** A read from PROXY during the warm-up, home routine for 40 days, PROXY again `gap` after the first read. */
function revisit(gap: number): CaseInput[] {
  const r = routine(40);
  return files('revisit', r.signIns, [...r.reads, read(BASE + HOURS, PROXY), read(BASE + HOURS + gap, PROXY)]);
}

const at = BASE + 4 * DAYS + 2 * HOURS;

export const cases: RuleCase[] = [
  {
    name: 'after four days at home, Alice\'s mail is read from an address and network she never used (UAL JSON)',
    kind: 'positive',
    why: 'new address in a network new for the account, after the 3-day warm-up; without a geolocation database the country is unknown: low (db.test.ts: medium with one)',
    input: (() => {
      const r = routine(5);
      return files('new-ip', r.signIns, [...r.reads, read(at, PROXY, { clientInfo: 'Client=OWA;Action=ViaProxy' })]);
    })(),
    expect: { alerts: 1, severity: 'low', key: ALICE, facts: { newAddress: PROXY, network: '203.0.113.0/24', signedInFromItWithoutDevice: false, vouchedAddresses: 1 } },
  },
  {
    name: 'an adversary-in-the-middle sign-in from the address, then mail read from it (Purview CSV)',
    kind: 'positive',
    why: 'a sign-in without a registered device never vouches for an address: it still fires, low (TW-SIGNIN-012 judges the sign-in)',
    input: (() => {
      const r = routine(5, BASE, 'diag');
      return files('aitm', [...r.signIns, signIn(at - 20 * MINUTES, PROXY, false, 'diag')], [...r.reads, read(at, PROXY, { clientInfo: 'Client=OWA;Action=ViaProxy' })], 'csv');
    })(),
    expect: { alerts: 1, severity: 'low', facts: { newAddress: PROXY, signedInFromItWithoutDevice: true } },
  },
  {
    name: 'reads from a new IPv6 /64, twice from two addresses inside it',
    kind: 'positive',
    why: 'IPv6 is judged by /64: one alert for the prefix, the second address is the same place',
    input: (() => {
      const r = routine(5);
      return files('v6', r.signIns, [...r.reads, read(at, '2001:db8:77:1::5'), read(at + HOURS, '2001:db8:77:1:a::9')]);
    })(),
    expect: { alerts: 1, severity: 'low', facts: { newAddress: '2001:db8:77:1::/64', network: '2001:db8:77::/48' } },
  },
  {
    name: 'an address last used 30 days and a minute ago is new again',
    kind: 'positive',
    why: 'the 30-day history forgets addresses not used within it',
    input: revisit(30 * DAYS + MINUTES),
    expect: { alerts: 1, facts: { newAddress: PROXY } },
  },
  {
    name: 'an address last used 30 days minus a minute ago is still known',
    kind: 'negative',
    why: 'just inside the history window',
    input: revisit(30 * DAYS - MINUTES),
    expect: { alerts: 0 },
  },
  {
    name: 'mail read from a new address one minute before the 3-day warm-up ends',
    kind: 'negative',
    why: 'the account is learned from its first sign-in or read; no alert before the warm-up',
    input: (() => {
      const r = routine(3);
      return files('warmup', r.signIns, [...r.reads, read(BASE + 3 * DAYS - MINUTES, PROXY)]);
    })(),
    expect: { alerts: 0 },
  },
  {
    name: 'a new address in her home network (the ISP handed out another one)',
    kind: 'negative',
    why: 'a new address in a network the account already reads mail from or signs in from with its device does not fire',
    input: (() => {
      const r = routine(5);
      return files('same-net', r.signIns, [...r.reads, read(at, '198.51.100.21')]);
    })(),
    expect: { alerts: 0 },
  },
  {
    name: 'at a hotel: the registered laptop signs in there, then Outlook reads mail from there',
    kind: 'lookalike',
    why: 'a sign-in from a registered device vouches for the address',
    input: (() => {
      const r = routine(5);
      return files('hotel', [...r.signIns, signIn(at - 5 * MINUTES, '192.0.2.60')], [...r.reads, read(at, '192.0.2.60')]);
    })(),
    expect: { alerts: 0 },
  },
  {
    name: 'an app reading her mailbox with its own token from a new address',
    kind: 'lookalike',
    why: 'people only: apps reading with application permissions are TW-MAIL-006',
    input: (() => {
      const r = routine(5);
      const app = guid('app|archiver');
      return files('app-only', r.signIns, [...r.reads, read(at, PROXY, { by: { app }, appId: app, clientInfo: 'Client=REST;Client=RESTSystem;;' })]);
    })(),
    expect: { alerts: 0 },
  },
  {
    name: 'the new address is a partner office listed in allowlists.trustedIps',
    kind: 'lookalike',
    why: 'trusted networks say nothing about who reads',
    input: (() => {
      const r = routine(5);
      return files('trusted', r.signIns, [...r.reads, read(at, PROXY)], 'csv');
    })(),
    config: 'allowlists:\n  trustedIps: [203.0.113.0/24]\n',
    expect: { alerts: 0 },
  },
];
