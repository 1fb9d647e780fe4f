/**
 * One rule, every shape: for each field type (keyword, text, number, boolean, ip, date) and value shape (one
 * value, several, explicit null, missing), an event query, a sequence key and a sample key agree on which
 * values an event has. Guards against a construct being right for one query kind or type only.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';
import { findSamples } from '../../src/runtime/state/sample.js';
import { SequenceRunner } from '../../src/runtime/state/sequence.js';

interface TypeCase {
  type: string;
  values: readonly (string | number | boolean)[];
  literal: (v: string | number | boolean) => string;
  /** The key a value joins under: samples (epoch ms for dates) and sequences (ISO for dates). */
  sampleKey?: (v: string | number | boolean) => unknown;
  sequenceKey?: (v: string | number | boolean) => unknown;
}

const quote = (v: string | number | boolean) => JSON.stringify(String(v));
const TYPES: TypeCase[] = [
  { type: 'keyword', values: ['a', 'B', 'a b'], literal: quote },
  { type: 'text', values: ['alpha', 'Beta', 'gamma delta'], literal: quote },
  { type: 'long', values: [0, -3, 1234], literal: String },
  { type: 'boolean', values: [true, false], literal: String },
  { type: 'ip', values: ['10.0.0.1', '192.168.1.20', '::1'], literal: quote },
  {
    type: 'date',
    values: ['2024-01-01T00:00:00.000Z', '1970-01-02T00:00:00.000Z'],
    literal: quote,
    sampleKey: (v) => Date.parse(String(v)),
    sequenceKey: (v) => String(v),
  },
];

type Shape = { kind: 'one'; v: number } | { kind: 'many'; vs: number[] } | { kind: 'null' } | { kind: 'missing' };
const shape = (n: number): fc.Arbitrary<Shape> =>
  fc.oneof(
    fc.record({ kind: fc.constant('one' as const), v: fc.nat({ max: n - 1 }) }),
    fc.record({ kind: fc.constant('many' as const), vs: fc.array(fc.nat({ max: n - 1 }), { minLength: 1, maxLength: 3 }) }),
    fc.constant({ kind: 'null' as const }),
    fc.constant({ kind: 'missing' as const }),
  );

function eventOf(t: TypeCase, s: Shape, id: number, c: string): Record<string, unknown> {
  const e: Record<string, unknown> = { id, c, '@timestamp': id };
  if (s.kind === 'one') e.f = t.values[s.v];
  if (s.kind === 'many') e.f = s.vs.map((i) => t.values[i]);
  if (s.kind === 'null') e.f = null;
  return e;
}

function valuesOf(e: Record<string, unknown>): (string | number | boolean)[] {
  const f = e.f as string | number | boolean | (string | number | boolean)[] | null | undefined;
  if (f === undefined || f === null) return [];
  return [...new Set(Array.isArray(f) ? f : [f])];
}

function compile(t: TypeCase, query: string) {
  const r = compileQuery(query, { language: 'eql', categoryField: 'c', mapping: { properties: { f: { type: t.type }, id: { type: 'long' } } } });
  if (!r.ok) throw new Error(`${query}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r;
}

describe.each(TYPES.map((t) => [t.type, t] as const))('a %s field', (_name, t) => {
  const events = fc.array(fc.tuple(shape(t.values.length), fc.constantFrom('a', 'b')), { minLength: 1, maxLength: 12 }).map((list) => list.map(([s, c], id) => eventOf(t, s, id, c)));
  it('event queries: `f == v` holds when any value is v; `f == null` when there is none', () => {
    fc.assert(
      fc.property(events, fc.nat({ max: t.values.length - 1 }), (list, i) => {
        const v = t.values[i];
        const eq = compile(t, `any where f == ${t.literal(v)}`);
        const isNull = compile(t, 'any where f == null');
        for (const e of list) {
          expect(eq.matcher(e)).toBe(valuesOf(e).includes(v));
          expect(isNull.matcher(e)).toBe(valuesOf(e).length === 0);
        }
      }),
    );
  });
  it('sequences: `by f` joins under each value; missing and null join only as `?f`, under null', () => {
    fc.assert(
      fc.property(events, fc.boolean(), (list, optional) => {
        const q = compile(t, `sequence by ${optional ? '?f' : 'f'} [a where true] [b where true]`);
        const runner = new SequenceRunner(q.ir.sequence!);
        const found = [...list.flatMap((e) => runner.push(e, e['@timestamp'] as number)), ...runner.flush()];
        for (const s of found) {
          const [first, second] = s.events as Record<string, unknown>[];
          const key = s.joinKeys[0];
          if (key === null) {
            expect(optional).toBe(true);
            expect(valuesOf(first)).toEqual([]);
            expect(valuesOf(second)).toEqual([]);
          } else {
            const asKey = t.sequenceKey ?? ((v) => v);
            expect(valuesOf(first).map(asKey)).toContain(key);
            expect(valuesOf(second).map(asKey)).toContain(key);
          }
        }
      }),
    );
  });
  it('samples: the keys are exactly the values (null for none, if optional) both filters have', () => {
    fc.assert(
      fc.property(events, fc.boolean(), (list, optional) => {
        const q = compile(t, `sample by ${optional ? '?f' : 'f'} [a where true] [b where true]`);
        const asKey = t.sampleKey ?? ((v) => v);
        const keysOf = (c: string) => new Set(list.filter((e) => e.c === c).flatMap((e) => (valuesOf(e).length === 0 ? (optional ? [null] : []) : valuesOf(e).map(asKey))));
        const a = keysOf('a');
        const b = keysOf('b');
        const expected = [...a].filter((k) => b.has(k));
        const found = findSamples(q.ir.sample!, list).map((s) => s.joinKeys[0]);
        expect(new Set(found)).toEqual(new Set(expected));
        expect(found).toHaveLength(expected.length);
      }),
    );
  });
});
