/**
 * Necessary conditions of a rule, for the dispatch index: facts every event the rule can match must meet (a
 * field holding one of a few exact or numeric values, a value starting or ending with a literal, a field being
 * present at all), found in the rule's IR, with a cost estimating how many events meet them. Rules without any
 * are evaluated for every event.
 */
import type { IrPredicate } from '../../ir/types.js';
import { toNumber } from '../primitives/numbers.js';
import { regexLiterals } from './regex-literals.js';

/**
 * How an atom is tested: `value` (keyword text equal to one of `values`, case-folded when `caseInsensitive`),
 * `number` (numeric value equal to one of `values`, truncated first on `integer` fields), `prefix` / `suffix`
 * (keyword text, folded when `caseInsensitive`, starting — after `offset` code points — or ending with one of
 * `values`), `contains` (keyword text, folded likewise, holding one of `values` somewhere: the longest literal
 * run of a `*…*` pattern; the index decides it only for rules another condition found, never by look-up),
 * `present` (the field has a value at all).
 */
export type AnchorKind = 'value' | 'number' | 'prefix' | 'suffix' | 'contains' | 'present';

/** One indexable fact about one field. */
export interface AnchorAtom {
  kind: AnchorKind;
  field: string;
  /** Keyword texts (`value`), numbers' texts (`number`), literals (`prefix`, `suffix`); empty for `present`. */
  values: Set<string>;
  caseInsensitive: boolean;
  /** `prefix`: code points the pattern's leading `?` skip before the literal. */
  offset?: number;
  /** `number`: the field is an integer type (values are truncated before comparing). */
  integer?: boolean;
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

/** Fields nearly every event carries: their presence rules out almost nothing. */
const UBIQUITOUS: ReadonlySet<string> = new Set([
  '@timestamp', 'message', 'tags', 'ecs.version', 'agent.type', 'agent.id', 'agent.name', 'event.kind', 'event.category', 'event.type',
  'event.action', 'event.code', 'event.outcome', 'event.dataset', 'event.module', 'event.provider', 'event.created', 'event.ingested',
  'data_stream.dataset', 'data_stream.type', 'data_stream.namespace', 'host.name', 'host.id', 'host.hostname', 'host.os.type',
  'host.os.family', 'host.os.name', 'host.os.platform', 'user.name', 'user.id', 'user.domain', 'process.name', 'process.pid',
  'process.executable', 'process.entity_id', 'process.command_line', 'process.args', 'process.parent.name', 'process.parent.pid',
  'process.parent.executable', 'process.parent.entity_id', 'source.ip', 'destination.ip', 'source.port', 'destination.port',
  'cloud.provider', 'cloud.account.id', 'cloud.region', 'related.ip', 'related.user',
]);

/** How much a literal of this many characters narrows a field's values (short suffixes such as `.exe` are common). */
const literalFactor = (length: number): number => (length < 4 ? 8 : length < 8 ? 3 : 1.5);

/**
 * How many rules of the loaded library test a value (see `libraryCommonness`): a value many rules test, such
 * as `event.action: exec`, is common in data too, and a value one rule tests (`process.args: --yolo`) rare.
 */
export type Commonness = (kind: AnchorKind, field: string, value: string) => number;

const noLibrary: Commonness = () => 0;

/** The key `libraryCommonness` counts a value under: one per kind, field and (folded) text. */
const commonKey = (kind: AnchorKind, field: string, value: string): string => `${kind === 'number' ? 'value' : kind}\u0000${field}\u0000${value}`;

/**
 * Counts, over a library's rule conditions, how many rules test each value (each rule once), so that the
 * anchors of one rule are chosen knowing the rest: within an `or` branch, an atom on a value few rules share
 * beats one on a value hundreds test.
 */
export function libraryCommonness(predicates: Iterable<IrPredicate>): Commonness {
  const counts = new Map<string, number>();
  for (const p of predicates) {
    const seen = new Set<string>();
    collectAtoms(p, (a) => {
      for (const v of a.values) seen.add(commonKey(a.kind, a.field, v));
    });
    for (const k of seen) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return (kind, field, value) => counts.get(commonKey(kind, field, value)) ?? 0;
}

/** Every leaf atom of a predicate, wherever it sits (under `not` too: what a library tests, not what it needs). */
function collectAtoms(p: IrPredicate, visit: (a: AnchorAtom) => void): void {
  const atom = leafAtom(p);
  if (atom) visit(atom);
  if (p.kind === 'and' || p.kind === 'or') for (const c of p.args) collectAtoms(c, visit);
  else if (p.kind === 'not') collectAtoms(p.arg, visit);
}

/**
 * The estimated share of events an atom holds for: the field's prior, times what its values add up to, each
 * value weighing more the more rules of the library test it.
 */
function atomCost(a: AnchorAtom, common: Commonness): number {
  const field = FIELD_COST[a.field] ?? 1;
  let values = 0;
  for (const v of a.values) values += (1 + common(a.kind, a.field, v)) / 20;
  const spread = Math.max(1, values);
  switch (a.kind) {
    case 'value':
      return field * spread;
    case 'number':
      return 2 * field * spread;
    case 'prefix':
    case 'suffix':
      return field * spread * literalFactor(Math.min(...[...a.values].map((v) => v.length)));
    case 'contains':
      // A run inside the value narrows less than the same run at one end.
      return 2 * field * spread * literalFactor(Math.min(...[...a.values].map((v) => v.length)));
    case 'present':
      return UBIQUITOUS.has(a.field) ? 500 : 25;
  }
}

const anchorOf = (atoms: AnchorAtom[], common: Commonness): Anchor => ({ atoms, cost: atoms.reduce((t, a) => t + atomCost(a, common), 0) });

/** Keeps the cheaper anchors first, and a bounded number of them. */
function best(anchors: Anchor[]): Anchor[] {
  return anchors.sort((a, b) => a.cost - b.cost).slice(0, 8);
}

const present = (field: string): AnchorAtom => ({ kind: 'present', field, values: new Set(), caseInsensitive: false });

/**
 * The literal a Lucene wildcard pattern's values must start (after its leading `?`s) or end with, whichever is
 * longer; undefined when both ends are `*` or `?`. `pattern` is already folded for case-insensitive matching.
 */
export function patternLiteral(pattern: string): { kind: 'prefix' | 'suffix'; literal: string; offset: number } | undefined {
  const { tokens, literal } = wildcardTokens(pattern);
  let offset = 0;
  while (offset < tokens.length && !literal[offset] && tokens[offset] === '?') offset++;
  let head = '';
  for (let i = offset; i < tokens.length && literal[i]; i++) head += tokens[i];
  let tail = '';
  for (let i = tokens.length - 1; i >= 0 && literal[i]; i--) tail = tokens[i] + tail;
  // A pattern with no wildcard at all is an equality, which lowering already turns into a term.
  if (head.length === tokens.length - offset && offset === 0) return { kind: 'prefix', literal: head, offset: 0 };
  if (head.length === 0 && tail.length === 0) return undefined;
  // Code points, not code units, are what `?` skips; a skipped astral character would shift a unit offset.
  return tail.length > head.length ? { kind: 'suffix', literal: tail, offset: 0 } : { kind: 'prefix', literal: head, offset };
}

/** A wildcard pattern as tokens: literal characters (escapes resolved) and the two wildcards, told apart. */
function wildcardTokens(pattern: string): { tokens: string[]; literal: boolean[] } {
  const tokens: string[] = [];
  const literal: boolean[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      tokens.push(pattern[++i]);
      literal.push(true);
    } else {
      tokens.push(c);
      literal.push(c !== '*' && c !== '?');
    }
  }
  return { tokens, literal };
}

/**
 * The longest run of literal characters inside a Lucene wildcard pattern (already folded when case-insensitive),
 * which every value the pattern matches contains; undefined when the pattern has no literal at all.
 */
export function innerLiteral(pattern: string): string | undefined {
  const { tokens, literal } = wildcardTokens(pattern);
  let best = '';
  let run = '';
  for (let i = 0; i < tokens.length; i++) {
    if (literal[i]) run += tokens[i];
    else {
      if (run.length > best.length) best = run;
      run = '';
    }
  }
  if (run.length > best.length) best = run;
  return best.length > 0 ? best : undefined;
}

/** Whether the dispatch index can look an anchor up by value (a `contains` atom can only be checked). */
export const isLookupAnchor = (anchor: Anchor): boolean => anchor.atoms.every((atom) => atom.kind !== 'contains');

/** The indexable fact a leaf predicate needs, when it needs one. */
function leafAtom(p: IrPredicate): AnchorAtom | undefined {
  switch (p.kind) {
    case 'term':
    case 'terms': {
      const raw = p.kind === 'term' ? [p.value] : p.values;
      if (p.type === 'keyword' || p.type === 'version') {
        const ci = p.caseInsensitive === true;
        return { kind: 'value', field: p.field, values: new Set(raw.map((v) => (ci ? String(v).toLowerCase() : String(v)))), caseInsensitive: ci };
      }
      if (p.type === 'number' || p.type === 'integer') {
        const numbers = raw.map((v) => (typeof v === 'number' ? v : toNumber(v))).filter((n): n is number => n !== undefined);
        return { kind: 'number', field: p.field, values: new Set(numbers.map(String)), caseInsensitive: false, integer: p.type === 'integer' };
      }
      return present(p.field);
    }
    case 'wildcard': {
      const ci = p.caseInsensitive === true;
      const lit = patternLiteral(ci ? p.pattern.toLowerCase() : p.pattern);
      if (!lit || lit.literal.length === 0) return present(p.field);
      return { kind: lit.kind, field: p.field, values: new Set([lit.literal]), caseInsensitive: ci, ...(lit.kind === 'prefix' ? { offset: lit.offset } : {}) };
    }
    case 'exists':
    case 'range':
    case 'match':
    case 'regex':
      return present(p.field);
    case 'nested':
      return present(p.path);
    default:
      return undefined;
  }
}

const atomKey = (a: AnchorAtom): string => `${a.kind}|${a.caseInsensitive ? 'i' : 's'}|${a.offset ?? 0}|${a.integer ? 1 : 0}|${a.field}`;

/**
 * Merges atoms of one kind on the same field and mode (an `or` of two sets on one field is one larger set); a
 * field's presence makes its other atoms redundant.
 */
function mergeAtoms(atoms: AnchorAtom[]): AnchorAtom[] {
  const byKey = new Map<string, AnchorAtom>();
  const presentFields = new Set(atoms.filter((a) => a.kind === 'present').map((a) => a.field));
  for (const a of atoms) {
    if (a.kind !== 'present' && presentFields.has(a.field)) continue;
    const key = atomKey(a);
    const prior = byKey.get(key);
    if (prior) for (const v of a.values) prior.values.add(v);
    else byKey.set(key, { ...a, values: new Set(a.values) });
  }
  return [...byKey.values()];
}

/**
 * Necessary conditions of a predicate, cheapest first. An `and` needs each child's conditions; an `or` needs
 * one of its branches, so its condition is the union of each branch's cheapest one (when every branch has one).
 */
function necessaryAnchors(p: IrPredicate, common: Commonness): Anchor[] {
  const atom = leafAtom(p);
  if (atom) {
    // A `*…*` pattern's values contain its inner literal: a condition for the checks, beside its presence.
    // An end literal shorter than a run inside (`*-EncodedCommand*?x`) gets the run as a further condition.
    if (p.kind === 'wildcard') {
      const ci = p.caseInsensitive === true;
      const inner = innerLiteral(ci ? p.pattern.toLowerCase() : p.pattern);
      const end = atom.kind === 'present' ? 0 : Math.min(...[...atom.values].map((v) => v.length));
      if (inner !== undefined && inner.length > end) return best([anchorOf([{ kind: 'contains', field: p.field, values: new Set([inner]), caseInsensitive: ci }], common), anchorOf([atom], common)]);
    }
    // A regex's values contain one of its certain literals (`[A-Z]:\\:.+` needs `:\:`): a check far cheaper than it.
    if (p.kind === 'regex') {
      const ci = p.caseInsensitive === true;
      const literals = regexLiterals(p.pattern, ci);
      if (literals !== undefined) return best([anchorOf([{ kind: 'contains', field: p.field, values: new Set(literals), caseInsensitive: ci }], common), anchorOf([atom], common)]);
    }
    return [anchorOf([atom], common)];
  }
  if (p.kind === 'and') return best(p.args.flatMap((c) => necessaryAnchors(c, common)));
  if (p.kind === 'or') {
    if (p.args.length === 0) return [];
    const branches = p.args.map((c) => necessaryAnchors(c, common));
    if (branches.some((b) => b.length === 0)) return [];
    // Any one necessary condition per branch, joined, is necessary for the `or`: pair the k-th cheapest of each
    // (a branch with fewer reuses its last), so the rule gets several conditions, not only the union of the best.
    const depth = Math.max(...branches.map((b) => b.length));
    const out: Anchor[] = [];
    for (let k = 0; k < Math.min(depth, 4); k++) out.push(anchorOf(mergeAtoms(branches.flatMap((b) => b[Math.min(k, b.length - 1)].atoms)), common));
    return best(out);
  }
  return [];
}

/** The cheapest necessary condition of a predicate, or undefined when it has none the index understands. */
export function findAnchor(predicate: IrPredicate, common: Commonness = noLibrary): Anchor | undefined {
  return necessaryAnchors(predicate, common)[0];
}

/**
 * Up to `max` necessary conditions of a predicate, cheapest first, each on different atoms: an event must
 * meet all of them, so checking several rules out far more events than the single best one.
 */
export function findAnchors(predicate: IrPredicate, max = 5, common: Commonness = noLibrary): Anchor[] {
  const out: Anchor[] = [];
  const seen = new Set<string>();
  for (const a of necessaryAnchors(predicate, common)) {
    const key = JSON.stringify(a.atoms.map((x) => [atomKey(x), [...x.values].sort()]));
    if (seen.has(key)) continue;
    // A field's mere presence among several conditions adds little: the event table already tells which are set.
    // (Unless it is the first condition the index can look up: substring conditions are only checks.)
    if (out.some(isLookupAnchor) && a.atoms.every((x) => x.kind === 'present' && UBIQUITOUS.has(x.field))) continue;
    seen.add(key);
    out.push(a);
    if (out.length === max) break;
  }
  return out;
}
