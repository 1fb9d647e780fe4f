import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ecsTable } from '../../src/fields/ecs.js';
import { ECS_VERSION } from '../../src/fields/index.js';

interface EcsFlatField {
  type: string;
  normalize?: string[];
  index?: boolean;
  object_type?: string;
  multi_fields?: { flat_name: string; type: string }[];
}

// @elastic/ecs is a dev dependency and CommonJS; require() gives its exports as they are.
const { EcsFlat, EcsVersion } = createRequire(import.meta.url)('@elastic/ecs') as { EcsFlat: Record<string, EcsFlatField>; EcsVersion: string };
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('the generated ECS table', () => {
  const table = ecsTable();

  it('holds every ECS field and multi-field with its type', () => {
    let multi = 0;
    for (const [name, field] of Object.entries(EcsFlat)) {
      expect(table.types.get(name), name).toBe(field.type);
      for (const m of field.multi_fields ?? []) {
        expect(table.types.get(m.flat_name), m.flat_name).toBe(m.type);
        multi++;
      }
    }
    expect(table.types.size).toBe(Object.keys(EcsFlat).length + multi);
  });

  it('marks array-by-convention, unindexed and typed-object fields exactly as ECS does', () => {
    const arrays = Object.entries(EcsFlat).filter(([, f]) => f.normalize?.includes('array')).map(([n]) => n);
    expect([...table.arrays].sort()).toEqual(arrays.sort());
    const unindexed = Object.entries(EcsFlat).filter(([, f]) => f.index === false).map(([n]) => n);
    expect([...table.unindexed].sort()).toEqual(unindexed.sort());
    expect(Object.fromEntries(table.objectTypes)).toEqual({ labels: 'keyword', 'container.labels': 'keyword' });
  });

  it('records the ECS version and stays small', () => {
    expect(ECS_VERSION).toBe(EcsVersion);
    // The full EcsFlat is ~1.5 MB; the front-coded table is a few dozen kB.
    expect(statSync(join(root, 'src', 'generated', 'ecs-fields.ts')).size).toBeLessThan(64 * 1024);
    expect(readFileSync(join(root, 'src', 'generated', 'ecs-fields.ts'), 'utf8')).not.toContain('log message');
  });
});
