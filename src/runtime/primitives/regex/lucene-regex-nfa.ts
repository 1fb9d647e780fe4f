/**
 * Regular-expression trees compiled to a Thompson NFA over Unicode code points (edges carry code-point
 * ranges, ε-moves join fragments). Intersection and complement have no Thompson construction: their operands
 * are determinized (subset construction, capped like Lucene's determinization limit) and the resulting DFA is
 * spliced back in as an NFA fragment. Every construction is bounded, so a small pattern cannot make a huge
 * automaton; exceeding a bound is reported as a value with the offset of the expression responsible.
 */
import type { RegexNode } from './lucene-regex-parse.js';

export const MAX_CODE_POINT = 0x10ffff;
/** NFA states one pattern may build (counted repetition copies its operand, so `a{1000}{1000}` would be 10⁶). */
export const MAX_NFA_STATES = 10_000;
/** DFA states a determinization (for `&` and `~`) may create: Lucene's default limit is 10 000 as well. */
export const MAX_DFA_STATES = 10_000;

/** A Thompson NFA: per state its ε-successors and its edges as flat (lo, hi, to) triples. */
export interface Nfa {
  eps: number[][];
  edges: number[][];
  start: number;
  accept: number;
}

/** A DFA: per state sorted, disjoint (lo, hi, to) triples; a missing range goes nowhere. */
export interface Dfa {
  edges: number[][];
  accepting: boolean[];
}

export type Built = { ok: true; nfa: Nfa } | { ok: false; reason: string; offset: number };

class TooBig {
  constructor(
    readonly reason: string,
    /** The expression to blame; the outermost repetition around the failure claims it on the way out. */
    public node: RegexNode,
  ) {}
}

interface Fragment {
  start: number;
  end: number;
}

class Builder {
  readonly eps: number[][] = [];
  readonly edges: number[][] = [];

  constructor(private readonly node: RegexNode) {}

  state(): number {
    if (this.eps.length >= MAX_NFA_STATES) throw new TooBig(`the pattern needs more than ${MAX_NFA_STATES} automaton states (large counted repetitions multiply)`, this.node);
    this.eps.push([]);
    this.edges.push([]);
    return this.eps.length - 1;
  }

  epsilon(from: number, to: number): void {
    this.eps[from].push(to);
  }

  edge(from: number, lo: number, hi: number, to: number): void {
    this.edges[from].push(lo, hi, to);
  }
}

/** Sorted, merged code-point ranges as flat (lo, hi) pairs. */
type Ranges = number[];

function normalize(pairs: [number, number][]): Ranges {
  pairs.sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const [lo, hi] of pairs) {
    const n = out.length;
    if (n > 0 && lo <= out[n - 1] + 1) out[n - 1] = Math.max(out[n - 1], hi);
    else out.push(lo, hi);
  }
  return out;
}

function complementRanges(r: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (let i = 0; i < r.length; i += 2) {
    if (r[i] > next) out.push(next, r[i] - 1);
    next = r[i + 1] + 1;
  }
  if (next <= MAX_CODE_POINT) out.push(next, MAX_CODE_POINT);
  return out;
}

const DIGIT: Ranges = [0x30, 0x39];
const SPACE: Ranges = normalize([[0x20, 0x20], [0x09, 0x09], [0x0a, 0x0a], [0x0d, 0x0d]]);
const WORD: Ranges = normalize([[0x61, 0x7a], [0x41, 0x5a], [0x5f, 0x5f], [0x30, 0x39]]);

function predefinedRanges(cls: 'd' | 'D' | 's' | 'S' | 'w' | 'W'): Ranges {
  const base = cls === 'd' || cls === 'D' ? DIGIT : cls === 's' || cls === 'S' ? SPACE : WORD;
  return cls === cls.toUpperCase() ? complementRanges(base) : base;
}

/**
 * The other ASCII case of a letter, as Lucene's ASCII_CASE_INSENSITIVE match flag folds it: literal characters
 * and strings only, never ranges or the predefined classes.
 */
function otherCase(cp: number): number | undefined {
  if (cp >= 0x61 && cp <= 0x7a) return cp - 32;
  if (cp >= 0x41 && cp <= 0x5a) return cp + 32;
  return undefined;
}

/** The ranges a single-character class item stands for. */
function itemRanges(item: RegexNode, caseInsensitive: boolean): [number, number][] {
  switch (item.t) {
    case 'char': {
      const alt = caseInsensitive ? otherCase(item.cp) : undefined;
      return alt === undefined ? [[item.cp, item.cp]] : [[item.cp, item.cp], [alt, alt]];
    }
    case 'range':
      return [[item.from, item.to]];
    case 'class': {
      const r = predefinedRanges(item.cls);
      const out: [number, number][] = [];
      for (let i = 0; i < r.length; i += 2) out.push([r[i], r[i + 1]]);
      return out;
    }
    default:
      return [];
  }
}

