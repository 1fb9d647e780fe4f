import { describe, expect, it } from 'vitest';
import { allFunctions, lookupFunction } from '../../src/eql/functions.js';
import { condition, eqlErrors } from './helpers.js';

describe('EQL functions', () => {
  it('know all of Elasticsearch EQL, case-insensitively', () => {
    expect(allFunctions().map((f) => f.name).sort()).toEqual(
      ['add', 'between', 'cidrMatch', 'concat', 'divide', 'endsWith', 'indexOf', 'length', 'modulo', 'multiply', 'number', 'startsWith', 'string', 'stringContains', 'substring', 'subtract'].sort(),
    );
    expect(lookupFunction('CIDRMATCH')?.name).toBe('cidrMatch');
  });
  it('read calls and their ~ forms', () => {
    expect(condition('x where startsWith~(process.name, "cmd")')).toMatchObject({ type: 'call', name: 'startsWith', caseInsensitive: true, args: [{ type: 'field' }, { value: 'cmd' }] });
    expect(condition('x where cidrMatch(source.ip, "10.0.0.0/8", "192.168.0.0/16")')).toMatchObject({ type: 'call', args: [{}, {}, {}] });
  });
  it('reject unknown functions, suggesting close names', () => {
    const [e] = eqlErrors('x where startswth(a, "b")');
    expect(e).toMatchObject({ code: 'eql/unknown-function', message: 'Unknown function [startswth].' });
    expect(e.hint).toMatch(/Did you mean .*\[startsWith\]/);
  });
  it('explain endgame-only functions', () => {
    expect(eqlErrors('x where arrayContains(a, "b")')[0]).toMatchObject({ code: 'eql/unsupported', message: 'Function [arrayContains] is not supported by Elasticsearch EQL.' });
  });
  it('check field arguments against their mapped types', async () => {
    const { compileQuery } = await import('../../src/compile-query.js');
    const r = compileQuery('process where length(process.pid) > 2', { language: 'eql' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'eql/type-mismatch', message: 'Argument 1 of [length] must be a string, but `process.pid` is a long field.' });
    expect(compileQuery('process where length(process.name) > 2 and cidrMatch(source.ip, "10.0.0.0/8")', { language: 'eql' }).ok).toBe(true);
  });
  it('check arity, ~ forms and literal argument types', () => {
    expect(eqlErrors('x where length(a, b)')[0]).toMatchObject({ code: 'eql/function-arity', message: 'Function [length] takes 1 arguments, found [2].' });
    expect(eqlErrors('x where cidrMatch(a)')[0].message).toBe('Function [cidrMatch] takes at least 2 arguments, found [1].');
    expect(eqlErrors('x where length~(a) == 1')[0].code).toBe('eql/function');
    expect(eqlErrors('x where length(5) == 1')[0]).toMatchObject({ code: 'eql/type-mismatch', message: 'Argument 1 of [length] must be a string, found number [5].' });
  });
});
