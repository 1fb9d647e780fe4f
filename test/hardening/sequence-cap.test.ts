/**
 * Sequence state under a flood of unique join keys: the per-rule cap holds, every eviction is counted, and
 * keys that complete while they are still among the newest `cap` partials raise their alerts. (The 10M-key
 * version with peak heap is `bench/state.ts`.)
 */
import { describe, expect, it } from 'vitest';
import { createEngine, SequenceRunner } from '../../src/runtime/index.js';
import { MAX_KEY_TUPLES } from '../../src/runtime/state/join-keys.js';
import { artifactFor } from '../helpers/artifacts.js';

const KEYS = 200_000;
const CAP = 1_000;
/** Every COMPLETE_EVERY-th key, the key opened LAG keys earlier gets its second event (LAG < CAP: still held). */
const COMPLETE_EVERY = 97;
const LAG = 500;

const SEQUENCE = artifactFor('sequence by user.name [any where event.action == "open"] [any where event.action == "close"]', 'eql', { rule_id: 'flood', name: 'Open then close' });
const T0 = Date.UTC(2026, 5, 5);
const open = (i: number) => ({ '@timestamp': T0 + i, event: { action: 'open' }, user: { name: `u${i}` } });
const close = (i: number, t: number) => ({ '@timestamp': T0 + t, event: { action: 'close' }, user: { name: `u${i}` } });

describe('sequence state under 200,000 unique join keys (cap 1,000)', () => {
  it('stays under the cap, counts every eviction, and keeps the alerts of keys completing within the cap', () => {
    const engine = createEngine([SEQUENCE], { maxPendingPerRule: CAP });
    const alerted: string[] = [];
    const expected: string[] = [];
    let maxPending = 0;
    const collect = (alerts: ReturnType<typeof engine.process>) => {
      for (const a of alerts) alerted.push(String(a['kibana.alert.group.join_keys']?.[0]));
    };
    for (let i = 0; i < KEYS; i++) {
      collect(engine.process(open(i)));
      if (i % COMPLETE_EVERY === 0 && i >= LAG) {
        collect(engine.process(close(i - LAG, i)));
        expected.push(`u${i - LAG}`);
      }
      if (i % 1_000 === 0) maxPending = Math.max(maxPending, engine.stats().pendingPartials);
    }
    // Key 0 was evicted long ago: its second event must not complete anything.
    collect(engine.process(close(0, KEYS)));
    collect(engine.flush());
    const stats = engine.stats();
    expect(maxPending).toBeLessThanOrEqual(CAP);
    expect(stats.pendingPartials).toBe(CAP);
    // Every partial opened was completed, evicted, or is still pending: nothing vanishes uncounted.
    expect(stats.evictions).toBe(KEYS - expected.length - stats.pendingPartials);
    expect(stats.rules[0].evicted).toBe(stats.evictions);
    expect(alerted).toEqual(expected);
  });

  it('evicts the oldest partial first', () => {
    const runner = new SequenceRunner(SEQUENCE.ir.sequence!, { maxPending: 3 });
    for (let i = 0; i < 5; i++) runner.push(open(i), T0 + i);
    expect(runner.stats()).toMatchObject({ pending: 3, evicted: 2 });
    expect(runner.push(close(1, 10), T0 + 10)).toEqual([]);
    expect(runner.push(close(2, 11), T0 + 11)).toHaveLength(1);
  });

  it('joins one event under at most MAX_KEY_TUPLES key tuples, and counts the events cut short', () => {
    const engine = createEngine([SEQUENCE], { maxPendingPerRule: 100_000 });
    const names = Array.from({ length: 50_000 }, (_, i) => `m${i}`);
    engine.process({ '@timestamp': T0, event: { action: 'open' }, user: { name: names } });
    const stats = engine.stats();
    expect(stats.pendingPartials).toBe(MAX_KEY_TUPLES);
    expect(stats.rules[0].keysTruncated).toBe(1);
  });

  it('bounds the cartesian product of multi-valued join keys', () => {
    const two = artifactFor('sequence by user.name, host.name [any where event.action == "open"] [any where event.action == "close"]', 'eql', { rule_id: 'two' });
    const engine = createEngine([two]);
    const many = Array.from({ length: 5_000 }, (_, i) => `v${i}`);
    const started = performance.now();
    engine.process({ '@timestamp': T0, event: { action: 'open' }, user: { name: many }, host: { name: many } });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(engine.stats().pendingPartials).toBe(MAX_KEY_TUPLES);
    expect(engine.stats().rules[0].keysTruncated).toBe(1);
  });
});
