/**
 * The dispatch index checks a regex rule's values for the literals `regexLiterals` finds before running the
 * regex, so those literals must be necessary: every value the regex matches contains one of them (folded under
 * `regex~`). The matcher itself is the oracle; patterns come with values built to match them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileLuceneRegex } from '../../src/runtime/primitives/regex/lucene-regex.js';
import { regexLiterals } from '../../src/runtime/engine/regex-literals.js';
import { findAnchors } from '../../src/runtime/index.js';
import { compileQuery } from '../../src/compile-query.js';

/** A pattern and a value it matches (or, for a few shapes, may not: the oracle decides). */
type Sample = { pattern: string; value: string };

const letter = fc.constantFrom('a', 'b', 'C', 'x', ':', '.', '\\\\', 'é', 'Σ');
const unescape = (p: string): string => (p === '\\\\' ? '\\' : p);
const sample: fc.Arbitrary<Sample> = fc.letrec<{ s: Sample }>((tie) => ({
  s: fc.oneof(
    { depthSize: 'small' },
    letter.map((c) => ({ pattern: c, value: unescape(c) })),
    fc.array(letter, { minLength: 1, maxLength: 4 }).map((cs) => ({ pattern: `"${cs.map(unescape).join('').replace(/"/g, '')}"`, value: cs.map(unescape).join('').replace(/"/g, '') })),
    fc.constantFrom('a', 'Z', '7').map((c) => ({ pattern: '[A-Za-z0-9]', value: c })),
    fc.constantFrom('', 'q', 'zz').map((v) => ({ pattern: '.*', value: v })),
    fc.array(tie('s'), { minLength: 2, maxLength: 3 }).map((items) => ({ pattern: items.map((i) => `(${i.pattern})`).join(''), value: items.map((i) => i.value).join('') })),
    fc.tuple(fc.array(tie('s'), { minLength: 2, maxLength: 3 }), fc.nat(2)).map(([items, k]) => ({ pattern: items.map((i) => `(${i.pattern})`).join('|'), value: items[k % items.length].value })),
    fc.tuple(tie('s'), fc.constantFrom('+', '*', '?', '{2}', '{1,2}'), fc.nat(2)).map(([i, op, n]) => ({
      pattern: `(${i.pattern})${op}`,
      value: op === '+' ? i.value.repeat(n + 1) : op === '*' ? i.value.repeat(n) : op === '?' ? (n % 2 ? i.value : '') : op === '{2}' ? i.value.repeat(2) : i.value.repeat(1 + (n % 2)),
    })),
  ),
})).s;

/** Flips the case of ASCII letters: what `regex~` must still match. */
const flipAscii = (v: string): string => v.replace(/[A-Za-z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));

describe('regexLiterals', () => {
  it('gives only literals every match contains, case-sensitive or not (property)', () => {
    fc.assert(
      fc.property(sample, fc.boolean(), fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), (s, ci, before, after) => {
        const compiled = compileLuceneRegex(s.pattern, { caseInsensitive: ci });
        if (!compiled.ok) return;
        const literals = regexLiterals(s.pattern, ci);
        if (literals === undefined) return;
        for (const value of [s.value, flipAscii(s.value), `${before}${s.value}${after}`]) {
          if (!compiled.test(value)) continue;
          const text = ci ? value.toLowerCase() : value;
          expect(literals.some((l) => text.includes(l)), `${s.pattern} ~ ${JSON.stringify(value)}: ${JSON.stringify(literals)}`).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the literal of a drive-letter pattern and the alternatives of a union, and nothing where none is certain', () => {
    expect(regexLiterals('[A-Z]:\\\\:.+', true)).toEqual([':\\:']);
    expect(regexLiterals('.*(cmd|PowerShell)\\.exe', true)).toEqual(['.exe']);
    expect(regexLiterals('.*(cmd_x|powershell)[.]exe', false)).toEqual(['cmd_x', 'powershell']);
    expect(regexLiterals('.*[0-9]{1,3}\\.[0-9]{1,3}:.*', false)).toBeUndefined();
    expect(regexLiterals('(abc)?d', false)).toBeUndefined();
    expect(regexLiterals('~(abc)', false)).toBeUndefined();
    expect(regexLiterals('.*ÉTÉ.*', true)).toBeUndefined();
    expect(regexLiterals('.*ÉTÉ.*', false)).toEqual(['ÉTÉ']);
  });

  it('becomes a condition the index checks for an EQL regex rule', () => {
    const c = compileQuery('any where host.os.type == "windows" and process.executable regex~ """[A-Z]:\\\\:.+"""', { language: 'eql' });
    if (!c.ok) throw new Error('does not compile');
    const atoms = findAnchors(c.ir.predicate).flatMap((a) => a.atoms.filter((x) => x.kind === 'contains').map((x) => [x.field, [...x.values]]));
    expect(atoms).toContainEqual(['process.executable', [':\\:']]);
  });
});
