import { diagnosticAt, positionAt, type Diagnostic, type SourceRange } from '../diagnostics/diagnostic.js';
import * as generated from '../generated/eql-parser.js';
import type { EqlExpr, EqlQuery, EqlStage, EqlTimeSpan } from './ast.js';
import { allFunctions, ENDGAME_ONLY_FUNCTIONS, lookupFunction } from './functions.js';

/** A parsed EQL query with its findings; `ok` is false when any finding is an error. */
export type EqlParseResult = { ok: true; ast: EqlQuery; diagnostics: Diagnostic[] } | { ok: false; ast?: EqlQuery; diagnostics: Diagnostic[] };

interface PeggySyntaxError extends Error {
  location: SourceRange;
}

const MAX_RUNS = 100;

/**
 * Deepest expression nesting accepted. The grammar builds `a and b and c …` and `1 + 2 + 3 …` as left-deep
 * trees without recursing, so a long chain parses fine but then exhausts the stack of every recursive pass
 * after parsing (checks, lowering, simplification, linking); real rules stay far below this.
 */
export const MAX_EXPRESSION_DEPTH = 1000;

/** The expressions directly inside `e`. */
function childrenOf(e: EqlExpr): readonly EqlExpr[] {
  switch (e.type) {
    case 'logical':
    case 'compare':
    case 'arithmetic':
      return [e.left, e.right];
    case 'not':
    case 'negate':
      return [e.operand];
    case 'in':
      return [e.subject, ...e.values];
    case 'pattern':
      return [e.subject, ...e.patterns];
    case 'call':
      return e.args;
    default:
      return [];
  }
}

/** The first expression nested deeper than MAX_EXPRESSION_DEPTH, found without recursion. */
function tooDeep(q: EqlQuery): EqlExpr | undefined {
  const roots: EqlExpr[] = [];
  const stage = (s: EqlStage): void => {
    roots.push(s.filter.condition, ...s.by);
  };
  if (q.type === 'event') roots.push(q.condition);
  if (q.type === 'sequence' || q.type === 'sample') {
    roots.push(...q.by);
    q.stages.forEach(stage);
  }
  if (q.type === 'sequence' && q.until) stage(q.until);
  const pending: [EqlExpr, number][] = roots.reverse().map((r) => [r, 1]);
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [e, depth] = next;
    if (depth > MAX_EXPRESSION_DEPTH) return e;
    // Right to left, so the leftmost too-deep node is found first and the error points at the chain's start.
    const children = childrenOf(e);
    for (let i = children.length - 1; i >= 0; i--) pending.push([children[i], depth + 1]);
  }
  return undefined;
}

/**
 * The type an expression has whatever the data (fields: unknown here, their mapping decides): what
 * Elasticsearch's analyser knows before it reads the index.
 */
export function staticKind(e: EqlExpr): 'boolean' | 'number' | 'string' | 'null' | 'unknown' {
  switch (e.type) {
    case 'literal':
      return e.value === null ? 'null' : typeof e.value === 'boolean' ? 'boolean' : typeof e.value === 'number' ? 'number' : 'string';
    case 'compare':
    case 'in':
    case 'pattern':
    case 'logical':
    case 'not':
      return 'boolean';
    case 'arithmetic':
    case 'negate':
      return 'number';
    case 'call':
      return lookupFunction(e.name)?.returns ?? 'unknown';
    default:
      return 'unknown';
  }
}

/** What to write instead of each unsupported construct. */
const INSTEAD: Record<string, string> = {
  join: 'Elasticsearch EQL has no joins; use `sequence by <key>` (add `with maxspan=…` to bound it).',
  'descendant of': 'Elasticsearch EQL has no process lineage; use a sequence joined on the parent/child entity ids, e.g. `sequence [process where …] by process.entity_id [process where …] by process.parent.entity_id`.',
  'child of': 'Elasticsearch EQL has no process lineage; use a sequence joined on `process.entity_id` and `process.parent.entity_id`.',
  'event of': 'Elasticsearch EQL has no process lineage; use a sequence joined on `process.entity_id`.',
  fork: 'Elasticsearch EQL sequences have no `fork`; each partial sequence advances once.',
  'single-quoted string': 'Use double quotes: "…" (or """…""" for a raw string).',
  'raw ?"…" string': 'Use a triple-quoted raw string: """…""".',
};

