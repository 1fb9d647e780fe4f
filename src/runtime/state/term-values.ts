/**
 * The term values an aggregation groups an event under: each field's non-null scalar values, and for several
 * fields their cartesian product (a terms or composite aggregation puts a multi-valued document in every
 * bucket it can). An event missing any field is in no bucket.
 */
import { compilePath, readValues, type CompiledPath } from '../match/field-access.js';

export type TermValue = string | number | boolean;

/** At most this many combinations per event; the rest are dropped and counted by the caller. */
export const MAX_TERM_COMBINATIONS = 1_000;

/** Compiled paths of the grouping fields. */
export function compileTermFields(fields: readonly string[]): CompiledPath[] {
  return fields.map((f) => compilePath(f));
}

function scalars(event: unknown, path: CompiledPath): TermValue[] {
  const out: TermValue[] = [];
  const seen = new Set<string>();
  for (const v of readValues(event, path)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    const k = typeof v === 'string' ? `s${v}` : `${typeof v}${String(v)}`;
    if (seen.has(k)) continue; // a bucket counts a document once, however often it repeats a value
    seen.add(k);
    out.push(v);
  }
  return out;
}

/** The combinations of values `event` holds (empty when a field is missing), and whether some were dropped. */
export function termCombinations(event: unknown, paths: readonly CompiledPath[]): { combos: TermValue[][]; truncated: boolean } {
  let combos: TermValue[][] = [[]];
  let truncated = false;
  for (const path of paths) {
    const values = scalars(event, path);
    if (values.length === 0) return { combos: [], truncated: false };
    const next: TermValue[][] = [];
    for (const c of combos) {
      for (const v of values) {
        if (next.length >= MAX_TERM_COMBINATIONS) {
          truncated = true;
          break;
        }
        next.push([...c, v]);
      }
    }
    combos = next;
  }
  return { combos, truncated };
}

/** A stable text key of a combination (types kept apart: 1 and "1" are different terms). */
export function comboKey(values: readonly TermValue[]): string {
  return JSON.stringify(values);
}

/** Composite-aggregation order: value by value, numbers before text, numbers by value, text by code unit. */
export function compareCombos(a: readonly TermValue[], b: readonly TermValue[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const tx = typeof x === 'string' ? 1 : 0;
    const ty = typeof y === 'string' ? 1 : 0;
    if (tx !== ty) return tx - ty;
    if (tx === 0) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
