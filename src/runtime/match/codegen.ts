/**
 * Generated fast paths. The linked closures (link.ts) are correct for every event shape; this module
 * compiles a predicate's boolean structure and its commonest leaves (keyword equality, keyword sets, exists)
 * into one JavaScript function, in the manner of Ajv, so V8 can inline the whole condition.
 *
 * Safety: nothing from a rule is ever spliced into the source as code. Field names and compared strings
 * enter only as JSON-encoded string literals (JSON.stringify output is always a valid, inert JS string
 * literal); sets live in a side table `K` referenced by index; every other leaf is a linked closure
 * referenced by index in `F`.
 *
 * Each fast leaf handles only the common case (a chain of plain objects ending in a string, no dotted-key
 * alternative present) and defers anything else (arrays, numbers, dotted or mixed shapes, missing parents)
 * to the leaf's linked closure, so results are identical to the closures by construction.
 */
import type { IrPredicate, IrWildcard } from '../../ir/types.js';
import { compileWildcard } from '../primitives/wildcard.js';

/** A leaf the generator could not specialise, evaluated by its linked closure. */
export type Fallback = (event: unknown) => boolean;

/** Links a leaf predicate into a closure (supplied by link.ts, to avoid a module cycle). */
export type LeafLinker = (p: IrPredicate) => Fallback;

const MAX_FAST_DEPTH = 8;

function unsafeKey(segment: string): boolean {
  // Keys that exist on Object.prototype would read inherited values on the fast path.
  return segment === '' || segment in Object.prototype;
}

class Generator {
  readonly constants: unknown[] = [];
  readonly fallbacks: Fallback[] = [];
  readonly functions: string[] = [];
  /** Object-chain prefixes read once per event at the top of the matcher: path → local variable. */
  readonly prefixes = new Map<string, string>();
  readonly prefixLines: string[] = [];

  constructor(private readonly linkLeaf: LeafLinker) {}

  constant(v: unknown): number {
    this.constants.push(v);
    return this.constants.length - 1;
  }

  fallbackIndex(p: IrPredicate): number {
    this.fallbacks.push(this.linkLeaf(p));
    return this.fallbacks.length - 1;
  }

  fallback(p: IrPredicate): string {
    return `F[${this.fallbackIndex(p)}](e)`;
  }

  /**
   * The local holding the plain object at `segments` (a prefix of some field), read once at the top of the
   * matcher: the object itself, `undefined` when the path is missing or null, or `null` when something other
   * than a plain object sits on it (an array, a scalar), which sends leaves to their slow path. (Reading
   * prefixes lazily was tried: the extra checks cost more than the reads they save.)
   */
  prefix(segments: string[]): string {
    const path = segments.join('.');
    const known = this.prefixes.get(path);
    if (known) return known;
    const parent = segments.length === 1 ? 'e' : this.prefix(segments.slice(0, -1));
    const name = `p${this.prefixes.size}`;
    this.prefixes.set(path, name);
    const key = JSON.stringify(segments[segments.length - 1]);
    const raw = `${name}r`;
    this.prefixLines.push(
      `const ${raw} = ${parent === 'e' ? `e[${key}]` : `${parent} == null ? undefined : ${parent}[${key}]`};`,
      `const ${name} = ${raw} == null ? undefined : typeof ${raw} === "object" && !Array.isArray(${raw}) ? ${raw} : null;`,
    );
    return name;
  }

  /**
   * A fast leaf over the prefix objects: if every level is a plain object and no dotted spelling of the
   * field is present, test the final value; anything unusual goes to the linked closure.
   */
  fastLeaf(p: IrPredicate, field: string, test: (v: string) => string, testFn: (s: string) => boolean): string {
    const segments = field.split('.');
    if (segments.length > MAX_FAST_DEPTH || segments.some(unsafeKey)) return this.fallback(p);
    const slow = `F[${this.fallbackIndex(p)}](e)`;
    const levels = ['e'];
    for (let i = 1; i < segments.length; i++) levels.push(this.prefix(segments.slice(0, i)));
    // Go slow when a level is not a plain object, or when the field is also spelled with dots somewhere.
    const slowIf: string[] = levels.slice(1).map((l) => `${l} === null`);
    for (let i = 0; i < segments.length - 1; i++) {
      for (let j = i + 1; j < segments.length; j++) {
        const read = `${levels[i]}[${JSON.stringify(segments.slice(i, j + 1).join('.'))}] !== undefined`;
        slowIf.push(i === 0 ? read : `(${levels[i]} !== undefined && ${read})`);
      }
    }
    // A missing level (after the checks above) means the field is absent.
    const missing = levels.slice(1).map((l) => `${l} === undefined`);
    const last = levels[segments.length - 1];
    // Arrays of strings (event.category, process.args) stay on the fast path: AN answers 1 (some element
    // passes), 0 (none does) or 2 (an element is not a string or null: let the closure decide).
    const arrayTest = `((r = AN(v, K[${this.constant(testFn)}])) === 2 ? ${slow} : r === 1)`;
    const value = `typeof (v = ${last}[${JSON.stringify(segments[segments.length - 1])}]) === "string" ? ${test('v')} : v == null ? false : Array.isArray(v) ? ${arrayTest} : ${slow}`;
    // One expression, so and/or/not trees compose without calls and V8 sees the whole condition at once.
    return `(${slowIf.length ? `${slowIf.join(' || ')} ? ${slow} : ` : ''}${missing.length ? `${missing.join(' || ')} ? false : ` : ''}${value})`;
  }

