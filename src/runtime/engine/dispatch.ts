/**
 * The dispatch index, driven by the event's own values: a table keyed by (field slot, value) → rules, probed
 * with the values the field table holds for the event, so its cost grows with the event's indexed values,
 * not with the number of rules or anchor fields. A rule is a candidate only when the event meets every one of
 * its necessary conditions (anchors.ts): its most selective one (its primary) is looked up by value, the others
 * are checked for the rules that look-up found (their atoms decided by the same probes, or by presence, or by a
 * substring search). What a value finds is remembered per field (`SlotMemo`). Rules without a condition the
 * index can look up are candidates for every event.
 */
import { isLookupAnchor, type Anchor, type AnchorAtom } from './anchors.js';
import { FieldTable } from './field-table.js';
import { foldCache, type FoldCache } from './rule-code.js';
import { toNumber } from '../primitives/numbers.js';
import { keywordOf } from '../match/values.js';

export { findAnchor, findAnchors, libraryCommonness, type Anchor, type AnchorAtom, type Commonness } from './anchors.js';

/**
 * How the check phase decides an atom: by the probes' marks, by the slot being filled, by a substring search,
 * or by the probes' marks once its slot has been probed on demand (a slot where no rule's primary condition
 * looks at values is probed only when some found rule needs one of its atoms).
 */
const PROBED = 0;
const PRESENT = 1;
const CONTAINS = 2;
const ON_DEMAND = 3;
/** A check list entry: an atom id and how it is decided, in one number (`id * 4 + how`). */
const HOW_BITS = 2;
const HOW_MASK = 3;

/** Slot flags: some rule's primary is the field's presence; some probe reads its values. */
const HAS_PRESENT = 1;
const BY_VALUE = 2;

/**
 * What one probe finds, flat: `[r, rule ids (r of them), check atom ids]`: the primary rules to admit and the
 * check atoms that hold. One small array, not an object of two, so a memo hit touches one more object, not three
 * (the memo's entries are cold: most cost of a hit is fetching them from memory).
 */
type Found = Int32Array;

const NOTHING: Found = Int32Array.of(0);

/** A Found of `rules` and `atoms`; equal contents share one array (through `shared`), so hot entries stay in cache. */
function foundFrom(rules: readonly number[], atoms: readonly number[], shared?: Map<string, Found>): Found {
  if (rules.length === 0 && atoms.length === 0) return NOTHING;
  const f = new Int32Array(1 + rules.length + atoms.length);
  f[0] = rules.length;
  f.set(rules, 1);
  f.set(atoms, 1 + rules.length);
  if (shared === undefined) return f;
  const key = f.join(',');
  const known = shared.get(key);
  if (known !== undefined) return known;
  shared.set(key, f);
  return f;
}

/** Literals by their characters, one character per step while building (from a value's start, or its end). */
interface TrieNode {
  next: Map<number, TrieNode> | undefined;
  rules: number[] | undefined;
  atoms: number[] | undefined;
}

/**
 * The same literals as a radix tree for probing: each node holds the run of characters (`label`, as they read
 * in the value) that leads to it, so a chain of characters is one native string compare, not a step each.
 */
interface RadixNode {
  label: string;
  found: Found | undefined;
  /** Children by the code unit a value must have next (after the label, or before it for suffixes). */
  next: Map<number, RadixNode> | undefined;
  /** The same children for ASCII code units, by index: where a node branches widely (a root), an array read. */
  ascii: (RadixNode | undefined)[] | undefined;
}

/** Children from which a node also indexes its ASCII children in an array. */
const ASCII_INDEX_FROM = 4;

function radixNode(label: string, found: Found | undefined, next: Map<number, RadixNode> | undefined): RadixNode {
  let ascii: (RadixNode | undefined)[] | undefined;
  if (next !== undefined && next.size >= ASCII_INDEX_FROM) {
    ascii = new Array<RadixNode | undefined>(128).fill(undefined);
    for (const [code, child] of next) if (code < 128) ascii[code] = child;
  }
  return { label, found, next, ascii };
}

/** The child of `node` for code unit `code`, or undefined. */
function childOf(node: RadixNode, code: number): RadixNode | undefined {
  const ascii = node.ascii;
  if (ascii !== undefined && code < 128) return ascii[code];
  return node.next!.get(code);
}

