import type { SourceRange } from '../diagnostics/diagnostic.js';

/**
 * The KQL syntax tree, as the grammar (grammar/kql.peggy) builds it. It mirrors Kibana's node tree:
 * `is(field, value)`, `range(field, op, value)`, `nested(path, query)`, `and`, `or`, `not`; a field of
 * `null` is free text. Every node carries the source range it was parsed from.
 */
export type KqlNode = KqlOr | KqlAnd | KqlNot | KqlNested | KqlIs | KqlRange;

export interface KqlOr {
  type: 'or';
  children: KqlNode[];
  loc: SourceRange;
}

export interface KqlAnd {
  type: 'and';
  children: KqlNode[];
  loc: SourceRange;
}

export interface KqlNot {
  type: 'not';
  child: KqlNode;
  loc: SourceRange;
}

/** `path: { query }`: one object under `path` must satisfy the whole inner query. */
export interface KqlNested {
  type: 'nested';
  path: KqlValue;
  child: KqlNode;
  loc: SourceRange;
}

/** `field: value`; `field` is null for free text (a value with no field). */
export interface KqlIs {
  type: 'is';
  field: KqlValue | null;
  value: KqlValue;
  loc: SourceRange;
}

export type KqlRangeOperator = 'lt' | 'lte' | 'gt' | 'gte';

/** `field < value` and friends. */
export interface KqlRange {
  type: 'range';
  field: KqlValue;
  operator: KqlRangeOperator;
  value: KqlValue;
  loc: SourceRange;
}

/** A literal value or field name. Unquoted `true`, `false` and `null` become typed; numerals stay text. */
export interface KqlLiteral {
  type: 'literal';
  value: string | boolean | null;
  quoted: boolean;
  loc: SourceRange;
}

/**
 * An unquoted value with at least one unescaped `*`. The text is `segments.join('*')`; the wildcard
 * positions are between segments (`*foo` is `['', 'foo']`); an escaped `\*` stays inside a segment.
 */
export interface KqlWildcard {
  type: 'wildcard';
  segments: string[];
  loc: SourceRange;
}

export type KqlValue = KqlLiteral | KqlWildcard;

/** True when `value` is the lone `*` that makes `field: *` an exists query. */
export function isLoneWildcard(value: KqlValue): boolean {
  return value.type === 'wildcard' && value.segments.length === 2 && value.segments[0] === '' && value.segments[1] === '';
}

/** The value's text with wildcard positions shown as `*` (escaped stars are indistinguishable here). */
export function valueText(value: KqlValue): string {
  return value.type === 'wildcard' ? value.segments.join('*') : String(value.value);
}
