// TW-SIGNIN-012: a successful interactive sign-in that completed MFA from a network (ASN) and a country both new
// for the user: what an adversary-in-the-middle phishing proxy looks like once the victim approved the prompt.
import type { Event } from '../../../core/event.js';
import { DAY, humanDuration } from '../../../config/tunables.js';
import { iso, type Severity } from '../../../detect/alert.js';
import { firstSeen, type RuleContext, type Selector } from '../../../detect/spec.js';
import { asnEntity, entities, ipEntity, ipKey, listSome, userEntity, userOf } from '../../lib.js';
import { defineRule } from '../../types.js';
import { registeredDevice } from '../registered-device.js';
import { isPublicIp } from '../../../enrich/geo.js';
import { asnKindOf, asnOf, isTrustedSource } from '../travel-lib.js';

/** A success that places nobody (VPN, trusted network, private address): it starts the user's learning, never a place. */
const NO_PLACE = '~';

/** ISO country from the record, else from the database. */
function countryOf(ev: Event, ctx: RuleContext): string | undefined {
  return ev.actor.geo?.country ?? (ev.actor.ip ? ctx.enrich.geo?.(ev.actor.ip)?.country : undefined);
}

/** The network of a trusted location (config trustedIps, trusted named locations): known, and its country with it. */
const TRUSTED = 'trusted';

/** Leading mark of a place learned from a sign-in on a registered device ("+AS64500|GB"). */
const DEVICE = '+';

/**
 * "AS64500|GB": one learned place, "+AS64500|GB" when the sign-in came from a registered device (so the rule knows
 * whether the user normally signs in from one); '?' when no country is known (never judged new). A trusted network
 * teaches its country only ("trusted|GB": the office is where the user works); VPN / SASE egress and private
 * addresses teach nothing (their country is the provider's).
 */
function placeValue(ev: Event, ctx: RuleContext): string {
  const ip = ev.actor.ip;
  if (!isPublicIp(ip)) return NO_PLACE;
  const asn = asnOf(ev, ctx);
  if (ctx.enrich.isVpnAsn(asn) || ctx.enrich.asnKind?.(asn) === 'vpn') return NO_PLACE;
  const net = isTrustedSource(ev, ctx) ? TRUSTED : asn !== undefined ? `AS${asn}` : ipKey(ip);
  if (!net) return NO_PLACE;
  return `${registeredDevice(ev) ? DEVICE : ''}${net}|${countryOf(ev, ctx) ?? '?'}`;
}

function splitPlace(v: string): { net: string; country: string; device: boolean } {
  const device = v.startsWith(DEVICE);
  const i = v.lastIndexOf('|');
  return { net: v.slice(device ? 1 : 0, i), country: v.slice(i + 1), device };
}

const RISKY = new Set(['medium', 'high']);

