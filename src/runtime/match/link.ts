/**
 * Linking: turns an IR predicate into a matcher function once, at load. Everything that can be decided
 * before seeing an event (paths split, sets hashed, patterns compiled, date math resolved) is done here.
 */
import { IR_VERSION, type IrPredicate, type IrQuery, type IrRange, type IrTerm, type IrTerms, type ValueType } from '../../ir/types.js';
import { evalDateMath, isDateMath, parseDate, parseDateNanos } from '../primitives/dates.js';
import { compilePath, hasScalar, isPlainObject, readValues, someLeaf } from './field-access.js';
import { compareIp, compileCidr, compileCidrs, parseIp } from '../primitives/ip.js';
import { toBoolean, toNumber } from '../primitives/numbers.js';
import { analyzeText, anyTokenMatches, phraseMatches } from '../primitives/text.js';
import { booleanOf, compareCodePoints, compareVersions, dateOf, ipOf, keywordOf, numberOf } from './values.js';
import { generateMatcher } from './codegen.js';
import { linkCondition } from './eql-eval.js';
import { compileWildcard } from '../primitives/wildcard.js';
import { luceneRegexMatcher } from '../primitives/regex/lucene-regex.js';

/** A linked predicate: true when the event (or nested object) satisfies it. */
export type Matcher = (event: unknown) => boolean;

/** What linking needs from the caller. */
export interface LinkOptions {
  /** The instant `now` in date math (epoch ms); defaults to the time of linking. */
  now?: number;
  /** Generate one specialised function per predicate (default true); false keeps plain closures. */
  codegen?: boolean;
}

interface LinkContext {
  now: number;
}

type ValueTest = (v: unknown) => boolean;

/** A matcher that holds when some value at `field` passes `test`. */
function anyValue(field: string, test: ValueTest): Matcher {
  const path = compilePath(field);
  return (event) => {
    const values = readValues(event, path);
    for (let i = 0; i < values.length; i++) if (test(values[i])) return true;
    return false;
  };
}

/** Resolves a date or date-math bound; rounding up serves `gt` and `lte`, as in Elasticsearch. */
function dateBound(value: string | number, roundUp: boolean, ctx: LinkContext): number | undefined {
  if (typeof value === 'number') return value;
  return isDateMath(value) ? evalDateMath(value, ctx.now, roundUp) : parseDate(value, roundUp);
}

/** A bound on a `date_nanos` field, in epoch ns; date math resolves to the millisecond, rounded up to its last nanosecond. */
function dateNanosBound(value: string | number, roundUp: boolean, ctx: LinkContext): bigint | undefined {
  if (typeof value === 'string' && isDateMath(value)) {
    const ms = evalDateMath(value, ctx.now, roundUp);
    return ms === undefined ? undefined : BigInt(ms) * 1_000_000n + (roundUp ? 999_999n : 0n);
  }
  return parseDateNanos(value, roundUp);
}

function keywordTest(value: string, caseInsensitive: boolean | undefined): ValueTest {
  if (caseInsensitive) {
    const lower = value.toLowerCase();
    return (v) => {
      const k = keywordOf(v);
      return k !== undefined && k.toLowerCase() === lower;
    };
  }
  return (v) => (typeof v === 'string' ? v === value : keywordOf(v) === value);
}

