/**
 * Join keys of sequence and sample stages: a multi-valued key field joins under each of its values (the
 * cartesian product across keys, as Elasticsearch does); a null key only for `?optional` fields.
 */
import type { IrStage } from '../ir/types.js';
import { linkValues } from './eql-eval.js';
import type { EqlScalar } from './eql-functions.js';
import { linkPredicate, type LinkOptions, type Matcher } from './link.js';

/** A linked stage: its filter and the functions reading its join keys. */
export interface LinkedStage {
  matches: Matcher;
  keys: ((event: unknown) => EqlScalar[])[];
  optional: boolean[];
}

/** The values of a stage's join keys for one event. */
export type KeyTuple = EqlScalar[];

/** Links a stage of a sequence or sample. */
export function linkStage(stage: IrStage, options: LinkOptions): LinkedStage {
  return { matches: linkPredicate(stage.predicate, options), keys: stage.keys.map(linkValues), optional: stage.optionalKeys };
}

/**
 * The join key tuples of `event` for a stage. A multi-valued key field joins under each of its values (the
 * cartesian product across keys, as Elasticsearch does); a null key is allowed only for `?optional` fields.
 */
export function keyTuples(stage: LinkedStage, event: unknown): KeyTuple[] {
  if (stage.keys.length === 1) {
    // The common case (one `by` field) without building a cartesian product.
    const values = stage.keys[0](event);
    if (values.length === 1) return [values];
    if (values.length === 0) return stage.optional[0] ? [[null]] : [];
    return values.map((v) => [v]);
  }
  let tuples: KeyTuple[] = [[]];
  for (let i = 0; i < stage.keys.length; i++) {
    let values: EqlScalar[] = stage.keys[i](event);
    if (values.length === 0) {
      if (!stage.optional[i]) return [];
      values = [null];
    }
    tuples = tuples.flatMap((t) => values.map((v) => [...t, v]));
  }
  return tuples;
}

/** A map key for a key tuple; one string key of a single string value is the value itself, tagged. */
export function keyString(keys: KeyTuple): string {
  if (keys.length === 1 && typeof keys[0] === 'string') return `s${keys[0]}`;
  return `j${JSON.stringify(keys)}`;
}
