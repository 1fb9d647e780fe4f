import type { Diagnostic } from './diagnostics/diagnostic.js';
import { createFieldSchema, type ExtraFields, type FieldSchema } from './fields/index.js';
import type { IrQuery } from './ir/types.js';
import { parseKql } from './kql/parse.js';
import { lowerKql } from './kql/lower.js';
import { linkPredicate, type Matcher } from './runtime/link.js';

/** Options for compiling one query. */
export interface CompileQueryOptions {
  /** The query language; only `kuery` (KQL) so far. */
  language: 'kuery';
  /** Extra field types (name → Elasticsearch type), on top of ECS and the bundled integration packs. */
  fields?: ExtraFields;
  /** A ready field schema; overrides `fields`. */
  schema?: FieldSchema;
  /** The instant date math (`now-1d`) is relative to: a Date, epoch ms or an ISO string. Default: now. */
  now?: Date | number | string;
}

/** A compiled query: the matcher, the IR it was linked from, and any warnings. */
export type CompileQueryResult =
  | { ok: true; matcher: Matcher; ir: IrQuery; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

/** Turns `now` in any accepted form into epoch milliseconds (NaN when unreadable). */
export function resolveNow(now: Date | number | string | undefined): number {
  if (now === undefined) return Date.now();
  if (now instanceof Date) return now.getTime();
  if (typeof now === 'number') return now;
  return Date.parse(now);
}

/**
 * Compiles a query into a matcher: parse, check and lower against the field schema, then link.
 * Never throws for bad input: problems come back as located diagnostics.
 */
export function compileQuery(text: string, options: CompileQueryOptions): CompileQueryResult {
  if (options.language !== 'kuery') {
    return {
      ok: false,
      diagnostics: [{ line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'query/language', message: `Unsupported query language "${String(options.language)}"; expected "kuery".` }],
    };
  }
  const parsed = parseKql(text);
  if (!parsed.ok) return parsed;
  const schema = options.schema ?? createFieldSchema(options.fields ? { extraFields: options.fields } : {});
  const lowered = lowerKql(parsed.ast, { schema, source: text });
  if (!lowered.ok) return lowered;
  const now = resolveNow(options.now);
  if (Number.isNaN(now)) {
    return {
      ok: false,
      diagnostics: [{ line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'query/now', message: `"now" is not a valid instant: ${String(options.now)}` }],
    };
  }
  return { ok: true, matcher: linkPredicate(lowered.ir.predicate, { now }), ir: lowered.ir, diagnostics: lowered.diagnostics };
}
