/**
 * A bounded run of `npm run fuzz` (bench/fuzz): a few thousand generated and mutated KQL and EQL queries
 * and rule files, fixed seed. The full run (a million inputs) is `npm run fuzz`; this one keeps the oracle,
 * the arbitraries and the mutators working, and catches regressions the fuzzer has found before.
 */
import { describe, expect, it } from 'vitest';
import { bucketOf, minimize, runFuzz } from '../../bench/fuzz/fuzz.js';
import { checkEql, checkKql, diagnosticProblem } from '../../bench/fuzz/oracle.js';

describe('fuzz smoke run', () => {
  it('finds no exception, unlocated rejection, bad diagnostic or slow input', () => {
    const summary = runFuzz({ queries: 4_000, yamlFiles: 150, seed: 20240601, minimize: false });
    const failures = summary.failures.map((f) => `${f.kind} ${f.finding.class}: ${f.finding.detail}\n  ${JSON.stringify(f.input.slice(0, 300))}`);
    expect(failures).toEqual([]);
    expect(summary.stats.kql.inputs).toBe(2_000);
    expect(summary.stats.eql.inputs).toBe(2_000);
    expect(summary.stats.yaml.inputs).toBe(150);
    // Both generators and mutators ran, and some inputs got past parsing into lowering.
    for (const kind of ['kql', 'eql'] as const) {
      const s = summary.stats[kind];
      expect(s.generated).toBeGreaterThan(0);
      expect(s.mutated).toBeGreaterThan(0);
      expect(s.rejected).toBeLessThan(s.inputs);
    }
    expect(summary.slowest.length).toBeGreaterThan(5);
  });
});

describe('fuzz oracle', () => {
  it('flags diagnostics placed outside the input', () => {
    const d = { line: 2, column: 1, endLine: 2, endColumn: 2, severity: 'error' as const, code: 'kql/syntax', message: 'x' };
    expect(diagnosticProblem(d, 'one line')).toMatch(/line 2 outside 1\.\.1/);
    expect(diagnosticProblem({ ...d, line: 1, endLine: 1, endColumn: 20 }, 'one line')).toMatch(/column 20/);
    expect(diagnosticProblem({ ...d, line: 1, endLine: 1, code: '' }, 'one line')).toMatch(/stable code/);
    expect(diagnosticProblem({ ...d, line: 1, endLine: 1 }, 'one line')).toBeUndefined();
  });

  it('accepts valid queries and locates rejections', () => {
    expect(checkKql('event.action: "x" and not user.name: root*')).toEqual({ rejected: false });
    expect(checkEql('sequence by user.name [any where true] [process where a : "b*"]')).toEqual({ rejected: false });
    expect(checkKql('event.action: (')).toEqual({ rejected: true });
    expect(checkEql('any where a ==')).toEqual({ rejected: true });
  });

  it('buckets lengths by powers of two and minimizes failing inputs', () => {
    expect([0, 1, 2, 3, 1000, 1024, 1025].map(bucketOf)).toEqual([1, 1, 2, 4, 1024, 1024, 2048]);
    expect(minimize('aaaaXbbbbYcccc', (s) => s.includes('X') && s.includes('Y'))).toBe('XY');
  });
});
