/**
 * Literals a Lucene regular expression's matches must contain, for the dispatch index: `[A-Z]:\\:.+` matches
 * only values holding `:\:`, so a rule whose condition is that regex needs a value containing it, a substring
 * check far cheaper than running the automaton. A result is a set: every match contains at least one of them
 * (`(cmd|powershell)\.exe` gives `cmd.exe`, `powershell.exe`).
 *
 * Only what is certain is kept: a union gives a set only when each branch gives one; repetition that may occur
 * zero times, classes, ranges, complements and the like give nothing. Under `regex~` (ASCII letters match
 * either case) literals are folded and kept only when ASCII: the index folds values with `toLowerCase`, which
 * agrees with ASCII case folding on ASCII text, whatever surrounds it.
 */
import { parseLuceneRegexSyntax, type RegexNode } from '../primitives/regex/lucene-regex-parse.js';

/** Shorter literals hold for too many values to be worth a check. */
const MIN_LITERAL = 3;
/** More alternatives than this make a check that costs more than it saves. */
const MAX_LITERALS = 8;

interface Facts {
  /** The one string the node matches, when it matches exactly one. */
  exact: string | undefined;
  /** Literals one of which every match contains, or undefined when none is known. */
  must: string[] | undefined;
}

const NOTHING: Facts = { exact: undefined, must: undefined };

/** The weakest literal of a set decides how much it narrows. */
const strength = (set: readonly string[]): number => Math.min(...set.map((s) => s.length));

function better(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return strength(b) > strength(a) ? b : a;
}

function facts(node: RegexNode, fold: (cp: number) => string): Facts {
  switch (node.t) {
    case 'char': {
      const c = fold(node.cp);
      return { exact: c, must: [c] };
    }
    case 'string': {
      const s = node.cps.map(fold).join('');
      return { exact: s, must: s.length > 0 ? [s] : undefined };
    }
    case 'concat': {
      // Runs of exactly known items are literals of the whole; any item's own literals are too.
      let run = '';
      let whole: string | undefined = '';
      let must: string[] | undefined;
      for (const item of node.items) {
        const f = facts(item, fold);
        if (f.exact !== undefined) {
          run += f.exact;
          if (whole !== undefined) whole += f.exact;
          continue;
        }
        whole = undefined;
        if (run.length > 0) must = better(must, [run]);
        run = '';
        must = better(must, f.must);
      }
      if (run.length > 0) must = better(must, [run]);
      return { exact: whole, must };
    }
    case 'union': {
      const branches = node.items.map((item) => facts(item, fold));
      const exact = branches.length > 0 && branches.every((b) => b.exact !== undefined && b.exact === branches[0].exact) ? branches[0].exact : undefined;
      if (branches.length === 0 || branches.some((b) => b.must === undefined)) return { exact, must: undefined };
      const must = [...new Set(branches.flatMap((b) => b.must!))];
      return { exact, must: must.length <= MAX_LITERALS ? must : undefined };
    }
    case 'repeat': {
      if (node.min === 0) return NOTHING;
      const f = facts(node.arg, fold);
      const exact = f.exact !== undefined && node.max === node.min && node.min <= 8 ? f.exact.repeat(node.min) : undefined;
      return { exact, must: exact !== undefined && exact.length > 0 ? better(f.must, [exact]) : f.must };
    }
    case 'intersect': {
      // Every item matches: the literals of any one of them hold.
      let must: string[] | undefined;
      for (const item of node.items) must = better(must, facts(item, fold).must);
      return { exact: undefined, must };
    }
    default:
      return NOTHING;
  }
}

/**
 * Literals one of which every value the pattern matches contains (folded when `caseInsensitive`), or undefined
 * when none of at least MIN_LITERAL characters is certain (or the pattern does not parse).
 */
export function regexLiterals(pattern: string, caseInsensitive: boolean): string[] | undefined {
  const parsed = parseLuceneRegexSyntax(pattern);
  if (!parsed.ok) return undefined;
  const fold = (cp: number): string => (caseInsensitive && cp >= 0x41 && cp <= 0x5a ? String.fromCharCode(cp + 0x20) : String.fromCodePoint(cp));
  const { must } = facts(parsed.node, fold);
  if (must === undefined || strength(must) < MIN_LITERAL) return undefined;
  // Folded literals with other than ASCII: `toLowerCase` on values need not agree with ASCII case folding there.
  if (caseInsensitive && must.some((s) => /[^\x00-\x7f]/.test(s))) return undefined;
  return must;
}
