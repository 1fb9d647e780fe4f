/**
 * Elasticsearch `date` mapping formats: `format: "dd-MM-yyyy||epoch_millis"` lists alternatives tried in order,
 * each a built-in name (`strict_date_optional_time`, `epoch_millis`, `epoch_second`, `date`, `basic_date`, …)
 * or a java.time pattern. Elasticsearch parses a source value with the field's format at index time and keeps
 * the instant (epoch ms; nanoseconds for `date_nanos`), so two indices writing one day differently
 * (`17-12-2022` and `2022-12-17`) hold the same value.
 *
 * Patterns read here: `y`/`u` (year; `yy` is 2000–2099), `M` (month number; `MMM`/`MMMM` English names), `d`,
 * `D` (day of year), `H`, `k`, `h` with `a`, `m`, `s`, `S…` (fraction), `X`/`Z`/`x` (offsets), quoted literals
 * and any other punctuation as itself. Missing fields take their lowest value; times are UTC unless an offset
 * is read.
 */
import { parseDate } from './dates.js';

/** Parses one source value to epoch ms, or undefined when the value is not in the format. */
export type DateFormatParser = (value: unknown) => number | undefined;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Built-in format names and the java.time pattern each stands for (the ones not handled by `parseDate`). */
const NAMED_PATTERNS: Readonly<Record<string, string>> = {
  date: 'yyyy-MM-dd',
  strict_date: 'yyyy-MM-dd',
  basic_date: 'yyyyMMdd',
  basic_date_time: "yyyyMMdd'T'HHmmss.SSSX",
  basic_date_time_no_millis: "yyyyMMdd'T'HHmmssX",
  date_hour: "yyyy-MM-dd'T'HH",
  strict_date_hour: "yyyy-MM-dd'T'HH",
  date_hour_minute: "yyyy-MM-dd'T'HH:mm",
  strict_date_hour_minute: "yyyy-MM-dd'T'HH:mm",
  date_hour_minute_second: "yyyy-MM-dd'T'HH:mm:ss",
  strict_date_hour_minute_second: "yyyy-MM-dd'T'HH:mm:ss",
  date_hour_minute_second_millis: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  strict_date_hour_minute_second_millis: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  date_hour_minute_second_fraction: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  strict_date_hour_minute_second_fraction: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  year_month_day: 'yyyy-MM-dd',
  strict_year_month_day: 'yyyy-MM-dd',
  year_month: 'yyyy-MM',
  strict_year_month: 'yyyy-MM',
  year: 'yyyy',
  strict_year: 'yyyy',
  ordinal_date: 'yyyy-DDD',
  strict_ordinal_date: 'yyyy-DDD',
  hour_minute_second: 'HH:mm:ss',
  strict_hour_minute_second: 'HH:mm:ss',
};

/** Names whose reading is `parseDate`'s (ISO 8601 as `strict_date_optional_time` reads it). */
const ISO_NAMES = new Set([
  'strict_date_optional_time',
  'date_optional_time',
  'strict_date_optional_time_nanos',
  'date_time',
  'strict_date_time',
  'date_time_no_millis',
  'strict_date_time_no_millis',
]);

interface Fields {
  year: number;
  month: number;
  day: number;
  dayOfYear: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  pm: number;
  offsetMs: number;
}

type Step = (s: string, at: number, f: Fields) => number;

function readDigits(s: string, at: number, min: number, max: number): [number, number] | undefined {
  let p = at;
  let n = 0;
  while (p < s.length && p - at < max) {
    const c = s.charCodeAt(p) - 0x30;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
    p++;
  }
  return p - at < min ? undefined : [n, p];
}

/** A numeric field of `count` pattern letters: that many digits (one letter: one or two), so `yyyyMMdd` splits. */
function numberStep(count: number, set: (f: Fields, n: number) => void, max = Math.max(count, 2)): Step {
  return (s, at, f) => {
    const r = readDigits(s, at, count, max);
    if (!r) return -1;
    set(f, r[0]);
    return r[1];
  };
}

function offsetStep(): Step {
  return (s, at, f) => {
    if (s.charCodeAt(at) === 0x5a /* Z */) {
      f.offsetMs = 0;
      return at + 1;
    }
    const sign = s[at] === '+' ? 1 : s[at] === '-' ? -1 : 0;
    if (sign === 0) return -1;
    const h = readDigits(s, at + 1, 2, 2);
    if (!h) return -1;
    let p = h[1];
    let m = 0;
    if (s[p] === ':') p++;
    const mm = readDigits(s, p, 2, 2);
    if (mm) {
      m = mm[0];
      p = mm[1];
    }
    f.offsetMs = sign * (h[0] * 3600 + m * 60) * 1000;
    return p;
  };
}

