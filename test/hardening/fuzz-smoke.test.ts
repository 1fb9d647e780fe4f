import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../bench/fuzz/fuzz.js';

/** A bounded run of `npm run fuzz` (which tries a million inputs): same generators, mutators and oracles. */
describe('fuzz smoke run', () => {
  it('generated and mutated KQL, EQL and rule YAML: no crash, every rejection located, nothing slow', () => {
    const summary = runFuzz({ queries: 4000, yamlFiles: 150, seed: 20261123, minimize: false });
    expect(summary.failures.map((f) => `${f.kind} ${f.finding.class}: ${f.finding.detail} — ${f.input.slice(0, 200)}`)).toEqual([]);
    expect(summary.stats.kql.inputs + summary.stats.eql.inputs).toBe(4000);
    expect(summary.stats.yaml.inputs).toBe(150);
    // Both halves of the generator ran: grammar-derived inputs and mutations of published queries.
    expect(summary.stats.kql.generated).toBeGreaterThan(0);
    expect(summary.stats.kql.mutated).toBeGreaterThan(0);
    expect(summary.stats.eql.rejected).toBeGreaterThan(0);
  });
});
