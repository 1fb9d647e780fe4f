/**
 * Reading a dotted field path from an event the way Elasticsearch indexes it: `{"a":{"b":1}}`, `{"a.b":1}`
 * and mixes of the two are the same field, arrays at any level contribute every element, and `null`
 * contributes nothing. Only own properties count, so `constructor` or `__proto__` never read the prototype.
 */

const hasOwn = Object.prototype.hasOwnProperty;

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

function pushLeaf(v: unknown, out: unknown[]): void {
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) {
    for (const item of v) pushLeaf(item, out);
    return;
  }
  out.push(v);
}

function collectFrom(o: unknown, p: CompiledPath, i: number, out: unknown[]): void {
  if (Array.isArray(o)) {
    for (const item of o) collectFrom(item, p, i, out);
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
    if (j === last) pushLeaf(v, out);
    else collectFrom(v, p, j + 1, out);
  }
}

/**
 * Every value of the field at `p` in `event`, arrays flattened and nulls dropped. Objects are returned as
 * values too (a path may end at an object); callers decide what an object means for them.
 */
export function readValues(event: unknown, p: CompiledPath): unknown[] {
  const out: unknown[] = [];
  if (p.segments.length === 0) pushLeaf(event, out);
  else collectFrom(event, p, 0, out);
  return out;
}

/** True when a value read from an event holds any non-null scalar (an object counts if any leaf inside does). */
export function hasScalar(v: unknown, depth = 0): boolean {
  if (v === null || v === undefined) return false;
  if (Array.isArray(v)) return v.some((x) => hasScalar(x, depth));
  if (typeof v === 'object') {
    // Deep structures are hostile input; past this depth an object simply counts as present.
    if (depth > 64) return true;
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
  if (Array.isArray(event)) {
    for (const item of event) if (someLeaf(item, visit, prefix, depth)) return true;
    return false;
  }
  if (typeof event === 'object') {
    if (depth > 64) return false;
    for (const key in event as Record<string, unknown>) {
      if (!hasOwn.call(event, key)) continue;
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (someLeaf((event as Record<string, unknown>)[key], visit, path, depth + 1)) return true;
    }
    return false;
  }
  return visit(prefix, event);
}
