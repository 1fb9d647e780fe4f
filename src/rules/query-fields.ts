import type { SourceRange } from '../diagnostics/diagnostic.js';
import { fieldName, type EqlExpr, type EqlQuery, type EqlStage } from '../eql/ast.js';
import { valueText, type KqlNode } from '../kql/ast.js';

/** How a query uses a field, for the operator/type checks. */
export type FieldUse = 'match' | 'range' | 'cidr-value' | 'ip-function' | 'order' | 'join-key' | 'other';

/** One place a query names a field. */
export interface FieldRef {
  name: string;
  loc: SourceRange;
  use: FieldUse;
  /** A KQL field-name pattern (`host.*`): it names whichever fields match. */
  pattern?: boolean;
  /** EQL `?field`: may be absent from the mapping. */
  optional?: boolean;
  /** The compared value's text, when there is one. */
  value?: string;
  /** EQL: the string literals an equality or `in` compares the field with. */
  values?: string[];
}

const CIDR_VALUE = /^[0-9a-fA-F:.]+\/\d{1,3}$/;

/** Every field a KQL query names, with nested paths prefixed as Elasticsearch resolves them. */
export function kqlFieldRefs(ast: KqlNode): FieldRef[] {
  const out: FieldRef[] = [];
  const walk = (node: KqlNode, prefix: string): void => {
    switch (node.type) {
      case 'and':
      case 'or':
        node.children.forEach((c) => walk(c, prefix));
        return;
      case 'not':
        walk(node.child, prefix);
        return;
      case 'nested':
        out.push({ name: prefix + valueText(node.path), loc: node.path.loc, use: 'other', ...(node.path.type === 'wildcard' ? { pattern: true } : {}) });
        walk(node.child, `${prefix}${valueText(node.path)}.`);
        return;
      case 'range':
        out.push({ name: prefix + valueText(node.field), loc: node.field.loc, use: 'range', value: valueText(node.value), ...(node.field.type === 'wildcard' ? { pattern: true } : {}) });
        return;
      case 'is': {
        if (node.field === null) return;
        const value = valueText(node.value);
        const use: FieldUse = node.value.type === 'literal' && typeof node.value.value === 'string' && CIDR_VALUE.test(node.value.value) ? 'cidr-value' : 'match';
        out.push({ name: prefix + valueText(node.field), loc: node.field.loc, use, value, ...(node.field.type === 'wildcard' ? { pattern: true } : {}) });
        return;
      }
    }
  };
  walk(ast, '');
  return out;
}

/** Every field an EQL query names (conditions, join keys, until), with how it is used. */
export function eqlFieldRefs(ast: EqlQuery): FieldRef[] {
  const out: FieldRef[] = [];
  const expr = (e: EqlExpr, use: FieldUse): void => {
    switch (e.type) {
      case 'field':
        out.push({ name: fieldName(e), loc: e.loc, use, ...(e.optional ? { optional: true } : {}) });
        return;
      case 'logical':
        expr(e.left, 'other');
        expr(e.right, 'other');
        return;
      case 'not':
      case 'negate':
        expr(e.operand, 'other');
        return;
      case 'compare': {
        const ordering = e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>=';
        expr(e.left, ordering ? 'order' : 'match');
        expr(e.right, ordering ? 'order' : 'match');
        if ((e.op === '==' || e.op === '=') && e.left.type === 'field' && e.right.type === 'literal' && typeof e.right.value === 'string') out[out.length - 1].values = [e.right.value];
        return;
      }
      case 'arithmetic':
        expr(e.left, 'other');
        expr(e.right, 'other');
        return;
      case 'in': {
        expr(e.subject, 'match');
        const literals = e.values.flatMap((v) => (v.type === 'literal' && typeof v.value === 'string' ? [v.value] : []));
        if (e.subject.type === 'field' && !e.negated && literals.length === e.values.length) out[out.length - 1].values = literals;
        e.values.forEach((v) => expr(v, 'match'));
        return;
      }
      case 'pattern': {
        expr(e.subject, 'match');
        // `field : "text"` without wildcards is an equality that ignores case.
        const plain = e.patterns.flatMap((v) => (v.type === 'literal' && typeof v.value === 'string' && !/[*?]/.test(v.value) ? [v.value] : []));
        if (e.subject.type === 'field' && e.op !== 'regex' && e.op !== 'regex~' && plain.length === e.patterns.length) out[out.length - 1].values = plain;
        e.patterns.forEach((v) => expr(v, 'other'));
        return;
      }
      case 'call':
        e.args.forEach((a, i) => expr(a, e.name.toLowerCase() === 'cidrmatch' && i === 0 ? 'ip-function' : 'other'));
        return;
      default:
        return;
    }
  };
  const stage = (s: EqlStage): void => {
    expr(s.filter.condition, 'other');
    s.by.forEach((k) => expr(k, 'join-key'));
  };
  switch (ast.type) {
    case 'event':
      expr(ast.condition, 'other');
      break;
    case 'sequence':
      ast.by.forEach((k) => expr(k, 'join-key'));
      ast.stages.forEach(stage);
      if (ast.until) stage(ast.until);
      break;
    case 'sample':
      ast.by.forEach((k) => expr(k, 'join-key'));
      ast.stages.forEach(stage);
      break;
    default:
      break;
  }
  return out;
}