class Checker {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly source: string) {}

  report(loc: SourceRange, code: string, message: string, hint?: string, severity: 'error' | 'warning' = 'error'): void {
    const fields: Parameters<typeof diagnosticAt>[1] = { severity, code, message, source: this.source };
    if (hint !== undefined) fields.hint = hint;
    this.diagnostics.push(diagnosticAt(loc, fields));
  }

  unsupported(loc: SourceRange, construct: string): void {
    this.report(loc, 'eql/unsupported', `${construct[0].toUpperCase()}${construct.slice(1)} is not supported by Elasticsearch EQL.`, INSTEAD[construct]);
  }

  query(q: EqlQuery): void {
    switch (q.type) {
      case 'unsupported':
        this.unsupported(q.loc, q.construct);
        break;
      case 'event':
        this.condition(q.condition);
        break;
      case 'sequence':
        this.sequence(q);
        break;
      case 'sample':
        for (const stage of q.stages) this.stage(stage);
        q.by.forEach((k) => this.joinKey(k));
        this.joinKeyCounts(q.by.length, q.stages);
        break;
    }
    for (const pipe of q.pipes) {
      if (pipe.name !== 'head' && pipe.name !== 'tail') {
        this.report(pipe.loc, 'eql/unsupported', `Pipe [${pipe.name}] is not supported by Elasticsearch EQL.`, 'Only `| head N` and `| tail N` are supported.');
      } else if (!/^\d+$/.test(pipe.args)) {
        this.report(pipe.loc, 'eql/syntax', `Pipe [${pipe.name}] needs one non-negative integer, found [${pipe.args}].`, `For example: | ${pipe.name} 10`);
      }
    }
  }

  sequence(q: Extract<EqlQuery, { type: 'sequence' }>): void {
    if (q.byAfterWith) this.report(q.loc, 'eql/syntax', 'Please specify sequence [by] before [with] not after.');
    if (q.maxspan) this.maxspan(q.maxspan);
    q.by.forEach((k) => this.joinKey(k));
    const positive = q.stages.filter((s) => !s.missing).length;
    const repeated = q.stages.reduce((n, s) => n + (s.runs ?? 1), 0);
    if (repeated < 2) this.report(q.loc, 'eql/syntax', `A sequence requires a minimum of 2 queries, found [${repeated}].`, 'Add another [stage], or repeat one with `with runs=N`.');
    if (q.stages.some((s) => s.missing)) {
      if (!q.maxspan) this.report(q.loc, 'eql/syntax', 'A sequence with missing events ![…] requires `with maxspan=…`.');
      if (positive === 0) this.report(q.loc, 'eql/syntax', 'A sequence requires at least one positive event query; found none.');
    }
    for (const stage of q.stages) this.stage(stage);
    if (q.until) {
      this.stage(q.until);
      if (q.until.missing) this.report(q.until.loc, 'eql/syntax', 'The until stage cannot be a missing event ![…].');
    }
    this.joinKeyCounts(q.by.length, q.until ? [...q.stages, q.until] : q.stages);
  }

  /** Every stage ends up with the sequence's keys plus its own; Elasticsearch needs the same number everywhere. */
  joinKeyCounts(shared: number, stages: EqlStage[]): void {
    const expected = shared + (stages[0]?.by.length ?? 0);
    for (const stage of stages) {
      const found = shared + stage.by.length;
      if (found !== expected) {
        this.report(stage.loc, 'eql/syntax', `Inconsistent number of join keys specified; expected [${expected}] but found [${found}].`);
        return;
      }
    }
  }

  maxspan(span: EqlTimeSpan): void {
    if (span.fractional) this.report(span.loc, 'eql/syntax', `Decimal time interval [${span.text}] not supported.`, 'Use a smaller unit: 1500ms rather than 1.5s.');
    else if (span.unit === '') this.report(span.loc, 'eql/syntax', `No time unit specified, did you mean [s] as in [${span.text}s]?`);
    else if (span.ms === null) this.report(span.loc, 'eql/syntax', `Unrecognized time unit [${span.unit}] in [${span.text}], please specify one of [ms, s, m, h, d].`);
    else if (span.value <= 0) this.report(span.loc, 'eql/syntax', `A positive maxspan value is required; found [${span.value}].`);
  }

  stage(stage: EqlStage): void {
    if (stage.fork) this.unsupported(stage.fork.loc, 'fork');
    if (stage.runs !== null && (stage.runs < 1 || stage.runs > MAX_RUNS)) {
      this.report(stage.loc, 'eql/syntax', `A stage can be repeated 1 to ${MAX_RUNS} times with runs; found [${stage.runs}].`);
    }
    this.condition(stage.filter.condition);
    stage.by.forEach((k) => this.joinKey(k));
  }

  /**
   * A join key names a field (`?optional` included): Elasticsearch's parser reads the keys as field attributes
   * and refuses anything else (a literal, arithmetic, a function call) before the query runs.
   */
  joinKey(k: EqlExpr): void {
    this.expr(k);
    if (k.type === 'field' || k.type === 'unsupported') return;
    this.report(k.loc, 'eql/syntax', `A join key must be a field, found [${this.text(k.loc)}].`, 'Join on the field itself; compute nothing in `by`.');
  }

  /** The query text of a range. */
  text(loc: SourceRange): string {
    return this.source.slice(loc.start.offset, loc.end.offset);
  }

  /**
   * A filter condition, and every operand of `and`, `or` and `not` anywhere inside it, must be boolean (or
   * null): Elasticsearch refuses `where 1`, `where length(x)` or `where a == 1 and "b"` when it analyses the
   * query. Fields are checked when lowering, where their mapped types are known.
   */
  condition(e: EqlExpr): void {
    this.expr(e);
    this.mustBeBoolean(e);
    this.logicalOperands(e);
  }

  mustBeBoolean(e: EqlExpr): void {
    const kind = staticKind(e);
    if (kind === 'number' || kind === 'string') {
      this.report(e.loc, 'eql/type-mismatch', `A condition must be boolean, but [${this.text(e.loc)}] is a ${kind}.`, 'Compare the value (`… == …`, `… > …`), or test presence with `… != null`.');
    }
  }

  logicalOperands(e: EqlExpr): void {
    if (e.type === 'logical') {
      this.mustBeBoolean(e.left);
      this.mustBeBoolean(e.right);
    } else if (e.type === 'not') {
      this.mustBeBoolean(e.operand);
    }
    for (const child of childrenOf(e)) this.logicalOperands(child);
  }

  expr(e: EqlExpr): void {
    switch (e.type) {
      case 'unsupported':
        this.unsupported(e.loc, e.construct);
        return;
      case 'logical':
      case 'arithmetic':
        this.expr(e.left);
        this.expr(e.right);
        return;
      case 'compare':
        if (e.op === '=') this.report(e.loc, 'eql/unsupported', 'The operator `=` is not supported by Elasticsearch EQL.', 'Use `==` (case-sensitive) or `:` (case-insensitive, with wildcards).');
        this.expr(e.left);
        this.expr(e.right);
        return;
      case 'not':
      case 'negate':
        this.expr(e.operand);
        return;
      case 'in':
        this.expr(e.subject);
        e.values.forEach((v) => this.expr(v));
        return;
      case 'pattern':
        this.expr(e.subject);
        for (const p of e.patterns) {
          this.expr(p);
          if (p.type === 'literal' && typeof p.value !== 'string') {
            this.report(p.loc, 'eql/type-mismatch', `The \`${e.op}\` operator needs string patterns, found ${p.value === null ? 'null' : typeof p.value}.`);
          }
        }
        return;
      case 'call':
        this.call(e);
        e.args.forEach((a) => this.expr(a));
        return;
      case 'field':
        // Elasticsearch's parser refuses `a[0]`: a field stands for all of its values.
        if (e.path.some((seg) => typeof seg === 'number')) {
          this.report(e.loc, 'eql/unsupported', 'Array indexes (`a[0]`) are not supported by Elasticsearch EQL.', 'Test the field itself: a condition on a multi-valued field holds when some value satisfies it.');
        }
        return;
      default:
        return;
    }
  }

  call(e: Extract<EqlExpr, { type: 'call' }>): void {
    const signature = lookupFunction(e.name);
    if (!signature) {
      const instead = ENDGAME_ONLY_FUNCTIONS[e.name.toLowerCase()];
      if (instead) {
        this.report(e.loc, 'eql/unsupported', `Function [${e.name}] is not supported by Elasticsearch EQL.`, instead[0].toUpperCase() + instead.slice(1) + '.');
        return;
      }
      const names = allFunctions().map((f) => f.name);
      const close = names.filter((n) => n.toLowerCase().startsWith(e.name.toLowerCase().slice(0, 3)));
      this.report(e.loc, 'eql/unknown-function', `Unknown function [${e.name}].`, close.length ? `Did you mean ${close.map((c) => `[${c}]`).join(' or ')}?` : `Known functions: ${names.join(', ')}.`);
      return;
    }
    if (e.caseInsensitive && !signature.insensitive) {
      this.report(e.loc, 'eql/function', `Function [${signature.name}] has no case-insensitive form \`${signature.name}~\`.`);
    }
    const n = e.args.length;
    if (n < signature.minArgs || n > signature.maxArgs) {
      const expected = signature.maxArgs === Infinity ? `at least ${signature.minArgs}` : signature.minArgs === signature.maxArgs ? `${signature.minArgs}` : `${signature.minArgs} to ${signature.maxArgs}`;
      this.report(e.loc, 'eql/function-arity', `Function [${signature.name}] takes ${expected} arguments, found [${n}].`);
      return;
    }
    e.args.forEach((arg, i) => {
      const kind = signature.args[Math.min(i, signature.args.length - 1)];
      if (kind === 'any') return;
      const actual = staticKind(arg);
      if (actual === 'null' || actual === 'unknown') {
        // cidrMatch's ranges are constants: Elasticsearch turns them into a terms query before reading any event.
        if (signature.name === 'cidrMatch' && i > 0 && arg.type !== 'literal' && arg.type !== 'unsupported') {
          this.report(arg.loc, 'eql/type-mismatch', `Argument ${i + 1} of [cidrMatch] must be a constant string (a CIDR range), found [${this.text(arg.loc)}].`);
        }
        return;
      }
      // number()'s base is an integer: Elasticsearch refuses a decimal literal there (`number(x, 16.0)`).
      if (signature.name === 'number' && i === 1 && arg.type === 'literal' && arg.integer === false) {
        this.report(arg.loc, 'eql/type-mismatch', `Argument 2 of [number] must be an integer base, found ${this.text(arg.loc)}.`);
        return;
      }
      // An ip argument takes an ip field only: a string, even one holding an address, is not an ip value.
      if (kind === 'ip' || actual !== kind) {
        const what = arg.type === 'literal' ? `${actual} [${String(arg.value)}]` : `[${this.text(arg.loc)}], a ${actual}`;
        this.report(arg.loc, 'eql/type-mismatch', `Argument ${i + 1} of [${signature.name}] must be ${kind === 'ip' ? 'an ip field' : `a ${kind}`}, found ${what}.`);
      }
    });
  }
}

