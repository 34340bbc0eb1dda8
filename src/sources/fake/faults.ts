// Faults the fake service injects, in the shapes Microsoft documents: 429 with Retry-After, the Management API's
// AF429 inside a 403, 500/503/504, slow and hanging responses (client timeouts), a 200 whose JSON is cut off, a
// connection reset mid-body, tokens that expire server-side, pages served twice and nextLinks that loop.
// A rule matches requests by server, method and path; `times`/`every`/`after` pick which matching requests fail.

export type ServerName = 'authority' | 'graph' | 'management' | 'exchange';

export type FaultKind =
  | '429' // throttled, Retry-After: retryAfter seconds
  | 'af429' // Management API throttling: 403 {"error":{"code":"AF429",…}}
  | '500'
  | '503' // with Retry-After when retryAfter is set
  | '504'
  | 'slow' // answer after delayMs real ms (below the client's timeout: must just work)
  | 'hang' // never answer (the client must time out and retry)
  | 'truncate' // 200 with half of the JSON body
  | 'reset' // send half of the body, then destroy the socket
  | 'expire-token' // 401 InvalidAuthenticationToken; every token issued so far stops working
  | 'repeat-page' // Graph/records paging: serve this page, and the same page again on the next nextLink
  | 'loop-link'; // Graph paging: @odata.nextLink equal to the request's own URL

export interface FaultRule {
  kind: FaultKind;
  server?: ServerName;
  method?: string;
  /** matched against the path + query */
  path?: RegExp;
  /** fail the first `times` matching requests (after skipping `after`); default 1 */
  times?: number;
  /** or fail every n-th matching request (1-based: every=3 -> 3rd, 6th, …), up to `times` when given */
  every?: number;
  /** skip this many matching requests first */
  after?: number;
  /** seconds, for 429/503/af429 */
  retryAfter?: number;
  /** real ms, for slow */
  delayMs?: number;
}

export class FaultPlan {
  private readonly seen: number[];
  private readonly fired: number[];
  constructor(readonly rules: FaultRule[] = []) {
    this.seen = rules.map(() => 0);
    this.fired = rules.map(() => 0);
  }

  /** The fault to inject for this request, if any (first matching rule that fires). */
  pick(server: ServerName, method: string, pathAndQuery: string): FaultRule | undefined {
    for (let i = 0; i < this.rules.length; i++) {
      const r = this.rules[i]!;
      if (r.server && r.server !== server) continue;
      if (r.method && r.method.toUpperCase() !== method.toUpperCase()) continue;
      if (r.path && !r.path.test(pathAndQuery)) continue;
      const n = ++this.seen[i]!;
      const k = n - (r.after ?? 0);
      if (k <= 0) continue;
      const limit = r.times ?? (r.every ? Infinity : 1);
      if (this.fired[i]! >= limit) continue;
      if (r.every ? k % r.every === 0 : true) {
        this.fired[i]!++;
        return r;
      }
    }
    return undefined;
  }

  /** how many times each rule fired (tests assert the fault really happened) */
  firedCounts(): number[] {
    return [...this.fired];
  }
}
