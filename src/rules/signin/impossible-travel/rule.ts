// TW-SIGNIN-010: two consecutive successful sign-ins of one user from places too far apart for the time between
// them (great-circle distance / elapsed time above an airliner's speed).
import { HOUR, MINUTE } from '../../../config/tunables.js';
import { iso } from '../../../detect/alert.js';
import { sequence, type RuleContext, type Selector } from '../../../detect/spec.js';
import type { Event } from '../../../core/event.js';
import { MAX_SURFACE_KM, placeOf, placeName } from '../../../enrich/geo.js';
import { asnEntity, entities, ipEntity, userEntity, userOf } from '../../lib.js';
import { defineRule } from '../../types.js';
import { asnKindOf, asnOf, elapsedText, kmhText, legOf, legPlaceFacts, notAPlace, round1, sameSource, travelStep, whereText } from '../travel-lib.js';

export const impossibleTravel = defineRule({
  id: 'TW-SIGNIN-010',
  title: 'Impossible travel between two sign-ins of one user',
  severity: 'medium',
  tactics: ['initial-access', 'defense-evasion'],
  techniques: ['T1078', 'T1078.004'],
  description:
    "A user's successful sign-in comes from a place so far from their previous successful sign-in that nobody " +
    'could have travelled between them in the time between (great-circle distance over elapsed time above an ' +
    "airliner's speed, and at least a minimum distance). Trusted networks and VPN / SASE egress are not places.",
  whyItMatters:
    'Stolen passwords and session cookies are used from the attacker\'s own location while the real user keeps ' +
    'working from theirs. Two successful sign-ins minutes apart on different continents mean two people hold the ' +
    'account, one of them not the user.',
  falsePositives: [
    'A VPN, SASE or secure web gateway the organisation uses (Zscaler, Netskope, Cloudflare WARP, Prisma Access ...): ' +
      'the built-in VPN/SASE ASN list covers the big providers; add yours to allowlists.vpnAsns or its egress ' +
      'ranges to allowlists.trustedIps. Egress inside a cloud provider (Prisma Access) needs trustedIps.',
    'A phone on a mobile carrier: carrier-grade NAT geolocates to a gateway city far from the user. Known mobile ' +
      'carriers lower the alert to low; check the user agent and the carrier.',
    'Geolocation errors: an address geolocated to the wrong country. Compare the ASN and the user agent of both ' +
      'sign-ins; a different device and network on the far side is what an attacker looks like.',
  ],
  references: [
    'https://attack.mitre.org/techniques/T1078/004/',
    'https://learn.microsoft.com/entra/id-protection/concept-identity-protection-risks#atypical-travel',
  ],
  status: 'experimental',
  inputs: {
    facts: ['signin.interactive', 'ip'],
    anyOf: [['location', 'asn']],
    sources: ['entra.signin', 'entra.signin.noninteractive', 'ual'],
  },
  tunables: {
    maxSpeed: { type: 'number', default: 900, min: 100, max: 20000, help: 'km/h above which travel between two sign-ins is impossible (an airliner cruises at ~900)' },
    minDistance: { type: 'number', default: 500, min: 0, max: 20000, help: 'km two places must be apart at least (geolocation of one city is not precise)' },
    nonInteractive: { type: 'boolean', default: false, help: 'also use non-interactive sign-ins (token refreshes: far more events, noisier locations)' },
    ual: { type: 'boolean', default: false, help: 'also use UAL UserLoggedIn records (no location of their own: needs the geo database)' },
  },
  suppressMs: 6 * HOUR,
  detect: (t) => {
    const sources: Selector['sources'] = ['entra.signin', ...(t.nonInteractive ? (['entra.signin.noninteractive'] as const) : []), ...(t.ual ? (['ual'] as const) : [])];
    const on: Selector = {
      actions: ['signin'],
      sources,
      // only sign-ins that place the user: successful, public address, not a trusted network or VPN egress, and
      // a location from the record or the database (an unplaceable sign-in must not become the "previous" one)
      where: (ev, ctx) => ev.outcome === 'success' && ev.actor.kind === 'user' && notAPlace(ev, ctx) === undefined && placeOf(ev, ctx.enrich) !== undefined,
    };
    const key = (ev: Event): string | undefined => userOf(ev);
    // no two places on Earth are further apart than this many hours at maxSpeed: older pairs can never alert
    const withinMs = Math.ceil(MAX_SURFACE_KM / t.maxSpeed) * HOUR + HOUR;
    return sequence({
      steps: [
        { name: 'previous sign-in', on, key },
        { name: 'sign-in', on, key },
      ],
      withinMs,
      keep: travelStep,
      alert: (m, ctx) => {
        const a = m.steps[0]!.event, b = m.event;
        if (sameSource(a, b)) return undefined;
        const leg = legOf(a, b, ctx);
        if (!leg || leg.km < t.minDistance || leg.kmh <= t.maxSpeed) return undefined;
        const mobile = asnKindOf(a, ctx) === 'mobile' || asnKindOf(b, ctx) === 'mobile';
        const privileged = ctx.enrich.isPrivileged(b.actor.user, b.actor.userId);
        const user = m.key;
        const km = Math.round(leg.km);
        let explanation =
          `${user} signed in from ${whereText(a, leg.from, ctx)} at ${iso(a.time)} and from ${whereText(b, leg.to, ctx)} ` +
          `at ${iso(b.time)}: ${km.toLocaleString('en-US')} km in ${elapsedText(leg.elapsedMs)}, ${kmhText(leg.kmh)} ` +
          `(limit ${t.maxSpeed} km/h, at least ${t.minDistance} km apart). Both places from ${leg.source === 'record' ? 'the sign-in records' : 'the geolocation database'}.`;
        if (mobile) explanation += ' One side is a mobile carrier, whose addresses geolocate coarsely: severity lowered.';
        if (privileged) explanation += ' The account is privileged.';
        return {
          title: `Impossible travel for ${user}: ${placeName(leg.from)} to ${placeName(leg.to)} at ${kmhText(leg.kmh)}`,
          severity: mobile ? 'low' : privileged ? 'high' : 'medium',
          entities: entities(userEntity(b), ipEntity(a.actor.ip), ipEntity(b.actor.ip), asnEntity(asnOf(a, ctx)), asnEntity(asnOf(b, ctx))),
          explanation,
          facts: factsOf(a, b, leg, ctx, mobile),
        };
      },
    });
  },
  summarize: (ev) => `${ev.actor.user ?? ev.actor.userId ?? '?'} signed in from ${ev.actor.ip ?? 'no IP'}${ev.actor.geo ? ` (${placeName(ev.actor.geo)})` : ''}`,
});

function factsOf(a: Event, b: Event, leg: NonNullable<ReturnType<typeof legOf>>, ctx: RuleContext, mobile: boolean): Record<string, number | string | boolean> {
  const f: Record<string, number | string | boolean> = {
    fromIp: a.actor.ip!,
    toIp: b.actor.ip!,
    fromPlace: placeName(leg.from),
    toPlace: placeName(leg.to),
    fromTime: iso(a.time),
    toTime: iso(b.time),
    distanceKm: Math.round(leg.km),
    elapsedMinutes: round1(leg.elapsedMs / MINUTE),
    locationSource: leg.source,
    mobileCarrier: mobile,
    ...legPlaceFacts(leg),
  };
  // the same millisecond has no speed: elapsedMinutes 0 says it
  if (Number.isFinite(leg.kmh)) f.speedKmh = Math.round(leg.kmh);
  const fa = asnOf(a, ctx), fb = asnOf(b, ctx);
  if (fa !== undefined) f.fromAsn = fa;
  if (fb !== undefined) f.toAsn = fb;
  return f;
}
