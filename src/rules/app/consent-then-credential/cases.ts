// Cases for TW-APP-001, as raw directoryAudit records (Graph and diagnostic-settings AuditLogs shapes) and, at the
// end, unified audit log Audit.AzureActiveDirectory records ("Add app role assignment to service principal.").
import { BASE, MINUTES, diagAudit, graphAudit, guid, ndjson, q, type AuditOpts } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { auditFile } from '../audit-records.js';
import { EXO as EXO_SP, appCredential, appRoleAssignment, consent as consentTo, key, spCredential } from '../changes.js';

const APP = { id: guid('app|mail-sync'), name: 'Mail Sync Helper' };
const OTHER = { id: guid('app|hr-portal'), name: 'HR Portal' };
const EXO = { spId: guid('sp|exo'), appId: '00000002-0000-0ff1-ce00-000000000000' };
const ATTACKER = { user: 'it-admin@contoso.com', ip: '203.0.113.50' };
const HOURS = 60 * MINUTES;

/** "Add app role assignment to service principal": Exchange.ManageAsApp granted to the app's service principal. */
function appRole(at: number, app = APP): AuditOpts {
  return {
    at,
    activity: 'Add app role assignment to service principal',
    operationType: 'Assign',
    by: ATTACKER,
    appId: app.id,
    targets: [
      {
        type: 'ServicePrincipal', id: EXO.spId, displayName: 'Office 365 Exchange Online',
        modified: [
          ['AppRole.Id', null, q('dc50a0fb-09a3-484d-be87-e023b12c6440')],
          ['AppRole.Value', null, q('Exchange.ManageAsApp')],
          ['AppRole.DisplayName', null, q('Manage Exchange As Application')],
          ['ServicePrincipal.ObjectID', null, q(guid(`sp|${app.id}`))],
          ['ServicePrincipal.DisplayName', null, q(app.name)],
          ['ServicePrincipal.AppId', null, q(app.id)],
        ],
      },
      { type: 'ServicePrincipal', id: guid(`sp|${app.id}`), displayName: app.id },
    ],
  };
}

/** "Consent to application" with delegated User.Read for all principals. */
function consent(at: number, app = APP, scope = 'User.Read'): AuditOpts {
  return {
    at,
    activity: 'Consent to application',
    operationType: 'Assign',
    by: ATTACKER,
    targets: [
      {
        type: 'ServicePrincipal', id: guid(`sp|${app.id}`), displayName: app.name,
        modified: [
          ['ConsentContext.IsAdminConsent', null, q('True')],
          ['ConsentContext.IsAppOnly', null, q('False')],
          ['ConsentContext.OnBehalfOfAll', null, q('True')],
          ['ConsentAction.Permissions', null, q(`[] => [[Id: ${guid('grant|' + app.id)}, ClientId: ${guid(`sp|${app.id}`)}, PrincipalId: , ResourceId: ${guid('sp|graph')}, ConsentType: AllPrincipals, Scope: ${scope}, CreatedDateTime: , LastModifiedDateTime ]]; `)],
          ['TargetId.ServicePrincipalNames', null, q(app.id)],
        ],
      },
    ],
  };
}

/** "Consent to application" for an app-only admin consent: the permissions are in the app role assignments. */
function appOnlyConsent(at: number, app = APP): AuditOpts {
  return {
    at,
    activity: 'Consent to application',
    operationType: 'Assign',
    by: ATTACKER,
    targets: [
      {
        type: 'ServicePrincipal', id: guid(`sp|${app.id}`), displayName: app.name,
        modified: [
          ['ConsentContext.IsAdminConsent', null, q('True')],
          ['ConsentContext.IsAppOnly', null, q('True')],
          ['ConsentContext.OnBehalfOfAll', null, q('True')],
          ['ConsentAction.Permissions', null, q('[] => []; ')],
          ['TargetId.ServicePrincipalNames', null, q(app.id)],
        ],
      },
    ],
  };
}

