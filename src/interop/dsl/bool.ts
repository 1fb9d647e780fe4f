import type { KqlAnd, KqlNode, KqlNot, KqlOr } from '../../kql/ast.js';
import type { ConvertEnv, DslQuery } from './types.js';

type Convert = (node: KqlNode, env: ConvertEnv) => DslQuery;

/** `a and b`: every clause must hold; `filter` (no scoring) unless the caller asked for `must`. */
export function andToDsl(node: KqlAnd, env: ConvertEnv, convert: Convert): DslQuery {
  const key = env.options.filtersInMustClause ? 'must' : 'filter';
  return { bool: { [key]: node.children.map((c) => convert(c, env)) } };
}

/** `a or b`: at least one clause must hold. */
export function orToDsl(node: KqlOr, env: ConvertEnv, convert: Convert): DslQuery {
  return { bool: { should: node.children.map((c) => convert(c, env)), minimum_should_match: 1 } };
}

/** `not a`: must_not holds the one clause as an object, not a list (Kibana's shape). */
export function notToDsl(node: KqlNot, env: ConvertEnv, convert: Convert): DslQuery {
  return { bool: { must_not: convert(node.child, env) } };
}
