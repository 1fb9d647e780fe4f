import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileLuceneRegex, luceneRegexMatcher, MAX_DFA_STATES } from '../../src/runtime/primitives/regex/lucene-regex.js';

function rx(pattern: string, caseInsensitive = false): (value: string) => boolean {
  const c = compileLuceneRegex(pattern, { caseInsensitive });
  if (!c.ok) throw new Error(`${pattern}: ${c.reason} at ${c.offset}`);
  return c.test;
}

function error(pattern: string): { reason: string; offset: number } {
  const c = compileLuceneRegex(pattern);
  expect(c.ok, pattern).toBe(false);
  return c.ok ? { reason: '', offset: -1 } : { reason: c.reason, offset: c.offset };
}

/** Every value of `yes` matches the whole pattern and no value of `no` does. */
function check(pattern: string, yes: string[], no: string[], caseInsensitive = false): void {
  const test = rx(pattern, caseInsensitive);
  for (const v of yes) expect(test(v), `${pattern} should match ${JSON.stringify(v)}`).toBe(true);
  for (const v of no) expect(test(v), `${pattern} should not match ${JSON.stringify(v)}`).toBe(false);
}

describe('Lucene regular expressions: the core syntax', () => {
  it('match the whole value, never a part of it', () => {
    check('abc', ['abc'], ['abcd', 'xabc', 'ab', '']);
    check('', [''], ['a']);
    check('()', [''], ['a']);
  });
  it('. is any one character, newline and astral ones included', () => {
    check('a.c', ['abc', 'a\nc', 'a😀c'], ['ac', 'abbc']);
    check('.', ['😀', 'é'], ['', 'ab']);
  });
  it('quantifiers ? * + {n} {n,} {n,m}', () => {
    check('ab?c', ['ac', 'abc'], ['abbc']);
    check('ab*c', ['ac', 'abbbc'], ['adc']);
    check('ab+c', ['abc', 'abbc'], ['ac']);
    check('a{3}', ['aaa'], ['aa', 'aaaa']);
    check('a{2,}', ['aa', 'aaaaaa'], ['a']);
    check('a{2,4}', ['aa', 'aaa', 'aaaa'], ['a', 'aaaaa']);
    check('a{0}', [''], ['a']);
    check('a**', ['', 'aaa'], ['b']);
    check('(ab){2}c?', ['abab', 'ababc'], ['ab', 'abc']);
  });
  it('alternation, grouping and precedence', () => {
    check('abc|xyz', ['abc', 'xyz'], ['abcxyz', 'ab']);
    check('a(b|c)d', ['abd', 'acd'], ['ad', 'abcd']);
    check('(a|bc)+', ['a', 'bca', 'abcbc'], ['', 'b']);
  });
  it('character classes, ranges and negation', () => {
    check('[abc]', ['a', 'c'], ['d', 'ab']);
    check('[a-c0-2]+', ['ab2', '0'], ['d', '3']);
    check('[^a-c]', ['d', '😀', '\n'], ['a', 'b', '']);
    check('[]a]', [']', 'a'], ['b']);
    check('[-a]', ['-', 'a'], ['b']);
    check('[\\]]', [']'], ['\\']);
    check('[😀-😂]', ['😁'], ['😃']);
  });
  it('predefined classes \\d \\D \\s \\S \\w \\W, also inside brackets', () => {
    check('\\d+', ['0123'], ['12a', '١']);
    check('\\D', ['a', '😀'], ['5']);
    check('\\s', [' ', '\t', '\n', '\r'], ['\u00a0', 'x']);
    check('\\S', ['x'], [' ']);
    check('\\w+', ['a_Z9'], ['é', 'a-b']);
    check('\\W', ['-', 'é'], ['a', '_']);
    check('[\\d.]+', ['1.2'], ['a']);
  });
  it('a backslash escapes any non-letter; ^ and $ are ordinary characters', () => {
    check('a\\.b', ['a.b'], ['axb']);
    check('\\\\', ['\\'], ['']);
    check('\\*\\+\\?\\(\\)\\{\\}\\|\\&\\~\\#\\@\\<\\>\\"', ['*+?(){}|&~#@<>"'], []);
    check('^ab$', ['^ab$'], ['ab']);
  });
  it('"…" is a literal string with every character ordinary', () => {
    check('"a.b*"c', ['a.b*c'], ['axbc', 'a.bbc']);
    check('x""y', ['xy'], []);
  });
  it('an operator where an operand is expected is a literal, as in Lucene', () => {
    check('*a', ['*a'], ['a']);
    check('|a', ['|a'], ['a', '']);
    check('a||b', ['a', '|b'], ['b']);
    check(')', [')'], []);
    check('{2}', ['{2}'], []);
    check('a&&b', [], ['a', 'b', '&b']);
  });
});

