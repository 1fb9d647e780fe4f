/**
 * Why a rule's condition holds or not for one event: the condition as a tree, each node PASS/FAIL with the
 * values the event held, and hints for the usual mistakes (letter case, keyword vs text, a quoted `*`, a
 * missing field vs null, a field present under another name).
 */
import { closestNames } from '../fields/suggest.js';
import type { IrPredicate, IrValue } from '../ir/types.js';
import { compilePath, isPlainObject, readValues } from '../runtime/match/field-access.js';
import { linkPredicate } from '../runtime/match/link.js';
import { compileWildcard } from '../runtime/primitives/wildcard.js';

/** One node of an explained condition. */
export interface ExplainNode {
  /** The IR node kind (`and`, `term`, `range`, ...). */
  kind: IrPredicate['kind'];
  /** The condition in readable form, e.g. `event.action == "X"`. */
  label: string;
  pass: boolean;
  field?: string;
  /** Every value the event holds at `field` (array elements included); empty when missing. */
  values?: unknown[];
  /** The field is present but null (as opposed to missing). */
  isNull?: boolean;
  hints?: string[];
  children?: ExplainNode[];
}

const quote = (v: unknown): string => JSON.stringify(v);

function valueLabel(v: IrValue): string {
  switch (v.v) {
    case 'literal':
      return quote(v.value);
    case 'field':
      return v.field;
    case 'call':
      return `${v.fn}${v.caseInsensitive ? '~' : ''}(${v.args.map(valueLabel).join(', ')})`;
    case 'arith':
      return `(${valueLabel(v.left)} ${v.op} ${valueLabel(v.right)})`;
    case 'neg':
      return `-${valueLabel(v.operand)}`;
    case 'compare':
      return `${valueLabel(v.left)} ${v.op} ${valueLabel(v.right)}`;
    case 'in':
      return `${valueLabel(v.subject)} in${v.caseInsensitive ? '~' : ''} (${v.values.map(valueLabel).join(', ')})`;
    case 'pattern':
      return `${valueLabel(v.subject)} ${v.mode === 'regex' ? 'regex' : 'like'}${v.caseInsensitive ? '~' : ''} (${v.patterns.map(quote).join(', ')})`;
    case 'and':
    case 'or':
      return `(${v.args.map(valueLabel).join(` ${v.v} `)})`;
    case 'not':
      return `not ${valueLabel(v.operand)}`;
    default:
      return '?';
  }
}

/** The readable form of a leaf condition. */
export function predicateLabel(p: IrPredicate): string {
  const ci = (p as { caseInsensitive?: boolean }).caseInsensitive ? ' (any case)' : '';
  switch (p.kind) {
    case 'const':
      return String(p.value);
    case 'and':
      return 'all of';
    case 'or':
      return 'any of';
    case 'not':
      return 'not';
    case 'exists':
      return `${p.field} exists`;
    case 'term':
      return `${p.field} == ${quote(p.value)}${ci}`;
    case 'terms':
      return `${p.field} in (${p.values.map(quote).join(', ')})${ci}`;
    case 'range':
      return [p.gt !== undefined ? `${p.field} > ${quote(p.gt)}` : '', p.gte !== undefined ? `${p.field} >= ${quote(p.gte)}` : '', p.lt !== undefined ? `${p.field} < ${quote(p.lt)}` : '', p.lte !== undefined ? `${p.field} <= ${quote(p.lte)}` : ''].filter(Boolean).join(' and ');
    case 'wildcard':
      return `${p.field} like ${quote(p.pattern)}${ci}`;
    case 'regex':
      return `${p.field} regex ${quote(p.pattern)}${ci}`;
    case 'match':
      return `${p.field} ${p.mode === 'phrase' ? 'has the phrase' : p.mode === 'wildcard' ? 'has a word like' : 'has any word of'} ${quote(p.query)}`;
    case 'nested':
      return `some object of ${p.path} matches`;
    case 'freeText':
      return p.mode === 'exists' ? `some field matching ${quote(p.fieldPattern ?? '*')} exists` : `some field${p.fieldPattern ? ` matching ${quote(p.fieldPattern)}` : ''} holds ${quote(p.query)}`;
    case 'expr':
      return p.expect ? valueLabel(p.expr) : `not (${valueLabel(p.expr)})`;
  }
}

/** Every leaf path of an event (`a.b.c`), for "did you mean" on fields present under another name. */
function leafPaths(event: unknown, prefix = '', out: string[] = [], depth = 0): string[] {
  if (depth > 32 || out.length > 5000) return out;
  if (Array.isArray(event)) {
    for (const item of event) leafPaths(item, prefix, out, depth + 1);
    return out;
  }
  if (!isPlainObject(event)) {
    if (prefix) out.push(prefix);
    return out;
  }
  for (const [k, v] of Object.entries(event)) leafPaths(v, prefix ? `${prefix}.${k}` : k, out, depth + 1);
  return out;
}

