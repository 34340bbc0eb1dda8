// TW-SIGNIN-013: MFA fatigue (push bombing): an account's MFA prompts are denied or left unanswered again and again
// from one source, then a prompt is approved from it. Every such prompt means the password was right.
import { HOUR, MINUTE, humanDuration } from '../../../config/tunables.js';
import type { Event } from '../../../core/event.js';
import { iso } from '../../../detect/alert.js';
import { threshold } from '../../../detect/spec.js';
import { asnEntity, entities, ipEntity, ipKey, plural, userEntity, userOf } from '../../lib.js';
import { defineRule } from '../../types.js';
import { ENTRA_USER_SIGNINS, appOf, asnOf, isUserSignin, privilegeText, signinSummary } from '../shared/attempts.js';

/**
 * 500121: "Authentication failed during strong authentication request" — the user declined the prompt, did not
 * answer it, or reported it as fraud. (50074 / 50076 are the ordinary "MFA required" interrupts every MFA sign-in
 * logs before its success; 50158 is how third-party MFA logs its own step: neither is a denial.)
 */
const DENIED_CODES = new Set(['500121']);

const denied = (ev: Event): boolean => ev.outcome !== 'success' && ev.reason !== undefined && DENIED_CODES.has(ev.reason.code);
const sourceOf = (ev: Event): string => ipKey(ev.actor.ip) ?? 'no address';

export const mfaFatigue = defineRule({
  id: 'TW-SIGNIN-013',
  title: 'MFA fatigue: prompts denied or unanswered again and again, then approved',
  severity: 'medium',
  tactics: ['credential-access', 'initial-access'],
  techniques: ['T1621', 'T1078.004'],
  description:
    'Within the window, sign-ins of one account from one source (IP address, IPv6 /64) end in MFA denied or not ' +
    'answered (500121) at least minPrompts times: someone who has the password keeps sending push prompts. Medium ' +
    'while the prompts are refused; high (critical for a privileged account) when a sign-in of the account from that ' +
    'source then succeeds — the user gave in.',
  whyItMatters:
    'An MFA prompt only reaches the phone after the password was accepted, so a stream of refused prompts is a ' +
    'stolen password at work; attackers send them at night or in bursts until the user approves one to make them ' +
    'stop. Number matching and a FIDO2 key end the technique; until then the approval is the takeover.',
  falsePositives: [
    'A user whose phone is out of reach while a laptop keeps retrying a sign-in (unanswered prompts from the office ' +
      'or home address, then an approval when the phone is back): check the address is the user\'s own and ask.',
    'A misconfigured client retrying a sign-in in a loop: the same app and user agent every few seconds.',
  ],
  references: [
    'https://attack.mitre.org/techniques/T1621/',
    'https://learn.microsoft.com/entra/identity/authentication/how-to-mfa-number-match',
    'https://learn.microsoft.com/entra/identity-platform/reference-error-codes',
  ],
  status: 'experimental',
  inputs: { facts: ['signin.failures'], sources: ['entra.signin', 'entra.signin.noninteractive'] },
  tunables: {
    window: { type: 'duration', default: HOUR, min: 5 * MINUTE, max: 24 * HOUR, help: 'refused prompts and the approval must fall within this window' },
    minPrompts: { type: 'integer', default: 5, min: 2, help: 'MFA prompts denied or unanswered from one source, at least' },
  },
  suppressMs: 6 * HOUR,
  detect: (t) =>
    threshold({
      on: { actions: ['signin'], sources: [...ENTRA_USER_SIGNINS], where: (ev) => isUserSignin(ev) && (denied(ev) || ev.outcome === 'success') },
      key: (ev) => `${userOf(ev)}|${sourceOf(ev)}`,
      // a success counts only after refused prompts from the same source (the key), and once
      admit: (ev, view) => denied(ev) || (view.size('denied') > 0 && view.size('ok') === 0),
      dims: {
        denied: (ev) => (denied(ev) ? ev.id : undefined),
        ok: (ev) => (ev.outcome === 'success' ? ev.id : undefined),
      },
      metric: 'denied',
      windowMs: t.window,
      min: t.minPrompts,
      // later prompts and the approval fold into the open alert; the approval raises it
      consume: false,
      condition: (m) => {
        if (m.event.outcome === 'success') return true;
        // more refused prompts cannot change an open alert (an approval can: it is a success, above)
        return m.open !== undefined && m.dims.denied !== t.minPrompts ? 'repeat' : true;
      },
      alert: (m, ctx) => {
        const ev = m.event;
        const user = userOf(ev)!;
        const approved = ev.outcome === 'success';
        const prompts = m.dims.denied!.distinct;
        const span = ev.time - m.firstTime;
        const privileged = ctx.enrich.isPrivileged(user, ev.actor.userId);
        const asn = asnOf(ev, ctx);
        let explanation =
          `${plural(prompts, 'MFA prompt')} of ${user} from ${ev.actor.ip ?? 'an unknown address'} were denied or not answered (500121) within ` +
          `${humanDuration(Math.max(span, 1000))} (threshold ${t.minPrompts} in ${humanDuration(t.window)}). Each prompt means the password was accepted.`;
        explanation += approved
          ? ` At ${iso(ev.time)} a sign-in of ${user} from the same address succeeded${appOf(ev) ? ` to ${appOf(ev)}` : ''}: the prompt was approved.`
          : ' No sign-in from that address has succeeded yet.';
        if (privileged) explanation += ` ${user} is ${privilegeText(ctx, user, ev.actor.userId)}.`;
        return {
          title: approved ? `${user} approved an MFA prompt after ${prompts} refused ones from ${ev.actor.ip ?? 'one address'}` : `MFA fatigue against ${user}: ${prompts} prompts refused from ${ev.actor.ip ?? 'one address'}`,
          severity: approved ? (privileged ? 'critical' : 'high') : 'medium',
          entities: entities(userEntity(ev, 'target'), ipEntity(ev.actor.ip), asnEntity(asn)),
          explanation,
          facts: { account: user, prompts, approved, spanMinutes: Math.round(span / MINUTE), windowMinutes: t.window / MINUTE, privileged, source: sourceOf(ev) },
        };
      },
    }),
  summarize: signinSummary,
});
