// Benign per-person activity for one local calendar day: the morning sign-in (with typos, KMSI and MFA prompts),
// single-sign-on sign-ins, token refreshes from laptop and phone, travel, VPN/SASE egress, mail, and now and then a
// self-made inbox rule. Each (user, local day) has its own random stream, so days can be generated in any order.
import { DAY, HOUR, MINUTE } from '../clock.js';
import { addMemberToGroup, changePassword, registerSecurityInfo, resetPassword } from '../gen/directory.js';
import { cmdlet, mailboxObjectPath, message } from '../gen/exchange.js';
import { type AuthKind, signIn, type SignInSpec } from '../gen/signin.js';
import type { Decoy, Intent } from '../model.js';
import { rngFor, type Rng } from '../rng.js';
import { type User, whereabouts, type World } from '../world/build.js';
import { APPS, type AppRef, RESOURCES } from '../world/catalog.js';
import type { Network } from '../world/networks.js';

type AppPair = readonly [AppRef, AppRef & { spId?: string }, number];

const INTERACTIVE: readonly AppPair[] = [
  [APPS.officeHome, RESOURCES.officeHome, 4],
  [APPS.teams, RESOURCES.teamsSvc, 3],
  [APPS.owa, RESOURCES.exchange, 2],
  [APPS.office, RESOURCES.exchange, 2],
];
const REFRESH: readonly AppPair[] = [
  [APPS.teams, RESOURCES.teamsSvc, 4],
  [APPS.office, RESOURCES.exchange, 3],
  [APPS.oneDriveSync, RESOURCES.sharepoint, 2],
  [APPS.officeHome, RESOURCES.graph, 1],
  [APPS.authBroker, RESOURCES.graph, 1],
];
const OUTLOOK_DESKTOP_UA = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)';

const pickPair = (r: Rng, list: readonly AppPair[]) => r.weighted(list.map((p) => [p, p[2]] as const));

/** Local hours during which people do anything: keeps each local day inside a known UTC window. */
const ACTIVE_FROM = 6;
const ACTIVE_TO = 23.5;

/** Which local days (relative to world.start) can put events into UTC day `d`. */
export function localDaysFor(u: User, d: number): number[] {
  if (u.trips.length > 0) return [d - 1, d, d + 1];
  const tz = u.office.place.tz;
  const out: number[] = [];
  for (const l of [d - 1, d, d + 1]) {
    const from = l * 24 + ACTIVE_FROM - tz;
    const to = l * 24 + ACTIVE_TO - tz;
    if (to > d * 24 && from < (d + 1) * 24) out.push(l);
  }
  return out;
}

interface Ctx {
  world: World;
  u: User;
  r: Rng;
  out: Intent[];
  /** local midnight (epoch ms) */
  m: number;
  tz: number;
}

const at = (c: Ctx, localHour: number) => Math.round(c.m + localHour * HOUR);

function desktopLocation(c: Ctx, t: number, wfh: boolean): { net: Network; ip: string; decoy?: Decoy } {
  const { world, u, r } = c;
  const w = whereabouts(u, t);
  if (u.vpn && (wfh || w.abroad) && r.chance(0.8)) {
    const node = world.nets.sase[(u.idx + Math.floor(t / DAY)) % world.nets.sase.length]!;
    const decoy: Decoy | undefined = node.place.country !== u.office.place.country ? 'sase-egress' : undefined;
    return { net: node, ip: world.nets.table.hostV4(node, rngFor(world.seed, 'sase-ip', u.idx, Math.floor(t / DAY))), decoy };
  }
  if (w.abroad) {
    const hotels = world.nets.isps.get(w.place.city);
    const net = hotels ? hotels[0]! : world.nets.proxies.find((p) => p.place.city === w.place.city)!;
    return { net, ip: world.nets.table.hostV4(net, rngFor(world.seed, 'hotel', u.idx, Math.floor(t / DAY))), decoy: 'traveler' };
  }
  if (wfh) {
    const v6 = rngFor(world.seed, 'home6', u.idx).chance(0.3);
    const ip = v6 ? world.nets.table.hostV6(u.home, rngFor(world.seed, 'home6ip', u.idx, Math.floor(t / (7 * DAY))), u.idx & 0xffff) : u.homeIp;
    return { net: u.home, ip };
  }
  return { net: u.office.net, ip: r.pick(u.office.nat) };
}

