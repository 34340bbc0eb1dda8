// Ground truth: every malicious record's id (the id the decoders assign: signIn.id, directoryAudit.id, UAL Id,
// "<MessageTraceId>/<recipient>"), grouped by incident and step, plus the ids of benign "decoy" records that look
// like attacks. Ids are recorded only when a record is actually written, so every id in truth.json is in the output.
import { isoSecZ } from './clock.js';
import type { Decoy, Label } from './model.js';

export interface StepDef {
  step: string;
  description: string;
  /** detection capabilities expected to fire on this step (see docs/simulate.md "Capabilities") */
  expectRules: string[];
}

export interface IncidentDef {
  id: string;
  scenario: string;
  title: string;
  summary: string;
  actors: { users: string[]; ips: string[]; apps: string[] };
  steps: StepDef[];
}

interface StepState extends StepDef {
  ids: Set<string>;
  sources: Record<string, number>;
  first?: number;
  last?: number;
}

const DECOY_CAP = 20_000;

export class Truth {
  private incidents = new Map<string, { def: IncidentDef; steps: Map<string, StepState> }>();
  private malicious = new Set<string>();
  private decoys = new Map<Decoy, { count: number; ids: string[] }>();

  register(def: IncidentDef): void {
    const steps = new Map<string, StepState>();
    for (const s of def.steps) steps.set(s.step, { ...s, ids: new Set(), sources: {} });
    this.incidents.set(def.id, { def, steps });
  }

  record(label: Label, id: string, source: string, time: number): void {
    const inc = this.incidents.get(label.incident);
    if (!inc) throw new Error(`simulator bug: label for unregistered incident ${label.incident}`);
    const st = inc.steps.get(label.step);
    if (!st) throw new Error(`simulator bug: incident ${label.incident} has no step ${label.step}`);
    if (!st.ids.has(id)) {
      st.ids.add(id);
      st.sources[source] = (st.sources[source] ?? 0) + 1;
    }
    st.first = st.first === undefined ? time : Math.min(st.first, time);
    st.last = st.last === undefined ? time : Math.max(st.last, time);
    this.malicious.add(id);
  }

  decoy(kind: Decoy, id: string): void {
    let d = this.decoys.get(kind);
    if (!d) this.decoys.set(kind, (d = { count: 0, ids: [] }));
    d.count++;
    if (d.ids.length < DECOY_CAP) d.ids.push(id);
  }

  get maliciousCount(): number {
    return this.malicious.size;
  }

  /** the truth.json document */
  toJSON(head: Record<string, unknown>): Record<string, unknown> {
    const incidents = [...this.incidents.values()].map(({ def, steps }) => {
      const list = [...steps.values()];
      const times = list.flatMap((s) => (s.first === undefined ? [] : [s.first, s.last!]));
      return {
        id: def.id,
        scenario: def.scenario,
        title: def.title,
        summary: def.summary,
        actors: def.actors,
        start: times.length ? isoSecZ(Math.min(...times)) : null,
        end: times.length ? isoSecZ(Math.max(...times)) : null,
        steps: list.map((s) => ({
          step: s.step,
          description: s.description,
          expectRules: s.expectRules,
          time: s.first === undefined ? null : isoSecZ(s.first),
          lastTime: s.last === undefined ? null : isoSecZ(s.last),
          sources: s.sources,
          eventIds: [...s.ids].sort(),
        })),
      };
    });
    const decoys: Record<string, { count: number; truncated: boolean; eventIds: string[] }> = {};
    for (const [k, d] of [...this.decoys.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      decoys[k] = { count: d.count, truncated: d.count > d.ids.length, eventIds: d.ids.slice().sort() };
    }
    return { ...head, incidents, maliciousEventIds: [...this.malicious].sort(), decoys };
  }
}
