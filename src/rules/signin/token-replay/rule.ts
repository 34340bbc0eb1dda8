// TW-SIGNIN-011: one sign-in session (or one token) used from two places too far apart for the time between them,
// or moved to a hosting network, within its lifetime: a stolen session cookie or token replayed elsewhere.
import { DAY, HOUR, MINUTE, humanDuration } from '../../../config/tunables.js';
import type { Action, Event } from '../../../core/event.js';
import { iso } from '../../../detect/alert.js';
import { sequence, type RuleContext } from '../../../detect/spec.js';
import { placeName } from '../../../enrich/geo.js';
import { asnEntity, entities, ipEntity, userEntity, userOf } from '../../lib.js';
import { defineRule } from '../../types.js';
import { MICROSOFT_ASNS } from '../../microsoft.js';
import { asnKindOf, asnOf, elapsedText, kmhText, legOf, legPlaceFacts, notAPlace, placeholderId, round1, sameSource, sessionIdOf, travelStep, whereText, type Leg } from '../travel-lib.js';

/** UAL operations that carry AppAccessContext (AADSessionId, UniqueTokenId) as decoded by the UAL decoder. */
const UAL_ACTIONS: readonly Action[] = [
  'mailbox.access', 'mail.send', 'inboxrule.create', 'inboxrule.update', 'inboxrule.remove',
  'mailbox.forwarding.set', 'mailbox.permission.add', 'exchange.admin',
];

/** The session an event belongs to: the Entra session id, else the token id (case kept: token ids are base64). */
export function sessionKeyOf(ev: Event): string | undefined {
  const id = sessionIdOf(ev);
  if (id) return `session ${id}`;
  const tok = ev.session?.tokenId?.trim();
  if (tok && !placeholderId(tok)) return `token ${tok}`;
  return undefined;
}

