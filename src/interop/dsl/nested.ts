import type { KqlNested } from '../../kql/ast.js';
import { nestedPathOf, type FieldName } from './field-name.js';
import type { ConvertEnv, DataViewField, DslJson, DslQuery } from './types.js';
import { plainValue } from './value.js';

/** `{nested: {path, query, score_mode: "none", ignore_unmapped?}}`. */
function nestedQuery(path: DslJson, query: DslQuery, env: ConvertEnv): DslQuery {
  const body: DslQuery = { path, query, score_mode: 'none' };
  if (typeof env.options.nestedIgnoreUnmapped === 'boolean') body.ignore_unmapped = env.options.nestedIgnoreUnmapped;
  return { nested: body };
}

/**
 * `path: { query }`: the inner query runs against each object under `path` (relative to the enclosing group),
 * and its field names are resolved inside that path.
 */
export function nestedToDsl(node: KqlNested, env: ConvertEnv, convert: (child: KqlNested['child'], env: ConvertEnv) => DslQuery): DslQuery {
  const written = plainValue(node.path);
  const outer = env.nested?.path;
  const path = outer ? `${String(outer)}.${String(written)}` : written;
  return nestedQuery(path, convert(node.child, { ...env, nested: { path } }), env);
}

/**
 * A wildcard field name can match fields under a nested path, which only a nested query can reach; outside
 * an explicit nested group each such match gets its own nested query. Plain names are left as written.
 */
export function wrapIfNested(query: DslQuery, field: DataViewField, name: FieldName, env: ConvertEnv): DslQuery {
  const path = nestedPathOf(field);
  if (name.kind !== 'wildcard' || path === undefined || env.nested) return query;
  return nestedQuery(path, query, env);
}
