// Small rules, one per primitive, for the engine's unit and property tests.
import type { Event } from '../core/event.js';
import { defineRule } from '../rules/types.js';
import { baseline, firstSeen, match, sequence, threshold } from './spec.js';
import { MIN } from './testing.js';

const meta = {
  severity: 'medium' as const,
  tactics: ['credential-access' as const],
  techniques: ['T1110'],
  description: 'test',
  whyItMatters: 'test',
  falsePositives: ['test'],
  inputs: { facts: [] },
};

export const distinctUsers = defineRule({
  ...meta,
  id: 'TEST-THRESH-001',
  title: 'many users from one IP',
  suppressMs: 60 * MIN,
  tunables: {
    window: { type: 'duration', default: 10 * MIN, help: 'window' },
    min: { type: 'integer', default: 3, help: 'distinct users' },
  },
  detect: (t) =>
    threshold({
      on: { actions: ['signin'], sources: ['entra.signin'], where: (e) => e.outcome === 'failure' },
      key: (e) => e.actor.ip,
      distinct: (e) => e.actor.user,
      windowMs: t.window,
      min: t.min,
      alert: (m) => ({
        entities: [{ type: 'ip', id: m.key }],
        explanation: `${m.distinct} users from ${m.key} in ${m.windowMs / MIN} minutes`,
        facts: { distinctAccounts: m.distinct, attempts: m.count },
      }),
    }),
});

/** Consent to an app, then a secret added to it: the steps of the sequence test rules, keyed by app. */
const consentSteps = [
  { name: 'consent', on: { actions: ['consent.grant' as const] }, key: (e: Event) => e.targets[0]?.appId },
  { name: 'secret', on: { actions: ['app.credential.add' as const] }, key: (e: Event) => e.targets[0]?.appId },
];

export const consentThenSecret = defineRule({
  ...meta,
  id: 'TEST-SEQ-001',
  title: 'consent then secret',
  suppressMs: 0,
  tunables: { within: { type: 'duration', default: 60 * MIN, help: 'T' } },
  detect: (t) =>
    sequence({
      steps: consentSteps,
      unless: { name: 'deleted', on: { actions: ['app.delete'] }, key: (e) => e.targets[0]?.appId },
      withinMs: t.within,
      alert: (m) => ({ entities: [{ type: 'app', id: m.key }], explanation: `secret ${m.elapsedMs / MIN} min after consent` }),
    }),
});

/** A user's successful sign-in from an IP not seen for them in a day, after an hour of learning. */
const newIpSeen = {
  on: { actions: ['signin' as const] },
  key: (e: Event) => e.actor.user,
  value: (e: Event) => e.actor.ip,
  historyMs: 24 * 60 * MIN,
  warmupMs: 60 * MIN,
  alertIf: (e: Event) => e.outcome === 'success',
};

export const newIp = defineRule({
  ...meta,
  id: 'TEST-FIRST-001',
  title: 'new IP for user',
  suppressMs: 0,
  tunables: {},
  detect: () =>
    firstSeen({
      ...newIpSeen,
      alert: (m) => ({ entities: [{ type: 'ip', id: m.value }], explanation: `new ${m.value}; knew ${m.known.join(',')}` }),
    }),
});

export const spike = defineRule({
  ...meta,
  id: 'TEST-BASE-001',
  title: 'sign-in spike',
  suppressMs: 0,
  tunables: {},
  detect: () =>
    baseline({
      on: { actions: ['signin'] },
      key: (e) => e.actor.user,
      bucketMs: 60 * MIN,
      historyBuckets: 24,
      minHistoryBuckets: 3,
      minCount: 5,
      factor: 3,
      zScore: 3,
      alert: (m) => ({ entities: [], explanation: `${m.count} vs mean ${m.mean.toFixed(2)}`, facts: { count: m.count, threshold: m.threshold } }),
    }),
});

export const every = defineRule({
  ...meta,
  id: 'TEST-MATCH-001',
  title: 'any connector',
  suppressMs: 30 * MIN,
  tunables: {},
  detect: () =>
    match({
      on: { actions: ['connector.inbound.create'], sources: ['ual'] },
      key: (e) => e.targets[0]?.name ?? 'connector',
      alert: () => ({ entities: [], explanation: 'connector' }),
    }),
});


/** consentThenSecret whose held consent keeps its place against a later consent from another actor ("replace") */
export const firstConsentHolds = defineRule({
  ...meta,
  id: 'TEST-SEQ-002',
  title: 'consent then secret, the first consenter holds',
  suppressMs: 0,
  tunables: { within: { type: 'duration', default: 60 * MIN, help: 'T' } },
  detect: (t) =>
    sequence({
      steps: consentSteps,
      withinMs: t.within,
      replace: (held, next) => held.actor.user === next.actor.user,
      alert: (m) => ({ entities: [{ type: 'app', id: m.key }], explanation: `secret after consent by ${m.steps[0]!.event.actor.user}` }),
    }),
});

/** newIp that also learns which event taught each address ("also"), looked up with findKnown */
export const newIpAlso = defineRule({
  ...meta,
  id: 'TEST-FIRST-002',
  title: 'new IP for user, with also',
  suppressMs: 0,
  tunables: {},
  detect: () =>
    firstSeen({
      ...newIpSeen,
      also: (e) => `by|${e.id}`,
      alert: (m) => ({ entities: [{ type: 'ip', id: m.value }], explanation: `new ${m.value}; knew ${m.known.join(',')} (${m.knownCount}); last by ${m.findKnown('by|')}` }),
    }),
});
