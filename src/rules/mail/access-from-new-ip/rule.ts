// TW-MAIL-005: an account reads mail (UAL MailItemsAccessed) from an address it never used within the history
// window, neither to read mail nor to sign in from a registered device.
import type { Event } from '../../../core/event.js';
import { v4Prefix24 } from '../../../core/ip.js';
import { DAY, HOUR, humanDuration } from '../../../config/tunables.js';
import { iso, type Entity, type Severity } from '../../../detect/alert.js';
import { firstSeen, type RuleContext } from '../../../detect/spec.js';
import { asnEntity, entities, ipEntity, ipKey, listSome, plural, userEntity, userOf } from '../../lib.js';
import { defineRule } from '../../types.js';
import { haversineKm, isPublicIp } from '../../../enrich/geo.js';
import { asnKindOf, asnOf, sessionIdOf } from '../../signin/travel-lib.js';
import { registeredDevice } from '../../signin/registered-device.js';
import { MICROSOFT_ASNS } from '../../microsoft.js';
import { itemsRead, mailboxOf } from '../mail-access.js';

/** A record that says nothing about where the account is (VPN, trusted network, Microsoft's services): starts learning only. */
const NOWHERE = '~';
/** Prefix of an address the account signed in from without a registered device (attacker-reachable: never vouches). */
const WEAK = '?';
/** Prefix of a session the account began with an interactive sign-in on a registered device. */
const SESSION = 's|';

/**
 * A registered device's interactive sign-in vouches for its session where the person can have taken it since:
 * "s|<session>|<address>|<time>", judged when a read carries the session (sessionMove).
 */
function vouchedSession(ev: Event): string | undefined {
  if (ev.action !== 'signin' || ev.auth?.interactive === false || !registeredDevice(ev) || !ev.actor.ip) return undefined;
  const id = sessionIdOf(ev);
  return id ? `${SESSION}${id}|${ev.actor.ip}|${ev.time}` : undefined;
}

/**
 * Whether a read that carries a session the account began on its registered device is that person having moved:
 * the move from the sign-in's address to the read's is possible at 900 km/h (both placed by the geolocation
 * database, or no database: nothing says otherwise). Undefined when the session was not vouched.
 */
function sessionMove(found: string | undefined, ev: Event, ctx: RuleContext): { from: string; possible: boolean; km?: number } | undefined {
  if (!found) return undefined;
  const [ip, t] = found.slice(SESSION.length).split('|').slice(1);
  if (!ip || !t) return undefined;
  const a = ctx.enrich.geo?.(ip), b = ev.actor.ip ? ctx.enrich.geo?.(ev.actor.ip) : undefined;
  if (!a || !b || a.lat === undefined || a.lon === undefined || b.lat === undefined || b.lon === undefined) return { from: ip, possible: true };
  const km = haversineKm(a.lat, a.lon, b.lat, b.lon);
  const hours = Math.max(ev.time - Number(t), 60_000) / HOUR;
  return { from: ip, possible: km < 500 || km / hours <= 900, km: Math.round(km) };
}

/** An address as learned: IPv4, or an IPv6 /64 written out in full groups ("2001:db8:1:2::/64"). */
interface Known {
  weak: boolean;
  ip: string;
  /** the ASN database's ASN ("AS64500"), else the /24 (IPv4) or /48 (IPv6) */
  net: string;
  /** the geolocation database's country, when one is loaded */
  country?: string;
}

/**
 * Network and country of a learned address, from the databases only, so an address means the same from a sign-in
 * record (which carries an ASN and a place) and a UAL record (which carries neither). Looked up when an alert is
 * drafted (at most 21 addresses), never per event.
 */
function describe(v: string, ctx: RuleContext): Known {
  const weak = v.startsWith(WEAK);
  const ip = weak ? v.slice(1) : v;
  const v6 = ip.includes(':');
  const addr = v6 ? ip.slice(0, -3) : ip; // the /64 prefix's first address
  const asn = ctx.enrich.asn?.(addr);
  const net = asn !== undefined ? `AS${asn}` : v6 ? `${ip.split(':').slice(0, 3).join(':')}::/48` : v4Prefix24(ip);
  const country = ctx.enrich.geo?.(addr)?.country;
  return country ? { weak, ip, net, country } : { weak, ip, net };
}

/**
 * The address (IPv6 by /64). Mail access and sign-ins from a registered device or a trusted named location vouch
 * for it; other successful sign-ins are kept as WEAK ("?…"), which never makes mail access from there familiar: an
 * adversary-in-the-middle signs in from the address it then reads from. Addresses that say nothing about the
 * account (private, trusted, VPN / SASE egress, Microsoft's own services) only start its learning.
 */
