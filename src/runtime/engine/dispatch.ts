/**
 * The dispatch index, driven by the event's own values: a table keyed by (field slot, value) → rules, probed
 * with the values the field table holds for the event, so its cost grows with the event's indexed values,
 * not with the number of rules or anchor fields. A rule is a candidate only when the event meets every one of
 * its necessary conditions (anchors.ts): its most selective one (its primary) is looked up by value, the others
 * are checked for the rules that look-up found. Rules without conditions are candidates for every event.
 */
import type { Anchor, AnchorAtom } from './anchors.js';
import { FieldTable } from './field-table.js';
import { foldCache, type FoldCache } from './rule-code.js';
import { toNumber } from '../primitives/numbers.js';
import { keywordOf } from '../match/values.js';

export { findAnchor, findAnchors, type Anchor, type AnchorAtom } from './anchors.js';

/** An atom as the index tests it: on a slot, with its literals ready for probing. */
interface SlotAtom {
  kind: AnchorAtom['kind'];
  slot: number;
  values: ReadonlySet<string>;
  /** The value when there is only one: a compare instead of a set look-up. */
  single: string | undefined;
  literals: readonly string[];
  numbers: ReadonlySet<number>;
  caseInsensitive: boolean;
  offset: number;
  integer: boolean;
}

/** A condition checked after look-up: one of its atoms holds. */
interface Check {
  /** Ids of the atoms (see `DispatchIndex.atoms`): rules share atoms, and each is decided once per event. */
  atoms: Int32Array;
}

/** Literals by their characters, one character per step while building (from a value's start, or its end). */
interface TrieNode {
  next: Map<number, TrieNode> | undefined;
  rules: number[] | undefined;
}

/**
 * The same literals as a radix tree for probing: each node holds the run of characters (`label`, as they read
 * in the value) that leads to it, so a chain of characters is one native string compare, not a step each.
 */
interface RadixNode {
  label: string;
  rules: Int32Array | undefined;
  /** Children by the code unit a value must have next (after the label, or before it for suffixes). */
  next: Map<number, RadixNode> | undefined;
}

/** Prefix (after `offset` code points) or suffix literals of one slot and case mode. */
interface LiteralTrie {
  caseInsensitive: boolean;
  offset: number;
  root: TrieNode;
  radix?: RadixNode;
}

/** The radix tree of a trie: the root keeps an empty label (a value need not share any first character). */
function compressRoot(root: TrieNode, reversed: boolean): RadixNode {
  const next = root.next ? new Map([...root.next].map(([code, child]) => [code, compress(child, String.fromCharCode(code), reversed)])) : undefined;
  return { label: '', rules: root.rules ? Int32Array.from(root.rules) : undefined, next };
}

/** Collapses chains of single children without rules into one labelled node. */
function compress(node: TrieNode, first: string, reversed: boolean): RadixNode {
  let chars = first;
  let n = node;
  while (n.rules === undefined && n.next !== undefined && n.next.size === 1) {
    const [code, child] = n.next.entries().next().value as [number, TrieNode];
    chars += String.fromCharCode(code);
    n = child;
  }
  const label = reversed ? [...chars].reverse().join('') : chars;
  const next = n.next ? new Map([...n.next].map(([code, child]) => [code, compress(child, String.fromCharCode(code), reversed)])) : undefined;
  return { label, rules: n.rules ? Int32Array.from(n.rules) : undefined, next };
}

/** Everything the index probes for one slot (every property always set, so reads stay monomorphic). */
class SlotProbes {
  constructor(
    readonly exact: Map<string, Int32Array> | undefined,
    readonly folded: Map<string, Int32Array> | undefined,
    readonly numbers: Map<number, Int32Array> | undefined,
    readonly integers: Map<number, Int32Array> | undefined,
    readonly prefixes: LiteralTrie[] | undefined,
    readonly suffixes: LiteralTrie[] | undefined,
    readonly present: Int32Array | undefined,
  ) {
    this.byValue = exact !== undefined || folded !== undefined || numbers !== undefined || integers !== undefined || prefixes !== undefined || suffixes !== undefined;
  }
  /** Whether some probe looks at the values (a slot with presence alone needs only to be filled). */
  readonly byValue: boolean;
}


