import type { KqlNode, KqlValue } from './ast.js';

// Characters that end an unquoted literal unless escaped (the grammar's SpecialCharacter).
const SPECIAL = /[\\():<>"*{}]/g;

/** Escapes one unquoted segment so that it parses back to exactly the same text. */
function escapeUnquotedSegment(text: string): string {
  let out = text.replace(SPECIAL, (c) => `\\${c}`);
  // Keywords: ` or ` / ` and ` end a literal, and so does `not` followed by whitespace anywhere (even
  // mid-word). Escape every candidate, also at the end of a segment, since printing may put a space after it.
  // This runs before whitespace is escaped, so the look-arounds see the real characters.
  out = out.replace(/(^|[\s\u00a0])(or|and)(?=[\s\u00a0]|$)/gi, (_m, pre: string, kw: string) => `${pre}\\${kw}`);
  // `\not` would read as the escape `\n` followed by "ot", so a lower-case n is escaped by its code point.
  out = out.replace(/(n|N)(ot)(?=[\s\u00a0]|$)/gi, (_m, n: string, rest: string) => (n === 'n' ? `\\u006e${rest}` : `\\${n}${rest}`));
  return out.replace(/\t/g, '\\t').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

function printQuoted(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\t/g, '\\t').replace(/\r/g, '\\r').replace(/\n/g, '\\n')}"`;
}

/** Prints a value or field name in a form the grammar reads back as the same node. */
export function printKqlValue(value: KqlValue): string {
  if (value.type === 'wildcard') return value.segments.map(escapeUnquotedSegment).join('*');
  if (value.quoted) return printQuoted(String(value.value));
  if (value.value === null || typeof value.value === 'boolean') return String(value.value);
  // Unquoted text that would read as a typed literal, or that trimming would change, must be quoted.
  if (value.value === '' || /^(true|false|null)$/.test(value.value) || value.value.trim() !== value.value) {
    return printQuoted(value.value);
  }
  return escapeUnquotedSegment(value.value);
}

function needsParens(child: KqlNode, parent: 'and' | 'or' | 'not'): boolean {
  if (parent === 'not') return child.type === 'and' || child.type === 'or' || child.type === 'not';
  if (parent === 'and') return child.type === 'and' || child.type === 'or';
  return child.type === 'or';
}

function printChild(child: KqlNode, parent: 'and' | 'or' | 'not'): string {
  const text = printKql(child);
  return needsParens(child, parent) ? `(${text})` : text;
}

const RANGE_OPERATORS = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/**
 * Prints a syntax tree as canonical KQL: lower-case keywords, `field: value`, parentheses only where the
 * tree needs them. Parsing the output gives back the same tree (locations aside).
 */
export function printKql(node: KqlNode): string {
  switch (node.type) {
    case 'or':
      return node.children.map((c) => printChild(c, 'or')).join(' or ');
    case 'and':
      return node.children.map((c) => printChild(c, 'and')).join(' and ');
    case 'not':
      return `not ${printChild(node.child, 'not')}`;
    case 'nested':
      return `${printKqlValue(node.path)}: { ${printKql(node.child)} }`;
    case 'range':
      return `${printKqlValue(node.field)} ${RANGE_OPERATORS[node.operator]} ${printKqlValue(node.value)}`;
    case 'is':
      return node.field === null ? printKqlValue(node.value) : `${printKqlValue(node.field)}: ${printKqlValue(node.value)}`;
  }
}
