// TW-EXO-003: a connector or transport rule removed soon after it was created (clean-up after use).
import type { Event } from '../../../core/event.js';
import { DAY, HOUR, MINUTE, humanDuration } from '../../../config/tunables.js';
import { iso, SEVERITIES, type Severity } from '../../../detect/alert.js';
import { sequence } from '../../../detect/spec.js';
import { entities, listSome } from '../../lib.js';
import { defineRule } from '../../types.js';
import { tenantDomains } from '../../mail/domains.js';
import { assessConnector, effectiveConfig, relevantParams } from '../connector-config.js';
import { aboutDuration, actorEntities, actorWords, byApp, byPersonOrApp, objectEntity, objectKey, objectName, raise } from '../lib.js';
import { paramsOf } from '../params.js';
import { assessTransportRule } from '../transport-rule-risk.js';

type Kind = 'inbound' | 'outbound' | 'transportrule';
const KIND: Partial<Record<Event['action'], Kind>> = {
  'connector.inbound.create': 'inbound',
  'connector.inbound.remove': 'inbound',
  'connector.outbound.create': 'outbound',
  'connector.outbound.remove': 'outbound',
  'transportrule.create': 'transportrule',
  'transportrule.remove': 'transportrule',
};
const WORDS: Record<Kind, string> = { inbound: 'Inbound connector', outbound: 'Outbound connector', transportrule: 'Transport rule' };

const key = (ev: Event): string | undefined => {
  const kind = KIND[ev.action];
  const name = objectKey(ev);
  return kind && name ? `${kind}:${name}` : undefined;
};

/** How risky the object was when created, from its New-* arguments (and the cmdlet defaults). */
function createdRisk(ev: Event, kind: Kind, isTenant: (d: string) => boolean): { level: 'low' | 'medium' | 'high'; factors: string[] } {
  if (kind === 'inbound') {
    const { config } = effectiveConfig([], { t: ev.time, op: 'new', params: relevantParams(paramsOf(ev)) });
    const r = assessConnector(config);
    return { level: r.level, factors: r.factors };
  }
  if (kind === 'transportrule') {
    const r = assessTransportRule(paramsOf(ev), isTenant);
    return { level: r.level === 'none' ? 'low' : r.level, factors: r.factors };
  }
  return { level: 'low', factors: [] };
}

export const createdThenRemoved = defineRule({
  id: 'TW-EXO-003',
  title: 'Connector or transport rule removed soon after it was created',
  severity: 'medium',
  tactics: ['defense-evasion'],
  techniques: ['T1070', 'T1562'],
  description:
    'New-InboundConnector, New-OutboundConnector or New-TransportRule followed by the matching Remove-* of the same ' +
    'name within the window. Severity follows what the object allowed when it was created (the connector and ' +
    'transport-rule judgements of TW-EXO-001/002) and who made and removed it.',
  whyItMatters:
    'Attackers who relay spam through a tenant remove their connector and header-stripping rules between runs, so ' +
    'the configuration looks clean to the next audit; the audit log still holds the create-and-remove pair.',
  falsePositives: [
    'An admin testing mail flow creates a connector or rule and removes it minutes later: a harmless object by a ' +
      'known admin stays low; confirm with the admin.',
    'Migration tooling that recreates connectors: same actor, routine names; raise the bar with a shorter window.',
  ],
  references: ['https://learn.microsoft.com/defender-office-365/connectors-detect-respond-to-compromise', 'https://attack.mitre.org/techniques/T1070/'],
  status: 'stable',
  inputs: { facts: ['exchange.admin'], sources: ['ual'] },
  tunables: {
    within: { type: 'duration', default: 7 * DAY, min: 10 * MINUTE, max: 30 * DAY, help: 'from creation to removal' },
    tenantDomains: { type: 'string[]', default: [], help: "the tenant's mail domains (scope of transport rules)" },
  },
  suppressMs: DAY,
  detect: (t) =>
    sequence({
      steps: [
        { name: 'create', on: { actions: ['connector.inbound.create', 'connector.outbound.create', 'transportrule.create'], sources: ['ual'], where: byPersonOrApp }, key },
        { name: 'remove', on: { actions: ['connector.inbound.remove', 'connector.outbound.remove', 'transportrule.remove'], sources: ['ual'], where: byPersonOrApp }, key },
      ],
      withinMs: t.within,
      alert: (m, ctx) => {
        const created = m.steps[0]!.event;
        const removed = m.steps[1]!.event;
        const kind = KIND[created.action]!;
        const name = objectName(created) ?? m.key.slice(m.key.indexOf(':') + 1);
        const risk = createdRisk(created, kind, tenantDomains(created, ctx, t.tenantDomains).isTenant);
        const apps = [created, removed].filter(byApp);
        let severity: Severity = risk.level;
        if (apps.length) severity = risk.level === 'low' ? 'high' : 'critical';
        const sameActor = actorWords(created) === actorWords(removed);
        // a short-lived harmless object made and removed by one person is a test; a different remover is worth a look
        if (!apps.length && !sameActor && severity === 'low') severity = raise(SEVERITIES, severity);
        const life = Math.max(m.elapsedMs, 1000);
        let explanation =
          `${WORDS[kind]} "${name}" was created at ${iso(created.time)} by ${actorWords(created)}${created.actor.ip ? ` from ${created.actor.ip}` : ''} ` +
          `and removed ${aboutDuration(life)} later${sameActor ? ' by the same actor' : ` by ${actorWords(removed)}${removed.actor.ip ? ` from ${removed.actor.ip}` : ''}`} ` +
          `(window ${humanDuration(m.withinMs)}).`;
        explanation += risk.factors.length ? ` When created it allowed: ${risk.factors.join(', ')} (${risk.level}).` : ' Its creation arguments show nothing that weakens mail flow.';
        if (apps.length) explanation += ' An app (not a person) created or removed it, as the malicious app did in the 2022 campaign.';
        explanation += ' Look for mail sent in between (message trace) and for who else changed mail flow then.';
        return {
          title: `${WORDS[kind]} ${name} removed ${aboutDuration(life)} after it was created${risk.factors.length ? ` (${listSome(risk.factors, 2)})` : ''}`,
          severity,
          entities: entities(objectEntity(kind === 'transportrule' ? 'transportRule' : 'connector', name), ...actorEntities(created), ...actorEntities(removed)),
          explanation,
          facts: {
            object: kind,
            name,
            lifetimeMinutes: Math.round(life / (MINUTE / 100)) / 100,
            windowHours: m.withinMs / HOUR,
            riskFactors: risk.factors,
            sameActor,
            createdBy: created.actor.kind,
            removedBy: removed.actor.kind,
          },
        };
      },
    }),
});
