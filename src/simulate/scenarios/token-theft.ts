// Token theft and replay: a user's session (sessionId) and access token (uniqueTokenIdentifier) are stolen after a
// normal MFA sign-in and replayed from another continent — refresh sign-ins carry the victim's sessionId, and the
// unified audit log shows MailItemsAccessed with the victim's UniqueTokenId from the attacker's address.
import { HOUR, MINUTE } from '../clock.js';
import { mailItemsAccessed } from '../gen/exchange.js';
import { signIn } from '../gen/signin.js';
import type { Label } from '../model.js';
import { APPS, RESOURCES } from '../world/catalog.js';
import { proxyNets, ref, type Scenario, type ScenarioCtx, timeIn, victims } from './types.js';

export const tokenTheft: Scenario = {
  name: 'token-theft',
  title: 'Stolen session token replayed from another continent',
  plan(ctx: ScenarioCtx) {
    const { world, r } = ctx;
    const id = `INC-token-theft-${world.seed}`;
    const L = (step: string): Label => ({ incident: id, step });
    const [victim] = victims(ctx, 1, (u) => u.trips.length === 0);
    if (!victim) return;
    const [net] = proxyNets(ctx, 1, victim.office.place.continent);
    const attackerIp = r.chance(0.5) ? world.nets.table.hostV4(net!, r) : world.nets.table.hostV6(net!, r);
    const t0 = timeIn(ctx, 0.1, 0.85, 8, 11, victim.office.place.tz);

    ctx.incident({
      id,
      scenario: 'token-theft',
      title: this.title,
      summary: `${victim.upn}'s session from an MFA sign-in is replayed from ${net!.place.city} (${net!.place.country}).`,
      actors: { users: [victim.upn], ips: [attackerIp], apps: [] },
      steps: [
        { step: 'token-issued', description: 'the victim signs in with MFA; this session and token are stolen', expectRules: [] },
        { step: 'replay', description: 'refresh sign-ins with the victim sessionId from another continent', expectRules: ['signin.token-replay', 'signin.impossible-travel'] },
        { step: 'mail-access', description: 'MailItemsAccessed with the victim UniqueTokenId from the attacker address', expectRules: ['mailbox.token-replay'] },
      ],
    });

    const session = r.uuid();
    const ip = r.chance(0.5) ? r.pick(victim.office.nat) : victim.homeIp;
    const inNet = ip === victim.homeIp ? victim.home : victim.office.net;
    const issued = signIn(world, r, {
      type: 'interactive', at: t0, user: victim, app: APPS.owa, resource: RESOURCES.exchange, net: inNet, ip, ua: victim.desktop.ua, device: victim.desktop,
      clientAppUsed: 'Browser', auth: 'prompt', sessionId: session, label: L('token-issued'),
    });
    ctx.add(issued);

    let t = t0 + r.range(10, 360) * MINUTE;
    const sameUa = r.chance(0.6);
    const replays = r.int(2, 6);
    for (let i = 0; i < replays; i++) {
      ctx.add(signIn(world, r, {
        type: 'noninteractive', at: t, user: victim, app: r.pick([APPS.owa, APPS.office]), resource: RESOURCES.exchange, net: net!, ip: attackerIp,
        ua: sameUa ? victim.desktop.ua : 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
        clientAppUsed: 'Browser', auth: 'claim', sessionId: session, incomingTokenType: 'refreshToken', label: L('replay'),
        risk: r.chance(0.4) ? { during: 'medium', aggregated: 'medium', state: 'atRisk', detail: 'none', types: ['anomalousToken'] } : undefined,
      }));
      const reads = r.int(1, 3);
      for (let k = 0; k < reads; k++) {
        ctx.add(mailItemsAccessed(world, r, t + r.int(20, 900) * 1000, ref(victim), attackerIp, 'Client=OWA;Action=ViaProxy',
          [{ path: `\\${world.tenant.locale.folders.inbox}`, items: r.int(3, 30) }], {
            appId: APPS.owa.id, clientAppId: APPS.owa.id, tokenId: issued.tokenId, tokenIssuedAt: issued.time, sessionId: session, label: L('mail-access'),
          }));
      }
      t += r.range(0.3, 3) * HOUR;
    }
  },
};
