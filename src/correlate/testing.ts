// Test helpers: alerts built directly (correlation tests do not need the engine).
import type { Alert, Entity, Severity } from '../detect/alert.js';
import type { TacticName } from '../detect/attack.js';
import { stableId } from '../core/ids.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);

export interface AlertOpts {
  name: string;
  at: number;
  /** span length (lastSeen - firstSeen), ms */
  span?: number;
  severity?: Severity;
  rule?: string;
  tenant?: string;
  tactics?: TacticName[];
  techniques?: string[];
  entities: Entity[];
  facts?: Alert['facts'];
  revision?: number;
}

export function alert(o: AlertOpts): Alert {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    schemaVersion: 1,
    id: stableId('test-alert', o.name),
    rule: o.rule ?? 'TW-TEST-001',
    title: `test alert ${o.name}`,
    severity: o.severity ?? 'medium',
    time: iso(o.at + (o.span ?? 0)),
    firstSeen: iso(o.at),
    lastSeen: iso(o.at + (o.span ?? 0)),
    tenant: o.tenant ?? 'tenant-a',
    key: o.name,
    tactics: o.tactics ?? ['persistence'],
    techniques: o.techniques ?? ['T1098'],
    entities: o.entities,
    explanation: `explanation of ${o.name} with 3 numbers`,
    facts: o.facts ?? {},
    evidence: [],
    evidenceTruncated: 0,
    revision: o.revision ?? 1,
    occurrences: 1,
  };
}

export const user = (id: string, role: Entity['role'] = 'actor', aliases?: string[]): Entity => ({ type: 'user', id, role, ...(aliases ? { aliases } : {}) });
export const app = (id: string, role: Entity['role'] = 'target', extra: Partial<Entity> = {}): Entity => ({ type: 'app', id, role, ...extra });
export const sp = (id: string, role: Entity['role'] = 'target'): Entity => ({ type: 'servicePrincipal', id, role });
export const ip = (id: string): Entity => ({ type: 'ip', id, role: 'source' });
export const connector = (id: string): Entity => ({ type: 'connector', id, display: id, role: 'target' });
