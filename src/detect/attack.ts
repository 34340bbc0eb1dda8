// The MITRE ATT&CK ids tenantwatch tags alerts with, pinned to one release so tags never drift under us.
// Pinned: ATT&CK Enterprise v15.1 (May 2024). Later releases renamed tactics (v19: "stealth",
// "defense-impairment") and renumbered techniques (T1672 Email Spoofing, v17); moving to a newer release is a
// deliberate change of this table, its version string and every rule tag that the collection test then flags.
// Only the techniques this domain (Entra ID / Microsoft 365 / Exchange Online) uses are listed; add rows as rules
// need them, with the name and tactics exactly as the pinned release has them.

export const ATTACK_VERSION = 'Enterprise v15.1';

export type TacticName =
  | 'reconnaissance'
  | 'resource-development'
  | 'initial-access'
  | 'execution'
  | 'persistence'
  | 'privilege-escalation'
  | 'defense-evasion'
  | 'credential-access'
  | 'discovery'
  | 'lateral-movement'
  | 'collection'
  | 'command-and-control'
  | 'exfiltration'
  | 'impact';

export interface Tactic {
  id: string;
  name: TacticName;
  title: string;
}

/** Tactics in kill-chain order (the order ATT&CK's Enterprise matrix shows them). */
export const TACTICS: readonly Tactic[] = [
  { id: 'TA0043', name: 'reconnaissance', title: 'Reconnaissance' },
  { id: 'TA0042', name: 'resource-development', title: 'Resource Development' },
  { id: 'TA0001', name: 'initial-access', title: 'Initial Access' },
  { id: 'TA0002', name: 'execution', title: 'Execution' },
  { id: 'TA0003', name: 'persistence', title: 'Persistence' },
  { id: 'TA0004', name: 'privilege-escalation', title: 'Privilege Escalation' },
  { id: 'TA0005', name: 'defense-evasion', title: 'Defense Evasion' },
  { id: 'TA0006', name: 'credential-access', title: 'Credential Access' },
  { id: 'TA0007', name: 'discovery', title: 'Discovery' },
  { id: 'TA0008', name: 'lateral-movement', title: 'Lateral Movement' },
  { id: 'TA0009', name: 'collection', title: 'Collection' },
  { id: 'TA0011', name: 'command-and-control', title: 'Command and Control' },
  { id: 'TA0010', name: 'exfiltration', title: 'Exfiltration' },
  { id: 'TA0040', name: 'impact', title: 'Impact' },
];

export interface Technique {
  id: string; // "T1110" or "T1110.003"
  name: string; // sub-techniques: the sub-technique's own name ("Password Spraying")
  tactics: readonly TacticName[];
}

const T = (id: string, name: string, ...tactics: TacticName[]): Technique => ({ id, name, tactics });

// Valid Accounts and its sub-techniques sit under four tactics in the pinned release.
const VALID_ACCOUNTS: TacticName[] = ['initial-access', 'persistence', 'privilege-escalation', 'defense-evasion'];
const MODIFY_AUTH: TacticName[] = ['persistence', 'defense-evasion', 'credential-access'];