function addressValue(ev: Event, ctx: RuleContext): string | undefined {
  const ip = ipKey(ev.actor.ip);
  if (!ip) return undefined;
  const addr = ev.actor.ip!;
  if (!isPublicIp(addr) || ctx.enrich.isTrustedIp(addr)) return NOWHERE;
  const asn = asnOf(ev, ctx);
  if (asn !== undefined && (MICROSOFT_ASNS.has(asn) || ctx.enrich.isVpnAsn(asn) || ctx.enrich.asnKind?.(asn) === 'vpn')) return NOWHERE;
  // a sign-in from a trusted named location (the record says so; UAL records cannot) vouches like a device does
  return ev.action === 'signin' && !registeredDevice(ev) && ev.details?.trustedLocation !== true ? WEAK + ip : ip;
}

export const accessFromNewIp = defineRule({
  id: 'TW-MAIL-005',
  title: 'Mailbox read from an address new for the account',
  severity: 'medium',
  tactics: ['collection', 'initial-access'],
  techniques: ['T1114', 'T1114.002', 'T1078.004'],
  description:
    'A UAL MailItemsAccessed record shows an account reading mail from an address (IPv4, or IPv6 /64) that the ' +
    'account did not read mail from, nor sign in from on a registered device or a trusted named location, within ' +
    'the history window, once the account has been learned for the warm-up period. Successful sign-ins without a ' +
    'registered device are remembered but never make an address familiar. Severity follows the network (ASN / geo ' +
    'databases): hosting high; network and country both new to the account medium; otherwise low; a network the ' +
    'account already reads mail or signs in from with its device does not fire. A read in a session the account ' +
    'began with an interactive sign-in on a registered device, from a place it could have reached since (900 km/h), ' +
    'is low: the person travelled with the session.',
  whyItMatters:
    'After an adversary-in-the-middle sign-in or a stolen token, the attacker reads the mailbox (invoices, payment ' +
    'threads, MFA mails) from their own infrastructure before setting inbox rules or sending the fraud mail. ' +
    'MailItemsAccessed is the record of that reading, and the address is the attacker\'s.',
  falsePositives: [
    'An employee on a new network (hotel, new ISP) with an unmanaged laptop: low when they signed in from it or are ' +
      'known in that country, medium when network and country are both new; check the client (ClientInfoString) ' +
      'against their usual one, and their sign-ins (TW-SIGNIN-012).',
    'Mail read by a service from its own cloud (a backup or archiving product reading as the user): hosting network, ' +
      'same address for many accounts; list its egress in allowlists.trustedIps.',
    'Records with Microsoft addresses (Outlook mobile, Exchange services) are Microsoft acting for the user and never alert.',
    'A traveller reading mail abroad in the session their registered laptop began at home: low ' +
      '(sessionFromRegisteredDevice). A cookie stolen from that laptop and replayed nearby looks the same here; ' +
      'replays from too far away or from hosting networks are TW-SIGNIN-011.',
  ],
  references: [
    'https://learn.microsoft.com/purview/audit-log-investigate-accounts',
    'https://www.microsoft.com/en-us/security/blog/2022/07/12/from-cookie-theft-to-bec-attackers-use-aitm-phishing-sites-as-entry-point-to-further-financial-fraud/',
  ],
  status: 'experimental',
  // MailItemsAccessed with its address is what alerts; sign-ins are optional teachers
  inputs: { facts: ['mailbox.access', 'ip'], sources: ['ual', 'entra.signin', 'entra.signin.noninteractive'] },
  tunables: {
    history: { type: 'duration', default: 30 * DAY, min: DAY, max: 400 * DAY, help: 'how long an address stays known after the account last used it' },
    warmup: { type: 'duration', default: 3 * DAY, min: 0, max: 90 * DAY, help: 'learning time per account (from its first sign-in or mail access) before new addresses alert' },
    nonInteractive: { type: 'boolean', default: false, help: 'also learn from non-interactive sign-ins (token refreshes: many more events and addresses per account, mostly phones on carriers and apps)' },
  },
  suppressMs: 6 * HOUR,
  detect: (t) =>
    firstSeen({
      on: {
        actions: ['mailbox.access', 'signin'],
        sources: t.nonInteractive ? ['ual', 'entra.signin', 'entra.signin.noninteractive'] : ['ual', 'entra.signin'],
        // people only (an app reading with its own token is TW-MAIL-006); sign-ins from the Entra logs only: the
        // UAL copy of a sign-in carries no device facts
        where: (ev) =>
          ev.actor.kind === 'user' && ev.outcome !== 'failure' &&
          (ev.action === 'mailbox.access' ? ev.source === 'ual' : ev.source !== 'ual' && ev.outcome === 'success'),
      },
      key: (ev) => userOf(ev),
      value: addressValue,
      also: vouchedSession,
      historyMs: t.history,
      warmupMs: t.warmup,
      alertIf: (ev) => ev.action === 'mailbox.access',
      alert: (m, ctx) => {
        if (m.value === NOWHERE) return undefined;
        const ev = m.event;
        const me = describe(m.value, ctx);
        const known = m.known.filter((v) => v !== NOWHERE).map((v) => describe(v, ctx));
        // a new address in a network the account already reads mail or signs in from with its device: NAT pools, DHCP
        if (known.some((k) => !k.weak && k.net === me.net)) return undefined;
        const signedInHere = known.some((k) => k.weak && k.ip === me.ip);
        const netSeen = known.some((k) => k.net === me.net);
        const countrySeen = me.country !== undefined && known.some((k) => k.country === me.country);
        const kind = asnKindOf(ev, ctx);
        // the read belongs to a session the account began on its registered device: the person (and their device)
        // moved, e.g. a traveller; a replay from an impossible distance or a hosting network is TW-SIGNIN-011's
        const sid = sessionIdOf(ev);
        const move = sid !== undefined ? sessionMove(m.findKnown(`${SESSION}${sid}|`), ev, ctx) : undefined;
        const ownSession = move?.possible === true;
        let severity: Severity;
        let how: string;
        if (kind === 'hosting') {
          severity = 'high';
          how = 'The address is in a hosting / cloud network, where people do not read their mail from.';
        } else if (ownSession) {
          severity = 'low';
          how = `The read carries session ${sid}, which the account began with an interactive sign-in on a registered device from ${move!.from}${move!.km !== undefined ? ` (${move!.km.toLocaleString('en-US')} km away, a possible move in the time since)` : ''}: the person most likely moved with it (travel). A session replayed from too far away or from a hosting network is TW-SIGNIN-011's.`;
        } else if (!netSeen && me.country !== undefined && !countrySeen) {
          severity = 'medium';
          how = `Its network and its country (${me.country}) are new for the account as well.`;
        } else {
          severity = 'low';
          how = signedInHere || netSeen
            ? `The account signed in from ${signedInHere ? 'this address' : 'this network'} without a registered device, which does not vouch for it (an adversary-in-the-middle proxy signs in too).`
            : countrySeen ? `The account is known in ${me.country}; the network is new for it.` : 'The network is new for the account (no geolocation database to tell the country).';
        }
        const mailbox = mailboxOf(ev);
        const items = itemsRead(ev);
        const asn = asnOf(ev, ctx);
        const asnName = asn !== undefined ? ctx.enrich.asnName?.(asn) : undefined;
        const vouchedIps = known.filter((k) => !k.weak).map((k) => k.ip);
        const other = mailbox && mailbox !== m.key ? ` (mailbox of ${mailbox})` : '';
        const explanation =
          `${m.key} read mail${other}${items !== undefined ? `, ${plural(items, 'item')}` : ''} at ${iso(ev.time)} from ${ev.actor.ip} ` +
          `(${me.net}${asnName ? ` ${asnName}` : ''}${kind ? `, ${kind}` : ''})${ev.details?.clientInfo ? ` with ${String(ev.details.clientInfo)}` : ''}. ` +
          `The account did not read mail from that address, nor sign in from it on a registered device, in the last ${humanDuration(m.historyMs)}: ` +
          `${plural(vouchedIps.length, 'vouched address', 'vouched addresses')}${vouchedIps.length ? ` (${listSome(vouchedIps, 4)})` : ''} ` +
          `among ${plural(m.knownCount, 'value')} learned since ${iso(m.keySince)}. ${how}`;
        return {
          title: `${m.key} read mail from new address ${ev.actor.ip}${kind === 'hosting' ? ' in a hosting network' : ''}`,
          severity,
          entities: entities(userEntity(ev), mailbox && mailbox !== m.key ? ({ type: 'mailbox', id: mailbox, role: 'target' } satisfies Entity) : undefined, ipEntity(ev.actor.ip), asnEntity(asn)),
          explanation,
          facts: {
            newAddress: me.ip,
            network: me.net,
            ...(me.country ? { country: me.country } : {}),
            signedInFromItWithoutDevice: signedInHere,
            sessionFromRegisteredDevice: ownSession,
            vouchedAddresses: vouchedIps.length,
            historyDays: m.historyMs / DAY,
            learningSince: iso(m.keySince),
            ...(mailbox ? { mailbox } : {}),
            ...(kind ? { networkKind: kind } : {}),
            ...(items !== undefined ? { items } : {}),
          },
        };
      },
    }),
  summarize: (ev) =>
    ev.action === 'mailbox.access'
      ? `${ev.actor.user ?? '?'} read ${mailboxOf(ev) ?? 'a mailbox'} from ${ev.actor.ip ?? 'no IP'}`
      : `${ev.actor.user ?? '?'} signed in from ${ev.actor.ip ?? 'no IP'}${registeredDevice(ev) ? ' (registered device)' : ''}`,
});
