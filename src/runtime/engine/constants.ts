/**
 * Per-source constant fields: what an Elasticsearch data stream adds to every document at index time
 * (`data_stream.*` constant_keyword fields, `event.dataset`, `event.module`) and `event.ingested`, which the
 * final pipeline sets to the arrival time. Applied copy-on-write: the caller's event is never modified.
 */
import { compilePath, isPlainObject, readValues, type CompiledPath } from '../match/field-access.js';

/** Dotted field name → value. */
export type ConstantFields = Readonly<Record<string, string | number | boolean | readonly (string | number | boolean)[]>>;

interface CompiledConstant {
  path: CompiledPath;
  segments: string[];
  value: unknown;
}

export interface CompiledConstants {
  list: CompiledConstant[];
  ingested: CompiledConstant;
}

/** Prepares constant fields once, so applying them costs a lookup per field per event. */
export function compileConstants(fields: ConstantFields): CompiledConstants {
  const list = Object.entries(fields).map(([name, value]) => ({ path: compilePath(name), segments: name.split('.'), value }));
  return { list, ingested: { path: compilePath('event.ingested'), segments: ['event', 'ingested'], value: undefined } };
}

/**
 * An own data property, whatever the key: `target[key] = value` with key `__proto__` would replace the copy's
 * prototype instead, and spreads (`{ ...event }`) already copy an event's own `__proto__` key as data.
 */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Copies `event` along `segments` (only the objects on that path) and sets the leaf. */
function setCopied(root: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let node = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i];
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    const copy: Record<string, unknown> = isPlainObject(next) ? { ...next } : {};
    define(node, key, copy);
    node = copy;
  }
  define(node, segments[segments.length - 1], value);
}

/**
 * The event with each constant field set where the event has no value for it (a value the event carries
 * wins, as a document's own field would). `arrival` (epoch ms), when given, fills a missing `event.ingested`.
 * Events that are not JSON objects are returned unchanged.
 */
export function applyConstants(event: unknown, constants: CompiledConstants, arrival?: number): unknown {
  if (!isPlainObject(event)) return event;
  let out: Record<string, unknown> | undefined;
  for (const c of constants.list) {
    if (readValues(out ?? event, c.path).length > 0) continue;
    out ??= { ...event };
    setCopied(out, c.segments, c.value);
  }
  const ingested = arrival === undefined ? undefined : new Date(arrival);
  // An arrival outside the Date range (NaN, 1e300) is no instant; toISOString would throw on it.
  if (ingested !== undefined && !Number.isNaN(ingested.getTime()) && readValues(out ?? event, constants.ingested.path).length === 0) {
    out ??= { ...event };
    setCopied(out, constants.ingested.segments, ingested.toISOString());
  }
  return out ?? event;
}
