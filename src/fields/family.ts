import type { FieldFamily } from './types.js';

const FAMILIES: Record<string, FieldFamily> = {
  keyword: 'keyword',
  constant_keyword: 'keyword',
  wildcard: 'keyword',
  text: 'text',
  match_only_text: 'text',
  annotated_text: 'text',
  'annotated-text': 'text',
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
};

/** The semantic family of an Elasticsearch mapping type. */
export function familyOf(esType: string): FieldFamily {
  return FAMILIES[esType] ?? 'other';
}
