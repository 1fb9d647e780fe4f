import { compileQuery } from '../../src/compile-query.js';

/** Compiles `query` (KQL) with extra field types and returns a matcher; fails the test on diagnostics errors. */
export function kql(query: string, fields: Record<string, string> = {}, now?: string): (event: unknown) => boolean {
  const r = compileQuery(query, { language: 'kuery', fields, ...(now !== undefined ? { now } : {}) });
  if (!r.ok) throw new Error(`${query}: ${r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return r.matcher;
}

/** The error codes compiling `query` reports. */
export function kqlErrors(query: string, fields: Record<string, string> = {}): string[] {
  const r = compileQuery(query, { language: 'kuery', fields });
  return r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
}

/** The warning codes compiling `query` reports. */
export function kqlWarnings(query: string, fields: Record<string, string> = {}): string[] {
  const r = compileQuery(query, { language: 'kuery', fields });
  return r.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.code);
}
