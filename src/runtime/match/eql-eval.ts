/**
 * Three-valued evaluation of EQL value expressions (IR `expr` nodes): every step yields a scalar or null,
 * null propagates through comparisons, functions and arithmetic, and `and`/`or`/`not` follow SQL logic.
 */
import { compileCidrs } from '../primitives/ip.js';
import type { IrValue } from '../../ir/types.js';
import { arithmetic, EQL_FUNCTIONS, javaText, type ArithmeticName, type EqlScalar } from './eql-functions.js';
import { compilePath, isPlainObject, readValues } from './field-access.js';
import { compareCodePoints } from './values.js';
import { compileWildcard } from '../primitives/wildcard.js';
import { luceneRegexMatcher } from '../primitives/regex/lucene-regex.js';

/** A linked value expression. */
export type ValueFn = (event: unknown) => EqlScalar;

function scalar(v: unknown): EqlScalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;
}

function readIndexed(event: unknown, path: (string | number)[]): EqlScalar {
  let cur: unknown = event;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur)) return null;
      cur = cur[seg];
    } else {
      if (Array.isArray(cur)) cur = cur[0];
      if (!isPlainObject(cur) || !Object.prototype.hasOwnProperty.call(cur, seg)) return null;
      cur = cur[seg];
    }
  }
  return scalar(Array.isArray(cur) ? cur[0] : cur);
}

/** Orders two scalars of the same kind; undefined when they are not comparable. */
function order(a: EqlScalar, b: EqlScalar): number | undefined {
  if (a === null || b === null) return undefined;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  // A number against numeric text (a keyword holding digits) compares by value.
  if (typeof a === 'number' && typeof b === 'string' && b.trim() !== '' && !Number.isNaN(Number(b))) return a - Number(b);
  if (typeof a === 'string' && typeof b === 'number' && a.trim() !== '' && !Number.isNaN(Number(a))) return Number(a) - b;
  return undefined;
}

/** Null-safe equality, as EQL's `==` is: null equals null and nothing else. */
function equal(a: EqlScalar, b: EqlScalar, ci: boolean): boolean {
  if (a === null || b === null) return a === b;
  if (ci && typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  const o = order(a, b);
  return o === undefined ? false : o === 0;
}

const OPERATOR_NAMES: Readonly<Record<'+' | '-' | '*' | '/' | '%', ArithmeticName>> = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '%': 'modulo' };
const ARITHMETIC = new Set<string>(Object.values(OPERATOR_NAMES));

/** How a linked expression reads a plain (unindexed) field reference. */
type FieldReader = (field: string) => ValueFn;

/** The first value of a field, as an expression outside a condition reads it. */
const firstValue: FieldReader = (field) => {
  const path = compilePath(field);
  return (e) => {
    const values = readValues(e, path);
    return values.length === 0 ? null : scalar(values[0]);
  };
};

/** Links a value expression into a function of the event. */
export function linkValue(v: IrValue): ValueFn {
  return linkWith(v, firstValue);
}

function linkWith(v: IrValue, readField: FieldReader): ValueFn {
  switch (v.v) {
    case 'literal': {
      const value = v.value;
      return () => value;
    }
    case 'field': {
      if (v.indexed) {
        const path = v.indexed;
        return (e) => readIndexed(e, path);
      }
      return readField(v.field);
    }
    case 'call': {
      // Own names only: an IR naming `constructor` or `__proto__` must not reach Object's members.
      const name = v.fn.toLowerCase();
      const fn = Object.prototype.hasOwnProperty.call(EQL_FUNCTIONS, name) ? EQL_FUNCTIONS[name] : undefined;
      const args = v.args.map((a) => linkWith(a, readField));
      const ci = Boolean(v.caseInsensitive);
      if (!fn) return () => null;
      // A rule's list of ranges is literal: test against it compiled once, not re-read and re-parsed per call.
      if (name === 'cidrmatch' && v.args.length > 1 && v.args.slice(1).every((a) => a.v === 'literal')) {
        // As the function reads its arguments: null blocks are skipped, other scalars read as text.
        const specs = v.args.slice(1).flatMap((a) => (a.v === 'literal' && a.value !== null ? [String(a.value)] : []));
        const inAny = compileCidrs(specs);
        const ip = args[0];
        return (e) => {
          const address = ip(e);
          return address === null ? null : inAny(typeof address === 'string' ? address : String(address));
        };
      }
      // string() of a statically floating value: a double, written as Java writes one even when integral (`2.0`).
      if (name === 'string' && v.float && args.length === 1) {
        const [arg] = args;
        return (e) => {
          const x = arg(e);
          return x === null ? null : javaText(x, true);
        };
      }
      if ((v.float || v.int32) && ARITHMETIC.has(name) && args.length === 2) {
        const [left, right] = args;
        const floating = Boolean(v.float);
        const int32 = Boolean(v.int32);
        return (e) => arithmetic(name as ArithmeticName, left(e), right(e), floating, int32);
      }
      return (e) => fn(args.map((a) => a(e)), ci);
    }
    case 'arith': {
      const left = linkWith(v.left, readField);
      const right = linkWith(v.right, readField);
      const name = OPERATOR_NAMES[v.op];
      const floating = Boolean(v.float);
      const int32 = Boolean(v.int32);
      return (e) => arithmetic(name, left(e), right(e), floating, int32);
    }
    case 'neg': {
      const operand = linkWith(v.operand, readField);
      return (e) => {
        const x = operand(e);
        return typeof x === 'number' ? -x : null;
      };
    }
    case 'compare': {
      const left = linkWith(v.left, readField);
      const right = linkWith(v.right, readField);
      const op = v.op;
      return (e) => {
        const a = left(e);
        const b = right(e);
        // == and != are null-safe (`x == null` tests absence); orderings propagate null.
        if (op === '==' || op === '!=') return equal(a, b, false) === (op === '==');
        const o = order(a, b);
        if (o === undefined) return null;
        return op === '<' ? o < 0 : op === '<=' ? o <= 0 : op === '>' ? o > 0 : o >= 0;
      };
    }
    case 'in': {
      const subject = linkWith(v.subject, readField);
      const values = v.values.map((a) => linkWith(a, readField));
      const ci = Boolean(v.caseInsensitive);
      return (e) => {
        const s = subject(e);
        for (const value of values) if (equal(s, value(e), ci)) return true;
        return false;
      };
    }
    case 'pattern': {
      const subject = linkWith(v.subject, readField);
      const ci = Boolean(v.caseInsensitive);
      const tests =
        v.mode === 'regex'
          ? v.patterns.map((p) => luceneRegexMatcher(p, ci))
          : v.patterns.map((p) => compileWildcard(p, ci));
      return (e) => {
        const s = subject(e);
        return typeof s === 'string' && tests.some((t) => t(s));
      };
    }
    case 'and':
    case 'or': {
      const args = v.args.map((a) => linkWith(a, readField));
      const decisive = v.v === 'or';
      return (e) => {
        let sawNull = false;
        for (const a of args) {
          const x = a(e);
          if (x === null) sawNull = true;
          else if (Boolean(x) === decisive) return decisive;
        }
        return sawNull ? null : !decisive;
      };
    }
    case 'not': {
      const operand = linkWith(v.operand, readField);
      return (e) => {
        const x = operand(e);
        return x === null ? null : !x;
      };
    }
  }
}