/** "Update application – Certificates and secrets management " (en dash and trailing space, as Entra writes it). */
function appSecret(at: number, app = APP, result: 'success' | 'failure' = 'success'): AuditOpts {
  return {
    at,
    activity: 'Update application \u2013 Certificates and secrets management ',
    by: ATTACKER,
    appId: app.id,
    result,
    targets: [
      {
        type: 'Application', id: guid(`appobj|${app.id}`), displayName: app.name,
        modified: [
          ['KeyDescription', '[]', JSON.stringify([`[KeyIdentifier=${guid('key|' + at)},KeyType=Password,KeyUsage=Verify,DisplayName=sync]`])],
          ['Included Updated Properties', null, q('KeyDescription')],
        ],
      },
    ],
  };
}

/** "Add service principal credentials" on the app's service principal. */
function spSecret(at: number, app = APP): AuditOpts {
  return {
    at,
    activity: 'Add service principal credentials',
    by: ATTACKER,
    appId: app.id,
    targets: [
      {
        type: 'ServicePrincipal', id: guid(`sp|${app.id}`), displayName: app.name,
        modified: [['KeyDescription', '[]', JSON.stringify([`[KeyIdentifier=${guid('spkey|' + at)},KeyType=Password,KeyUsage=Verify,DisplayName=]`])]],
      },
    ],
  };
}

