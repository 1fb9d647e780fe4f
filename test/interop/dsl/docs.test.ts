import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readFieldList } from '../../../src/interop/dsl/field-list.js';
import { kqlToDsl } from '../../../src/interop/dsl/to-dsl.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const page = readFileSync(join(root, 'docs', 'convert.md'), 'utf8');

describe('docs/convert.md', () => {
  it('shows the output the example command really prints', () => {
    const fieldsBlock = /`fields\.json`:\n\n```json\n([\s\S]*?)```/.exec(page)?.[1];
    const session = /```\n\$ ruleforge convert ([\s\S]*?)\n(\{[\s\S]*?\n\})\n```/.exec(page);
    expect(fieldsBlock).toBeDefined();
    expect(session).not.toBeNull();
    const list = readFieldList(JSON.parse(fieldsBlock!));
    if (!list.ok) throw new Error(list.error);
    const command = session![1].replace(/\\\n\s*/g, '');
    const query = /'([^']*)'\s*$/.exec(command)![1];
    const zone = /--date-format-tz (\S+)/.exec(command)![1];
    const r = kqlToDsl(query, { fields: list.fields, dateFormatTZ: zone });
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    expect(JSON.stringify(r.dsl, null, 2)).toBe(session![2]);
  });

  it('lists every diagnostic code the converters can emit', () => {
    const sources = ['is.ts', 'field-name.ts', 'scripts.ts'].map((f) => readFileSync(join(root, 'src', 'interop', 'dsl', f), 'utf8')).join('\n');
    const codes = new Set([...sources.matchAll(/'(dsl\/[a-z-]+)'/g)].map((m) => m[1]));
    expect(codes.size).toBeGreaterThan(0);
    for (const code of codes) expect(page).toContain(`| \`${code}\` |`);
  });
});
