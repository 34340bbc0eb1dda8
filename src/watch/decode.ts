// Records pulled from Microsoft's APIs -> Events, through the same decoder registry as files (the first decoder
// whose matcher accepts a record decodes it). Pulled records are single objects already (the sources unwrap
// pages), so no framing is needed. Never throws: a record no decoder can use is counted with its reason.
import type { Event } from '../core/event.js';
import { jsonDecoders } from '../decoders/index.js';
import type { Decoder } from '../decoders/types.js';
import type { Obj } from '../sources/types.js';

export interface DecodedBatch {
  events: Event[];
  quarantined: string[];
  filtered: number;
}

let decoders: Decoder[] | undefined;

/** `file` names the origin in evidence, e.g. "watch:graph.signins.interactiveUser/p00003". */
export function decodeRecords(records: readonly Obj[], file: string): DecodedBatch {
  decoders ??= jsonDecoders();
  const out: DecodedBatch = { events: [], quarantined: [], filtered: 0 };
  records.forEach((value, i) => {
    const d = decoders!.find((x) => x.matchRecord?.(value));
    if (!d) {
      out.quarantined.push(`unrecognized record (keys: ${Object.keys(value).slice(0, 6).join(', ')})`);
      return;
    }
    let res;
    try {
      res = d.decode({ value, text: JSON.stringify(value), file, line: i + 1, container: 'json' }, {});
    } catch (e) {
      out.quarantined.push(`decoder ${d.id} failed (a tenantwatch bug, please report): ${(e as Error).message}`);
      return;
    }
    if (res.kind === 'quarantine') out.quarantined.push(res.reason);
    else if (res.kind === 'filtered' || res.events.length === 0) out.filtered++;
    else out.events.push(...res.events);
  });
  return out;
}
