/**
 * The order Elasticsearch's EQL search returns events in: by the timestamp field, then the tiebreaker field,
 * then (standing in for `_shard_doc`) the order the events were read. A `date_nanos` timestamp orders at
 * nanosecond precision; a `date` one at the millisecond, so events within one millisecond fall to the
 * tiebreaker.
 */
import { parseDate, parseDateNanos } from '../runtime/primitives/dates.js';
import { compilePath, readValues } from '../runtime/match/field-access.js';
import { compareCodePoints } from '../runtime/match/values.js';

/** Where an event sits in Elasticsearch's order. */
export interface OrderKey {
  /** Epoch ns (date_nanos) or ms (date); undefined when the event has no readable timestamp. */
  time: bigint | number | undefined;
  /** Epoch ms with any sub-millisecond part as a fraction (for maxspan); NaN without a timestamp. */
  ms: number;
  tiebreaker: unknown;
  position: number;
}

export interface OrderOptions {
  timestampField: string;
  tiebreakerField?: string;
  /** The timestamp field is `date_nanos`. */
  nanos: boolean;
}

/** Builds the function giving each event its place (`position` = arrival number). */
export function orderKeyReader(options: OrderOptions): (event: unknown, position: number) => OrderKey {
  const ts = compilePath(options.timestampField);
  const tb = options.tiebreakerField !== undefined ? compilePath(options.tiebreakerField) : undefined;
  return (event, position) => {
    const raw = readValues(event, ts)[0];
    const tiebreaker = tb ? readValues(event, tb)[0] : undefined;
    if (options.nanos) {
      const time = parseDateNanos(raw, false);
      const ms = time === undefined ? Number.NaN : Number(time / 1_000_000n) + Number(time % 1_000_000n) / 1e6;
      return { time, ms, tiebreaker, position };
    }
    const time = parseDate(raw, false);
    // Outside the range of a Date (±8.64e15 ms) a value is no instant; ordering by it would be noise.
    const ok = time !== undefined && Math.abs(time) <= 8.64e15;
    return { time: ok ? time : undefined, ms: ok ? time : Number.NaN, tiebreaker, position };
  };
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  // Missing values sort last, as in an Elasticsearch sort.
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : 1;
  const na = Number(a);
  const nb = Number(b);
  if (typeof a !== 'object' && typeof b !== 'object' && !Number.isNaN(na) && !Number.isNaN(nb) && String(a).trim() !== '' && String(b).trim() !== '') return na - nb;
  return compareCodePoints(String(a), String(b));
}

/** Orders two events: timestamp, tiebreaker, arrival; events without a timestamp last. */
export function compareOrderKeys(a: OrderKey, b: OrderKey): number {
  return compareValues(a.time, b.time) || compareValues(a.tiebreaker, b.tiebreaker) || a.position - b.position;
}
