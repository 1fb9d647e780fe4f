/**
 * The engine's admission check: what an event must look like before any rule reads it. Everything past this
 * point (field reads, free text, alerts, JSON output) walks at most the structure admitted here, so a hostile
 * event costs at most `maxValues` steps here and a bounded amount of work afterwards.
 */

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

// The walk keeps its budget in module state rather than in a closure or return value: it runs for every
// event, and this keeps it allocation-free.
let budget = 0;
/** Whether the event last checked spells a key with a dot (`{"event.action": …}`) at any level. */
let dotted = false;
const TOO_DEEP = 1;
const TOO_LARGE = 2;

function walk(v: unknown, depthLeft: number): number {
  if (depthLeft === 0) return TOO_DEEP;
  if (Array.isArray(v)) {
    // Charged up front, so a million-element array is refused in one step rather than a million.
    budget -= v.length;
    if (budget < 0) return TOO_LARGE;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x === 'object' && x !== null) {
        const r = walk(x, depthLeft - 1);
        if (r !== 0) return r;
      }
    }
    return 0;
  }
  const o = v as Record<string, unknown>;
  for (const key in o) {
    if (--budget < 0) return TOO_LARGE;
    if (!dotted && key.includes('.')) dotted = true;
    const x = o[key];
    if (typeof x === 'object' && x !== null) {
      const r = walk(x, depthLeft - 1);
      if (r !== 0) return r;
    }
  }
  return 0;
}

/**
 * Why `event` must be skipped, or undefined when it is a JSON object within `limits`. Recursion is bounded by
 * `maxDepth` and steps by `maxValues`, whatever the input.
 */
export function checkEvent(event: unknown, limits: Readonly<EventLimits>): SkipReason | undefined {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return 'notAnObject';
  budget = limits.maxValues;
  dotted = false;
  const r = walk(event, limits.maxDepth);
  return r === 0 ? undefined : r === TOO_DEEP ? 'tooDeep' : 'tooLarge';
}

/**
 * Whether the event `checkEvent` last admitted has a dotted key anywhere: the walk that bounds it sees every
 * key, so the dispatch index learns this without walking the event again.
 */
export function lastCheckedHasDottedKeys(): boolean {
  return dotted;
}
