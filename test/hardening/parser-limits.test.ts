import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';

/** Found by `npm run fuzz`: inputs that once took exponential time or exhausted the stack. */
describe('parser limits found by fuzzing', () => {
  it('an unclosed nested EQL block comment is rejected in linear time, with its place', () => {
    for (const k of [20, 200, 2000]) {
      const query = `any where true /*${' /*'.repeat(k)} x`;
      const started = performance.now();
      const r = compileQuery(query, { language: 'eql' });
      const ms = performance.now() - started;
      expect(r.ok).toBe(false);
      expect(r.diagnostics[0].line).toBeGreaterThanOrEqual(1);
      expect(r.diagnostics[0].column).toBeGreaterThanOrEqual(1);
      // 2^20 tries would take seconds before the fix; linear work is a few milliseconds even at k = 2000.
      expect(ms).toBeLessThan(2000);
    }
  });
  it('nested comments that do close still parse', () => {
    expect(compileQuery('any where /* a /* b */ c */ true', { language: 'eql' }).ok).toBe(true);
  });
  it('a 5,000-long chain of `and` is a located eql/too-complex error, not a stack overflow', () => {
    const query = `any where ${Array.from({ length: 5000 }, (_, i) => `a == ${i}`).join(' and ')}`;
    const r = compileQuery(query, { language: 'eql' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toContain('eql/too-complex');
    const arithmetic = compileQuery(`any where a == ${Array.from({ length: 5000 }, () => '1').join(' + ')}`, { language: 'eql' });
    expect(arithmetic.diagnostics.map((d) => d.code)).toContain('eql/too-complex');
  });
  it('a long chain below the limit still compiles', () => {
    expect(compileQuery(`any where ${Array.from({ length: 500 }, (_, i) => `a == ${i}`).join(' or ')}`, { language: 'eql' }).ok).toBe(true);
  });
});
