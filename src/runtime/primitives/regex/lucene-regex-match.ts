/**
 * Whole-value matching of an NFA in time linear in the input: the NFA is simulated one code point at a time,
 * and the state sets met are cached as DFA states (built lazily, so the DFA's possible exponential size is
 * never paid for). The cache is bounded; when it fills it is dropped and rebuilt from the current state, so
 * the worst case degrades to plain NFA simulation (input length × NFA size), never to backtracking.
 */
import { epsilonClosure, type Nfa } from './lucene-regex-nfa.js';

/**
 * Integers (table cells plus stored state-set members) one matcher may cache before starting over: a few MB,
 * so a pattern whose DFA would be huge costs NFA-simulation time, never unbounded memory.
 */
const MAX_CACHE_INTS = 1 << 21;
const UNKNOWN = -1;

/** A compiled matcher: true when the whole value is in the language. */
export type ValueTest = (value: string) => boolean;

class LazyDfa {
  /** Starts of the alphabet classes: code points no edge tells apart share a class (and a table column). */
  private readonly bounds: Int32Array;
  private readonly ascii = new Int32Array(128);
  private readonly mark: Int32Array;
  private stamp = 0;

  /** State sets by hash (of their members and acceptance); a bucket lists the ids sharing a hash. */
  private ids = new Map<number, number[]>();
  private cached = 0;
  private sets: Int32Array[] = [];
  private accepting: boolean[] = [];
  private tables: Int32Array[] = [];
  private dead = 0;
  private startId = 0;
  private readonly startSeed: number;

  constructor(private readonly nfa: Nfa) {
    const points = new Set<number>([0]);
    for (const e of nfa.edges) for (let i = 0; i < e.length; i += 3) points.add(e[i]).add(e[i + 1] + 1);
    this.bounds = Int32Array.from([...points].sort((a, b) => a - b));
    for (let cp = 0; cp < 128; cp++) this.ascii[cp] = this.classOf(cp);
    this.mark = new Int32Array(nfa.eps.length).fill(-1);
    this.startSeed = nfa.start;
    this.reset();
  }

  private classOf(cp: number): number {
    const b = this.bounds;
    let lo = 0;
    let hi = b.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (b[mid] <= cp) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private reset(): void {
    this.ids = new Map();
    this.cached = 0;
    this.sets = [];
    this.accepting = [];
    this.tables = [];
    this.dead = this.intern([]);
    this.startId = this.intern([this.startSeed]);
  }

  /** The DFA state for the ε-closure of `seeds`; only states with edges (and acceptance) distinguish sets. */
  private intern(seeds: number[]): number {
    const nfa = this.nfa;
    const stamp = ++this.stamp;
    const mark = this.mark;
    const live: number[] = [];
    let accepting = false;
    const reached = epsilonClosure(nfa, seeds, mark, stamp, []);
    for (let i = 0; i < reached.length; i++) {
      const s = reached[i];
      if (s === nfa.accept) accepting = true;
      if (nfa.edges[s].length > 0) live.push(s);
    }
    // An order-independent hash and a membership test against this closure's marks: no sorting per step.
    let hash = accepting ? 0x9e3779b1 : 0;
    for (let i = 0; i < live.length; i++) {
      const x = Math.imul(live[i] ^ (live[i] >>> 15), 0x2c1b3c6d);
      hash = (hash + (x ^ (x >>> 12))) | 0;
    }
    let bucket = this.ids.get(hash);
    if (bucket) {
      for (const id of bucket) {
        const other = this.sets[id];
        if (this.accepting[id] !== accepting || other.length !== live.length) continue;
        let same = true;
        for (let i = 0; i < other.length && same; i++) same = mark[other[i]] === stamp;
        if (same) return id;
      }
    } else {
      bucket = [];
      this.ids.set(hash, bucket);
    }
    const set = Int32Array.from(live);
    const id = this.sets.length;
    bucket.push(id);
    this.sets.push(set);
    this.accepting.push(accepting);
    this.tables.push(new Int32Array(this.bounds.length).fill(UNKNOWN));
    this.cached += set.length + this.bounds.length;
    return id;
  }

  private step(from: number, cls: number): number {
    const rep = this.bounds[cls];
    const targets: number[] = [];
    const set = this.sets[from];
    for (let k = 0; k < set.length; k++) {
      const e = this.nfa.edges[set[k]];
      for (let i = 0; i < e.length; i += 3) if (e[i] <= rep && rep <= e[i + 1]) targets.push(e[i + 2]);
    }
    const full = this.cached >= MAX_CACHE_INTS;
    if (full) this.reset();
    const to = this.intern(targets);
    // After a reset `from` names another state, so the transition is not recorded.
    if (!full) this.tables[from][cls] = to;
    return to;
  }

  test(value: string): boolean {
    let d = this.startId;
    const n = value.length;
    for (let i = 0; i < n; i++) {
      let cp = value.charCodeAt(i);
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
        const low = value.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          cp = ((cp - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          i++;
        }
      }
      const cls = cp < 128 ? this.ascii[cp] : this.classOf(cp);
      let next = this.tables[d][cls];
      if (next === UNKNOWN) next = this.step(d, cls);
      if (next === this.dead) return false;
      d = next;
    }
    return this.accepting[d];
  }
}

/** A matcher for the whole-value language of `nfa`. */
export function nfaMatcher(nfa: Nfa): ValueTest {
  const dfa = new LazyDfa(nfa);
  return (value) => dfa.test(value);
}