function termTest(p: IrTerm, ctx: LinkContext): ValueTest {
  const { type, value } = p;
  switch (type) {
    case 'keyword':
    case 'version':
      return keywordTest(String(value), p.caseInsensitive);
    case 'number':
    case 'integer': {
      const want = typeof value === 'number' ? value : toNumber(value);
      const integer = type === 'integer';
      return (v) => numberOf(v, integer) === want;
    }
    case 'boolean': {
      const want = typeof value === 'boolean' ? value : toBoolean(value);
      return (v) => booleanOf(v) === want;
    }
    case 'ip': {
      const inBlock = compileCidr(String(value));
      if (!inBlock) return () => false;
      return (v) => typeof v === 'string' && inBlock(v);
    }
    case 'date': {
      if (typeof value === 'boolean') return () => false;
      const lo = dateBound(value, false, ctx);
      const hi = dateBound(value, true, ctx);
      if (lo === undefined || hi === undefined) return () => false;
      return (v) => {
        const t = dateOf(v);
        return t !== undefined && t >= lo && t <= hi;
      };
    }
    case 'date_nanos': {
      if (typeof value === 'boolean') return () => false;
      const lo = dateNanosBound(value, false, ctx);
      const hi = dateNanosBound(value, true, ctx);
      if (lo === undefined || hi === undefined) return () => false;
      return (v) => {
        const t = parseDateNanos(v, false);
        return t !== undefined && t >= lo && t <= hi;
      };
    }
  }
}

function termsTest(p: IrTerms, ctx: LinkContext): ValueTest {
  const { type, values } = p;
  if (type === 'keyword') {
    const set = new Set(values.map((v) => (p.caseInsensitive ? String(v).toLowerCase() : String(v))));
    if (p.caseInsensitive) {
      return (v) => {
        const k = keywordOf(v);
        return k !== undefined && set.has(k.toLowerCase());
      };
    }
    return (v) => {
      const k = typeof v === 'string' ? v : keywordOf(v);
      return k !== undefined && set.has(k);
    };
  }
  if (type === 'number' || type === 'integer') {
    const set = new Set(values.map((v) => (typeof v === 'number' ? v : toNumber(v))));
    const integer = type === 'integer';
    return (v) => {
      const n = numberOf(v, integer);
      return n !== undefined && set.has(n);
    };
  }
  if (type === 'ip') {
    const inAny = compileCidrs(values.map(String));
    return (v) => typeof v === 'string' && inAny(v);
  }
  const tests = values.map((value) => termTest({ kind: 'term', field: p.field, type, value }, ctx));
  return (v) => {
    for (let i = 0; i < tests.length; i++) if (tests[i](v)) return true;
    return false;
  };
}

type Bounds = { gt?: number; gte?: number; lt?: number; lte?: number };

function withinBounds(x: number, b: Bounds): boolean {
  return (b.gt === undefined || x > b.gt) && (b.gte === undefined || x >= b.gte) && (b.lt === undefined || x < b.lt) && (b.lte === undefined || x <= b.lte);
}

