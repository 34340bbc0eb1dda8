// TW-ALERT-001: Microsoft's own alerts (Graph alerts_v2, SecurityComplianceCenter alerts in the unified audit log)
// surfaced as tenantwatch alerts, with their severity mapped and their entities named, so incidents can join them
// with tenantwatch's own detections.
import type { Event } from '../../../core/event.js';
import { DAY } from '../../../config/tunables.js';
import { iso, severityRank, type Entity, type Severity } from '../../../detect/alert.js';
import { TACTICS, technique, type TacticName } from '../../../detect/attack.js';
import { match } from '../../../detect/spec.js';
import { isObject } from '../../../core/json.js';
import { appEntity, entities, ipEntity, userEntity } from '../../lib.js';
import { defineRule } from '../../types.js';

/** Microsoft's default alert policies for this attack chain (Defender for Office 365 / Exchange Online Protection). */
const CAMPAIGN_ALERTS = [
  'Suspicious connector activity',
  'Tenant restricted from sending email',
  'Tenant restricted from sending unprovisioned email',
  'Suspicious tenant sending patterns observed',
  'User restricted from sending email',
  'Suspicious inbound connector and transport rule created to remove sender email headers',
  'New transport rule removing antispam header',
  'Suspicious pattern of inbound connector creation',
  'Suspicious email-sending pattern from new Exchange inbound connector',
];

const MS_SEVERITY: Record<string, Severity> = {
  informational: 'informational', information: 'informational', low: 'low', medium: 'medium', high: 'high', critical: 'critical',
};

