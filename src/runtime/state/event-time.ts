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
  const ms = typeof v === 'number' ? v : typeof v === 'string' ? (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : Date.parse(v)) : Number.NaN;
  // Outside the range of a Date (±8.64e15 ms, e.g. 1e400 → Infinity) a value is no instant; ordering by it would be noise.
  return Math.abs(ms) <= 8.64e15 ? ms : Number.NaN;
}
