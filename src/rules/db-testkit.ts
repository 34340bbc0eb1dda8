// For rule tests that need the geo / ASN database (here network tables): UAL records carry neither place nor ASN,
// and rule cases (cases.ts) cannot load a database. Raw records go through the real decoders, then through an
// engine with that enrichment; the first (or last) emission of each alert comes back.
import assert from 'node:assert/strict';
import { defaultConfig, mergeConfig, parseConfig, type Config } from '../config/config.js';
import type { Event } from '../core/event.js';
import type { Alert } from '../detect/alert.js';
import { Engine } from '../detect/engine.js';
import { createEnrichment } from '../enrich/allowlists.js';
import { loadGeoEnrichment } from '../enrich/loader.js';
import { decodeText } from '../pipeline/testkit.js';
import type { Rule } from './types.js';

export interface DbRunOptions {
  /** network tables (CSV) that stand in for the databases; none: no geo / ASN at all */
  tables?: string[];
  /** YAML config for the rule's tunables */
  config?: string;
  /** which emission of each alert comes back: the first (default) or the last revision (repeats folded in) */
  revision?: 'first' | 'last';
}

export async function runWithNetworks(rule: Rule, records: Record<string, unknown>[], opts: DbRunOptions = {}): Promise<Alert[]> {
  let config: Config = defaultConfig();
  if (opts.config) config = mergeConfig(config, parseConfig(opts.config, 'test.yml', [{ id: rule.id, tunables: rule.tunables, suppressMs: rule.suppressMs }]));
  const g = opts.tables?.length ? loadGeoEnrichment({ packages: false, networkTables: opts.tables }) : undefined;
  const enrich = createEnrichment(config, g ? { geo: g.geo, asn: g.asn, asnName: g.asnName, asnKinds: g.asnKinds } : {});
  const events: Event[] = [];
  for (const r of records) {
    const d = await decodeText(JSON.stringify(r) + '\n', 'rec.json', { dedup: false });
    assert.deepEqual(d.quarantined, []);
    events.push(...d.events);
  }
  const engine = new Engine([rule], config, { enrich });
  for (const e of events.sort((a, b) => a.time - b.time)) engine.push(e);
  engine.end();
  const all = engine.drain();
  if (opts.revision !== 'last') return all.filter((a) => a.revision === 1);
  const last = new Map<string, Alert>();
  for (const a of all) if ((last.get(a.id)?.revision ?? 0) < a.revision) last.set(a.id, a);
  return [...last.values()];
}
