/**
 * Elasticsearch date semantics for the default format `strict_date_optional_time||epoch_millis`, plus date
 * math. "Round up" parsing (used for `gt` and `lte` bounds, and the top of a date term's span) fills missing
 * components with their maximum, as Elasticsearch's date-math parser does.
 */

const ISO = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const EPOCH = /^-?\d+(\.\d{1,3})?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function utc(year: number, month: number, day: number, h: number, m: number, s: number, ms: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(h, m, s, ms);
  return d.getTime();
}

function parseIso(text: string, roundUp: boolean): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  // A zone needs a time: `2024-01-01Z` is not strict_date_optional_time.
  if (zone !== undefined && h === undefined) return undefined;
  const year = Number(y);
  const month = mo !== undefined ? Number(mo) : roundUp ? 12 : 1;
  if (month < 1 || month > 12) return undefined;
  const maxDay = daysInMonth(year, month);
  const day = d !== undefined ? Number(d) : roundUp ? maxDay : 1;
  if (day < 1 || day > maxDay) return undefined;
  const hour = h !== undefined ? Number(h) : roundUp ? 23 : 0;
  const minute = mi !== undefined ? Number(mi) : roundUp ? 59 : 0;
  const second = s !== undefined ? Number(s) : roundUp ? 59 : 0;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = frac !== undefined ? Number(frac.padEnd(3, '0').slice(0, 3)) : roundUp ? 999 : 0;
  let t = utc(year, month, day, hour, minute, second, ms);
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offH = Number(digits.slice(0, 2));
    const offM = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (offH > 18 || offM > 59) return undefined;
    t -= sign * (offH * 60 + offM) * 60_000;
  }
  return t;
}

/** Epoch ms of a date value (epoch-millis number or string, or ISO 8601), or undefined. */
export function parseDate(value: unknown, roundUp: boolean): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  // Four digits read as a year first, as strict_date_optional_time comes first in the default format.
  const iso = parseIso(text, roundUp);
  if (iso !== undefined) return iso;
  if (EPOCH.test(text)) return Math.trunc(Number(text));
  return undefined;
}

/** True when `expr` is date math (anchored at `now`, or a date followed by `||`). */
export function isDateMath(expr: string): boolean {
  return expr.trim().startsWith('now') || expr.includes('||');
}

type Unit = 'y' | 'M' | 'w' | 'd' | 'h' | 'H' | 'm' | 's';

function addUnits(t: number, n: number, unit: Unit): number {
  const d = new Date(t);
  switch (unit) {
    case 'y':
    case 'M': {
      // Like Java's plusMonths: keep the day of month, clamped to the target month's length.
      const months = unit === 'y' ? 12 * n : n;
      const day = d.getUTCDate();
      const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
      const year = Math.floor(total / 12);
      const month = total - year * 12;
      const clamped = Math.min(day, daysInMonth(year, month + 1));
      d.setUTCFullYear(year, month, clamped);
      return d.getTime();
    }
    case 'w':
      return t + n * 7 * 86_400_000;
    case 'd':
      return t + n * 86_400_000;
    case 'h':
    case 'H':
      return t + n * 3_600_000;
    case 'm':
      return t + n * 60_000;
    case 's':
      return t + n * 1000;
  }
}

function roundTo(t: number, unit: Unit, up: boolean): number {
  const d = new Date(t);
  let start: number;
  let next: number;
  switch (unit) {
    case 'y':
      start = Date.UTC(d.getUTCFullYear(), 0, 1);
      next = Date.UTC(d.getUTCFullYear() + 1, 0, 1);
      break;
    case 'M':
      start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      break;
    case 'w': {
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      const sinceMonday = (d.getUTCDay() + 6) % 7;
      start = day - sinceMonday * 86_400_000;
      next = start + 7 * 86_400_000;
      break;
    }
    case 'd':
      start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      next = start + 86_400_000;
      break;
    case 'h':
    case 'H':
      start = t - (((t % 3_600_000) + 3_600_000) % 3_600_000);
      next = start + 3_600_000;
      break;
    case 'm':
      start = t - (((t % 60_000) + 60_000) % 60_000);
      next = start + 60_000;
      break;
    case 's':
      start = t - (((t % 1000) + 1000) % 1000);
      next = start + 1000;
      break;
  }
  return up ? next - 1 : start;
}

const STEP = /^([+-])(\d+)?([yMwdhHms])|^\/([yMwdhHms])/;

/** Evaluates Elasticsearch date math (`now-1d/d`, `2024-01-01||+1M/M`) at `now`; undefined when invalid. */
export function evalDateMath(expr: string, now: number, roundUp: boolean): number | undefined {
  const text = expr.trim();
  let t: number | undefined;
  let rest: string;
  if (text.startsWith('now')) {
    t = now;
    rest = text.slice(3);
  } else {
    const bar = text.indexOf('||');
    if (bar < 0) return parseDate(text, roundUp);
    // The anchor date itself is read rounded down; only explicit rounding steps round up.
    t = parseDate(text.slice(0, bar), false);
    rest = text.slice(bar + 2);
  }
  if (t === undefined) return undefined;
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m) return undefined;
    if (m[4] !== undefined) t = roundTo(t, m[4] as Unit, roundUp);
    else t = addUnits(t, (m[1] === '-' ? -1 : 1) * (m[2] !== undefined ? Number(m[2]) : 1), m[3] as Unit);
    rest = rest.slice(m[0].length);
  }
  return t;
}