  /**
   * Gathers an `or`'s wildcard alternatives on one field (same case mode) into groups, so a list such as
   * `dns.question.name like~ ("*.ru", "*.top", …)` reads and lower-cases the value once, not once per pattern.
   */
  groupPatterns(args: readonly IrPredicate[]): (IrPredicate | IrWildcard[])[] {
    const groups = new Map<string, IrWildcard[]>();
    for (const a of args) {
      if (a.kind !== 'wildcard') continue;
      const key = `${a.caseInsensitive ? 'i' : 's'}|${a.field}`;
      const list = groups.get(key);
      if (list) list.push(a);
      else groups.set(key, [a]);
    }
    const out: (IrPredicate | IrWildcard[])[] = [];
    const placed = new Set<string>();
    for (const a of args) {
      if (a.kind !== 'wildcard') {
        out.push(a);
        continue;
      }
      const key = `${a.caseInsensitive ? 'i' : 's'}|${a.field}`;
      const group = groups.get(key)!;
      if (group.length === 1) out.push(a);
      else if (!placed.has(key)) {
        placed.add(key);
        out.push(group);
      }
    }
    return out;
  }

  /** One fast leaf testing several wildcard patterns against the same field. */
  patternGroup(group: IrWildcard[]): string {
    const ci = group[0].caseInsensitive === true;
    const matchers = group.map((w) => compileWildcard(ci ? w.pattern.toLowerCase() : w.pattern, false));
    const test = (s: string): boolean => {
      const folded = ci ? s.toLowerCase() : s;
      for (let i = 0; i < matchers.length; i++) if (matchers[i](folded)) return true;
      return false;
    };
    const k = this.constant(test);
    return this.fastLeaf({ kind: 'or', args: group }, group[0].field, (v) => `K[${k}](${v})`, test);
  }

  expr(p: IrPredicate): string {
    switch (p.kind) {
      case 'const':
        return p.value ? 'true' : 'false';
      case 'and':
        return `(${p.args.map((a) => this.expr(a)).join(' && ')})`;
      case 'or':
        return `(${this.groupPatterns(p.args).map((a) => (Array.isArray(a) ? this.patternGroup(a) : this.expr(a))).join(' || ')})`;
      case 'not':
        return `!${this.expr(p.arg)}`;
      case 'term':
        if (p.type === 'keyword' && typeof p.value === 'string') {
          if (p.caseInsensitive) {
            const lower = p.value.toLowerCase();
            const literal = JSON.stringify(lower);
            return this.fastLeaf(p, p.field, (v) => `${v}.toLowerCase() === ${literal}`, (s) => s.toLowerCase() === lower);
          }
          const value = p.value;
          const literal = JSON.stringify(value);
          return this.fastLeaf(p, p.field, (v) => `${v} === ${literal}`, (s) => s === value);
        }
        return this.fallback(p);
      case 'terms':
        if (p.type === 'keyword') {
          if (p.caseInsensitive) {
            const set = new Set(p.values.map((v) => String(v).toLowerCase()));
            const k = this.constant(set);
            return this.fastLeaf(p, p.field, (v) => `K[${k}].has(${v}.toLowerCase())`, (s) => set.has(s.toLowerCase()));
          }
          const values = p.values.map(String);
          const set = new Set(values);
          // A short list compares directly: cheaper than hashing for a handful of values.
          if (values.length <= 4) {
            const literals = values.map((v) => JSON.stringify(v));
            return this.fastLeaf(p, p.field, (v) => `(${literals.map((l) => `${v} === ${l}`).join(' || ')})`, (s) => set.has(s));
          }
          const k = this.constant(set);
          return this.fastLeaf(p, p.field, (v) => `K[${k}].has(${v})`, (s) => set.has(s));
        }
        return this.fallback(p);
      case 'wildcard': {
        const matches = compileWildcard(p.pattern, Boolean(p.caseInsensitive));
        const k = this.constant(matches);
        return this.fastLeaf(p, p.field, (v) => `K[${k}](${v})`, matches);
      }
      case 'exists':
        return this.fastLeaf(p, p.field, () => 'true', () => true);
      default:
        return this.fallback(p);
    }
  }
}

/**
 * Compiles `p` into one generated function, or returns undefined where code generation is unavailable
 * (e.g. a Content-Security-Policy forbids `new Function`); callers then use the linked closures.
 */
export function generateMatcher(p: IrPredicate, linkLeaf: LeafLinker): ((event: unknown) => boolean) | undefined {
  const gen = new Generator(linkLeaf);
  const body = gen.expr(p);
  // Top-level arrays and non-objects are rare; the closures handle them.
  const whole = gen.fallbackIndex(p);
  const source = [
    '"use strict";',
    ...gen.functions,
    'function AN(a, t) {',
    '  let unknown = false;',
    '  for (let i = 0; i < a.length; i++) {',
    '    const x = a[i];',
    '    if (typeof x === "string") { if (t(x)) return 1; }',
    '    else if (x != null) unknown = true;',
    '  }',
    '  return unknown ? 2 : 0;',
    '}',
    'return function match(e) {',
    `  if (typeof e !== "object" || e === null || Array.isArray(e)) return F[${whole}](e);`,
    '  let v, r;',
    ...gen.prefixLines.map((l) => `  ${l}`),
    `  return ${body};`,
    '};',
  ].join('\n');
  try {
    const factory = new Function('K', 'F', source) as (k: unknown[], f: Fallback[]) => (event: unknown) => boolean;
    return factory(gen.constants, gen.fallbacks);
  } catch {
    return undefined;
  }
}
