import { missing, num, str } from '../kit.js';
import type { AuditObject, Check } from '../types.js';

export const D2: Check = {
  id: 'D2',
  title: 'Outbound spam limits are set and block the sender',
  severity: 'high',
  stage: 'connector-spam',
  mappings: { maester: ['ORCA.103'], cis: ['2.1.15'] },
  needs: ['exchange/Get-HostedOutboundSpamFilterPolicy.json'],
  remediation: 'Set-HostedOutboundSpamFilterPolicy -RecipientLimitExternalPerHour 500 -RecipientLimitInternalPerHour 1000 -RecipientLimitPerDay 1000 -ActionWhenThresholdReached BlockUser (for the default and every custom policy).',
  run(ctx) {
    const c = ctx.snapshot.exchange('Get-HostedOutboundSpamFilterPolicy');
    if (c.state !== 'ok' || !c.items.length) return missing(c);
    const objects: AuditObject[] = [];
    for (const p of c.items) {
      const problems: string[] = [];
      for (const [prop, max] of [['RecipientLimitExternalPerHour', 500], ['RecipientLimitInternalPerHour', 1000], ['RecipientLimitPerDay', 1000]] as const) {
        const v = num(p, prop);
        if (v === undefined) problems.push(`${prop} not reported`);
        else if (v === 0) problems.push(`${prop} is 0 (service default, not an explicit limit)`);
        else if (v > max) problems.push(`${prop} is ${v} (> ${max})`);
      }
      const action = str(p, 'ActionWhenThresholdReached');
      if (!action || action.toLowerCase() !== 'blockuser') problems.push(`ActionWhenThresholdReached is ${action ?? 'not reported'} (want BlockUser)`);
      if (problems.length) objects.push({ type: 'policy', id: str(p, 'Identity') ?? str(p, 'Name'), name: str(p, 'Name') ?? str(p, 'Identity') ?? '(policy)', reason: problems.join('; ') });
    }
    if (objects.some((o) => /not reported/.test(o.reason)) && objects.every((o) => /not reported/.test(o.reason) && !/is \d/.test(o.reason))) {
      return { status: 'Error', details: 'The outbound spam policies lack the recipient-limit properties.', objects };
    }
    if (objects.length) return { status: 'Fail', details: `${objects.length} outbound spam polic${objects.length === 1 ? 'y does' : 'ies do'} not cap sending at CIS levels: a compromised account can send thousands of messages before anyone notices.`, objects, causes: true };
    return { status: 'Pass', details: `All ${c.items.length} outbound spam policies cap sending and block the user when the limit is hit.` };
  },
};
