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

/** Links a value expression into a function of the event. */
export function linkValue(v: IrValue): ValueFn {
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
      const path = compilePath(v.field);
      return (e) => {
        const values = readValues(e, path);
        return values.length === 0 ? null : scalar(values[0]);
      };
    }
    case 'call': {
      // Own names only: an IR naming `constructor` or `__proto__` must not reach Object's members.
      const name = v.fn.toLowerCase();
      const fn = Object.prototype.hasOwnProperty.call(EQL_FUNCTIONS, name) ? EQL_FUNCTIONS[name] : undefined;
      const args = v.args.map(linkValue);
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
      const left = linkValue(v.left);
      const right = linkValue(v.right);
      const name = OPERATOR_NAMES[v.op];
      const floating = Boolean(v.float);
      const int32 = Boolean(v.int32);
      return (e) => arithmetic(name, left(e), right(e), floating, int32);
    }
    case 'neg': {
      const operand = linkValue(v.operand);
      return (e) => {
        const x = operand(e);
        return typeof x === 'number' ? -x : null;
      };
    }
    case 'compare': {
      const left = linkValue(v.left);
      const right = linkValue(v.right);
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
      const subject = linkValue(v.subject);
      const values = v.values.map(linkValue);
      const ci = Boolean(v.caseInsensitive);
      return (e) => {
        const s = subject(e);
        for (const value of values) if (equal(s, value(e), ci)) return true;
        return false;
      };
    }
    case 'pattern': {
      const subject = linkValue(v.subject);
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
      const args = v.args.map(linkValue);
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
      const operand = linkValue(v.operand);
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
