// Shared by the domain rules: what a federation change did, read from the decoded modified properties.
import type { Event } from '../../core/event.js';

const AUTH_PROPS = /^(livetype|authenticationtype|authentication)$/i;

function first(v: unknown): string | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' && x.trim() ? x.trim() : undefined;
}

/** The authentication type before and after ("Managed" / "Federated"), when the record says. */
export function authenticationChange(ev: Event): { from?: string; to?: string } {
  for (const t of ev.targets) {
    for (const [name, v] of Object.entries(t.modified ?? {})) {
      if (!AUTH_PROPS.test(name)) continue;
      const out: { from?: string; to?: string } = {};
      const from = first(v.old);
      const to = first(v.new);
      if (from) out.from = from;
      if (to) out.to = to;
      return out;
    }
  }
  return {};
}

/** A change back to cloud authentication (Federated -> Managed) hands an attacker nothing: migrations off AD FS. */
export const isDefederation = (ev: Event): boolean => authenticationChange(ev).to?.toLowerCase() === 'managed';

/** Federation properties the record names (issuer, sign-in URLs, signing certificate). */
export function federationProperties(ev: Event): string[] {
  const out = new Set<string>();
  for (const t of ev.targets) {
    for (const [name, v] of Object.entries(t.modified ?? {})) {
      if (name === 'Included Updated Properties') {
        const s = typeof v.new === 'string' ? v.new : Array.isArray(v.new) ? v.new.join(',') : '';
        for (const p of s.split(',')) if (p.trim()) out.add(p.trim());
      } else out.add(name);
    }
  }
  return [...out];
}

/** The new issuer URI a federation change set, when the record carries it. */
export function newIssuer(ev: Event): string | undefined {
  for (const t of ev.targets) {
    for (const [name, v] of Object.entries(t.modified ?? {})) if (/^issueruri$/i.test(name)) return first(v.new);
  }
  return undefined;
}

/**
 * The decoder reports an "Update domain" without modified properties as a federation change (the UAL may omit
 * them): such a record says nothing about what changed, so rules rate it lower and sequences do not count it.
 */
export function isVagueUpdate(ev: Event): boolean {
  return /^update domain$/i.test(ev.operation) && authenticationChange(ev).to === undefined && federationProperties(ev).length === 0;
}