/** Prefix (after `offset` code points) or suffix literals of one slot and case mode. */
interface LiteralTrie {
  caseInsensitive: boolean;
  offset: number;
  root: TrieNode;
  radix?: RadixNode;
}

const foundOf = (node: TrieNode): Found | undefined => (node.rules || node.atoms ? foundFrom(node.rules ?? [], node.atoms ?? []) : undefined);

/** The radix tree of a trie: the root keeps an empty label (a value need not share any first character). */
function compressRoot(root: TrieNode, reversed: boolean): RadixNode {
  const next = root.next ? new Map([...root.next].map(([code, child]) => [code, compress(child, String.fromCharCode(code), reversed)])) : undefined;
  return radixNode('', foundOf(root), next);
}

/** Collapses chains of single children without rules into one labelled node. */
function compress(node: TrieNode, first: string, reversed: boolean): RadixNode {
  let chars = first;
  let n = node;
  while (n.rules === undefined && n.atoms === undefined && n.next !== undefined && n.next.size === 1) {
    const [code, child] = n.next.entries().next().value as [number, TrieNode];
    chars += String.fromCharCode(code);
    n = child;
  }
  const label = reversed ? [...chars].reverse().join('') : chars;
  const next = n.next ? new Map([...n.next].map(([code, child]) => [code, compress(child, String.fromCharCode(code), reversed)])) : undefined;
  return radixNode(label, foundOf(n), next);
}

/** Values of one slot already probed, and whether caching still pays for it. */
interface SlotMemo {
  /** Values cached in this generation, and in the one before (a value found there moves up). */
  map: Map<string | number | boolean, Found>;
  old: Map<string | number | boolean, Found>;
  /** Look-ups that missed in this trial (hits are counted in the index's `memoHits`, by slot). */
  misses: number;
  /** Values that missed once, not yet cached (see `probeMissed`). */
  seenOnce: Set<string | number | boolean>;
  /** Off for a slot whose values rarely repeat (command lines, paths): probing directly is then cheaper. */
  on: boolean;
}

/** Entries one generation of a slot's memo keeps (two generations are kept), and the longest text it keeps (long texts rarely recur). */
const MEMO_ENTRIES = 4096;
const MEMO_TEXT = 256;
/** Values all slots' memos of one index hold at most together (so memory stays bounded however many fields). */
const MEMO_BUDGET = 65_536;
/** Look-ups after which a memo that hit less than half of the time is turned off. */
const MEMO_TRIAL = 8192;
/**
 * Values all slots remember as seen once, together; past it a slot that adds one forgets its own first. The
 * total stays within this plus one per slot, each at most MEMO_TEXT long.
 */
const SEEN_ONCE_BUDGET = 16_384;