function rangeTest(p: IrRange, ctx: LinkContext): ValueTest {
  const type: ValueType = p.type;
  if (type === 'number' || type === 'integer' || type === 'boolean') {
    const b: Bounds = {};
    for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
      const raw = p[op];
      if (raw === undefined) continue;
      const n = typeof raw === 'number' ? raw : toNumber(raw);
      if (n === undefined) return () => false;
      b[op] = n;
    }
    if (type === 'boolean') {
      // Elasticsearch orders booleans as 0 (false) and 1 (true).
      return (v) => {
        const x = booleanOf(v);
        return x !== undefined && withinBounds(x ? 1 : 0, b);
      };
    }
    const integer = type === 'integer';
    return (v) => {
      const n = numberOf(v, integer);
      return n !== undefined && withinBounds(n, b);
    };
  }
  if (type === 'date') {
    const b: Bounds = {};
    for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
      const raw = p[op];
      if (raw === undefined) continue;
      const t = dateBound(raw, op === 'gt' || op === 'lte', ctx);
      if (t === undefined) return () => false;
      b[op] = t;
    }
    return (v) => {
      const t = dateOf(v);
      return t !== undefined && withinBounds(t, b);
    };
  }
  if (type === 'date_nanos') {
    const b: { gt?: bigint; gte?: bigint; lt?: bigint; lte?: bigint } = {};
    for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
      const raw = p[op];
      if (raw === undefined) continue;
      const t = dateNanosBound(raw, op === 'gt' || op === 'lte', ctx);
      if (t === undefined) return () => false;
      b[op] = t;
    }
    return (v) => {
      const t = parseDateNanos(v, false);
      return t !== undefined && (b.gt === undefined || t > b.gt) && (b.gte === undefined || t >= b.gte) && (b.lt === undefined || t < b.lt) && (b.lte === undefined || t <= b.lte);
    };
  }
  if (type === 'ip') {
    const bounds: [string, Uint8Array][] = [];
    for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
      const raw = p[op];
      if (raw === undefined) continue;
      const ip = parseIp(String(raw));
      if (!ip) return () => false;
      bounds.push([op, ip]);
    }
    return (v) => {
      const ip = ipOf(v);
      if (!ip) return false;
      return bounds.every(([op, bound]) => {
        const c = compareIp(ip, bound);
        return op === 'gt' ? c > 0 : op === 'gte' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
      });
    };
  }
  // Keyword (and anything else): Elasticsearch orders terms by their bytes; code points give the same order.
  const compare = type === 'version' ? compareVersions : compareCodePoints;
  const bounds = (['gt', 'gte', 'lt', 'lte'] as const).filter((op) => p[op] !== undefined).map((op) => [op, String(p[op])] as const);
  return (v) => {
    const k = keywordOf(v);
    if (k === undefined) return false;
    return bounds.every(([op, bound]) => {
      const c = compare(k, bound);
      return op === 'gt' ? c > 0 : op === 'gte' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
    });
  };
}

function matchTest(mode: 'any' | 'phrase' | 'wildcard', query: string): ValueTest {
  if (mode === 'wildcard') {
    const matches = compileWildcard(query.toLowerCase(), false);
    return (v) => {
      const k = keywordOf(v);
      return k !== undefined && analyzeText(k).some(matches);
    };
  }
  const queryTokens = analyzeText(query);
  if (mode === 'phrase') {
    return (v) => {
      const k = keywordOf(v);
      return k !== undefined && phraseMatches(analyzeText(k), queryTokens);
    };
  }
  return (v) => {
    const k = keywordOf(v);
    return k !== undefined && anyTokenMatches(analyzeText(k), queryTokens);
  };
}

function freeTextMatcher(p: Extract<IrPredicate, { kind: 'freeText' }>): Matcher {
  const textFields = new Set(p.textFields);
  const inScope = p.fieldPattern !== undefined ? compileWildcard(p.fieldPattern, false) : undefined;
  let leafTest: (path: string, v: unknown) => boolean;
  if (p.mode === 'exists') {
    leafTest = () => true;
  } else if (p.mode === 'wildcard') {
    const whole = compileWildcard(p.query, false);
    const token = matchTest('wildcard', p.query);
    leafTest = (path, v) => (typeof v === 'string' && whole(v)) || (textFields.has(path) && token(v));
  } else {
    const q = p.query;
    const asNumber = toNumber(q);
    const asBoolean = toBoolean(q);
    const analyzed = matchTest(p.mode === 'phrase' ? 'phrase' : 'any', q);
    leafTest = (path, v) => {
      if (typeof v === 'string') return v === q || (textFields.has(path) && analyzed(v));
      // multi_match is lenient: a value that cannot be of the field's type is skipped, not an error.
      if (typeof v === 'number') return asNumber !== undefined && v === asNumber;
      if (typeof v === 'boolean') return asBoolean !== undefined && v === asBoolean;
      return false;
    };
  }
  const visit = inScope ? (path: string, v: unknown) => inScope(path) && leafTest(path, v) : leafTest;
  return (event) => someLeaf(event, visit);
}

/** A test on one value of a field, as the leaf applies it to each value the event holds. */
export type { ValueTest };

/**
 * The per-value test of a leaf that reads one field (term, terms, range, wildcard, match, regex, exists), for
 * callers that read the field's values themselves (the engine's field table); undefined for other leaves.
 */
