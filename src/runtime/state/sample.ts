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
  /** Stop after this many samples (Elasticsearch's `size`, when no tail is asked for). */
  limit?: number;
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

/**
 * Picks up to `perKey` samples from the candidate lists of one key, as Elasticsearch's backtracking does: a
 * depth-first walk over the stages in candidate order that never puts one event in two stages of a sample.
 */
function pickSamples(lists: readonly unknown[][], perKey: number): unknown[][] {
  const out: unknown[][] = [];
  const partial: unknown[] = [];
  const walk = (stage: number): void => {
    for (const event of lists[stage]) {
      if (out.length === perKey) return;
      if (partial.includes(event)) continue;
      partial.push(event);
      if (stage === lists.length - 1) out.push([...partial]);
      else walk(stage + 1);
      partial.pop();
    }
  };
  walk(0);
  return out;
}

/**
 * Finds the samples of `sample` among `events` (scanned once, in the order given, which stands for
 * Elasticsearch's index order). Per stage and key, the candidates are the first `stages + perKey - 1`
 * matching events (the most Elasticsearch fetches for a key); the samples of a key are the first `perKey`
 * combinations of distinct events, and keys come out in ascending order.
 */
export function findSamples(sample: IrSample, events: Iterable<unknown>, options: SampleOptions = {}): SampleMatch[] {
  const perKey = Math.max(1, options.maxSamplesPerKey ?? 1);
  const stages = sample.stages.map((s) => linkStage(s, options, 'epoch'));
  const candidates = stages.length + perKey - 1;
  const buckets = stages.map(() => new Map<string, { keys: EqlScalar[]; events: unknown[] }>());
  for (const event of events) {
    stages.forEach((stage, k) => {
      if (!stage.matches(event)) return;
      for (const keys of keyTuples(stage, event)) {
        const id = keyString(keys);
        if (options.ownsKey && !options.ownsKey(id)) continue;
        let bucket = buckets[k].get(id);
        if (!bucket) buckets[k].set(id, (bucket = { keys, events: [] }));
        if (bucket.events.length < candidates && !bucket.events.includes(event)) bucket.events.push(event);
      }
    });
  }
  const shared = [...buckets[0].values()].filter((b) => buckets.every((m) => m.has(keyString(b.keys))));
  shared.sort((a, b) => compareKeys(a.keys, b.keys));
  const limit = options.limit ?? Infinity;
  const out: SampleMatch[] = [];
  for (const { keys } of shared) {
    if (out.length >= limit) break;
    const id = keyString(keys);
    for (const events of pickSamples(buckets.map((m) => m.get(id)!.events), Math.min(perKey, limit - out.length))) out.push({ events, joinKeys: keys });
  }
  return out;
}
