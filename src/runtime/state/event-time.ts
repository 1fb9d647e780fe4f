import { compilePath, readValues, type CompiledPath } from '../match/field-access.js';

/**
 * An event's instant from a timestamp field, in epoch ms: a number as is, a string of digits as epoch ms,
 * otherwise an ISO 8601 date. NaN when the field is absent, unreadable, or
 * outside the range of a JavaScript Date.
 */
export function eventInstant(event: unknown, path: CompiledPath | string): number {
  return instantOfValue(readValues(event, typeof path === 'string' ? compilePath(path) : path)[0]);
}

/** The instant of a timestamp field's first value (see `eventInstant`). */
export function instantOfValue(v: unknown): number {
  if (typeof v === 'string') {
    // With a lateness window every event's time is read: the usual form skips the regex and Date.parse.
    const fast = canonicalIso(v);
    if (fast === fast) return fast;
  }
  const ms = typeof v === 'number' ? v : typeof v === 'string' ? (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : Date.parse(v)) : Number.NaN;
  // Outside the range of a Date (±8.64e15 ms, e.g. 1e400 → Infinity) a value is no instant; ordering by it would be noise.
  return Math.abs(ms) <= 8.64e15 ? ms : Number.NaN;
}

/** 400 Gregorian years, in ms: 146,097 days. */
const FOUR_CENTURIES_MS = 146_097 * 86_400_000;

const digit = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
};
const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

/**
 * `Date.parse(s)` for `YYYY-MM-DDTHH:MM:SSZ` and `YYYY-MM-DDTHH:MM:SS.sssZ` with fields in range (the form
 * `toISOString` writes for years 0 to 9999, and events carry), computed directly; NaN for anything else, left
 * to `Date.parse`.
 */
export function canonicalIso(s: string): number {
  const n = s.length;
  if (n !== 20 && n !== 24) return Number.NaN;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(n - 1) !== 90) return Number.NaN;
  const year = two(s, 0) * 100 + two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  let ms = 0;
  if (n === 24) {
    if (s.charCodeAt(19) !== 46) return Number.NaN;
    ms = digit(s, 20) * 100 + two(s, 21);
  }
  // Day 29 to 31 roll over into the next month, as in Date.parse.
  if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) return Number.NaN;
  // Date.UTC reads years below 100 as 19xx: 400 years later the calendar repeats, so count from there.
  return Date.UTC(year + 400, month - 1, day, hour, minute, second, ms) - FOUR_CENTURIES_MS;
}
