// Test data for the HTML report: a complete hunt report (every section filled) whose log-derived strings are
// hostile — script tags, event handlers, javascript: URLs, tag breakouts for every raw-text context (</script>,
// </title>, </style>, </text>), U+202E overrides, a 10 kB name — placed where real logs put attacker text: app
// names, connector comments, mail subjects, user agents, UPNs, file names, raw records.
// Each payload that could run calls __tw_pwned(n) / sets window.__pwned / alert() / console.log, and each payload
// that could load something points at https://evil.invalid, so a browser test can see whether anything fired.
import type { Alert, Evidence } from '../../detect/alert.js';
import type { AuditReport } from '../../posture/types.js';
import type { HuntReport, Incident } from '../types.js';

/** Short hostile strings. Each must end up on the page as visible text, and none may run or load anything. */
export const PAYLOADS = {
  script: '<script>window.__pwned=1;console.log("pwned-1");alert(1)</script>',
  img: '"><img src=x onerror="window.__pwned=2;alert(2)">',
  imgSingle: "'><img src=x onerror=alert(3)>",
  svg: '<svg onload=alert(4)><circle r=9 /></svg>',
  jsUrl: 'javascript:alert(5)//',
  anchor: '<a href="javascript:window.__pwned=6">click me</a>',
  endScript: '</script><script>window.__pwned=7</script>',
  endTitle: '</title><script>window.__pwned=8</script>',
  endStyle: '</style><script>window.__pwned=9</script><style>',
  endSvgText: '</text></svg><script>window.__pwned=10</script>',
  details: '<details open ontoggle="window.__pwned=11">x</details>',
  iframe: '<iframe src="javascript:parent.__pwned=12"></iframe>',
  refresh: '<meta http-equiv="refresh" content="0;url=https://evil.invalid/refresh">',
  remote: '<img src="https://evil.invalid/pixel.png"><link rel=stylesheet href="https://evil.invalid/x.css">',
  base: '<base href="https://evil.invalid/">',
  styleAttr: '<p style="background:url(https://evil.invalid/bg.png)">styled</p>',
  comment: '<!-- --><!--<script>window.__pwned=13</script>-->',
  cdata: ']]><![CDATA[<script>window.__pwned=14</script>]]>',
  entity: '&lt;script&gt;window.__pwned=15&lt;/script&gt; &amp; &#x3C;b&#x3E;',
  backtick: '`${window.__pwned=16}` {{constructor.constructor("alert(16)")()}}',
  rtl: 'invoice\u202Egpj.exe',
  zeroWidth: 'admin\u200b@contoso.example\u2066x\u2069',
  control: 'bell\u0007 esc\u001b[31m red nul-free',
} as const;

/** A 10 kB name: one unbroken run (the worst case for layout) ending in a tag. */
export const LONG_NAME = 'A'.repeat(10_200) + '<b>end</b>';

export const hostileUserAgent = `Mozilla/5.0 ${PAYLOADS.script} ${PAYLOADS.img}`;
export const hostileAppName = `Contoso Sync ${PAYLOADS.img} ${PAYLOADS.rtl}`;
export const hostileConnectorComment = `Partner relay ${PAYLOADS.endScript} ${PAYLOADS.anchor}`;
export const hostileSubject = `Invoice ${PAYLOADS.svg} ${PAYLOADS.jsUrl} ${PAYLOADS.details}`;
export const hostileConnectorName = `Relay ${PAYLOADS.endSvgText}`;
export const hostileUpn = `x${PAYLOADS.imgSingle}@contoso.example`;

const TENANT = 'a1b2c3d4-0000-4000-8000-00000000c0de';
const APP_ID = '22222222-2222-4222-8222-222222222222';
const SP_ID = '44444444-4444-4444-8444-444444444444';

function ev(id: string, time: string, source: Evidence['source'], action: Evidence['action'], summary: string, text: string, line = 1): Evidence {
  return { eventId: id, time, source, action, operation: action, outcome: 'success', summary, raw: { file: `logs/${PAYLOADS.endTitle}.json`, line, format: 'entra-signin-graph', text } };
}