class Compiler {
  /** Determinized operands of `&` and `~`, so copies made by counted repetition do not redo the work. */
  private readonly dfas = new Map<RegexNode, Dfa>();

  constructor(private readonly caseInsensitive: boolean) {}

  /** Builds `node` into `b`, returning its entry and exit states. */
  build(b: Builder, node: RegexNode): Fragment {
    switch (node.t) {
      case 'char':
      case 'range':
      case 'class':
        return this.ranges(b, normalize(itemRanges(node, this.caseInsensitive)));
      case 'negatedClass': {
        const pairs = node.items.flatMap((i) => itemRanges(i, this.caseInsensitive));
        return this.ranges(b, complementRanges(normalize(pairs)));
      }
      case 'any':
        return this.ranges(b, [0, MAX_CODE_POINT]);
      case 'none':
        return { start: b.state(), end: b.state() };
      case 'anyString': {
        const s = b.state();
        b.edge(s, 0, MAX_CODE_POINT, s);
        return { start: s, end: s };
      }
      case 'string': {
        const start = b.state();
        let at = start;
        for (const cp of node.cps) {
          const next = b.state();
          b.edge(at, cp, cp, next);
          const alt = this.caseInsensitive ? otherCase(cp) : undefined;
          if (alt !== undefined) b.edge(at, alt, alt, next);
          at = next;
        }
        return { start, end: at };
      }
      case 'concat': {
        const first = this.build(b, node.items[0]);
        let end = first.end;
        for (let i = 1; i < node.items.length; i++) {
          const f = this.build(b, node.items[i]);
          b.epsilon(end, f.start);
          end = f.end;
        }
        return { start: first.start, end };
      }
      case 'union': {
        const start = b.state();
        const end = b.state();
        for (const item of node.items) {
          const f = this.build(b, item);
          b.epsilon(start, f.start);
          b.epsilon(f.end, end);
        }
        return { start, end };
      }
      case 'repeat':
        try {
          return this.repeat(b, node.arg, node.min, node.max);
        } catch (e) {
          if (e instanceof TooBig) e.node = node;
          throw e;
        }
      case 'interval':
        return this.interval(b, node.min, node.max, node.digits);
      case 'intersect': {
        let dfa = this.determinized(node.items[0]);
        for (let i = 1; i < node.items.length; i++) dfa = intersectDfas(dfa, this.determinized(node.items[i]), node);
        return embed(b, dfa);
      }
      case 'complement': {
        let dfa = this.dfas.get(node);
        if (!dfa) {
          dfa = complementDfa(this.determinized(node.arg), node);
          this.dfas.set(node, dfa);
        }
        return embed(b, dfa);
      }
    }
  }

  ranges(b: Builder, r: Ranges): Fragment {
    const start = b.state();
    const end = b.state();
    for (let i = 0; i < r.length; i += 2) b.edge(start, r[i], r[i + 1], end);
    return { start, end };
  }

  repeat(b: Builder, arg: RegexNode, min: number, max: number | null): Fragment {
    const start = b.state();
    let end = start;
    // Mandatory copies first, then either a loop (no upper bound) or nested optional copies.
    for (let i = 0; i < min; i++) {
      const f = this.build(b, arg);
      b.epsilon(end, f.start);
      end = f.end;
    }
    if (max === null) {
      const f = this.build(b, arg);
      const exit = b.state();
      b.epsilon(end, f.start);
      b.epsilon(end, exit);
      b.epsilon(f.end, f.start);
      b.epsilon(f.end, exit);
      return { start, end: exit };
    }
    const exit = b.state();
    for (let i = min; i < max; i++) {
      b.epsilon(end, exit);
      const f = this.build(b, arg);
      b.epsilon(end, f.start);
      end = f.end;
    }
    b.epsilon(end, exit);
    return { start, end: exit };
  }

  interval(b: Builder, min: number, max: number, digits: number): Fragment {
    if (digits > 0) return fixedWidth(b, String(min).padStart(digits, '0'), String(max).padStart(digits, '0'));
    // Variable width: any run of leading zeros, then the number written without them.
    const start = b.state();
    b.edge(start, 0x30, 0x30, start);
    const end = b.state();
    const minLen = String(min).length;
    const maxLen = String(max).length;
    for (let len = minLen; len <= maxLen; len++) {
      const lo = Math.max(min, len === 1 ? 0 : 10 ** (len - 1));
      const hi = Math.min(max, 10 ** len - 1);
      if (lo > hi) continue;
      const f = fixedWidth(b, String(lo).padStart(len, '0'), String(hi).padStart(len, '0'));
      b.epsilon(start, f.start);
      b.epsilon(f.end, end);
    }
    return { start, end };
  }

