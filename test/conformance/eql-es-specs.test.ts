import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filetimeToMs, runEql, type EqlRunSetup } from '../helpers/eql-run.js';
import { hasShared, noteSkipped, readSharedJson, SHARED_DIR } from '../helpers/shared.js';

interface Spec {
  file: string;
  name: string;
  query: string;
  expected_event_ids: number[] | number[][];
  join_keys?: (string | null)[];
  size?: number | null;
  max_samples_per_key?: number | null;
  data: string;
  loaded_by_current_es_tests: boolean;
}

noteSkipped("Elasticsearch's EQL spec tests (corpus/eql-es)");
const shared = hasShared();

function ndjson(name: string): Record<string, unknown>[] {
  return readFileSync(join(SHARED_DIR, 'corpus', 'eql-es', 'data', `${name}.ndjson`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A date value as Elasticsearch reads `strict_date_optional_time||epoch_millis`: digit strings are epoch ms. */
function instant(v: unknown): number {
  return typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : typeof v === 'number' ? v : Date.parse(String(v));
}

/** An index mapping of the corpus; the runner's random keyword/wildcard placeholder is read as keyword. */
function mapping(name: string): unknown {
  const text = readFileSync(join(SHARED_DIR, 'corpus', 'eql-es', 'data', `${name}.mapping`), 'utf8')
    .split('\n')
    .filter((l) => !l.trim().startsWith('#'))
    .join('\n')
    .replace(/\[runtime_random_keyword_type\]/g, 'keyword');
  return JSON.parse(text);
}

/** The data sets and runner settings of each suite, as the corpus README describes Elasticsearch's runner. */
function dataSet(spec: Spec): { events: Record<string, unknown>[]; setup: EqlRunSetup } | undefined {
  if (spec.data === 'endgame-140') {
    // The loader adds @timestamp (epoch ms) from the FILETIME `timestamp`.
    const events = readSharedJson<Record<string, unknown>[]>('corpus/eql/test_data.json').map((e) => ({ ...e, '@timestamp': filetimeToMs(e.timestamp) }));
    return { events, setup: { categoryField: 'event.category', mapping: mapping('endgame-140'), timestamp: (e) => Number(e['@timestamp']), tiebreaker: 'serial_event_id', idField: 'serial_event_id' } };
  }
  if (spec.data === 'sample1+sample2+sample3' || spec.data === 'sample-multi') {
    const names = spec.data.split('+');
    // Several indices: their events in index order, their mappings merged as a multi-index `_mapping` answer.
    const combined = Object.fromEntries(names.map((n) => [n, { mappings: mapping(n) }]));
    return { events: names.flatMap(ndjson), setup: { categoryField: 'event.category', mapping: combined, timestamp: () => 0, idField: 'id' } };
  }
  if (spec.data === 'endgame-140-nanos') {
    // The loader reads the FILETIME digits as epoch nanoseconds: @timestamp is "<12 digits>.<6 digits>" (ms with a
    // fraction), `timestamp` the integer division by 1,000,000. ruleforge keeps milliseconds.
    // FILETIMEs exceed 2^53, so their digits come from the file's text, not from parsed numbers.
    const raw = readFileSync(join(SHARED_DIR, 'corpus', 'eql', 'test_data.json'), 'utf8');
    const digits = [...raw.matchAll(/"timestamp":\s*(\d+)/g)].map((m) => m[1]);
    const events = readSharedJson<Record<string, unknown>[]>('corpus/eql/test_data.json').map((e, i) => {
      const d = digits[i];
      const ts = d.slice(12) === '000000' ? d.slice(0, 12) : `${d.slice(0, 12)}.${d.slice(12)}`;
      return { ...e, '@timestamp': ts, timestamp: Number(BigInt(d) / 1_000_000n) };
    });
    return { events, setup: { categoryField: 'event.category', mapping: mapping('endgame-140-nanos'), timestamp: (e) => Number(e['@timestamp']), tiebreaker: 'serial_event_id', idField: 'serial_event_id' } };
  }
  if (spec.data === 'missing-events') {
    return { events: ndjson('missing-events'), setup: { categoryField: 'event.category', mapping: mapping('missing-events'), timestamp: (e) => instant(e['@timestamp']), tiebreaker: 'sequence', idField: 'sequence' } };
  }
  if (spec.data === 'extra') {
    return { events: ndjson('extra'), setup: { categoryField: 'event.category', mapping: mapping('extra'), timestamp: (e) => Number(e['@timestamp']), tiebreaker: 'sequence', idField: 'sequence' } };
  }
  return undefined;
}

/**
 * Specs needing what ruleforge does not do yet: nanosecond dates (`date_nanos`: two events in the same
 * millisecond are told apart), and a date join key whose custom `format` differs between the indices searched,
 * which Elasticsearch normalises to epoch milliseconds. Both are in DESIGN.md.
 */
const NOT_YET = (s: Spec) => s.name === 'customDateFormatsAsKey_DifferentIndicesResults' || s.name === 'filterOnDateNanosWithNanos';
const loaded = shared ? readSharedJson<Spec[]>('corpus/eql-es/queries.json').filter((s) => s.loaded_by_current_es_tests) : [];
const specs = loaded.filter((s) => dataSet(s) !== undefined && !NOT_YET(s));
if (shared) process.stderr.write(`[not yet] ${loaded.length - specs.length} of ${loaded.length} Elasticsearch EQL specs are not run: date_nanos precision or per-index date formats\n`);


describe.skipIf(!shared)("Elasticsearch's EQL spec tests", () => {
  it('has specs', () => expect(specs.length).toBeGreaterThan(50));
  it.each(specs.map((s) => [s.name, s] as const))('%s', (_name, spec) => {
    const { events, setup } = dataSet(spec)!;
    const result = runEql(spec.query, events, {
      ...setup,
      ...(typeof spec.size === 'number' ? { size: spec.size } : {}),
      ...(typeof spec.max_samples_per_key === 'number' ? { maxSamplesPerKey: spec.max_samples_per_key } : {}),
    });
    const expected = spec.expected_event_ids;
    if (Array.isArray(expected[0])) expect(expected as number[][]).toContainEqual(result.ids);
    else expect(result.ids).toEqual(expected);
    if (spec.join_keys && spec.join_keys.length > 0) expect(result.joinKeys).toEqual(spec.join_keys.map((k) => String(k)));
  });
});
