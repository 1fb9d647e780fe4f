/**
 * Elasticsearch EQL's functions over already-evaluated arguments. `null` in a required argument gives
 * `null`; the `~` forms fold case. Names are lower-case keys.
 */
import { compileCidrs } from '../primitives/ip.js';

export type EqlScalar = string | number | boolean | null;
type Fn = (args: EqlScalar[], caseInsensitive: boolean) => EqlScalar;

function str(v: EqlScalar): string | null {
  return v === null ? null : typeof v === 'string' ? v : String(v);
}

function num(v: EqlScalar): number | null {
  if (typeof v === 'number') return v;
  return null;
}

function fold(s: string, ci: boolean): string {
  return ci ? s.toLowerCase() : s;
}

function arithmetic(op: (a: number, b: number) => number | null): Fn {
  return ([a, b]) => {
    const x = num(a);
    const y = num(b);
    return x === null || y === null ? null : op(x, y);
  };
}

/** Integer arithmetic truncates (Java long division); a zero divisor gives null rather than an error. */
function divide(a: number, b: number): number | null {
  if (b === 0) return null;
  return Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b;
}

function modulo(a: number, b: number): number | null {
  return b === 0 ? null : a % b;
}

/** Python-style slice bounds, as Elasticsearch's substring uses. */
function sliceIndex(i: number, length: number): number {
  return i < 0 ? Math.max(0, length + i) : Math.min(i, length);
}

const cidrCache = new Map<string, (ip: string) => boolean>();

export const EQL_FUNCTIONS: Readonly<Record<string, Fn>> = {
  add: arithmetic((a, b) => a + b),
  subtract: arithmetic((a, b) => a - b),
  multiply: arithmetic((a, b) => a * b),
  divide: arithmetic(divide),
  modulo: arithmetic(modulo),
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
      out += String(a);
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
    const from = Math.max(0, num(start) ?? 0);
    if (from > a.length) return null;
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
      const n = parseInt(digits, radix);
      return Number.isNaN(n) ? null : n;
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
