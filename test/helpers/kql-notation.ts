/**
 * The tree notation of ../shared/corpus/kql (`is("f", W"a*")`, `range("f", gt, "5")`, `nested("p", q)`,
 * `and(...)`, `or(...)`, `not(q)`; `null` field = free text; `Q"x"` quoted, `W"x"` wildcard) — printed from
 * ruleforge's AST, and read back from the corpus so both sides compare in one canonical form.
 */
import type { KqlNode, KqlValue } from '../../src/kql/ast.js';

export type NotationValue = { kind: 'plain' | 'quoted' | 'wildcard'; text: string } | { kind: 'typed'; value: boolean | null };
export type NotationNode =
  | { fn: 'and' | 'or'; args: NotationNode[] }
  | { fn: 'not'; arg: NotationNode }
  | { fn: 'is'; field: NotationValue | null; value: NotationValue }
  | { fn: 'range'; field: NotationValue; op: string; value: NotationValue }
  | { fn: 'nested'; path: NotationValue; query: NotationNode };

function fromValue(v: KqlValue): NotationValue {
  if (v.type === 'wildcard') return { kind: 'wildcard', text: v.segments.join('*') };
  if (v.value === null || typeof v.value === 'boolean') return v.quoted ? { kind: 'quoted', text: String(v.value) } : { kind: 'typed', value: v.value };
  return { kind: v.quoted ? 'quoted' : 'plain', text: v.value };
}

/** ruleforge AST → notation tree. */
export function fromAst(n: KqlNode): NotationNode {
  switch (n.type) {
    case 'and':
    case 'or':
      return { fn: n.type, args: n.children.map(fromAst) };
    case 'not':
      return { fn: 'not', arg: fromAst(n.child) };
    case 'is':
      return { fn: 'is', field: n.field === null ? null : fromValue(n.field), value: fromValue(n.value) };
    case 'range':
      return { fn: 'range', field: fromValue(n.field), op: n.operator, value: fromValue(n.value) };
    case 'nested':
      return { fn: 'nested', path: fromValue(n.path), query: fromAst(n.child) };
  }
}

function printValue(v: NotationValue | null): string {
  if (v === null) return 'null';
  if (v.kind === 'typed') return String(v.value);
  const prefix = v.kind === 'quoted' ? 'Q' : v.kind === 'wildcard' ? 'W' : '';
  return prefix + JSON.stringify(v.text);
}

/** Canonical text of a notation tree. */
export function printNotation(n: NotationNode): string {
  switch (n.fn) {
    case 'and':
    case 'or':
      return `${n.fn}(${n.args.map(printNotation).join(', ')})`;
    case 'not':
      return `not(${printNotation(n.arg)})`;
    case 'is':
      return `is(${printValue(n.field)}, ${printValue(n.value)})`;
    case 'range':
      return `range(${printValue(n.field)}, ${n.op}, ${printValue(n.value)})`;
    case 'nested':
      return `nested(${printValue(n.path)}, ${printNotation(n.query)})`;
  }
}

const OPS: Record<string, string> = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte', lt: 'lt', lte: 'lte', gt: 'gt', gte: 'gte' };

/** Reads the corpus notation (value form for `start_rule: Literal` cases). */
export function parseNotation(text: string): { node?: NotationNode; value?: NotationValue | null } {
  let i = 0;
  const ws = () => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): NotationValue | null => {
    ws();
    if (text.startsWith('null', i)) return (i += 4), null;
    if (text.startsWith('true', i)) return (i += 4), { kind: 'typed', value: true };
    if (text.startsWith('false', i)) return (i += 5), { kind: 'typed', value: false };
    if (text[i] === 'Q') return i++, { kind: 'quoted', text: str() };
    if (text[i] === 'W') return i++, { kind: 'wildcard', text: str() };
    return { kind: 'plain', text: str() };
  };
  const expect = (c: string) => {
    ws();
    if (text[i] !== c) throw new Error(`notation: expected ${c} at ${i} in ${text}`);
    i++;
  };
  const node = (): NotationNode => {
    ws();
    const m = /^[a-z]+/.exec(text.slice(i));
    if (!m) throw new Error(`notation: function expected at ${i} in ${text}`);
    const fn = m[0];
    i += fn.length;
    expect('(');
    let out: NotationNode;
    if (fn === 'and' || fn === 'or') {
      const args = [node()];
      ws();
      while (text[i] === ',') (i++, args.push(node()), ws());
      out = { fn, args };
    } else if (fn === 'not') out = { fn, arg: node() };
    else if (fn === 'nested') {
      const path = value();
      expect(',');
      out = { fn, path: path!, query: node() };
    } else if (fn === 'range') {
      const field = value();
      expect(',');
      ws();
      const opMatch = /^"?([<>]=?|[a-z]+)"?/.exec(text.slice(i))!;
      i += opMatch[0].length;
      expect(',');
      out = { fn, field: field!, op: OPS[opMatch[1]] ?? opMatch[1], value: value()! };
    } else {
      const field = value();
      expect(',');
      out = { fn: 'is', field, value: value()! };
    }
    expect(')');
    return out;
  };
  ws();
  if (/^(is|range|nested|and|or|not)\(/.test(text.slice(i))) return { node: node() };
  return { value: value() };
}

/** Canonical notation of a corpus value. */
export function printNotationValue(v: NotationValue | null): string {
  return printValue(v);
}

/** Canonical notation of a ruleforge value. */
export function valueNotation(v: KqlValue): string {
  return printValue(fromValue(v));
}
