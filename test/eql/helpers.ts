import { expect } from 'vitest';
import type { EqlQuery } from '../../src/eql/ast.js';
import { parseEql } from '../../src/eql/parse.js';
import { compileQuery } from '../../src/compile-query.js';

/** Parses a query that must be valid Elasticsearch EQL. */
export function eql(query: string): EqlQuery {
  const r = parseEql(query);
  if (!r.ok) throw new Error(`${query}: ${r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return r.ast;
}

/** The codes and messages of a query that must be rejected. */
export function eqlErrors(query: string): { code: string; message: string; hint?: string; line: number; column: number }[] {
  const r = parseEql(query);
  expect(r.ok, `${query} should be rejected`).toBe(false);
  return r.diagnostics.filter((d) => d.severity === 'error').map(({ code, message, hint, line, column }) => ({ code, message, line, column, ...(hint ? { hint } : {}) }));
}

/** The condition of an event query. */
export function condition(query: string) {
  const q = eql(query);
  if (q.type !== 'event') throw new Error('not an event query');
  return q.condition;
}

/** The matcher of an event query that must compile (under `mapping`, when given). */
export function eqlMatcher(query: string, categoryField = 'event.category', mapping?: unknown) {
  const r = compileQuery(query, { language: 'eql', categoryField, ...(mapping ? { mapping } : {}) });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
  return r.matcher;
}
