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
});
