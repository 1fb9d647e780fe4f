import { kqlToDsl, type DataViewField, type KqlToDslOptions } from '../../../src/interop/dsl/to-dsl.js';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';

/**
 * The twelve fields of Kibana's own test data view (kbn-es-query's filters stubs), written out here so these
 * unit tests run without ../shared: plain, keyword-only, date, scripted (expression and painless) and nested.
 */
export const STUB_FIELDS: DataViewField[] = [
  { name: 'bytes', type: 'number', scripted: false },
  { name: 'ssl', type: 'boolean', scripted: false },
  { name: '@timestamp', type: 'date', scripted: false },
  { name: 'extension', type: 'string', scripted: false },
  { name: 'machine.os', type: 'string', scripted: false },
  { name: 'machine.os.raw', type: 'string', scripted: false },
  { name: 'machine.os.keyword', type: 'string', esTypes: ['keyword'], scripted: false },
  { name: 'script number', type: 'number', scripted: true, script: '1234', lang: 'expression' },
  { name: 'script date', type: 'date', scripted: true, script: '1234', lang: 'painless' },
  { name: 'script string', type: 'string', scripted: true, script: '1234', lang: 'painless' },
  { name: 'nestedField.child', type: 'string', scripted: false, subType: { nested: { path: 'nestedField' } } },
  {
    name: 'nestedField.nestedChild.doublyNestedChild',
    type: 'string',
    scripted: false,
    subType: { nested: { path: 'nestedField.nestedChild' } },
  },
];

/** The DSL for a query that must convert. */
export function dsl(query: string, options: KqlToDslOptions = {}): unknown {
  const r = kqlToDsl(query, options);
  if (!r.ok) throw new Error(`${query}: ${r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ')}`);
  return r.dsl;
}

/** Same as `dsl`, with the stub data view. */
export function dslWithFields(query: string, options: KqlToDslOptions = {}): unknown {
  return dsl(query, { fields: STUB_FIELDS, ...options });
}

/** The diagnostics of a query that must not convert. */
export function failures(query: string, options: KqlToDslOptions = {}): Diagnostic[] {
  const r = kqlToDsl(query, options);
  if (r.ok) throw new Error(`${query} converted: ${JSON.stringify(r.dsl)}`);
  return r.diagnostics;
}

/** One field's clause wrapped the way Kibana wraps every is/range query. */
export const should = (...clauses: unknown[]) => ({ bool: { should: clauses, minimum_should_match: 1 } });

/** Exact JSON (key order included), the comparison that matters for Kibana parity. */
export const json = (value: unknown): string => JSON.stringify(value);
