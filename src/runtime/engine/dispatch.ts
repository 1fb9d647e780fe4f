/**
 * The dispatch index: for each rule, a condition every matching event must meet (a field holding one of a
 * few exact values), so an event is evaluated only against the rules it could match. Rules without such an
 * anchor are evaluated for every event.
 */
import type { IrPredicate } from '../../ir/types.js';
import { compilePath, isPlainObject, readValues, type CompiledPath } from '../match/field-access.js';
import { keywordOf } from '../match/values.js';

/** One indexable fact: the field holds one of `values` (compared case-folded when `caseInsensitive`). */
export interface AnchorAtom {
  field: string;
  values: Set<string>;
  caseInsensitive: boolean;
}

/**
 * A necessary condition of a rule: every event it can match satisfies at least one of the atoms (usually
 * one field with a few values; several fields when the rule's condition is an `or` over different fields).
 */
export interface Anchor {
  atoms: AnchorAtom[];
  /** Estimated share of events that satisfy it (lower is better); used to pick among a rule's anchors. */
  cost: number;
}

/**
 * How common a field's values are in real data, relative to a specific field such as `process.name`:
 * categories, datasets and OS fields take few values, so an anchor on them rules out little.
 */
const FIELD_COST: Readonly<Record<string, number>> = {
  'event.kind': 60,
  'event.outcome': 60,
  'host.os.type': 60,
  'host.os.family': 60,
  'host.os.platform': 60,
  'host.os.name': 60,
  'agent.type': 60,
  'event.category': 50,
  'event.type': 40,
  'event.module': 40,
  'network.direction': 40,
  'network.transport': 40,
  'network.protocol': 20,
  'user.domain': 40,
  'data_stream.dataset': 30,
  'event.dataset': 30,
  'data_stream.type': 60,
  'event.provider': 10,
};

/** Fields nearly every event has and many rules test: cheap to add as a rule's second or third condition. */
const SHARED_FIELDS: ReadonlySet<string> = new Set(['event.category', 'event.type', 'event.action', 'event.code', 'event.outcome', 'event.dataset', 'event.module', 'event.provider', 'data_stream.dataset', 'host.os.type', 'host.os.family', 'host.os.name', 'process.name', 'process.parent.name']);

const atomCost = (a: AnchorAtom): number => (FIELD_COST[a.field] ?? 1) * (1 + a.values.size / 50);
const anchorOf = (atoms: AnchorAtom[]): Anchor => ({ atoms, cost: atoms.reduce((t, a) => t + atomCost(a), 0) });

/** Keeps the cheaper anchors first, and a bounded number of them. */
function best(anchors: Anchor[]): Anchor[] {
  return anchors.sort((a, b) => a.cost - b.cost).slice(0, 8);
}

/** The keyword equality a term node is, when it is one (the only kind of condition the index understands). */
function termAtom(p: IrPredicate): AnchorAtom | undefined {
  if (p.kind !== 'term' && p.kind !== 'terms') return undefined;
  if (p.type !== 'keyword') return undefined;
  const ci = p.caseInsensitive === true;
  const raw = p.kind === 'term' ? [String(p.value)] : p.values.map(String);
  return { field: p.field, values: new Set(raw.map((v) => (ci ? v.toLowerCase() : v))), caseInsensitive: ci };
}

/** Merges atoms on the same field and case mode (an `or` of two sets on one field is one larger set). */
function mergeAtoms(atoms: AnchorAtom[]): AnchorAtom[] {
  const byKey = new Map<string, AnchorAtom>();
  for (const a of atoms) {
    const key = `${a.caseInsensitive ? 'i' : 's'}|${a.field}`;
    const prior = byKey.get(key);
    if (prior) for (const v of a.values) prior.values.add(v);
    else byKey.set(key, { field: a.field, values: new Set(a.values), caseInsensitive: a.caseInsensitive });
  }
  return [...byKey.values()];
}

/**
 * Necessary conditions of a predicate, cheapest first. An `and` needs each child's conditions; an `or` needs
 * one of its branches, so its condition is the union of each branch's cheapest one (when every branch has one).
 */
