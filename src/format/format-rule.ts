import { isDeepStrictEqual } from 'node:util';
import { Document, isCollection, isMap, isPair, isScalar, isSeq, parse, parseDocument, Scalar, type Node, type Pair } from 'yaml';
import { keyOrderAt } from './key-order.js';

/** The result of formatting one rule file. */
export type FormatResult = { ok: true; text: string; changed: boolean } | { ok: false; line: number; column: number; message: string };

/** Top-level keys whose strings are always written as literal block scalars (`|`). */
const BLOCK_KEYS = new Set(['query', 'threat_query', 'note', 'setup']);

/** The layout ruleforge writes (and `fmt --check` expects). */
const TO_STRING = { indent: 2, indentSeq: true, lineWidth: 110, minContentWidth: 40, flowCollectionPadding: true, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN', doubleQuotedAsJSON: false, singleQuote: false } as const;

function sortMapping(map: { items: Pair[] }, path: readonly (string | number)[]): void {
  const order = keyOrderAt(path);
  if (order.length === 0) return;
  const rank = (p: Pair): number => {
    const key = isScalar(p.key) ? String(p.key.value) : '';
    const i = order.indexOf(key);
    return i < 0 ? order.length : i;
  };
  // A stable sort: keys the schema does not know keep their relative order, after the known ones.
  const ranked = map.items.map((p, i) => ({ p, i, r: rank(p) }));
  ranked.sort((a, b) => a.r - b.r || a.i - b.i);
  // The comment and blank line above the first pair belong to the mapping (a file header such as
  // `# yaml-language-server: $schema=…`), not to whichever key was first: they stay on top.
  const oldFirst = map.items[0]?.key as Node | undefined;
  const header = { comment: oldFirst?.commentBefore, space: oldFirst?.spaceBefore };
  map.items = ranked.map((x) => x.p);
  const newFirst = map.items[0]?.key as Node | undefined;
  if (oldFirst && newFirst && oldFirst !== newFirst) {
    const moved = { comment: newFirst.commentBefore, space: newFirst.spaceBefore };
    newFirst.commentBefore = header.comment;
    newFirst.spaceBefore = header.space;
    oldFirst.commentBefore = moved.comment;
    oldFirst.spaceBefore = moved.space;
  }
}

function restyleScalar(node: Scalar, topKey: string | undefined): void {
  if (typeof node.value !== 'string') return;
  if (topKey !== undefined && BLOCK_KEYS.has(topKey)) {
    node.type = Scalar.BLOCK_LITERAL;
    return;
  }
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) return;
  // Quoted and plain strings: plain where YAML allows it, double quotes otherwise. A string that YAML 1.1 tools
  // would read as something else (a date, `yes`, `0o17`) stays quoted, so the file means the same to every reader.
  if (node.value.includes('\n')) node.type = Scalar.BLOCK_LITERAL;
  else node.type = readsAsString11(node.value) ? undefined : Scalar.QUOTE_DOUBLE;
}

function readsAsString11(value: string): boolean {
  try {
    return parse(value, { version: '1.1' }) === value;
  } catch {
    return true;
  }
}

/**
 * A flow collection (`{ a: 1 }`, `[x, y]`) stays on one line when it fits the line width where it stands;
 * longer ones become block collections rather than flow collections broken over lines.
 */
function fitFlow(node: unknown, depth: number, keyLength: number): void {
  if (!isCollection(node) || !node.flow) return;
  const oneLine = new Document(node).toString({ ...TO_STRING, lineWidth: 0 }).trimEnd();
  if (oneLine.includes('\n') || depth * 2 + keyLength + 2 + oneLine.length > TO_STRING.lineWidth) node.flow = false;
}

function walk(node: unknown, path: (string | number)[], schemaPath: (string | number)[] | undefined): void {
  if (isCollection(node) && node.flow) fitFlow(node, path.length, String(path.at(-1) ?? '').length);
  if (isMap(node)) {
    if (schemaPath) sortMapping(node, schemaPath);
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (isScalar(pair.key)) pair.key.type = undefined;
      const childPath = key === undefined ? undefined : [...path, key];
      const topKey = path.length === 0 ? key : undefined;
      if (isScalar(pair.value)) restyleScalar(pair.value, topKey);
      else walk(pair.value, childPath ?? path, childPath && schemaPath ? [...schemaPath, key!] : undefined);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      if (isScalar(item)) restyleScalar(item, undefined);
      else walk(item, [...path, i], schemaPath ? [...schemaPath, i] : undefined);
    });
  } else if (isPair(node)) {
    walk(node.value, path, schemaPath);
  }
}

/** The value of a parsed document as plain data (for checking that formatting changed no value). */
const valueOf = (doc: Document): unknown => doc.toJS({ maxAliasCount: 100 });

/**
 * Formats one rule file into the canonical layout: keys in canonical order (src/format/key-order.ts: the rule schema's
 * order below the top level), two-space indentation, queries, notes and setup guides as literal block scalars, strings plain
 * where YAML allows and double-quoted otherwise, comments and blank lines kept with the key they precede.
 * Every value is unchanged (checked by re-reading the result); a file that does not parse is not formatted.
 */
export function formatRuleText(text: string): FormatResult {
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) {
    const pos = problem.linePos?.[0];
    return { ok: false, line: pos?.line ?? 1, column: pos?.col ?? 1, message: `not formatted: ${problem.message.split('\n')[0]}` };
  }
  const before = valueOf(doc);
  walk(doc.contents, [], isMap(doc.contents) ? [] : undefined);
  let out = doc.toString(TO_STRING);
  if (out.trim() === '' && text.trim() === '') out = text;
  const reread = parseDocument(out, { uniqueKeys: false });
  if (reread.errors.length > 0 || !isDeepStrictEqual(valueOf(reread), before)) {
    return { ok: false, line: 1, column: 1, message: 'not formatted: the canonical layout would change a value (please report this file)' };
  }
  return { ok: true, text: out, changed: out !== text };
}
