// Cases for TW-SIGNIN-008 as raw Graph beta signIns, diagnostic-settings SignInLogs, UAL STS logons and
// directoryAudit role assignments.
import { BASE, MINUTES, graphAudit, guid, ndjson } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { HOURS, file, spread, type AttemptOpts } from '../shared/records.js';

const USER = 'intern@contoso.com';
const IP = '203.0.113.160';
const APPS = {
  sharepoint: { id: '00000003-0000-0ff1-ce00-000000000000', name: 'Office 365 SharePoint Online' },
  hr: { id: guid('app|hr-portal'), name: 'HR Portal' },
  teams: { id: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', name: 'Microsoft Teams' },
  azurePortal: { id: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', name: 'Azure Portal' },
  eac: { id: '497effe9-df71-4043-a8bb-14cf78c4b63b', name: 'Exchange Admin Center' },
  graphExplorer: { id: 'de8bc8b5-d9f9-48b1-a8ad-b748da725064', name: 'Graph Explorer' },
  exoPowerShell: { id: 'fb78d390-0c51-40cd-8e17-fdbfab77341b', name: 'Microsoft Exchange REST API Based Powershell' },
};
type App = (typeof APPS)[keyof typeof APPS];
/** someone else is the known admin, so "not privileged" means something */
const ADMINS_KNOWN = 'privilegedAccounts: [it-admin@contoso.com]\n';

/** `n` interactive attempts cycling over `apps`, spread over `span`. */
function attempts(n: number, apps: App[], o: { code?: number | ((i: number) => number); span?: number; user?: string; interactive?: boolean } = {}): AttemptOpts[] {
  return spread(n, BASE, o.span ?? 30 * MINUTES, (i, at) => ({
    at, user: o.user ?? USER, ip: IP, app: apps[i % apps.length]!,
    code: typeof o.code === 'function' ? o.code(i) : (o.code ?? 53003),
    ...(o.interactive === false ? { interactive: false } : {}),
  }));
}

const role = (user: string, name: string, template: string): Record<string, unknown> =>
  graphAudit({
    at: BASE - 24 * HOURS, activity: 'Add member to role', category: 'RoleManagement', operationType: 'Assign',
    targets: [{ type: 'User', id: guid(`user|${user}`), displayName: user, modified: [['Role.DisplayName', null, JSON.stringify(name)], ['Role.TemplateId', null, JSON.stringify(template)]] }],
  });

export const cases: RuleCase[] = [
  {
    name: 'five Conditional Access blocks (53003) across three apps in half an hour (Graph beta)',
    kind: 'positive',
    why: '5 attempts >= minAttempts on 3 apps >= minTargets',
    input: file('ca-blocks.graph.ndjson', 'graph', attempts(5, [APPS.sharepoint, APPS.hr, APPS.teams])),
    expect: { alerts: 1, severity: 'low', key: USER, facts: { attempts: 5, denied: 5, distinctApps: 3 } },
  },
  {
    name: 'a non-admin opens the Azure portal, Exchange admin center and Graph Explorer, and is blocked from Exchange PowerShell (diagnostic export)',
    kind: 'positive',
    why: 'admin tools used without an admin role (admins are known from config) plus CA blocks: medium',
    input: file('admin-probe.diag.json', 'diag', [
      ...attempts(3, [APPS.azurePortal, APPS.eac, APPS.graphExplorer], { code: 0 }),
      ...attempts(2, [APPS.exoPowerShell], { code: 53003 }).map((a) => ({ ...a, at: a.at + 5 * MINUTES })),
    ]),
    config: ADMINS_KNOWN,
    expect: { alerts: 1, severity: 'medium', facts: { denied: 2, distinctApps: 4 } },
  },
  {
    name: 'not assigned (50105) and CA blocks in the UAL (UserLoginFailed)',
    kind: 'positive',
    why: 'the UAL carries ErrorNumber 50105 / 53003; it feeds the rule alone',
    input: file('denied.ual.json', 'ual', attempts(6, [APPS.hr, APPS.sharepoint], { code: (i) => (i % 2 === 0 ? 50105 : 53003) })),
    expect: { alerts: 1, facts: { codes: ['50105', '53003'] } },
  },
  {
    name: 'four blocked attempts: one below minAttempts',
    kind: 'negative',
    why: 'the threshold is 5 attempts',
    input: file('four.graph.ndjson', 'graph', attempts(4, [APPS.sharepoint, APPS.hr])),
    expect: { alerts: 0 },
  },
  {
    name: 'five blocked attempts on one app',
    kind: 'negative',
    why: 'minTargets is 2 apps: one app retried is a confused user',
    input: file('one-app.graph.ndjson', 'graph', attempts(5, [APPS.hr])),
    expect: { alerts: 0 },
  },
  {
    name: 'five blocked attempts over an hour and one second',
    kind: 'negative',
    why: 'the first attempt has left the 1-hour window',
    input: file('slow.graph.ndjson', 'graph', attempts(5, [APPS.sharepoint, APPS.hr], { span: HOURS + 1000 })),
    expect: { alerts: 0 },
  },
  {
    name: 'admin portals used when nobody is known to be an admin',
    kind: 'negative',
    why: 'without config, snapshot or role assignments, "not an admin" is unknown and admin-tool use does not count',
    input: file('unknown-admins.graph.ndjson', 'graph', attempts(6, [APPS.azurePortal, APPS.eac, APPS.graphExplorer], { code: 0 })),
    expect: { alerts: 0 },
  },
  {
    name: 'an Exchange Administrator (from a role assignment) works in the admin centers',
    kind: 'lookalike',
    why: 'role holders are admins: their admin-tool use is not probing',
    input: [
      ndjson('roles.json', [role(USER, 'Exchange Administrator', '29232cdf-9323-42fd-ade2-1d097af3e4de')]),
      file('admin-work.graph.ndjson', 'graph', attempts(8, [APPS.azurePortal, APPS.eac, APPS.exoPowerShell], { code: 0 })),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'helpdesk agent (Helpdesk Administrator) opens the admin centers',
    kind: 'lookalike',
    why: 'Helpdesk Administrator is an admin role',
    input: [
      ndjson('roles.json', [role('helpdesk@contoso.com', 'Helpdesk Administrator', '729827e3-9c14-49f7-bb1b-9608f156bbb8')]),
      file('helpdesk.diag.json', 'diag', attempts(8, [APPS.azurePortal, APPS.eac], { code: 0, user: 'helpdesk@contoso.com' })),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'an unmanaged phone retries in the background: non-interactive 53003 on three apps',
    kind: 'lookalike',
    why: 'only interactive attempts count: background token requests blocked by a device policy are noise',
    input: file('phone.diag.json', 'diag', attempts(12, [APPS.sharepoint, APPS.teams, APPS.hr], { interactive: false })),
    expect: { alerts: 0 },
  },
];