export const tokenReplay = defineRule({
  id: 'TW-SIGNIN-011',
  title: 'Session or token replayed from a distant place or a hosting network',
  severity: 'high',
  tactics: ['defense-evasion', 'credential-access'],
  techniques: ['T1550', 'T1550.001', 'T1539'],
  description:
    'The same Entra session id (sessionId, UAL AppAccessContext.AADSessionId) or token id (uniqueTokenIdentifier, ' +
    'UniqueTokenId) is used, within its lifetime, from two places too far apart for the time between them, or ' +
    'moves to a hosting / cloud network. Interactive and non-interactive sign-ins and UAL mailbox and Exchange ' +
    'records count; an Exchange record is judged against the latest sign-in of the session, and an impossible place ' +
    'that rests on an Exchange record alone (no hosting network) is low.',
  whyItMatters:
    'Adversary-in-the-middle phishing and infostealers take the session cookie or tokens after MFA, and the ' +
    "attacker replays them from their own server: the session then appears from the attacker's network while the " +
    'user keeps using it from theirs. MFA does not stop it; revoking the sessions does.',
  falsePositives: [
    'A VPN, SASE or secure web gateway switched on mid-session: the built-in VPN/SASE list and allowlists.vpnAsns ' +
      'make those addresses no place; add your provider if missing.',
    'A Cloud PC / Azure Virtual Desktop or a jump host in a cloud network using the same session: add its egress to ' +
      'allowlists.trustedIps.',
    'A phone moving between Wi-Fi and a mobile carrier, whose addresses geolocate coarsely: known mobile carriers ' +
      'lower the alert to low; moves within the minimum distance never alert.',
    'A traveller abroad while a mail client on the office desktop (or a service) keeps reading their mailbox with ' +
      'the session: UAL MailItemsAccessed from the office, far from the hotel sign-in. A far place that rests on an ' +
      'Exchange record alone is low (exchangeRecordOnly); check that the address is the office.',
  ],
  references: [
    'https://attack.mitre.org/techniques/T1550/004/',
    'https://learn.microsoft.com/entra/identity/devices/concept-tokens-microsoft-entra-id',
    'https://learn.microsoft.com/entra/identity-platform/configurable-token-lifetimes',
  ],
  status: 'experimental',
  inputs: {
    facts: ['ip'],
    anyOf: [['session.id', 'token.id'], ['location', 'asn']],
    sources: ['entra.signin', 'entra.signin.noninteractive', 'ual'],
  },
  tunables: {
    lifetime: {
      type: 'duration',
      default: DAY,
      min: HOUR,
      max: 90 * DAY,
      help: 'how long after its last use a session still pairs with a new use (replay comes within hours of theft; sessions live up to 90 days)',
    },
    maxSpeed: { type: 'number', default: 900, min: 100, max: 20000, help: 'km/h above which moving between two uses is impossible' },
    minDistance: { type: 'number', default: 500, min: 0, max: 20000, help: 'km two places must be apart to count as distant' },
  },
  suppressMs: DAY,
  detect: (t) => {
    const on = {
      actions: ['signin', ...UAL_ACTIONS] as Action[],
      sources: ['entra.signin', 'entra.signin.noninteractive', 'ual'] as const,
      where: (ev: Event, ctx: RuleContext): boolean => {
        if (ev.outcome !== 'success' || ev.actor.kind !== 'user') return false;
        if (notAPlace(ev, ctx) !== undefined) return false;
        if (ev.source === 'ual' && MICROSOFT_ASNS.has(asnOf(ev, ctx) ?? -1)) return false;
        return true;
      },
    };
    // Only sign-ins (Entra and UAL UserLoggedIn) place the session for what follows; an Exchange record is judged
    // against the latest sign-in but never becomes the place a later use is judged against (its client address is
    // weak evidence of where the person is, see exchangeOnly below).
    const anchor = { ...on, actions: ['signin'] as Action[] };
    return sequence({
      steps: [
        { name: 'earlier sign-in', on: anchor, key: sessionKeyOf },
        { name: 'use', on, key: sessionKeyOf },
      ],
      withinMs: t.lifetime,
      keep: travelStep,
      // A sign-in that is itself the replay (impossible from the held one, or onto a hosting network) does not
      // become the session's place: the attacker's later uses (mail read with the stolen token) are then judged
      // against the victim's place and join the alert, instead of passing as "same place as the last sign-in".
      replace: (held, next, ctx) => {
        if (sameSource(held, next)) return true;
        const j = judge(held, next, ctx, t);
        return !j.impossible && !j.hosting;
      },
      alert: (m, ctx) => {
        const a = m.steps[0]!.event, b = m.event;
        if (sameSource(a, b)) return undefined;
        const { leg, asnA, asnB, kindB, hosting, mobile, impossible, unplacedNewAsn } = judge(a, b, ctx, t);
        if (!impossible && !hosting && !unplacedNewAsn) return undefined;

        // The far place rests on an Exchange record's client address (UAL has no place: the geolocation database
        // places it). Clients keep the session working from where they were left (Outlook on the office desktop
        // while its owner travels): impossible on that alone is low; a sign-in from there or hosting says more.
        const exchangeOnly = b.action !== 'signin';
        const severity = impossible ? ((mobile || exchangeOnly) && !hosting ? 'low' : 'high') : hosting ? 'medium' : 'low';
        const user = userOf(b) ?? userOf(a) ?? 'an unknown user';
        const what = m.key.startsWith('session ') ? `Session ${m.key.slice(8)}` : `Token ${m.key.slice(6)}`;
        const reasons: string[] = [];
        if (leg) {
          reasons.push(
            `${Math.round(leg.km).toLocaleString('en-US')} km in ${elapsedText(leg.elapsedMs)}, ${kmhText(leg.kmh)} ` +
              `(limit ${t.maxSpeed} km/h, distant at ${t.minDistance} km or more; places from ${leg.source === 'record' ? 'the records' : 'the geolocation database'})`,
          );
        } else reasons.push('no common geolocation source places both uses, but the network changed');
        if (hosting) reasons.push(`AS${kindB === 'hosting' ? asnB : asnA} is a hosting / cloud network`);
        if (mobile) reasons.push('a mobile carrier is involved (coarse geolocation)');
        if (impossible && exchangeOnly && !hosting) {
          reasons.push(
            `the far place rests on the client address of an Exchange record (${b.operation}) with no sign-in from there: ` +
              'a mail client left running elsewhere (the office desktop) looks the same, so low until a sign-in or a hosting network confirms it',
          );
        }
        const explanation =
          `${what} of ${user} was used from ${whereText(a, leg?.from, ctx)} at ${iso(a.time)} (${useName(a)}) and from ` +
          `${whereText(b, leg?.to, ctx)} at ${iso(b.time)} (${useName(b)}), within the ${humanDuration(t.lifetime)} lifetime: ` +
          `${reasons.join('; ')}.`;
        return {
          title: `${what.split(' ')[0]} of ${user} replayed from ${b.actor.ip}${leg ? ` (${placeName(leg.to)})` : ''}`,
          severity,
          entities: entities(userEntity(b), ipEntity(a.actor.ip), ipEntity(b.actor.ip), asnEntity(asnA), asnEntity(asnB)),
          explanation,
          facts: factsOf(m.key, a, b, leg, { asnA, asnB, hosting, mobile, impossible }),
        };
      },
    });
  },
  summarize: (ev) => `${useName(ev)} by ${ev.actor.user ?? ev.actor.userId ?? '?'} from ${ev.actor.ip ?? 'no IP'} (${sessionKeyOf(ev) ?? 'no session'})`,
});