function phoneLocation(c: Ctx, t: number): { net: Network; ip: string; decoy?: Decoy } {
  const { world, u } = c;
  const w = whereabouts(u, t);
  // Roaming data egresses through the home carrier: the phone stays "at home" while the laptop is abroad.
  const day = Math.floor(t / DAY);
  const ip = world.nets.table.hostV6(u.carrier, rngFor(world.seed, 'carrier', u.idx, day, Math.floor(t / (4 * HOUR))), (u.idx * 7 + day) & 0xffff);
  return { net: u.carrier, ip, decoy: w.abroad ? 'roaming' : undefined };
}

function push(c: Ctx, spec: SignInSpec): void {
  if (whereabouts(c.u, spec.at).flying) return; // no Wi-Fi on this flight
  c.out.push(signIn(c.world, c.r, spec));
}

/** The morning sign-in: maybe a typo (even a lockout and a helpdesk reset), maybe KMSI, maybe an MFA prompt. */
function morning(c: Ctx, t: number, loc: ReturnType<typeof desktopLocation>, sessionId: string, prompt: boolean, firstDay: boolean): void {
  const { world, u, r } = c;
  const [app, resource] = pickPair(r, INTERACTIVE);
  const correlationId = r.uuid();
  const base = { type: 'interactive' as const, user: u, app, resource, net: loc.net, ip: loc.ip, ua: u.desktop.ua, device: u.desktop, clientAppUsed: 'Browser', sessionId };
  const officeDecoy: Decoy | undefined = loc.net.kind === 'office' ? 'office-nat-typos' : loc.decoy;
  if (r.chance(u.typo)) {
    push(c, { ...base, at: t, auth: 'badpw', correlationId, decoy: officeDecoy });
    t += r.int(12, 80) * 1000;
    if (r.chance(world.rates.lockout)) {
      const tries = r.int(2, 4);
      for (let i = 0; i < tries; i++) {
        push(c, { ...base, at: t, auth: 'badpw', correlationId, decoy: 'lockout' });
        t += r.int(8, 40) * 1000;
      }
      push(c, { ...base, at: t, auth: 'locked', correlationId, decoy: 'lockout' });
      const helper = r.pick(world.helpdesk);
      const resetAt = t + r.int(20, 90) * MINUTE;
      c.out.push(resetPassword(world, r, resetAt, { user: { id: helper.id, upn: helper.upn, displayName: helper.displayName, ip: r.pick(helper.office.nat) } }, u, { decoy: 'helpdesk-reset' }));
      t = resetAt + r.int(3, 15) * MINUTE;
      prompt = true;
    }
  }
  if (!u.mfa && firstDay) {
    push(c, { ...base, at: t, auth: 'register', correlationId });
    c.out.push(registerSecurityInfo(world, r, t + r.int(60, 240) * 1000, { id: u.id, upn: u.upn, displayName: u.displayName, ip: loc.ip }, 'Authenticator App with Notification and Code'));
    t += r.int(4, 8) * MINUTE;
    prompt = true;
  }
  if (prompt) {
    if (r.chance(0.45)) {
      push(c, { ...base, at: t, auth: 'mfa-interrupt', correlationId, decoy: 'mfa-prompt' });
      t += r.int(15, 45) * 1000;
    }
    if (r.chance(0.3)) {
      push(c, { ...base, at: t, auth: 'kmsi', correlationId });
      t += r.int(2, 8) * 1000;
    }
    push(c, { ...base, at: t, auth: u.roles.length && r.chance(0.5) ? 'passwordless' : 'prompt', correlationId, decoy: loc.decoy ?? (prompt ? 'mfa-prompt' : undefined) });
  } else {
    push(c, { ...base, at: t, auth: 'claim', correlationId, decoy: loc.decoy });
  }
}

