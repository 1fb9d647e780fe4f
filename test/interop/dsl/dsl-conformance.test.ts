import { describe, expect, it } from 'vitest';
import { kqlToDsl, type DataViewField, type KqlToDslOptions } from '../../../src/interop/dsl/to-dsl.js';
import { hasShared, readSharedJson } from '../../helpers/shared.js';

interface DslCase {
  query: string;
  expected_dsl: unknown;
  options: {
    dialect: 'kibana' | 'detection-rules';
    index_pattern?: string;
    config?: Omit<KqlToDslOptions, 'fields' | 'nestedPath'>;
    context?: { nested?: { path: string } };
  };
  source: string;
  kibana_dsl_no_index_pattern?: unknown;
}

/**
 * Cases whose expected DSL was transcribed from a Kibana test's object literal, which Jest compares without
 * regard to key order; Kibana itself emits the keys in another order (is.ts builds multi_match as
 * `{type, query, lenient}`, which the detection-rules cases, captured from Kibana's output, confirm).
 * For these the structure must be equal and the emitted order is pinned to Kibana's.
 */
const LITERAL_KEY_ORDER: Record<string, string> = {
  'is.test.ts::multi_match using default_field when fieldName is null': '{"multi_match":{"type":"best_fields","query":"200","lenient":true}}',
};

const present = hasShared();
if (!present) process.stderr.write('[skip] ../shared absent: KQL → DSL conformance (corpus/kql/dsl_cases.json) not run\n');
const cases: DslCase[] = present ? readSharedJson<DslCase[]>('corpus/kql/dsl_cases.json') : [];
const stubFields: DataViewField[] = present ? readSharedJson<{ fields: DataViewField[] }>('corpus/kql/index_pattern_fields.json').fields : [];

function optionsFor(c: DslCase): KqlToDslOptions {
  const options: KqlToDslOptions = { ...(c.options.config ?? {}) };
  if (c.options.index_pattern !== undefined) {
    if (c.options.index_pattern !== 'kibana_stub_fields') throw new Error(`unknown index pattern ${c.options.index_pattern}`);
    options.fields = stubFields;
  }
  if (c.options.context?.nested) options.nestedPath = c.options.context.nested.path;
  return options;
}

function convert(query: string, options: KqlToDslOptions): unknown {
  const r = kqlToDsl(query, options);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; '));
  return r.dsl;
}

const kibana = cases.filter((c) => c.options.dialect === 'kibana');
const detectionRules = cases.filter((c) => c.options.dialect === 'detection-rules');

describe.skipIf(!present)('KQL → DSL conformance with Kibana (corpus/kql/dsl_cases.json)', () => {
  it('has cases of both dialects', () => {
    expect(kibana.length).toBeGreaterThan(0);
    expect(detectionRules.length).toBeGreaterThan(0);
  });

  it.each(kibana.map((c, i) => [i, c.query, c] as const))('kibana case %i: %j', (_i, _q, c) => {
    const actual = convert(c.query, optionsFor(c));
    expect(actual).toEqual(c.expected_dsl);
    const literalOrder = Object.entries(LITERAL_KEY_ORDER).find(([source]) => c.source.endsWith(source));
    expect(JSON.stringify(actual)).toBe(literalOrder ? literalOrder[1] : JSON.stringify(c.expected_dsl));
  });

  // detection-rules' own DSL dialect differs by design; what matters is what Kibana emits for the same query
  // with no field types, which is what the detection engine sends.
  it.each(detectionRules.map((c, i) => [i, c.query, c] as const))('detection-rules case %i (Kibana, no data view): %j', (_i, _q, c) => {
    expect(c.kibana_dsl_no_index_pattern).toBeDefined();
    const actual = convert(c.query, {});
    expect(actual).toEqual(c.kibana_dsl_no_index_pattern);
    expect(JSON.stringify(actual)).toBe(JSON.stringify(c.kibana_dsl_no_index_pattern));
  });
});