/** Everything the index probes for one slot (every property always set, so reads stay monomorphic). */
class SlotProbes {
  constructor(
    readonly exact: Map<string, Found> | undefined,
    readonly folded: Map<string, Found> | undefined,
    readonly numbers: Map<number, Found> | undefined,
    readonly integers: Map<number, Found> | undefined,
    readonly prefixes: LiteralTrie[] | undefined,
    readonly suffixes: LiteralTrie[] | undefined,
    /** Rules whose primary condition is this field's presence. */
    readonly present: Int32Array | undefined,
    /** Whether the memo is used for this slot at all (a slot probed only for presence has nothing to cache). */
    memoize: boolean,
  ) {
    this.byText = exact !== undefined || folded !== undefined || prefixes !== undefined || suffixes !== undefined;
    this.byValue = this.byText || numbers !== undefined || integers !== undefined;
    this.memo = { map: new Map(), old: new Map(), misses: 0, seenOnce: new Set(), on: memoize && this.byValue };
  }
  /** Whether some probe looks at the values (a slot with presence alone needs only to be filled). */
  readonly byValue: boolean;
  /** Whether some probe looks at the value as text (a numbers-only slot, such as `process.pid`, never renders it). */
  readonly byText: boolean;
  readonly memo: SlotMemo;
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

/** Limits for an index used on its own (no engine admission check in front): walks stop, never fail. */
const STANDALONE = { maxDepth: 128, maxValues: Number.MAX_SAFE_INTEGER };

/** A key for an atom's test (kind, field, mode, values), so rules needing the same fact share one atom. */
const atomKey = (atom: AnchorAtom): string => JSON.stringify([atom.kind, atom.field, atom.caseInsensitive, atom.offset ?? 0, atom.integer === true, [...atom.values].sort()]);

/** Options of a dispatch index. */
export interface DispatchOptions {
  /** Cache, per field, what each value found (bounded; off for fields whose values rarely repeat). Default true. */
  memo?: boolean;
  /**
   * Per rule, 0 to leave it out of the candidates for now (the caller's array, read at every event: a sequence
   * stage no partial waits for). Default: every rule enabled.
   */
  enabled?: Uint8Array;
}

/**
 * Rules (by position) indexed by their necessary conditions, plus those evaluated for every event.
 *
 * Per event: (1) every value of every filled slot the index knows is probed once, in maps of exact and folded
 * texts and numbers and in radix trees of prefix and suffix literals; a probe yields the rules whose primary
 * condition the value meets and the check atoms it satisfies, and is cached per slot by value (values such as
 * process names and actions recur from event to event). (2) Each rule found is kept when each of its other
 * conditions has an atom that held (presence atoms read the table).
 */
export class DispatchIndex {
  readonly size: number;
  private readonly always: Int32Array;
  /** Per slot: what to probe with that field's values (undefined for slots no condition reads by value). */
  private readonly probes: (SlotProbes | undefined)[];
  /**
   * Per slot, what the touched-slot loop needs without reaching into `probes` (a memo hit is then two hops,
   * not five: these arrays stay in cache, the probe objects do not): HAS_PRESENT and BY_VALUE bits, the memo's
   * current generation while it is on (the same Map as `probes[s].memo.map`), and its hits.
   */
  private readonly slotFlags: Uint8Array;
  private readonly memoMap: (Map<string | number | boolean, Found> | undefined)[];
  private readonly memoHits: Int32Array;
  /**
   * Per rule, its conditions besides the primary one, flat: `checkAt[rule]` is where its list starts in
   * `checkList`, which holds the number of conditions, then per condition its atom count and atoms, each as
   * `id << HOW_BITS | how` (how the check phase decides it: PROBED, PRESENT, CONTAINS, ON_DEMAND).
   */
  private readonly checkAt: Int32Array;
  private readonly checkList: Int32Array;
  /** Per atom, the slot it reads. */
  private readonly atomSlot: Int32Array;
  /** Per `contains` atom: its literals and whether the value is folded first. */
  private readonly atomLiterals: (readonly string[] | undefined)[] = [];
  private readonly atomFolds: boolean[] = [];
  /** Per atom, `stamp + 1` when a probe of the current event found it to hold (stamp = epoch * 2). */
  private readonly atomState: Int32Array;
  private readonly ruleSeen: Int32Array;
  private readonly pending: Int32Array;
  private readonly found: Int32Array;
  private readonly enabled: Uint8Array;
  /** Per slot, the epoch in which it was last probed on demand. */
  private readonly slotProbed: Int32Array;
  private seenEpoch = 0;
  private readonly table: FieldTable;
  private readonly fold: FoldCache;
  private readonly ownTable: boolean;
  /** Scratch lists while a memo entry is being computed. */
  private readonly collectRules: number[] = [];
  private readonly collectAtoms: number[] = [];
  private collecting = false;
  /** Values held by all slots' memos, and remembered as seen once. */
  private memoEntries = 0;
  private seenOnceEntries = 0;
  /** Memo entries by content: values that find the same rules and atoms share one entry. Bounded with the memos. */
  private sharedFound = new Map<string, Found>();

