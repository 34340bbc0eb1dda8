// TW-APP-008: a new owner is added to an application or service principal. Owners can add credentials to the app
// at any time, so ownership is a persistence path that survives role removal.
import type { Event, Target } from '../../../core/event.js';
import { DAY, humanDuration } from '../../../config/tunables.js';
import type { Entity, Severity } from '../../../detect/alert.js';
import { firstSeen } from '../../../detect/spec.js';
import { appEntity, appKeyOf, entities, ipEntity, listSome } from '../../lib.js';
import { defineRule } from '../../types.js';
import { actorEntity, actorLabel, grantedPermissions, involvesCollector, permissionKind, raise } from '../oauth.js';

const str = (v: unknown): string | undefined => {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' && x.trim() ? x.trim() : undefined;
};

/** Owner records name the object in the owner target's properties: Application.* or ServicePrincipal.*. */
function ownedObject(ev: Event): { appId?: string; objectId?: string; name?: string } {
  for (const t of ev.targets) {
    const m = t.modified ?? {};
    for (const kind of ['Application', 'ServicePrincipal']) {
      const appId = str(m[`${kind}.AppId`]?.new);
      const objectId = str(m[`${kind}.ObjectID`]?.new);
      const name = str(m[`${kind}.DisplayName`]?.new);
      if (appId || objectId) return { appId: appId?.toLowerCase(), objectId: objectId?.toLowerCase(), name };
    }
  }
  return {};
}

function appKey(ev: Event): string | undefined {
  if (ev.action === 'app.owner.add') {
    const o = ownedObject(ev);
    return o.appId ?? appKeyOf(ev) ?? o.objectId ?? ev.targets.find((t) => t.type === 'app' || t.type === 'servicePrincipal')?.id;
  }
  return appKeyOf(ev);
}

/** The new owner: the target that is not the owned object. */
function ownerOf(ev: Event): Target | undefined {
  const obj = ownedObject(ev).objectId;
  return ev.targets.find((t) => t.type === 'user' && (t.id || t.name)) ?? ev.targets.find((t) => t.type === 'servicePrincipal' && t.id && t.id !== obj);
}

const actorId = (ev: Event): string | undefined => (ev.actor.kind === 'app' ? ev.actor.appId ?? ev.actor.spId : ev.actor.user ?? ev.actor.userId);

function isSelf(ev: Event, owner: Target): boolean {
  const a = ev.actor;
  const ids = [a.user, a.userId, a.spId].filter((x): x is string => !!x).map((x) => x.toLowerCase());
  return [owner.id, owner.name].some((x) => x && ids.includes(x.toLowerCase()));
}

function valueOf(ev: Event): string | undefined {
  if (ev.action === 'app.create' || ev.action === 'sp.create') return `created|${actorId(ev) ?? '?'}`;
  if (ev.action === 'approle.assign') {
    const p = grantedPermissions(ev);
    return p.length ? `perm|${p.join(',')}` : undefined;
  }
  const owner = ownerOf(ev);
  return owner ? `owner|${owner.id ?? owner.name}|${ev.id}` : undefined;
}

