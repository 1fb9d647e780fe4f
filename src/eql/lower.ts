import { diagnosticAt, positionAt, type Diagnostic, type SourceRange } from '../diagnostics/diagnostic.js';
import { simplifyPredicate } from '../ir/simplify.js';
import { IR_VERSION, type IrPredicate, type IrQuery, type IrSample, type IrSequence, type IrStage, type IrValue, type ValueType } from '../ir/types.js';
import { fieldName, type EqlEventQuery, type EqlExpr, type EqlField, type EqlQuery, type EqlStage } from './ast.js';
import { checkLuceneRegex, literalSourceOffset, tooComplexForElasticsearch } from './regex.js';
import { lookupFunction } from './functions.js';
import { staticKind } from './parse.js';
import type { FieldSchema } from '../fields/index.js';

/** What lowering an EQL query needs besides the tree. */
export interface EqlLowerOptions {
  /** Field types (from ECS, packs, or the index mapping); decide date and ip comparisons. */
  schema?: FieldSchema;
  /** Alias fields of the index mapping: alias → the field it reads. */
  aliases?: Readonly<Record<string, string>>;
  /** The field `category where` tests (Elasticsearch's `event_category_field`); default `event.category`. */
  categoryField?: string;
  /** The query text, for code frames in diagnostics. */
  source?: string;
}