  /**
   * One entry per rule: its conditions (an anchor or a list of them), or undefined to always evaluate it.
   * `table` (with `fold`) is the engine's field table, which must hold every anchor field; without it the index
   * builds and fills its own, for use on its own through `candidates(event)`.
   */
  constructor(anchors: readonly (Anchor | readonly Anchor[] | undefined)[], table?: FieldTable, fold?: FoldCache, options: DispatchOptions = {}) {
    this.size = anchors.length;
    const rules = Math.max(1, anchors.length);
    this.ruleSeen = new Int32Array(rules);
    this.pending = new Int32Array(rules);
    this.found = new Int32Array(rules);
    if (options.enabled !== undefined && options.enabled.length < anchors.length) throw new RangeError('the enabled flags must cover every rule');
    this.enabled = options.enabled ?? new Uint8Array(rules).fill(1);
    const lists = anchors.map((given) => (given === undefined ? [] : Array.isArray(given) ? (given as readonly Anchor[]) : [given as Anchor]));
    this.ownTable = table === undefined;
    this.table = table ?? new FieldTable(lists.flatMap((list) => list.flatMap((a) => a.atoms.map((x) => x.field))));
    this.fold = fold ?? foldCache(this.table);
    // How many conditions test each value: a value many rules test is a common one, and a poor filter.
    const popularity = new Map<string, number>();
    const valueKeys = (a: AnchorAtom): string[] => (a.kind === 'present' ? [`p|${a.field}`] : [...a.values].map((v) => `${a.kind}|${a.caseInsensitive ? 'i' : 's'}|${a.field}|${v}`));
    for (const list of lists) for (const anchor of list) for (const atom of anchor.atoms) for (const k of valueKeys(atom)) popularity.set(k, (popularity.get(k) ?? 0) + 1);
    const weight = (anchor: Anchor): number => Math.sqrt(anchor.cost) * anchor.atoms.reduce((t, atom) => t + valueKeys(atom).reduce((u, k) => u + (popularity.get(k) ?? 0), 0), 0);
    const slotOf = (field: string): number => {
      const s = this.table.slotOf(field);
      if (s === undefined) throw new Error(`the field table lacks the anchor field ${field}`);
      return s;
    };

    type Ids = { rules: number[]; atoms: number[] };
    const building: { exact?: Map<string, Ids>; folded?: Map<string, Ids>; numbers?: Map<number, Ids>; integers?: Map<number, Ids>; prefixes?: LiteralTrie[]; suffixes?: LiteralTrie[]; present?: number[] }[] = [];
    const at = (s: number) => (building[s] ??= {});
    const push = (list: number[], id: number): void => {
      if (list[list.length - 1] !== id) list.push(id);
    };
    const add = <K>(map: Map<K, Ids>, key: K, id: number, asAtom: boolean): void => {
      let ids = map.get(key);
      if (!ids) map.set(key, (ids = { rules: [], atoms: [] }));
      push(asAtom ? ids.atoms : ids.rules, id);
    };
    const trieFor = (list: LiteralTrie[], ci: boolean, offset: number): LiteralTrie => {
      let t = list.find((x) => x.caseInsensitive === ci && x.offset === offset);
      if (!t) list.push((t = { caseInsensitive: ci, offset, root: { next: undefined, rules: undefined, atoms: undefined } }));
      return t;
    };
    const insert = (trie: LiteralTrie, literal: string, reversed: boolean, id: number, asAtom: boolean): void => {
      let node = trie.root;
      for (let i = 0; i < literal.length; i++) {
        const c = literal.charCodeAt(reversed ? literal.length - 1 - i : i);
        node.next ??= new Map();
        let child = node.next.get(c);
        if (!child) node.next.set(c, (child = { next: undefined, rules: undefined, atoms: undefined }));
        node = child;
      }
      if (asAtom) push((node.atoms ??= []), id);
      else push((node.rules ??= []), id);
    };
    /** Slots where some rule's primary condition looks at values: the others are probed on demand. */
    const valuePrimary = new Set<number>();
    /** Files an atom's values under its slot: as a primary condition of rule `id`, or as check atom `id`. */
    const file = (atom: AnchorAtom, id: number, asAtom: boolean): void => {
      const b = at(slotOf(atom.field));
      const ci = atom.caseInsensitive;
      if (!asAtom && atom.kind !== 'present' && atom.kind !== 'contains') valuePrimary.add(slotOf(atom.field));
      switch (atom.kind) {
        case 'value':
          for (const v of atom.values) add(ci ? (b.folded ??= new Map()) : (b.exact ??= new Map()), v, id, asAtom);
          break;
        case 'number':
          for (const v of atom.values) add(atom.integer ? (b.integers ??= new Map()) : (b.numbers ??= new Map()), Number(v), id, asAtom);
          break;
        case 'prefix':
          for (const v of atom.values) insert(trieFor((b.prefixes ??= []), ci, atom.offset ?? 0), v, false, id, asAtom);
          break;
        case 'suffix':
          for (const v of atom.values) insert(trieFor((b.suffixes ??= []), ci, 0), v, true, id, asAtom);
          break;
        case 'present':
          // Presence needs no probe of values: as a check it reads the table, as a primary it is listed here.
          if (!asAtom) push((b.present ??= []), id);
          break;
        case 'contains':
          // Decided in the check phase, for the rules other conditions found: never a look-up.
          break;
      }
    };
    // Atoms checked after look-up, deduplicated: `host.os.type: windows` is one atom however many rules need it.
    const atomIds = new Map<string, number>();
    const how: number[] = [];
    const slots: number[] = [];
    const atomId = (atom: AnchorAtom): number => {
      const key = atomKey(atom);
      let id = atomIds.get(key);
      if (id === undefined) {
        id = how.length;
        atomIds.set(key, id);
        how.push(atom.kind === 'present' ? PRESENT : atom.kind === 'contains' ? CONTAINS : PROBED);
        slots.push(slotOf(atom.field));
        this.atomLiterals.push(atom.kind === 'contains' ? [...atom.values] : undefined);
        this.atomFolds.push(atom.caseInsensitive);
        file(atom, id, true);
      }
      return id;
    };
    // A primary is looked up by value: an anchor with a `contains` atom can only be a check. Primaries are filed
    // first, so the checks know which slots are probed for every event and which on demand.
    const probeable = isLookupAnchor;
    const primaries = lists.map((list, i) => {
      let primary = -1;
      for (let k = 0; k < list.length; k++) if (probeable(list[k]) && (primary < 0 || weight(list[k]) < weight(list[primary]))) primary = k;
      if (primary >= 0) for (const atom of list[primary].atoms) file(atom, i, false);
      return primary;
    });
    const always: number[] = [];
    const flat: number[] = [];
    this.checkAt = new Int32Array(rules);
    lists.forEach((list, i) => {
      this.checkAt[i] = flat.length;
      const primary = primaries[i];
      if (primary < 0) {
        // Nothing to look up: evaluated for every event (its conditions are then the rule's own business).
        always.push(i);
        flat.push(0);
        return;
      }
      // Substring searches cost more than reading a mark: those conditions are checked last.
      const others = list.filter((_, k) => k !== primary).sort((a, b) => Number(!probeable(a)) - Number(!probeable(b)));
      flat.push(others.length);
      for (const anchor of others) flat.push(anchor.atoms.length, ...anchor.atoms.map((atom) => {
        const id = atomId(atom);
        const decided = how[id] === PROBED && !valuePrimary.has(slots[id]) ? ON_DEMAND : how[id];
        return (id << HOW_BITS) | decided;
      }));
    });
    this.checkList = Int32Array.from(flat);
    this.always = Int32Array.from(always);
    this.atomSlot = Int32Array.from(slots.length > 0 ? slots : [0]);
    this.atomState = new Int32Array(Math.max(1, how.length));
    const freeze = <K>(m: Map<K, Ids> | undefined): Map<K, Found> | undefined =>
      m ? new Map([...m].map(([k, ids]) => [k, foundFrom(ids.rules, ids.atoms)])) : undefined;
    this.probes = new Array<SlotProbes | undefined>(this.table.size).fill(undefined);
    const memo = options.memo !== false;
    this.slotFlags = new Uint8Array(this.table.size);
    this.slotProbed = new Int32Array(this.table.size);
    this.memoMap = new Array<Map<string | number | boolean, Found> | undefined>(this.table.size).fill(undefined);
    this.memoHits = new Int32Array(this.table.size);
    building.forEach((b, s) => {
      if (!b) return;
      for (const t of b.prefixes ?? []) t.radix = compressRoot(t.root, false);
      for (const t of b.suffixes ?? []) t.radix = compressRoot(t.root, true);
      const probes = new SlotProbes(freeze(b.exact), freeze(b.folded), freeze(b.numbers), freeze(b.integers), b.prefixes, b.suffixes, b.present ? Int32Array.from(b.present) : undefined, memo);
      this.probes[s] = probes;
      this.slotFlags[s] = (probes.present !== undefined ? HAS_PRESENT : 0) | (probes.byValue && valuePrimary.has(s) ? BY_VALUE : 0);
      if (probes.memo.on) this.memoMap[s] = probes.memo.map;
    });
  }