/** How two uses of one session relate: the leg between them, their networks, and what makes the move suspect. */
function judge(a: Event, b: Event, ctx: RuleContext, t: { maxSpeed: number; minDistance: number }) {
  const leg = legOf(a, b, ctx);
  const asnA = asnOf(a, ctx), asnB = asnOf(b, ctx);
  const newAsn = asnA !== undefined && asnB !== undefined && asnA !== asnB;
  const kindA = asnKindOf(a, ctx), kindB = asnKindOf(b, ctx);
  const hosting = newAsn && (kindA === 'hosting' || kindB === 'hosting');
  const mobile = kindA === 'mobile' || kindB === 'mobile';
  const distant = leg !== undefined && leg.km >= t.minDistance;
  const impossible = distant && leg.kmh > t.maxSpeed;
  // near places on different networks (home, office, phone) are one person moving about
  const unplacedNewAsn = newAsn && leg === undefined;
  return { leg, asnA, asnB, kindB, hosting, mobile, impossible, unplacedNewAsn };
}

function useName(ev: Event): string {
  if (ev.source === 'entra.signin') return 'interactive sign-in';
  if (ev.source === 'entra.signin.noninteractive') return 'non-interactive sign-in';
  return ev.operation;
}

function factsOf(
  key: string,
  a: Event,
  b: Event,
  leg: Leg | undefined,
  x: { asnA?: number; asnB?: number; hosting: boolean; mobile: boolean; impossible: boolean },
): Record<string, number | string | boolean> {
  const f: Record<string, number | string | boolean> = {
    [key.startsWith('session ') ? 'sessionId' : 'tokenId']: key.slice(key.indexOf(' ') + 1),
    fromIp: a.actor.ip!,
    toIp: b.actor.ip!,
    fromTime: iso(a.time),
    toTime: iso(b.time),
    fromUse: useName(a),
    toUse: useName(b),
    elapsedMinutes: round1(Math.abs(b.time - a.time) / MINUTE),
    impossibleTravel: x.impossible,
    hostingNetwork: x.hosting,
    mobileCarrier: x.mobile,
  };
  if (leg) {
    f.fromPlace = placeName(leg.from);
    f.toPlace = placeName(leg.to);
    f.distanceKm = Math.round(leg.km);
    if (Number.isFinite(leg.kmh)) f.speedKmh = Math.round(leg.kmh);
    f.locationSource = leg.source;
    // the map in the report draws impossible legs only (a move to a hosting network nearby is no travel)
    if (x.impossible) Object.assign(f, legPlaceFacts(leg));
  }
  f.exchangeRecordOnly = b.action !== 'signin';
  if (x.asnA !== undefined) f.fromAsn = x.asnA;
  if (x.asnB !== undefined) f.toAsn = x.asnB;
  return f;
}
