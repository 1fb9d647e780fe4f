import { describe, expect, it } from 'vitest';
import { condition, eql, eqlErrors } from './helpers.js';

describe('EQL event queries', () => {
  it('read a category and a condition', () => {
    expect(eql('process where true')).toMatchObject({ type: 'event', category: { name: 'process' }, condition: { type: 'literal', value: true } });
    expect(eql('any where false')).toMatchObject({ category: { name: null } });
    expect(eql('"my-cat" where true')).toMatchObject({ category: { name: 'my-cat', quoted: true } });
    expect(eql('"""x.y""" where true')).toMatchObject({ category: { name: 'x.y' } });
  });
  it('skip comments and whitespace', () => {
    expect(eql('// leading\nprocess /* inline /* nested */ */ where\n  true // trailing')).toMatchObject({ type: 'event' });
  });
  it('take head and tail pipes', () => {
    expect(eql('process where true | head 5 | tail 2').pipes).toMatchObject([{ name: 'head', args: '5' }, { name: 'tail', args: '2' }]);
  });
  it('reject other pipes and bad pipe arguments', () => {
    expect(eqlErrors('process where true | unique process.name')[0]).toMatchObject({ code: 'eql/unsupported', message: 'Pipe [unique] is not supported by Elasticsearch EQL.' });
    expect(eqlErrors('process where true | head -1')[0].code).toBe('eql/syntax');
  });
  it('report syntax errors with their place', () => {
    const [e] = eqlErrors('process where\n  process.name == ');
    expect(e).toMatchObject({ code: 'eql/syntax', line: 2, column: 19 });
    expect(e.message).toMatch(/^Expected .* but end of input found\.$/);
  });
  it('need lower-case keywords', () => {
    expect(eqlErrors('process WHERE true')[0]).toMatchObject({ code: 'eql/syntax', hint: 'EQL keywords are lower case.' });
  });
  it('keep every node located', () => {
    const c = condition('process where a == 1');
    expect(c.loc.start.offset).toBe(14);
    expect(c.loc.end.offset).toBe(20);
  });
});
