/**
 * Rule code over the field table: one generated function per rule (in the manner of Ajv) that reads the
 * event's values from the table's slots by index, so a leaf costs an array read and a compare, with no shape
 * checks and no walk. Leaves that need the whole event (nested queries, free text, EQL value expressions)
 * call linked closures on the event itself.
 *
 * Safety: nothing from a rule is spliced into the source as code. Compared strings enter as JSON-encoded
 * literals (always an inert JS string literal), slots as integers, and sets, maps, tests and closures through
 * side tables referenced by index.
 *
 * An `or` whose branches mostly test the same keyword field for equality (a list of `process.name: x and …`
 * alternatives) compiles into one look-up: the field's values select the branches that can hold, and only
 * those are evaluated.
 */
import type { IrPredicate, IrWildcard } from '../../ir/types.js';
import { leafValueTest, linkClosure } from '../match/link.js';
import { compileWildcard } from '../primitives/wildcard.js';
import type { FieldTable } from './field-table.js';
import { keywordOf } from '../match/values.js';

/** A rule's condition over the table filled for `event` (the event itself serves the closure leaves). */
export type TableMatcher = (event: unknown) => boolean;

/** Branches of an `or` selected through one field before this many alternatives are worth a look-up. */
const SWITCH_MIN_BRANCHES = 4;

type Lit = string;

/** The keyword equality a predicate is (`term`/`terms` on a keyword field), as a set of values. */
function keywordEquality(p: IrPredicate): { field: string; ci: boolean; values: string[] } | undefined {
  if ((p.kind !== 'term' && p.kind !== 'terms') || p.type !== 'keyword') return undefined;
  const ci = p.caseInsensitive === true;
  const raw = p.kind === 'term' ? [p.value] : p.values;
  return { field: p.field, ci, values: raw.map((v) => (ci ? String(v).toLowerCase() : String(v))) };
}

/** The keyword equalities that must hold for `p` to hold (itself, or the conjuncts of an `and`). */
function requiredEqualities(p: IrPredicate): { field: string; ci: boolean; values: string[] }[] {
  const own = keywordEquality(p);
  if (own) return [own];
  if (p.kind === 'and') return p.args.map(keywordEquality).filter((x): x is NonNullable<typeof x> => x !== undefined);
  return [];
}

/**
 * An `or` of ip or numeric terms on one field (`source.ip: (10.0.0.0/8 or 172.16.0.0/12 or …)`) as one `terms`
 * leaf: the same values hold, and the event's value is parsed once for the whole list instead of once per term.
 */
