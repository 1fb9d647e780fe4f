/**
 * The dispatch index: for each rule, a condition every matching event must meet (a field holding one of a
 * few exact values), so an event is evaluated only against the rules it could match. Rules without such an
 * anchor are evaluated for every event.
 */
import type { IrPredicate } from '../ir/types.js';
import { compilePath, readValues, type CompiledPath } from './field-access.js';
import { keywordOf } from './values.js';

/** A necessary condition: the field holds one of `values` (compared case-folded when `caseInsensitive`). */
export interface Anchor {
  field: string;
  values: Set<string>;
  caseInsensitive: boolean;
}

/** Fields worth indexing, most selective first; an anchor on an earlier field is preferred. */
export const ANCHOR_FIELDS: readonly string[] = [
  'event.action',
  'event.code',
  'process.name',
  'event.provider',
  'event.category',
  'event.type',
  'event.dataset',
  'data_stream.dataset',
];

type Conditions = Map<string, { values: Set<string>; caseInsensitive: boolean }>;

/** The exact keyword (or case-folded) values a term node accepts, when it is a plain keyword equality. */
function termValues(p: IrPredicate): { field: string; values: string[]; caseInsensitive: boolean } | undefined {
  if (p.kind === 'term' && p.type === 'keyword') return { field: p.field, values: [String(p.value)], caseInsensitive: p.caseInsensitive === true };
  if (p.kind === 'terms' && p.type === 'keyword') return { field: p.field, values: p.values.map(String), caseInsensitive: p.caseInsensitive === true };
  return undefined;
}

/**
 * Conditions that hold for every event the predicate accepts: per field, a set of values one of which the
 * field must hold. `and` keeps any child's condition; `or` keeps a field only when every branch constrains it.
 */
function necessaryConditions(p: IrPredicate): Conditions {
  const direct = termValues(p);
  if (direct) {
    const fold = (v: string) => (direct.caseInsensitive ? v.toLowerCase() : v);
    return new Map([[direct.field, { values: new Set(direct.values.map(fold)), caseInsensitive: direct.caseInsensitive }]]);
  }
  if (p.kind === 'and') {
    const out: Conditions = new Map();
    for (const child of p.args) {
      for (const [field, cond] of necessaryConditions(child)) {
        const prior = out.get(field);
        // Keep the smaller set when two conjuncts constrain the same field (either is necessary).
        if (!prior || cond.values.size < prior.values.size) out.set(field, cond);
      }
    }
    return out;
  }
  if (p.kind === 'or') {
    if (p.args.length === 0) return new Map();
    const branches = p.args.map(necessaryConditions);
    const out: Conditions = new Map();
    for (const [field, first] of branches[0]) {
      const all = branches.map((b) => b.get(field));
      if (all.some((c) => !c || c.caseInsensitive !== first.caseInsensitive)) continue;
      const values = new Set<string>();
      for (const c of all) for (const v of c!.values) values.add(v);
      out.set(field, { values, caseInsensitive: first.caseInsensitive });
    }
    return out;
  }
  return new Map();
}

/** The best anchor of a predicate: on the most selective indexable field it constrains. */
export function findAnchor(predicate: IrPredicate, fields: readonly string[] = ANCHOR_FIELDS): Anchor | undefined {
  const conditions = necessaryConditions(predicate);
  for (const field of fields) {
    const c = conditions.get(field);
    if (c && c.values.size > 0) return { field, values: c.values, caseInsensitive: c.caseInsensitive };
  }
  return undefined;
}

interface FieldIndex {
  path: CompiledPath;
  exact: Map<string, number[]>;
  folded: Map<string, number[]>;
}

/** Rules (by position) grouped by their anchors, plus those that must always be evaluated. */
export class DispatchIndex {
  private readonly fields: FieldIndex[] = [];
  private readonly always: number[] = [];
  private readonly marks: Uint32Array;
  private epoch = 0;
  readonly size: number;

  constructor(anchors: readonly (Anchor | undefined)[]) {
    this.size = anchors.length;
    this.marks = new Uint32Array(anchors.length);
    const byField = new Map<string, FieldIndex>();
    anchors.forEach((anchor, i) => {
      if (!anchor) {
        this.always.push(i);
        return;
      }
      let index = byField.get(anchor.field);
      if (!index) {
        index = { path: compilePath(anchor.field), exact: new Map(), folded: new Map() };
        byField.set(anchor.field, index);
        this.fields.push(index);
      }
      const table = anchor.caseInsensitive ? index.folded : index.exact;
      for (const v of anchor.values) {
        const list = table.get(v);
        if (list) list.push(i);
        else table.set(v, [i]);
      }
    });
  }

  /** Positions of the rules that could match `event`, in ascending order, each once. */
  candidates(event: unknown): number[] {
    const out = this.always.slice();
    if (this.fields.length === 0) return out;
    // A per-call epoch marks rules already added, without clearing an array for every event.
    this.epoch = (this.epoch + 1) >>> 0;
    if (this.epoch === 0) {
      this.marks.fill(0);
      this.epoch = 1;
    }
    const epoch = this.epoch;
    let added = false;
    for (const f of this.fields) {
      const values = readValues(event, f.path);
      for (let k = 0; k < values.length; k++) {
        const text = keywordOf(values[k]);
        if (text === undefined) continue;
        const exact = f.exact.size > 0 ? f.exact.get(text) : undefined;
        const folded = f.folded.size > 0 ? f.folded.get(text.toLowerCase()) : undefined;
        for (const list of [exact, folded]) {
          if (!list) continue;
          for (const i of list) {
            if (this.marks[i] !== epoch) {
              this.marks[i] = epoch;
              out.push(i);
              added = true;
            }
          }
        }
      }
    }
    // Rules run in load order whatever index found them, so alerts come out in a stable order.
    if (added) out.sort((a, b) => a - b);
    return out;
  }

  /** How many rules have no anchor and are evaluated for every event. */
  get unanchored(): number {
    return this.always.length;
  }
}
