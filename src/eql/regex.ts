/**
 * Checking EQL `regex` patterns at compile time. The IR carries the Lucene pattern itself and the runtime
 * compiles it to an automaton; compiling it here too means every pattern a rule ships with is known to parse
 * and to fit the automaton limits, and a bad one is reported at the character that breaks it.
 */
import { compileLuceneRegex, determinizesLikeElasticsearch } from '../runtime/primitives/regex/lucene-regex.js';

/** Whether a pattern can be used, or why not and where (a UTF-16 offset into the pattern's value). */
export type RegexCheck = { ok: true } | { ok: false; reason: string; offset: number };

/** Checks a Lucene regular expression (with `regex~` folding when `caseInsensitive`) as the runtime will build it. */
export function checkLuceneRegex(pattern: string, caseInsensitive = false): RegexCheck {
  const compiled = compileLuceneRegex(pattern, { caseInsensitive });
  return compiled.ok ? { ok: true } : { ok: false, reason: compiled.reason, offset: compiled.offset };
}

/** Whether Elasticsearch would refuse the pattern as too complex to determinize (ruleforge still runs it). */
export function tooComplexForElasticsearch(pattern: string, caseInsensitive = false): boolean {
  return determinizesLikeElasticsearch(pattern, { caseInsensitive }) === false;
}

/**
 * Where the value offset `offset` of an EQL string literal sits in the literal's source text (`"…"` with its
 * escapes, or `"""…"""`), so a diagnostic can point into the query. Offsets past the end map to the closing quote.
 */
export function literalSourceOffset(literalText: string, raw: boolean, offset: number): number {
  if (raw) return Math.min(3 + offset, Math.max(3, literalText.length - 3));
  let value = 0;
  let i = 1;
  while (i < literalText.length - 1) {
    if (value >= offset) return i;
    if (literalText[i] === '\\') {
      const m = /^\\u\{([0-9a-fA-F]+)\}/.exec(literalText.slice(i, i + 12)) ?? /^\\u([0-9a-fA-F]{4})/.exec(literalText.slice(i, i + 6));
      if (m) {
        value += parseInt(m[1], 16) > 0xffff ? 2 : 1;
        i += m[0].length;
      } else {
        value += 1;
        i += 2;
      }
    } else {
      value += 1;
      i += 1;
    }
  }
  return Math.max(1, literalText.length - 1);
}
