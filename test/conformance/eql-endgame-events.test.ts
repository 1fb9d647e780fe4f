import { describe, expect, it } from 'vitest';
import { applyPipes, compileQuery } from '../../src/compile-query.js';
import { rewriteEndgameSyntax } from '../helpers/eql-run.js';
import { hasShared, noteSkipped, readSharedJson } from '../helpers/shared.js';

interface EndgameCase {
  id: string;
  query: string;
  expected_event_ids: number[];
  es_compatible: boolean;
  es_compatible_after_syntax_rewrite: boolean;
  python_engine: { case_sensitive_ids?: number[] };
}

noteSkipped('EQL event-query conformance (corpus/eql)');
const shared = hasShared();
const events = shared ? readSharedJson<Record<string, unknown>[]>('corpus/eql/test_data.json') : [];
const cases = shared
  ? readSharedJson<EndgameCase[]>('corpus/eql/queries.json').filter(
      (c) => (c.es_compatible || c.es_compatible_after_syntax_rewrite) && !/^\s*(sequence|sample|join)\b/.test(c.query),
    )
  : [];

describe.skipIf(!shared)('EQL event queries on the endgame suite, under Elasticsearch semantics', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(20));

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const query = c.es_compatible ? c.query : rewriteEndgameSyntax(c.query);
    // Case-sensitive ids are what Elasticsearch's `==`, `in` and functions give (README of the corpus).
    const expected = c.python_engine.case_sensitive_ids ?? c.expected_event_ids;
    const compiled = compileQuery(query, { language: 'eql', categoryField: 'event_type' });
    if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
    const hits = events.filter((e) => compiled.matcher(e)).map((e) => e.serial_event_id);
    expect(applyPipes(hits, compiled.pipes)).toEqual(expected);
  });
});