function mergeTypedTerms(args: readonly IrPredicate[]): IrPredicate[] {
  // Numbers only when every value is a finite number: a set look-up and `===` differ on anything else.
  const finite = (p: IrPredicate & { kind: 'term' | 'terms' }): boolean => (p.kind === 'term' ? [p.value] : p.values).every((v) => typeof v === 'number' && Number.isFinite(v));
  const key = (p: IrPredicate): string | undefined =>
    (p.kind === 'term' || p.kind === 'terms') && p.caseInsensitive !== true && (p.type === 'ip' || ((p.type === 'number' || p.type === 'integer') && finite(p))) ? `${p.type}|${p.field}` : undefined;
  const counts = new Map<string, number>();
  for (const a of args) {
    const k = key(a);
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  if (![...counts.values()].some((n) => n > 1)) return [...args];
  const merged = new Map<string, IrPredicate & { kind: 'terms' }>();
  const out: IrPredicate[] = [];
  for (const a of args) {
    const k = key(a);
    if (k === undefined || counts.get(k) === 1 || (a.kind !== 'term' && a.kind !== 'terms')) {
      out.push(a);
      continue;
    }
    const values = a.kind === 'term' ? [a.value] : a.values;
    const into = merged.get(k);
    if (into) into.values.push(...(values as never[]));
    else {
      const leaf = { kind: 'terms', field: a.field, type: a.type, values: [...values] } as IrPredicate & { kind: 'terms' };
      merged.set(k, leaf);
      out.push(leaf);
    }
  }
  return out;
}

class Generator {
  readonly constants: unknown[] = [];
  readonly closures: ((event: unknown) => boolean)[] = [];
  readonly functions: string[] = [];

  constructor(
    private readonly table: FieldTable,
    private readonly now: number,
  ) {}

  constant(v: unknown): number {
    this.constants.push(v);
    return this.constants.length - 1;
  }

  closure(p: IrPredicate): string {
    this.closures.push(linkClosure(p, { now: this.now }));
    return `F[${this.closures.length - 1}](e)`;
  }

  slot(field: string): number {
    const s = this.table.slotOf(field);
    if (s === undefined) throw new Error(`field table lacks ${field}`);
    return s;
  }

  expr(p: IrPredicate): string {
    switch (p.kind) {
      case 'const':
        return p.value ? 'true' : 'false';
      case 'and':
        return p.args.length === 0 ? 'true' : `(${p.args.map((a) => this.expr(a)).join(' && ')})`;
      case 'or':
        return this.or(p.args);
      case 'not':
        return `!${this.expr(p.arg)}`;
      case 'term':
      case 'terms': {
        const eq = keywordEquality(p);
        if (eq) return this.equality(this.slot(eq.field), eq.ci, eq.values);
        return this.valueLeaf(p);
      }
      case 'exists': {
        const s = this.slot(p.field);
        return `((v = V[${s}]) !== undefined && (typeof v !== "object" || EXS(${s})))`;
      }
      case 'wildcard':
      case 'range':
      case 'match':
      case 'regex':
        return this.valueLeaf(p);
      case 'nested':
      case 'freeText':
      case 'expr':
        return this.closure(p);
    }
  }

  /** Some value of the field passes the leaf's per-value test. */
  valueLeaf(p: IrPredicate): string {
    const leaf = leafValueTest(p, { now: this.now });
    if (!leaf) return this.closure(p);
    return `ANY(${this.slot(leaf.field)}, K[${this.constant(leaf.test)}])`;
  }

  /** Some value's keyword text (case-folded when `ci`) is one of `values`. */
  equality(s: number, ci: boolean, values: Lit[]): string {
    if (values.length === 1) {
      const lit = JSON.stringify(values[0]);
      // The common case, a single string value, decides in one or two compares; the rest goes to a helper.
      if (ci) return `((v = V[${s}]) !== undefined && (typeof v === "string" && X[${s}] === undefined ? FOLD(${s}, v) === ${lit} : EQI(${s}, ${lit})))`;
      return `((v = V[${s}]) === ${lit} || (v !== undefined && (typeof v !== "string" || X[${s}] !== undefined) && EQ(${s}, ${lit})))`;
    }
    const k = this.constant(new Set(values));
    if (ci) return `((v = V[${s}]) !== undefined && (typeof v === "string" && X[${s}] === undefined ? K[${k}].has(FOLD(${s}, v)) : INI(${s}, K[${k}])))`;
    return `((v = V[${s}]) !== undefined && (typeof v === "string" && X[${s}] === undefined ? K[${k}].has(v) : IN(${s}, K[${k}])))`;
  }

  or(given: readonly IrPredicate[]): string {
    if (given.length === 0) return 'false';
    const args = mergeTypedTerms(given);
    const parts: string[] = [];
    const rest = this.switchBranches(args, parts);
    for (const a of this.groupPatterns(rest)) parts.push(Array.isArray(a) ? this.patternGroup(a) : this.expr(a));
    return `(${parts.join(' || ')})`;
  }

  /**
   * Picks out the branches of an `or` that require an equality on the field most branches test, compiles them
   * into functions selected by that field's values (pushing the look-up onto `parts`), and returns the others.
   */
  switchBranches(args: readonly IrPredicate[], parts: string[]): IrPredicate[] {
    if (args.length < SWITCH_MIN_BRANCHES) return [...args];
    const required = args.map(requiredEqualities);
    const votes = new Map<string, number>();
    for (const list of required) for (const key of new Set(list.map((q) => `${q.ci ? 'i' : 's'}|${q.field}`))) votes.set(key, (votes.get(key) ?? 0) + 1);
    let best: string | undefined;
    for (const [key, n] of votes) if (n >= SWITCH_MIN_BRANCHES && (best === undefined || n > votes.get(best)!)) best = key;
    if (best === undefined) return [...args];
    const ci = best.startsWith('i|');
    const field = best.slice(2);
    const byValue = new Map<string, number[]>();
    const branches: string[] = [];
    const rest: IrPredicate[] = [];
    args.forEach((a, i) => {
      const q = required[i].find((x) => x.ci === ci && x.field === field);
      if (!q) {
        rest.push(a);
        return;
      }
      const index = branches.length;
      branches.push(`function (e) { let v; return ${this.expr(a)}; }`);
      for (const value of q.values) {
        const list = byValue.get(value);
        if (!list) byValue.set(value, [index]);
        else if (list[list.length - 1] !== index) list.push(index);
      }
    });
    const b = this.functions.length;
    this.functions.push(`const B${b} = [${branches.join(', ')}];`);
    parts.push(`SW(${this.slot(field)}, ${ci}, K[${this.constant(byValue)}], B${b}, e)`);
    return rest;
  }

  /** Wildcard alternatives on one field (same case mode) in an `or`, tested with one read and one fold. */
  groupPatterns(args: readonly IrPredicate[]): (IrPredicate | IrWildcard[])[] {
    const groups = new Map<string, IrWildcard[]>();
    const keyOf = (a: IrWildcard) => `${a.caseInsensitive ? 'i' : 's'}|${a.field}`;
    for (const a of args) if (a.kind === 'wildcard') groups.set(keyOf(a), [...(groups.get(keyOf(a)) ?? []), a]);
    const out: (IrPredicate | IrWildcard[])[] = [];
    const placed = new Set<string>();
    for (const a of args) {
      if (a.kind !== 'wildcard' || groups.get(keyOf(a))!.length === 1) out.push(a);
      else if (!placed.has(keyOf(a))) {
        placed.add(keyOf(a));
        out.push(groups.get(keyOf(a))!);
      }
    }
    return out;
  }

  patternGroup(group: IrWildcard[]): string {
    const ci = group[0].caseInsensitive === true;
    const matchers = group.map((w) => compileWildcard(ci ? w.pattern.toLowerCase() : w.pattern, false));
    const test = (v: unknown): boolean => {
      const k = keywordOf(v);
      if (k === undefined) return false;
      const folded = ci ? k.toLowerCase() : k;
      for (let i = 0; i < matchers.length; i++) if (matchers[i](folded)) return true;
      return false;
    };
    return `ANY(${this.slot(group[0].field)}, K[${this.constant(test)}])`;
  }
}


/** Every field a predicate's table-reading leaves read (closure leaves read the event and need no slot). */
export function tableFields(p: IrPredicate, out: Set<string> = new Set()): Set<string> {
  switch (p.kind) {
    case 'and':
    case 'or':
      for (const a of p.args) tableFields(a, out);
      break;
    case 'not':
      tableFields(p.arg, out);
      break;
    case 'term':
    case 'terms':
    case 'exists':
    case 'wildcard':
    case 'range':
    case 'match':
    case 'regex':
      out.add(p.field);
      break;
    default:
      break;
  }
  return out;
}

/**
 * The helpers generated code calls, over the table's arrays: generated once per table (see `helpersOf`) and
 * handed to every rule's code, so a library of rules shares one copy of each.
 */
const HELPERS = `
function KW(v) {
  return typeof v === "string" ? v : typeof v === "number" ? (Number.isFinite(v) ? String(v) : undefined) : typeof v === "boolean" ? (v ? "true" : "false") : undefined;
}
function FOLD(s, v) {
  if (LE[s] === T.epoch) return LC[s];
  LE[s] = T.epoch;
  return (LC[s] = v.toLowerCase());
}
function EACH(s, t) {
  const v = V[s];
  if (v === undefined) return false;
  if (t(v)) return true;
  const m = X[s];
  if (m !== undefined) for (let i = 0; i < m.length; i++) if (t(m[i])) return true;
  return false;
}
function ANY(s, t) { return EACH(s, t); }
function EQ(s, lit) {
  if (KW(V[s]) === lit) return true;
  const m = X[s];
  if (m !== undefined) for (let i = 0; i < m.length; i++) if (KW(m[i]) === lit) return true;
  return false;
}
function EQI(s, lit) {
  const v = V[s];
  if (v === undefined) return false;
  const k = typeof v === "string" ? FOLD(s, v) : KW(v);
  if (k !== undefined && k.toLowerCase() === lit) return true;
  const m = X[s];
  if (m !== undefined) for (let i = 0; i < m.length; i++) { const x = KW(m[i]); if (x !== undefined && x.toLowerCase() === lit) return true; }
  return false;
}
function IN(s, set) {
  const v = V[s];
  if (v === undefined) return false;
  const k = KW(v);
  if (k !== undefined && set.has(k)) return true;
  const m = X[s];
  if (m !== undefined) for (let i = 0; i < m.length; i++) { const x = KW(m[i]); if (x !== undefined && set.has(x)) return true; }
  return false;
}
function INI(s, set) {
  const v = V[s];
  if (v === undefined) return false;
  const k = typeof v === "string" ? FOLD(s, v) : KW(v);
  if (k !== undefined && set.has(k.toLowerCase())) return true;
  const m = X[s];
  if (m !== undefined) for (let i = 0; i < m.length; i++) { const x = KW(m[i]); if (x !== undefined && set.has(x.toLowerCase())) return true; }
  return false;
}
function EXS(s) { return EACH(s, HS); }
function SW(s, ci, map, branches, e) {
  const v = V[s];
  if (v === undefined) return false;
  const m = X[s];
  const n = m === undefined ? 1 : m.length + 1;
  for (let i = 0; i < n; i++) {
    const x = i === 0 ? v : m[i - 1];
    let k = typeof x === "string" && i === 0 && ci ? FOLD(s, x) : KW(x);
    if (k === undefined) continue;
    if (ci && i > 0) k = k.toLowerCase();
    const list = map.get(k);
    if (list !== undefined) for (let j = 0; j < list.length; j++) if (branches[list[j]](e)) return true;
  }
  return false;
}
`;

/** Per-slot folded text of the first value, shared by every rule of a table within one event. */
export interface FoldCache {
  readonly epochs: Int32Array;
  readonly folded: (string | undefined)[];
  /** The table's helper functions (HELPER_NAMES), made with the first rule compiled over the table. */
  helpers?: readonly unknown[];
}

const HELPER_NAMES = ['KW', 'FOLD', 'EACH', 'ANY', 'EQ', 'EQI', 'IN', 'INI', 'EXS', 'SW'];
const TABLE_NAMES = ['V', 'X', 'T', 'LE', 'LC', 'HS'];

/** The helpers over `table`'s arrays, made once per fold cache (one per table). */
function helpersOf(table: FieldTable, cache: FoldCache, hasScalar: (v: unknown) => boolean): readonly unknown[] {
  if (cache.helpers) return cache.helpers;
  const make = new Function(...TABLE_NAMES, `"use strict";\n${HELPERS}\nreturn [${HELPER_NAMES.join(', ')}];`) as (...args: unknown[]) => unknown[];
  cache.helpers = make(table.first, table.more, table, cache.epochs, cache.folded, hasScalar);
  return cache.helpers;
}

/** A fold cache sized for `table`. */
export function foldCache(table: FieldTable): FoldCache {
  return { epochs: new Int32Array(Math.max(1, table.size)).fill(-1), folded: new Array<string | undefined>(table.size).fill(undefined) };
}

/**
 * Compiles `p` into a function reading `table` (which must have a slot for every field in `tableFields(p)`),
 * or undefined where code generation is unavailable (a Content-Security-Policy forbids `new Function`).
 * `hasScalar` decides `exists` on object values.
 */
export function compileTableMatcher(p: IrPredicate, table: FieldTable, cache: FoldCache, hasScalar: (v: unknown) => boolean, now: number): TableMatcher | undefined {
  const gen = new Generator(table, now);
  const body = gen.expr(p);
  const source = ['"use strict";', ...gen.functions, 'return function match(e) {', '  let v;', `  return ${body};`, '};'].join('\n');
  try {
    const helpers = helpersOf(table, cache, hasScalar);
    const factory = new Function(...TABLE_NAMES, 'K', 'F', ...HELPER_NAMES, source) as (...args: unknown[]) => TableMatcher;
    return factory(table.first, table.more, table, cache.epochs, cache.folded, hasScalar, gen.constants, gen.closures, ...helpers);
  } catch {
    return undefined;
  }
}