export type EqlLowerResult = { ok: true; ir: IrQuery; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

type Literal = string | number | boolean | null;

function literalOf(e: EqlExpr): { value: Literal } | undefined {
  if (e.type === 'literal') return { value: e.value };
  if (e.type === 'negate' && e.operand.type === 'literal' && typeof e.operand.value === 'number') {
    return { value: e.op === '-' ? -e.operand.value : e.operand.value };
  }
  return undefined;
}

/** A plain field reference (no array index), which the runtime's term, range and pattern nodes can read. */
function plainField(e: EqlExpr): EqlField | undefined {
  return e.type === 'field' && e.path.every((s) => typeof s === 'string') ? e : undefined;
}

function valueTypeOf(v: string | number | boolean): ValueType {
  return typeof v === 'string' ? 'keyword' : typeof v === 'number' ? 'number' : 'boolean';
}

const FLIP = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=', '=': '==' } as const;
const RANGE_OP = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' } as const;

// EQL patterns have only `*` and `?`; a backslash is an ordinary character (Elasticsearch escapes it).
function eqlPatternToLucene(pattern: string): string {
  return pattern.replace(/\\/g, '\\\\');
}

const ARITHMETIC_FUNCTIONS = new Set(['add', 'subtract', 'multiply', 'divide', 'modulo']);
const FLOATING_TYPES = new Set(['double', 'float', 'half_float', 'scaled_float']);
const INT_TYPES = new Set(['integer', 'short', 'byte']);

class EqlLowerer {
  readonly diagnostics: Diagnostic[] = [];
  readonly fields = new Set<string>();

  constructor(readonly options: EqlLowerOptions) {}

  /** The field a name reads, through the mapping's aliases. */
  resolve(name: string): string {
    return this.options.aliases?.[name] ?? name;
  }

  /** The value type a literal compares as on this field: its own type, or the field's date/ip type. */
  typeFor(field: string, value: string | number | boolean): ValueType {
    const info = this.options.schema?.lookup(field);
    const family = info?.family;
    if (family === 'date' && typeof value !== 'boolean') return info?.type === 'date_nanos' ? 'date_nanos' : 'date';
    if (family === 'ip' && typeof value === 'string') return 'ip';
    if (family === 'version' && typeof value === 'string') return 'version';
    return valueTypeOf(value);
  }

  /**
   * Whether an expression is of a floating type (Java double or float), statically, as Elasticsearch types it:
   * a decimal literal, a field mapped as a floating type, or arithmetic with a floating operand. Arithmetic on
   * floating values is floating-point (`/` does not truncate).
   */
  isFloating(e: EqlExpr): boolean {
    switch (e.type) {
      case 'literal':
        // An integer literal too large for a long is read as a double (Elasticsearch's integer literal rule).
        return typeof e.value === 'number' && (e.integer === false || Math.abs(e.value) >= 2 ** 63);
      case 'field':
        return FLOATING_TYPES.has(this.options.schema?.lookup(this.resolve(fieldName(e)))?.type ?? '');
      case 'arithmetic':
        return this.isFloating(e.left) || this.isFloating(e.right);
      case 'negate':
        return this.isFloating(e.operand);
      case 'call': {
        const fn = e.name.toLowerCase();
        // number("2.5") is a double; number of text with no point or exponent a long.
        if (fn === 'number') {
          const [text, base] = e.args;
          const decimalBase = base === undefined || (base.type === 'literal' && (base.value === null || base.value === 10));
          return decimalBase && text?.type === 'literal' && typeof text.value === 'string' && /[.eE]/.test(text.value) && !/^\s*[+-]?0x/i.test(text.value);
        }
        return ARITHMETIC_FUNCTIONS.has(fn) && e.args.some((a) => this.isFloating(a));
      }
      default:
        return false;
    }
  }

  /**
   * Whether an expression is a Java `int` (32 bits), statically: an integer literal in int range, a field
   * mapped integer/short/byte, `length`/`indexOf`, or arithmetic on two ints. Int arithmetic that overflows
   * throws in Elasticsearch (null here); a long operand widens it to 64 bits.
   */
  isInt(e: EqlExpr): boolean {
    switch (e.type) {
      case 'literal':
        return typeof e.value === 'number' && e.integer !== false && Number.isInteger(e.value) && e.value >= -(2 ** 31) && e.value < 2 ** 31;
      case 'field':
        return INT_TYPES.has(this.options.schema?.lookup(this.resolve(fieldName(e)))?.type ?? '');
      case 'arithmetic':
        return this.isInt(e.left) && this.isInt(e.right);
      case 'negate':
        return this.isInt(e.operand);
      case 'call': {
        const fn = e.name.toLowerCase();
        if (fn === 'length' || fn === 'indexof') return true;
        return ARITHMETIC_FUNCTIONS.has(fn) && e.args.length === 2 && e.args.every((a) => this.isInt(a));
      }
      default:
        return false;
    }
  }

  report(loc: SourceRange, code: string, message: string, hint?: string): void {
    const fields: Parameters<typeof diagnosticAt>[1] = { code, message };
    if (hint !== undefined) fields.hint = hint;
    if (this.options.source !== undefined) fields.source = this.options.source;
    this.diagnostics.push(diagnosticAt(loc, fields));
  }

  /** The mapped type of a field reference, if the schema knows it. */
  fieldInfo(e: EqlField) {
    return this.options.schema?.lookup(this.resolve(fieldName(e)));
  }

  /**
   * An expression where a condition is expected (the filter itself, an operand of `and`/`or`): a field stands
   * for `field == true`, as Elasticsearch's analyser rewrites a boolean field there; a field of another known
   * type is refused, as Elasticsearch refuses a non-boolean condition.
   */
  asCondition(e: EqlExpr): EqlExpr {
    if (e.type !== 'field') return e;
    this.checkBooleanField(e);
    return { type: 'compare', op: '==', left: e, right: { type: 'literal', value: true, loc: e.loc }, loc: e.loc };
  }

  /** Reports a field of a known non-boolean type used as a condition (`where process.pid`, `not user.name`). */
  checkBooleanField(e: EqlExpr): void {
    if (e.type !== 'field') return;
    const info = this.fieldInfo(e);
    if (info && info.family !== 'boolean') {
      this.report(e.loc, 'eql/type-mismatch', `A condition must be boolean, but \`${fieldName(e)}\` is a ${info.type} field.`, 'Compare the value (`… == …`, `… > …`), or test presence with `… != null`.');
    }
  }

  /**
   * Whether Elasticsearch can fold an expression to a constant before the search: literals and what is computed
   * from them only, and `?optional` fields the schema does not know (Elasticsearch reads them as null).
   */
  foldable(e: EqlExpr): boolean {
    switch (e.type) {
      case 'literal':
        return true;
      case 'field':
        return e.optional && this.fieldInfo(e) === undefined;
      case 'negate':
      case 'not':
        return this.foldable(e.operand);
      case 'arithmetic':
      case 'compare':
      case 'logical':
        return this.foldable(e.left) && this.foldable(e.right);
      case 'call':
        return e.args.every((a) => this.foldable(a));
      case 'in':
        return this.foldable(e.subject) && e.values.every((v) => this.foldable(v));
      case 'pattern':
        return this.foldable(e.subject);
      default:
        return false;
    }
  }

  private readonly checkedLists = new WeakSet<EqlExpr>();

  /**
   * An `in` list, wherever it stands: constants only, each of a type the subject can equal (ql `In` resolves
   * every value against the subject's type: a number field takes numbers, a keyword or text one strings, a
   * boolean one booleans; null goes with anything). Types ruleforge does not know are not checked.
   */
  checkConstantList(e: Extract<EqlExpr, { type: 'in' }>): void {
    if (this.checkedLists.has(e)) return;
    this.checkedLists.add(e);
    const offender = e.values.find((v) => !this.foldable(v));
    if (offender) {
      this.report(offender.loc, 'eql/unsupported', 'The values of an `in` list must be constants; this one is read from the event.', 'List constants only; compare two fields in separate stages of a sequence joined `by` them.');
      return;
    }
    const subject = e.subject;
    const family = subject.type === 'field' ? this.fieldInfo(subject)?.family : undefined;
    const group = family === 'keyword' || family === 'text' ? 'string' : family === 'number' || family === 'boolean' ? family : subject.type === 'field' ? undefined : staticKind(subject);
    if (group !== 'string' && group !== 'number' && group !== 'boolean') return;
    for (const v of e.values) {
      const lit = literalOf(v);
      if (!lit || lit.value === null || typeof lit.value === group) continue;
      this.report(v.loc, 'eql/type-mismatch', `The \`in\` list holds ${typeof lit.value === 'string' ? `the string ${JSON.stringify(lit.value)}` : `the ${typeof lit.value} ${String(lit.value)}`}, but the value tested is a ${group}.`, 'List values of the tested value\'s type.');
      return;
    }
  }

  /**
   * Elasticsearch compares with a constant only: a comparison standing as a condition (the filter, an operand of
   * `and`/`or`/`not`) needs one side it can fold (it moves a constant to the right), and an `in` list holds
   * constants wherever it is. Two fields, or a field and a computed value of one, cannot be compared there.
   */
  checkConstantSide(e: Extract<EqlExpr, { type: 'compare' }>): void {
    if (this.foldable(e.left) || this.foldable(e.right)) return;
    this.report(e.right.loc, 'eql/unsupported', 'Elasticsearch compares a field with a constant only; this condition compares two values read from the event.', 'Compare each side with a constant, or join the two events with a sequence `by` key.');
  }

  /** The value expression an EQL expression computes (three-valued, evaluated by the runtime). */
  value(e: EqlExpr): IrValue {
    switch (e.type) {
      case 'literal':
        return { v: 'literal', value: e.value };
      case 'field': {
        const name = this.resolve(fieldName(e));
        this.fields.add(name);
        return e.path.every((s) => typeof s === 'string') ? { v: 'field', field: name } : { v: 'field', field: name, indexed: e.path };
      }
      case 'call': {
        this.checkArgumentTypes(e);
        const fn = e.name.toLowerCase();
        const float = ARITHMETIC_FUNCTIONS.has(fn) && e.args.some((a) => this.isFloating(a));
        const int32 = ARITHMETIC_FUNCTIONS.has(fn) && !float && e.args.length === 2 && e.args.every((a) => this.isInt(a));
        // string() and concat() write a floating value as a Java double (`1.0`), which needs its static type:
        // string() carries the flag itself, each floating argument of concat() becomes string() of it.
        const textOfDouble = fn === 'string' && e.args.length === 1 && this.isFloating(e.args[0]);
        const args = e.args.map((a): IrValue => (fn === 'concat' && this.isFloating(a) ? { v: 'call', fn: 'string', args: [this.value(a)], float: true } : this.value(a)));
        return {
          v: 'call',
          fn,
          ...(e.caseInsensitive ? { caseInsensitive: true } : {}),
          args,
          ...(float || textOfDouble ? { float: true } : {}),
          ...(int32 ? { int32: true } : {}),
        };
      }
      case 'arithmetic': {
        const float = this.isFloating(e.left) || this.isFloating(e.right);
        const int32 = !float && this.isInt(e.left) && this.isInt(e.right);
        return { v: 'arith', op: e.op, left: this.value(e.left), right: this.value(e.right), ...(float ? { float: true } : {}), ...(int32 ? { int32: true } : {}) };
      }
      case 'negate':
        return e.op === '-' ? { v: 'neg', operand: this.value(e.operand) } : this.value(e.operand);
      case 'compare':
        return { v: 'compare', op: e.op === '=' ? '==' : e.op, left: this.value(e.left), right: this.value(e.right) };
      case 'in': {
        this.checkConstantList(e);
        const test: IrValue = { v: 'in', subject: this.value(e.subject), values: e.values.map((x) => this.value(x)), ...(e.caseInsensitive ? { caseInsensitive: true } : {}) };
        return e.negated ? { v: 'not', operand: test } : test;
      }
      case 'pattern': {
        const regex = e.op === 'regex' || e.op === 'regex~';
        const caseInsensitive = e.op === ':' || e.op.endsWith('~');
        const patterns = e.patterns.map((p) => (p.type === 'literal' && typeof p.value === 'string' ? p.value : ''));
        return {
          v: 'pattern',
          subject: this.value(e.subject),
          mode: regex ? 'regex' : 'wildcard',
          // An unusable pattern is reported (failing the query); `#`, the empty language, holds its place.
          patterns: regex ? patterns.map((p, i) => (this.checkRegex(e.patterns[i], p, caseInsensitive) ? p : '#')) : patterns.map(eqlPatternToLucene),
          ...(caseInsensitive ? { caseInsensitive: true } : {}),
        };
      }
      case 'logical':
        return { v: e.op, args: [this.value(this.asCondition(e.left)), this.value(this.asCondition(e.right))] };
      case 'not':
        this.checkBooleanField(e.operand);
        return { v: 'not', operand: this.value(e.operand) };
      case 'unsupported':
        return { v: 'literal', value: null };
    }
  }

  /** Field arguments whose mapped type cannot be what the function takes (Elasticsearch rejects the query). */
  checkArgumentTypes(e: Extract<EqlExpr, { type: 'call' }>): void {
    const signature = lookupFunction(e.name);
    const schema = this.options.schema;
    if (!signature || !schema) return;
    e.args.forEach((arg, i) => {
      if (arg.type !== 'field') return;
      const info = schema.lookup(this.resolve(fieldName(arg)));
      if (!info) return;
      const kind = signature.args[Math.min(i, signature.args.length - 1)];
      const fits =
        kind === 'any' ||
        (kind === 'string' && (info.family === 'keyword' || info.family === 'text' || info.family === 'ip' || info.family === 'version')) ||
        (kind === 'number' && info.family === 'number') ||
        (kind === 'ip' && info.family === 'ip') ||
        (kind === 'boolean' && info.family === 'boolean');
      if (!fits) {
        this.report(arg.loc, 'eql/type-mismatch', `Argument ${i + 1} of [${signature.name}] must be ${kind === 'ip' ? 'an ip field' : `a ${kind}`}, but \`${fieldName(arg)}\` is a ${info.type} field.`);
      }
    });
  }

  /**
   * Whether a `regex` pattern compiles (syntax, and automaton size limits); if not, reports it at the offending
   * character inside the string literal, so the code frame points at it rather than at the whole condition.
   */
  checkRegex(literal: EqlExpr, pattern: string, caseInsensitive: boolean): boolean {
    const check = checkLuceneRegex(pattern, caseInsensitive);
    if (check.ok) {
      if (tooComplexForElasticsearch(pattern, caseInsensitive)) {
        this.diagnostics.push(
          diagnosticAt(literal.loc, {
            severity: 'warning',
            code: 'eql/regex-complex',
            message: `Elasticsearch refuses ${JSON.stringify(pattern)}: its automaton needs more than 10,000 states to determinize (too_complex_to_determinize), so the rule fails in Kibana although ruleforge runs it.`,
            hint: 'Bound the repetitions or split the pattern; `(a|b)*a(a|b){14}`-like shapes (a fixed count after an open-ended part) grow exponentially.',
            ...(this.options.source !== undefined ? { source: this.options.source } : {}),
          }),
        );
      }
      return true;
    }
    this.report(
      this.patternRange(literal, check.offset),
      'eql/regex',
      `Cannot use the regular expression ${JSON.stringify(pattern)}: ${check.reason}.`,
      'Patterns use Lucene syntax: the whole value must match, `^`/`$` are literal, and reserved characters (. ? + * | { } [ ] ( ) " \\ # @ & < > ~) need a backslash.',
    );
    return false;
  }

  /** The source range of the character at `offset` of a string literal's value (the literal itself if unknown). */
  patternRange(literal: EqlExpr, offset: number): SourceRange {
    const source = this.options.source;
    const loc = literal.loc;
    if (source === undefined || literal.type !== 'literal' || loc.end.offset > source.length) return loc;
    const text = source.slice(loc.start.offset, loc.end.offset);
    if (!text.startsWith('"')) return loc;
    const at = loc.start.offset + literalSourceOffset(text, Boolean(literal.raw), offset);
    return { start: positionAt(source, at), end: positionAt(source, Math.min(at + 1, loc.end.offset)) };
  }

  /**
   * The predicate for "`e` is true" (polarity true) or "`e` is false" (polarity false). Three-valued logic is
   * compiled away: an ordering on a missing field is neither, so `not` swaps polarity instead of negating.
   */
  truth(e: EqlExpr, polarity: boolean): IrPredicate {
    switch (e.type) {
      case 'logical': {
        const args = [this.truth(this.asCondition(e.left), polarity), this.truth(this.asCondition(e.right), polarity)];
        const conjunctive = (e.op === 'and') === polarity;
        return { kind: conjunctive ? 'and' : 'or', args };
      }
      case 'not':
        this.checkBooleanField(e.operand);
        return this.truth(e.operand, !polarity);
      case 'literal':
        return { kind: 'const', value: e.value !== null && Boolean(e.value) === polarity };
      case 'compare': {
        this.checkConstantSide(e);
        const direct = this.compareLeaf(e, polarity);
        if (direct) return direct;
        break;
      }
      case 'in': {
        this.checkConstantList(e);
        const direct = this.inLeaf(e, polarity);
        if (direct) return direct;
        break;
      }
      case 'pattern': {
        const direct = this.patternLeaf(e, polarity);
        if (direct) return direct;
        break;
      }
      case 'call': {
        const direct = this.functionLeaf(e, polarity);
        if (direct) return direct;
        break;
      }
      default:
        break;
    }
    return { kind: 'expr', expr: this.value(e), expect: polarity };
  }

  /**
   * `base` when true. When false: for null-safe tests (`==`, `!=`, `in`, patterns: a missing field is simply
   * unequal) the plain complement; for orderings (`<` …, where a missing field gives null) "has a value, and
   * `base` does not hold".
   */
  polar(field: string, base: IrPredicate, polarity: boolean, nullSafe: boolean): IrPredicate {
    if (polarity) return base;
    if (nullSafe) return { kind: 'not', arg: base };
    return { kind: 'and', args: [{ kind: 'exists', field }, { kind: 'not', arg: base }] };
  }

  compareLeaf(e: Extract<EqlExpr, { type: 'compare' }>, polarity: boolean): IrPredicate | undefined {
    let field = plainField(e.left);
    let lit = literalOf(e.right);
    let op = e.op === '=' ? '==' : e.op;
    if (!field || !lit) {
      field = plainField(e.right);
      lit = literalOf(e.left);
      op = FLIP[op];
    }
    if (!field || !lit) return undefined;
    const name = this.resolve(fieldName(field));
    this.fields.add(name);
    const value = lit.value;
    if (value === null) {
      // `f == null` tests absence; ordering against null is never true nor false.
      if (op !== '==' && op !== '!=') return { kind: 'const', value: false };
      const exists: IrPredicate = { kind: 'exists', field: name };
      return (op === '==') === polarity ? { kind: 'not', arg: exists } : exists;
    }
    const type = this.typeFor(name, value);
    if (op === '==' || op === '!=') {
      const base: IrPredicate = { kind: 'term', field: name, type, value };
      return this.polar(name, base, (op === '==') === polarity, true);
    }
    if (typeof value === 'boolean') return undefined;
    const base: IrPredicate = { kind: 'range', field: name, type, [RANGE_OP[op as keyof typeof RANGE_OP]]: value };
    return this.polar(name, base, polarity, false);
  }

  inLeaf(e: Extract<EqlExpr, { type: 'in' }>, polarity: boolean): IrPredicate | undefined {
    const field = plainField(e.subject);
    const values = e.values.map(literalOf);
    if (!field || values.some((v) => v === undefined || v.value === null)) return undefined;
    const scalars = values.map((v) => v!.value as string | number | boolean);
    const name = this.resolve(fieldName(field));
    const type = this.typeFor(name, scalars[0]);
    if (scalars.some((v) => this.typeFor(name, v) !== type)) return undefined;
    this.fields.add(name);
    const base: IrPredicate = { kind: 'terms', field: name, type, values: scalars, ...(e.caseInsensitive && type === 'keyword' ? { caseInsensitive: true } : {}) };
    return this.polar(name, base, polarity !== e.negated, true);
  }

  /**
   * `endsWith(field, "text")` and `stringContains(field, "text")` (and their `~` forms) as Elasticsearch runs
   * them: a wildcard query `*text` / `*text*` on the field, the text pasted in unescaped, so a `*` or `?` in it
   * is a wildcard and a backslash makes the next character literal (published rules write
   * `stringContains(…, "Principal=\\*")` for a literal star). Any value of a multi-valued field may match.
   */
  functionLeaf(e: Extract<EqlExpr, { type: 'call' }>, polarity: boolean): IrPredicate | undefined {
    const fn = e.name.toLowerCase();
    if ((fn !== 'endswith' && fn !== 'stringcontains') || e.args.length !== 2) return undefined;
    const field = plainField(e.args[0]);
    const text = e.args[1];
    if (!field || text.type !== 'literal' || typeof text.value !== 'string') return undefined;
    this.checkArgumentTypes(e);
    const name = this.resolve(fieldName(field));
    this.fields.add(name);
    const pattern = fn === 'endswith' ? `*${text.value}` : `*${text.value}*`;
    const base: IrPredicate = { kind: 'wildcard', field: name, pattern, ...(e.caseInsensitive ? { caseInsensitive: true } : {}) };
    return this.polar(name, base, polarity, true);
  }

  patternLeaf(e: Extract<EqlExpr, { type: 'pattern' }>, polarity: boolean): IrPredicate | undefined {
    const field = plainField(e.subject);
    if (!field || e.patterns.some((p) => p.type !== 'literal' || typeof p.value !== 'string')) return undefined;
    const name = this.resolve(fieldName(field));
    this.fields.add(name);
    const caseInsensitive = e.op === ':' || e.op.endsWith('~');
    const regex = e.op === 'regex' || e.op === 'regex~';
    const args: IrPredicate[] = e.patterns.map((p) => {
      const text = (p as { value: string }).value;
      if (regex) {
        if (!this.checkRegex(p, text, caseInsensitive)) return { kind: 'const', value: false };
        return { kind: 'regex', field: name, pattern: text, ...(caseInsensitive ? { caseInsensitive: true } : {}) };
      }
      // A pattern without wildcards is an equality (case-folded for `:`), which set look-ups serve best.
      if (!/[*?]/.test(text)) return { kind: 'term', field: name, type: 'keyword', value: text, ...(caseInsensitive ? { caseInsensitive: true } : {}) };
      return { kind: 'wildcard', field: name, pattern: eqlPatternToLucene(text), ...(caseInsensitive ? { caseInsensitive: true } : {}) };
    });
    const base: IrPredicate = args.length === 1 ? args[0] : { kind: 'or', args };
    return this.polar(name, base, polarity, true);
  }
}

/** The predicate of `category where condition`. */
function filterPredicate(lowerer: EqlLowerer, filter: EqlEventQuery, categoryField: string): IrPredicate {
  const condition = lowerer.truth(lowerer.asCondition(filter.condition), true);
  if (filter.category.name === null) return simplifyPredicate(condition);
  const field = lowerer.resolve(categoryField);
  lowerer.fields.add(field);
  return simplifyPredicate({ kind: 'and', args: [{ kind: 'term', field, type: 'keyword', value: filter.category.name }, condition] });
}

/** A sequence stage: its filter, and the sequence's join keys followed by the stage's own. */
function stageOf(lowerer: EqlLowerer, stage: EqlStage, sharedKeys: EqlExpr[], categoryField: string): IrStage {
  const keys = [...sharedKeys, ...stage.by];
  // Date keys join by instant, not by text: Elasticsearch reads them from doc values / the fields API.
  const keyTypes = keys.map((k): 'date' | 'date_nanos' | null => {
    if (k.type !== 'field') return null;
    const info = lowerer.options.schema?.lookup(lowerer.resolve(fieldName(k)));
    return info?.family === 'date' ? (info.type === 'date_nanos' ? 'date_nanos' : 'date') : null;
  });
  return {
    predicate: filterPredicate(lowerer, stage.filter, categoryField),
    keys: keys.map((k) => lowerer.value(k)),
    optionalKeys: keys.map((k) => k.type === 'field' && k.optional),
    ...(keyTypes.some((t) => t !== null) ? { keyTypes } : {}),
  };
}

/** Mapped type families that join each other: Elasticsearch lets text join keyword and any number any number. */
function joinGroup(family: string): string {
  return family === 'keyword' || family === 'text' ? 'string' : family;
}

/**
 * A sequence's stages must join on keys of compatible types, position by position against the first stage
 * (the until stage included); an unknown type (no mapping, a missing `?optional` field) joins anything. Samples
 * are not checked: Elasticsearch checks sequences only.
 */
function checkJoinKeyTypes(lowerer: EqlLowerer, stages: readonly EqlStage[]): void {
  const [first, ...rest] = stages;
  if (!first) return;
  first.by.forEach((key, i) => {
    if (key.type !== 'field') return;
    const expected = lowerer.fieldInfo(key);
    if (!expected) return;
    for (const stage of rest) {
      const other = stage.by[i];
      if (other?.type !== 'field') continue;
      const found = lowerer.fieldInfo(other);
      if (found && joinGroup(found.family) !== joinGroup(expected.family)) {
        lowerer.report(other.loc, 'eql/type-mismatch', `Join key \`${fieldName(other)}\` is a ${found.type} field and cannot join \`${fieldName(key)}\`, a ${expected.type} field, in the first stage.`, 'Join on fields of one kind: text with text, numbers with numbers, dates with dates.');
      }
    }
  });
}

/** Lowers an EQL event query, sequence (missing-event stages included) or sample to the IR. */
export function lowerEql(ast: EqlQuery, options: EqlLowerOptions = {}): EqlLowerResult {
  const lowerer = new EqlLowerer(options);
  const categoryField = options.categoryField ?? 'event.category';
  let predicate: IrPredicate;
  let sequence: IrSequence | undefined;
  let sample: IrSample | undefined;
  if (ast.type === 'event') {
    predicate = filterPredicate(lowerer, ast, categoryField);
  } else if (ast.type === 'sequence') {
    const stages = ast.stages.flatMap((s) =>
      Array.from({ length: s.runs ?? 1 }, () => {
        const stage = stageOf(lowerer, s, ast.by, categoryField);
        if (s.missing) stage.missing = true;
        return stage;
      }),
    );
    checkJoinKeyTypes(lowerer, ast.until ? [...ast.stages, ast.until] : ast.stages);
    sequence = { stages, ...(ast.until ? { until: stageOf(lowerer, ast.until, ast.by, categoryField) } : {}), ...(ast.maxspan?.ms ? { maxspanMs: ast.maxspan.ms } : {}) };
    // The pre-filter must let through every event the runner reads: positive, missing and until stages alike.
    predicate = simplifyPredicate({ kind: 'or', args: [...stages, ...(sequence.until ? [sequence.until] : [])].map((s) => s.predicate) });
  } else if (ast.type === 'sample') {
    sample = { stages: ast.stages.map((s) => stageOf(lowerer, s, ast.by, categoryField)) };
    predicate = simplifyPredicate({ kind: 'or', args: sample.stages.map((s) => s.predicate) });
  } else {
    lowerer.report(ast.loc, 'eql/not-implemented', 'This query cannot run in ruleforge.');
    return { ok: false, diagnostics: lowerer.diagnostics };
  }
  const diagnostics = lowerer.diagnostics;
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  const ir: IrQuery = { irVersion: IR_VERSION, language: 'eql', predicate, fields: [...lowerer.fields].sort() };
  if (sequence) ir.sequence = sequence;
  if (sample) ir.sample = sample;
  return { ok: true, ir, diagnostics };
}
