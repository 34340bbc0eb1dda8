// `--format ocsf`: OCSF 1.1 Detection Finding (class_uid 2004) objects, one per alert and one per incident, as a
// JSON array. Field names follow the OCSF 1.1.0 schema: finding_info (uid, title, desc, created_time,
// first_seen_time, last_seen_time, analytic, attacks, related_events, types), evidences (Evidence Artifacts),
// resources (Resource Details), observables, metadata.product, cloud. What OCSF has no field for goes under
// `unmapped.tenantwatch`.
import type { Alert, Entity, Evidence, Severity } from '../detect/alert.js';
import { tactic, technique, ATTACK_VERSION } from '../detect/attack.js';
import type { HuntReport, Incident } from './types.js';

export const OCSF_VERSION = '1.1.0';

const SEVERITY_ID: Record<Severity, number> = { informational: 1, low: 2, medium: 3, high: 4, critical: 5 };
const SEVERITY_NAME: Record<Severity, string> = { informational: 'Informational', low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

/** OCSF observable type_id values (1.1.0 dictionary). */
const OBSERVABLE_TYPE: Partial<Record<Entity['type'], { id: number; name: string }>> = {
  ip: { id: 2, name: 'IP Address' },
  user: { id: 4, name: 'User Name' },
  domain: { id: 1, name: 'Hostname' },
  mailbox: { id: 5, name: 'Email Address' },
  app: { id: 99, name: 'Other' },
  servicePrincipal: { id: 99, name: 'Other' },
  connector: { id: 99, name: 'Other' },
  transportRule: { id: 99, name: 'Other' },
  inboxRule: { id: 99, name: 'Other' },
};

const RESOURCE_TYPES = new Set<Entity['type']>(['app', 'servicePrincipal', 'connector', 'transportRule', 'inboxRule', 'mailbox', 'role', 'domain']);

type Obj = Record<string, unknown>;

function attacks(tactics: readonly string[], techniques: readonly string[]): Obj[] {
  const out: Obj[] = [];
  for (const id of techniques) {
    const tech = technique(id);
    const tacs = tech ? tech.tactics.filter((t) => tactics.includes(t)) : [];
    for (const tn of tacs.length ? tacs : [undefined]) {
      const ta = tn ? tactic(tn) : undefined;
      out.push({
        version: ATTACK_VERSION,
        technique: { uid: id, name: tech?.name ?? id },
        ...(ta ? { tactic: { uid: ta.id, name: ta.title } } : {}),
      });
    }
  }
  // tactics without a technique tag still show up
  for (const tn of tactics) {
    if (out.some((a) => (a.tactic as Obj | undefined)?.name === tactic(tn)?.title)) continue;
    const ta = tactic(tn);
    if (ta) out.push({ version: ATTACK_VERSION, tactic: { uid: ta.id, name: ta.title } });
  }
  return out;
}

function observables(entities: readonly Entity[]): Obj[] {
  const out: Obj[] = [];
  const seen = new Set<string>();
  for (const e of entities) {
    const t = OBSERVABLE_TYPE[e.type];
    if (!t) continue;
    const k = `${e.type}|${e.id}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const type_id = e.type === 'user' && e.id.includes('@') ? 5 : t.id;
    out.push({ name: `${e.type}${e.role ? `.${e.role}` : ''}`, type_id, type: type_id === 5 ? 'Email Address' : t.name, value: e.id });
  }
  return out;
}

function resources(entities: readonly Entity[]): Obj[] {
  return entities.filter((e) => RESOURCE_TYPES.has(e.type)).map((e) => ({
    uid: e.id,
    type: e.type,
    ...(e.display ? { name: e.display } : {}),
    ...(e.aliases?.length ? { labels: e.aliases } : {}),
  }));
}

function evidenceArtifact(ev: Evidence, entities: readonly Entity[]): Obj {
  const ip = entities.find((e) => e.type === 'ip' && ev.summary.includes(e.id))?.id;
  const user = entities.find((e) => e.type === 'user' && (e.role === 'actor' || ev.summary.includes(e.id)));
  return {
    ...(ip ? { src_endpoint: { ip } } : {}),
    ...(user ? { actor: { user: { name: user.id, ...(user.display ? { full_name: user.display } : {}), ...(user.aliases?.[0] ? { uid: user.aliases[0] } : {}) } } } : {}),
    data: {
      event_uid: ev.eventId,
      time: ev.time,
      source: ev.source,
      action: ev.action,
      ...(ev.operation ? { operation: ev.operation } : {}),
      ...(ev.outcome ? { outcome: ev.outcome } : {}),
      summary: ev.summary,
      file: ev.raw.file,
      ...(ev.raw.line !== undefined ? { line: ev.raw.line } : {}),
      format: ev.raw.format,
    },
  };
}

function base(report: HuntReport, severity: Severity, tenant: string, activityId: 1 | 2): Obj {
  return {
    category_uid: 2,
    category_name: 'Findings',
    class_uid: 2004,
    class_name: 'Detection Finding',
    activity_id: activityId,
    activity_name: activityId === 1 ? 'Create' : 'Update',
    type_uid: 200400 + activityId,
    type_name: `Detection Finding: ${activityId === 1 ? 'Create' : 'Update'}`,
    severity_id: SEVERITY_ID[severity],
    severity: SEVERITY_NAME[severity],
    status_id: 1,
    status: 'New',
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'tenantwatch', vendor_name: 'tenantwatch', version: report.tool.version },
      ...(report.run ? { log_name: report.run.id } : {}),
    },
    cloud: { provider: 'Microsoft', account: { uid: tenant, type: 'Azure AD Account', type_id: 6 } },
  };
}

export function alertToOcsf(a: Alert, report: HuntReport): Obj {
  return {
    ...base(report, a.severity, a.tenant, a.revision > 1 ? 2 : 1),
    time: Date.parse(a.time),
    message: a.explanation,
    finding_info: {
      uid: a.id,
      title: a.title,
      desc: a.explanation,
      types: ['alert'],
      created_time: Date.parse(a.time),
      first_seen_time: Date.parse(a.firstSeen),
      last_seen_time: Date.parse(a.lastSeen),
      analytic: { uid: a.rule, name: a.rule, type_id: 1, type: 'Rule' },
      attacks: attacks(a.tactics, a.techniques),
    },
    evidences: a.evidence.map((e) => evidenceArtifact(e, a.entities)),
    resources: resources(a.entities),
    observables: observables(a.entities),
    unmapped: { tenantwatch: { key: a.key, facts: a.facts, revision: a.revision, occurrences: a.occurrences, evidenceTruncated: a.evidenceTruncated } },
  };
}

export function incidentToOcsf(i: Incident, report: HuntReport): Obj {
  return {
    ...base(report, i.severity, i.tenant, i.revision > 1 ? 2 : 1),
    time: Date.parse(i.lastSeen),
    message: i.narrative,
    finding_info: {
      uid: i.id,
      title: i.title,
      desc: i.narrative,
      types: ['incident'],
      created_time: Date.parse(i.firstSeen),
      first_seen_time: Date.parse(i.firstSeen),
      last_seen_time: Date.parse(i.lastSeen),
      analytic: { name: 'tenantwatch correlation', type_id: 99, type: 'Other' },
      attacks: attacks(i.tactics, i.techniques),
      related_events: i.timeline.map((t) => ({ uid: t.alertId, type: 'Detection Finding', type_uid: 200401 })),
    },
    evidences: i.timeline.map((t) => ({ data: { alert_uid: t.alertId, rule: t.rule, title: t.title, time: t.time, linked_because: t.linkedBecause } })),
    resources: resources(i.entities),
    observables: observables(i.entities),
    remediation: {
      desc: 'Containment checklist, in order (see unmapped.tenantwatch.containment for the exact calls).',
      kb_article_list: [],
    },
    unmapped: { tenantwatch: { scope: i.scope, containment: i.containment, context: i.context, mergedFrom: i.mergedFrom ?? [], revision: i.revision } },
  };
}

export function renderOcsf(report: HuntReport): string {
  const out = [...report.incidents.map((i) => incidentToOcsf(i, report)), ...report.alerts.map((a) => alertToOcsf(a, report))];
  return JSON.stringify(out, null, 2) + '\n';
}