function weekIndex(localDay: number) {
  return Math.floor((localDay + 3) / 7);
}

export function personDay(world: World, u: User, localDay: number, out: Intent[]): void {
  const tz0 = u.office.place.tz;
  const mHome = world.start + localDay * DAY - tz0 * HOUR;
  const w = whereabouts(u, mHome + 12 * HOUR);
  const tz = w.abroad ? w.place.tz : tz0;
  const m = world.start + localDay * DAY - tz * HOUR;
  const r = rngFor(world.seed, 'ud', u.idx, localDay);
  const c: Ctx = { world, u, r, out, m, tz };
  const weekday = new Date(world.start + localDay * DAY).getUTCDay();
  const workday = weekday >= 1 && weekday <= 5;

  if (u.kind === 'shared') return;
  if (u.kind === 'legacy-admin') return legacyAdminDay(c, workday);

  const phoneSession = rngFor(world.seed, 'msess', u.idx, Math.floor(localDay / 30)).uuid();
  const phone = (t: number, auth: AuthKind = 'claim') => {
    if (!u.mobile) return;
    const loc = phoneLocation(c, t);
    push(c, {
      type: 'noninteractive', at: t, user: u, app: APPS.outlookMobile, resource: RESOURCES.exchange, net: loc.net, ip: loc.ip, ua: u.mobile.ua, device: u.mobile,
      clientAppUsed: 'Mobile Apps and Desktop clients', auth, sessionId: phoneSession, decoy: loc.decoy,
    });
  };

  if (!workday) {
    if (r.chance(0.35)) for (let i = r.poisson(2); i > 0; i--) phone(at(c, r.range(9, 22)));
    if (r.chance(0.05)) {
      const t = at(c, r.range(10, 21));
      // the laptop is where its owner is: at home, or at the hotel on a trip (one session is never in two places)
      const l = whereabouts(u, t).abroad ? desktopLocation(c, t, true) : { net: u.home, ip: u.homeIp, decoy: undefined };
      push(c, { type: 'interactive', at: t, user: u, app: APPS.owa, resource: RESOURCES.exchange, net: l.net, ip: l.ip, ua: u.desktop.ua, device: u.desktop, clientAppUsed: 'Browser', auth: 'claim', sessionId: rngFor(world.seed, 'sess', u.idx, weekIndex(localDay)).uuid(), decoy: l.decoy });
    }
    return;
  }

  const wfh = w.abroad || r.chance(u.wfh);
  const start = at(c, u.startHour + r.normal(0, 0.25));
  const loc = desktopLocation(c, start, wfh);
  const newWeek = weekday === 1 || localDay === 0;
  const prompt = newWeek || r.chance(world.rates.mfaPromptDaily) || (w.abroad && loc.decoy === 'traveler' && r.chance(0.5));
  const sessionId = prompt ? rngFor(world.seed, 'sess-new', u.idx, localDay).uuid() : rngFor(world.seed, 'sess', u.idx, weekIndex(localDay)).uuid();
  const firstDay = !u.mfa && localDay === (u.idx % 5);
  morning(c, start, loc, sessionId, prompt, firstDay);

  // more interactive SSO sign-ins during the day
  for (let i = r.poisson(u.roles.length ? 1.6 : 0.7); i > 0; i--) {
    const t = start + r.range(0.7, 8.5) * HOUR;
    const l = desktopLocation(c, t, wfh);
    const admin = u.roles.length > 0 && r.chance(0.6);
    const [app, resource] = admin ? [r.pick([APPS.azurePortal, APPS.adminPortal]), RESOURCES.arm] : pickPair(r, INTERACTIVE);
    push(c, { type: 'interactive', at: t, user: u, app, resource, net: l.net, ip: l.ip, ua: u.desktop.ua, device: u.desktop, clientAppUsed: 'Browser', auth: 'claim', sessionId, decoy: l.decoy });
  }
  // token refreshes from the laptop
  for (let i = r.poisson(world.rates.nonInteractive); i > 0; i--) {
    const t = start + r.range(0.1, 9.5) * HOUR;
    const l = desktopLocation(c, t, wfh);
    const [app, resource] = pickPair(r, REFRESH);
    const desktopApp = app.id === APPS.office.id || app.id === APPS.oneDriveSync.id;
    push(c, {
      type: 'noninteractive', at: t, user: u, app, resource, net: l.net, ip: l.ip, ua: desktopApp ? OUTLOOK_DESKTOP_UA : u.desktop.ua, device: u.desktop,
      clientAppUsed: desktopApp ? 'Mobile Apps and Desktop clients' : 'Browser', auth: 'claim', sessionId, incomingTokenType: r.chance(0.6) ? 'primaryRefreshToken' : 'refreshToken',
      scopes: desktopApp ? '[Mail.ReadWrite,Mail.Send,User.Read]' : '', decoy: l.decoy,
    });
  }
  // phone through the day, evening on the sofa
  for (let i = r.poisson(1.5); i > 0; i--) phone(at(c, r.range(7, 22)));
  if (r.chance(0.2)) {
    const t = at(c, r.range(19, 22.5));
    // the evening refresh comes from the laptop, wherever it is tonight (the day's session must not be in two places)
    const l = whereabouts(u, t).abroad ? desktopLocation(c, t, true) : { net: u.home, ip: u.homeIp, decoy: undefined };
    push(c, { type: 'noninteractive', at: t, user: u, app: APPS.teams, resource: RESOURCES.teamsSvc, net: l.net, ip: l.ip, ua: u.desktop.ua, device: u.desktop, clientAppUsed: 'Browser', auth: 'claim', sessionId, decoy: l.decoy });
  }

  mail(c, start, loc);
  housekeeping(c, start, loc);
}

