/**
 * Reading a dotted field path from an event the way Elasticsearch indexes it: `{"a":{"b":1}}`, `{"a.b":1}`
 * and mixes of the two are the same field, arrays at any level contribute every element, and `null`
 * contributes nothing. Only own properties count, so `constructor` or `__proto__` never read the prototype.
 */

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * How deep any walk over an event goes (objects and arrays each count as a level). The engine refuses events
 * nested deeper than its own limit before any rule sees them; this bound keeps matchers used on their own
 * (`ruleforge query`, embedding) from overflowing the stack on hostile input such as `[[[[…]]]]` 10,000 deep:
 * anything below it is treated as absent.
 */
export const MAX_WALK_DEPTH = 128;

/** An object whose keys are field names (not an array, not null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The own property `key` of `o`, or undefined. */
export function ownValue(o: Record<string, unknown>, key: string): unknown {
  return hasOwn.call(o, key) ? o[key] : undefined;
}

/** Precomputed key lists for one path: `keys[i][j]` joins segments i..j with dots. */
export interface CompiledPath {
  readonly path: string;
  readonly segments: readonly string[];
  readonly keys: readonly (readonly string[])[];
}

/** Splits a dotted path once, at link time. */
export function compilePath(path: string): CompiledPath {
  const segments = path === '' ? [] : path.split('.');
  const keys: string[][] = [];
  for (let i = 0; i < segments.length; i++) {
    const row: string[] = [];
    for (let j = i; j < segments.length; j++) row.push(segments.slice(i, j + 1).join('.'));
    keys.push(row);
  }
  return { path, segments, keys };
}

function pushLeaf(v: unknown, out: unknown[], depth: number): void {
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) {
    if (depth >= MAX_WALK_DEPTH) return;
    for (let k = 0; k < v.length; k++) pushLeaf(v[k], out, depth + 1);
    return;
  }
  out.push(v);
}

function collectFrom(o: unknown, p: CompiledPath, i: number, out: unknown[], depth: number): void {
  if (depth >= MAX_WALK_DEPTH) return;
  if (Array.isArray(o)) {
    for (let k = 0; k < o.length; k++) collectFrom(o[k], p, i, out, depth + 1);
    return;
  }
  if (!isPlainObject(o)) return;
  const row = p.keys[i];
  const last = p.segments.length - 1;
  for (let j = i; j <= last; j++) {
    const key = row[j - i];
    // Most spellings are absent: a plain read answers that cheaply; only a hit pays for the own-property check.
    const v = o[key];
    if (v === undefined || !hasOwn.call(o, key)) continue;
    if (j === last) pushLeaf(v, out, depth + 1);
    else collectFrom(v, p, j + 1, out, depth + 1);
  }
}

/**
 * Every value of the field at `p` in `event`, arrays flattened and nulls dropped. Objects are returned as
 * values too (a path may end at an object); callers decide what an object means for them.
 */
export function readValues(event: unknown, p: CompiledPath): unknown[] {
  const out: unknown[] = [];
  if (p.segments.length === 0) pushLeaf(event, out, 0);
  else collectFrom(event, p, 0, out, 0);
  return out;
}

/** True when a value read from an event holds any non-null scalar (an object counts if any leaf inside does). */
export function hasScalar(v: unknown, depth = 0): boolean {
  if (v === null || v === undefined) return false;
  // Deep structures are hostile input; past this depth an object or array simply counts as present.
  if (typeof v === 'object' && depth > MAX_WALK_DEPTH) return true;
  if (Array.isArray(v)) return v.some((x) => hasScalar(x, depth + 1));
  if (typeof v === 'object') {
    for (const key in v as Record<string, unknown>) {
      if (hasOwn.call(v, key) && hasScalar((v as Record<string, unknown>)[key], depth + 1)) return true;
    }
    return false;
  }
  return true;
}

/**
 * Calls `visit(path, value)` for every scalar leaf of `event` with its dotted path (array elements share
 * their array's path). Stops and returns true as soon as `visit` returns true.
 */
export function someLeaf(event: unknown, visit: (path: string, value: unknown) => boolean, prefix = '', depth = 0): boolean {
  if (event === null || event === undefined) return false;
  // Arrays count as a level too, so `[[[…]]]` cannot recurse without bound.
  if (typeof event === 'object' && depth > MAX_WALK_DEPTH) return false;
  if (Array.isArray(event)) {
    for (let k = 0; k < event.length; k++) if (someLeaf(event[k], visit, prefix, depth + 1)) return true;
    return false;
  }
  if (typeof event === 'object') {
    for (const key in event as Record<string, unknown>) {
      if (!hasOwn.call(event, key)) continue;
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (someLeaf((event as Record<string, unknown>)[key], visit, path, depth + 1)) return true;
    }
    return false;
  }
  return visit(prefix, event);
}
