import type { Diagnostic } from './diagnostics/diagnostic.js';
import { aliasesFromMapping, createFieldSchema, fieldsFromMapping, type ExtraFields, type FieldSchema } from './fields/index.js';
import type { IrQuery } from './ir/types.js';
import { parseKql } from './kql/parse.js';
import { lowerKql } from './kql/lower.js';
import { lowerEql } from './eql/lower.js';
import { parseEql } from './eql/parse.js';
import { linkPredicate, type Matcher } from './runtime/match/link.js';

/** Options for compiling one query. */
export interface CompileQueryOptions {
  /** The query language: `kuery` (KQL) or `eql` (Elasticsearch EQL; event queries so far). */
  language: 'kuery' | 'eql';
  /** EQL: the field `category where` tests (default `event.category`). */
  categoryField?: string;
  /** Extra field types (name → Elasticsearch type), on top of ECS and the bundled integration packs. */
  fields?: ExtraFields;
  /** A ready field schema; overrides `fields`. */
  schema?: FieldSchema;
  /**
   * An Elasticsearch index mapping (`GET index/_mapping` output, a `mappings` object or `{properties}`): its
   * field types join `fields`, and its alias fields read their targets.
   */
  mapping?: unknown;
  /** The instant date math (`now-1d`) is relative to: a Date, epoch ms or an ISO string. Default: now. */
  now?: Date | number | string;
}

/** An EQL result pipe: keep the first (`head`) or last (`tail`) `count` hits. */
export interface ResultPipe {
  name: 'head' | 'tail';
  count: number;
}

/** A compiled query: the matcher, the IR it was linked from, any warnings, and EQL's result pipes. */
export type CompileQueryResult =
  | { ok: true; matcher: Matcher; ir: IrQuery; diagnostics: Diagnostic[]; pipes: ResultPipe[] }
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
  const lowered = lowerQuery(text, options);
  if (!lowered.ok) return lowered;
  const now = resolveNow(options.now);
  if (Number.isNaN(now)) {
    return {
      ok: false,
      diagnostics: [{ line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'query/now', message: `"now" is not a valid instant: ${String(options.now)}` }],
    };
  }
  return { ok: true, matcher: linkPredicate(lowered.ir.predicate, { now }), ir: lowered.ir, diagnostics: lowered.diagnostics, pipes: lowered.pipes };
}

type Lowered = { ok: true; ir: IrQuery; diagnostics: Diagnostic[]; pipes: ResultPipe[] } | { ok: false; diagnostics: Diagnostic[] };

/** Parses, checks and lowers a query of either language to the IR. */
function lowerQuery(text: string, options: CompileQueryOptions): Lowered {
  const mappingFields = options.mapping !== undefined ? fieldsFromMapping(options.mapping) : {};
  const extraFields = { ...mappingFields, ...(options.fields ?? {}) };
  const schema = options.schema ?? createFieldSchema(Object.keys(extraFields).length > 0 ? { extraFields } : {});
  const aliases = options.mapping !== undefined ? aliasesFromMapping(options.mapping) : {};
  if (options.language === 'kuery') {
    const parsed = parseKql(text);
    if (!parsed.ok) return parsed;
    const lowered = lowerKql(parsed.ast, { schema, source: text });
    return lowered.ok ? { ...lowered, pipes: [] } : lowered;
  }
  if (options.language === 'eql') {
    const parsed = parseEql(text);
    if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
    const lowered = lowerEql(parsed.ast, { source: text, schema, aliases, ...(options.categoryField !== undefined ? { categoryField: options.categoryField } : {}) });
    if (!lowered.ok) return { ok: false, diagnostics: [...parsed.diagnostics, ...lowered.diagnostics] };
    const pipes = parsed.ast.pipes.map((p): ResultPipe => ({ name: p.name as 'head' | 'tail', count: Number(p.args) }));
    return { ok: true, ir: lowered.ir, diagnostics: [...parsed.diagnostics, ...lowered.diagnostics], pipes };
  }
  return {
    ok: false,
    diagnostics: [{ line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'query/language', message: `Unsupported query language "${String(options.language)}"; expected "kuery" or "eql".` }],
  };
}

/** Applies EQL's head/tail pipes, in order, to a list of hits. */
export function applyPipes<T>(hits: T[], pipes: readonly ResultPipe[]): T[] {
  return pipes.reduce((list, p) => (p.name === 'head' ? list.slice(0, p.count) : list.slice(Math.max(0, list.length - p.count))), hits);
}
