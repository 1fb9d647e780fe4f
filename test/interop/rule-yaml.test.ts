import fc from 'fast-check';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { orderRuleKeys, ruleToYaml } from '../../src/interop/rule-yaml.js';

/** Text with the shapes that stress YAML block scalars: trailing blank lines, indentation, markers, quotes. */
const awkwardText = fc.array(fc.constantFrom('a', ' ', '  x', '\n', '\n\n', '---', '...', '#', ': ', '"', "'", '|', '>', '\t', 'é', '\r\n', '- '), { maxLength: 12 }).map((parts) => parts.join(''));

describe('ruleToYaml', () => {
  it('reads back as the same rule, whatever the text (property)', () => {
    fc.assert(
      fc.property(fc.record({ name: awkwardText, query: awkwardText, description: awkwardText, note: awkwardText, tags: fc.array(awkwardText, { maxLength: 3 }), setup: awkwardText }), (rule) => {
        expect(load(ruleToYaml(rule))).toEqual(rule);
      }),
      { numRuns: 500 },
    );
  });
  it('orders keys as the schema does, unknown keys last, nested keys alphabetically', () => {
    const ordered = orderRuleKeys({ zzz: 1, query: 'q', name: 'n', threat: [{ technique: [], tactic: { reference: 'r', id: 'i', name: 'n' }, framework: 'f' }] });
    expect(Object.keys(ordered)).toEqual(['name', 'query', 'threat', 'zzz']);
    expect(JSON.stringify(ordered.threat)).toBe('[{"framework":"f","tactic":{"id":"i","name":"n","reference":"r"},"technique":[]}]');
  });
  it('writes multi-line text as block scalars, never folds a query, and puts the header first', () => {
    const text = ruleToYaml({ name: 'x', query: `a: b and ${'c: d and '.repeat(30)}e: f`, note: '## Title\n\nBody\n' }, 'Imported from x.toml');
    expect(text.split('\n')[0]).toBe('# Imported from x.toml');
    expect(text).toMatch(/\nquery: a: b and c: d|\nquery: 'a: b and/);
    expect(text).not.toMatch(/\nquery: >/);
    expect(text).toMatch(/\nnote: \|\n {2}## Title\n\n {2}Body\n/);
  });
});