function fieldOf(p: IrPredicate): string | undefined {
  return 'field' in p && typeof p.field === 'string' ? p.field : undefined;
}

/** Why a failed leaf failed, in the terms of the usual mistakes. */
function hintsFor(p: IrPredicate, values: unknown[], isNull: boolean, event: unknown, now: number): string[] {
  const hints: string[] = [];
  const field = fieldOf(p);
  if (!field) return hints;
  if (values.length === 0) {
    if (isNull) hints.push(`\`${field}\` is null in this event; null never matches a value (and \`exists\` is false for it).`);
    else {
      const paths = [...new Set(leafPaths(event))];
      const near = closestNames(field, paths, 2);
      hints.push(`\`${field}\` is missing from this event${near.length ? `; it has ${near.map((n) => `\`${n}\``).join(' and ')} — did you mean ${near.length > 1 ? 'one of them' : 'that'}?` : '.'}`);
      if (field === 'data_stream.dataset' || field === 'event.dataset' || field === 'event.module' || field === 'event.ingested') {
        hints.push(`\`${field}\` is added when Elasticsearch indexes the event; give it to the engine as a constant (\`--constant ${field}=…\`) or add it to test events.`);
      }
    }
    return hints;
  }
  const strings = values.filter((v): v is string => typeof v === 'string');
  if ((p.kind === 'term' || p.kind === 'terms') && !p.caseInsensitive && p.type === 'keyword') {
    const wanted = p.kind === 'term' ? [String(p.value)] : p.values.map(String);
    if (linkPredicate({ ...p, caseInsensitive: true }, { now })(event)) {
      hints.push('The value differs only in letter case: keyword matching (KQL `:` on a keyword field, EQL `==`) is case-sensitive. EQL `:` or `~` ignore case.');
    }
    const contained = wanted.filter((w) => strings.some((s) => s.length > w.length && s.toLowerCase().includes(w.toLowerCase())));
    if (contained.length > 0) hints.push(`\`${field}\` is a keyword field: the whole value must equal ${quote(contained[0])}, not just contain it. Use a wildcard (\`*${contained[0]}*\`) to match part of it.`);
    const starred = wanted.filter((w) => w.includes('*'));
    for (const w of starred) {
      if (strings.some((s) => compileWildcard(w, false)(s))) hints.push(`${quote(w)} holds a literal \`*\` (a quoted value is exact in KQL); without quotes the \`*\` would be a wildcard and match.`);
    }
  }
  if (p.kind === 'match' && strings.length > 0) hints.push(`\`${field}\` is a text field: the query matches analyzed words (case-insensitive), not the whole value.`);
  return hints;
}

function explainNode(p: IrPredicate, event: unknown, now: number): ExplainNode {
  const pass = linkPredicate(p, { now, codegen: false })(event);
  const node: ExplainNode = { kind: p.kind, label: predicateLabel(p), pass };
  if (p.kind === 'and' || p.kind === 'or') {
    node.children = p.args.map((a) => explainNode(a, event, now));
    return node;
  }
  if (p.kind === 'not') {
    node.children = [explainNode(p.arg, event, now)];
    return node;
  }
  const field = fieldOf(p);
  if (field) {
    const path = compilePath(field);
    node.field = field;
    node.values = readValues(event, path);
    // readValues drops nulls; tell a null from a missing field.
    node.isNull = node.values.length === 0 && hasNullAt(event, field.split('.'));
    if (!node.isNull) delete node.isNull;
  }
  if (!pass) {
    const hints = hintsFor(p, node.values ?? [], node.isNull === true, event, now);
    if (hints.length > 0) node.hints = hints;
  }
  return node;
}

/** True when `event` holds an explicit null at the dotted path (nested, flattened or mixed). */
function hasNullAt(event: unknown, segments: string[]): boolean {
  if (!isPlainObject(event)) return false;
  for (let i = segments.length; i >= 1; i--) {
    const key = segments.slice(0, i).join('.');
    if (!Object.hasOwn(event, key)) continue;
    const v = event[key];
    if (i === segments.length) return v === null;
    if (hasNullAt(v, segments.slice(i))) return true;
  }
  return false;
}

/** Explains a predicate against one event. */
export function explainPredicate(predicate: IrPredicate, event: unknown, options: { now?: number } = {}): ExplainNode {
  return explainNode(predicate, event, options.now ?? Date.now());
}

/** Renders an explanation as an indented PASS/FAIL tree. */
export function formatExplanation(node: ExplainNode, indent = ''): string {
  const mark = node.pass ? 'PASS' : 'FAIL';
  const values = node.field !== undefined ? `   [${node.field} = ${node.isNull ? 'null' : node.values && node.values.length > 0 ? node.values.map(quote).join(', ') : '(missing)'}]` : '';
  const lines = [`${indent}${mark}  ${node.label}${values}`];
  for (const h of node.hints ?? []) lines.push(`${indent}      hint: ${h}`);
  for (const c of node.children ?? []) lines.push(formatExplanation(c, `${indent}  `));
  return lines.join('\n');
}