function legacyAdminDay(c: Ctx, workday: boolean): void {
  const { world, u, r } = c;
  if (!workday || !r.chance(0.12)) return;
  const t = at(c, r.range(9, 17));
  const ip = r.pick(u.office.nat);
  const app = r.pick([APPS.azurePortal, APPS.exoPowerShell, APPS.adminPortal]);
  push(c, {
    type: 'interactive', at: t, user: u, app, resource: app.id === APPS.exoPowerShell.id ? RESOURCES.exchange : RESOURCES.arm, net: u.office.net, ip,
    ua: u.desktop.ua, device: u.desktop, clientAppUsed: 'Browser', auth: 'single', mfaRequired: false, decoy: 'legacy-admin-signin',
  });
  if (app.id === APPS.exoPowerShell.id) {
    const target = world.users[r.int(0, world.users.length - 3)]!;
    c.out.push(cmdlet(world, r, t + r.int(2, 20) * MINUTE, { user: u }, 'Set-Mailbox', [['Identity', target.upn], ['MessageCopyForSentAsEnabled', 'True']], { ip, objectId: target.upn, decoy: 'legacy-admin-signin' }));
  }
}

const EXTERNAL_ORGS = ['northpoint-supply.example', 'clearview-consulting.example', 'bluewater-logistics.example', 'meridian-legal.example', 'atlas-print.example', 'harborview-audit.example'];

