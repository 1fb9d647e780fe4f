import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECK_DESCRIPTIONS } from '../../src/rules/check-codes.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'generated' ? [] : sourceFiles(join(dir, e.name))) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Codes the compiler side can emit: string literals shaped like `group/name` passed as a code. */
function emittedCodes(): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles(join(root, 'src'))) {
    if (file.includes(`${join('src', 'runtime')}`)) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/code: '([a-z]+\/[a-z-]+)'/g)) found.add(m[1]);
    for (const m of text.matchAll(/(?:report|reportAt|at)\([^)]*?'([a-z]+\/[a-z-]+)'/g)) found.add(m[1]);
    for (const m of text.matchAll(/'((?:kql|eql|field|rule|test|threat|yaml|file|project|compile)\/[a-z-]+)'/g)) found.add(m[1]);
  }
  return found;
}

describe('check codes', () => {
  it('every code the code base emits is described', () => {
    const described = new Set(Object.keys(CHECK_DESCRIPTIONS));
    const missing = [...emittedCodes()].filter((c) => !described.has(c) && !c.startsWith('query/'));
    expect(missing).toEqual([]);
  });
  it('docs/checks.md lists every code (regenerate with `npm run docs`)', () => {
    const page = readFileSync(join(root, 'docs', 'checks.md'), 'utf8');
    for (const [code, info] of Object.entries(CHECK_DESCRIPTIONS)) expect(page).toContain(`| \`${code}\` | ${info.severity} | ${info.description.replace(/\|/g, '\\|')} |`);
  });
});
