import { diagnosticAt, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { KqlNode } from '../../kql/ast.js';
import { parseKql } from '../../kql/parse.js';
import { andToDsl, notToDsl, orToDsl } from './bool.js';
import { DslConversionError } from './errors.js';
import { isToDsl } from './is.js';
import { nestedToDsl } from './nested.js';
import { rangeToDsl } from './range.js';
import type { ConvertEnv, DslQuery, KqlToDslOptions } from './types.js';

export type { DataViewField, DslJson, DslQuery, KqlToDslOptions } from './types.js';

/** The DSL, or why there is none: a syntax error, or a query Kibana refuses to convert. */
export type KqlToDslResult = { ok: true; dsl: DslQuery } | { ok: false; diagnostics: Diagnostic[] };

/** Dispatches one node to its converter. */
function convert(node: KqlNode, env: ConvertEnv): DslQuery {
  switch (node.type) {
    case 'and':
      return andToDsl(node, env, convert);
    case 'or':
      return orToDsl(node, env, convert);
    case 'not':
      return notToDsl(node, env, convert);
    case 'nested':
      return nestedToDsl(node, env, convert);
    case 'is':
      return isToDsl(node, env);
    case 'range':
      return rangeToDsl(node, env);
  }
}

/** Converts a parsed KQL tree; `source` is the query text, for code frames in diagnostics. */
export function kqlAstToDsl(ast: KqlNode, options: KqlToDslOptions = {}, source?: string): KqlToDslResult {
  const env: ConvertEnv = { options, nested: options.nestedPath !== undefined ? { path: options.nestedPath } : undefined };
  try {
    return { ok: true, dsl: convert(ast, env) };
  } catch (e) {
    if (!(e instanceof DslConversionError)) throw e;
    const diagnostic = diagnosticAt(e.loc, {
      code: e.code,
      message: e.message,
      ...(e.hint !== undefined ? { hint: e.hint } : {}),
      ...(source !== undefined ? { source } : {}),
    });
    return { ok: false, diagnostics: [diagnostic] };
  }
}

/**
 * Converts a KQL query into the Elasticsearch query DSL exactly as Kibana's `toElasticsearchQuery` does
 * (same clauses, same key order). Never throws for bad input: problems come back as located diagnostics.
 */
export function kqlToDsl(query: string, options: KqlToDslOptions = {}): KqlToDslResult {
  const parsed = parseKql(query);
  if (!parsed.ok) return parsed;
  return kqlAstToDsl(parsed.ast, options, query);
}