  determinized(node: RegexNode): Dfa {
    let dfa = this.dfas.get(node);
    if (dfa) return dfa;
    const sub = new Builder(node);
    const f = this.build(sub, node);
    dfa = determinize({ eps: sub.eps, edges: sub.edges, start: f.start, accept: f.end }, node);
    this.dfas.set(node, dfa);
    return dfa;
  }
}

/** Strings of exactly `lo.length` digits between `lo` and `hi` (equal widths, compared as text). */
function fixedWidth(b: Builder, lo: string, hi: string): Fragment {
  const start = b.state();
  const end = b.state();
  // States are (position, still equal to lo's prefix, still equal to hi's prefix); at most four per position.
  let layer = new Map<number, number>([[3, start]]);
  for (let i = 0; i < lo.length; i++) {
    const last = i === lo.length - 1;
    const nextLayer = new Map<number, number>();
    const target = (flags: number): number => {
      if (last) return end;
      let s = nextLayer.get(flags);
      if (s === undefined) {
        s = b.state();
        nextLayer.set(flags, s);
      }
      return s;
    };
    const l = lo.charCodeAt(i);
    const h = hi.charCodeAt(i);
    for (const [flags, s] of layer) {
      const tightLo = (flags & 1) !== 0;
      const tightHi = (flags & 2) !== 0;
      const from = tightLo ? l : 0x30;
      const to = tightHi ? h : 0x39;
      for (let d = from; d <= to; d++) {
        const nextFlags = (tightLo && d === l ? 1 : 0) | (tightHi && d === h ? 2 : 0);
        b.edge(s, d, d, target(nextFlags));
      }
    }
    layer = nextLayer;
  }
  if (lo.length === 0) b.epsilon(start, end);
  return { start, end };
}

/**
 * Appends to `out` every state reachable from `seeds` through ε-edges (seeds included), each once, leaving
 * `mark[s] === stamp` for exactly those states so callers can test membership afterwards.
 */
export function epsilonClosure(nfa: Nfa, seeds: Iterable<number>, mark: Int32Array, stamp: number, out: number[]): number[] {
  const stack: number[] = [];
  for (const s of seeds) {
    if (mark[s] !== stamp) {
      mark[s] = stamp;
      stack.push(s);
    }
  }
  while (stack.length > 0) {
    const s = stack.pop() as number;
    out.push(s);
    const eps = nfa.eps[s];
    for (let i = 0; i < eps.length; i++) {
      const t = eps[i];
      if (mark[t] !== stamp) {
        mark[t] = stamp;
        stack.push(t);
      }
    }
  }
  return out;
}

/** The ε-closure of `seeds`, sorted. */
function closure(nfa: Nfa, seeds: Iterable<number>, mark: Int32Array, stamp: number): number[] {
  return epsilonClosure(nfa, seeds, mark, stamp, []).sort((a, c) => a - c);
}

/**
 * Subset construction over code-point ranges; refuses to create more than MAX_DFA_STATES states. With
 * `workLimit`, also refuses once the states processed hold more NFA states in total than that: the measure
 * Lucene's determinization charges against Elasticsearch's `max_determinized_states`, and a bound on the time
 * spent.
 */
export function determinize(nfa: Nfa, node: RegexNode, workLimit = Infinity): Dfa {
  let work = 0;
  const mark = new Int32Array(nfa.eps.length).fill(-1);
  let stamp = 0;
  const ids = new Map<string, number>();
  const sets: number[][] = [];
  const dfa: Dfa = { edges: [], accepting: [] };
  const intern = (set: number[]): number => {
    // Only states with edges (and the accept state) tell sets apart; ε-only states are transit.
    const key = set.filter((s) => nfa.edges[s].length > 0 || s === nfa.accept).join(',');
    let id = ids.get(key);
    if (id === undefined) {
      if (sets.length >= MAX_DFA_STATES) throw new TooBig(`determinizing this part of the pattern needs more than ${MAX_DFA_STATES} states`, node);
      id = sets.length;
      ids.set(key, id);
      sets.push(set.filter((s) => nfa.edges[s].length > 0));
      dfa.edges.push([]);
      dfa.accepting.push(set.includes(nfa.accept));
    }
    return id;
  };
  intern(closure(nfa, [nfa.start], mark, stamp++));
  for (let d = 0; d < sets.length; d++) {
    work += sets[d].length;
    if (work > workLimit) throw new TooBig(`determinizing the pattern takes more than ${workLimit} units of work`, node);
    const points: number[] = [];
    for (const s of sets[d]) {
      const e = nfa.edges[s];
      for (let i = 0; i < e.length; i += 3) points.push(e[i], e[i + 1] + 1);
    }
    if (points.length === 0) continue;
    const bounds = [...new Set(points)].sort((a, c) => a - c);
    const out: number[] = [];
    for (let k = 0; k + 1 < bounds.length; k++) {
      const lo = bounds[k];
      const hi = bounds[k + 1] - 1;
      const targets: number[] = [];
      for (const s of sets[d]) {
        const e = nfa.edges[s];
        for (let i = 0; i < e.length; i += 3) if (e[i] <= lo && hi <= e[i + 1]) targets.push(e[i + 2]);
      }
      if (targets.length === 0) continue;
      const to = intern(closure(nfa, targets, mark, stamp++));
      const n = out.length;
      if (n > 0 && out[n - 1] === to && out[n - 2] === lo - 1) out[n - 2] = hi;
      else out.push(lo, hi, to);
    }
    dfa.edges[d] = out;
  }
  return dfa;
}

