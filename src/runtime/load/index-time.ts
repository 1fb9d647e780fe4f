/**
 * What Elasticsearch does to a document when it indexes it, before any query sees it: a mapping's
 * `null_value` replaces explicit nulls (a missing field stays missing).
 */
import { isPlainObject, MAX_WALK_DEPTH } from '../match/field-access.js';

const hasOwn = Object.prototype.hasOwnProperty;

/** Sets an own data property: `holder[key] = v` with key `__proto__` could change the prototype instead. */
function setOwn(holder: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(holder, key, { value, writable: true, enumerable: true, configurable: true });
}

function replaceNulls(holder: Record<string, unknown>, key: string, value: string | number | boolean): void {
  const v = holder[key];
  if (v === null) setOwn(holder, key, value);
  else if (Array.isArray(v)) setOwn(holder, key, v.map((x) => (x === null ? value : x)));
}

function visit(o: unknown, segments: string[], i: number, value: string | number | boolean, depth: number): void {
  if (depth >= MAX_WALK_DEPTH) return;
  if (Array.isArray(o)) {
    for (let k = 0; k < o.length; k++) visit(o[k], segments, i, value, depth + 1);
    return;
  }
  if (!isPlainObject(o)) return;
  for (let j = i; j < segments.length; j++) {
    const key = segments.slice(i, j + 1).join('.');
    if (!hasOwn.call(o, key)) continue;
    if (j === segments.length - 1) replaceNulls(o, key, value);
    else visit(o[key], segments, j + 1, value, depth + 1);
  }
}

/** Replaces explicit nulls with each field's `null_value`, in place, for nested, dotted or mixed shapes. */
export function applyNullValues(event: unknown, nullValues: Readonly<Record<string, string | number | boolean>>): void {
  for (const [path, value] of Object.entries(nullValues)) visit(event, path.split('.'), 0, value, 0);
}
