/**
 * The per-event field table. At load, every field some loaded rule (or the dispatch index) reads gets a
 * numeric slot; one walk over each event then fills, per slot, the values the event holds for that field,
 * whatever its shape (nested, dotted, mixed, arrays of objects). Rule code reads slots by index instead of
 * walking the event per leaf.
 *
 * The same walk is the engine's admission check (depth and size limits, see event-shape.ts): it has to visit
 * every key anyway, so looking each key up in a trie of the wanted paths costs one map probe per key, and a
 * hostile event is refused by the only walk that touches it.
 *
 * Values per slot: `first[slot]` holds the first value found (undefined when the field has none) and
 * `more[slot]` the others, allocated only for multi-valued fields. A value is a scalar or a plain object (a path
 * may end at an object: `exists`, `nested`); arrays are flattened and nulls dropped, as `readValues` does.
 */
import type { EventLimits, SkipReason } from './event-shape.js';

const hasOwn = Object.prototype.hasOwnProperty;

/** One node of the trie of wanted paths: the logical path so far, its slot if a rule reads it, deeper paths. */
interface TrieNode {
  readonly path: string;
  slot: number;
  /** Every spelling of a deeper wanted path from here: `b`, and `b.c` for the dotted key `{"b.c": …}`. */
  readonly children: Map<string, TrieNode>;
  /**
   * Keys seen at each position of the objects walked at this node, ORDER_WAYS per position (`order[i *
   * ORDER_WAYS + w]`, 0 where none yet), and what each found in `children`; `turn` picks the way to replace.
   * Allocated when an object is first walked at the node (most nodes are leaves).
   */
  order: (string | number)[] | undefined;
  orderChildren: (TrieNode | undefined)[];
  turn: number;
}

const TOO_DEEP = 1;
const TOO_LARGE = 2;
/** Keys per object whose order a trie node remembers. */
const MAX_ORDER = 64;
/**
 * Key orders a trie node remembers at once. One stream mixes kinds of events (process, network, file), whose
 * objects at one node (the root, `event`) spell different keys at the same position: with one order per node
 * about one key in five missed on the ECS mix; four ways make nearly every key one pointer compare.
 */
const ORDER_WAYS = 4;

function trieNode(path: string): TrieNode {
  return { path, slot: -1, children: new Map(), order: undefined, orderChildren: [], turn: 0 };
}

// The walk's value budget lives in module state, as in event-shape.ts: the walk runs for every event, and this
// keeps it allocation-free and out of every call's arguments. Walks never nest, so one variable serves all tables.
let budget = 0;
/** Whether Object.prototype has no enumerable property (checked per event: pollution can happen at any time). */
let prototypeClean = true;

/** Slots and the walk that fills them. One table per engine; `fill` overwrites the previous event's values. */
export class FieldTable {
  /** First value per slot for the current event, or undefined. */
  readonly first: unknown[];
  /** Further values per slot for the current event, or undefined when there are none. */
  readonly more: (unknown[] | undefined)[];
  /** Emptied `more` arrays, kept per slot for reuse. */
  private readonly spare: (unknown[] | undefined)[];
  /** The field path of each slot. */
  readonly paths: readonly string[];
  /** Slots holding a value for the current event, `touchedCount` of them. */
  readonly touched: Int32Array;
  touchedCount = 0;
  /** Increases with every event, so per-slot caches (folded text) know when they are stale. */
  epoch = 0;
  private readonly root: TrieNode;
  private readonly slotByPath = new Map<string, number>();
  private admission = true;
  private readonly nodes = new Map<string, TrieNode>();

  constructor(paths: Iterable<string>) {
    this.root = trieNode('');
    this.nodes.set('', this.root);
    const list: string[] = [];
    for (const path of paths) {
      if (this.slotByPath.has(path) || path === '') continue;
      this.slotByPath.set(path, list.length);
      list.push(path);
      this.insert(path, list.length - 1);
    }
    this.paths = list;
    this.first = new Array<unknown>(list.length).fill(undefined);
    this.more = new Array<unknown[] | undefined>(list.length).fill(undefined);
    this.spare = new Array<unknown[] | undefined>(list.length).fill(undefined);
    this.touched = new Int32Array(Math.max(1, list.length));
  }

  /** The slot of a field path, or undefined when the table was not built with it. */
  slotOf(path: string): number | undefined {
    return this.slotByPath.get(path);
  }

  get size(): number {
    return this.paths.length;
  }

  private node(segments: readonly string[], upTo: number): TrieNode {
    const path = segments.slice(0, upTo).join('.');
    let n = this.nodes.get(path);
    if (!n) {
      n = trieNode(path);
      this.nodes.set(path, n);
    }
    return n;
  }

  private insert(path: string, slot: number): void {
    const segments = path.split('.');
    this.node(segments, segments.length).slot = slot;
    // From every prefix, each run of following segments is a key an event may spell (`a`, `a.b`, `a.b.c`).
    for (let i = 0; i < segments.length; i++) {
      const from = this.node(segments, i);
      for (let j = i + 1; j <= segments.length; j++) from.children.set(segments.slice(i, j).join('.'), this.node(segments, j));
    }
  }