  /** How many rules have no condition and are evaluated for every event. */
  get unanchored(): number {
    return this.always.length;
  }

  /** The positions of those rules, ascending. */
  unanchoredTargets(): number[] {
    return Array.from(this.always);
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
    this.seenEpoch = (this.seenEpoch + 1) | 0;
    // Atom states hold `epoch * 2 + 1`, so epochs wrap within 30 bits.
    if (this.seenEpoch >= 1 << 29) {
      this.ruleSeen.fill(0);
      this.atomState.fill(0);
      this.slotProbed.fill(0);
      this.seenEpoch = 1;
    }
    const { first, more, touched } = this.table;
    const flags = this.slotFlags;
    let np = 0;
    for (let t = 0; t < this.table.touchedCount; t++) {
      const s = touched[t];
      const f = flags[s];
      if (f === 0) continue;
      if ((f & HAS_PRESENT) !== 0) {
        const present = this.probes[s]!.present!;
        np = this.admit(present, 0, present.length, np);
      }
      if ((f & BY_VALUE) === 0) continue;
      const m = more[s];
      np = this.probe(s, first[s], true, np);
      if (m !== undefined) for (let k = 0; k < m.length; k++) np = this.probe(s, m[k], false, np);
    }
    // Every check atom a probe can decide has been decided: the rest of each check is presence.
    const found = this.found;
    let n = 0;
    const enabled = this.enabled;
    for (let i = 0; i < this.always.length; i++) if (enabled[this.always[i]] === 1) found[n++] = this.always[i];
    const pending = this.pending;
    for (let j = 0; j < np; j++) {
      const rule = pending[j];
      if (enabled[rule] === 1 && this.passes(this.checkAt[rule])) found[n++] = rule;
    }
    // Insertion sort: a handful of candidates, and no view object per event.
    for (let i = 1; i < n; i++) {
      const x = found[i];
      let j = i - 1;
      while (j >= 0 && found[j] > x) {
        found[j + 1] = found[j];
        j--;
      }
      found[j + 1] = x;
    }
    return n;
  }

