// What the travel rules (TW-SIGNIN-010 impossible travel, TW-SIGNIN-011 token replay) share: whether an event's
// address counts as a place at all, its network, and the distance / speed between two events measured from one
// geolocation source.
import type { Event } from '../../core/event.js';
import type { RuleContext } from '../../detect/spec.js';
import { comparablePlaces, haversineKm, isPublicIp, placeName, type Located } from '../../enrich/geo.js';
import type { AsnKind } from '../../enrich/types.js';
import { ipKey } from '../lib.js';

/** Ids exports write when there is none ("00000000-0000-…", "0000000000000000000000", "anonymized"). */
export const placeholderId = (s: string): boolean => /^[0-]*$/.test(s) || /^anonymi[sz]ed$/i.test(s);

/** The Entra session id of a sign-in or UAL record (AppAccessContext.AADSessionId), lower-cased; none for placeholders. */
export function sessionIdOf(ev: Event): string | undefined {
  const id = ev.session?.id?.trim().toLowerCase();
  return id && !placeholderId(id) ? id : undefined;
}

/**
 * What the travel rules keep of a user's or session's earlier sign-in (SequenceDetector.keep): place, network,
 * user, session and time, which their builders and summaries read. A large tenant has tens of thousands of
 * users and sessions in state at once; the whole event would be ~3 KB each.
 */
export function travelStep(ev: Event): Event {
  const a = ev.actor;
  const actor: Event['actor'] = { kind: a.kind };
  if (a.user !== undefined) actor.user = a.user;
  else if (a.userId !== undefined) actor.userId = a.userId;
  if (a.ip !== undefined) actor.ip = a.ip;
  if (a.asn !== undefined) actor.asn = a.asn;
  if (a.geo !== undefined) actor.geo = a.geo;
  const out: Event = {
    id: ev.id, time: ev.time, tenant: ev.tenant, source: ev.source, action: ev.action, operation: ev.operation,
    outcome: ev.outcome, actor, targets: [], raw: ev.raw,
  };
  // the session key the rules read: the session id, else the token id
  if (ev.session?.id !== undefined) out.session = { id: ev.session.id };
  else if (ev.session?.tokenId !== undefined) out.session = { tokenId: ev.session.tokenId };
  return out;
}

/** The ASN of the event's address: the record's, else the database's. */
export function asnOf(ev: Event, ctx: RuleContext): number | undefined {
  if (ev.actor.asn !== undefined) return ev.actor.asn;
  return ev.actor.ip ? ctx.enrich.asn?.(ev.actor.ip) : undefined;
}

export function asnKindOf(ev: Event, ctx: RuleContext): AsnKind | undefined {
  return ctx.enrich.asnKind?.(asnOf(ev, ctx));
}

/** The address is a trusted network: config CIDRs / trusted named locations, or the record says so. */
export function isTrustedSource(ev: Event, ctx: RuleContext): boolean {
  return ctx.enrich.isTrustedIp(ev.actor.ip) || ev.details?.trustedLocation === true;
}

/**
 * Why this event's address says nothing about where the user is, or undefined when it does: no public address,
 * a trusted network (office egress, named location), or a VPN / SASE egress ASN.
 */
export function notAPlace(ev: Event, ctx: RuleContext): string | undefined {
  if (!isPublicIp(ev.actor.ip)) return 'no public IP';
  if (isTrustedSource(ev, ctx)) return 'trusted network';
  const asn = asnOf(ev, ctx);
  if (ctx.enrich.isVpnAsn(asn) || ctx.enrich.asnKind?.(asn) === 'vpn') return 'VPN / SASE egress';
  return undefined;
}

/** Same address, or the same IPv6 /64 (one host roaming inside its prefix). */
export function sameSource(a: Event, b: Event): boolean {
  const ka = ipKey(a.actor.ip), kb = ipKey(b.actor.ip);
  return ka !== undefined && ka === kb;
}

export interface Leg {
  from: Located;
  to: Located;
  /** where both places came from: never one of each */
  source: 'record' | 'db';
  km: number;
  elapsedMs: number;
  /** km/h; Infinity when both sign-ins have the same time */
  kmh: number;
}

/** Distance and speed between two events, from one geolocation source; undefined when no source places both. */
export function legOf(a: Event, b: Event, ctx: RuleContext): Leg | undefined {
  const p = comparablePlaces(a, b, ctx.enrich);
  if (!p) return undefined;
  const km = haversineKm(p.a.lat, p.a.lon, p.b.lat, p.b.lon);
  const elapsedMs = Math.abs(b.time - a.time);
  const kmh = elapsedMs === 0 ? Infinity : km / (elapsedMs / 3_600_000);
  return { from: p.a, to: p.b, source: p.from, km, elapsedMs, kmh };
}

/** "1 h 05 min", "42 min", "12 s". */
export function elapsedText(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return `${h} h ${String(min % 60).padStart(2, '0')} min`;
}

export function kmhText(kmh: number): string {
  return Number.isFinite(kmh) ? `${Math.round(kmh).toLocaleString('en-US')} km/h` : 'no time at all';
}

/** "203.0.113.5 (AS64500 Contoso ISP) in London, GB" */
export function whereText(ev: Event, place: Located | undefined, ctx: RuleContext): string {
  const asn = asnOf(ev, ctx);
  const name = asn !== undefined ? ctx.enrich.asnName?.(asn) : undefined;
  const net = asn !== undefined ? ` (AS${asn}${name ? ` ${name}` : ''})` : '';
  return `${ev.actor.ip ?? 'no IP'}${net}${place ? ` in ${placeName(place)}` : ''}`;
}

export const round1 = (x: number): number => Math.round(x * 10) / 10;

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/**
 * A leg's two places as alert facts: fromLat/fromLon/toLat/toLon (+ city and country when known), which the
 * report turns into travel legs and the HTML map draws (src/correlate/incident.ts travelLegs).
 */
export function legPlaceFacts(leg: Leg): Record<string, number | string> {
  const f: Record<string, number | string> = {
    fromLat: round4(leg.from.lat),
    fromLon: round4(leg.from.lon),
    toLat: round4(leg.to.lat),
    toLon: round4(leg.to.lon),
  };
  if (leg.from.city) f.fromCity = leg.from.city;
  if (leg.from.country) f.fromCountry = leg.from.country;
  if (leg.to.city) f.toCity = leg.to.city;
  if (leg.to.country) f.toCountry = leg.to.country;
  return f;
}