  /**
   * Fills the table from `event` (a plain object), checking it against `limits` on the way; returns why the
   * event must be skipped, or undefined. After a skip the table's contents are unspecified. Without
   * `admission` (a table used on its own), subtrees no rule reads are not visited and values deeper than
   * `limits.maxDepth` are treated as absent instead of failing the event.
   */
  fill(event: Record<string, unknown>, limits: Readonly<EventLimits>, admission = true): SkipReason | undefined {
    this.clear();
    this.epoch = (this.epoch + 1) | 0;
    budget = limits.maxValues;
    prototypeClean = true;
    for (const key in Object.prototype) if (key !== undefined) prototypeClean = false;
    this.admission = admission;
    const r = this.walkObject(event, this.root, limits.maxDepth);
    return r === 0 ? undefined : r === TOO_DEEP ? 'tooDeep' : 'tooLarge';
  }

  /** Empties the slots the last event filled. */
  clear(): void {
    const { first, more, spare, touched } = this;
    for (let i = 0; i < this.touchedCount; i++) {
      const s = touched[i];
      first[s] = undefined;
      const m = more[s];
      if (m !== undefined) {
        // Kept for the next event that has several values here: multi-valued fields recur (event.type, args).
        m.length = 0;
        spare[s] = m;
        more[s] = undefined;
      }
    }
    this.touchedCount = 0;
  }

  private put(slot: number, v: unknown): void {
    if (this.first[slot] === undefined) {
      this.first[slot] = v;
      this.touched[this.touchedCount++] = slot;
      return;
    }
    const m = this.more[slot];
    if (m !== undefined) m.push(v);
    else {
      const reused = this.spare[slot];
      if (reused !== undefined) {
        reused.push(v);
        this.more[slot] = reused;
        this.spare[slot] = undefined;
      } else this.more[slot] = [v];
    }
  }

  private walkObject(o: Record<string, unknown>, node: TrieNode, depthLeft: number): number {
    if (depthLeft === 0) return this.admission ? TOO_DEEP : 0;
    const children = node.children;
    // Events from one source spell their keys in the same order: remembering the orders a node saw last turns
    // most look-ups into one pointer compare (keys from JSON.parse are interned strings).
    if (node.order === undefined) {
      node.order = new Array<string | number>(MAX_ORDER * ORDER_WAYS).fill(0);
      node.orderChildren = new Array<TrieNode | undefined>(MAX_ORDER * ORDER_WAYS).fill(undefined);
    }
    const order = node.order;
    const orderChildren = node.orderChildren;
    const plain = prototypeClean && Object.getPrototypeOf(o) === Object.prototype;
    let i = 0;
    for (const key in o) {
      if (--budget < 0) return TOO_LARGE;
      const v = o[key];
      let child: TrieNode | undefined;
      const at = i * ORDER_WAYS;
      if (i >= MAX_ORDER) child = children.size === 0 ? undefined : children.get(key);
      else if (order[at] === key) child = orderChildren[at];
      else if (order[at + 1] === key) child = orderChildren[at + 1];
      else if (order[at + 2] === key) child = orderChildren[at + 2];
      else if (order[at + 3] === key) child = orderChildren[at + 3];
      else {
        child = children.size === 0 ? undefined : children.get(key);
        const way = at + node.turn;
        node.turn = (node.turn + 1) & (ORDER_WAYS - 1);
        order[way] = key;
        orderChildren[way] = child;
      }
      i++;
      // Inherited enumerable keys are never fields. A plain object (what JSON.parse makes) has none unless
      // Object.prototype itself was given some, so only other objects pay for the check, and only on hits.
      if (child === undefined || (!plain && !hasOwn.call(o, key))) {
        if (this.admission && typeof v === 'object' && v !== null) {
          const r = skipValue(v, depthLeft - 1);
          if (r !== 0) return r;
        }
        continue;
      }
      if (v === null || v === undefined) continue;
      if (typeof v !== 'object') {
        if (child.slot >= 0) this.put(child.slot, v);
        continue;
      }
      const r = this.walkValue(v, child, depthLeft - 1);
      if (r !== 0) return r;
    }
    return 0;
  }

  /** A value at a wanted path: recorded in its slot (scalars and objects), arrays element by element. */
  private walkValue(v: object, node: TrieNode, depthLeft: number): number {
    if (depthLeft === 0) return this.admission ? TOO_DEEP : 0;
    if (Array.isArray(v)) {
      budget -= v.length;
      if (budget < 0) return TOO_LARGE;
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (x === null || x === undefined) continue;
        if (typeof x !== 'object') {
          if (node.slot >= 0) this.put(node.slot, x);
          continue;
        }
        const r = this.walkValue(x, node, depthLeft - 1);
        if (r !== 0) return r;
      }
      return 0;
    }
    if (node.slot >= 0) this.put(node.slot, v);
    return this.walkObject(v as Record<string, unknown>, node, depthLeft);
  }

}

/** Walks a subtree no rule reads, only to bound it (the admission check's job). */
function skipValue(v: object, depthLeft: number): number {
  if (depthLeft === 0) return TOO_DEEP;
  if (Array.isArray(v)) {
    budget -= v.length;
    if (budget < 0) return TOO_LARGE;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object' && x !== null) {
        const r = skipValue(x, depthLeft - 1);
        if (r !== 0) return r;
      }
    }
    return 0;
  }
  const o = v as Record<string, unknown>;
  for (const key in o) {
    if (--budget < 0) return TOO_LARGE;
    const x = o[key];
    if (typeof x === 'object' && x !== null) {
      const r = skipValue(x, depthLeft - 1);
      if (r !== 0) return r;
    }
  }
  return 0;
}
