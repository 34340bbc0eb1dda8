import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alert, T0, user } from '../correlate/testing.js';
import { Store } from '../store/store.js';
import { WatchState } from './state.js';

test('a commit writes checkpoints, engine state, alerts and outbox rows together — or nothing', () => {
  const store = Store.open(':memory:');
  try {
    const st = new WatchState(store);
    const a = alert({ name: 'st', at: T0, entities: [user('u@contoso.example')] });
    const input = {
      now: T0, runId: 'r', engine: '{"format":"x"}', ledger: '{}', alerts: [a],
      checkpoints: [{ source: 'graph.directoryAudits', checkpoint: { v: 1, done: T0, span: 1, sweep: null }, frontier: T0 }],
      deliveries: [{ alertId: a.id, revision: 1, sink: 'hook', key: a.id }],
    };
    assert.throws(() => st.commit({ ...input, also: () => { throw new Error('disk full'); } }), /disk full/);
    assert.equal(st.checkpoints().size, 0);
    assert.equal(st.getMeta('engine'), undefined);
    assert.equal(store.countAlerts(), 0);
    assert.deepEqual(st.deliveries(), []);
    st.commit(input);
    st.commit(input); // a repeat (same alert revision) adds no second outbox row
    assert.equal(st.checkpoints().get('graph.directoryAudits')!.frontier, T0);
    assert.equal(st.getMeta('engine'), '{"format":"x"}');
    assert.equal(store.countAlerts(), 1);
    assert.deepEqual(st.deliveries().map((d) => [d.key, d.state, d.attempts]), [[a.id, 'pending', 0]]);
    assert.equal(st.pending()[0]!.body, JSON.stringify(a));
    assert.equal(st.nextDue(), T0);
    st.markDelivered(st.pending()[0]!.seq, 1, T0 + 1);
    assert.equal(st.nextDue(), undefined);
    assert.equal(st.prune(T0 + 2), 1);
    assert.deepEqual(st.deliveries(), []);
  } finally {
    store.close();
  }
});