/** Every value an expression has for an event: all values of a multi-valued field, else the one value. */
export function linkValues(v: IrValue): (event: unknown) => EqlScalar[] {
  if (v.v === 'field' && !v.indexed) {
    const path = compilePath(v.field);
    return (e) => {
      const values = readValues(e, path);
      const out: EqlScalar[] = [];
      // A linear scan dedupes the usual handful of values; a set keeps a 100,000-element array linear too.
      const seen = values.length > 16 ? new Set<EqlScalar>() : undefined;
      for (let i = 0; i < values.length; i++) {
        const s = scalar(values[i]);
        if (s === null) continue;
        if (seen) {
          if (seen.has(s)) continue;
          seen.add(s);
        } else if (out.includes(s)) continue;
        out.push(s);
      }
      return out;
    };
  }
  const one = linkValue(v);
  return (e) => {
    const x = one(e);
    return x === null ? [] : [x];
  };
}

/** The most value combinations a condition tries on one event (multi-valued fields multiply). */
export const MAX_VALUE_COMBINATIONS = 100_000;

/**
 * A value expression as a filter condition (IR `expr`), as Elasticsearch evaluates one over multi-valued
 * fields: each field reference ranges over all of its field's values, independently of the others (a missing
 * field is null), and the condition holds when some choice of values makes it true. Negated (`expect` false),
 * a comparison holds when some choice makes it false (Elasticsearch flips a negated comparison: `not (a > b)`
 * is `a <= b`); any other condition (a function, `in`, a pattern) holds when no choice makes it true, null
 * included (a `not` around a query or around a rewritten script). A `not` node hands its operand the other
 * polarity. Past MAX_VALUE_COMBINATIONS choices, the rest are not tried.
 */
export function linkCondition(v: IrValue, expect: boolean): (event: unknown) => boolean {
  if (v.v === 'not') return linkCondition(v.operand, !expect);
  const paths: ReturnType<typeof compilePath>[] = [];
  const chosen: EqlScalar[] = [];
  const value = linkWith(v, (field) => {
    const i = paths.length;
    paths.push(compilePath(field));
    return () => chosen[i];
  });
  // Whether a choice of values decides the condition; `noneDecides` conditions hold when no choice does.
  const noneDecides = !expect && v.v !== 'compare';
  const decides = noneDecides || expect ? (x: EqlScalar) => x === true : (x: EqlScalar) => x === false;
  return (e) => {
    const lists: EqlScalar[][] = [];
    let combinations = 1;
    for (let i = 0; i < paths.length; i++) {
      const list: EqlScalar[] = [];
      for (const raw of readValues(e, paths[i])) {
        const x = scalar(raw);
        if (x !== null) list.push(x);
      }
      if (list.length === 0) list.push(null);
      lists.push(list);
      combinations *= list.length;
    }
    let found = false;
    if (combinations === 1) {
      for (let i = 0; i < lists.length; i++) chosen[i] = lists[i][0];
      found = decides(value(e));
    } else {
      // An odometer over the value lists, the last reference turning fastest.
      const at = lists.map(() => 0);
      for (let n = 0; n < Math.min(combinations, MAX_VALUE_COMBINATIONS); n++) {
        for (let i = 0; i < lists.length; i++) chosen[i] = lists[i][at[i]];
        if (decides(value(e))) {
          found = true;
          break;
        }
        for (let i = lists.length - 1; i >= 0; i--) {
          if (++at[i] < lists[i].length) break;
          at[i] = 0;
        }
      }
    }
    return noneDecides ? !found : found;
  };
}
