/**
 * What Elasticsearch does to a document when it indexes it, before any query sees it: a mapping's
 * `null_value` replaces explicit nulls (a missing field stays missing), and a date field with a custom
 * `format` holds the instant its text denotes (epoch ms), not the text.
 */
import { isPlainObject, MAX_WALK_DEPTH } from '../match/field-access.js';
import type { DateFormatParser } from '../primitives/date-format.js';

const hasOwn = Object.prototype.hasOwnProperty;

/** Sets an own data property: `holder[key] = v` with key `__proto__` could change the prototype instead. */
function setOwn(holder: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(holder, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Rewrites each leaf value of the field (each element of an array) with `change`. */
function rewrite(holder: Record<string, unknown>, key: string, change: (v: unknown) => unknown): void {
  const v = holder[key];
  setOwn(holder, key, Array.isArray(v) ? v.map(change) : change(v));
}

function visit(o: unknown, segments: string[], i: number, change: (v: unknown) => unknown, depth: number): void {
  if (depth >= MAX_WALK_DEPTH) return;
  if (Array.isArray(o)) {
    for (let k = 0; k < o.length; k++) visit(o[k], segments, i, change, depth + 1);
    return;
  }
  if (!isPlainObject(o)) return;
  for (let j = i; j < segments.length; j++) {
    const key = segments.slice(i, j + 1).join('.');
    if (!hasOwn.call(o, key)) continue;
    if (j === segments.length - 1) rewrite(o, key, change);
    else visit(o[key], segments, j + 1, change, depth + 1);
  }
}

/** Replaces explicit nulls with each field's `null_value`, in place, for nested, dotted or mixed shapes. */
export function applyNullValues(event: unknown, nullValues: Readonly<Record<string, string | number | boolean>>): void {
  for (const [path, value] of Object.entries(nullValues)) visit(event, path.split('.'), 0, (x) => (x === null ? value : x), 0);
}

/**
 * Replaces the values of date fields with a custom `format` by their epoch milliseconds, in place; a value the
 * format cannot read is left as it is (Elasticsearch would have rejected the document).
 */
export function applyDateFormats(event: unknown, parsers: Readonly<Record<string, DateFormatParser>>): void {
  for (const [path, parse] of Object.entries(parsers)) {
    visit(event, path.split('.'), 0, (x) => (x === null || x === undefined ? x : (parse(x) ?? x)), 0);
  }
}
