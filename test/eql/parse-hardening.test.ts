/**
 * Regressions found by `npm run fuzz`: inputs that made EQL parsing exponential or blew the stack of the
 * passes after parsing. Time bounds are loose (shared machines); the bugs cost seconds to hours.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';
import { MAX_EXPRESSION_DEPTH, parseEql } from '../../src/eql/parse.js';

function timedParse(text: string) {
  const started = performance.now();
  const result = parseEql(text);
  return { result, ms: performance.now() - started };
}

describe('EQL block comments parse in linear time', () => {
  it('an unclosed comment holding many `/*` (was 2^n: 20 of them took a second)', () => {
    const { result, ms } = timedParse(`any where a : "x" ${'/*G '.repeat(2_000)}`);
    expect(result.ok).toBe(false);
    expect(result.diagnostics[0]).toMatchObject({ code: 'eql/syntax', line: 1 });
    expect(ms).toBeLessThan(1_000);
  });

  it('many `/*/` inside strings and comments (was quadratic: 70 KB took seconds)', () => {
    const unit = 'not process.executable /*/Library/Mail/*/MailData/x.plist",\n  "/Users/*/Library/Data/*/MailData/x.plist") and\n  ';
    const { result, ms } = timedParse(`file where ${unit.repeat(2_000)} true`);
    expect(result.ok).toBe(false);
    expect(ms).toBeLessThan(1_000);
  });

  it('keeps the nesting rules: `/* a /* b */ */` closes, `/* a /* b */` does not, `/* a /*/` does', () => {
    expect(parseEql('any where true /* a /* b */ */').ok).toBe(true);
    expect(parseEql('any where true /* a /* b */').ok).toBe(false);
    expect(parseEql('any where true /* a /*/').ok).toBe(true);
    expect(parseEql('any where /* /* */ */ a == /*/ x */ 1').ok).toBe(true);
  });

  it('locates everything after a comment as before (property: a comment is whitespace)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z /*]{0,12}$/).filter((c) => !c.includes('*/') && !c.includes('/*')), (body) => {
        const plain = parseEql('any where a == 1 and b == 2');
        const commented = parseEql(`any where a == 1 /*${body}*/and b == 2`);
        expect(commented.ok).toBe(plain.ok);
      }),
    );
  });
});

describe('EQL expression depth', () => {
  it(`a chain of ${MAX_EXPRESSION_DEPTH / 2} comparisons compiles`, () => {
    const r = compileQuery(`any where ${Array(MAX_EXPRESSION_DEPTH / 2).fill('a == 1').join(' and ')}`, { language: 'eql' });
    expect(r.ok).toBe(true);
  });

  it('a chain of 10,000 `and`s is a located eql/too-complex error, not a stack overflow', () => {
    const text = `any where ${Array(10_000).fill('a == 1').join(' and ')}`;
    const r = compileQuery(text, { language: 'eql' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'eql/too-complex', severity: 'error', line: 1, column: 11 });
  });

  it('long arithmetic chains and chains inside sequence stages and join keys are caught too', () => {
    const sum = Array(20_000).fill('1').join(' + ');
    expect(parseEql(`any where a == ${sum}`).diagnostics[0]?.code).toBe('eql/too-complex');
    expect(parseEql(`sequence [any where a == ${sum}] [any where true]`).diagnostics[0]?.code).toBe('eql/too-complex');
    expect(parseEql(`sequence by ${sum} [any where true] [any where true]`).diagnostics[0]?.code).toBe('eql/too-complex');
  });
});
