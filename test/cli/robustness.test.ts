import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';

describe('bad queries never crash', () => {
  it('reports absurd nesting as a located diagnostic', () => {
    for (const [language, text] of [
      ['kuery', '('.repeat(100_000) + 'a:1' + ')'.repeat(100_000)],
      ['eql', 'any where ' + '('.repeat(100_000) + 'a == 1' + ')'.repeat(100_000)],
    ] as const) {
      const r = compileQuery(text, { language });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.diagnostics[0]).toMatchObject({ severity: 'error', line: 1, column: 1 });
    }
  });
  it('answers any input with a result, never an exception (property)', () => {
    const kqlish = fc.array(fc.constantFrom('a', ':', ' ', '(', ')', '"', '*', '\\', 'and', 'or', 'not', '{', '}', '<', '>=', '1', '@', 'x.y'), { maxLength: 20 }).map((p) => p.join(''));
    const eqlish = fc.array(fc.constantFrom('any', 'where', 'sequence', '[', ']', 'by', 'a', '==', ':', '"x"', '(', ')', 'length', ',', 'not', 'and', 'with', 'maxspan=1s', '|', 'head', '1', '?', '!', '~', '`'), { maxLength: 20 }).map((p) => p.join(' '));
    fc.assert(
      fc.property(fc.oneof(kqlish, fc.string()), (q) => {
        const r = compileQuery(q, { language: 'kuery' });
        if (!r.ok) expect(r.diagnostics.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.oneof(eqlish, fc.string()), (q) => {
        const r = compileQuery(q, { language: 'eql' });
        if (!r.ok) expect(r.diagnostics.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });
  it('matchers accept any JSON value as the event', () => {
    const r = compileQuery('a: 1 or b: * or c > 5 or "free text" or n: { x: 1 }', { language: 'kuery' });
    const e = compileQuery('any where a == 1 or length(b) > 2 or c : "x*"', { language: 'eql' });
    if (!r.ok || !e.ok) throw new Error('does not compile');
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(typeof r.matcher(v)).toBe('boolean');
        expect(typeof e.matcher(v)).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});
