import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ruleJsonSchema } from '../../src/rules/schema-check.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const page = readFileSync(join(root, 'docs', 'rule-format.md'), 'utf8');

describe('docs/rule-format.md', () => {
  it('documents every field of the schema (regenerate with `npm run docs`)', () => {
    const props = (ruleJsonSchema as { properties: Record<string, { description: string }> }).properties;
    for (const [name, p] of Object.entries(props)) {
      expect(page).toContain(`| \`${name}\` |`);
      expect(page).toContain(p.description.replace(/\|/g, '\\|'));
    }
  });
  it('shows example rules that validate', async () => {
    const { loadRuleText } = await import('../../src/rules/load-rule.js');
    const blocks = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => b.includes('rule_id:'));
    expect(blocks.length).toBe(2);
    for (const b of blocks) expect(loadRuleText(b, 'doc.yaml').diagnostics).toEqual([]);
  });
});