function necessaryAnchors(p: IrPredicate): Anchor[] {
  const atom = termAtom(p);
  if (atom) return [anchorOf([atom])];
  if (p.kind === 'and') return best(p.args.flatMap(necessaryAnchors));
  if (p.kind === 'or') {
    if (p.args.length === 0) return [];
    const branches = p.args.map(necessaryAnchors);
    if (branches.some((b) => b.length === 0)) return [];
    // Any one necessary condition per branch, joined, is necessary for the `or`: pair the k-th cheapest of each
    // (a branch with fewer reuses its last), so the rule gets several conditions, not only the union of the best.
    const depth = Math.max(...branches.map((b) => b.length));
    const out: Anchor[] = [];
    for (let k = 0; k < Math.min(depth, 4); k++) out.push(anchorOf(mergeAtoms(branches.flatMap((b) => b[Math.min(k, b.length - 1)].atoms))));
    return best(out);
  }
  return [];
}

/** The cheapest necessary condition of a predicate, or undefined when it has none the index understands. */
export function findAnchor(predicate: IrPredicate): Anchor | undefined {
  return necessaryAnchors(predicate)[0];
}

/**
 * Up to `max` necessary conditions of a predicate, cheapest first, each on different atoms: an event must
 * meet all of them, so checking several rules out far more events than the single best one.
 */
