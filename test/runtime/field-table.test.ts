/**
 * The engine's per-event path agrees with the plain closures: the field table holds exactly what `readValues`
 * reads for every field and event shape, rule code over the table decides as the closures do, and the dispatch
 * index (exact, folded, numeric, prefix/suffix and presence conditions) never hides an alert.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARTIFACT_VERSION, type RuleArtifact } from '../../src/ir/artifact.js';
import { IR_VERSION, type IrPredicate } from '../../src/ir/types.js';
import { FieldTable } from '../../src/runtime/engine/field-table.js';
import { compileTableMatcher, foldCache, tableFields } from '../../src/runtime/engine/rule-code.js';
import { createEngine } from '../../src/runtime/index.js';
import { compilePath, hasScalar, readValues } from '../../src/runtime/match/field-access.js';
import { linkPredicate } from '../../src/runtime/match/link.js';

const LIMITS = { maxDepth: 64, maxValues: 100_000 };
const fieldNames = ['a', 'b', 'a.b', 'a.b.c', 'x.y', 'n', 'constructor', '__proto__.x', 'a.toString'];
const leafFields = ['a', 'n', 'a', 'n', ...fieldNames];
const texts = ['v', 'w', '', '1', '2.5', 'true', 'V', 'Wv', 'vW', 'İv', 'straße', 'a😀b', 'C:\\Win\\x.exe', 'c:\\win\\Y.EXE', '😀v', 'İvx'];

// Events in every shape the runtime must read alike: nested, dotted, mixed, arrays of objects, numbers, nulls.
const scalar = fc.oneof(fc.constantFrom(...texts), fc.integer({ min: -1, max: 3 }), fc.constantFrom(2.5, 1.0), fc.boolean(), fc.constant(null));
const eventValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'x', 'y', 'n', 'a.b', 'b.c', 'a.b.c', 'toString'), tie('v'), { maxKeys: 3 }),
  ),
})).v;
const eventArb = fc.dictionary(fc.constantFrom('a', 'b', 'x', 'n', 'a.b', 'a.b.c', 'x.y', 'constructor', '__proto__'), eventValue, { maxKeys: 5 });

const sortedJson = (values: unknown[]) => values.map((v) => JSON.stringify(v)).sort();

describe('the field table', () => {
  it('holds, per field, exactly the values readValues reads, whatever the event shape (property)', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 8 }), (events) => {
        const table = new FieldTable(fieldNames);
        for (const e of events) {
          expect(table.fill(e, LIMITS)).toBeUndefined();
          for (const f of fieldNames) {
            const s = table.slotOf(f)!;
            const got = table.first[s] === undefined ? [] : [table.first[s], ...(table.more[s] ?? [])];
            expect(sortedJson(got), f).toEqual(sortedJson(readValues(e, compilePath(f))));
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('reads every event alike when many key orders take turns at one node (the remembered orders are evicted)', () => {
    const table = new FieldTable(['a', 'b.c', 'x.y', 'a.b']);
    const keys = ['a', 'b', 'x', 'q', 'a.b', 'b.c'];
    const value = (k: string, n: number): unknown => (k === 'b' ? { c: `c${n}` } : k === 'x' ? { y: n } : `${k}${n}`);
    // Six rotations of six keys, more than a node remembers at once, in a cycle that revisits each.
    for (let n = 0; n < 60; n++) {
      const order = [...keys.slice(n % 6), ...keys.slice(0, n % 6)].slice(0, 3 + (n % 4));
      const event = Object.fromEntries(order.map((k) => [k, value(k, n)]));
      expect(table.fill(event, LIMITS)).toBeUndefined();
      for (const f of ['a', 'b.c', 'x.y', 'a.b']) {
        const s = table.slotOf(f)!;
        const got = table.first[s] === undefined ? [] : [table.first[s], ...(table.more[s] ?? [])];
        expect(sortedJson(got), `${f} in ${JSON.stringify(event)}`).toEqual(sortedJson(readValues(event, compilePath(f))));
      }
    }
  });

  it('refuses events past the depth and size limits, as the admission check does', () => {
    const table = new FieldTable(['a.b']);
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = { a: deep };
    expect(table.fill(deep as Record<string, unknown>, LIMITS)).toBe('tooDeep');
    // Unread subtrees count too: the walk bounds the whole event.
    expect(table.fill({ z: deep } as Record<string, unknown>, LIMITS)).toBe('tooDeep');
    expect(table.fill({ z: new Array(200_000).fill(1) }, LIMITS)).toBe('tooLarge');
    expect(table.fill({ a: { b: 'x' } }, LIMITS)).toBeUndefined();
    expect(table.first[table.slotOf('a.b')!]).toBe('x');
  });

  it('never reads inherited properties', () => {
    const proto = { a: { b: 'inherited' } };
    const event = Object.create(proto) as Record<string, unknown>;
    event.x = 1;
    const table = new FieldTable(['a.b']);
    table.fill(event, LIMITS);
    expect(table.first[table.slotOf('a.b')!]).toBeUndefined();
  });

  it('never reads properties a polluted Object.prototype lends every object', () => {
    const table = new FieldTable(['polluted.b', 'a']);
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = { b: 'inherited' };
    try {
      table.fill(JSON.parse('{"a":"own"}') as Record<string, unknown>, LIMITS);
      expect(table.first[table.slotOf('polluted.b')!]).toBeUndefined();
      expect(table.first[table.slotOf('a')!]).toBe('own');
    } finally {
      delete proto.polluted;
    }
  });
});

const field = fc.constantFrom(...leafFields);
const text = fc.constantFrom(...texts);
const leaf: fc.Arbitrary<IrPredicate> = fc.oneof(
  fc.record({ field, value: text, ci: fc.boolean() }).map(({ field: f, value, ci }) => ({ kind: 'term', field: f, type: 'keyword', value, caseInsensitive: ci }) as IrPredicate),
  fc.record({ field, vs: fc.subarray(texts, { minLength: 1, maxLength: 6 }), ci: fc.boolean() }).map(({ field: f, vs, ci }) => ({ kind: 'terms', field: f, type: 'keyword', values: vs, caseInsensitive: ci }) as IrPredicate),
  fc.record({ field, value: fc.constantFrom(1, 2, 2.5, '3', -1), integer: fc.boolean() }).map(({ field: f, value, integer }) => ({ kind: 'term', field: f, type: integer ? 'integer' : 'number', value }) as IrPredicate),
  fc.record({ field, vs: fc.subarray([0, 1, 2.5, 3], { minLength: 1 }) }).map(({ field: f, vs }) => ({ kind: 'terms', field: f, type: 'integer', values: vs }) as IrPredicate),
  fc.record({ field, gte: fc.constantFrom(0, 1, 2) }).map(({ field: f, gte }) => ({ kind: 'range', field: f, type: 'number', gte }) as IrPredicate),
  field.map((f) => ({ kind: 'exists', field: f }) as IrPredicate),
  fc
    .record({ field, pattern: fc.constantFrom('v*', '*v', '*', '?', '?v', '??*', 'W*', '*W', '*u*', 'tr?e', '\\*', 'c:\\\\win\\\\*', '?:\\\\Win\\\\*', '*.exe', '*.EXE', 'İ*', 'STRASSE', 'a😀*', '?😀b', '?v*', '??v*', 'vW*', '*Wv', 'V*'), ci: fc.boolean() })
    .map(({ field: f, pattern, ci }) => ({ kind: 'wildcard', field: f, pattern, caseInsensitive: ci }) as IrPredicate),
  fc.record({ path: fc.constantFrom('a', 'x') }).map(({ path }) => ({ kind: 'nested', path, query: { kind: 'term', field: 'b', type: 'keyword', value: 'v' } }) as IrPredicate),
  fc.constantFrom<IrPredicate>({ kind: 'expr', expr: { v: 'compare', op: '==', left: { v: 'field', field: 'a' }, right: { v: 'literal', value: 'v' } }, expect: true }),
);
const predicate: fc.Arbitrary<IrPredicate> = fc.letrec<{ p: IrPredicate }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('p'), { minLength: 1, maxLength: 3 }).map((args) => ({ kind: 'and', args }) as IrPredicate),
    fc.array(tie('p'), { minLength: 1, maxLength: 3 }).map((args) => ({ kind: 'or', args }) as IrPredicate),
    // An `or` of alternatives sharing an equality, which compiles into one look-up.
    fc
      .array(fc.tuple(text, fc.boolean(), tie('p')), { minLength: 4, maxLength: 7 })
      .map((branches) => ({ kind: 'or', args: branches.map(([v, ci, rest]) => ({ kind: 'and', args: [{ kind: 'term', field: 'a', type: 'keyword', value: v, caseInsensitive: ci }, rest] })) }) as IrPredicate),
    tie('p').map((arg) => ({ kind: 'not', arg }) as IrPredicate),
  ),
})).p;

describe('rule code over the field table', () => {
  it('decides every predicate as the linked closures do (property)', () => {
    fc.assert(
      fc.property(predicate, fc.array(eventArb, { minLength: 1, maxLength: 6 }), (p, events) => {
        const table = new FieldTable(tableFields(p));
        const matcher = compileTableMatcher(p, table, foldCache(table), hasScalar, 0)!;
        const plain = linkPredicate(p, { codegen: false, now: 0 });
        for (const e of events) {
          table.fill(e, LIMITS);
          expect(matcher(e)).toBe(plain(e));
        }
      }),
      { numRuns: 3000 },
    );
  });
});

const artifact = (p: IrPredicate, i: number): RuleArtifact => ({
  artifactVersion: ARTIFACT_VERSION,
  rule: { rule_id: `r${i}`, name: `r${i}`, description: '', type: 'query', language: 'kuery', severity: 'low', risk_score: 21, tags: [], threat: [] },
  query: '',
  ir: { irVersion: IR_VERSION, language: 'kuery', predicate: p, fields: [...tableFields(p)] },
  fields: [...tableFields(p)],
  source: { file: `r${i}.yaml`, sha256: '' },
});

describe('the engine on its field table', () => {
  it('raises, with the index, exactly the alerts of the closures evaluated on every event (property)', () => {
    fc.assert(
      fc.property(fc.array(predicate, { minLength: 1, maxLength: 10 }), fc.array(eventArb, { maxLength: 20 }), (given, events) => {
        // Some rules twice: rules with the same condition share one evaluation per event.
        const preds = [...given, ...given.slice(0, 2)];
        const rules = preds.map(artifact);
        const engine = createEngine(rules, { now: 0 });
        const closures = preds.map((p) => linkPredicate(p, { codegen: false, now: 0 }));
        for (const e of events) {
          const got = engine.process(e).map((a) => a['kibana.alert.rule.rule_id']);
          const want = rules.filter((_, i) => closures[i](e)).map((r) => r.rule.rule_id);
          expect(got).toEqual(want);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

describe('the dispatch index on single conditions', () => {
  // Few fields and many leaves per run, so that each kind of index condition (a literal trie, a folded value, a
  // numeric value) is often the only one a rule has, and so the one the index looks up.
  const oneField = fc.constantFrom('a', 'n');
  const simpleEvent = fc.dictionary(oneField, fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), { maxKeys: 2 });
  it('never hides an alert the rule would raise (property)', () => {
    fc.assert(
      fc.property(fc.array(leaf, { minLength: 1, maxLength: 25 }), fc.array(simpleEvent, { minLength: 1, maxLength: 25 }), (preds, events) => {
        const rules = preds.map(artifact);
        const engine = createEngine(rules, { now: 0 });
        const closures = preds.map((p) => linkPredicate(p, { codegen: false, now: 0 }));
        for (const e of events) {
          const got = engine.process(e).map((a) => a['kibana.alert.rule.rule_id']);
          expect(got).toEqual(rules.filter((_, i) => closures[i](e)).map((r) => r.rule.rule_id));
        }
      }),
      { numRuns: 1500 },
    );
  });
});