/** Titles compared without case, zero-width characters (seen in real alert names) or repeated spaces. */
const titleKey = (s: string): string => s.replace(/[\u200b-\u200d\ufeff]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();

const str = (ev: Event, k: string): string | undefined => {
  const v = ev.details?.[k];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

/** An alert closed as not a threat (Graph classification, UAL status Dismissed). */
function closedBenign(ev: Event): string | undefined {
  const cls = str(ev, 'classification')?.toLowerCase();
  if (cls === 'falsepositive' || cls === 'informationalexpectedactivity' || cls === 'benignpositive') return `classified ${str(ev, 'classification')}`;
  if (str(ev, 'status')?.toLowerCase() === 'dismissed') return 'dismissed';
  return undefined;
}

const TACTIC_BY_WORD = new Map(TACTICS.map((t) => [t.title.replace(/[^a-z]/gi, '').toLowerCase(), t.name]));

/**
 * Microsoft's own ATT&CK classification of the alert: alerts_v2 `category` names a tactic ("InitialAccess",
 * "Exfiltration"; UAL categories such as "ThreatManagement" do not) and `mitreTechniques` lists technique ids. Only
 * ids in the pinned table count; the category's tactic wins when one of those techniques sits under it, else the
 * techniques' own tactics. Undefined when nothing maps: the rule's tags stand.
 */
export function microsoftAttackTags(category: string | undefined, ids: readonly string[]): { tactics: TacticName[]; techniques: string[] } | undefined {
  const known = ids.map((id) => technique(id.trim().toUpperCase())).filter((t) => t !== undefined);
  if (!known.length) return undefined;
  const cat = category ? TACTIC_BY_WORD.get(category.replace(/[^a-z]/gi, '').toLowerCase()) : undefined;
  const under = cat ? known.filter((t) => t.tactics.includes(cat)) : [];
  if (cat && under.length) return { tactics: [cat], techniques: [...new Set(under.map((t) => t.id))] };
  return { tactics: [...new Set(known.flatMap((t) => t.tactics))], techniques: [...new Set(known.map((t) => t.id))] };
}

function entitiesOf(ev: Event): Entity[] {
  const out: (Entity | undefined)[] = [];
  const a = ev.actor;
  if (a.kind === 'user') out.push(userEntity(ev, 'actor'));
  if (a.kind === 'app' && a.appId) out.push(appEntity(a.appId, { name: a.appName, role: 'actor' }));
  out.push(ipEntity(a.ip));
  for (const t of ev.targets) {
    const name = t.name?.toLowerCase();
    if (t.type === 'user' && (name || t.id)) out.push({ type: 'user', id: name ?? t.id!, ...(name && t.id ? { aliases: [t.id] } : {}), role: 'target' });
    else if (t.type === 'mailbox' && name) out.push({ type: 'mailbox', id: name, role: 'target' }, name.includes('@') ? { type: 'user', id: name, role: 'target' } : undefined);
    else if (t.type === 'app' && (t.appId || t.id)) out.push(appEntity(t.appId ?? t.id!, { name: t.name, spId: t.appId ? t.id : undefined }));
    else if (t.type === 'device' && t.id) out.push({ type: 'device', id: t.id, ...(t.name ? { display: t.name } : {}), role: 'target' });
  }
  const ips = ev.details?.ips;
  if (Array.isArray(ips)) for (const ip of ips) if (typeof ip === 'string') out.push(ipEntity(ip));
  const ent = ev.details?.entity;
  if (isObject(ent) && typeof ent.id === 'string' && /^user$/i.test(String(ent.type ?? '')) && ent.id.includes('@')) out.push({ type: 'user', id: ent.id.toLowerCase(), role: 'target' });
  // one entry per (type, id): the acting user is often the evidence's user too
  const seen = new Set<string>();
  return entities(...out).filter((e) => {
    const k = `${e.type}\u0000${e.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export const microsoftAlert = defineRule({
  id: 'TW-ALERT-001',
  title: 'Microsoft raised an alert',
  severity: 'medium',
  tactics: ['impact', 'defense-evasion'],
  techniques: ['T1496', 'T1562'],
  description:
    'Every alert Microsoft raises for the tenant (Graph security alerts_v2, SecurityComplianceCenter alerts in the ' +
    'unified audit log: "Suspicious connector activity", "Tenant restricted from sending email" …) becomes a ' +
    'tenantwatch alert with Microsoft\'s severity, at least high for the alert policies of the connector-spam chain, ' +
    'and the users, mailboxes, apps and IPs it names. Updates of the same alert fold into one; alerts closed as ' +
    'false positives or dismissed are dropped.',
  whyItMatters:
    'In the 2022 campaign the alerts that did fire were Microsoft\'s own ("Suspicious connector activity", ' +
    '"Tenant restricted from sending email"). Joined with tenantwatch\'s detections on the same users, apps and IPs ' +
    'they place the tenant\'s restriction in the chain that caused it.',
  falsePositives: [
    'Microsoft alerts have their own false positives (bulk senders hitting sending limits): classify them in the ' +
      'Defender portal; alerts classified as false positive or dismissed are not surfaced.',
  ],
  references: ['https://learn.microsoft.com/defender-xdr/alert-policies', 'https://learn.microsoft.com/graph/api/resources/security-alert'],
  status: 'stable',
  inputs: { facts: ['alerts'], sources: ['security.alert'] },
  tunables: {
    campaignAlerts: { type: 'string[]', default: CAMPAIGN_ALERTS, help: 'alert titles that are at least high (the connector-spam chain)' },
  },
  suppressMs: DAY,
  detect: (t) => {
    const campaign = new Set(t.campaignAlerts.map(titleKey));
    return match({
      on: { actions: ['alert'], sources: ['security.alert'] },
      key: (ev) => str(ev, 'alertId') ?? str(ev, 'providerAlertId') ?? ev.id,
      alert: (m) => {
        const ev = m.event;
        if (closedBenign(ev)) return undefined;
        const title = str(ev, 'title') ?? ev.operation;
        const msSeverity = str(ev, 'severity');
        let severity: Severity = MS_SEVERITY[msSeverity?.toLowerCase() ?? ''] ?? 'medium';
        const inChain = campaign.has(titleKey(title));
        if (inChain && severityRank(severity) < severityRank('high')) severity = 'high';
        const from = str(ev, 'serviceSource') ?? str(ev, 'alertSource') ?? (ev.source === 'security.alert' && ev.raw.format.startsWith('graph') ? 'Microsoft Graph' : 'Microsoft 365');
        const ents = entitiesOf(ev);
        const named = ents.filter((e) => e.role !== 'source' || e.type === 'ip').map((e) => `${e.type} ${e.id}`);
        const techniques = Array.isArray(ev.details?.mitreTechniques) ? (ev.details!.mitreTechniques as unknown[]).filter((x): x is string => typeof x === 'string') : [];
        let explanation =
          `${from} raised "${title}" for activity at ${iso(ev.time)} (Microsoft severity ${msSeverity ?? 'not given'}` +
          `${str(ev, 'status') ? `, status ${str(ev, 'status')}` : ''}${str(ev, 'category') ? `, category ${str(ev, 'category')}` : ''}).`;
        if (named.length) explanation += ` It names ${named.slice(0, 8).join(', ')}${named.length > 8 ? ` and ${named.length - 8} more` : ''}.`;
        const desc = str(ev, 'description');
        if (desc) explanation += ` Microsoft: "${desc.slice(0, 300)}"`;
        if (inChain && severity !== (MS_SEVERITY[msSeverity?.toLowerCase() ?? ''] ?? 'medium')) explanation += ' Raised to high: a Microsoft alert policy of the connector-spam chain.';
        else if (inChain) explanation += ' One of Microsoft\'s alert policies for the connector-spam chain: look for connector, transport-rule and app changes before it.';
        return {
          title: `Microsoft alert: ${title}`,
          severity,
          ...microsoftAttackTags(str(ev, 'category'), techniques),
          entities: ents,
          explanation,
          facts: {
            microsoftTitle: title,
            microsoftSeverity: msSeverity ?? 'unknown',
            alertId: m.key,
            source: from,
            campaignAlert: inChain,
            ...(techniques.length ? { mitreTechniques: techniques } : {}),
            ...(str(ev, 'incidentId') ? { incidentId: str(ev, 'incidentId')! } : {}),
          },
        };
      },
    });
  },
});
