import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';
import { SequenceRunner, StreamClock } from '../../src/runtime/state/sequence.js';

type E = { c: string; k?: string | string[] | null; id: number };

function runner(query: string, maxPending?: number) {
  const r = compileQuery(query, { language: 'eql', categoryField: 'c' });
  if (!r.ok || !r.ir.sequence) throw new Error(r.ok ? 'not a sequence' : r.diagnostics[0].message);
  return new SequenceRunner(r.ir.sequence, maxPending !== undefined ? { maxPending } : {});
}

function feed(run: SequenceRunner, events: [E, number][]): number[][] {
  const out = events.flatMap(([e, ts]) => run.push(e, ts));
  return [...out, ...run.flush()].map((s) => s.events.map((e) => (e === null ? -1 : (e as E).id)));
}

describe('the sequence engine', () => {
  it('orders equal timestamps by feed order, and one event never fills two stages of a partial', () => {
    const r = runner('sequence by k [a where true] [a where true]');
    expect(feed(r, [[{ c: 'a', k: 'x', id: 1 }, 5], [{ c: 'a', k: 'x', id: 2 }, 5], [{ c: 'a', k: 'x', id: 3 }, 5]])).toEqual([[1, 2], [2, 3]]);
  });
  it('lets a newer partial replace an older one in the same stage', () => {
    const r = runner('sequence by k [a where true] [b where true]');
    expect(feed(r, [[{ c: 'a', k: 'x', id: 1 }, 1], [{ c: 'a', k: 'x', id: 2 }, 2], [{ c: 'b', k: 'x', id: 3 }, 3], [{ c: 'b', k: 'x', id: 4 }, 4]])).toEqual([[2, 3]]);
  });
  it('includes maxspan exactly, and excludes one millisecond more', () => {
    expect(feed(runner('sequence with maxspan=1s [a where true] [b where true]'), [[{ c: 'a', id: 1 }, 0], [{ c: 'b', id: 2 }, 1000]])).toEqual([[1, 2]]);
    expect(feed(runner('sequence with maxspan=1s [a where true] [b where true]'), [[{ c: 'a', id: 1 }, 0], [{ c: 'b', id: 2 }, 1001]])).toEqual([]);
  });
  it('drops partials at an until event for their key, also one the same event extends', () => {
    const q = 'sequence by k [a where true] [b where true] [c where true] until [u where true]';
    expect(feed(runner(q), [[{ c: 'a', k: 'x', id: 1 }, 1], [{ c: 'u', k: 'x', id: 2 }, 2], [{ c: 'b', k: 'x', id: 3 }, 3], [{ c: 'c', k: 'x', id: 4 }, 4]])).toEqual([]);
    expect(feed(runner(q), [[{ c: 'a', k: 'x', id: 1 }, 1], [{ c: 'u', k: 'y', id: 2 }, 2], [{ c: 'b', k: 'x', id: 3 }, 3], [{ c: 'c', k: 'x', id: 4 }, 4]])).toEqual([[1, 3, 4]]);
    // An event that is both the next stage and an until event ends the partial it extends (Elasticsearch:
    // an until event at the partial's last event rejects the next match) ...
    const both = 'sequence by k [a where true] [b where true] [c where true] until [b where id == 2]';
    expect(feed(runner(both), [[{ c: 'a', k: 'x', id: 1 }, 1], [{ c: 'b', k: 'x', id: 2 }, 2], [{ c: 'c', k: 'x', id: 3 }, 3]])).toEqual([]);
    // ... but an event that completes a sequence and is an until event completes it.
    const last = 'sequence by k [a where true] [b where true] until [b where id == 2]';
    expect(feed(runner(last), [[{ c: 'a', k: 'x', id: 1 }, 1], [{ c: 'b', k: 'x', id: 2 }, 2]])).toEqual([[1, 2]]);
  });
  it('joins multi-valued keys under each value, and skips null keys unless optional', () => {
    const r = runner('sequence by k [a where true] [b where true]');
    expect(feed(r, [[{ c: 'a', k: ['x', 'y'], id: 1 }, 1], [{ c: 'b', k: 'y', id: 2 }, 2]])).toEqual([[1, 2]]);
    expect(feed(runner('sequence by k [a where true] [b where true]'), [[{ c: 'a', k: null, id: 1 }, 1], [{ c: 'b', id: 2 }, 2]])).toEqual([]);
    expect(feed(runner('sequence by ?k [a where true] [b where true]'), [[{ c: 'a', k: null, id: 1 }, 1], [{ c: 'b', id: 2 }, 2]])).toEqual([[1, 2]]);
  });
  it('applies until between the repeats of a runs stage, and only to its own key (optional keys with null parts too)', () => {
    const q = 'sequence by ?k [a where true] with runs=2 [b where true] until [u where true]';
    const e = (c: string, k: string | null, id: number): [E, number] => [{ c, k, id }, id];
    expect(feed(runner(q), [e('a', 'x', 1), e('u', 'x', 2), e('a', 'x', 3), e('b', 'x', 4)])).toEqual([]);
    expect(feed(runner(q), [e('a', 'x', 1), e('a', 'x', 2), e('u', 'x', 3), e('b', 'x', 4)])).toEqual([]);
    expect(feed(runner(q), [e('a', null, 1), e('a', 'x', 2), e('u', 'x', 3), e('a', null, 4), e('a', 'x', 5), e('b', null, 6), e('b', 'x', 7)])).toEqual([[1, 4, 6]]);
    expect(feed(runner(q), [e('a', null, 1), e('a', null, 2), e('u', null, 3), e('b', null, 4), e('a', 'x', 5), e('a', 'x', 6), e('b', 'x', 7)])).toEqual([[5, 6, 7]]);
  });
  it('repeats a stage with runs', () => {
    expect(feed(runner('sequence [a where true] with runs=3'), [[{ c: 'a', id: 1 }, 1], [{ c: 'a', id: 2 }, 2], [{ c: 'a', id: 3 }, 3]])).toEqual([[1, 2, 3]]);
  });
  it('rejects a candidate when a missing-stage event falls in its gap', () => {
    const q = 'sequence with maxspan=10s [a where true] ![m where true] [b where true]';
    expect(feed(runner(q), [[{ c: 'a', id: 1 }, 1], [{ c: 'm', id: 2 }, 2], [{ c: 'b', id: 3 }, 3]])).toEqual([]);
    expect(feed(runner(q), [[{ c: 'a', id: 1 }, 1], [{ c: 'b', id: 3 }, 3], [{ c: 'm', id: 4 }, 4]])).toEqual([[1, -1, 3]]);
  });
  it('waits for maxspan before deciding a trailing missing stage', () => {
    const r = runner('sequence with maxspan=10ms [a where true] ![m where true]');
    expect(r.push({ c: 'a', id: 1 }, 0)).toEqual([]);
    expect(r.push({ c: 'x', id: 2 }, 5)).toEqual([]);
    expect(r.push({ c: 'x', id: 3 }, 11).map((s) => s.events.length)).toEqual([2]);
    const rejected = runner('sequence with maxspan=10ms [a where true] ![m where true]');
    expect(feed(rejected, [[{ c: 'a', id: 1 }, 0], [{ c: 'm', id: 2 }, 10], [{ c: 'x', id: 3 }, 20]])).toEqual([]);
  });
  it('puts events back in order within a lateness window, and counts later ones', () => {
    const r = compileQuery('sequence by k [a where true] [b where true]', { language: 'eql', categoryField: 'c' });
    if (!r.ok || !r.ir.sequence) throw new Error('does not compile');
    const late: unknown[] = [];
    const run = new SequenceRunner(r.ir.sequence, { latenessMs: 50, onLate: (e) => late.push(e) });
    const out = [
      ...run.push({ c: 'b', k: 'x', id: 2 }, 20),
      ...run.push({ c: 'a', k: 'x', id: 1 }, 10),
      ...run.push({ c: 'z', id: 9 }, 200),
      ...run.push({ c: 'a', k: 'x', id: 3 }, 15),
      ...run.flush(),
    ];
    expect(out.map((s) => s.events.map((e) => (e as E).id))).toEqual([[1, 2]]);
    expect(late).toEqual([{ c: 'a', k: 'x', id: 3 }]);
    expect(run.stats()).toMatchObject({ late: 1, held: 0 });
  });
  it('measures lateness against a stream clock the caller moves, when given one', () => {
    const r = compileQuery('sequence by k [a where true] [b where true]', { language: 'eql', categoryField: 'c' });
    if (!r.ok || !r.ir.sequence) throw new Error('does not compile');
    const clock = new StreamClock();
    const run = new SequenceRunner(r.ir.sequence, { latenessMs: 50, streamClock: clock });
    clock.advance(10, 50);
    expect(run.push({ c: 'a', k: 'x', id: 1 }, 10)).toEqual([]);
    // Events this runner never saw moved the stream on: a `b` at 20 is now more than 50 ms behind.
    clock.advance(100, 50);
    run.push({ c: 'b', k: 'x', id: 2 }, 20);
    expect(run.flush()).toEqual([]);
    expect(run.stats()).toMatchObject({ late: 1, held: 0 });
  });
  it('keeps state under the cap, counting evictions, and expires partials past maxspan', () => {
    const r = runner('sequence by k with maxspan=100ms [a where true] [b where true]', 3);
    for (let i = 0; i < 10; i++) r.push({ c: 'a', k: `k${i}`, id: i }, i);
    expect(r.stats()).toMatchObject({ pending: 3, evicted: 7 });
    r.push({ c: 'z', id: 99 }, 1000);
    expect(r.stats().pending).toBe(0);
    expect(r.stats().expired).toBe(3);
  });
});
