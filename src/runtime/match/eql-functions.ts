/**
 * Elasticsearch EQL's functions over already-evaluated arguments. `null` in a required argument gives
 * `null`; the `~` forms fold case. Names are lower-case keys.
 */
import { compileCidrs } from '../primitives/ip.js';

export type EqlScalar = string | number | boolean | null;
type Fn = (args: EqlScalar[], caseInsensitive: boolean) => EqlScalar;

function str(v: EqlScalar): string | null {
  return v === null ? null : typeof v === 'string' ? v : javaText(v);
}

/**
 * A double as Java's `Double.toString` writes it (Elasticsearch's `string` and `concat` call `toString()`):
 * the shortest digits that read back as the same double, as JavaScript picks them, but always with a fraction
 * (`1.0`), and in computerised scientific notation (`1.0E20`, `1.5E-5`) outside [10^-3, 10^7).
 */
export function javaDoubleText(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    // JavaScript writes this range without an exponent.
    const plain = String(x);
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  const [mantissa, exponent] = x.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/**
 * A value as text, as Java's `toString()` gives it: a number is a double when `floating` (its expression is
 * statically floating) or when it has a fraction (a long never has one), else a long.
 */
export function javaText(v: string | number | boolean, floating = false): string {
  if (typeof v !== 'number') return String(v);
  if (floating || !Number.isInteger(v)) return javaDoubleText(v);
  // A long past 2^53 in full digits (JavaScript would write its shortest round-trip digits, then zeros).
  return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
}

function num(v: EqlScalar): number | null {
  if (typeof v === 'number') return v;
  return null;
}

function fold(s: string, ci: boolean): string {
  return ci ? s.toLowerCase() : s;
}

/** The five arithmetic functions, also the operators `+ - * / %`. */
export type ArithmeticName = 'add' | 'subtract' | 'multiply' | 'divide' | 'modulo';

const LONG_LIMIT = 2 ** 63;
const INT_LIMIT = 2 ** 31;

/**
 * Elasticsearch's arithmetic (ql `Arithmetics`, Java's widening rules): when either operand is floating
 * (`floating`: a decimal literal or a floating field; or a value with a fraction) the result is a double,
 * with Java's `/` and `%` (a zero divisor gives Infinity or NaN). Otherwise it is a long: `/` truncates toward
 * zero, and where Java throws (a zero divisor, overflow past 64 bits, or 32 for two `int`s) the result here is null.
 */
export function arithmetic(name: ArithmeticName, a: EqlScalar, b: EqlScalar, floating: boolean, int32 = false): EqlScalar {
  const x = num(a);
  const y = num(b);
  if (x === null || y === null) return null;
  if (floating || !Number.isInteger(x) || !Number.isInteger(y)) {
    switch (name) {
      case 'add':
        return x + y;
      case 'subtract':
        return x - y;
      case 'multiply':
        return x * y;
      case 'divide':
        return x / y;
      case 'modulo':
        return x % y;
    }
  }
  let r: number;
  switch (name) {
    case 'add':
      r = x + y;
      break;
    case 'subtract':
      r = x - y;
      break;
    case 'multiply':
      r = x * y;
      break;
    case 'divide':
      if (y === 0) return null;
      r = Math.trunc(x / y);
      break;
    case 'modulo':
      if (y === 0) return null;
      r = x % y;
      break;
  }
  // Java ints overflow past 32 bits, longs past 64; both throw there. `+ 0` turns the -0 of -4 % 2 into 0.
  const limit = int32 ? INT_LIMIT : LONG_LIMIT;
  return r >= limit || r < -limit ? null : r + 0;
}

const arithmeticFn = (name: ArithmeticName): Fn => ([a, b]) => arithmetic(name, a, b, false);

/** Python-style slice bounds, as Elasticsearch's substring uses. */
function sliceIndex(i: number, length: number): number {
  return i < 0 ? Math.max(0, length + i) : Math.min(i, length);
}

const cidrCache = new Map<string, (ip: string) => boolean>();

export const EQL_FUNCTIONS: Readonly<Record<string, Fn>> = {
  add: arithmeticFn('add'),
  subtract: arithmeticFn('subtract'),
  multiply: arithmeticFn('multiply'),
  divide: arithmeticFn('divide'),
  modulo: arithmeticFn('modulo'),
  between([source, left, right, greedy], ci) {
    const s = str(source);
    const l = str(left);
    const r = str(right);
    if (s === null || l === null || r === null) return null;
    const hay = fold(s, ci);
    const start = hay.indexOf(fold(l, ci));
    if (start < 0) return '';
    const from = start + l.length;
    const end = greedy === true ? hay.lastIndexOf(fold(r, ci)) : hay.indexOf(fold(r, ci), from);
    if (end < from) return '';
    return s.slice(from, end);
  },
  cidrmatch([ip, ...blocks]) {
    const address = str(ip);
    if (address === null) return null;
    const specs: string[] = [];
    for (const b of blocks) {
      const spec = str(b);
      if (spec !== null) specs.push(spec);
    }
    // Rules pass the same literal list on every call: one compiled test per list parses the address once.
    const key = specs.join('\u0000');
    let inAny = cidrCache.get(key);
    if (inAny === undefined) {
      if (cidrCache.size > 10_000) cidrCache.clear();
      cidrCache.set(key, (inAny = compileCidrs(specs)));
    }
    return inAny(address);
  },
  concat(args) {
    let out = '';
    for (const a of args) {
      if (a === null) return null;
      out += javaText(a);
    }
    return out;
  },
  endswith([s, sub], ci) {
    const a = str(s);
    const b = str(sub);
    return a === null || b === null ? null : fold(a, ci).endsWith(fold(b, ci));
  },
  startswith([s, sub], ci) {
    const a = str(s);
    const b = str(sub);
    return a === null || b === null ? null : fold(a, ci).startsWith(fold(b, ci));
  },
  stringcontains([s, sub], ci) {
    const a = str(s);
    const b = str(sub);
    return a === null || b === null ? null : fold(a, ci).includes(fold(b, ci));
  },
  indexof([s, sub, start], ci) {
    const a = str(s);
    const b = str(sub);
    if (a === null || b === null) return null;
    // Java's String.indexOf: a start before 0 reads as 0, past the end finds only the empty string (at the end).
    const from = Math.max(0, num(start) ?? 0);
    const i = fold(a, ci).indexOf(fold(b, ci), from);
    return i < 0 ? null : i;
  },
  length([s]) {
    const a = str(s);
    return a === null ? null : a.length;
  },
  number([s, base]) {
    if (typeof s === 'number') return s;
    const a = str(s);
    if (a === null) return null;
    const text = a.trim();
    const radix = num(base);
    if (radix !== null && radix !== 10) {
      const digits = radix === 16 ? text.replace(/^([+-]?)0x/i, '$1') : text;
      // Java's Long.parseLong: every character a digit of the radix (where it throws, null here).
      if (!Number.isInteger(radix) || radix < 2 || radix > 36) return null;
      const body = digits.replace(/^[+-]/, '');
      if (body === '' || [...body.toLowerCase()].some((c) => !(parseInt(c, 36) < radix))) return null;
      return parseInt(digits, radix);
    }
    if (/^[+-]?0x[0-9a-f]+$/i.test(text)) return parseInt(text.replace(/0x/i, ''), 16);
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
    return Number(text);
  },
  string([v]) {
    return str(v);
  },
  substring([s, start, end]) {
    const a = str(s);
    const from = num(start);
    if (a === null || from === null) return null;
    const to = end === undefined || end === null ? a.length : num(end);
    if (to === null) return null;
    const i = sliceIndex(from, a.length);
    const j = sliceIndex(to, a.length);
    return i >= j ? '' : a.slice(i, j);
  },
};
