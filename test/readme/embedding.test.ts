import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('README: the embedding example', () => {
  it('runs as written (through the package\'s own `ruleforge/runtime` export)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = /<!-- embedding-example[^>]*-->\n```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const dir = join(root, 'test', '.tmp');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'embedding-example.mjs');
    writeFileSync(file, block!);
    const r = spawnSync(process.execPath, [file], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/high AWS Bedrock Models Listed Then Invoked With a Long-Term Access Key/);
    expect(r.stdout.trim().split('\n').pop()).toMatch(/^318 events, 9 alerts$/);
  });
});
