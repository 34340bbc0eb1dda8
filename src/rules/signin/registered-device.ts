// Whether a sign-in came from a device Entra ID knows. Shared by TW-SIGNIN-012 and TW-MAIL-005: an
// adversary-in-the-middle proxy relays the password and the MFA prompt but cannot present the victim's device.
import type { Event } from '../../core/event.js';

/** deviceDetail names a device id, a join type (Entra joined / hybrid joined / registered), or says managed or compliant. */
export function registeredDevice(ev: Event): boolean {
  if (ev.actor.deviceId) return true;
  const d = ev.details?.device as { trustType?: unknown; managed?: unknown; compliant?: unknown } | undefined;
  return (typeof d?.trustType === 'string' && d.trustType !== '') || d?.managed === true || d?.compliant === true;
}
