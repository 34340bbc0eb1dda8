// Cases for TW-SP-002: a credential change (Azure Monitor AuditLogs or UAL record) then ServicePrincipalSignInLogs.
import { diagSpSignIn, guid, MINUTES, ndjson } from '../../records.js';
import { BASE, DAYS, recordIn, type Shape } from '../../app/audit-records.js';
import { appCredential, key, spCredential } from '../../app/changes.js';
import type { RuleCase } from '../../types.js';

const APP = { id: guid('app|mailer-sync'), name: 'Mailer Sync' };
const ADMIN = { user: 'it.admin@contoso.example', ip: '198.51.100.7' };
const GRAPH = { id: '00000003-0000-0000-c000-000000000000', name: 'Microsoft Graph' };

function secretThenSignIn(shape: Shape, after: number, signIn: Partial<Parameters<typeof diagSpSignIn>[0]> = {}, sp = false) {
  const change = sp ? spCredential(BASE, APP, key('s1'), { by: ADMIN }) : appCredential(BASE, APP, key('s1'), { by: ADMIN });
  return [recordIn(shape, change), diagSpSignIn({ at: BASE + after, app: APP, ip: '203.0.113.80', asn: 64511, ...signIn })];
}

export const cases: RuleCase[] = [
  {
    name: 'secret added (Entra audit), the app signs in to Exchange Online 14 days later from a new network',
    kind: 'positive',
    why: 'the campaign: a dormant app uses its new secret against Exchange Online',
    input: ndjson('sp2-diag.ndjson', secretThenSignIn('diag', 14 * DAYS)),
    expect: { alerts: 1, severity: 'high', key: APP.id, facts: { daysBetween: 14, signInIp: '203.0.113.80' } },
  },
  {
    name: 'a new integration signs in to Graph two days after its secret and again 31 days later: one alert, not two',
    kind: 'positive',
    why: 'the credential window is 90 days: the same credential\'s routine sign-ins a month on fold into the first alert',
    input: ndjson('sp2-monthly.ndjson', [
      ...secretThenSignIn('diag', 2 * DAYS, { resource: GRAPH }),
      diagSpSignIn({ at: BASE + 33 * DAYS, app: APP, ip: '203.0.113.80', asn: 64511, resource: GRAPH }),
    ]),
    expect: { alerts: 1, severity: 'low', key: APP.id, facts: { daysBetween: 2 } },
  },
  {
    name: 'service principal credential (UAL record), sign-in to Microsoft Graph from an ordinary network: low',
    kind: 'positive',
    why: 'same chain in the unified audit log shape; Graph from a non-hosting network is how every integration starts',
    input: ndjson('sp2-ual.ndjson', secretThenSignIn('ual', 2 * DAYS, { resource: GRAPH }, true)),
    expect: { alerts: 1, severity: 'low', key: APP.id },
  },
  {
    name: 'the app signs in from the IP the administrator added the secret from: low',
    kind: 'positive',
    why: 'a line-of-business app set up and run from the same office network looks like this',
    input: ndjson('sp2-same-ip.ndjson', secretThenSignIn('diag', 1 * DAYS, { ip: ADMIN.ip, asn: 64500 })),
    expect: { alerts: 1, severity: 'low', key: APP.id },
  },
  {
    name: 'secret rotated on an app that already had one, then its sign-in from a non-hosting network: low',
    kind: 'positive',
    why: 'owners rotate secrets and the app keeps running; a credential slipped into an existing app is TW-APP-003\'s finding',
    input: ndjson('sp2-rotation.ndjson', [
      recordIn('diag', appCredential(BASE, APP, key('s2'), { by: ADMIN, existing: [key('s1')] })),
      diagSpSignIn({ at: BASE + 3 * DAYS, app: APP, ip: '203.0.113.80', asn: 64511 }),
    ]),
    expect: { alerts: 1, severity: 'low', key: APP.id, facts: { rotation: true } },
  },
  {
    name: 'sign-in 90 days and a minute after the credential',
    kind: 'negative',
    why: 'just outside the 90-day window',
    input: ndjson('sp2-late.ndjson', secretThenSignIn('diag', 90 * DAYS + MINUTES)),
    expect: { alerts: 0 },
  },
  {
    name: 'an app signs in without any credential change in the input',
    kind: 'lookalike',
    why: 'routine app sign-ins are TW-SP-001\'s business, not this rule\'s',
    input: ndjson('sp2-no-change.ndjson', [diagSpSignIn({ at: BASE, app: APP, ip: '203.0.113.80', asn: 64511 })]),
    expect: { alerts: 0 },
  },
  {
    name: 'a failed sign-in (bad secret) after the change',
    kind: 'negative',
    why: 'only successful sign-ins use the credential',
    input: ndjson('sp2-failed.ndjson', secretThenSignIn('diag', DAYS, { code: 7000215 })),
    expect: { alerts: 0 },
  },
];
