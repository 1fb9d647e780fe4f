import { describe, expect, it } from 'vitest';
import { filetimeToMs, rewriteEndgameSyntax, runEql } from '../helpers/eql-run.js';
import { hasShared, noteSkipped, readSharedJson } from '../helpers/shared.js';

interface EndgameCase {
  id: string;
  query: string;
  expected_event_ids: number[];
  es_compatible: boolean;
  es_compatible_after_syntax_rewrite: boolean;
  python_engine: { case_sensitive_ids?: number[] };
}

noteSkipped('EQL sequence conformance (corpus/eql)');
const shared = hasShared();
const events = shared ? readSharedJson<Record<string, unknown>[]>('corpus/eql/test_data.json') : [];
const cases = shared
  ? readSharedJson<EndgameCase[]>('corpus/eql/queries.json').filter((c) => (c.es_compatible || c.es_compatible_after_syntax_rewrite) && /^\s*sequence\b/.test(c.query))
  : [];

describe.skipIf(!shared)('EQL sequences on the endgame suite, under Elasticsearch semantics', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(5));
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const query = c.es_compatible ? c.query : rewriteEndgameSyntax(c.query);
    const { ids } = runEql(query, events, { categoryField: 'event_type', timestamp: (e) => filetimeToMs(e.timestamp), tiebreaker: 'serial_event_id', idField: 'serial_event_id' });
    expect(ids).toEqual(c.python_engine.case_sensitive_ids ?? c.expected_event_ids);
  });
});