/** Hints for syntax errors whose cause is a common habit from other dialects. */
function syntaxHint(text: string, offset: number): string | undefined {
  const at = text.slice(offset);
  if (at.startsWith("'")) return INSTEAD['single-quoted string'];
  if (/^[A-Z]+\b/.test(at) && /^(AND|OR|NOT|WHERE|SEQUENCE|BY|IN|LIKE)\b/.test(at)) return 'EQL keywords are lower case.';
  return undefined;
}

/**
 * Parses Elasticsearch EQL. Never throws: syntax errors come back as `eql/syntax`, constructs Elasticsearch
 * rejects as `eql/unsupported`, and function misuse as `eql/unknown-function`, `eql/function-arity`, ….
 */
export function parseEql(text: string): EqlParseResult {
  let ast: EqlQuery;
  try {
    ast = generated.parse(text, {}) as EqlQuery;
  } catch (e) {
    if (e instanceof generated.SyntaxError) {
      const err = e as unknown as PeggySyntaxError;
      const hint = syntaxHint(text, err.location.start.offset);
      return {
        ok: false,
        diagnostics: [diagnosticAt(err.location, { code: 'eql/syntax', message: err.message, source: text, ...(hint ? { hint } : {}) })],
      };
    }
    const range = { start: positionAt(text, 0), end: positionAt(text, text.length) };
    return { ok: false, diagnostics: [diagnosticAt(range, { code: 'eql/too-complex', message: 'The query is nested too deeply to parse.', source: text })] };
  }
  const deep = tooDeep(ast);
  if (deep) {
    const message = `The query nests expressions more than ${MAX_EXPRESSION_DEPTH} levels deep (a long chain of \`and\`, \`or\` or arithmetic counts one level per operator).`;
    return { ok: false, diagnostics: [diagnosticAt(deep.loc, { code: 'eql/too-complex', message, source: text, hint: 'Use `in (…)` or `: (…)` lists instead of long chains of comparisons.' })] };
  }
  const checker = new Checker(text);
  checker.query(ast);
  const diagnostics = checker.diagnostics;
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, ast, diagnostics };
  return { ok: true, ast, diagnostics };
}
