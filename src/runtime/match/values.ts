/**
 * How a source value (what the event holds) reads under each value type, as Elasticsearch would index it.
 * `undefined` means "not indexable as this type": such a value never matches.
 */
import { parseDate } from '../primitives/dates.js';
import { parseIp } from '../primitives/ip.js';
import { toBoolean, toNumber } from '../primitives/numbers.js';

/** Keyword text of a source value: strings as they are, numbers and booleans as their JSON text. */
export function keywordOf(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Number.isFinite(v) ? String(v) : undefined;
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return undefined;
  }
}

/** Number of a source value; integer fields drop the fraction as Elasticsearch's coercion does. */
export function numberOf(v: unknown, integer: boolean): number | undefined {
  const n = toNumber(v);
  if (n === undefined) return undefined;
  return integer ? Math.trunc(n) : n;
}

/** Epoch milliseconds of a source date value. */
export function dateOf(v: unknown): number | undefined {
  return parseDate(v, false);
}

/** Boolean of a source value (`true`, `false`, `"true"`, `"false"`, `""`). */
export function booleanOf(v: unknown): boolean | undefined {
  return toBoolean(v);
}

/** Address bytes of a source IP value. */
export function ipOf(v: unknown): Uint8Array | undefined {
  return typeof v === 'string' ? parseIp(v) : undefined;
}

/** Compares strings by Unicode code point (UTF-8 byte order), not UTF-16 code unit. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (an astral code point) sorts after every BMP character, which UTF-16 order gets wrong
    // only against U+E000..U+FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Orders two `version` values as Elasticsearch does: valid semantic versions by major, minor, patch, then
 * pre-release (a pre-release sorts before its release; numeric identifiers numerically, others by text);
 * anything else after all valid versions, by text.
 */
export function compareVersions(a: string, b: string): number {
  const x = SEMVER.exec(a);
  const y = SEMVER.exec(b);
  if (!x || !y) return x ? -1 : y ? 1 : compareCodePoints(a, b);
  for (let i = 1; i <= 3; i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return d;
  }
  const px = x[4];
  const py = y[4];
  if (px === undefined || py === undefined) return px === py ? 0 : px === undefined ? 1 : -1;
  const ix = px.split('.');
  const iy = py.split('.');
  for (let i = 0; i < Math.min(ix.length, iy.length); i++) {
    const nx = /^\d+$/.test(ix[i]);
    const ny = /^\d+$/.test(iy[i]);
    const d = nx && ny ? Number(ix[i]) - Number(iy[i]) : nx ? -1 : ny ? 1 : compareCodePoints(ix[i], iy[i]);
    if (d !== 0) return d;
  }
  return ix.length - iy.length;
}
