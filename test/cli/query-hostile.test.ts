import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');

describe('ruleforge query on hostile events', () => {
  it('reports a 10,000-deep event with its place, skips it, and keeps the hits around it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ruleforge-query-hostile-')), 'events.ndjson');
    const deep = `${'{"x":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    writeFileSync(file, ['{"event":{"action":"A"},"n":1}', `{"event":{"action":"A"},"d":${deep}}`, '{"event":{"action":"A"},"n":3}', ''].join('\n'));
    for (const format of ['json', 'text']) {
      const r = spawnSync(process.execPath, [cli, 'query', '--language', 'kuery', '--format', format, 'event.action: A', file], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stderr).toMatch(/events\.ndjson:2: skipped: nested deeper than 64 levels/);
      expect(r.stdout.trim().split('\n')).toHaveLength(2);
    }
  });
});
