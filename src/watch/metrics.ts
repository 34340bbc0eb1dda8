// Prometheus metrics of a watch, rendered in the text exposition format 0.0.4. Names follow Prometheus practice: one
// prefix, base units (seconds), `_total` on counters, and only low-cardinality labels (source, sink, rule,
// severity, status or error code — never a user, an IP or an alert id). Counters start at zero with each process.

type Labels = Record<string, string>;

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, { labels: Labels; v: number }>;
}

const labelKey = (l: Labels) => Object.keys(l).sort().map((k) => `${k}=${l[k]}`).join('\u0000');
const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export class Metrics {
  private readonly families = new Map<string, Family>();

  private family(name: string, help: string, type: Family['type']): Family {
    let f = this.families.get(name);
    if (!f) this.families.set(name, (f = { name, help, type, values: new Map() }));
    return f;
  }

  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    const f = this.family(name, help, 'counter');
    const k = labelKey(labels);
    const cur = f.values.get(k);
    if (cur) cur.v += by;
    else f.values.set(k, { labels, v: by });
  }

  set(name: string, help: string, labels: Labels, v: number): void {
    const f = this.family(name, help, 'gauge');
    f.values.set(labelKey(labels), { labels, v });
  }

  /** A counter kept elsewhere (the API client's, the engine's): exposed at its current total. */
  mirror(name: string, help: string, labels: Labels, v: number): void {
    const f = this.family(name, help, 'counter');
    f.values.set(labelKey(labels), { labels, v });
  }

  /** Make a series exist (at 0) before anything happened, so dashboards and alerts see it. */
  declare(name: string, help: string, type: Family['type'], labels: Labels = {}): void {
    const f = this.family(name, help, type);
    const k = labelKey(labels);
    if (!f.values.has(k)) f.values.set(k, { labels, v: 0 });
  }

  get(name: string, labels: Labels = {}): number | undefined {
    return this.families.get(name)?.values.get(labelKey(labels))?.v;
  }

  render(): string {
    const out: string[] = [];
    for (const f of [...this.families.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      out.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${f.name} ${f.type}`);
      for (const { labels, v } of [...f.values.values()].sort((a, b) => (labelKey(a.labels) < labelKey(b.labels) ? -1 : 1))) {
        const ls = Object.keys(labels).sort().map((k) => `${k}="${esc(labels[k]!)}"`).join(',');
        out.push(`${f.name}${ls ? `{${ls}}` : ''} ${Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN'}`);
      }
    }
    return out.join('\n') + '\n';
  }
}

/** Metric names and help texts in one place (docs/watch.md lists them). */
export const M = {
  up: ['tenantwatch_watch_up', '1 while the watch loop runs'],
  records: ['tenantwatch_records_total', 'Records pulled from a source (duplicates of records already read excluded)'],
  events: ['tenantwatch_events_in_total', 'Events decoded from pulled records and pushed to the detection engine'],
  future: ['tenantwatch_future_events_total', 'Events dated more than 5 minutes after the clock (they do not move the watermark past it)'],
  quarantined: ['tenantwatch_quarantined_total', 'Pulled records no decoder could use'],
  filtered: ['tenantwatch_filtered_total', 'Pulled records left out on purpose (decoder noise, UAL copies of directory audits)'],
  alerts: ['tenantwatch_alerts_total', 'New alerts by rule and severity'],
  revisions: ['tenantwatch_alert_revisions_total', 'Alert revisions (repeats folded in, escalations)'],
  lag: ['tenantwatch_source_lag_seconds', 'How far behind now a source has been read (now minus its checkpoint)'],
  lastSuccess: ['tenantwatch_source_last_success_timestamp_seconds', 'When a source last reached its target'],
  lost: ['tenantwatch_source_lost_seconds_total', "Time spans a source skipped because they were past the API's retention when read (a long stop)"],
  sourceErrors: ['tenantwatch_source_errors_total', 'Failed polls by source and error code (HTTP status or Microsoft error code)'],
  apiResponses: ['tenantwatch_api_responses_total', 'Microsoft API responses by HTTP status (0 = no response)'],
  apiErrors: ['tenantwatch_api_errors_total', 'Microsoft API errors by code: HTTP status of failed responses, or network'],
  throttled: ['tenantwatch_api_throttled_total', 'Throttled Microsoft API responses (429, AF429)'],
  deliveries: ['tenantwatch_deliveries_total', 'Alert deliveries by sink and outcome (delivered, retry, dead)'],
  deliveryErrors: ['tenantwatch_delivery_errors_total', 'Failed delivery attempts by sink and code'],
  outbox: ['tenantwatch_outbox_deliveries', 'Outbox rows by sink and state (pending, delivered, dead)'],
  commits: ['tenantwatch_commits_total', 'State commits (checkpoints + engine state + alerts + outbox in one transaction)'],
  late: ['tenantwatch_engine_late_events_total', 'Events that arrived behind the watermark (processed at once)'],
  duplicates: ['tenantwatch_engine_duplicate_events_total', 'Events dropped as repeats of an event already seen'],
  buffered: ['tenantwatch_engine_buffered_events', 'Events waiting for the watermark'],
} as const satisfies Record<string, readonly [string, string]>;