function makeAlert(id: string, rule: string, title: string, severity: Alert['severity'], time: string, extra: Partial<Alert>): Alert {
  return {
    schemaVersion: 1, id, rule, title, severity, time, firstSeen: time, lastSeen: time, tenant: TENANT, key: id,
    tactics: ['initial-access'], techniques: ['T1078.004'], entities: [], explanation: title, facts: {}, evidence: [],
    evidenceTruncated: 0, revision: 1, occurrences: 1, ...extra,
  };
}

/** The hostile report. `legs` adds impossible-travel legs (one crosses the antimeridian). */
export function hostileReport(): HuntReport {
  const signinRaw = JSON.stringify({ id: 'si-1', userPrincipalName: 'admin@contoso.example', userAgent: hostileUserAgent, appDisplayName: hostileAppName, ipAddress: '203.0.113.50', note: PAYLOADS.endScript + PAYLOADS.comment });
  const connectorRaw = `"CreationDate","Operation","AuditData"\r\n"5/20/2024 9:00:00 AM","New-InboundConnector","{""Name"":""${hostileConnectorName.replace(/"/g, '""')}"",""Comment"":""${hostileConnectorComment.replace(/"/g, '""')}""}"`;
  const mailRaw = JSON.stringify({ MessageId: '<m1@contoso.example>', Subject: hostileSubject, SenderAddress: hostileUpn, RecipientAddress: 'victim@fabrikam.example' });
  const alerts: Alert[] = [
    makeAlert('AAAAstuffing0001', 'TW-SIGNIN-001', `Credential stuffing against ${hostileUpn}`, 'medium', '2024-05-01T02:10:00.000Z', {
      tactics: ['credential-access'], techniques: ['T1110.004'],
      entities: [{ type: 'user', id: 'admin@contoso.example', display: hostileUpn, role: 'target' }, { type: 'ip', id: '203.0.113.50', role: 'source' }],
      explanation: `1,204 failures from 203.0.113.50 with user agent ${hostileUserAgent}`,
      facts: { failures: 1204, accounts: 312, userAgent: hostileUserAgent, [PAYLOADS.imgSingle]: 'a fact whose NAME is hostile' },
      evidence: [ev('ev-1', '2024-05-01T02:10:00.000Z', 'entra.signin', 'signin', `Sign-in by admin@contoso.example with ${hostileUserAgent}`, signinRaw, 80)],
      evidenceTruncated: 1203,
    }),
    makeAlert('BBBBtravel000002', 'TW-SIGNIN-009', 'Impossible travel', 'medium', '2024-05-01T02:40:00.000Z', {
      entities: [{ type: 'user', id: 'admin@contoso.example', role: 'actor' }],
      facts: { fromLat: 47.6, fromLon: -122.3, toLat: 6.5, toLon: 3.4, speedKmh: 7452 },
      evidence: [ev('ev-2', '2024-05-01T02:40:00.000Z', 'entra.signin', 'signin', 'Sign-in from Lagos', signinRaw, 81)],
    }),
    makeAlert('CCCCconsentcred3', 'TW-APP-001', `Consent then credential on app ${hostileAppName}`, 'high', '2024-05-01T03:05:00.000Z', {
      tactics: ['persistence', 'privilege-escalation'], techniques: ['T1098.001'],
      entities: [{ type: 'app', id: APP_ID, display: hostileAppName, aliases: [SP_ID, LONG_NAME], role: 'target' }],
      explanation: `App "${hostileAppName}" got Exchange.ManageAsApp, then a secret 5 minutes later`,
      facts: { permissions: ['Exchange.ManageAsApp', PAYLOADS.script], minutesBetween: 5, appName: LONG_NAME },
      evidence: [ev('ev-3', '2024-05-01T03:05:00.000Z', 'entra.audit', 'app.credential.add', `Add secret on ${LONG_NAME}`, JSON.stringify({ displayName: LONG_NAME, app: hostileAppName }))],
    }),
    makeAlert('DDDDconnector004', 'TW-EXO-001', `Inbound connector ${hostileConnectorName} created by an app`, 'high', '2024-05-20T09:00:00.000Z', {
      tactics: ['persistence', 'defense-evasion'], techniques: ['T1562'],
      entities: [{ type: 'connector', id: hostileConnectorName, display: hostileConnectorName, role: 'target' }],
      explanation: `Connector "${hostileConnectorName}" with comment "${hostileConnectorComment}"`,
      facts: { comment: hostileConnectorComment, senderIps: ['198.51.100.7'] },
      evidence: [{ ...ev('ev-4', '2024-05-20T09:00:00.000Z', 'ual', 'connector.inbound.create', `New-InboundConnector ${hostileConnectorName}`, connectorRaw), raw: { file: 'ual.csv', line: 2, format: 'ual-purview-csv', text: connectorRaw } }],
    }),
    makeAlert('EEEEspam0000005', 'TW-EXO-009', `Outbound spam burst: "${hostileSubject}"`, 'high', '2024-05-20T10:00:00.000Z', {
      tactics: ['impact'], techniques: [],
      entities: [{ type: 'mailbox', id: 'sales@contoso.example', display: hostileUpn, role: 'actor' }],
      explanation: `4,000 messages with subject "${hostileSubject}" in 10 minutes`,
      facts: { messages: 4000, subject: hostileSubject },
      evidence: [{ ...ev('ev-5', '2024-05-20T10:00:00.000Z', 'exchange.messagetrace', 'mail.send', `mail.send subject ${hostileSubject}`, mailRaw), raw: { file: 'trace.json', format: 'message-trace', text: mailRaw, textTruncated: true } }],
    }),
    makeAlert('FFFFunlinked006', 'TW-SP-001', `Service principal ${PAYLOADS.endStyle} signed in from a new source`, 'low', '2024-05-02T10:00:00.000Z', {
      explanation: `${PAYLOADS.base} ${PAYLOADS.refresh} ${PAYLOADS.remote} ${PAYLOADS.styleAttr} ${PAYLOADS.iframe}`,
      facts: { cdata: PAYLOADS.cdata, entity: PAYLOADS.entity, backtick: PAYLOADS.backtick, control: PAYLOADS.control, zeroWidth: PAYLOADS.zeroWidth },
    }),
  ];
  const incident: Incident = {
    id: 'INC-AAAAstuffing',
    title: `Takeover chain: admin@contoso.example → app ${hostileAppName}`,
    severity: 'critical',
    tenant: TENANT,
    tactics: ['initial-access', 'persistence', 'privilege-escalation', 'defense-evasion', 'credential-access', 'impact'],
    techniques: ['T1078.004', 'T1098.001', 'T1110.004', 'T1562', PAYLOADS.img],
    entities: [],
    alerts: ['BBBBtravel000002', 'AAAAstuffing0001', 'CCCCconsentcred3', 'DDDDconnector004', 'EEEEspam0000005', 'not-in-report'],
    firstSeen: '2024-05-01T01:00:00.000Z',
    lastSeen: '2024-05-20T10:00:00.000Z',
    narrative: `Credential stuffing led to a sign-in as admin@contoso.example, which consented to "${hostileAppName}"; the app created connector "${hostileConnectorName}" (comment "${hostileConnectorComment}") and sent "${hostileSubject}". ${PAYLOADS.endTitle}`,
    mergedFrom: [PAYLOADS.img],
    revision: 2,
    timeline: [
      { alertId: 'BBBBtravel000002', rule: 'TW-SIGNIN-009', title: 'Impossible travel', severity: 'medium', tactics: ['initial-access'], time: '2024-05-01T02:40:00.000Z', firstSeen: '2024-05-01T01:00:00.000Z', lastSeen: '2024-05-01T02:40:00.000Z', summary: 'Seattle then Lagos: 7,452 km/h', linkedBecause: 'first alert of the incident' },
      { alertId: 'AAAAstuffing0001', rule: 'TW-SIGNIN-001', title: `Credential stuffing against ${hostileUpn}`, severity: 'medium', tactics: ['credential-access'], time: '2024-05-01T02:10:00.000Z', firstSeen: '2024-05-01T02:00:00.000Z', lastSeen: '2024-05-01T02:10:00.000Z', summary: `user agent ${hostileUserAgent}`, linkedBecause: `names user ${hostileUpn}, as TW-SIGNIN-009 does`, link: { kind: 'user', entity: { type: 'user', id: 'admin@contoso.example', display: hostileUpn }, withAlert: 'BBBBtravel000002', gapMs: 3_600_000 } },
      { alertId: 'CCCCconsentcred3', rule: 'TW-APP-001', title: `Consent then credential on app ${hostileAppName}`, severity: 'high', tactics: ['persistence', 'privilege-escalation'], time: '2024-05-01T03:05:00.000Z', firstSeen: '2024-05-01T03:00:00.000Z', lastSeen: '2024-05-01T03:05:00.000Z', summary: `consented to ${hostileAppName}`, linkedBecause: `names user admin@contoso.example ${PAYLOADS.anchor}`, link: { kind: 'user', entity: { type: 'user', id: 'admin@contoso.example' }, withAlert: 'AAAAstuffing0001', gapMs: 3_000_000 } },
      { alertId: 'DDDDconnector004', rule: 'TW-EXO-001', title: `Inbound connector ${hostileConnectorName}`, severity: 'high', tactics: ['persistence', 'defense-evasion'], time: '2024-05-20T09:00:00.000Z', firstSeen: '2024-05-20T09:00:00.000Z', lastSeen: '2024-05-20T09:00:00.000Z', summary: `comment ${hostileConnectorComment}`, linkedBecause: `names app "${hostileAppName}" (by its application object id)`, link: { kind: 'app', entity: { type: 'app', id: APP_ID, display: hostileAppName }, withAlert: 'CCCCconsentcred3', via: PAYLOADS.jsUrl, gapMs: 1_663_200_000 } },
      { alertId: 'EEEEspam0000005', rule: 'TW-EXO-009', title: `Outbound spam burst: "${hostileSubject}"`, severity: 'high', tactics: ['impact'], time: '2024-05-20T10:00:00.000Z', firstSeen: '2024-05-20T10:00:00.000Z', lastSeen: '2024-05-20T10:00:00.000Z', summary: `subject ${hostileSubject}`, linkedBecause: 'names connector, as TW-EXO-001 does', link: { kind: 'connector', entity: { type: 'connector', id: hostileConnectorName }, withAlert: 'DDDDconnector004', gapMs: 3_600_000 } },
    ],
    scope: {
      accounts: [{ id: 'admin@contoso.example', display: hostileUpn, aliases: ['11111111-1111-4111-8111-111111111111', PAYLOADS.zeroWidth], alerts: ['AAAAstuffing0001'], firstSeen: '2024-05-01T01:00:00.000Z', lastSeen: '2024-05-01T03:05:00.000Z', privileged: true }],
      apps: [{ id: APP_ID, display: hostileAppName, aliases: [LONG_NAME], spId: SP_ID, alerts: ['CCCCconsentcred3'], firstSeen: '2024-05-01T03:00:00.000Z', lastSeen: '2024-05-20T09:00:00.000Z', createdAt: '2024-05-01T02:55:00.000Z', credentials: [`password ${PAYLOADS.svg}`], permissions: ['Exchange.ManageAsApp', PAYLOADS.jsUrl], roles: ['Exchange Administrator'] }],
      connectors: [{ id: hostileConnectorName, display: LONG_NAME, alerts: ['DDDDconnector004'], firstSeen: '2024-05-20T09:00:00.000Z', lastSeen: '2024-05-20T09:00:00.000Z' }],
      transportRules: [{ id: `Strip headers ${PAYLOADS.endStyle}`, alerts: [], firstSeen: '2024-05-20T09:05:00.000Z', lastSeen: '2024-05-20T09:05:00.000Z' }],
      inboxRules: [],
      mailboxes: [{ id: 'sales@contoso.example', display: hostileSubject, alerts: ['EEEEspam0000005'], firstSeen: '2024-05-20T10:00:00.000Z', lastSeen: '2024-05-20T10:00:00.000Z' }],
      ips: [{ id: '203.0.113.50', asn: 'AS64500', country: PAYLOADS.rtl, alerts: ['AAAAstuffing0001'], firstSeen: '2024-05-01T02:00:00.000Z', lastSeen: '2024-05-01T02:40:00.000Z' }],
    },
    graph: {
      nodes: [
        { id: 'user:admin@contoso.example', type: 'user', label: hostileUpn, alerts: ['AAAAstuffing0001', 'BBBBtravel000002', 'CCCCconsentcred3'], primary: true },
        { id: `app:${APP_ID}`, type: 'app', label: hostileAppName, alerts: ['CCCCconsentcred3', 'DDDDconnector004'], primary: true },
        { id: 'ip:203.0.113.50', type: 'ip', label: '203.0.113.50', alerts: ['AAAAstuffing0001'] },
        { id: `connector:${hostileConnectorName}`, type: 'connector', label: hostileConnectorName, alerts: ['DDDDconnector004'], primary: true },
        { id: 'mailbox:sales@contoso.example', type: 'mailbox', label: LONG_NAME, alerts: ['EEEEspam0000005'] },
        { id: 'role:Exchange Administrator', type: 'role', label: `Exchange Administrator ${PAYLOADS.endSvgText}`, alerts: ['CCCCconsentcred3'] },
      ],
      edges: [
        { from: 'ip:203.0.113.50', to: 'user:admin@contoso.example', label: `Credential stuffing ${PAYLOADS.endSvgText}`, alerts: ['AAAAstuffing0001'] },
        { from: 'user:admin@contoso.example', to: `app:${APP_ID}`, label: 'Consent then credential', alerts: ['CCCCconsentcred3'] },
        { from: `app:${APP_ID}`, to: 'role:Exchange Administrator', label: 'Role assigned', alerts: ['CCCCconsentcred3'] },
        { from: `app:${APP_ID}`, to: `connector:${hostileConnectorName}`, label: 'Inbound connector created by an app', alerts: ['DDDDconnector004'] },
        { from: `connector:${hostileConnectorName}`, to: 'mailbox:sales@contoso.example', label: `Spam "${hostileSubject}"`, alerts: ['EEEEspam0000005'] },
      ],
    },
    containment: [
      { order: 1, action: 'remove-app-secret', title: `Remove the client secrets of app "${hostileAppName}"`, entity: { type: 'app', id: APP_ID, display: hostileAppName }, why: 'A password reset does not evict whoever holds the secret.', graph: { method: 'POST', path: `/v1.0/applications(appId='${APP_ID}')/removePassword`, body: JSON.stringify({ keyId: PAYLOADS.endScript }) }, powershell: `Remove-MgApplicationPassword -ApplicationId '33333333-3333-4333-8333-333333333333' -KeyId '${PAYLOADS.imgSingle.replace(/'/g, "''")}'`, permission: 'Application.ReadWrite.All' },
      { order: 2, action: 'remove-inbound-connector', title: `Remove the inbound connector "${hostileConnectorName}"`, entity: { type: 'connector', id: hostileConnectorName, display: LONG_NAME }, why: `Comment was: ${hostileConnectorComment}`, powershell: `Remove-InboundConnector -Identity '${hostileConnectorName.replace(/'/g, "''")}' -Confirm:$false`, permission: 'Exchange Administrator', note: `Look up ${PAYLOADS.jsUrl} first` },
    ],
    context: [{ entity: { type: 'user', id: hostileUpn }, from: 'snapshot', severity: 'critical', text: `no MFA method registered ${PAYLOADS.details}`, checkId: 'A6' }],
    travel: [
      { alertId: 'BBBBtravel000002', user: hostileUpn, from: { time: '2024-05-01T01:00:00.000Z', ip: '192.0.2.10', lat: 47.6, lon: -122.3, city: `Seattle ${PAYLOADS.endSvgText}`, country: 'US' }, to: { time: '2024-05-01T02:40:00.000Z', ip: '203.0.113.50', lat: 6.5, lon: 3.4, city: PAYLOADS.rtl, country: 'NG' }, distanceKm: 12420, speedKmh: 7452 },
      { alertId: 'BBBBtravel000002', user: 'admin@contoso.example', from: { lat: 35.7, lon: 139.7, city: 'Tokyo', country: 'JP' }, to: { lat: 37.8, lon: -122.4, city: 'San Francisco', country: 'US' }, distanceKm: 8280, speedKmh: 9000 },
    ],
  };
  return {
    schemaVersion: 1,
    kind: 'hunt',
    generatedAt: '2024-06-01T12:00:00.000Z',
    tool: { name: 'tenantwatch', version: '0.1.0', rulesetVersion: '6-abcdef12', alertSchemaVersion: 1, attackVersion: 'Enterprise v15.1' },
    run: { id: 'run-1', startedAt: '2024-06-01T11:59:58.000Z', finishedAt: '2024-06-01T12:00:00.000Z', options: { failOn: 'medium' } },
    inputs: [{ path: `logs/${PAYLOADS.endTitle}.json`, sha256: 'a'.repeat(64), format: 'entra-signin-graph', formats: { 'entra-signin-graph': 10, [PAYLOADS.img]: 2 }, bytes: 2048, records: 13, events: 12, duplicates: 0, filtered: 0, quarantined: 1, timeMin: '2024-05-01T00:00:00.000Z', timeMax: '2024-05-31T00:00:00.000Z', quarantineSamples: [{ line: 7, reason: `bad JSON near ${PAYLOADS.endScript}` }] }],
    skipped: [{ path: `notes ${PAYLOADS.img}.txt`, reason: 'not a recognized log' }],
    coverage: { facts: ['ip', 'useragent'], rules: [{ rule: 'TW-SP-001', title: 'Service principal signed in from a new source', status: 'not-evaluated', reason: `no service-principal sign-ins ${PAYLOADS.script}`, missing: ['signin.serviceprincipal'] }, { rule: 'TW-SIGNIN-001', title: 'Credential stuffing', status: 'evaluated' }], evaluated: 1, notEvaluated: 1, disabled: 0 },
    stats: {
      records: 13, events: 12, duplicates: 0, filtered: 0, quarantined: 1, timeMin: '2024-05-01T00:00:00.000Z', timeMax: '2024-05-31T00:00:00.000Z', alerts: alerts.length, incidents: 1,
      alertsBySeverity: { informational: 0, low: 1, medium: 2, high: 3, critical: 0 }, incidentsBySeverity: { informational: 0, low: 0, medium: 0, high: 0, critical: 1 },
      unlinkedAlerts: 1, sort: { runs: 1, spilledBytes: 0 }, engine: { pushed: 12, ignored: 0, late: 0, duplicates: 0 }, durationMs: 1500,
    },
    incidents: [incident],
    merged: [{ id: 'INC-old', mergedInto: 'INC-AAAAstuffing', mergedAt: '2024-06-01T12:00:00.000Z', title: `Old ${PAYLOADS.endTitle}` }],
    alerts,
    posture: { snapshot: `snap ${PAYLOADS.img}`, privileged: 3, notes: [{ entity: { type: 'app', id: APP_ID }, from: 'memory', severity: 'informational', text: `learned: ${PAYLOADS.endStyle}` }] },
  };
}

/** A small audit report with hostile object names, for the embedded audit section. */
export function hostileAudit(): AuditReport {
  return {
    tool: 'tenantwatch', version: '0.1.0', generatedAt: '2024-06-01T12:00:00.000Z', snapshot: `snap ${PAYLOADS.endTitle}`,
    licences: { known: true, plans: [] },
    summary: { Pass: 0, Fail: 1, Warn: 0, NotApplicable: 0, Error: 0, exempt: 0 },
    results: [{
      id: 'C3', title: 'Apps with Exchange.ManageAsApp', severity: 'critical', status: 'Fail', stage: 'oauth-app', mappings: { cis: ['5.1.5.2'] },
      details: `1 app holds Exchange.ManageAsApp: ${hostileAppName}`,
      objects: [{ type: 'servicePrincipal', id: SP_ID, name: hostileAppName, reason: `granted by ${PAYLOADS.anchor}` }],
      remediation: `Remove the grant ${PAYLOADS.endStyle}`,
    }],
  };
}
