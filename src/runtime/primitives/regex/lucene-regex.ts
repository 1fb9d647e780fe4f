/**
 * Lucene regular expressions, as Elasticsearch evaluates EQL's `regex` / `regex~`: the pattern must match the
 * whole value, over Unicode code points, with Elasticsearch's optional operators enabled, and `regex~` folding
 * ASCII letters of literal characters only (Lucene's ASCII_CASE_INSENSITIVE). Matching runs an automaton, so
 * its time is linear in the value whatever the pattern; a pattern whose automaton would be too large is
 * refused when compiled, never discovered while matching.
 */
import { buildNfa, determinize, MAX_DFA_STATES } from './lucene-regex-nfa.js';
import { nfaMatcher, type ValueTest } from './lucene-regex-match.js';
import { parseLuceneRegexSyntax } from './lucene-regex-parse.js';

export type { ValueTest } from './lucene-regex-match.js';
export { MAX_DFA_STATES, MAX_NFA_STATES } from './lucene-regex-nfa.js';

/** How a pattern matches. */
export interface LuceneRegexOptions {
  /** `regex~`: ASCII letters in literal characters and strings match either case (ranges do not fold). */
  caseInsensitive?: boolean;
}

/**
 * A compiled pattern, or why it cannot be used: invalid syntax or an automaton over the size limits. `offset`
 * is a UTF-16 index into the pattern, pointing at the offending text.
 */
export type LuceneRegexResult = { ok: true; test: ValueTest } | { ok: false; reason: string; offset: number };

/** Compiles a Lucene regular expression into a whole-value matcher. Never throws for any pattern. */
export function compileLuceneRegex(pattern: string, options: LuceneRegexOptions = {}): LuceneRegexResult {
  const parsed = parseLuceneRegexSyntax(pattern);
  if (!parsed.ok) return parsed;
  const built = buildNfa(parsed.node, Boolean(options.caseInsensitive));
  if (!built.ok) return built;
  return { ok: true, test: nfaMatcher(built.nfa) };
}

/**
 * Whether the pattern's automaton determinizes within Elasticsearch's default limit (10,000 states,
 * `max_determinized_states`). Elasticsearch determinizes every `regexp` query and refuses one that needs more
 * ("too complex to determinize"); ruleforge matches such patterns lazily, so the compiler warns instead.
 * Undefined when the pattern does not compile at all.
 */
export function determinizesLikeElasticsearch(pattern: string, options: LuceneRegexOptions = {}): boolean | undefined {
  const parsed = parseLuceneRegexSyntax(pattern);
  if (!parsed.ok) return undefined;
  const built = buildNfa(parsed.node, Boolean(options.caseInsensitive));
  if (!built.ok) return undefined;
  try {
    determinize(built.nfa, parsed.node, MAX_DFA_STATES);
    return true;
  } catch {
    return false;
  }
}

export { MAX_DFA_STATES as ELASTICSEARCH_DETERMINIZED_STATES };

// Linked rules share compiled patterns; the bound only guards against an unbounded stream of distinct ones.
const cache = new Map<string, ValueTest>();
const MAX_CACHED_PATTERNS = 2048;

/**
 * The matcher for a pattern the compiler has already validated (from the IR), compiled once and shared.
 * Throws when the pattern is invalid, as linking any other malformed IR does.
 */
export function luceneRegexMatcher(pattern: string, caseInsensitive: boolean): ValueTest {
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let test = cache.get(key);
  if (test) return test;
  const compiled = compileLuceneRegex(pattern, { caseInsensitive });
  if (!compiled.ok) throw new Error(`invalid regular expression in the IR ${JSON.stringify(pattern)}: ${compiled.reason} (at offset ${compiled.offset})`);
  test = compiled.test;
  if (cache.size >= MAX_CACHED_PATTERNS) cache.clear();
  cache.set(key, test);
  return test;
}
