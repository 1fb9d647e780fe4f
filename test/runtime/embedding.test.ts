import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';
import { linkQuery } from '../../src/runtime/index.js';

describe('the embedding runtime', () => {
  it('links stored IR (plain JSON) into the same matcher', () => {
    const r = compileQuery('event.action: (A or B) and @timestamp >= "now-1d"', { language: 'kuery' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const stored = JSON.parse(JSON.stringify(r.ir));
    const m = linkQuery(stored, { now: Date.parse('2024-06-15T00:00:00Z') });
    expect(m({ event: { action: 'B' }, '@timestamp': '2024-06-14T12:00:00Z' })).toBe(true);
    expect(m({ event: { action: 'B' }, '@timestamp': '2024-06-13T12:00:00Z' })).toBe(false);
  });
  it('refuses IR of another version', () => {
    expect(() => linkQuery({ irVersion: 99 } as never)).toThrow(/unsupported IR version 99/);
  });
  it('imports nothing outside src/runtime but the IR contract (and Node built-ins only to read files)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join, dirname, relative, resolve } = await import('node:path');
    const { fileURLToPath } = await import('node:url');
    const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'runtime');
    const irDir = join(dir, '..', 'ir');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const imports = [...readFileSync(join(dir, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const spec of imports) {
        const target = spec.startsWith('.') ? resolve(dirname(join(dir, file)), spec) : undefined;
        const inside = target !== undefined && !relative(dir, target).startsWith('..');
        const contract = target === join(irDir, 'types.js') || target === join(irDir, 'artifact.js');
        const allowed = inside || contract || (file.endsWith('load-rules.ts') && (spec === 'node:fs' || spec === 'node:path'));
        expect(allowed, `${file} imports ${spec}`).toBe(true);
      }
    }
  });
});
