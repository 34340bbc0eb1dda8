// Helpers the Exchange and mail rules share: which object a cmdlet acted on, who acted, entities.
import type { Event } from '../../core/event.js';
import { isGuidIdentity } from '../../core/ids.js';
import type { Entity } from '../../detect/alert.js';
import { appEntity, ipEntity, userEntity } from '../lib.js';
import { nameKey, paramText, paramsOf } from './params.js';

/**
 * The object a New-/Set-/Remove- cmdlet names: -Name for New-*, else -Identity, else the decoded target. An
 * -Identity that is the object's GUID gives way to the decoded target's name (the record's ObjectId keeps the
 * name), which is what the creation was known by.
 */
export function objectName(ev: Event): string | undefined {
  const p = paramsOf(ev);
  const creates = /^new-/i.test(ev.operation);
  const identity = paramText(p, 'Identity');
  const byGuid = isGuidIdentity(identity);
  const name = creates ? (paramText(p, 'Name') ?? identity) : ((byGuid ? undefined : identity) ?? paramText(p, 'Name'));
  return name || ev.targets[0]?.name || ev.targets[0]?.id || identity || undefined;
}

export const objectKey = (ev: Event): string | undefined => {
  const n = objectName(ev);
  return n ? nameKey(n) : undefined;
};

export const succeeded = (ev: Event): boolean => ev.outcome === 'success';

export const byApp = (ev: Event): boolean => ev.actor.kind === 'app';

/** A successful change made by a person or an app: Exchange's own service account (NT AUTHORITY\SYSTEM) is housekeeping. */
export const byPersonOrApp = (ev: Event): boolean => ev.outcome === 'success' && ev.actor.kind !== 'system';

/** "app "Mail Sync Helper" (3f7a…)" / "admin@contoso.com" / "an unknown actor". */
export function actorWords(ev: Event): string {
  const a = ev.actor;
  if (a.kind === 'app') return `app ${a.appName ? `"${a.appName}" ` : ''}(${a.appId ?? a.spId ?? 'unknown id'})`;
  return a.user ?? a.userId ?? a.displayName ?? 'an unknown actor';
}

/** Title words for a change an app made: by app "Mail Sync" when a record named it, else by an app (the explanation gives the id). */
export function byAppWords(ev: Event): string {
  return ev.actor.appName ? ` by app "${ev.actor.appName}"` : ' by an app';
}

/** The acting user or app, and where from. */
export function actorEntities(ev: Event): (Entity | undefined)[] {
  const a = ev.actor;
  const who = a.kind === 'app' && a.appId ? appEntity(a.appId, { name: a.appName, spId: a.spId, role: 'actor' }) : userEntity(ev, 'actor');
  return [who, ipEntity(a.ip)];
}

export function objectEntity(type: 'connector' | 'transportRule' | 'inboxRule' | 'mailbox', name: string): Entity {
  return { type, id: nameKey(name), display: name, role: 'target' };
}

/** Raise a severity by `n` steps (capped at critical). */
export function raise<S extends string>(levels: readonly S[], s: S, n = 1): S {
  const i = levels.indexOf(s);
  return levels[Math.min(levels.length - 1, Math.max(0, i + n))]!;
}

/** "45 seconds", "12 minutes", "13.1 hours", "3 days": a duration rounded for reading (humanDuration is exact). */
export function aboutDuration(ms: number): string {
  const one = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (ms < 60_000) return one(Math.round(ms / 1000), 'second');
  if (ms < 3_600_000) return one(Math.round(ms / 60_000), 'minute');
  if (ms < 2 * 86_400_000) return one(Math.round(ms / 360_000) / 10, 'hour');
  return one(Math.round(ms / 8_640_000) / 10, 'day');
}