  /** The buffer `candidatesOfTable` writes positions into. */
  foundBuffer(): Int32Array {
    return this.found;
  }

  /** Probes one value of slot `s`, through the slot's memo while it pays. */
  private probe(s: number, v: unknown, first: boolean, np: number): number {
    const map = this.memoMap[s];
    const cacheable = map !== undefined && (typeof v === 'string' ? v.length <= MEMO_TEXT : typeof v === 'number' || typeof v === 'boolean');
    if (cacheable) {
      const known = map.get(v as string | number | boolean);
      if (known !== undefined) {
        this.memoHits[s]++;
        return this.apply(known, np);
      }
    }
    return this.probeMissed(this.probes[s]!, s, v, first, cacheable, np);
  }

  /** A value the memo's current generation lacks: from the old generation, or probed and then remembered. */
  private probeMissed(probes: SlotProbes, s: number, v: unknown, first: boolean, cacheable: boolean, np: number): number {
    if (!cacheable) return this.probeValue(probes, s, v, first, np);
    const memo = probes.memo;
    const key = v as string | number | boolean;
    const known = memo.old.size > 0 ? memo.old.get(key) : undefined;
    if (known !== undefined) {
      this.remember(s, memo, key, known);
      this.memoHits[s]++;
      return this.apply(known, np);
    }
    memo.misses++;
    if (this.memoHits[s] + memo.misses >= MEMO_TRIAL) {
      if (this.memoHits[s] < memo.misses) {
        memo.on = false;
        this.memoEntries -= memo.map.size + memo.old.size;
        memo.map = new Map();
        memo.old = new Map();
        this.seenOnceEntries -= memo.seenOnce.size;
        memo.seenOnce = new Set();
        this.memoMap[s] = undefined;
      }
      this.memoHits[s] = memo.misses = 0;
    }
    // A value is cached the second time it misses, not the first: in a slot whose values mostly recur, the few
    // that never do (one unique argument among common ones) then cost a plain probe, not a cache entry each.
    if (memo.on && !memo.seenOnce.has(key)) {
      if (this.seenOnceEntries >= SEEN_ONCE_BUDGET) {
        this.seenOnceEntries -= memo.seenOnce.size;
        memo.seenOnce.clear();
      }
      memo.seenOnce.add(key);
      this.seenOnceEntries++;
      return this.probeValue(probes, s, v, first, np);
    }
    // Collect what the value finds, then cache it and apply it.
    this.collecting = true;
    this.collectRules.length = 0;
    this.collectAtoms.length = 0;
    this.probeValue(probes, s, v, first, 0);
    this.collecting = false;
    // Distinct contents are bounded with the memos: past the budget the sharing starts afresh.
    if (this.sharedFound.size >= MEMO_BUDGET) this.sharedFound = new Map();
    const entry = foundFrom(this.collectRules, this.collectAtoms, memo.on ? this.sharedFound : undefined);
    if (memo.on) this.remember(s, memo, key, entry);
    return this.apply(entry, np);
  }

