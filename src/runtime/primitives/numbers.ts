/**
 * Elasticsearch's coercion of source values and query text for numeric and boolean fields. Numbers go through
 * Java's `Double.parseDouble` there: the text is trimmed of control characters and spaces (Java's `trim`, not
 * Unicode white space), then must be a decimal number; non-finite results are refused by every numeric type.
 */

/** True when s[from, to) is a decimal number: sign, digits with an optional fraction (or a lone fraction), exponent. */
function isDecimal(s: string, from: number, to: number): boolean {
  let i = from;
  let c = s.charCodeAt(i);
  if (c === 0x2b || c === 0x2d) c = s.charCodeAt(++i);
  let mantissa = 0;
  while (i < to && c >= 0x30 && c <= 0x39) {
    mantissa++;
    c = s.charCodeAt(++i);
  }
  if (i < to && c === 0x2e) {
    c = s.charCodeAt(++i);
    while (i < to && c >= 0x30 && c <= 0x39) {
      mantissa++;
      c = s.charCodeAt(++i);
    }
  }
  if (mantissa === 0) return false;
  if (i < to && (c === 0x65 || c === 0x45)) {
    c = s.charCodeAt(++i);
    if (c === 0x2b || c === 0x2d) c = s.charCodeAt(++i);
    const exponentFrom = i;
    while (i < to && c >= 0x30 && c <= 0x39) c = s.charCodeAt(++i);
    if (i === exponentFrom) return false;
  }
  return i === to;
}

/** Elasticsearch numeric coercion of a source value or query text; undefined when it is not a finite number. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  let from = 0;
  let to = value.length;
  while (from < to && value.charCodeAt(from) <= 0x20) from++;
  while (to > from && value.charCodeAt(to - 1) <= 0x20) to--;
  if (from === to || !isDecimal(value, from, to)) return undefined;
  const n = Number(from === 0 && to === value.length ? value : value.slice(from, to));
  return Number.isFinite(n) ? n : undefined;
}

/** Elasticsearch boolean coercion of a source value: true/false, "true"/"false", and "" (false); else undefined. */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false' || value === '') return false;
  return undefined;
}
