// Low-and-slow distributed password spray: many residential-proxy and hosting IPs across many ASNs, one try per
// account per IP, each IP kept near the classic "5 accounts per 20 minutes" threshold (the pace varies by seed), over
// hours. A guessed password on an MFA-protected account ends in an MFA interrupt (50074): the password is valid.
import { HOUR, MINUTE } from '../clock.js';
import { signIn } from '../gen/signin.js';
import type { Label } from '../model.js';
import { APPS, ATTACKER_UAS, RESOURCES } from '../world/catalog.js';
import { hostingNet, proxyNets, type Scenario, type ScenarioCtx, targets, timeIn } from './types.js';

export const spray: Scenario = {
  name: 'spray',
  title: 'Distributed low-and-slow password spray',
  plan(ctx: ScenarioCtx) {
    const { world, r } = ctx;
    const id = `INC-spray-${world.seed}`;
    const L = (step: string): Label => ({ incident: id, step });
    const home = world.offices[0]!.place;
    const nets = [...proxyNets(ctx, r.int(6, 12), home.continent), ...Array.from({ length: r.int(2, 4) }, () => hostingNet(ctx, home.country))];
    const ips = nets.flatMap((n) => Array.from({ length: r.int(1, 5) }, () => ({ net: n, ip: world.nets.table.hostV4(n, r) })));
    const uniq = [...new Map(ips.map((x) => [x.ip, x])).values()];
    const accounts = targets(ctx, Math.min(r.int(40, 300), Math.max(5, Math.floor(world.users.length * 0.6))));
    const lucky = new Set(r.sample(accounts, r.int(1, 2)).map((u) => u.id));
    const rounds = r.int(1, 3);
    const pace = world.rates.sprayPerIpPer20m; // accounts per IP per 20 minutes
    const start = timeIn(ctx, 0.2, 0.85, 0, 24);

    ctx.incident({
      id,
      scenario: 'spray',
      title: this.title,
      summary: `${uniq.length} IPs in ${nets.length} ASNs try ${rounds} password(s) against ${accounts.length} accounts, about ${pace} accounts per IP per 20 minutes.`,
      actors: { users: accounts.map((u) => u.upn), ips: uniq.map((x) => x.ip), apps: [] },
      steps: [
        { step: 'spray', description: 'failed sign-ins (50126) spread over many IPs and ASNs, one try per account per IP', expectRules: ['signin.password-spray'] },
        { step: 'password-valid', description: 'a sprayed password is right: MFA interrupt (50074) from a spraying IP', expectRules: ['signin.spray-password-valid', 'signin.success-after-failures'] },
      ],
    });

    // Each IP works in short bursts of `pace` accounts inside 20 minutes, then rests while the next IPs take over:
    // per-IP counts sit right at the classic threshold, and the whole spray takes hours.
    const stagger = r.range(4, 25) * MINUTE;
    const used = new Map<string, Set<string>>();
    const burstsOf = new Map<string, number>();
    let burstStart = start;
    let ipIdx = r.int(0, uniq.length - 1);
    for (let round = 0; round < rounds; round++) {
      const ua = r.pick(ATTACKER_UAS.spray);
      const queue = r.sample(accounts, accounts.length);
      while (queue.length > 0) {
        // the next IP that still has accounts it has not tried
        let pick = uniq[ipIdx++ % uniq.length]!;
        for (let k = 0; k < uniq.length && queue.every((u) => used.get(pick.ip)?.has(u.id)); k++) pick = uniq[ipIdx++ % uniq.length]!;
        const seen = used.get(pick.ip) ?? used.set(pick.ip, new Set()).get(pick.ip)!;
        const burst = Math.max(1, pace - (r.chance(0.3) ? 1 : 0));
        let t = burstStart;
        for (let k = 0; k < burst && queue.length > 0; k++) {
          const qi = queue.findIndex((u) => !seen.has(u.id));
          if (qi < 0) break;
          const u = queue.splice(qi, 1)[0]!;
          seen.add(u.id);
          t += r.range(0.5, 19 / burst) * MINUTE;
          const hit = lucky.has(u.id) && round === rounds - 1;
          ctx.add(signIn(world, r, {
            type: 'interactive', at: t, user: u, app: r.pick([APPS.office, APPS.owa, APPS.teams]), resource: RESOURCES.exchange, net: pick.net, ip: pick.ip, ua,
            clientAppUsed: ua === 'BAV2ROPC' ? 'Other clients' : 'Browser', protocol: ua === 'BAV2ROPC' ? 'ropc' : 'oAuth2',
            auth: hit ? 'mfa-interrupt' : r.chance(0.03) ? 'locked' : 'badpw', label: L(hit ? 'password-valid' : 'spray'),
            risk: hit && r.chance(0.5) ? { during: 'high', aggregated: 'high', state: 'atRisk', detail: 'none', types: ['passwordSpray'] } : undefined,
          }));
        }
        burstsOf.set(pick.ip, (burstsOf.get(pick.ip) ?? 0) + 1);
        burstStart += stagger * r.range(0.6, 1.4);
      }
      burstStart += r.range(1, 5) * HOUR; // pause between password rounds
    }
  },
};
