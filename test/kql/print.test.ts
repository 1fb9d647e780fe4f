import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseKql } from '../../src/kql/parse.js';
import { printKql } from '../../src/kql/print.js';
import { fromAst, printNotation } from '../helpers/kql-notation.js';
import { tree } from '../helpers/kql.js';

function reprint(q: string): string {
  const r = parseKql(q);
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return printKql(r.ast);
}

describe('printKql', () => {
  it('prints canonical KQL', () => {
    expect(reprint('A:b AND (c:d OR e:"f g")')).toBe('A: b and (c: d or e: "f g")');
    expect(reprint('not (a:1 and b:2)')).toBe('not (a: 1 and b: 2)');
    expect(reprint('p:{ q:1 }')).toBe('p: { q: 1 }');
    expect(reprint('x >= 5')).toBe('x >= 5');
    expect(reprint('')).toBe('*: *');
  });
  it('escapes what must be escaped', () => {
    expect(reprint('f:C\\:\\\\x')).toBe('f: C\\:\\\\x');
    expect(reprint('f:foo \\and bar')).toBe('f: foo \\and bar');
    expect(reprint('f:"a\\"b"')).toBe('f: "a\\"b"');
  });
  it('keeps the tree of tricky values', () => {
    for (const q of ['f:a \\not b', 'f:\\Not x', 'f:cannot\\u0020x', 'f: 1 and', 'f:b\\*c*', 'f:a\\tb', '"x"', 'null:foo']) {
      expect(tree(reprint(q)), q).toBe(tree(q));
    }
  });

  // Random trees built from the grammar's own building blocks: print → parse gives the same tree.
  const word = fc.stringMatching(/^[a-zA-Z0-9 _.:*\\()"<>{}\-]{1,8}$/);
  const field = fc.stringMatching(/^[a-z][a-z0-9_.]{0,6}$/);
  const value = fc.oneof(
    word.map((w) => ({ type: 'literal' as const, value: /^(true|false|null)$/.test(w.trim()) || !w.trim() ? 'x' : w.trim(), quoted: false })),
    word.map((w) => ({ type: 'literal' as const, value: w, quoted: true })),
    fc.array(word, { minLength: 2, maxLength: 3 }).map((segments) => {
      // The grammar trims an unquoted value's ends; generate values it could have produced.
      const s = [...segments];
      s[0] = s[0].trimStart();
      s[s.length - 1] = s[s.length - 1].trimEnd();
      return { type: 'wildcard' as const, segments: s };
    }),
    fc.constantFrom(true, false, null).map((v) => ({ type: 'literal' as const, value: v, quoted: false })),
  );
  const loc = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
  const leaf = fc.oneof(
    fc.record({ field, value }).map(({ field: f, value: v }) => ({ type: 'is', field: { type: 'literal', value: f, quoted: false, loc }, value: { ...v, loc }, loc })),
    fc.record({ value }).map(({ value: v }) => ({ type: 'is', field: null, value: { ...v, loc }, loc })),
    fc.record({ field, op: fc.constantFrom('lt', 'lte', 'gt', 'gte'), value }).map(({ field: f, op, value: v }) => ({ type: 'range', field: { type: 'literal', value: f, quoted: false, loc }, operator: op, value: { ...v, loc }, loc })),
  );
  const node = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('and'), tie('or'), tie('not'), tie('nested')),
    and: fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((children) => ({ type: 'and', children, loc })),
    or: fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((children) => ({ type: 'or', children, loc })),
    not: tie('node').map((child) => ({ type: 'not', child, loc })),
    nested: fc.record({ f: field, child: tie('node') }).map(({ f, child }) => ({ type: 'nested', path: { type: 'literal', value: f, quoted: false, loc }, child, loc })),
  })).node;

  it('round-trips random trees (property)', () => {
    fc.assert(
      fc.property(node, (ast) => {
        const printed = printKql(ast as never);
        const parsed = parseKql(printed);
        expect(parsed.ok, printed).toBe(true);
        if (!parsed.ok) return;
        // The parsed tree is the generated one, and printing it again changes nothing.
        expect(printNotation(fromAst(parsed.ast))).toBe(printNotation(fromAst(ast as never)));
        expect(printKql(parsed.ast)).toBe(printed);
      }),
      { numRuns: 2000 },
    );
  });
});