export const unfamiliarLocation = defineRule({
  id: 'TW-SIGNIN-012',
  title: 'Sign-in with MFA from a network and country new for the user',
  severity: 'medium',
  tactics: ['initial-access', 'credential-access', 'defense-evasion'],
  techniques: ['T1078', 'T1078.004', 'T1557', 'T1539'],
  description:
    "A user's successful interactive sign-in that completed a fresh MFA prompt comes from an autonomous system AND a " +
    'country that none of their sign-ins used within the history window, once the user has been learned for the ' +
    'warm-up period. Every successful sign-in teaches its network and country; a trusted network teaches its country ' +
    'only, VPN / SASE egress and private addresses nothing. A known network abroad does not fire, nor does a new ' +
    'network in a known country unless it is a hosting provider (low). Severity: high from a hosting network or with ' +
    "Identity Protection risk; medium when the user's other sign-ins come from a registered device and this one does " +
    'not; low from a registered device (a traveller), a mobile carrier, or for users who never use registered devices.',
  whyItMatters:
    'Adversary-in-the-middle phishing (Evilginx, Tycoon 2FA, EvilProxy) relays the real login page: the victim types ' +
    'the password and approves MFA, and Entra records a successful MFA sign-in from the proxy, a rented server or ' +
    'residential proxy the user never used, usually abroad. It is the first and often only sign-in trace of a ' +
    'business-email-compromise; the session cookie it steals is then replayed without MFA.',
  falsePositives: [
    'Business travel: the first sign-in from a hotel or conference network abroad. From a registered or compliant ' +
      'laptop (deviceDetail) it is low, since a phishing proxy cannot present one; an unregistered device is medium ' +
      'only for users who otherwise sign in from registered ones. Confirm the trip with the user.',
    'Mobile carriers geolocating roaming phones abroad and airline / hotel Wi-Fi that keeps one ASN across countries: ' +
      'a known network in a new country does not fire, a known mobile carrier lowers it to low.',
    'A new VPN or SASE provider: add its ASN to allowlists.vpnAsns (or its egress to allowlists.trustedIps), after ' +
      'which its addresses are no place.',
  ],
  references: [
    'https://attack.mitre.org/techniques/T1557/',
    'https://attack.mitre.org/techniques/T1539/',
    'https://www.microsoft.com/en-us/security/blog/2022/07/12/from-cookie-theft-to-bec-attackers-use-aitm-phishing-sites-as-entry-point-to-further-financial-fraud/',
    'https://learn.microsoft.com/entra/id-protection/concept-identity-protection-risks#unfamiliar-sign-in-properties',
  ],
  status: 'experimental',
  inputs: {
    facts: ['signin.interactive', 'ip'],
    anyOf: [['location', 'asn']],
    sources: ['entra.signin', 'entra.signin.noninteractive'],
  },
  tunables: {
    history: { type: 'duration', default: 30 * DAY, min: DAY, max: 400 * DAY, help: 'how long a network and a country stay known after the user last signed in from them' },
    warmup: { type: 'duration', default: 3 * DAY, min: 0, max: 90 * DAY, help: 'learning time per user before new places alert (new users never fire before it)' },
    nonInteractive: { type: 'boolean', default: false, help: 'also learn from non-interactive sign-ins (token refreshes: far more events; they never alert)' },
  },
  suppressMs: DAY,
  detect: (t) => {
    const on: Selector = {
      actions: ['signin'],
      sources: t.nonInteractive ? ['entra.signin', 'entra.signin.noninteractive'] : ['entra.signin'],
      where: (ev) => ev.outcome === 'success' && ev.actor.kind === 'user',
    };
    return firstSeen({
      on,
      key: (ev) => userOf(ev),
      value: placeValue,
      historyMs: t.history,
      warmupMs: t.warmup,
      // only an interactive sign-in that completed MFA in this very sign-in (not a claim in a token) may fire
      alertIf: (ev) => ev.source === 'entra.signin' && ev.auth?.mfa === 'satisfied',
      alert: (m, ctx) => {
        if (m.value === NO_PLACE) return undefined;
        const ev = m.event;
        const { net, country } = splitPlace(m.value);
        if (country === '?' || net === TRUSTED) return undefined;
        const places = m.known.filter((v) => v !== NO_PLACE).map(splitPlace);
        const distinct = [...new Set(places.map((p) => `${p.net}|${p.country}`))].map((v) => splitPlace(v));
        const knownNets = new Set(places.map((p) => p.net));
        const knownCountries = new Set(places.map((p) => p.country).filter((c) => c !== '?'));
        // a familiar network abroad (airline / hotel chain Wi-Fi, roaming carrier): not this rule
        if (knownNets.has(net)) return undefined;
        const kind = asnKindOf(ev, ctx);
        const countryKnown = knownCountries.has(country);
        // a new network at home is everyday life (new ISP, hotspot) unless it is a rented server
        if (countryKnown && kind !== 'hosting') return undefined;

        const device = registeredDevice(ev);
        const risk = ev.risk?.level?.toLowerCase();
        const risky = risk !== undefined && RISKY.has(risk);
        const privileged = ctx.enrich.isPrivileged(ev.actor.user, ev.actor.userId);
        // the user's recent sign-ins came from a registered device, this one does not
        const usesDevice = places.some((p) => p.device);
        const notes: string[] = [];
        let severity: Severity;
        if (countryKnown) {
          severity = 'low';
          notes.push(`the network is a hosting / cloud provider, but ${country} is a known country for the user`);
        } else if (device && risk !== 'high') {
          severity = 'low';
          notes.push('the device is registered with Entra ID, which a phishing proxy cannot present (a traveller with their laptop?)');
        } else if (kind === 'hosting' || risky) {
          severity = 'high';
          if (kind === 'hosting') notes.push('the network is a hosting / cloud provider, where phishing proxies run');
          if (risky) notes.push(`Identity Protection rated the sign-in ${risk} risk${ev.risk?.types?.length ? ` (${ev.risk.types.join(', ')})` : ''}`);
        } else if (kind === 'mobile') {
          severity = 'low';
          notes.push('the network is a mobile carrier, whose addresses geolocate coarsely');
        } else if (usesDevice) {
          severity = 'medium';
          notes.push("the user's other sign-ins come from a registered device, this one from an unregistered one");
        } else {
          severity = 'low';
          notes.push(places.length
            ? 'the user signs in from unregistered devices anyway, so this looks like any trip (confirm it)'
            : 'the user has no placed sign-in in the window (VPN / SASE only), so every place is new');
        }
        if (privileged) notes.push('the account is privileged');
        const asn = asnOf(ev, ctx);
        const asnName = asn !== undefined ? ctx.enrich.asnName?.(asn) : undefined;
        const where = `${ev.actor.ip ?? 'no IP'} (${net}${asnName ? ` ${asnName}` : ''}${kind ? `, ${kind}` : ''}) in ${country}`;
        const knownText = distinct.length ? listSome(distinct.map((p) => `${p.net === TRUSTED ? 'a trusted network' : p.net} in ${p.country}`)) : 'none placed';
        const explanation =
          `${m.key} completed MFA (${(ev.auth?.methods ?? []).join(', ') || 'method not recorded'}) in an interactive sign-in ` +
          `to ${ev.actor.appName ?? ev.actor.appId ?? 'an app'} from ${where} at ${iso(ev.time)}. ` +
          `${countryKnown ? `The network is new (${country} is not): it is not` : 'Neither the network nor the country is'} among the user's ` +
          `${distinct.length} known sign-in place${distinct.length === 1 ? '' : 's'} of the last ${humanDuration(m.historyMs)} ` +
          `(${knownText}; learning since ${iso(m.keySince)}).` +
          (notes.length ? ` Also: ${notes.join('; ')}.` : '') +
          ' An adversary-in-the-middle proxy completes MFA for the victim from its own network; check whether the user was there.';
        return {
          title: `${m.key} signed in with MFA from new network ${net} in ${countryKnown ? '' : 'new country '}${country}`,
          severity,
          entities: entities(userEntity(ev), ipEntity(ev.actor.ip), asnEntity(asn)),
          explanation,
          facts: {
            newNetwork: net,
            country,
            newCountry: !countryKnown,
            knownPlaces: distinct.map((p) => `${p.net}|${p.country}`),
            knownCount: distinct.length,
            usualDeviceRegistered: usesDevice,
            historyDays: m.historyMs / DAY,
            learningSince: iso(m.keySince),
            registeredDevice: device,
            ...(kind ? { networkKind: kind } : {}),
            ...(risk ? { riskLevel: risk } : {}),
            privileged,
          },
        };
      },
    });
  },
  summarize: (ev) => `${ev.actor.user ?? ev.actor.userId ?? '?'} signed in from ${ev.actor.ip ?? 'no IP'}${ev.actor.geo?.country ? ` (${ev.actor.geo.country})` : ''}${ev.actor.asn !== undefined ? ` AS${ev.actor.asn}` : ''}`,
});
