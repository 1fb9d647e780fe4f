import type { FieldFamily } from './types.js';

// Types not listed (binary, ranges, vectors, point/shape, histogram, alias, ...) have no query semantics ruleforge
// implements; they are 'other'.
const FAMILIES: ReadonlyMap<string, FieldFamily> = new Map(Object.entries({
  keyword: 'keyword',
  constant_keyword: 'keyword',
  wildcard: 'keyword',
  counted_keyword: 'keyword',
  text: 'text',
  match_only_text: 'text',
  annotated_text: 'text',
  search_as_you_type: 'text',
  long: 'number',
  integer: 'number',
  short: 'number',
  byte: 'number',
  double: 'number',
  float: 'number',
  half_float: 'number',
  scaled_float: 'number',
  unsigned_long: 'number',
  date: 'date',
  date_nanos: 'date',
  boolean: 'boolean',
  ip: 'ip',
  flattened: 'flattened',
  nested: 'nested',
  object: 'object',
  version: 'version',
  geo_point: 'geo',
  geo_shape: 'geo',
} satisfies Record<string, FieldFamily>));

/** The semantic family of an Elasticsearch mapping type. */
export function familyOf(esType: string): FieldFamily {
  return FAMILIES.get(esType) ?? 'other';
}