export const ownerAdded = defineRule({
  id: 'TW-APP-008',
  title: 'New owner added to an application or service principal',
  severity: 'medium',
  tactics: ['persistence', 'privilege-escalation'],
  techniques: ['T1098'],
  description:
    'A user or a service principal is added as owner of an application or service principal. The owner its creator ' +
    'gets automatically at registration is ignored; an account making itself owner of an app it did not register, ' +
    'an app made owner, an app with high-privilege permissions, and an owner added by an app rate higher.',
  whyItMatters:
    'An owner can add secrets and certificates to the app whenever it likes, with no directory role: owning an app ' +
    'that holds Exchange.ManageAsApp or Directory.ReadWrite.All is owning those permissions. Attackers add ' +
    'themselves (or an app they control) as owner to keep a way back after their roles are removed.',
  falsePositives: [
    'Administrators handing an app over to its team (owner added for a colleague): rated low; confirm with the team.',
    'Registration by a user who is not an administrator: the creator becomes owner automatically; ignored when the ' +
      'registration is in the input, otherwise rated as a self-add (medium).',
  ],
  references: ['https://learn.microsoft.com/entra/identity/enterprise-apps/overview-assign-app-owners', 'https://attack.mitre.org/techniques/T1098/'],
  status: 'stable',
  inputs: { facts: ['directory.audit'], sources: ['entra.audit', 'ual'] },
  tunables: {
    history: { type: 'duration', default: 30 * DAY, min: DAY, max: 400 * DAY, help: "how long an app's registration and permission grants are remembered" },
  },
  suppressMs: DAY,
  detect: (t) =>
    firstSeen({
      on: {
        actions: ['app.owner.add', 'app.create', 'sp.create', 'approle.assign'],
        sources: ['entra.audit', 'ual'],
        where: (ev) => ev.outcome === 'success',
      },
      key: (ev, ctx) => {
        const k = appKey(ev);
        return k && !involvesCollector(ev, ctx, k) ? k : undefined;
      },
      value: valueOf,
      historyMs: t.history,
      warmupMs: 0,
      alertIf: (ev) => ev.action === 'app.owner.add',
      alert: (m) => {
        const ev = m.event;
        const owner = ownerOf(ev)!;
        const obj = ownedObject(ev);
        const creators = m.known.filter((v) => v.startsWith('created|')).map((v) => v.slice(8).toLowerCase());
        const self = isSelf(ev, owner);
        const actor = actorId(ev)?.toLowerCase();
        // Entra makes the registering account owner right after "Add application": not a decision anyone made
        if (self && actor && creators.includes(actor)) return undefined;
        const perms = m.known.filter((v) => v.startsWith('perm|')).flatMap((v) => v.slice(5).split(','));
        const strong = perms.filter((p) => permissionKind(p) !== undefined);
        const ownerIsApp = owner.type === 'servicePrincipal';
        const why: string[] = [];
        let sev: Severity = 'low';
        if (ownerIsApp) {
          sev = 'high';
          why.push('the new owner is an app, which can then add credentials to this one without any user');
        } else if (self) {
          sev = 'medium';
          why.push(`the account made itself owner of an app it did not register in the last ${humanDuration(m.historyMs)}`);
        } else why.push('an owner added for another account');
        if (strong.length) {
          sev = raise(sev);
          why.push(`the app holds ${listSome(strong)}`);
        }
        if (ev.actor.kind === 'app') {
          sev = raise(sev);
          why.push('an app made the change');
        }
        const objectKind = /service principal/i.test(ev.operation) ? 'service principal' : 'application';
        const ownerName = owner.name ?? owner.id ?? 'unknown';
        const explanation =
          `${ownerIsApp ? 'Service principal' : 'User'} ${ownerName} was added as owner of ${objectKind} ${obj.name ? `"${obj.name}" ` : ''}` +
          `(${m.key}) by ${actorLabel(ev)}. Rated ${sev}: ${listSome(why)}.`;
        const ownerEntity: Entity = ownerIsApp
          ? { type: 'app', id: owner.appId ?? owner.id!, role: 'target', ...(owner.name ? { display: owner.name } : {}) }
          : { type: 'user', id: owner.name ?? owner.id!, role: 'target', ...(owner.id && owner.name ? { aliases: [owner.id] } : {}) };
        return {
          title: `${ownerName} added as owner of ${obj.name ?? m.key}`,
          severity: sev,
          entities: entities(appEntity(m.key, { name: obj.name }), ownerEntity, actorEntity(ev), ipEntity(ev.actor.ip)),
          explanation,
          facts: {
            owner: ownerName,
            ownerKind: ownerIsApp ? 'servicePrincipal' : 'user',
            selfAdded: self,
            object: objectKind,
            appPermissions: strong,
            actorKind: ev.actor.kind,
            addedBy: actorId(ev) ?? 'unknown',
          },
        };
      },
    }),
});
