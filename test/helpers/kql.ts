import { expect } from 'vitest';
import { parseKql } from '../../src/kql/parse.js';
import { fromAst, printNotation } from './kql-notation.js';

/** The query's tree in the corpus notation; fails the test on a syntax error. */
export function tree(query: string): string {
  const r = parseKql(query);
  if (!r.ok) throw new Error(`unexpected syntax error for ${JSON.stringify(query)}: ${r.diagnostics[0].message}`);
  return printNotation(fromAst(r.ast));
}

/** The syntax error message for a query that must not parse. */
export function syntaxError(query: string): string {
  const r = parseKql(query);
  expect(r.ok, `${JSON.stringify(query)} should not parse`).toBe(false);
  if (r.ok) return '';
  expect(r.diagnostics[0].code).toBe('kql/syntax');
  return r.diagnostics[0].message;
}
