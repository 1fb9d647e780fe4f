/**
 * The engine's admission check: what an event must look like before any rule reads it. Everything past this
 * point (field reads, free text, alerts, JSON output) walks at most the structure admitted here, so a hostile
 * event costs at most `maxValues` steps here and a bounded amount of work afterwards.
 */
import { FieldTable } from './field-table.js';

/** Why the engine skipped an event without evaluating any rule on it. */
export type SkipReason = 'notAnObject' | 'tooDeep' | 'tooLarge';

/** Limits on the structure of an event the engine evaluates. */
export interface EventLimits {
  /** Most levels of nested objects and arrays (the event object itself is level 1). */
  maxDepth: number;
  /** Most JSON values in the event (every object, array, array element and property value counts). */
  maxValues: number;
}

/** Defaults: far beyond real ECS events (about 10 levels, a few hundred values), far below what hurts. */
export const DEFAULT_EVENT_LIMITS: Readonly<EventLimits> = { maxDepth: 64, maxValues: 100_000 };

/** A field table with no fields: filling it is the admission walk alone. */
const admissionOnly = new FieldTable([]);

/**
 * Why `event` must be skipped, or undefined when it is a JSON object within `limits`. Recursion is bounded by
 * `maxDepth` and steps by `maxValues`, whatever the input: the same walk the engine's field table does.
 */
export function checkEvent(event: unknown, limits: Readonly<EventLimits>): SkipReason | undefined {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return 'notAnObject';
  const reason = admissionOnly.fill(event as Record<string, unknown>, limits);
  admissionOnly.clear();
  return reason;
}