describe('Lucene regular expressions: the optional operators Elasticsearch enables', () => {
  it('@ is any string, # the empty language', () => {
    check('@', ['', 'anything at all'], []);
    check('ab@', ['ab', 'abc'], ['a']);
    check('#', [], ['', '#']);
    check('a|#', ['a'], ['']);
  });
  it('& intersects: both sides must match the whole value', () => {
    check('aaa.+&.+bbb', ['aaabbb', 'aaaxbbb'], ['aabbb', 'aaabb']);
    check('[a-z]+&@e@', ['hello'], ['hallo', 'HELLO']);
    check('a&b', [], ['a', 'b']);
  });
  it('~ complements: any string the operand does not match', () => {
    check('ab~(cd)', ['ab', 'abcde', 'abc'], ['abcd']);
    check('~(a*)', ['b', 'ab'], ['', 'aaa']);
    check('@&~(.*evil.*)', ['fine'], ['so evil here']);
    check('~a+', ['', 'b'], ['a']); // (~a)+: the complement binds tighter than repetition
  });
  it('<n-m> numeric intervals, zero-padded when both bounds have the same width', () => {
    check('<1-100>', ['1', '42', '100', '0042', '0100'], ['0', '101', '', '1a']);
    check('<01-10>', ['01', '05', '10'], ['1', '5', '11', '010']);
    check('<10-1>', ['5'], ['11']);
    check('<0-0>', ['0'], ['', '00']);
    check('<0-10>', ['0', '000', '010'], ['11']);
    check('x<2-5>y', ['x3y'], ['x6y']);
  });
  it('named automata <name> parse but cannot be used', () => {
    expect(error('<name>').reason).toMatch(/named automata/);
  });
});

describe('Lucene regular expressions: case-insensitive matching (regex~)', () => {
  it('folds ASCII letters of literal characters, strings and class members', () => {
    check('cmd\\.exe', ['CMD.EXE', 'Cmd.exe'], ['cmdxexe'], true);
    check('"PowerShell"', ['powershell'], [], true);
    check('[ab]+', ['AbBa'], ['c'], true);
    check('[^a]', ['b'], ['a', 'A'], true);
  });
  it('does not fold ranges, predefined classes or non-ASCII letters, as Lucene', () => {
    check('[a-c]', ['b'], ['B'], true);
    check('é', ['é'], ['É'], true);
    check('\\w', ['A', 'a'], [], true);
  });
  it('is off unless asked for', () => {
    check('abc', ['abc'], ['ABC']);
  });
});

describe('Lucene regular expressions: code points', () => {
  it('count an astral character as one character, whatever its UTF-16 length', () => {
    check('😀{2}', ['😀😀'], ['😀']);
    check('a.b', ['a😀b'], ['a😀😀b']);
    check('[^😀]', ['a', '😁'], ['😀']);
    check('"😀"+', ['😀😀'], []);
  });
  it('read a lone surrogate as one character', () => {
    check('.', ['\ud83d'], []);
    check('a.', ['a\udc00'], []);
  });
});