export function findAnchors(predicate: IrPredicate, max = 5): Anchor[] {
  const out: Anchor[] = [];
  const seen = new Set<string>();
  for (const a of necessaryAnchors(predicate)) {
    const key = JSON.stringify(a.atoms.map((x) => [x.field, x.caseInsensitive, [...x.values].sort()]));
    if (seen.has(key)) continue;
    // Beyond the first, only conditions on fields most events carry anyway: each new field costs a read per event.
    if (out.length > 0 && !a.atoms.every((x) => SHARED_FIELDS.has(x.field))) continue;
    seen.add(key);
    out.push(a);
    if (out.length === max) break;
  }
  return out;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Whether some object key in the event contains a dot (`{"event.action": …}`); deep structures count as dotted. */
function hasDottedKey(v: unknown, depth: number): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (depth > 32) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (hasDottedKey(v[i], depth + 1)) return true;
    return false;
  }
  for (const key in v) {
    if (key.includes('.')) return true;
    if (hasDottedKey((v as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/** Array nesting deeper than this holds no indexable value (hostile input must not exhaust the stack). */
const MAX_ARRAY_NESTING = 64;

/** `readValues` for an event without dotted keys: one nested path, arrays flattened, nulls dropped. */
function readPlain(o: unknown, segments: readonly string[], i: number, out: unknown[], depth = 0): void {
  if (Array.isArray(o)) {
    if (depth < MAX_ARRAY_NESTING) for (let k = 0; k < o.length; k++) readPlain(o[k], segments, i, out, depth + 1);
    return;
  }
  if (typeof o !== 'object' || o === null) return;
  const key = segments[i];
  const v = (o as Record<string, unknown>)[key];
  if (v === undefined || v === null || !hasOwn.call(o, key)) return;
  if (i < segments.length - 1) readPlain(v, segments, i + 1, out, depth);
  else pushLeaves(v, out, depth);
}

function pushLeaves(v: unknown, out: unknown[], depth: number): void {
  if (Array.isArray(v)) {
    if (depth < MAX_ARRAY_NESTING) for (let k = 0; k < v.length; k++) pushLeaves(v[k], out, depth + 1);
  } else if (v !== null && v !== undefined) out.push(v);
}

interface FieldIndex {
  id: number;
  path: CompiledPath;
  /** Value → the rules whose primary condition that value meets (each rule once per value). */
  exact: Map<string, number[]>;
  folded: Map<string, number[]>;
}

/** A condition checked after lookup: the event must hold one of the values in one of the fields. */
interface Check {
  atoms: { field: number; values: ReadonlySet<string>; caseInsensitive: boolean }[];
}

/**
 * Rules (by position) indexed by their necessary conditions, plus those that must always be evaluated. A
 * rule is a candidate for an event when the event meets every one of its conditions. Only each rule's most
 * selective condition (its primary) is looked up by value; the others are checked for the rules that lookup
 * found, reading each field at most once per event. So an event with a common value (`event.type: start`)
 * walks only the few rules for which that value is the best filter, not every rule that also tests it.
 */
export class DispatchIndex {
  private readonly fields: FieldIndex[] = [];
  /** Indexed fields grouped by their first path segment, so a group is skipped when the event lacks it. */
  private readonly groups: { first: string; fields: FieldIndex[] }[] = [];
  private readonly always: number[] = [];
  /** Per rule: the conditions besides its primary one. */
  private readonly checks: Check[][];
  /** Every field conditions read, by id (primary fields first, as `fields`). */
  private readonly paths: CompiledPath[] = [];
  /** Per field id: the epoch its values were read in, and those values (as keyword text). */
  private readonly readEpoch: Uint32Array;
  private readonly readCache: string[][];
  private readonly ruleSeen: Uint32Array;
  private epoch = 0;
  private currentEvent: unknown;
  /** The current event spells no field with a dotted key, so each field has one path to read. */
  private plainEvent = false;
  readonly size: number;

  /** One entry per rule: its conditions (an anchor or a list of them), or undefined to always evaluate it. */
  constructor(anchors: readonly (Anchor | readonly Anchor[] | undefined)[]) {
    this.size = anchors.length;
    this.ruleSeen = new Uint32Array(anchors.length);
    const lists = anchors.map((given) => (given === undefined ? [] : Array.isArray(given) ? (given as readonly Anchor[]) : [given as Anchor]));
    // How many conditions test each value: a value many rules test is a common one, and a poor filter.
    const popularity = new Map<string, number>();
    const valueKey = (a: AnchorAtom, v: string): string => `${a.caseInsensitive ? 'i' : 's'}|${a.field}|${v}`;
    for (const list of lists) for (const anchor of list) for (const atom of anchor.atoms) for (const v of atom.values) popularity.set(valueKey(atom, v), (popularity.get(valueKey(atom, v)) ?? 0) + 1);
    const weight = (anchor: Anchor): number => anchor.atoms.reduce((t, atom) => t + [...atom.values].reduce((u, v) => u + (popularity.get(valueKey(atom, v)) ?? 0), 0), 0);

    const fieldIds = new Map<string, number>();
    const fieldId = (name: string): number => {
      let id = fieldIds.get(name);
      if (id === undefined) {
        id = this.paths.length;
        fieldIds.set(name, id);
        this.paths.push(compilePath(name));
      }
      return id;
    };
    const byField = new Map<string, FieldIndex>();
    this.checks = lists.map((list, i) => {
      if (list.length === 0) {
        this.always.push(i);
        return [];
      }
      let primary = 0;
      for (let k = 1; k < list.length; k++) if (weight(list[k]) < weight(list[primary])) primary = k;
      for (const atom of list[primary].atoms) {
        let index = byField.get(atom.field);
        if (!index) {
          index = { id: fieldId(atom.field), path: compilePath(atom.field), exact: new Map(), folded: new Map() };
          byField.set(atom.field, index);
          this.fields.push(index);
        }
        const table = atom.caseInsensitive ? index.folded : index.exact;
        for (const v of atom.values) {
          const ids = table.get(v);
          if (!ids) table.set(v, [i]);
          else if (ids[ids.length - 1] !== i) ids.push(i);
        }
      }
      return list
        .filter((_, k) => k !== primary)
        .map((anchor) => ({ atoms: anchor.atoms.map((atom) => ({ field: fieldId(atom.field), values: atom.values, caseInsensitive: atom.caseInsensitive })) }));
    });
    this.readEpoch = new Uint32Array(this.paths.length);
    this.readCache = this.paths.map(() => []);
    const byFirst = new Map<string, FieldIndex[]>();
    for (const f of this.fields) {
      const first = f.path.segments[0] ?? '';
      const list = byFirst.get(first);
      if (list) list.push(f);
      else byFirst.set(first, [f]);
    }
    for (const [first, fields] of byFirst) this.groups.push({ first, fields });
  }

  /**
   * Positions of the rules that could match `event`, in ascending order, each once. `dottedKeys`: whether the
   * event has a dotted key anywhere, when the caller already knows (the engine's admission walk does); else
   * the index finds out itself.
   */
  candidates(event: unknown, dottedKeys?: boolean): number[] {
    const out = this.always.slice();
    if (this.fields.length === 0) return out;
    // A per-call epoch marks fields read and rules seen, without clearing arrays for every event.
    this.epoch = (this.epoch + 1) >>> 0;
    if (this.epoch === 0) {
      this.readEpoch.fill(0);
      this.ruleSeen.fill(0);
      this.epoch = 1;
    }
    this.currentEvent = event;
    this.plainEvent = dottedKeys === undefined ? !hasDottedKey(event, 0) : !dottedKeys;
    let added = false;
    // With no dotted key at the top level, a field whose first segment is absent cannot have a value.
    let skippable = isPlainObject(event);
    if (skippable && !this.plainEvent) for (const key in event as Record<string, unknown>) if (key.includes('.')) skippable = false;
    for (const g of this.groups) {
      if (skippable && (event as Record<string, unknown>)[g.first] == null) continue;
      for (const f of g.fields) added = this.collect(f, out) || added;
    }
    this.currentEvent = undefined;
    // Rules run in load order whatever index found them, so alerts come out in a stable order.
    if (added) out.sort((a, b) => a - b);
    return out;
  }

  /** The event's values of a field as keyword text, read once per event. */
  private valuesOf(field: number): string[] {
    if (this.readEpoch[field] === this.epoch) return this.readCache[field];
    const out: string[] = [];
    const raw: unknown[] = [];
    if (this.plainEvent) readPlain(this.currentEvent, this.paths[field].segments, 0, raw);
    else raw.push(...readValues(this.currentEvent, this.paths[field]));
    for (let k = 0; k < raw.length; k++) {
      const text = keywordOf(raw[k]);
      if (text !== undefined) out.push(text);
    }
    this.readEpoch[field] = this.epoch;
    this.readCache[field] = out;
    return out;
  }

  /** Adds the rules whose primary condition the event's values of `f` meet and whose other conditions hold. */
  private collect(f: FieldIndex, out: number[]): boolean {
    let added = false;
    const values = this.valuesOf(f.id);
    for (let k = 0; k < values.length; k++) {
      const text = values[k];
      const exact = f.exact.size > 0 ? f.exact.get(text) : undefined;
      const folded = f.folded.size > 0 ? f.folded.get(text.toLowerCase()) : undefined;
      if (exact) added = this.admit(exact, out) || added;
      if (folded) added = this.admit(folded, out) || added;
    }
    return added;
  }

  private admit(rules: readonly number[], out: number[]): boolean {
    let added = false;
    for (let j = 0; j < rules.length; j++) {
      const rule = rules[j];
      if (this.ruleSeen[rule] === this.epoch) continue;
      this.ruleSeen[rule] = this.epoch;
      if (this.passes(this.checks[rule])) {
        out.push(rule);
        added = true;
      }
    }
    return added;
  }

  /** Whether the event meets every one of the conditions (each: some atom's field holds one of its values). */
  private passes(checks: readonly Check[]): boolean {
    for (let c = 0; c < checks.length; c++) {
      let met = false;
      for (const atom of checks[c].atoms) {
        const values = this.valuesOf(atom.field);
        for (let k = 0; k < values.length && !met; k++) met = atom.values.has(atom.caseInsensitive ? values[k].toLowerCase() : values[k]);
        if (met) break;
      }
      if (!met) return false;
    }
    return true;
  }

  /** How many rules have no anchor and are evaluated for every event. */
  get unanchored(): number {
    return this.always.length;
  }
}
