import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IrPredicate } from '../../src/ir/types.js';
import { linkPredicate } from '../../src/runtime/match/link.js';

const fieldNames = ['a', 'b', 'a.b', 'a.b.c', 'x.y', 'constructor', '__proto__.x', 'a.toString'];
const values = ['v', 'w', '', '1', 'true', 'V', 'W'];

const field = fc.constantFrom(...fieldNames);
const leaf: fc.Arbitrary<IrPredicate> = fc.oneof(
  fc.record({ field, value: fc.constantFrom(...values) }).map(({ field: f, value }) => ({ kind: 'term', field: f, type: 'keyword', value }) as IrPredicate),
  fc.record({ field, vs: fc.subarray(values, { minLength: 1 }) }).map(({ field: f, vs }) => ({ kind: 'terms', field: f, type: 'keyword', values: vs }) as IrPredicate),
  field.map((f) => ({ kind: 'exists', field: f }) as IrPredicate),
  fc.record({ field, value: fc.constantFrom(...values, 'V', 'W'), ci: fc.boolean() }).map(({ field: f, value, ci }) => ({ kind: 'term', field: f, type: 'keyword', value, caseInsensitive: ci }) as IrPredicate),
  fc.record({ field, vs: fc.subarray([...values, 'V'], { minLength: 1 }), ci: fc.boolean() }).map(({ field: f, vs, ci }) => ({ kind: 'terms', field: f, type: 'keyword', values: vs, caseInsensitive: ci }) as IrPredicate),
  fc.record({ field, pattern: fc.constantFrom('v*', '*', '?', 'W', '*u*', 'tr?e', '\\*'), ci: fc.boolean() }).map(({ field: f, pattern, ci }) => ({ kind: 'wildcard', field: f, pattern, caseInsensitive: ci }) as IrPredicate),
);
const predicate: fc.Arbitrary<IrPredicate> = fc.letrec<{ p: IrPredicate }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('p'), { minLength: 1, maxLength: 3 }).map((args) => ({ kind: 'and', args }) as IrPredicate),
    fc.array(tie('p'), { minLength: 1, maxLength: 3 }).map((args) => ({ kind: 'or', args }) as IrPredicate),
    tie('p').map((arg) => ({ kind: 'not', arg }) as IrPredicate),
  ),
})).p;

// Events in every shape the runtime must read alike: nested, dotted, mixed, arrays, numbers, nulls.
const scalar = fc.oneof(fc.constantFrom(...values), fc.integer({ min: 0, max: 2 }), fc.boolean(), fc.constant(null));
const eventValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'x', 'y', 'a.b', 'b.c', 'a.b.c'), tie('v'), { maxKeys: 3 }),
  ),
})).v;
const event = fc.oneof(
  fc.dictionary(fc.constantFrom('a', 'b', 'x', 'a.b', 'a.b.c', 'x.y', 'constructor'), eventValue, { maxKeys: 4 }),
  eventValue,
);

describe('generated matchers', () => {
  it('agree with the linked closures on every event shape (property)', () => {
    fc.assert(
      fc.property(predicate, fc.array(event, { minLength: 1, maxLength: 5 }), (p, events) => {
        const fast = linkPredicate(p, { codegen: true });
        const plain = linkPredicate(p, { codegen: false });
        for (const e of events) expect(fast(e)).toBe(plain(e));
      }),
      { numRuns: 3000 },
    );
  });

  it('never run code planted in field names or values', () => {
    const g = globalThis as { pwned?: boolean };
    const payloads = ['"); globalThis.pwned = true; ("', "'); globalThis.pwned = true; ('", '`${globalThis.pwned = true}`', '\\"]; globalThis.pwned = true; //', '\u2028globalThis.pwned = true'];
    for (const payload of payloads) {
      const preds: IrPredicate[] = [
        { kind: 'term', field: payload, type: 'keyword', value: payload },
        { kind: 'term', field: `a.${payload}`, type: 'keyword', value: 'x' },
        { kind: 'terms', field: 'a', type: 'keyword', values: [payload] },
        { kind: 'exists', field: `${payload}.${payload}` },
      ];
      for (const p of preds) {
        const m = linkPredicate({ kind: 'and', args: [p, { kind: 'not', arg: p }] });
        m({ a: payload, [payload]: payload });
        expect(linkPredicate(p)({ [payload]: payload })).toBe(p.kind === 'term' && p.field === payload);
      }
    }
    expect(g.pwned).toBeUndefined();
  });
});
