import { describe, expect, it } from 'vitest';
import { condition, eqlErrors } from './helpers.js';

describe('EQL operators', () => {
  it('bind or < and < not < comparison < + - < * / %', () => {
    expect(condition('x where a == 1 or b == 2 and not c == 3')).toMatchObject({
      type: 'logical',
      op: 'or',
      right: { type: 'logical', op: 'and', right: { type: 'not', operand: { type: 'compare', op: '==' } } },
    });
    expect(condition('x where a + b * c - d > 1')).toMatchObject({
      type: 'compare',
      left: { type: 'arithmetic', op: '-', left: { type: 'arithmetic', op: '+', right: { type: 'arithmetic', op: '*' } } },
    });
    expect(condition('x where -a % 2 == 0')).toMatchObject({ left: { type: 'arithmetic', op: '%', left: { type: 'negate', op: '-' } } });
  });
  it('read every comparison', () => {
    for (const op of ['==', '!=', '<', '<=', '>', '>=']) expect(condition(`x where a ${op} 1`)).toMatchObject({ type: 'compare', op });
  });
  it('do not chain comparisons', () => {
    expect(eqlErrors('x where 1 < a < 3')[0].code).toBe('eql/syntax');
  });
  it('read set membership in all its forms', () => {
    expect(condition('x where a in ("x", "y")')).toMatchObject({ type: 'in', negated: false, caseInsensitive: false, values: [{ value: 'x' }, { value: 'y' }] });
    expect(condition('x where a not in (1, 2)')).toMatchObject({ type: 'in', negated: true });
    expect(condition('x where a in~ ("x")')).toMatchObject({ type: 'in', caseInsensitive: true });
    expect(condition('x where a not in~ ("x")')).toMatchObject({ type: 'in', caseInsensitive: true, negated: true });
  });
  it('read pattern operators with one pattern or a list', () => {
    expect(condition('x where a : "b*"')).toMatchObject({ type: 'pattern', op: ':', patterns: [{ value: 'b*' }] });
    expect(condition('x where a : ("b*", "c?")')).toMatchObject({ type: 'pattern', op: ':', patterns: [{ value: 'b*' }, { value: 'c?' }] });
    for (const op of ['like', 'like~', 'regex', 'regex~']) expect(condition(`x where a ${op} "v"`)).toMatchObject({ type: 'pattern', op });
  });
  it('need string patterns', () => {
    expect(eqlErrors('x where a : 5')[0].code).toBe('eql/type-mismatch');
  });
  it('reject = with a hint', () => {
    expect(eqlErrors('x where a = 1')[0]).toMatchObject({ code: 'eql/unsupported', hint: 'Use `==` (case-sensitive) or `:` (case-insensitive, with wildcards).' });
  });
  it('reject endgame lineage', () => {
    expect(eqlErrors('x where descendant of [process where true]')[0]).toMatchObject({ code: 'eql/unsupported', message: 'Descendant of is not supported by Elasticsearch EQL.' });
    expect(eqlErrors('x where child of [process where true]')[0].code).toBe('eql/unsupported');
  });
});