describe('Lucene regular expressions: errors are values, with offsets', () => {
  const cases: [string, number, RegExp][] = [
    ['ab[c', 4, /`\]`/],
    ['(ab', 3, /`\)`/],
    ['ab)', 2, /unexpected `\)`/],
    ['a|', 2, /ends/],
    ['a{2', 3, /`\}`/],
    ['a{,2}', 2, /number/],
    ['a{3,2}', 0, /out of order/],
    ['a{99999999999}', 2, /too large/],
    ['[z-a]', 1, /out of order/],
    ['\\q', 0, /not a known escape/],
    ['x\\', 2, /ends/],
    ['"abc', 4, /`"`/],
    ['<1-', 3, /`>`/],
    ['<a-b>', 0, /numeric interval/],
    ['<-1-5>', 0, /numeric interval/],
    ['~', 1, /ends/],
  ];
  for (const [pattern, offset, reason] of cases) {
    it(`${pattern} is rejected at offset ${offset}`, () => {
      const e = error(pattern);
      expect(e.reason).toMatch(reason);
      expect(e.offset).toBe(offset);
    });
  }
  it('refuses deep nesting instead of overflowing the stack', () => {
    expect(error('('.repeat(10_000) + ')'.repeat(10_000)).reason).toMatch(/nests deeper/);
    expect(error('~'.repeat(10_000) + 'a').reason).toMatch(/nests deeper/);
    expect(error('a' + '?'.repeat(10_000)).reason).toMatch(/repetition operators/);
  });
  it('refuses automata over the size limits, blaming the expression responsible', () => {
    expect(error('xy(a{1000}){1000}')).toMatchObject({ offset: 2, reason: expect.stringMatching(/automaton states/) });
    // Determinizing (a|b)*a(a|b){n} needs 2^(n+1) states.
    const e = error('~((a|b)*a(a|b){14})');
    expect(e.reason).toMatch(new RegExp(`more than ${MAX_DFA_STATES} states`));
    expect(e.offset).toBe(1); // the operand that had to be determinized
    expect(compileLuceneRegex('(a|b)*a(a|b){14}').ok).toBe(true); // without & or ~ no DFA is built up front
  });
  it('never throws, whatever the pattern', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab()[]{}^-|&~#@<>"\\.*+?,0123456789dq😀'.split(/(?:)/u)), maxLength: 20 }), (p) => {
        const c = compileLuceneRegex(p);
        if (!c.ok) expect(c.offset).toBeGreaterThanOrEqual(0);
        else c.test('ab0');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('Lucene regular expressions: the shared matcher cache', () => {
  it('returns the same matcher for the same pattern and throws on IR that was never checked', () => {
    expect(luceneRegexMatcher('a+', false)).toBe(luceneRegexMatcher('a+', false));
    expect(luceneRegexMatcher('a+', true)).not.toBe(luceneRegexMatcher('a+', false));
    expect(() => luceneRegexMatcher('[', false)).toThrow(/invalid regular expression/);
  });
});

// Random patterns from the subset JavaScript and Lucene read alike, rendered in each syntax.
type Gen = { lucene: string; js: string; ranges: boolean };
const chars = ['a', 'b', 'c', 'A', '😀'];
const atom: fc.Arbitrary<Gen> = fc.oneof(
  fc.constantFrom(...chars).map((c) => ({ lucene: c, js: c, ranges: false })),
  fc.constant({ lucene: '.', js: '.', ranges: false }),
  fc.constant({ lucene: '\\.', js: '\\.', ranges: false }),
  fc
    .tuple(fc.boolean(), fc.uniqueArray(fc.constantFrom('a', 'b', 'A', '😀', 'a-c', '\\d'), { minLength: 1, maxLength: 3 }))
    .map(([neg, items]) => {
      const body = items.join('');
      return { lucene: `[${neg ? '^' : ''}${body}]`, js: `[${neg ? '^' : ''}${body}]`, ranges: items.includes('a-c') };
    }),
);
const pattern: fc.Arbitrary<Gen> = fc.letrec<{ node: Gen }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((xs) => ({ lucene: xs.map((x) => x.lucene).join(''), js: xs.map((x) => x.js).join(''), ranges: xs.some((x) => x.ranges) })),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((xs) => ({ lucene: `(${xs.map((x) => x.lucene).join('|')})`, js: `(?:${xs.map((x) => x.js).join('|')})`, ranges: xs.some((x) => x.ranges) })),
    fc.tuple(tie('node'), fc.constantFrom('*', '+', '?', '{2}', '{0,2}', '{1,}')).map(([x, q]) => ({ lucene: `(${x.lucene})${q}`, js: `(?:${x.js})${q}`, ranges: x.ranges })),
  ),
})).node;
const value = fc.array(fc.constantFrom('a', 'b', 'c', 'A', 'B', '😀', '1', '.'), { maxLength: 10 }).map((xs) => xs.join(''));

describe('Lucene regular expressions agree with JavaScript on the syntax both share', () => {
  it('case-sensitive', () => {
    fc.assert(
      fc.property(pattern, fc.array(value, { minLength: 1, maxLength: 8 }), (p, values) => {
        const test = rx(p.lucene);
        const re = new RegExp(`^(?:${p.js})$`, 'su');
        for (const v of values) expect(test(v), `${p.lucene} on ${JSON.stringify(v)}`).toBe(re.test(v));
      }),
      { numRuns: 1500 },
    );
  });
  it('case-insensitive, where both fold the same way (no ranges: Lucene does not fold them)', () => {
    fc.assert(
      fc.property(
        pattern.filter((p) => !p.ranges),
        fc.array(value, { minLength: 1, maxLength: 8 }),
        (p, values) => {
          const test = rx(p.lucene, true);
          const re = new RegExp(`^(?:${p.js})$`, 'sui');
          for (const v of values) expect(test(v), `${p.lucene} on ${JSON.stringify(v)}`).toBe(re.test(v));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
