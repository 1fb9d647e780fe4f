import { describe, expect, it } from 'vitest';
import { readSpecFolder, runSpec, suite, type EsSpec } from '../helpers/eql-es-suites.js';
import { hasShared, noteSkipped, readSharedJson } from '../helpers/shared.js';

interface CorpusSpec extends EsSpec {
  loaded_by_current_es_tests: boolean;
  also_run_against?: string[];
}

noteSkipped("Elasticsearch's EQL spec tests (corpus/eql-es)");
const shared = hasShared();

/** Every spec Elasticsearch's runner loads, once per index it runs against (test_queries also runs on endgame-140-nanos). */
const loaded = shared ? readSharedJson<CorpusSpec[]>('corpus/eql-es/queries.json').filter((s) => s.loaded_by_current_es_tests) : [];
const specs: EsSpec[] = loaded.flatMap((s) => [s, ...(s.also_run_against ?? []).map((data) => ({ ...s, data }))]);

function check(spec: EsSpec, result: { ids: number[]; joinKeys: string[] }): void {
  const expected = spec.expected_event_ids;
  if (Array.isArray(expected[0])) expect(expected as number[][]).toContainEqual(result.ids);
  else expect(result.ids).toEqual(expected);
  if (spec.join_keys && spec.join_keys.length > 0) expect(result.joinKeys).toEqual(spec.join_keys.map((k) => String(k)));
}

/**
 * Specs ruleforge answers differently, each with the reason; they run and must still differ (`it.fails`), so
 * a fix shows up here. DESIGN.md ("EQL fidelity") lists them too.
 */
const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {
  // The nanosecond index compresses the FILETIME digits 100-fold: the sequence spans 50.86 ms there (5.09 s in
  // endgame-140), inside maxspan=500ms by Elasticsearch's own nanosecond delta, yet the spec expects no
  // sequence on both indices. Unexplained from the sources read: DataLoader.timestampToUnixNanos (mirrored by
  // the helper), Timestamp.of/NanosTimestamp, SequenceMatcher.exceedsMaxSpan (nanos vs TimeValue.nanos()),
  // BoxedQueryRequest and TumblingWindow all give 50.86 ms; see DESIGN.md ("EQL fidelity", differences).
  'sequencesOnDifferentEventTypes7 [endgame-140-nanos]': 'maxspan on the nanosecond index',
};
const label = (s: EsSpec) => `${s.name} [${s.data}]`;

describe.skipIf(!shared)("Elasticsearch's EQL spec tests, through `ruleforge query`", () => {
  it('has specs, and a data set for each', () => {
    expect(specs.length).toBeGreaterThan(200);
    expect(specs.filter((s) => suite(s.data) === undefined).map((s) => `${s.name} (${s.data})`)).toEqual([]);
  });
  it.each(specs.filter((s) => !(label(s) in KNOWN_DIFFERENCES)).map((s) => [label(s), s] as const))('%s', async (_name, spec) => {
    check(spec, await runSpec(spec));
  });
  it.fails.each(specs.filter((s) => label(s) in KNOWN_DIFFERENCES).map((s) => [label(s), KNOWN_DIFFERENCES[label(s)], s] as const))('known difference: %s (%s)', async (_name, _why, spec) => {
    check(spec, await runSpec(spec));
  });
});

/**
 * Elasticsearch's own spec files, when a checkout's resources folder is named by RULEFORGE_EQL_SPECS
 * (`x-pack/plugin/eql/qa/common/src/main/resources`): every spec of the files the corpus draws from.
 */
const folder = process.env.RULEFORGE_EQL_SPECS;
const external = shared && folder ? readSpecFolder(folder) : [];
describe.skipIf(external.length === 0)("Elasticsearch's EQL spec files from RULEFORGE_EQL_SPECS", () => {
  it.each(external.map((s) => [`${s.file} ${s.name} [${s.data}]`, s] as const))('%s', async (_name, spec) => {
    check(spec, await runSpec(spec));
  });
});
