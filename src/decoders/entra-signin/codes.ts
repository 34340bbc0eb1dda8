// Sign-in result codes (status.errorCode / ResultType / "Sign-in error code") and what they mean for us.
// Sources: /work/shared/reference/detections.md §3 (Microsoft's AADSTS reference + peer rules) and the Entra
// portal's own Success/Interrupted/Failure classification. Decisions are written up in docs/formats/entra-signin.md.
import type { Outcome } from '../../core/event.js';

/**
 * Codes the portal shows as "Interrupted": the flow stopped for another step (KMSI prompt, MFA, enrolment,
 * password expiry, device or consent prompt, SSO hiccup) rather than rejecting the credential outright.
 */
const INTERRUPTED = new Set([
  16000, 16001, 16003, 50055, 50058, 50059, 50072, 50074, 50076, 50078, 50079, 50097, 50125, 50127, 50129, 50140,
  50143, 50144, 50158, 50199, 51006, 52004, 65001, 81010, 81012, 81014,
]);

/**
 * Codes that are only reached after the primary credential (password) was accepted: MFA / enrolment / CA /
 * device / KMSI steps, expired-but-correct passwords. A stuffing hit against an MFA-protected account shows up
 * as one of these instead of 0. 50057 (disabled account) is left out: Entra may reject it before checking
 * the password. Token-refresh codes (70043/70044) are left out: no password was presented.
 */
const PASSWORD_VERIFIED = new Set([
  50005, 50055, 50072, 50074, 50076, 50078, 50079, 50097, 50105, 50125, 50129, 50131, 50135, 50140, 50142, 50144,
  50155, 50158, 50199, 53000, 53001, 53002, 53003, 53004, 500121, 530032, 530035,
]);

/** Codes that say the password itself was wrong. */
const PASSWORD_WRONG = new Set([50126]);

/** MFA was demanded in this sign-in and not passed (denied, not answered, external challenge failed). */
const MFA_NOT_PASSED = new Set([500121, 50074, 50076, 50158]);

export function outcomeForCode(code: number): Outcome {
  if (code === 0) return 'success';
  return INTERRUPTED.has(code) ? 'interrupted' : 'failure';
}

/** true: the code implies a correct password; false: the code says it was wrong; undefined: no password fact. */
export function passwordFactForCode(code: number): boolean | undefined {
  if (PASSWORD_VERIFIED.has(code)) return true;
  if (PASSWORD_WRONG.has(code)) return false;
  return undefined;
}

export function mfaNotPassed(code: number): boolean {
  return MFA_NOT_PASSED.has(code);
}

/** Outcome from a textual status ("Success", "Failure", "Interrupted", Sentinel SP tables' "Success"/"Failure"). */
export function outcomeForText(s: string | undefined): Outcome | undefined {
  if (!s) return undefined;
  const v = s.trim().toLowerCase();
  if (v === 'success' || v === 'succeeded') return 'success';
  if (v === 'failure' || v === 'failed') return 'failure';
  if (v === 'interrupted') return 'interrupted';
  return undefined;
}
