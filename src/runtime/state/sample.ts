/**
 * EQL samples over a finite set of events: group each stage's matching events by join key values, keep the
 * keys every stage has, and build samples of one event per stage. Keys come out in ascending order (null
 * first; numbers by value, text by code point), as Elasticsearch's composite aggregation pages them.
 */
import type { IrSample } from '../../ir/types.js';
import type { EqlScalar } from '../match/eql-functions.js';
import { keyString, keyTuples, linkStage } from './join-keys.js';
import type { LinkOptions } from '../match/link.js';
import { compareCodePoints } from '../match/values.js';

/** One sample: an event per stage (in stage order) and the join key values. */
export interface SampleMatch {
  events: unknown[];
  joinKeys: EqlScalar[];
}

export interface SampleOptions extends LinkOptions {
  /** Samples per key (Elasticsearch's `max_samples_per_key`, default 1). */
  maxSamplesPerKey?: number;
  /** Partitioned runs: only keys this returns true for are sampled here. */
  ownsKey?: (key: string) => boolean;
}

function compareScalar(a: EqlScalar, b: EqlScalar): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a !== typeof b) return typeof a < typeof b ? -1 : 1;
  return compareCodePoints(String(a), String(b));
}

function compareKeys(a: EqlScalar[], b: EqlScalar[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareScalar(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** Finds the samples of `sample` among `events` (scanned once, in the order given). */
export function findSamples(sample: IrSample, events: Iterable<unknown>, options: SampleOptions = {}): SampleMatch[] {
  const perKey = options.maxSamplesPerKey ?? 1;
  const stages = sample.stages.map((s) => linkStage(s, options));
  const buckets = stages.map(() => new Map<string, { keys: EqlScalar[]; events: unknown[] }>());
  for (const event of events) {
    stages.forEach((stage, k) => {
      if (!stage.matches(event)) return;
      for (const keys of keyTuples(stage, event)) {
        const id = keyString(keys);
        if (options.ownsKey && !options.ownsKey(id)) continue;
        let bucket = buckets[k].get(id);
        if (!bucket) buckets[k].set(id, (bucket = { keys, events: [] }));
        if (bucket.events.length < perKey && !bucket.events.includes(event)) bucket.events.push(event);
      }
    });
  }
  const shared = [...buckets[0].values()].filter((b) => buckets.every((m) => m.has(keyString(b.keys))));
  shared.sort((a, b) => compareKeys(a.keys, b.keys));
  const out: SampleMatch[] = [];
  for (const { keys } of shared) {
    const id = keyString(keys);
    const lists = buckets.map((m) => m.get(id)!.events);
    const count = Math.min(perKey, Math.max(...lists.map((l) => l.length)));
    for (let i = 0; i < count; i++) out.push({ events: lists.map((l) => l[Math.min(i, l.length - 1)]), joinKeys: keys });
  }
  return out;
}
