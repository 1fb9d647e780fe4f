import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReorderBuffer } from '../../src/runtime/state/reorder.js';

describe('ReorderBuffer', () => {
  it('puts items back in order within the lateness window', () => {
    const buf = new ReorderBuffer<string>(10);
    const out = [...buf.push({ item: 'b', ts: 5 }), ...buf.push({ item: 'a', ts: 1 }), ...buf.push({ item: 'c', ts: 20 }), ...buf.flush()];
    expect(out).toEqual(['a', 'b', 'c']);
  });
  it('holds items only while something earlier could still arrive', () => {
    const buf = new ReorderBuffer<number>(10);
    expect(buf.push({ item: 1, ts: 1 })).toEqual([]);
    expect(buf.push({ item: 2, ts: 11 })).toEqual([1]);
    expect(buf.stats().held).toBe(1);
  });
  it('orders equal timestamps by tiebreaker, then arrival', () => {
    const buf = new ReorderBuffer<string>(5);
    buf.push({ item: 'x2', ts: 1, tiebreaker: 2 });
    buf.push({ item: 'x1', ts: 1, tiebreaker: 1 });
    buf.push({ item: 'y', ts: 1 });
    buf.push({ item: 'z', ts: 1 });
    expect(buf.flush()).toEqual(['x1', 'x2', 'y', 'z']);
  });
  it('counts and reports items later than the window instead of dropping them silently', () => {
    const late: number[] = [];
    const buf = new ReorderBuffer<number>(10, (e) => late.push(e.item));
    buf.push({ item: 1, ts: 100 });
    buf.push({ item: 2, ts: 200 });
    expect(buf.push({ item: 3, ts: 50 })).toEqual([]);
    expect(late).toEqual([3]);
    expect(buf.stats().late).toBe(1);
  });
  it('releases a sorted stream for any arrival order within the window (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 200 }), fc.integer({ min: 0, max: 50 }), (times, jitter) => {
        const sorted = [...times].sort((a, b) => a - b);
        // Shuffle each item by at most `jitter`: arrival order ts + noise.
        const arrivals = sorted.map((ts, i) => ({ ts, key: ts + ((i * 7919) % (jitter + 1)) })).sort((a, b) => a.key - b.key);
        const buf = new ReorderBuffer<number>(jitter);
        const out = [...arrivals.flatMap((a) => buf.push({ item: a.ts, ts: a.ts })), ...buf.flush()];
        expect(out).toEqual(sorted);
        expect(buf.stats().late).toBe(0);
      }),
    );
  });
  it('releases what a full sort by (time, tiebreaker, arrival) gives, for in-order runs broken by late items (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3 })), { maxLength: 300 }), fc.boolean(), (items, withTiebreaker) => {
        const buf = new ReorderBuffer<number>(1_000);
        const out: number[] = [];
        items.forEach(([ts, tb], i) => out.push(...buf.push({ item: i, ts, ...(withTiebreaker ? { tiebreaker: tb } : {}) })));
        expect(buf.stats().held).toBe(items.length - out.length);
        out.push(...buf.flush());
        const expected = items.map((x, i) => i).sort((a, b) => items[a][0] - items[b][0] || (withTiebreaker ? items[a][1] - items[b][1] : 0) || a - b);
        expect(out).toEqual(expected);
        expect(buf.stats().held).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
  it('holds items numbered by the caller and releases up to a time the caller gives, in (time, tiebreaker, number) order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3 })), { maxLength: 200 }), fc.integer({ min: 0, max: 40 }), (items, cut) => {
        const buf = new ReorderBuffer<number>(Infinity);
        // The caller numbers items in reverse: ties go by its numbers, not by the order of the calls.
        items.forEach(([ts, tb], i) => buf.hold(i, ts, tb, items.length - i));
        const first = [...buf.releaseUpTo(cut)];
        const rest = [...buf.releaseUpTo(Infinity)];
        const order = (list: number[]): number[] => list.sort((a, b) => items[a][0] - items[b][0] || items[a][1] - items[b][1] || b - a);
        expect(first).toEqual(order(items.map((_, i) => i).filter((i) => items[i][0] <= cut)));
        expect(rest).toEqual(order(items.map((_, i) => i).filter((i) => items[i][0] > cut)));
      }),
      { numRuns: 300 },
    );
  });
  it('keeps its run bounded by what it holds over a long in-order stream', () => {
    const buf = new ReorderBuffer<number>(100);
    let released = 0;
    for (let i = 0; i < 100_000; i++) released += buf.push({ item: i, ts: i }).length;
    expect(buf.stats().held).toBe(100);
    expect(released).toBe(100_000 - 100);
    expect((buf as unknown as { run: unknown[] }).run.length).toBeLessThan(2_400);
  });
});