/** Strings the DFA rejects: completed with a sink state, acceptance flipped. */
function complementDfa(dfa: Dfa, node: RegexNode): Dfa {
  const n = dfa.edges.length;
  if (n + 1 > MAX_DFA_STATES) throw new TooBig(`the complement needs more than ${MAX_DFA_STATES} states`, node);
  const sink = n;
  const edges: number[][] = [];
  for (const e of dfa.edges) {
    const out: number[] = [];
    let next = 0;
    for (let i = 0; i < e.length; i += 3) {
      if (e[i] > next) out.push(next, e[i] - 1, sink);
      out.push(e[i], e[i + 1], e[i + 2]);
      next = e[i + 1] + 1;
    }
    if (next <= MAX_CODE_POINT) out.push(next, MAX_CODE_POINT, sink);
    edges.push(out);
  }
  edges.push([0, MAX_CODE_POINT, sink]);
  return { edges, accepting: [...dfa.accepting.map((a) => !a), true] };
}

/** The product automaton: strings both accept. */
function intersectDfas(a: Dfa, b: Dfa, node: RegexNode): Dfa {
  const ids = new Map<number, number>();
  const pairs: [number, number][] = [];
  const out: Dfa = { edges: [], accepting: [] };
  const width = b.edges.length;
  const intern = (x: number, y: number): number => {
    const key = x * width + y;
    let id = ids.get(key);
    if (id === undefined) {
      if (pairs.length >= MAX_DFA_STATES) throw new TooBig(`the intersection needs more than ${MAX_DFA_STATES} states`, node);
      id = pairs.length;
      ids.set(key, id);
      pairs.push([x, y]);
      out.edges.push([]);
      out.accepting.push(a.accepting[x] && b.accepting[y]);
    }
    return id;
  };
  intern(0, 0);
  for (let p = 0; p < pairs.length; p++) {
    const [x, y] = pairs[p];
    const ea = a.edges[x];
    const eb = b.edges[y];
    const edges: number[] = [];
    let i = 0;
    let j = 0;
    while (i < ea.length && j < eb.length) {
      const lo = Math.max(ea[i], eb[j]);
      const hi = Math.min(ea[i + 1], eb[j + 1]);
      if (lo <= hi) edges.push(lo, hi, intern(ea[i + 2], eb[j + 2]));
      if (ea[i + 1] < eb[j + 1]) i += 3;
      else j += 3;
    }
    out.edges[p] = edges;
  }
  return out;
}

/** Copies a DFA into the builder as a fragment. */
function embed(b: Builder, dfa: Dfa): Fragment {
  const base: number[] = dfa.edges.map(() => b.state());
  const end = b.state();
  dfa.edges.forEach((e, d) => {
    for (let i = 0; i < e.length; i += 3) b.edge(base[d], e[i], e[i + 1], base[e[i + 2]]);
    if (dfa.accepting[d]) b.epsilon(base[d], end);
  });
  return { start: base[0], end };
}

/** Compiles a parsed pattern to an NFA, or reports which part makes it too large. */
export function buildNfa(root: RegexNode, caseInsensitive: boolean): Built {
  const b = new Builder(root);
  try {
    const f = new Compiler(caseInsensitive).build(b, root);
    return { ok: true, nfa: { eps: b.eps, edges: b.edges, start: f.start, accept: f.end } };
  } catch (e) {
    if (e instanceof TooBig) return { ok: false, reason: e.reason, offset: e.node.at };
    throw e;
  }
}
