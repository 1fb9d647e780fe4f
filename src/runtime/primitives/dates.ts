/**
 * Elasticsearch date semantics for the default format `strict_date_optional_time||epoch_millis`, in UTC unless
 * the text carries an offset, plus date math. Mirrors Elasticsearch's own code:
 *
 * - `strict_date_optional_time` as its fast `Iso8601Parser` reads it: `yyyy[-MM[-dd[T[HH[:mm[:ss[(.|,)S…]]]]]]]`
 *   (a leading `-` makes a negative year), and after the hour, minute, second or fraction an offset `Z`, `±HH`,
 *   `±HH:mm`, `±HHmm`, `±HH:mm:ss`, `±HHmmss` (or `UTC`/`GMT`/`UT`, optionally followed by one of those offsets).
 *   Fractions take up to 9 digits and truncate to the millisecond.
 * - The text form is tried first, so `"2024"` is the year 2024, not 2024 ms; otherwise `epoch_millis`: optional
 *   `-`, up to 19 digits, optionally `.` and up to 6 digits (nanoseconds of the millisecond).
 * - "Round up" parsing (for `gt`/`lte` bounds, and the top of a date term's span) uses Elasticsearch's round-up
 *   defaults: a missing hour is 23, minute 59, second 59, fraction .999999999 — but a missing MONTH or DAY is
 *   still 01 (Elasticsearch documents this: `2099-12` rounds up to `2099-12-01T23:59:59.999Z`).
 *
 * Everything is integer arithmetic on the proleptic Gregorian calendar; no Date objects, no regexes.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

interface Civil {
  year: number;
  month: number;
  day: number;
}

/** The proleptic Gregorian date of a day count since 1970-01-01 (Hinnant's civil_from_days). */
function civilFromDays(days: number): Civil {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function isLeap(year: number): boolean {
  return (year & 3) === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Value of `count` ASCII digits at `at`, or -1. */
function digits(s: string, at: number, count: number): number {
  if (at + count > s.length) return -1;
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Sentinel for "not an offset" (offsets are at most ±18 h, in ms). */
const BAD_OFFSET = Number.MAX_SAFE_INTEGER;

/** A numeric offset `±HH[[:]mm[[:]ss]]` filling s[at..], in ms; BAD_OFFSET if invalid. */
function numericOffset(s: string, at: number): number {
  const c = s.charCodeAt(at);
  if (c !== 0x2b && c !== 0x2d) return BAD_OFFSET;
  let p = at + 1;
  const h = digits(s, p, 2);
  if (h < 0) return BAD_OFFSET;
  p += 2;
  let m = 0;
  let sec = 0;
  if (p < s.length) {
    const colon = s.charCodeAt(p) === 0x3a;
    if (colon) p++;
    m = digits(s, p, 2);
    if (m < 0) return BAD_OFFSET;
    p += 2;
    if (p < s.length) {
      // Either both separators are colons or neither is.
      if ((s.charCodeAt(p) === 0x3a) !== colon) return BAD_OFFSET;
      if (colon) p++;
      sec = digits(s, p, 2);
      if (sec < 0 || p + 2 !== s.length) return BAD_OFFSET;
    }
  }
  const total = h * 3600 + m * 60 + sec;
  if (total > 18 * 3600) return BAD_OFFSET; // java.time.ZoneOffset's range
  return (c === 0x2d ? -total : total) * SECOND;
}

const ZONE_PREFIXES = ['UTC', 'GMT', 'UT'];

/** The offset (ms) of the zone text filling s[at..]; BAD_OFFSET if it is not one we read. */
function zoneOffset(s: string, at: number): number {
  const c = s.charCodeAt(at);
  if (c === 0x5a /* Z */) return at + 1 === s.length ? 0 : BAD_OFFSET;
  if (c === 0x2b || c === 0x2d) return numericOffset(s, at);
  // Named zones: only the fixed-offset prefixes java.time.ZoneId accepts; region ids (Europe/Paris) are not read.
  for (const prefix of ZONE_PREFIXES) {
    if (s.startsWith(prefix, at)) {
      const rest = at + prefix.length;
      return rest === s.length ? 0 : numericOffset(s, rest);
    }
  }
  return BAD_OFFSET;
}

function isZoneStart(c: number): boolean {
  return c === 0x2b || c === 0x2d || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Sentinel for "no such field in the text". */
const ABSENT = -1;

/** `strict_date_optional_time`, or undefined if `s` is not in it. */
function parseIso(s: string, roundUp: boolean): number | undefined {
  const len = s.length;
  const negative = len > 0 && s.charCodeAt(0) === 0x2d;
  const b = negative ? 1 : 0;
  let year = digits(s, b, 4);
  if (year < 0) return undefined;
  if (negative) year = -year;
  let month = ABSENT;
  let day = ABSENT;
  let hour = ABSENT;
  let minute = ABSENT;
  let second = ABSENT;
  let millis = ABSENT;
  let offset = 0;
  // Each step either ends the text, or reads a separator and a field; a zone may follow the hour and later fields.
  parse: {
    if (len === b + 4) break parse;
    if (s.charCodeAt(b + 4) !== 0x2d) return undefined;
    month = digits(s, b + 5, 2);
    if (month < 1 || month > 12) return undefined;
    if (len === b + 7) break parse;
    if (s.charCodeAt(b + 7) !== 0x2d) return undefined;
    day = digits(s, b + 8, 2);
    if (day < 1 || day > daysInMonth(year, month)) return undefined;
    if (len === b + 10) break parse;
    if (s.charCodeAt(b + 10) !== 0x54 /* T */) return undefined;
    if (len === b + 11) break parse;
    hour = digits(s, b + 11, 2);
    if (hour < 0 || hour > 23) return undefined;
    let p = b + 13;
    if (p < len && s.charCodeAt(p) === 0x3a) {
      minute = digits(s, p + 1, 2);
      if (minute < 0 || minute > 59) return undefined;
      p += 3;
      if (p < len && s.charCodeAt(p) === 0x3a) {
        second = digits(s, p + 1, 2);
        if (second < 0 || second > 59) return undefined;
        p += 3;
        const sep = p < len ? s.charCodeAt(p) : 0;
        if (sep === 0x2e || sep === 0x2c) {
          p++;
          const from = p;
          let ms = 0;
          while (p < len && p - from < 9) {
            const c = s.charCodeAt(p) - 0x30;
            if (c < 0 || c > 9) break;
            if (p - from < 3) ms = ms * 10 + c;
            p++;
          }
          const n = p - from;
          if (n === 0) return undefined;
          millis = n >= 3 ? ms : n === 2 ? ms * 10 : ms * 100;
        }
      }
    }
    if (p === len) break parse;
    if (!isZoneStart(s.charCodeAt(p))) return undefined;
    offset = zoneOffset(s, p);
    if (offset === BAD_OFFSET) return undefined;
  }
  const date = daysFromCivil(year, month === ABSENT ? 1 : month, day === ABSENT ? 1 : day);
  const h = hour !== ABSENT ? hour : roundUp ? 23 : 0;
  const m = minute !== ABSENT ? minute : roundUp ? 59 : 0;
  const sec = second !== ABSENT ? second : roundUp ? 59 : 0;
  const ms = millis !== ABSENT ? millis : roundUp ? 999 : 0;
  // `+ 0` turns the -0 of year 0 arithmetic into 0.
  return date * DAY + h * HOUR + m * MINUTE + sec * SECOND + ms - offset + 0;
}

/** `epoch_millis`: `-`? digits{1,19} (`.` digits{0,6})? or `-`? `.` digits{1,6}; fractions floor to the ms. */
function parseEpochMillis(s: string): number | undefined {
  const len = s.length;
  const negative = len > 0 && s.charCodeAt(0) === 0x2d;
  let p = negative ? 1 : 0;
  let whole = 0;
  const intFrom = p;
  while (p < len) {
    const c = s.charCodeAt(p) - 0x30;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
    p++;
  }
  const intDigits = p - intFrom;
  if (intDigits > 19) return undefined;
  let fraction = false;
  if (p < len && s.charCodeAt(p) === 0x2e) {
    p++;
    const fracFrom = p;
    while (p < len) {
      const c = s.charCodeAt(p) - 0x30;
      if (c < 0 || c > 9) break;
      if (c !== 0) fraction = true;
      p++;
    }
    const fracDigits = p - fracFrom;
    if (fracDigits > 6 || (intDigits === 0 && fracDigits === 0)) return undefined;
  } else if (intDigits === 0) return undefined;
  if (p !== len) return undefined;
  // The instant is exact; its millisecond is the floor, so a negative value with a fraction goes one lower.
  const millis = negative ? -whole - (fraction ? 1 : 0) : whole;
  return Number.isSafeInteger(millis) ? millis + 0 : undefined;
}

/** Epoch ms of a date value (ISO 8601 as `strict_date_optional_time` reads it, or epoch millis), or undefined. */
export function parseDate(value: unknown, roundUp: boolean): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    // Elasticsearch parses the number's text with the same format, so a four-digit integer (2024) is a year
    // there too; every other integer's text is plain epoch millis, read here without making the text.
    if (Number.isInteger(value)) {
      const magnitude = Math.abs(value);
      if (magnitude >= 1000 && magnitude <= 9999) return parseIso(String(value), roundUp);
      return Number.isSafeInteger(value) ? value + 0 : undefined;
    }
    const millis = Math.floor(value);
    return Number.isSafeInteger(millis) ? millis : undefined;
  }
  return typeof value === 'string' ? parseDateText(value, roundUp) : undefined;
}

function parseDateText(s: string, roundUp: boolean): number | undefined {
  return parseIso(s, roundUp) ?? parseEpochMillis(s);
}

/** True when `expr` is date math: anchored at `now`, or a date followed by `||`. */
export function isDateMath(expr: string): boolean {
  return expr.startsWith('now') || expr.includes('||');
}

/** `t` plus `months` months, keeping the day of month clamped to the target month (Java's `plusMonths`). */
function plusMonths(t: number, months: number): number {
  const days = Math.floor(t / DAY);
  const timeOfDay = t - days * DAY;
  const { year, month, day } = civilFromDays(days);
  const total = year * 12 + (month - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return daysFromCivil(y, m, Math.min(day, daysInMonth(y, m))) * DAY + timeOfDay;
}

/** Start of the unit containing `t` (Elasticsearch's `/unit`), or with `up` the start of the next one minus 1 ms. */
function roundTo(t: number, unit: number, up: boolean): number {
  let start: number;
  let next: number;
  switch (unit) {
    case 0x79 /* y */: {
      const { year } = civilFromDays(Math.floor(t / DAY));
      start = daysFromCivil(year, 1, 1) * DAY;
      next = daysFromCivil(year + 1, 1, 1) * DAY;
      break;
    }
    case 0x4d /* M */: {
      const { year, month } = civilFromDays(Math.floor(t / DAY));
      start = daysFromCivil(year, month, 1) * DAY;
      next = month === 12 ? daysFromCivil(year + 1, 1, 1) * DAY : daysFromCivil(year, month + 1, 1) * DAY;
      break;
    }
    case 0x77 /* w */: {
      const days = Math.floor(t / DAY);
      // 1970-01-01 was a Thursday; weeks start on Monday (ISO), as java.time's previousOrSame(MONDAY).
      const sinceMonday = (((days + 3) % 7) + 7) % 7;
      start = (days - sinceMonday) * DAY;
      next = start + WEEK;
      break;
    }
    default: {
      const size = unitMillis(unit);
      start = Math.floor(t / size) * size;
      next = start + size;
    }
  }
  return up ? next - 1 : start;
}

/** Fixed length of a unit below a week, in ms (0 for calendar units). */
function unitMillis(unit: number): number {
  switch (unit) {
    case 0x64 /* d */:
      return DAY;
    case 0x68 /* h */:
    case 0x48 /* H */:
      return HOUR;
    case 0x6d /* m */:
      return MINUTE;
    case 0x73 /* s */:
      return SECOND;
    default:
      return 0;
  }
}

function isUnit(c: number): boolean {
  return c === 0x79 || c === 0x4d || c === 0x77 || unitMillis(c) > 0;
}

/** Evaluates Elasticsearch date math (`now-1d/d`, `2024-01-01||+1M/M`) at `now`; undefined when invalid. */
export function evalDateMath(expr: string, now: number, roundUp: boolean): number | undefined {
  let t: number | undefined;
  let i: number;
  if (expr.startsWith('now')) {
    t = now;
    i = 3;
  } else {
    const bar = expr.indexOf('||');
    if (bar < 0) return parseDate(expr, roundUp);
    // The anchor is read rounded down; only explicit `/unit` steps round up.
    t = parseDateText(expr.slice(0, bar), false);
    i = bar + 2;
  }
  if (t === undefined || !Number.isFinite(t)) return undefined;
  const len = expr.length;
  while (i < len) {
    const op = expr.charCodeAt(i++);
    const round = op === 0x2f; /* / */
    if (!round && op !== 0x2b && op !== 0x2d) return undefined;
    if (i >= len) return undefined;
    let num = 1;
    let c = expr.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      num = 0;
      while (i < len && c >= 0x30 && c <= 0x39) {
        num = num * 10 + (c - 0x30);
        if (num > 2_147_483_647) return undefined; // Java's Integer.parseInt
        c = expr.charCodeAt(++i);
      }
      if (i >= len) return undefined;
    }
    if (round && num !== 1) return undefined; // `/` takes a single unit
    const unit = expr.charCodeAt(i++);
    if (!isUnit(unit)) return undefined;
    if (round) t = roundTo(t, unit, roundUp);
    else {
      const n = op === 0x2d ? -num : num;
      if (unit === 0x79) t = plusMonths(t, 12 * n);
      else if (unit === 0x4d) t = plusMonths(t, n);
      else if (unit === 0x77) t += n * WEEK;
      else t += n * unitMillis(unit);
    }
  }
  return Number.isSafeInteger(t) ? t : undefined;
}

/** Nanoseconds within the millisecond that the text of a date value carries (ISO fraction digits 4–9, or epoch_millis fraction). */
function subMillisNanos(s: string): number | undefined {
  const t = s.indexOf('T');
  if (t >= 0) {
    // The fraction follows the seconds: `…:ss.SSSSSSSSS` (or `,`).
    const colon = s.indexOf(':', t);
    const secondColon = colon >= 0 ? s.indexOf(':', colon + 1) : -1;
    if (secondColon < 0) return undefined;
    const sep = s.charCodeAt(secondColon + 3);
    if (sep !== 0x2e && sep !== 0x2c) return undefined;
    let p = secondColon + 4;
    let digitsRead = 0;
    let nanos = 0;
    while (p < s.length && digitsRead < 9) {
      const c = s.charCodeAt(p) - 0x30;
      if (c < 0 || c > 9) break;
      nanos = nanos * 10 + c;
      digitsRead++;
      p++;
    }
    return (nanos * 10 ** (9 - digitsRead)) % 1_000_000;
  }
  const dot = s.indexOf('.');
  if (dot < 0) return undefined;
  const frac = s.slice(dot + 1);
  if (!/^\d{1,6}$/.test(frac)) return undefined;
  const n = Number(frac.padEnd(6, '0'));
  return s.startsWith('-') && n > 0 ? 1_000_000 - n : n;
}

/** True when the ISO text has a fraction of a second (Elasticsearch's round-up then keeps it exactly). */
function hasFraction(s: string): boolean {
  const t = s.indexOf('T');
  if (t < 0) return s.indexOf('.') >= 0;
  const colon = s.indexOf(':', t);
  const secondColon = colon >= 0 ? s.indexOf(':', colon + 1) : -1;
  return secondColon >= 0 && (s.charCodeAt(secondColon + 3) === 0x2e || s.charCodeAt(secondColon + 3) === 0x2c);
}

/**
 * Epoch nanoseconds of a date value, as a `date_nanos` field holds it (`strict_date_optional_time_nanos||
 * epoch_millis`: ISO with up to 9 fraction digits, or epoch ms with up to 6 fraction digits). Round-up parsing
 * fills a missing fraction with .999999999, as Elasticsearch's round-up parser does; a written fraction is exact.
 */
export function parseDateNanos(value: unknown, roundUp: boolean): bigint | undefined {
  const ms = parseDate(value, roundUp);
  if (ms === undefined) return undefined;
  let sub = 0;
  if (typeof value === 'number') sub = Number.isInteger(value) ? 0 : Math.round((value - Math.floor(value)) * 1_000_000) % 1_000_000;
  else if (typeof value === 'string') {
    const s = value.trim();
    const parsed = subMillisNanos(s);
    if (parsed !== undefined) sub = parsed;
    else if (roundUp && !hasFraction(s) && s.indexOf('T') >= 0) sub = 999_999;
    else if (roundUp && s.indexOf('T') < 0 && !/^-?\d+(\.\d+)?$/.test(s)) sub = 999_999;
  }
  return BigInt(ms) * 1_000_000n + BigInt(sub);
}
