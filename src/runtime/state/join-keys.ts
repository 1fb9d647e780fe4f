/**
 * Join keys of sequence and sample stages: a multi-valued key field joins under each of its values (the
 * cartesian product across keys, as Elasticsearch does); a null key only for `?optional` fields.
 */
import type { IrStage } from '../../ir/types.js';
import { parseDate } from '../primitives/dates.js';
import { linkValues } from '../match/eql-eval.js';
import type { EqlScalar } from '../match/eql-functions.js';
import { linkPredicate, type LinkOptions, type Matcher } from '../match/link.js';

/** A linked stage: its filter and the functions reading its join keys. */
export interface LinkedStage {
  matches: Matcher;
  keys: ((event: unknown) => EqlScalar[])[];
  optional: boolean[];
}

/** The values of a stage's join keys for one event. */
export type KeyTuple = EqlScalar[];

/**
 * Most key tuples one event joins under. Multi-valued keys multiply (two keys of 1,000 values each make a
 * million tuples), and each tuple can hold a pending partial: without a cap one hostile event could fill a
 * rule's whole partial-sequence budget and evict every legitimate partial.
 */
export const MAX_KEY_TUPLES = 1_000;

/** Counts events whose key tuples were cut to MAX_KEY_TUPLES. */
export interface KeyTupleCounter {
  truncated: number;
}

/**
 * How date keys are given: `epoch` (ms, as a sample's composite aggregation keys them) or `iso` (ISO 8601,
 * as a sequence's fields read them).
 */
export type DateKeyForm = 'epoch' | 'iso';

/** A date key's values as instants; a value that is no date stays as it is. */
function dateKey(read: (event: unknown) => EqlScalar[], form: DateKeyForm): (event: unknown) => EqlScalar[] {
  return (event) =>
    read(event).map((v) => {
      const ms = parseDate(v, false);
      if (ms === undefined) return v;
      return form === 'epoch' ? ms : Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : v;
    });
}

/** Links a stage of a sequence or sample. */
export function linkStage(stage: IrStage, options: LinkOptions, dateForm: DateKeyForm = 'iso'): LinkedStage {
  const keys = stage.keys.map((k, i) => (stage.keyTypes?.[i] ? dateKey(linkValues(k), dateForm) : linkValues(k)));
  return { matches: linkPredicate(stage.predicate, options), keys, optional: stage.optionalKeys };
}

/**
 * The join key tuples of `event` for a stage. A multi-valued key field joins under each of its values (the
 * cartesian product across keys, as Elasticsearch does); a null key is allowed only for `?optional` fields.
 */
export function keyTuples(stage: LinkedStage, event: unknown, counter?: KeyTupleCounter): KeyTuple[] {
  if (stage.keys.length === 1) {
    // The common case (one `by` field) without building a cartesian product.
    const values = stage.keys[0](event);
    if (values.length === 1) return [values];
    if (values.length === 0) return stage.optional[0] ? [[null]] : [];
    if (values.length > MAX_KEY_TUPLES) {
      if (counter) counter.truncated++;
      return values.slice(0, MAX_KEY_TUPLES).map((v) => [v]);
    }
    return values.map((v) => [v]);
  }
  let tuples: KeyTuple[] = [[]];
  let cut = false;
  for (let i = 0; i < stage.keys.length; i++) {
    let values: EqlScalar[] = stage.keys[i](event);
    if (values.length === 0) {
      if (!stage.optional[i]) return [];
      values = [null];
    }
    const next: KeyTuple[] = [];
    // The product is built only up to the cap, so its cost is bounded too, not just its result.
    outer: for (const t of tuples) {
      for (const v of values) {
        if (next.length === MAX_KEY_TUPLES) {
          cut = true;
          break outer;
        }
        next.push([...t, v]);
      }
    }
    tuples = next;
  }
  if (cut && counter) counter.truncated++;
  return tuples;
}

/** A map key for a key tuple; one string key of a single string value is the value itself, tagged. */
export function keyString(keys: KeyTuple): string {
  if (keys.length === 1 && typeof keys[0] === 'string') return `s${keys[0]}`;
  return `j${JSON.stringify(keys)}`;
}
