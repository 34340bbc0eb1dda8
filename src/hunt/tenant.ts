// Tenant join. Graph directoryAudit, riskDetection and message-trace records carry no tenant id, so their Events
// say tenant 'unknown' while the sign-ins and the UAL of the same tenant name it. The engine keys its state by
// tenant, so a sequence from a sign-in (tenant X) to a directory audit ('unknown') would never complete. The hunt
// tallies the tenants while reading; before detection, when the input holds exactly one known tenant (or --tenant
// names one), every 'unknown' event takes it. With several tenants and no --tenant the unknowns stay 'unknown'
// and the report says so: guessing would join one tenant's admin to another tenant's app.

/** Distinct tenants remembered while reading (a hostile input cannot grow this past the cap). */
const MAX_TENANTS = 1000;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isTenantId(s: string): boolean {
  return GUID.test(s);
}

export interface TenantJoin {
  /** the tenant 'unknown' events take; undefined = they stay 'unknown' */
  assign?: string;
  /** why, for the report's coverage notes; undefined when there is nothing to say */
  note?: string;
}

export class TenantTally {
  private readonly counts = new Map<string, number>();
  unknown = 0;
  /** assignments made by `apply` */
  assigned = 0;

  observe(tenant: string): void {
    if (tenant === 'unknown' || tenant === '') {
      this.unknown++;
      return;
    }
    const have = this.counts.get(tenant);
    if (have !== undefined) this.counts.set(tenant, have + 1);
    else if (this.counts.size < MAX_TENANTS) this.counts.set(tenant, 1);
  }

  get known(): string[] {
    return [...this.counts.keys()].sort();
  }

  /** Decide what 'unknown' events become. `forced` is --tenant (already validated, lower-cased). */
  decide(forced?: string): TenantJoin {
    const known = this.known;
    if (forced) {
      const others = known.filter((t) => t !== forced);
      const extra = others.length ? ` The input also holds tenant${others.length === 1 ? '' : 's'} ${others.slice(0, 5).join(', ')}${others.length > 5 ? ' …' : ''}: their events keep their own id.` : '';
      return {
        assign: forced,
        note: this.unknown ? `${this.unknown} event${this.unknown === 1 ? '' : 's'} without a tenant id (Graph directory audits, risk detections, message trace) were assigned tenant ${forced} (--tenant).${extra}` : undefined,
      };
    }
    if (!this.unknown) return {};
    if (known.length === 1) {
      return {
        assign: known[0],
        note: `${this.unknown} event${this.unknown === 1 ? '' : 's'} without a tenant id (Graph directory audits, risk detections, message trace) were assigned tenant ${known[0]}, the only tenant the other records name.`,
      };
    }
    if (known.length === 0) return {};
    return {
      note:
        `${this.unknown} event${this.unknown === 1 ? '' : 's'} carry no tenant id (Graph directory audits, risk detections, message trace) and the input holds ` +
        `${known.length} tenants (${known.slice(0, 5).join(', ')}${known.length > 5 ? ' …' : ''}): they stay tenant "unknown", so sequences that ` +
        'join them with sign-ins or the UAL (a risky sign-in then an app change, a connector then spam) cannot complete. Hunt one tenant at a time, ' +
        'or give --tenant GUID when those records belong to one tenant.',
    };
  }

  /** Give an 'unknown' event the decided tenant (in place). */
  apply<T extends { tenant: string }>(ev: T, join: TenantJoin): T {
    if (join.assign && (ev.tenant === 'unknown' || ev.tenant === '')) {
      ev.tenant = join.assign;
      this.assigned++;
    }
    return ev;
  }
}