function mail(c: Ctx, start: number, loc: { ip: string }): void {
  const { world, u, r } = c;
  const n = r.poisson(world.rates.mailPerUser);
  for (let i = 0; i < n; i++) {
    const t = start + r.range(0.2, 9) * HOUR;
    const k = r.int(1, 3);
    const rcpt: { address: string; toIp?: string | null }[] = [];
    for (let j = 0; j < k; j++) {
      if (r.chance(0.6)) {
        const a = world.users[r.int(0, world.users.length - 3)]!.upn;
        if (a !== u.upn && !rcpt.some((x) => x.address === a)) rcpt.push({ address: a });
      }
      else {
        const dom = r.chance(0.3) ? world.tenant.partnerDomain : r.pick(EXTERNAL_ORGS);
        const a = `${r.pick(['info', 'sales', 'ap', 'j.smith', 'contact', 'orders', 'support'])}@${dom}`;
        if (!rcpt.some((x) => x.address === a)) rcpt.push({ address: a, toIp: world.nets.table.hostV4(world.nets.partner, r) });
      }
    }
    if (rcpt.length === 0) continue;
    const subject = r.pick(['RE: Q3 forecast', 'Meeting notes', 'Invoice 2024-', 'FW: delivery schedule', 'Updated contract draft', 'Quick question', 'Weekly report']) + (r.chance(0.3) ? String(r.int(100, 999)) : '');
    c.out.push(message(world, r, t, u.upn, rcpt, subject, loc.ip));
  }
  for (let i = r.poisson(0.8); i > 0; i--) {
    const t = start + r.range(-1, 10) * HOUR;
    const dom = r.chance(0.4) ? world.tenant.partnerDomain : r.pick(EXTERNAL_ORGS);
    const spam = r.chance(0.04);
    c.out.push(
      message(world, r, t, `${r.pick(['noreply', 'billing', 'events', 'account.manager', 'newsletter'])}@${dom}`, [{ address: u.upn, status: spam ? 'FilteredAsSpam' : 'Delivered' }],
        r.pick(['Your order has shipped', 'Statement available', 'Invitation: partner summit', 'Re: proposal', 'Monthly newsletter']), world.nets.table.hostV4(r.chance(0.5) ? world.nets.partner : world.nets.esp, r)),
    );
  }
}

/** Rare personal admin: a self-made inbox rule, a password change, a group join. */
function housekeeping(c: Ctx, start: number, loc: { ip: string }): void {
  const { world, u, r } = c;
  const ref = { id: u.id, upn: u.upn, displayName: u.displayName };
  if (r.chance(0.004)) {
    const name = r.pick(world.tenant.locale.userFolders);
    const params: [string, string][] = [
      ['Name', name],
      ['From', `newsletter@${r.pick(EXTERNAL_ORGS)}`],
      ['MoveToFolder', name],
    ];
    if (r.chance(0.35)) params.push(['MarkAsRead', 'True']);
    params.push(['StopProcessingRules', 'True']);
    c.out.push(cmdlet(world, r, start + r.range(1, 7) * HOUR, { user: ref }, 'New-InboxRule', params, { ip: loc.ip, userType: 0, objectId: mailboxObjectPath(world, ref, name), decoy: 'user-inbox-rule' }));
  }
  if (r.chance(0.0015)) {
    const colleague = world.users[r.int(0, world.users.length - 3)]!;
    const name = `Forward to ${colleague.given || 'assistant'}`;
    c.out.push(
      cmdlet(world, r, start + r.range(1, 7) * HOUR, { user: ref }, 'New-InboxRule', [['Name', name], ['ForwardTo', colleague.upn], ['SubjectContainsWords', 'Calendar;Meeting']], {
        ip: loc.ip, userType: 0, objectId: mailboxObjectPath(world, ref, name), decoy: 'user-inbox-rule',
      }),
    );
  }
  if (r.chance(0.004)) c.out.push(changePassword(world, r, start + r.range(0.1, 6) * HOUR, { ...ref, ip: loc.ip }));
  if (r.chance(0.003)) {
    const admin = r.pick(world.helpdesk);
    c.out.push(addMemberToGroup(world, r, start + r.range(1, 8) * HOUR, { user: { id: admin.id, upn: admin.upn, displayName: admin.displayName, ip: r.pick(admin.office.nat) } }, ref, { id: rngFor(world.seed, 'grp', u.department).uuid(), name: `${u.department} team` }));
  }
}