/** Compiles a java.time pattern into parsing steps; undefined for letters not read here. */
function compilePattern(pattern: string): Step[] | undefined {
  const steps: Step[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) return undefined;
      const text = end === i + 1 ? "'" : pattern.slice(i + 1, end);
      steps.push((s, at) => (s.startsWith(text, at) ? at + text.length : -1));
      i = end + 1;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    if (!/[A-Za-z]/.test(c)) {
      const text = c.repeat(n);
      steps.push((s, at) => (s.startsWith(text, at) ? at + text.length : -1));
      continue;
    }
    switch (c) {
      case 'y':
      case 'u':
        steps.push(n === 2 ? numberStep(2, (f, v) => (f.year = 2000 + v), 2) : numberStep(n, (f, v) => (f.year = v), Math.max(n, 4)));
        break;
      case 'M':
        if (n >= 3) {
          steps.push((s, at, f) => {
            const rest = s.slice(at).toLowerCase();
            for (let m = 0; m < 12; m++) {
              const name = n === 3 ? MONTHS[m].slice(0, 3) : MONTHS[m];
              if (rest.startsWith(name)) {
                f.month = m + 1;
                return at + name.length;
              }
            }
            return -1;
          });
        } else steps.push(numberStep(n, (f, v) => (f.month = v)));
        break;
      case 'd':
        steps.push(numberStep(n, (f, v) => (f.day = v)));
        break;
      case 'D':
        steps.push(numberStep(n, (f, v) => (f.dayOfYear = v), 3));
        break;
      case 'H':
      case 'k':
      case 'h':
        steps.push(numberStep(n, (f, v) => (f.hour = c === 'k' && v === 24 ? 0 : v)));
        break;
      case 'a':
        steps.push((s, at, f) => {
          const t = s.slice(at, at + 2).toUpperCase();
          if (t !== 'AM' && t !== 'PM') return -1;
          f.pm = t === 'PM' ? 1 : 0;
          return at + 2;
        });
        break;
      case 'm':
        steps.push(numberStep(n, (f, v) => (f.minute = v)));
        break;
      case 's':
        steps.push(numberStep(n, (f, v) => (f.second = v)));
        break;
      case 'S':
        steps.push((s, at, f) => {
          const r = readDigits(s, at, n, 9);
          if (!r) return -1;
          const digits = r[1] - at;
          f.millis = Math.floor(r[0] / 10 ** Math.max(0, digits - 3)) * 10 ** Math.max(0, 3 - digits);
          return r[1];
        });
        break;
      case 'X':
      case 'x':
      case 'Z':
        steps.push(offsetStep());
        break;
      default:
        return undefined;
    }
  }
  return steps;
}

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

function patternParser(pattern: string): DateFormatParser | undefined {
  const steps = compilePattern(pattern);
  if (!steps) return undefined;
  return (value) => {
    const s = typeof value === 'number' ? String(value) : value;
    if (typeof s !== 'string') return undefined;
    const f: Fields = { year: 1970, month: 1, day: 1, dayOfYear: 0, hour: 0, minute: 0, second: 0, millis: 0, pm: -1, offsetMs: 0 };
    let at = 0;
    for (const step of steps) {
      at = step(s, at, f);
      if (at < 0) return undefined;
    }
    if (at !== s.length) return undefined;
    if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > 31 || f.hour > 23 || f.minute > 59 || f.second > 59) return undefined;
    const hour = f.pm === 1 && f.hour < 12 ? f.hour + 12 : f.pm === 0 && f.hour === 12 ? 0 : f.hour;
    const days = f.dayOfYear > 0 ? daysFromCivil(f.year, 1, 1) + f.dayOfYear - 1 : daysFromCivil(f.year, f.month, f.day);
    // A day past the month's end (31-02-2022) is no date.
    if (f.dayOfYear === 0 && daysFromCivil(f.year, f.month, f.day) >= daysFromCivil(f.month === 12 ? f.year + 1 : f.year, f.month === 12 ? 1 : f.month + 1, 1)) return undefined;
    return days * 86_400_000 + hour * 3_600_000 + f.minute * 60_000 + f.second * 1000 + f.millis - f.offsetMs;
  };
}

function epochParser(unitMs: number): DateFormatParser {
  return (value) => {
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string' || !/^-?\d+(\.\d+)?$/.test(text)) return undefined;
    const ms = Math.floor(Number(text) * unitMs);
    return Number.isSafeInteger(ms) ? ms : undefined;
  };
}

/** One alternative of a format: a built-in name or a pattern. */
function alternative(spec: string): DateFormatParser | undefined {
  const name = spec.trim();
  if (ISO_NAMES.has(name)) return (v) => (typeof v === 'string' ? parseDate(v, false) : undefined);
  if (name === 'epoch_millis') return epochParser(1);
  if (name === 'epoch_second') return epochParser(1000);
  return patternParser(NAMED_PATTERNS[name] ?? name);
}

/** True when `format` is Elasticsearch's default (`strict_date_optional_time||epoch_millis`) or absent. */
export function isDefaultDateFormat(format: string | undefined): boolean {
  if (format === undefined) return true;
  const parts = format.split('||').map((p) => p.trim());
  return parts.every((p) => ISO_NAMES.has(p) || p === 'epoch_millis');
}

/** A parser for a mapping's `format` (alternatives separated by `||`); undefined when no part can be read. */
export function compileDateFormat(format: string): DateFormatParser | undefined {
  const parsers = format.split('||').map(alternative).filter((p): p is DateFormatParser => p !== undefined);
  if (parsers.length === 0) return undefined;
  return (value) => {
    for (const p of parsers) {
      const t = p(value);
      if (t !== undefined) return t;
    }
    return undefined;
  };
}
