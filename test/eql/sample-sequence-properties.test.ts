import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';
import { findSamples } from '../../src/runtime/state/sample.js';
import { SequenceRunner } from '../../src/runtime/state/sequence.js';

type Ev = { c: string; k: string | null; v: number; id: number; ts: number };

function ir(query: string) {
  const r = compileQuery(query, { language: 'eql', categoryField: 'c' });
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.ir;
}

/** Random events: a few categories and keys (some null), values that filters test, increasing ids. */
const events = fc
  .array(fc.record({ c: fc.constantFrom('a', 'b', 'u'), k: fc.constantFrom('x', 'y', null), v: fc.integer({ min: 0, max: 3 }), ts: fc.integer({ min: 0, max: 20 }) }), { maxLength: 30 })
  .map((list) => list.map((e, id): Ev => ({ ...e, id })));

/** Events in Elasticsearch's order: timestamp, then tiebreaker (the id). */
const ordered = (list: Ev[]) => [...list].sort((p, q) => p.ts - q.ts || p.id - q.id);

function runSequence(query: string, list: Ev[]) {
  const runner = new SequenceRunner(ir(query).sequence!);
  return [...ordered(list).flatMap((e) => runner.push(e, e.ts)), ...runner.flush()];
}

describe('samples, for all inputs', () => {
  const queries = ['sample by k [any where v > 0] [any where v < 3]', 'sample by ?k [any where true] [any where true] [a where true]', 'sample [any where true] by k [any where v >= 1] by k'];
  it('never put one event in two filters of a sample, and every event passes its own filter', () => {
    fc.assert(
      fc.property(events, fc.constantFrom(...queries), fc.integer({ min: 1, max: 4 }), (list, query, perKey) => {
        const q = ir(query);
        for (const s of findSamples(q.sample!, list, { maxSamplesPerKey: perKey })) {
          expect(new Set(s.events).size).toBe(s.events.length);
          expect(s.events).toHaveLength(q.sample!.stages.length);
        }
      }),
    );
  });
  it('give at most max_samples_per_key samples per key, keys in ascending order', () => {
    fc.assert(
      fc.property(events, fc.constantFrom(...queries), fc.integer({ min: 1, max: 4 }), (list, query, perKey) => {
        const found = findSamples(ir(query).sample!, list, { maxSamplesPerKey: perKey });
        const perKeyCount = new Map<string, number>();
        for (const s of found) perKeyCount.set(JSON.stringify(s.joinKeys), (perKeyCount.get(JSON.stringify(s.joinKeys)) ?? 0) + 1);
        for (const n of perKeyCount.values()) expect(n).toBeLessThanOrEqual(perKey);
        // Keys come out grouped and sorted (null first): the list of distinct keys is already in order.
        const keys = [...perKeyCount.keys()].map((k) => JSON.parse(k) as (string | null)[]);
        const text = (k: (string | null)[]) => k.map((v) => (v === null ? '\u0000' : `\u0001${v}`)).join('\u0002');
        expect(keys.map(text)).toEqual([...keys.map(text)].sort());
      }),
    );
  });
});

describe('sequences, for all inputs', () => {
  const query = 'sequence by k [a where true] [b where v > 0] [any where true]';
  it("have their events in timestamp, then tiebreaker order, and distinct", () => {
    fc.assert(
      fc.property(events, (list) => {
        for (const s of runSequence(query, list)) {
          const evs = s.events as Ev[];
          expect(new Set(evs).size).toBe(evs.length);
          for (let i = 1; i < evs.length; i++) expect(evs[i - 1].ts < evs[i].ts || (evs[i - 1].ts === evs[i].ts && evs[i - 1].id < evs[i].id)).toBe(true);
        }
      }),
    );
  });
  it('join only events of the same key; a null key only under an optional field', () => {
    fc.assert(
      fc.property(events, fc.boolean(), (list, optional) => {
        const q = optional ? query.replace('by k', 'by ?k') : query;
        for (const s of runSequence(q, list)) {
          const keys = new Set((s.events as Ev[]).map((e) => e.k));
          expect(keys.size).toBe(1);
          if (!optional) expect(keys.has(null)).toBe(false);
        }
      }),
    );
  });
  it("`until` for key K removes only K's partials: the other keys' sequences are those found without it", () => {
    fc.assert(
      fc.property(events, fc.constantFrom('x', 'y'), (list, stopped) => {
        const withUntil = runSequence(`${query} until [u where k == "${stopped}"]`, list);
        const without = runSequence(query, list);
        const keysOf = (s: { joinKeys: unknown[] }) => s.joinKeys[0];
        const ids = (ss: { events: unknown[] }[]) => ss.map((s) => (s.events as Ev[]).map((e) => e.id));
        expect(ids(withUntil.filter((s) => keysOf(s) !== stopped))).toEqual(ids(without.filter((s) => keysOf(s) !== stopped)));
        // ... and for K itself, no sequence has an until event of K between its first and last event.
        for (const s of withUntil.filter((x) => keysOf(x) === stopped)) {
          const evs = s.events as Ev[];
          const first = evs[0];
          const last = evs[evs.length - 1];
          const after = (p: Ev, q: Ev) => p.ts > q.ts || (p.ts === q.ts && p.id > q.id);
          const blocking = list.filter((e) => e.c === 'u' && e.k === stopped && !after(first, e) && after(last, e));
          expect(blocking).toEqual([]);
        }
      }),
    );
  });
});
