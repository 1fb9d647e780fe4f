/**
 * Generated fast paths. The linked closures (link.ts) are correct for every event shape; this module
 * compiles a predicate's boolean structure and its commonest leaves (keyword equality, keyword sets, exists)
 * into one JavaScript function, in the manner of Ajv, so V8 can inline the whole condition.
 *
 * Safety: nothing from a rule is ever spliced into the source as code. Field names enter only as
 * JSON-encoded string literals used as property keys; compared values and sets live in a side table `K`
 * and are referenced by index; every other leaf is a linked closure referenced by index in `F`.
 *
 * Each fast leaf handles only the common case (a chain of plain objects ending in a string, no dotted-key
 * alternative present) and defers anything else (arrays, numbers, dotted or mixed shapes, missing parents)
 * to the leaf's linked closure, so results are identical to the closures by construction.
 */
import type { IrPredicate } from '../ir/types.js';

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

  constructor(private readonly linkLeaf: LeafLinker) {}

  constant(v: unknown): number {
    this.constants.push(v);
    return this.constants.length - 1;
  }

  fallback(p: IrPredicate): string {
    this.fallbacks.push(this.linkLeaf(p));
    return `F[${this.fallbacks.length - 1}](e)`;
  }

  /** A fast leaf: walks the plain-object chain, checks dotted alternatives, then tests the final value. */
  fastLeaf(p: IrPredicate, field: string, test: (v: string) => string): string {
    const segments = field.split('.');
    if (segments.length > MAX_FAST_DEPTH || segments.some(unsafeKey)) return this.fallback(p);
    const slow = this.fallback(p);
    const lines: string[] = [`if (typeof e !== "object" || e === null || Array.isArray(e)) return ${slow};`, 'const o0 = e;'];
    for (let i = 0; i < segments.length - 1; i++) {
      lines.push(`const o${i + 1} = o${i}[${JSON.stringify(segments[i])}];`);
      lines.push(`if (typeof o${i + 1} !== "object" || o${i + 1} === null || Array.isArray(o${i + 1})) return ${slow};`);
    }
    // The same field may also be spelled with dots at any level ({"a.b": ...}); then take the slow path.
    for (let i = 0; i < segments.length - 1; i++) {
      for (let j = i + 1; j < segments.length; j++) {
        const key = segments.slice(i, j + 1).join('.');
        lines.push(`if (o${i}[${JSON.stringify(key)}] !== undefined) return ${slow};`);
      }
    }
    const last = segments.length - 1;
    lines.push(`const v = o${last}[${JSON.stringify(segments[last])}];`);
    lines.push(`if (typeof v === "string") return ${test('v')};`);
    lines.push('if (v === undefined || v === null) return false;');
    lines.push(`return ${slow};`);
    const name = `l${this.functions.length}`;
    this.functions.push(`function ${name}(e) {\n  ${lines.join('\n  ')}\n}`);
    return `${name}(e)`;
  }

  expr(p: IrPredicate): string {
    switch (p.kind) {
      case 'const':
        return p.value ? 'true' : 'false';
      case 'and':
        return `(${p.args.map((a) => this.expr(a)).join(' && ')})`;
      case 'or':
        return `(${p.args.map((a) => this.expr(a)).join(' || ')})`;
      case 'not':
        return `!${this.expr(p.arg)}`;
      case 'term':
        if (p.type === 'keyword' && !p.caseInsensitive && typeof p.value === 'string') {
          const k = this.constant(p.value);
          return this.fastLeaf(p, p.field, (v) => `${v} === K[${k}]`);
        }
        return this.fallback(p);
      case 'terms':
        if (p.type === 'keyword' && !p.caseInsensitive) {
          const k = this.constant(new Set(p.values.map(String)));
          return this.fastLeaf(p, p.field, (v) => `K[${k}].has(${v})`);
        }
        return this.fallback(p);
      case 'exists':
        return this.fastLeaf(p, p.field, () => 'true');
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
  const source = `"use strict";\n${gen.functions.join('\n')}\nreturn function match(e) { return ${body}; };`;
  try {
    const factory = new Function('K', 'F', source) as (k: unknown[], f: Fallback[]) => (event: unknown) => boolean;
    return factory(gen.constants, gen.fallbacks);
  } catch {
    return undefined;
  }
}