/** A source value as a number, as numeric fields read it (numbers, numeric strings); NaN when it is none. */
function numericValue(v: unknown, integer: boolean): number {
  const n = toNumber(v);
  if (n === undefined) return Number.NaN;
  return integer ? Math.trunc(n) : n;
}

/** The code unit where the `offset`-th code point of `text` starts (past the end when it has fewer). */
function unitOffset(text: string, offset: number): number {
  let i = 0;
  for (let k = 0; k < offset && i < text.length; k++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  return i;
}

/** Whether `text` (already folded when the atom is case-insensitive) starts or ends with one of the literals. */
function literalHolds(atom: SlotAtom, text: string): boolean {
  const literals = atom.literals;
  if (atom.kind === 'suffix') {
    for (let i = 0; i < literals.length; i++) if (text.endsWith(literals[i])) return true;
    return false;
  }
  const from = atom.offset === 0 ? 0 : unitOffset(text, atom.offset);
  for (let i = 0; i < literals.length; i++) if (text.startsWith(literals[i], from)) return true;
  return false;
}

/** Limits for an index used on its own (no engine admission check in front): walks stop, never fail. */
const STANDALONE = { maxDepth: 128, maxValues: Number.MAX_SAFE_INTEGER };

/** Rules (by position) indexed by their necessary conditions, plus those evaluated for every event. */
export class DispatchIndex {
  readonly size: number;
  private readonly always: Int32Array;
  /** Per slot: what to probe with that field's values (undefined for slots no primary condition reads). */
  private readonly probes: (SlotProbes | undefined)[];

  /** Per rule: its conditions besides the primary one. */
  private readonly checks: Check[][];
  /** Every atom some check uses, by id, and per id its result for the current event (epoch-stamped). */
  private readonly atoms: SlotAtom[] = [];
  private atomEpochs = new Int32Array(1);
  private atomResults = new Uint8Array(1);
  private readonly ruleSeen: Int32Array;
  private readonly found: Int32Array;
  private seenEpoch = 0;
  private readonly table: FieldTable;
  private readonly fold: FoldCache;
  private readonly ownTable: boolean;

  /**
   * One entry per rule: its conditions (an anchor or a list of them), or undefined to always evaluate it.
   * `table` (with `fold`) is the engine's field table, which must hold every anchor field; without it the index
   * builds and fills its own, for use on its own through `candidates(event)`.
   */
  constructor(anchors: readonly (Anchor | readonly Anchor[] | undefined)[], table?: FieldTable, fold?: FoldCache) {
    this.size = anchors.length;
    this.ruleSeen = new Int32Array(Math.max(1, anchors.length));
    this.found = new Int32Array(Math.max(1, anchors.length));
    const lists = anchors.map((given) => (given === undefined ? [] : Array.isArray(given) ? (given as readonly Anchor[]) : [given as Anchor]));
    this.ownTable = table === undefined;
    this.table = table ?? new FieldTable(lists.flatMap((list) => list.flatMap((a) => a.atoms.map((x) => x.field))));
    this.fold = fold ?? foldCache(this.table);
    // How many conditions test each value: a value many rules test is a common one, and a poor filter.
    const popularity = new Map<string, number>();
    const valueKeys = (a: AnchorAtom): string[] => (a.kind === 'present' ? [`p|${a.field}`] : [...a.values].map((v) => `${a.kind}|${a.caseInsensitive ? 'i' : 's'}|${a.field}|${v}`));
    for (const list of lists) for (const anchor of list) for (const atom of anchor.atoms) for (const k of valueKeys(atom)) popularity.set(k, (popularity.get(k) ?? 0) + 1);
    const weight = (anchor: Anchor): number => Math.sqrt(anchor.cost) * anchor.atoms.reduce((t, atom) => t + valueKeys(atom).reduce((u, k) => u + (popularity.get(k) ?? 0), 0), 0);
    const slotAtom = (atom: AnchorAtom): SlotAtom => {
      const s = this.table.slotOf(atom.field);
      if (s === undefined) throw new Error(`the field table lacks the anchor field ${atom.field}`);
      return { kind: atom.kind, slot: s, values: atom.values, single: atom.values.size === 1 ? [...atom.values][0] : undefined, literals: [...atom.values], numbers: new Set([...atom.values].map(Number)), caseInsensitive: atom.caseInsensitive, offset: atom.offset ?? 0, integer: atom.integer === true };
    };
    // Atoms checked after look-up, deduplicated: `host.os.type: windows` is one atom however many rules need it.
    const atomIds = new Map<string, number>();
    const atomId = (atom: AnchorAtom): number => {
      const key = JSON.stringify([atom.kind, atom.field, atom.caseInsensitive, atom.offset ?? 0, atom.integer === true, [...atom.values].sort()]);
      let id = atomIds.get(key);
      if (id === undefined) {
        id = this.atoms.length;
        atomIds.set(key, id);
        this.atoms.push(slotAtom(atom));
      }
      return id;
    };
    const building: { exact?: Map<string, number[]>; folded?: Map<string, number[]>; numbers?: Map<number, number[]>; integers?: Map<number, number[]>; prefixes?: LiteralTrie[]; suffixes?: LiteralTrie[]; present?: number[] }[] = [];
    const at = (s: number) => (building[s] ??= {});
    const add = <K>(map: Map<K, number[]>, key: K, rule: number): void => {
      const ids = map.get(key);
      if (!ids) map.set(key, [rule]);
      else if (ids[ids.length - 1] !== rule) ids.push(rule);
    };
    const trieFor = (list: LiteralTrie[], ci: boolean, offset: number): LiteralTrie => {
      let t = list.find((x) => x.caseInsensitive === ci && x.offset === offset);
      if (!t) list.push((t = { caseInsensitive: ci, offset, root: { next: undefined, rules: undefined } }));
      return t;
    };
    const insert = (trie: LiteralTrie, literal: string, reversed: boolean, rule: number): void => {
      let node = trie.root;
      for (let i = 0; i < literal.length; i++) {
        const c = literal.charCodeAt(reversed ? literal.length - 1 - i : i);
        node.next ??= new Map();
        let child = node.next.get(c);
        if (!child) node.next.set(c, (child = { next: undefined, rules: undefined }));
        node = child;
      }
      node.rules ??= [];
      if (node.rules[node.rules.length - 1] !== rule) node.rules.push(rule);
    };
    const always: number[] = [];
    this.checks = lists.map((list, i) => {
      if (list.length === 0) {
        always.push(i);
        return [];
      }
      let primary = 0;
      for (let k = 1; k < list.length; k++) if (weight(list[k]) < weight(list[primary])) primary = k;
      for (const given of list[primary].atoms) {
        const atom = slotAtom(given);
        const b = at(atom.slot);
        switch (atom.kind) {
          case 'value':
            for (const v of atom.values) add(atom.caseInsensitive ? (b.folded ??= new Map()) : (b.exact ??= new Map()), v, i);
            break;
          case 'number':
            for (const n of atom.numbers) add(atom.integer ? (b.integers ??= new Map()) : (b.numbers ??= new Map()), n, i);
            break;
          case 'prefix':
            for (const v of atom.values) insert(trieFor((b.prefixes ??= []), atom.caseInsensitive, atom.offset), v, false, i);
            break;
          case 'suffix':
            for (const v of atom.values) insert(trieFor((b.suffixes ??= []), atom.caseInsensitive, 0), v, true, i);
            break;
          case 'present':
            b.present ??= [];
            if (b.present[b.present.length - 1] !== i) b.present.push(i);
            break;
        }
      }
      return list.filter((_, k) => k !== primary).map((anchor) => ({ atoms: Int32Array.from(anchor.atoms.map(atomId)) }));
    });
    this.always = Int32Array.from(always);
    this.atomEpochs = new Int32Array(Math.max(1, this.atoms.length));
    this.atomResults = new Uint8Array(Math.max(1, this.atoms.length));
    const freeze = <K>(m: Map<K, number[]> | undefined): Map<K, Int32Array> | undefined => (m ? new Map([...m].map(([k, ids]) => [k, Int32Array.from(ids)])) : undefined);

    this.probes = new Array<SlotProbes | undefined>(this.table.size).fill(undefined);

    building.forEach((b, s) => {
      if (!b) return;
      for (const t of b.prefixes ?? []) t.radix = compressRoot(t.root, false);
      for (const t of b.suffixes ?? []) t.radix = compressRoot(t.root, true);
      this.probes[s] = new SlotProbes(
        freeze(b.exact),
        freeze(b.folded),
        freeze(b.numbers),
        freeze(b.integers),
        b.prefixes,
        b.suffixes,
        b.present ? Int32Array.from(b.present) : undefined,
      );
    });
  }

  /** How many rules have no condition and are evaluated for every event. */
  get unanchored(): number {
    return this.always.length;
  }

  /** Positions of the rules that could match `event`, ascending, each once (for an index used on its own). */
  candidates(event: unknown): number[] {
    if (!this.ownTable) throw new Error('this index reads the engine’s field table: use candidatesOfTable');
    if (typeof event === 'object' && event !== null && !Array.isArray(event)) this.table.fill(event as Record<string, unknown>, STANDALONE, false);
    else this.table.clear();
    const n = this.candidatesOfTable();
    return Array.from(this.found.subarray(0, n));
  }

  /**
   * The candidates for the event the field table holds now: their count `n`, the positions in
   * `foundBuffer()[0..n)`, ascending (rules run in load order whatever found them, so alerts come out in a
   * stable order).
   */
  candidatesOfTable(): number {
    const found = this.found;
    let n = 0;
    for (let i = 0; i < this.always.length; i++) found[n++] = this.always[i];
    const always = n;
    this.seenEpoch = (this.seenEpoch + 1) | 0;
    if (this.seenEpoch === 0) {
      this.ruleSeen.fill(0);
      this.atomEpochs.fill(0);
      this.seenEpoch = 1;
    }
    const { first, more, touched } = this.table;
    for (let t = 0; t < this.table.touchedCount; t++) {
      const s = touched[t];
      const probes = this.probes[s];
      if (probes === undefined) continue;
      if (probes.present !== undefined) n = this.admit(probes.present, n);
      if (!probes.byValue) continue;
      const m = more[s];
      const count = m === undefined ? 1 : m.length + 1;
      for (let k = 0; k < count; k++) {
        const v = k === 0 ? first[s] : m![k - 1];
        if (probes.numbers !== undefined || probes.integers !== undefined) n = this.probeNumbers(probes, v, n);
        const text = keywordOf(v);
        if (text === undefined) continue;
        if (probes.exact !== undefined) {
          const ids = probes.exact.get(text);
          if (ids !== undefined) n = this.admit(ids, n);
        }
        if (probes.folded !== undefined) {
          const ids = probes.folded.get(k === 0 ? this.folded0(s, text) : text.toLowerCase());
          if (ids !== undefined) n = this.admit(ids, n);
        }
        const prefixes = probes.prefixes;
        const suffixes = probes.suffixes;
        if (prefixes === undefined && suffixes === undefined) continue;
        let folded: string | undefined;
        if (prefixes !== undefined) {
          for (let p = 0; p < prefixes.length; p++) {
            const trie = prefixes[p];
            n = this.walkPrefix(trie, trie.caseInsensitive ? (folded ??= k === 0 ? this.folded0(s, text) : text.toLowerCase()) : text, n);
          }
        }
        if (suffixes !== undefined) {
          for (let p = 0; p < suffixes.length; p++) {
            const trie = suffixes[p];
            n = this.walkSuffix(trie, trie.caseInsensitive ? (folded ??= k === 0 ? this.folded0(s, text) : text.toLowerCase()) : text, n);
          }
        }
      }
    }
    if (n - always > 1 || (always > 0 && n > always)) found.subarray(0, n).sort();
    return n;
  }

  /** The buffer `candidatesOfTable` writes positions into. */
  foundBuffer(): Int32Array {
    return this.found;
  }

  private probeNumbers(probes: SlotProbes, v: unknown, n: number): number {
    if (probes.numbers !== undefined) {
      const ids = probes.numbers.get(numericValue(v, false));
      if (ids !== undefined) n = this.admit(ids, n);
    }
    if (probes.integers !== undefined) {
      const ids = probes.integers.get(numericValue(v, true));
      if (ids !== undefined) n = this.admit(ids, n);
    }
    return n;
  }

  /** Admits the rules of every literal `text` (folded for a case-insensitive trie) starts with, after the offset. */
  private walkPrefix(trie: LiteralTrie, text: string, n: number): number {
    let node = trie.radix!;
    let i = trie.offset === 0 ? 0 : unitOffset(text, trie.offset);
    // `?` needs a code point to skip: an offset past the end never matches.
    if (trie.offset > 0 && i >= text.length) return n;
    for (;;) {
      if (node.rules !== undefined) n = this.admit(node.rules, n);
      if (node.next === undefined || i >= text.length) return n;
      const child = node.next.get(text.charCodeAt(i));
      if (child === undefined || !text.startsWith(child.label, i)) return n;
      i += child.label.length;
      node = child;
    }
  }

  /** Admits the rules of every literal `text` (folded for a case-insensitive trie) ends with. */
  private walkSuffix(trie: LiteralTrie, text: string, n: number): number {
    let node = trie.radix!;
    let end = text.length;
    for (;;) {
      if (node.rules !== undefined) n = this.admit(node.rules, n);
      if (node.next === undefined || end === 0) return n;
      const child = node.next.get(text.charCodeAt(end - 1));
      if (child === undefined || child.label.length > end || !text.startsWith(child.label, end - child.label.length)) return n;
      end -= child.label.length;
      node = child;
    }
  }

  /** The folded first value of a slot, shared with rule code through the fold cache. */
  private folded0(s: number, text: string): string {
    const { epochs, folded } = this.fold;
    if (epochs[s] === this.table.epoch) return folded[s]!;
    epochs[s] = this.table.epoch;
    return (folded[s] = text.toLowerCase());
  }

  private admit(ids: Int32Array, n: number): number {
    for (let j = 0; j < ids.length; j++) {
      const rule = ids[j];
      if (this.ruleSeen[rule] === this.seenEpoch) continue;
      this.ruleSeen[rule] = this.seenEpoch;
      if (this.passes(this.checks[rule])) this.found[n++] = rule;
    }
    return n;
  }

  /** Whether the event meets every one of the conditions (each: one of its atoms holds). */
  private passes(checks: readonly Check[]): boolean {
    const epochs = this.atomEpochs;
    const results = this.atomResults;
    const epoch = this.seenEpoch;
    for (let c = 0; c < checks.length; c++) {
      const atoms = checks[c].atoms;
      let met = false;
      for (let a = 0; a < atoms.length && !met; a++) {
        const id = atoms[a];
        if (epochs[id] === epoch) met = results[id] === 1;
        else {
          epochs[id] = epoch;
          met = this.holds(this.atoms[id]);
          results[id] = met ? 1 : 0;
        }
      }
      if (!met) return false;
    }
    return true;
  }

  private holds(atom: SlotAtom): boolean {
    const v0 = this.table.first[atom.slot];
    if (v0 === undefined) return false;
    if (atom.kind === 'present') return true;
    if (this.valueHolds(atom, v0, true)) return true;
    const m = this.table.more[atom.slot];
    if (m !== undefined) for (let k = 0; k < m.length; k++) if (this.valueHolds(atom, m[k], false)) return true;
    return false;
  }

  private valueHolds(atom: SlotAtom, v: unknown, first: boolean): boolean {
    if (atom.kind === 'number') return atom.numbers.has(numericValue(v, atom.integer));
    const raw = keywordOf(v);
    if (raw === undefined) return false;
    const text = !atom.caseInsensitive ? raw : first ? this.folded0(atom.slot, raw) : raw.toLowerCase();
    if (atom.kind === 'value') return atom.single !== undefined ? text === atom.single : atom.values.has(text);
    return literalHolds(atom, text);
  }
}
