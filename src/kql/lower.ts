import { diagnosticAt, type Diagnostic, type SourceRange } from '../diagnostics/diagnostic.js';
import type { FieldFamily, FieldSchema } from '../fields/index.js';
import { IR_VERSION, type IrPredicate, type IrQuery, type ValueType } from '../ir/types.js';
import { simplifyPredicate } from '../ir/simplify.js';
import { isLoneWildcard, valueText, type KqlIs, type KqlNode, type KqlRange, type KqlValue } from './ast.js';
import { checkDateValue, checkIpValue, numericValue, booleanValue } from './value-checks.js';

/** What lowering needs besides the tree. */
export interface KqlLowerOptions {
  /** Field types; unknown fields are keyword, as in an index without a mapping for them. */
  schema: FieldSchema;
  /** The query text, so diagnostics can show a code frame. */
  source?: string;
}

export type KqlLowerResult = { ok: true; ir: IrQuery; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/** The runtime's value type for a schema family; families with no term semantics of their own read as keyword. */
function valueTypeOf(family: FieldFamily, esType: string): ValueType {
  switch (family) {
    case 'number':
      return /^(long|integer|short|byte|unsigned_long)$/.test(esType) ? 'integer' : 'number';
    case 'date':
      return 'date';
    case 'boolean':
      return 'boolean';
    case 'ip':
      return 'ip';
    case 'version':
      return 'version';
    default:
      return 'keyword';
  }
}

// Lucene wildcard syntax treats `?` and `\` as special too; KQL has no `?` wildcard, so they are escaped.
function luceneEscape(text: string): string {
  return text.replace(/[\\*?]/g, (c) => `\\${c}`);
}

/** A KQL wildcard value as a Lucene wildcard pattern. */
function wildcardPattern(segments: string[]): string {
  return segments.map(luceneEscape).join('*');
}

// Elasticsearch's query_string (what Kibana sends for wildcard values) splits its text on whitespace
// into terms joined with OR, so `*S3 Browser*` means `*S3` or `Browser*`.
const QUERY_STRING_WHITESPACE = /[\s\u00a0]+/;

interface WildcardTerm {
  segments: string[];
}

/** Splits a wildcard value into the whitespace-separated terms query_string makes of it. */
function queryStringTerms(segments: string[]): WildcardTerm[] {
  const terms: WildcardTerm[] = [];
  let current: string[] = [''];
  segments.forEach((segment, i) => {
    if (i > 0) current.push('');
    const pieces = segment.split(QUERY_STRING_WHITESPACE);
    pieces.forEach((piece, j) => {
      if (j > 0) {
        terms.push({ segments: current });
        current = [''];
      }
      current[current.length - 1] += piece;
    });
  });
  terms.push({ segments: current });
  return terms.filter((t) => t.segments.length > 1 || t.segments[0] !== '');
}

const analyzedFieldsCache = new WeakMap<FieldSchema, string[]>();

/**
 * Source paths whose values Elasticsearch also analyzes as text: text fields themselves, and keyword fields
 * with a text multi-field (`process.command_line` through `process.command_line.text`).
 */
function analyzedSourceFields(schema: FieldSchema): string[] {
  let cached = analyzedFieldsCache.get(schema);
  if (cached) return cached;
  const out = new Set<string>();
  for (const name of schema.names()) {
    if (schema.lookup(name)?.family !== 'text') continue;
    const dot = name.lastIndexOf('.');
    const parent = dot > 0 ? schema.lookup(name.slice(0, dot)) : undefined;
    out.add(parent && parent.family === 'keyword' ? parent.name : name);
  }
  cached = [...out].sort();
  analyzedFieldsCache.set(schema, cached);
  return cached;
}

class Lowerer {
  readonly diagnostics: Diagnostic[] = [];
  readonly fields = new Set<string>();

  constructor(private readonly options: KqlLowerOptions) {}

  report(loc: SourceRange, severity: 'error' | 'warning', code: string, message: string, hint?: string): void {
    const fields: Parameters<typeof diagnosticAt>[1] = { severity, code, message };
    if (hint !== undefined) fields.hint = hint;
    if (this.options.source !== undefined) fields.source = this.options.source;
    this.diagnostics.push(diagnosticAt(loc, fields));
  }

  lower(node: KqlNode, prefix: string): IrPredicate {
    switch (node.type) {
      case 'or':
        return { kind: 'or', args: node.children.map((c) => this.lower(c, prefix)) };
      case 'and':
        return { kind: 'and', args: node.children.map((c) => this.lower(c, prefix)) };
      case 'not':
        return { kind: 'not', arg: this.lower(node.child, prefix) };
      case 'nested': {
        const path = valueText(node.path);
        if (node.path.type === 'wildcard') {
          this.report(node.path.loc, 'error', 'kql/unsupported', 'A nested query needs a literal path, not a wildcard.');
          return { kind: 'const', value: false };
        }
        return { kind: 'nested', path, query: this.lower(node.child, `${prefix}${path}.`) };
      }
      case 'range':
        return this.lowerRange(node, prefix);
      case 'is':
        return this.lowerIs(node, prefix);
    }
  }

  lowerIs(node: KqlIs, prefix: string): IrPredicate {
    const { field, value } = node;
    // `null: x` names no field at all in Kibana, exactly like a bare `x`.
    if (field === null || (field.type === 'literal' && field.value === null)) return this.freeText(value, undefined);
    if (field.type === 'wildcard') {
      if (isLoneWildcard(field) && isLoneWildcard(value)) return { kind: 'const', value: true };
      return this.freeText(value, wildcardPattern(field.segments));
    }
    const name = String(field.value);
    const fullName = prefix + name;
    this.fields.add(fullName);
    if (isLoneWildcard(value)) return { kind: 'exists', field: name };

    const info = this.options.schema.lookup(fullName);
    const family: FieldFamily = info?.family ?? 'keyword';
    if (family === 'flattened') {
      // The root of a flattened field matches any of its leaf values.
      return this.freeText(value, `${luceneEscape(name)}.*`);
    }
    if (family === 'nested' || family === 'object') {
      this.report(node.loc, 'warning', 'kql/object-field', `\`${fullName}\` is an object; a value query on it matches nothing in Elasticsearch.`, 'Query one of its sub-fields, or use `field: { ... }` for nested objects.');
      return { kind: 'const', value: false };
    }
    const type = valueTypeOf(family, info?.type ?? 'keyword');

    if (value.type === 'wildcard') return this.lowerWildcardValue(node, name, fullName, family, type, value.segments);
    if (value.value === null) {
      this.report(value.loc, 'warning', 'kql/null-value', '`null` is not a value Elasticsearch can search for; this matches nothing.', 'To find documents without the field, write `not field: *`.');
      return { kind: 'const', value: false };
    }
    const text = String(value.value);
    if (family === 'text') return { kind: 'match', field: name, mode: value.quoted ? 'phrase' : 'any', query: text };
    return this.typedTerm(node.loc, fullName, name, type, text) ?? { kind: 'const', value: false };
  }

  lowerWildcardValue(
    node: KqlIs,
    name: string,
    fullName: string,
    family: FieldFamily,
    type: ValueType,
    segments: string[],
  ): IrPredicate {
    if (type !== 'keyword' && type !== 'version' && family !== 'text') {
      this.report(node.loc, 'error', 'kql/type-mismatch', `Wildcards only work on keyword and text fields; \`${fullName}\` is a ${family} field.`, 'Use a range (`field >= x`) or an exact value.');
      return { kind: 'const', value: false };
    }
    const terms = queryStringTerms(segments);
    if (terms.length > 1) {
      this.report(node.value.loc, 'warning', 'kql/wildcard-whitespace', `Elasticsearch splits this wildcard value at whitespace into ${terms.length} terms, any of which matches (${terms.map((t) => t.segments.join('*')).join(' OR ')}).`, 'To match it as one pattern, put `*` where the spaces are (`*S3*Browser*`); a quoted value is exact, without wildcards.');
    }
    const args: IrPredicate[] = terms.map((t): IrPredicate => {
      if (t.segments.length === 1) {
        const text = t.segments[0];
        return family === 'text' ? { kind: 'match', field: name, mode: 'any', query: text } : { kind: 'term', field: name, type: 'keyword', value: text };
      }
      const pattern = wildcardPattern(t.segments);
      return family === 'text' ? { kind: 'match', field: name, mode: 'wildcard', query: pattern } : { kind: 'wildcard', field: name, pattern };
    });
    return args.length === 1 ? args[0] : { kind: 'or', args };
  }

  /** A term under the field's value type, or undefined (with an error) when the value cannot be of that type. */
  typedTerm(loc: SourceRange, fullName: string, name: string, type: ValueType, text: string): IrPredicate | undefined {
    const value = this.queryValue(loc, fullName, type, text, true);
    return value === undefined ? undefined : { kind: 'term', field: name, type, value };
  }

  /**
   * The query text as a value of the field's type (number, boolean, or the checked date/ip text), or undefined
   * after reporting why Elasticsearch would reject it. CIDR blocks are values only for terms.
   */
  queryValue(loc: SourceRange, fullName: string, type: ValueType, text: string, term: boolean): string | number | boolean | undefined {
    let problem: string | undefined;
    let value: string | number | boolean | undefined = text;
    switch (type) {
      case 'number':
      case 'integer':
        value = numericValue(text);
        if (value === undefined) problem = `\`${fullName}\` is a numeric field, and "${text}" is not a number.`;
        break;
      case 'boolean':
        value = booleanValue(text);
        if (value === undefined) problem = `\`${fullName}\` is a boolean field; "${text}" is neither true nor false.`;
        break;
      case 'date': {
        const why = checkDateValue(text);
        if (why) problem = `\`${fullName}\` is a date field: ${why}`;
        break;
      }
      case 'ip': {
        const why = checkIpValue(text, term);
        if (why) problem = `\`${fullName}\` is an ip field: ${why}`;
        break;
      }
      case 'keyword':
      case 'version':
        break;
    }
    if (problem !== undefined) {
      this.report(loc, 'error', 'kql/type-mismatch', problem);
      return undefined;
    }
    return value;
  }

  lowerRange(node: KqlRange, prefix: string): IrPredicate {
    if (node.field.type === 'wildcard' || (node.field.type === 'literal' && node.field.value === null)) {
      this.report(node.field.loc, 'warning', 'kql/unsupported', 'A range on a field-name pattern matches nothing in Elasticsearch.', 'Name one field.');
      return { kind: 'const', value: false };
    }
    const name = String(node.field.value);
    const fullName = prefix + name;
    this.fields.add(fullName);
    const info = this.options.schema.lookup(fullName);
    const family: FieldFamily = info?.family ?? 'keyword';
    const type = valueTypeOf(family, info?.type ?? 'keyword');
    const text = valueText(node.value);
    if (family === 'text') {
      this.report(node.loc, 'warning', 'kql/range-on-text', `A range on the text field \`${fullName}\` compares its analyzed terms, not the whole value.`);
    }
    const bound = this.queryValue(node.value.loc, fullName, type, text, false);
    if (bound === undefined) return { kind: 'const', value: false };
    // Booleans order false < true, as their 0/1 encoding in Elasticsearch does.
    if (typeof bound === 'boolean') return { kind: 'range', field: name, type: 'boolean', [node.operator]: bound ? 1 : 0 };
    return { kind: 'range', field: name, type, [node.operator]: bound };
  }

  /** Inside `path: { ... }` the leaves searched are those of each nested object, so the pattern stays relative. */
  freeText(value: KqlValue, fieldPattern: string | undefined): IrPredicate {
    const base = { kind: 'freeText' as const, textFields: analyzedSourceFields(this.options.schema), ...(fieldPattern !== undefined ? { fieldPattern } : {}) };
    if (value.type === 'wildcard') {
      if (isLoneWildcard(value)) {
        return fieldPattern === undefined ? { kind: 'const', value: true } : { ...base, mode: 'exists', query: '' };
      }
      const terms = queryStringTerms(value.segments);
      const args: IrPredicate[] = terms.map((t) =>
        t.segments.length === 1 ? { ...base, mode: 'exact', query: t.segments[0] } : { ...base, mode: 'wildcard', query: wildcardPattern(t.segments) },
      );
      return args.length === 1 ? args[0] : { kind: 'or', args };
    }
    return { ...base, mode: value.quoted ? 'phrase' : 'exact', query: String(value.value) };
  }
}

/** Lowers a KQL syntax tree to the IR, with the field schema deciding each comparison's semantics. */
export function lowerKql(ast: KqlNode, options: KqlLowerOptions): KqlLowerResult {
  const lowerer = new Lowerer(options);
  const predicate = simplifyPredicate(lowerer.lower(ast, ''));
  const diagnostics = lowerer.diagnostics;
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  return {
    ok: true,
    ir: { irVersion: IR_VERSION, language: 'kuery', predicate, fields: [...lowerer.fields].sort() },
    diagnostics,
  };
}