export const TECHNIQUES: readonly Technique[] = [
  // reconnaissance
  T('T1589', 'Gather Victim Identity Information', 'reconnaissance'),
  T('T1589.001', 'Credentials', 'reconnaissance'),
  T('T1598', 'Phishing for Information', 'reconnaissance'),
  // resource development
  T('T1583', 'Acquire Infrastructure', 'resource-development'),
  T('T1583.001', 'Domains', 'resource-development'),
  T('T1586', 'Compromise Accounts', 'resource-development'),
  T('T1586.002', 'Email Accounts', 'resource-development'),
  T('T1586.003', 'Cloud Accounts', 'resource-development'),
  // initial access
  T('T1078', 'Valid Accounts', ...VALID_ACCOUNTS),
  T('T1078.004', 'Cloud Accounts', ...VALID_ACCOUNTS),
  T('T1133', 'External Remote Services', 'initial-access', 'persistence'),
  T('T1199', 'Trusted Relationship', 'initial-access'),
  T('T1566', 'Phishing', 'initial-access'),
  T('T1566.001', 'Spearphishing Attachment', 'initial-access'),
  T('T1566.002', 'Spearphishing Link', 'initial-access'),
  // execution
  T('T1059', 'Command and Scripting Interpreter', 'execution'),
  T('T1059.009', 'Cloud API', 'execution'),
  T('T1651', 'Cloud Administration Command', 'execution'),
  // persistence / privilege escalation
  T('T1098', 'Account Manipulation', 'persistence', 'privilege-escalation'),
  T('T1098.001', 'Additional Cloud Credentials', 'persistence', 'privilege-escalation'),
  T('T1098.002', 'Additional Email Delegate Permissions', 'persistence', 'privilege-escalation'),
  T('T1098.003', 'Additional Cloud Roles', 'persistence', 'privilege-escalation'),
  T('T1098.005', 'Device Registration', 'persistence', 'privilege-escalation'),
  T('T1136', 'Create Account', 'persistence'),
  T('T1136.003', 'Cloud Account', 'persistence'),
  T('T1484', 'Domain or Tenant Policy Modification', 'defense-evasion', 'privilege-escalation'),
  T('T1484.002', 'Trust Modification', 'defense-evasion', 'privilege-escalation'),
  // defense evasion
  T('T1070', 'Indicator Removal', 'defense-evasion'),
  T('T1070.008', 'Clear Mailbox Data', 'defense-evasion'),
  T('T1550', 'Use Alternate Authentication Material', 'defense-evasion', 'lateral-movement'),
  T('T1550.001', 'Application Access Token', 'defense-evasion', 'lateral-movement'),
  T('T1556', 'Modify Authentication Process', ...MODIFY_AUTH),
  T('T1556.006', 'Multi-Factor Authentication', ...MODIFY_AUTH),
  T('T1556.007', 'Hybrid Identity', ...MODIFY_AUTH),
  T('T1556.009', 'Conditional Access Policies', ...MODIFY_AUTH),
  T('T1562', 'Impair Defenses', 'defense-evasion'),
  T('T1562.001', 'Disable or Modify Tools', 'defense-evasion'),
  T('T1562.008', 'Disable or Modify Cloud Logs', 'defense-evasion'),
  T('T1564', 'Hide Artifacts', 'defense-evasion'),
  T('T1564.008', 'Email Hiding Rules', 'defense-evasion'),
  // credential access
  T('T1110', 'Brute Force', 'credential-access'),
  T('T1110.001', 'Password Guessing', 'credential-access'),
  T('T1110.003', 'Password Spraying', 'credential-access'),
  T('T1110.004', 'Credential Stuffing', 'credential-access'),
  T('T1111', 'Multi-Factor Authentication Interception', 'credential-access'),
  T('T1528', 'Steal Application Access Token', 'credential-access'),
  T('T1539', 'Steal Web Session Cookie', 'credential-access'),
  // its v15.1 sub-techniques (LLMNR/SMB relay, ARP, DHCP) are on-premises network attacks: not listed
  T('T1557', 'Adversary-in-the-Middle', 'credential-access', 'collection'),
  T('T1606', 'Forge Web Credentials', 'credential-access'),
  T('T1606.002', 'SAML Tokens', 'credential-access'),
  T('T1621', 'Multi-Factor Authentication Request Generation', 'credential-access'),
  // discovery
  T('T1087', 'Account Discovery', 'discovery'),
  T('T1087.004', 'Cloud Account', 'discovery'),
  T('T1069', 'Permission Groups Discovery', 'discovery'),
  T('T1069.003', 'Cloud Groups', 'discovery'),
  T('T1526', 'Cloud Service Discovery', 'discovery'),
  T('T1538', 'Cloud Service Dashboard', 'discovery'),
  // lateral movement
  T('T1534', 'Internal Spearphishing', 'lateral-movement'),
  // collection
  T('T1114', 'Email Collection', 'collection'),
  T('T1114.002', 'Remote Email Collection', 'collection'),
  T('T1114.003', 'Email Forwarding Rule', 'collection'),
  T('T1213', 'Data from Information Repositories', 'collection'),
  T('T1213.002', 'Sharepoint', 'collection'),
  T('T1530', 'Data from Cloud Storage', 'collection'),
  // command and control
  T('T1090', 'Proxy', 'command-and-control'),
  T('T1090.003', 'Multi-hop Proxy', 'command-and-control'),
  // exfiltration
  T('T1537', 'Transfer Data to Cloud Account', 'exfiltration'),
  T('T1567', 'Exfiltration Over Web Service', 'exfiltration'),
  // impact
  T('T1496', 'Resource Hijacking', 'impact'),
  T('T1531', 'Account Access Removal', 'impact'),
  T('T1657', 'Financial Theft', 'impact'),
];

const byId = new Map(TECHNIQUES.map((t) => [t.id, t]));
const tacticByName = new Map(TACTICS.map((t) => [t.name, t]));

export function technique(id: string): Technique | undefined {
  return byId.get(id);
}

export function tactic(name: string): Tactic | undefined {
  return tacticByName.get(name as TacticName);
}

/** Kill-chain position of a tactic (0 = reconnaissance); -1 when unknown. */
export function tacticOrder(name: string): number {
  return TACTICS.findIndex((t) => t.name === name);
}

/** Sort tactic names into kill-chain order, dropping duplicates. */
export function sortTactics(names: Iterable<string>): TacticName[] {
  return [...new Set(names)]
    .filter((n): n is TacticName => tacticByName.has(n as TacticName))
    .sort((a, b) => tacticOrder(a) - tacticOrder(b));
}

/**
 * Problems with a rule's ATT&CK tags against the pinned table: unknown ids, unknown tactic names, and techniques
 * none of whose tactics the rule lists (a tag set that contradicts itself). Empty = valid.
 */
export function checkAttackTags(tactics: readonly string[], techniques: readonly string[]): string[] {
  const problems: string[] = [];
  for (const t of tactics) if (!tacticByName.has(t as TacticName)) problems.push(`unknown tactic "${t}" (ATT&CK ${ATTACK_VERSION} kebab-case names)`);
  for (const id of techniques) {
    const tech = byId.get(id);
    if (!tech) {
      problems.push(`technique ${id} is not in the pinned table (ATT&CK ${ATTACK_VERSION}, src/detect/attack.ts)`);
      continue;
    }
    if (!tech.tactics.some((t) => tactics.includes(t))) {
      problems.push(`technique ${id} (${tech.name}) belongs to ${tech.tactics.join('/')}, none of which the rule lists`);
    }
    const parent = id.includes('.') ? id.slice(0, id.indexOf('.')) : undefined;
    if (parent && !byId.has(parent)) problems.push(`technique ${id} has no parent ${parent} in the table`);
  }
  return problems;
}