export function leafValueTest(p: IrPredicate, options: LinkOptions = {}): { field: string; test: ValueTest } | undefined {
  return fieldValueTest(p, { now: options.now ?? Date.now() });
}

function keywordMatcher(matches: (k: string) => boolean): ValueTest {
  return (v) => {
    const k = keywordOf(v);
    return k !== undefined && matches(k);
  };
}

/** The field and per-value test of a leaf that reads one field, as both the closures and the field table use it. */
function fieldValueTest(p: IrPredicate, ctx: LinkContext): { field: string; test: ValueTest } | undefined {
  switch (p.kind) {
    case 'exists':
      return { field: p.field, test: (v) => hasScalar(v) };
    case 'term':
      return { field: p.field, test: termTest(p, ctx) };
    case 'terms':
      return { field: p.field, test: termsTest(p, ctx) };
    case 'range':
      return { field: p.field, test: rangeTest(p, ctx) };
    case 'wildcard':
      return { field: p.field, test: keywordMatcher(compileWildcard(p.pattern, Boolean(p.caseInsensitive))) };
    case 'match':
      return { field: p.field, test: matchTest(p.mode, p.query) };
    case 'regex':
      return { field: p.field, test: keywordMatcher(luceneRegexMatcher(p.pattern, Boolean(p.caseInsensitive))) };
    default:
      return undefined;
  }
}

/** Links one predicate into closures over the event, without generated code. */
export function linkClosure(p: IrPredicate, options: LinkOptions = {}): Matcher {
  return link(p, { now: options.now ?? Date.now() });
}

function link(p: IrPredicate, ctx: LinkContext): Matcher {
  switch (p.kind) {
    case 'const':
      return p.value ? () => true : () => false;
    case 'and': {
      const args = p.args.map((a) => link(a, ctx));
      if (args.length === 2) {
        const [a, b] = args;
        return (e) => a(e) && b(e);
      }
      return (e) => {
        for (let i = 0; i < args.length; i++) if (!args[i](e)) return false;
        return true;
      };
    }
    case 'or': {
      const args = p.args.map((a) => link(a, ctx));
      return (e) => {
        for (let i = 0; i < args.length; i++) if (args[i](e)) return true;
        return false;
      };
    }
    case 'not': {
      const arg = link(p.arg, ctx);
      return (e) => !arg(e);
    }
    case 'nested': {
      const inner = link(p.query, ctx);
      return anyValue(p.path, (v) => isPlainObject(v) && inner(v));
    }
    case 'freeText':
      return freeTextMatcher(p);
    case 'exists':
    case 'term':
    case 'terms':
    case 'range':
    case 'wildcard':
    case 'match':
    case 'regex': {
      const leaf = fieldValueTest(p, ctx)!;
      return anyValue(leaf.field, leaf.test);
    }
    case 'expr':
      return linkCondition(p.expr, p.expect);
  }
}

/** Links a compiled query (checking its IR version) into a matcher. */
export function linkQuery(query: IrQuery, options: LinkOptions = {}): Matcher {
  if (query === null || typeof query !== 'object' || query.irVersion !== IR_VERSION) {
    const found = query !== null && typeof query === 'object' ? String((query as { irVersion?: unknown }).irVersion) : typeof query;
    throw new Error(`unsupported IR version ${found}; this runtime reads version ${IR_VERSION}`);
  }
  return linkPredicate(query.predicate, options);
}

/** Links an IR predicate into a matcher. Safe for any JSON value as the event. */
export function linkPredicate(predicate: IrPredicate, options: LinkOptions = {}): Matcher {
  const ctx: LinkContext = { now: options.now ?? Date.now() };
  if (options.codegen !== false) {
    const generated = generateMatcher(predicate, (leaf) => link(leaf, ctx));
    if (generated) return generated;
  }
  return link(predicate, ctx);
}
