import type { DslJson, DslQuery } from './types.js';

/** `{exists: {field}}`: the field has at least one non-null value. */
export function existsQuery(field: DslJson): DslQuery {
  return { exists: { field } };
}
