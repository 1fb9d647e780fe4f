import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';
import { hasShared, noteSkipped, readSharedJson } from '../helpers/shared.js';

interface EvalCase {
  query: string;
  event: Record<string, unknown>;
  match: boolean;
  source: string;
  note?: string;
}

/**
 * The mapping an Elasticsearch index would need for these events to behave as the cases expect: the corpus
 * notes that CIDR needs an `ip` field and `x: {...}` a `nested` one. Fields not listed are keyword, as
 * ruleforge assumes for any field no schema knows. The types are inferred from the event's own values.
 */
function mappingFor(event: Record<string, unknown>): Record<string, string> {
  const mapping: Record<string, string> = {};
  const visit = (value: unknown, path: string): void => {
    const sample = Array.isArray(value) ? value.find((v) => v !== null) : value;
    if (sample === undefined || sample === null) return;
    if (typeof sample === 'number') mapping[path] = Number.isInteger(sample) ? 'long' : 'double';
    else if (typeof sample === 'boolean') mapping[path] = 'boolean';
    else if (typeof sample === 'string' && /^\d{1,3}(\.\d{1,3}){3}$/.test(sample)) mapping[path] = 'ip';
    else if (typeof sample === 'object') {
      mapping[path] = Array.isArray(value) ? 'nested' : 'object';
      for (const [k, v] of Object.entries(sample as Record<string, unknown>)) visit(v, `${path}.${k}`);
    }
  };
  for (const [k, v] of Object.entries(event)) visit(v, k);
  return mapping;
}

noteSkipped('KQL evaluation conformance (corpus/kql/eval_cases.json)');
const cases: EvalCase[] = hasShared() ? readSharedJson<EvalCase[]>('corpus/kql/eval_cases.json') : [];

describe.skipIf(!hasShared())('KQL evaluation conformance', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(0));

  it.each(cases.map((c, i) => [i, c.query, c] as const))('case %i: %j', (_i, _q, c) => {
    const compiled = compileQuery(c.query, { language: 'kuery', fields: mappingFor(c.event), schema: undefined });
    if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('; '));
    expect(compiled.matcher(c.event)).toBe(c.match);
  });
});