export const cases: RuleCase[] = [
  {
    name: 'Exchange.ManageAsApp granted, secret added 20 minutes later (the 2022 chain)',
    kind: 'positive',
    why: 'app-role grant then application secret on the same appId inside 24 hours; high-risk permission = critical',
    input: ndjson('chain.ndjson', [diagAudit(appRole(BASE)), diagAudit(appSecret(BASE + 20 * MINUTES))]),
    expect: { alerts: 1, severity: 'critical', key: APP.id, facts: { highRiskPermissions: ['Exchange.ManageAsApp'] } },
  },
  {
    name: 'admin consent for User.Read, service principal credential three hours later',
    kind: 'positive',
    why: 'consent is a grant too, and a service-principal credential is a credential too; no high-risk scope and a person acting = low (an admin setting up an app looks the same)',
    input: ndjson('consent.ndjson', [graphAudit(consent(BASE)), graphAudit(spSecret(BASE + 3 * HOURS))]),
    expect: { alerts: 1, severity: 'low', key: APP.id, facts: { credentialByApp: false, highRiskPermissions: [] } },
  },
  {
    name: 'app-only admin consent after the app role assignment, then a secret',
    kind: 'positive',
    why: 'the consent record of an app-only grant names no permission ("[] => []"): the app role assignment before it still decides (critical)',
    input: ndjson('app-only.ndjson', [diagAudit(appRole(BASE)), diagAudit(appOnlyConsent(BASE + 4000)), diagAudit(appSecret(BASE + 2 * MINUTES))]),
    expect: { alerts: 1, severity: 'critical', key: APP.id, facts: { highRiskPermissions: ['Exchange.ManageAsApp'] } },
  },
  {
    name: 'an app adds the credential after a sign-in-scope consent',
    kind: 'positive',
    why: 'a credential added by an app (its own token, not a person) after a grant is how an app keeps itself alive: high',
    input: ndjson('by-app.ndjson', [graphAudit(consent(BASE)), graphAudit({ ...spSecret(BASE + HOURS), by: { app: { id: OTHER.id, name: OTHER.name } } })]),
    expect: { alerts: 1, severity: 'high', key: APP.id, facts: { credentialByApp: true } },
  },
  {
    name: 'two more secrets within the window fold into the same alert',
    kind: 'positive',
    why: 'repeats of the last step within the suppression period are occurrences of one alert, not new alerts',
    input: ndjson('repeat.ndjson', [graphAudit(consent(BASE)), graphAudit(spSecret(BASE + HOURS)), graphAudit(appSecret(BASE + 2 * HOURS)), graphAudit(spSecret(BASE + 3 * HOURS))]),
    expect: { alerts: 1, key: APP.id },
  },
  {
    name: 'secret added 24 hours and one minute after the grant',
    kind: 'negative',
    why: 'just outside the 24-hour window',
    input: ndjson('late.ndjson', [graphAudit(consent(BASE)), graphAudit(appSecret(BASE + 24 * HOURS + MINUTES))]),
    expect: { alerts: 0 },
  },
  {
    name: 'secret added before the grant',
    kind: 'negative',
    why: 'order matters: a credential that predates the grant is routine app setup',
    input: ndjson('reversed.ndjson', [graphAudit(appSecret(BASE)), graphAudit(appRole(BASE + 10 * MINUTES))]),
    expect: { alerts: 0 },
  },
  {
    name: 'grant for one app, secret for another',
    kind: 'lookalike',
    why: 'the sequence is per appId',
    input: ndjson('two-apps.ndjson', [graphAudit(appRole(BASE, APP)), graphAudit(appSecret(BASE + 10 * MINUTES, OTHER))]),
    expect: { alerts: 0 },
  },
  {
    name: 'the secret change failed',
    kind: 'lookalike',
    why: 'only successful changes count',
    input: ndjson('failed.ndjson', [graphAudit(consent(BASE)), graphAudit(appSecret(BASE + 10 * MINUTES, APP, 'failure'))]),
    expect: { alerts: 0 },
  },
  {
    name: "tenantwatch's own collector app being set up",
    kind: 'lookalike',
    why: 'allowlists.collectorAppId is expected to get permissions and a secret',
    input: ndjson('collector.ndjson', [graphAudit(appRole(BASE)), graphAudit(appSecret(BASE + 5 * MINUTES))]),
    config: `allowlists:\n  collectorAppId: ${APP.id}\n`,
    expect: { alerts: 0 },
  },
  // --- the unified audit log (RecordType 8, trailing periods, ModifiedProperties Name/NewValue/OldValue) ---
  {
    name: 'UAL: Exchange.ManageAsApp granted, application secret 20 minutes later',
    kind: 'positive',
    why: 'the same chain as the first case, from the Management Activity API / Purview export',
    input: auditFile('ual', 'chain', [
      appRoleAssignment(BASE, APP, { by: ATTACKER, value: 'Exchange.ManageAsApp', id: 'dc50a0fb-09a3-484d-be87-e023b12c6440', resource: EXO_SP }),
      appCredential(BASE + 20 * MINUTES, APP, key('ual-1'), { by: ATTACKER, existing: [] }),
    ]),
    expect: { alerts: 1, severity: 'critical', key: APP.id, facts: { highRiskPermissions: ['Exchange.ManageAsApp'] } },
  },
  {
    name: 'UAL: admin consent to Mail.ReadWrite, then "Add service principal credentials."',
    kind: 'positive',
    why: 'a consent record with a high-risk delegated scope, then a service-principal credential: critical',
    input: auditFile('ual', 'consent', [
      consentTo(BASE, APP, { by: ATTACKER, scopes: ['Mail.ReadWrite', 'offline_access'], admin: true }),
      spCredential(BASE + 2 * HOURS, APP, key('ual-2'), { by: ATTACKER }),
    ]),
    expect: { alerts: 1, severity: 'critical', key: APP.id, facts: { permissions: ['Mail.ReadWrite', 'offline_access'] } },
  },
  {
    name: 'grant in the diagnostic export, secret in the UAL',
    kind: 'positive',
    why: 'the two pipelines join on appId (both records carry the tenant id)',
    input: [
      auditFile('diag', 'grant', [appRoleAssignment(BASE, APP, { by: ATTACKER, value: 'Exchange.ManageAsApp', id: 'dc50a0fb-09a3-484d-be87-e023b12c6440', resource: EXO_SP })]),
      auditFile('ual', 'secret', [appCredential(BASE + HOURS, APP, key('ual-3'), { by: ATTACKER, existing: [] })]),
    ],
    expect: { alerts: 1, severity: 'critical', key: APP.id },
  },
  {
    name: 'UAL: secret added 24 hours and one minute after the grant',
    kind: 'negative',
    why: 'just outside the window, in the UAL shape',
    input: auditFile('ual', 'late', [
      appRoleAssignment(BASE, APP, { by: ATTACKER, value: 'Exchange.ManageAsApp', id: 'dc50a0fb-09a3-484d-be87-e023b12c6440', resource: EXO_SP }),
      appCredential(BASE + 24 * HOURS + MINUTES, APP, key('ual-4'), { by: ATTACKER, existing: [] }),
    ]),
    expect: { alerts: 0 },
  },
];
