// A decimal number as Elasticsearch's numeric fields accept it: optional sign, digits with an optional
// fraction (or a leading dot), optional exponent. No hex, no Infinity/NaN, no thousands separators.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Elasticsearch numeric coercion of a source value or query text; undefined when it is not a number. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!DECIMAL.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Elasticsearch boolean coercion: true/false, "true"/"false", and "" (false) for source values. */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false' || value === '') return false;
  return undefined;
}