  /**
   * Caches an entry in the current generation; a full generation becomes the old one, so values that recur
   * survive (they move up when found there) and values seen once are dropped two generations later.
   */
  private remember(s: number, memo: SlotMemo, key: string | number | boolean, entry: Found): void {
    if (memo.map.size >= MEMO_ENTRIES) {
      this.memoEntries -= memo.old.size;
      memo.old = memo.map;
      memo.map = new Map();
      this.memoMap[s] = memo.map;
    }
    // Past the index's budget nothing new is cached (what is cached still serves).
    if (this.memoEntries >= MEMO_BUDGET) return;
    this.memoEntries++;
    memo.map.set(key, entry);
  }

  /** Every probe of one value: exact and folded texts, numbers, prefix and suffix literals. */
  private probeValue(probes: SlotProbes, s: number, v: unknown, first: boolean, np: number): number {
    if (probes.numbers !== undefined) {
      const f = probes.numbers.get(numericValue(v, false));
      if (f !== undefined) np = this.apply(f, np);
    }
    if (probes.integers !== undefined) {
      const f = probes.integers.get(numericValue(v, true));
      if (f !== undefined) np = this.apply(f, np);
    }
    if (!probes.byText) return np;
    const text = keywordOf(v);
    if (text === undefined) return np;
    if (probes.exact !== undefined) {
      const f = probes.exact.get(text);
      if (f !== undefined) np = this.apply(f, np);
    }
    let folded: string | undefined;
    if (probes.folded !== undefined) {
      const f = probes.folded.get((folded = first ? this.folded0(s, text) : text.toLowerCase()));
      if (f !== undefined) np = this.apply(f, np);
    }
    const prefixes = probes.prefixes;
    if (prefixes !== undefined) {
      for (let p = 0; p < prefixes.length; p++) {
        const trie = prefixes[p];
        np = this.walkPrefix(trie, trie.caseInsensitive ? (folded ??= first ? this.folded0(s, text) : text.toLowerCase()) : text, np);
      }
    }
    const suffixes = probes.suffixes;
    if (suffixes !== undefined) {
      for (let p = 0; p < suffixes.length; p++) {
        const trie = suffixes[p];
        np = this.walkSuffix(trie, trie.caseInsensitive ? (folded ??= first ? this.folded0(s, text) : text.toLowerCase()) : text, np);
      }
    }
    return np;
  }

  /** Takes in what a probe found: marks its atoms as holding and lists its rules once each. */
  private apply(f: Found, np: number): number {
    const r = f[0] + 1;
    if (this.collecting) {
      for (let i = 1; i < r; i++) this.collectRules.push(f[i]);
      for (let i = r; i < f.length; i++) this.collectAtoms.push(f[i]);
      return np;
    }
    if (r < f.length) {
      const state = this.atomState;
      const held = this.seenEpoch * 2 + 1;
      for (let i = r; i < f.length; i++) state[f[i]] = held;
    }
    if (r > 1) np = this.admit(f, 1, r, np);
    return np;
  }

