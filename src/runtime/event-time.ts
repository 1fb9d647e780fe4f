import { compilePath, readValues, type CompiledPath } from './field-access.js';

/**
 * An event's instant from a timestamp field, in epoch ms: a number as is, a string of digits as epoch ms,
 * otherwise an ISO 8601 date. NaN when the field is absent or unreadable.
 */
export function eventInstant(event: unknown, path: CompiledPath | string): number {
  const v = readValues(event, typeof path === 'string' ? compilePath(path) : path)[0];
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : Date.parse(v);
  return Number.NaN;
}
