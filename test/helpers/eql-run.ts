import { applyPipes, compileQuery } from '../../src/compile-query.js';
import { SequenceRunner } from '../../src/runtime/state/sequence.js';
import { findSamples } from '../../src/runtime/state/sample.js';
import { nullValuesFromMapping } from '../../src/fields/index.js';
import { applyNullValues } from '../../src/runtime/load/index-time.js';

export interface EqlRunSetup {
  categoryField: string;
  /** Epoch milliseconds of an event. */
  timestamp: (e: Record<string, unknown>) => number;
  tiebreaker?: string;
  idField: string;
  /** Elasticsearch's `size`: how many events (event queries) or sequences are returned. */
  size?: number;
  /** The index mapping: field types, aliases, and `null_value`s applied at "index time". */
  mapping?: unknown;
  /** Samples: Elasticsearch's `max_samples_per_key`. */
  maxSamplesPerKey?: number;
}

export interface EqlRunResult {
  ids: number[];
  joinKeys: string[];
}

/**
 * Runs an EQL query over a data set the way Elasticsearch's spec runner does: events ordered by timestamp,
 * then tiebreaker, then position; sequence events flattened in order; head/tail pipes, then `size`.
 */
export function runEql(query: string, events: Record<string, unknown>[], setup: EqlRunSetup): EqlRunResult {
  const compiled = compileQuery(query, { language: 'eql', categoryField: setup.categoryField, ...(setup.mapping !== undefined ? { mapping: setup.mapping } : {}) });
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
  const tb = setup.tiebreaker;
  if (setup.mapping !== undefined) {
    const nullValues = nullValuesFromMapping(setup.mapping);
    events = events.map((e) => {
      const copy = structuredClone(e);
      applyNullValues(copy, nullValues);
      return copy;
    });
  }
  const ordered = events
    .map((e, i) => ({ e, ts: setup.timestamp(e), i }))
    .sort((a, b) => a.ts - b.ts || (tb ? Number(a.e[tb]) - Number(b.e[tb]) : 0) || a.i - b.i);
  // A missing-event stage has no event: Elasticsearch returns a placeholder the spec runner reads as -1.
  const id = (e: unknown) => (e === null ? -1 : Number((e as Record<string, unknown>)[setup.idField]));
  const size = setup.size ?? 50;
  if (compiled.ir.sample) {
    const samples = findSamples(compiled.ir.sample, ordered.map(({ e }) => e), setup.maxSamplesPerKey !== undefined ? { maxSamplesPerKey: setup.maxSamplesPerKey } : {});
    const kept = applyPipes(samples, compiled.pipes).slice(0, size);
    return { ids: kept.flatMap((s) => s.events.map(id)), joinKeys: kept.flatMap((s) => s.joinKeys.map((k) => String(k))) };
  }
  if (!compiled.ir.sequence) {
    const hits = ordered.filter(({ e }) => compiled.matcher(e)).map(({ e }) => id(e));
    return { ids: applyPipes(hits, compiled.pipes).slice(0, size), joinKeys: [] };
  }
  const runner = new SequenceRunner(compiled.ir.sequence);
  const sequences = [...ordered.flatMap(({ e, ts }) => runner.push(e, ts)), ...runner.flush()];
  const kept = applyPipes(sequences, compiled.pipes).slice(0, size);
  return {
    ids: kept.flatMap((s) => s.events.map(id)),
    joinKeys: kept.flatMap((s) => s.joinKeys.map((k) => String(k))),
  };
}

/** The corpus README's rewrite of endgame syntax into Elasticsearch's: `=` → `==`, 'x' → "x". */
export function rewriteEndgameSyntax(query: string): string {
  return query
    .replace(/'((?:[^'\\]|\\.)*)'/g, (_m, body: string) => JSON.stringify(body.replace(/\\'/g, "'")))
    .replace(/([^=!<>])=([^=])/g, '$1==$2');
}

/** FILETIME (100 ns ticks since 1601) to epoch milliseconds, as the spec runner's loader converts it. */
export function filetimeToMs(ticks: unknown): number {
  return Math.floor(Number(ticks) / 10000) - 11644473600000;
}

/**
 * Endgame queries the tests would run (the corpus marks them Elasticsearch-compatible, or in scope) although
 * Elasticsearch refuses them, with why: its parser takes only fields as join keys (ExpressionBuilder.visitJoinKeys)
 * and has no array indexes, its query translator compares with constants only (ql
 * ExpressionTranslators.BinaryComparisons), and its own copy of these specs (test_queries.toml) keeps them
 * commented out. The tests expect ruleforge to refuse them too.
 */
export const ENDGAME_REFUSED_BY_ELASTICSEARCH: Readonly<Record<string, { code: string; why: string }>> = {
  'eql-091': { code: 'eql/syntax', why: 'computed join keys (`by unique_pid * 2`)' },
  'eql-092': { code: 'eql/syntax', why: 'computed join keys (`by length(unique_pid)`, `string(unique_pid)`)' },
  // Elasticsearch's own planner test expects this very query to fail: it compares with constants only.
  'eql-026': { code: 'eql/unsupported', why: 'a comparison of two fields (`opcode == pid`)' },
  // In scope but marked incompatible (the engine's case-insensitive field comparisons); refused all the same.
  'eql-028': { code: 'eql/unsupported', why: 'a comparison of two fields (`process_name <= parent_process_name`)' },
  'eql-203': { code: 'eql/unsupported', why: 'a comparison of two fields (`process_name != original_file_name`)' },
  // Array indexes: Elasticsearch's parser refuses them (its verifier test uses this very field).
  'eql-052': { code: 'eql/unsupported', why: 'an array index (`bytes_written_string_list[1]`)' },
  'eql-152': { code: 'eql/unsupported', why: 'an array index (`bytes_written_string_list[0]`)' },
  'eql-153': { code: 'eql/unsupported', why: 'an array index (`bytes_written_string_list[0]`)' },
  'eql-158': { code: 'eql/unsupported', why: 'an array index (`bytes_written_string_list[0]`)' },
};
