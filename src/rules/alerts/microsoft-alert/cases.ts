// Cases for TW-ALERT-001: SecurityComplianceAlerts records from the unified audit log (Management API JSON,
// Purview CSV) and Graph security alerts_v2 pages.
import { BASE, MINUTES, guid, ndjson } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { purviewCsv } from '../../exchange/records.js';
import { graphAlert, graphAlertPage, ualAlert } from '../records.js';

const ALEX = { upn: 'alex.wilber@contoso.com', id: guid('user|alex.wilber@contoso.com'), name: 'Alex Wilber' };

export const cases: RuleCase[] = [
  {
    name: '"Suspicious connector activity" in the unified audit log',
    kind: 'positive',
    why: 'Microsoft\'s High alert of the chain surfaces as high with its alert id as key',
    input: ndjson('connector-alert.ndjson', [ualAlert({ at: BASE, name: 'Suspicious connector activity', severity: 'High', alertId: 'c1d2e3f4-0001-4a00-8000-0000000000aa' })]),
    expect: { alerts: 1, severity: 'high', key: 'c1d2e3f4-0001-4a00-8000-0000000000aa', facts: { campaignAlert: true, microsoftSeverity: 'High' } },
  },
  {
    name: '"Tenant restricted from sending email": trigger and entity records of one alert (Purview CSV)',
    kind: 'positive',
    why: 'AlertTriggered and AlertEntityGenerated share the AlertId: one alert, the user named',
    input: purviewCsv('restricted.csv', [
      ualAlert({ at: BASE, name: 'Tenant restricted from sending email', severity: 'High', alertId: 'c1d2e3f4-0001-4a00-8000-0000000000cc' }),
      ualAlert({ at: BASE + MINUTES, name: 'Tenant restricted from sending email', severity: 'High', alertId: 'c1d2e3f4-0001-4a00-8000-0000000000cc', operation: 'AlertEntityGenerated', user: 'alex.wilber@contoso.com' }),
    ]),
    expect: { alerts: 1, severity: 'high', key: 'c1d2e3f4-0001-4a00-8000-0000000000cc' },
  },
  {
    name: 'a chain alert Microsoft rated Low is raised to high',
    kind: 'positive',
    why: '"User restricted from sending email" is one of the chain\'s policies: at least high',
    input: ndjson('user-restricted.ndjson', [ualAlert({ at: BASE, name: 'User restricted from sending email', severity: 'Low', alertId: 'c1d2e3f4-0001-4a00-8000-0000000000dd', user: 'alex.wilber@contoso.com' })]),
    expect: { alerts: 1, severity: 'high', facts: { microsoftSeverity: 'Low', campaignAlert: true } },
  },
  {
    name: 'Graph alerts_v2: "Email sending limit exceeded" with user, mailbox and IP evidence',
    kind: 'positive',
    why: 'Microsoft\'s medium stays medium; user, mailbox and IP become entities',
    input: graphAlertPage('alerts.json', [graphAlert({ at: BASE, id: 'da637f3e2d1c0b9a8f7e6d5c4b3a2918_1', title: 'Email sending limit exceeded', severity: 'medium', user: ALEX, mailbox: ALEX.upn, ip: '203.0.113.45', mitreTechniques: ['T1566'] })]),
    expect: { alerts: 1, severity: 'medium', key: 'da637f3e2d1c0b9a8f7e6d5c4b3a2918_1', facts: { mitreTechniques: ['T1566'], campaignAlert: false } },
  },
  {
    name: 'Graph alerts_v2: an informational alert about an OAuth app',
    kind: 'positive',
    why: 'informational stays informational (it still joins incidents by the app)',
    input: graphAlertPage('info.json', [graphAlert({ at: BASE, id: 'da637f3e2d1c0b9a8f7e6d5c4b3a2918_2', title: 'Unusual ISP for an OAuth App', severity: 'informational', serviceSource: 'microsoftDefenderForCloudApps', app: { appId: guid('app|mail-sync-helper'), objectId: guid('appobj|mail-sync-helper'), name: 'Mail Sync Helper' } })]),
    expect: { alerts: 1, severity: 'informational' },
  },
  {
    name: 'a Graph alert resolved as a false positive',
    kind: 'negative',
    why: 'classification falsePositive: Microsoft\'s analyst closed it',
    input: graphAlertPage('fp.json', [graphAlert({ at: BASE, id: 'da637f3e2d1c0b9a8f7e6d5c4b3a2918_3', title: 'Email sending limit exceeded', severity: 'medium', status: 'resolved', classification: 'falsePositive', user: ALEX })]),
    expect: { alerts: 0 },
  },
  {
    name: 'a dismissed audit-log alert',
    kind: 'negative',
    why: 'Status Dismissed: closed as not a threat',
    input: ndjson('dismissed.ndjson', [ualAlert({ at: BASE, name: 'Email sending limit exceeded', severity: 'Medium', alertId: 'c1d2e3f4-0001-4a00-8000-0000000000ee', status: 'Dismissed', operation: 'AlertUpdated' })]),
    expect: { alerts: 0 },
  },
];