  /** Lists rules `ids[from..to)` found by a probe, each once per event, for the check phase. */
  private admit(ids: Int32Array, from: number, to: number, np: number): number {
    const seen = this.ruleSeen;
    const epoch = this.seenEpoch;
    const pending = this.pending;
    for (let j = from; j < to; j++) {
      const rule = ids[j];
      if (seen[rule] === epoch) continue;
      seen[rule] = epoch;
      pending[np++] = rule;
    }
    return np;
  }

  /** Admits the rules of every literal `text` (folded for a case-insensitive trie) starts with, after the offset. */
  private walkPrefix(trie: LiteralTrie, text: string, np: number): number {
    let node = trie.radix!;
    let i = trie.offset === 0 ? 0 : unitOffset(text, trie.offset);
    // `?` needs a code point to skip: an offset past the end never matches.
    if (trie.offset > 0 && i >= text.length) return np;
    for (;;) {
      if (node.found !== undefined) np = this.apply(node.found, np);
      if (node.next === undefined || i >= text.length) return np;
      const child = childOf(node, text.charCodeAt(i));
      if (child === undefined || !text.startsWith(child.label, i)) return np;
      i += child.label.length;
      node = child;
    }
  }

  /** Admits the rules of every literal `text` (folded for a case-insensitive trie) ends with. */
  private walkSuffix(trie: LiteralTrie, text: string, np: number): number {
    let node = trie.radix!;
    let end = text.length;
    for (;;) {
      if (node.found !== undefined) np = this.apply(node.found, np);
      if (node.next === undefined || end === 0) return np;
      const child = childOf(node, text.charCodeAt(end - 1));
      if (child === undefined || child.label.length > end || !text.startsWith(child.label, end - child.label.length)) return np;
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

  /** Whether the event meets every condition listed at `at` in `checkList` (each: one of its atoms holds). */
  private passes(at: number): boolean {
    const list = this.checkList;
    const state = this.atomState;
    const slots = this.atomSlot;
    const first = this.table.first;
    const held = this.seenEpoch * 2 + 1;
    const count = list[at++];
    for (let c = 0; c < count; c++) {
      const size = list[at++];
      const end = at + size;
      let met = false;
      for (; at < end; at++) {
        const code = list[at];
        const id = code >> HOW_BITS;
        const kind = code & HOW_MASK;
        if (kind === PROBED ? state[id] === held : kind === PRESENT ? first[slots[id]] !== undefined : kind === CONTAINS ? this.contains(id, held) : this.onDemand(id, held)) {
          met = true;
          break;
        }
      }
      if (!met) return false;
      at = end;
    }
    return true;
  }

  /**
   * Whether an atom of a slot probed on demand holds: the slot's values are probed (through its memo) the first
   * time some found rule needs one of its atoms in this event, which marks every atom they satisfy. No rule's
   * primary reads the slot's values, so these probes only mark atoms.
   */
  private onDemand(id: number, held: number): boolean {
    const slot = this.atomSlot[id];
    if (this.slotProbed[slot] !== this.seenEpoch) {
      this.slotProbed[slot] = this.seenEpoch;
      const v0 = this.table.first[slot];
      if (v0 !== undefined) {
        this.probe(slot, v0, true, 0);
        const m = this.table.more[slot];
        if (m !== undefined) for (let k = 0; k < m.length; k++) this.probe(slot, m[k], false, 0);
      }
    }
    return this.atomState[id] === held;
  }

  /** Whether some value of a `contains` atom's slot holds one of its literals; decided once per event. */
  private contains(id: number, held: number): boolean {
    const known = this.atomState[id];
    if (known === held) return true;
    if (known === held - 1) return false;
    const slot = this.atomSlot[id];
    const literals = this.atomLiterals[id]!;
    const fold = this.atomFolds[id];
    let met = false;
    const v0 = this.table.first[slot];
    if (v0 !== undefined) {
      const m = this.table.more[slot];
      const n = m === undefined ? 1 : m.length + 1;
      for (let k = 0; k < n && !met; k++) {
        const raw = keywordOf(k === 0 ? v0 : m![k - 1]);
        if (raw === undefined) continue;
        const text = !fold ? raw : k === 0 ? this.folded0(slot, raw) : raw.toLowerCase();
        for (let i = 0; i < literals.length && !met; i++) met = text.includes(literals[i]);
      }
    }
    this.atomState[id] = met ? held : held - 1;
    return met;
  }
}
