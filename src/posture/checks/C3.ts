import { at, bool, missing, num, single } from '../kit.js';
import type { Check } from '../types.js';

export const C3: Check = {
  id: 'C3',
  title: 'Admin consent request workflow is on with reviewers',
  severity: 'medium',
  stage: 'oauth-app',
  mappings: { scubagear: ['MS.AAD.5.3v1'], maester: ['CISA.MS.AAD.5.3', 'EIDSCA.CR01', 'EIDSCA.CR02', 'EIDSCA.CR03', 'EIDSCA.CR04'], cis: ['5.1.5.2'] },
  needs: ['graph/v1.0/policies/adminConsentRequestPolicy.json'],
  remediation: 'Enterprise apps > Admin consent settings: "Users can request admin consent" = Yes, pick reviewers, turn on email notifications and reminders, and expire requests after 30 days or less.',
  run(ctx) {
    const c = ctx.snapshot.graph('v1.0', 'policies/adminConsentRequestPolicy');
    const p = single(c);
    if (!p) return missing(c);
    const on = bool(p, 'isEnabled');
    if (on === undefined) return { status: 'Error', details: 'adminConsentRequestPolicy has no isEnabled.' };
    if (!on) return { status: 'Fail', details: 'The admin consent request workflow is off: blocked users work around it, or consent gets opened up.' };
    const reviewers = at(p, 'reviewers');
    const problems: string[] = [];
    if (!Array.isArray(reviewers) || reviewers.length === 0) problems.push('no reviewers');
    if (bool(p, 'notifyReviewers') === false) problems.push('reviewers are not notified');
    if (bool(p, 'remindersEnabled') === false) problems.push('reminders are off');
    const days = num(p, 'requestDurationInDays');
    if (days !== undefined && days > 30) problems.push(`requests last ${days} days`);
    if (problems.length) return { status: 'Warn', details: `The workflow is on but ${problems.join(', ')}.` };
    return { status: 'Pass', details: 'The admin consent workflow is on with reviewers, notifications and reminders.' };
  },
};
