import type { KqlValue, KqlWildcard } from '../../kql/ast.js';

/** A value as Kibana passes it on: the typed literal, or a wildcard's text with its `*`s. */
export type PlainValue = string | boolean | null;

/** The value sent in match, term, range and script queries. Escaped stars are not distinguishable here. */
export function plainValue(value: KqlValue): PlainValue {
  return value.type === 'wildcard' ? value.segments.join('*') : value.value;
}

// The query_string reserved characters; `*` is among them so a star that was escaped in KQL stays literal.
const QUERY_STRING_SPECIAL = /[+\-=&|><!(){}[\]^"~*?:\\/]/g;

/**
 * A wildcard value as Lucene query_string / wildcard syntax: reserved characters in the literal parts are
 * backslash-escaped and the wildcard positions become `*`. Whitespace is left alone, as Kibana does.
 */
export function wildcardQueryText(value: KqlWildcard): string {
  return value.segments.map((s) => s.replace(QUERY_STRING_SPECIAL, '\\$&')).join('*');
}

/** True for a value that is exactly one unescaped `*` (the exists form). */
export function isLoneStar(value: KqlValue): boolean {
  return value.type === 'wildcard' && value.segments.length === 2 && value.segments[0] === '' && value.segments[1] === '';
}
