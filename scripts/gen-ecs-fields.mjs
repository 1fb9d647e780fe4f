// Build step: a compact name → Elasticsearch type table from @elastic/ecs (a dev dependency), written to
// src/generated/ecs-fields.ts. Multi-fields (e.g. process.command_line.text) are entries of their own.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export async function generate({ generatedDir }) {
  const { EcsFlat, EcsVersion } = await import('@elastic/ecs');
  const table = {};
  for (const [name, field] of Object.entries(EcsFlat)) {
    table[name] = field.type;
    for (const multi of field.multi_fields ?? []) table[multi.flat_name] = multi.type;
  }
  const sorted = Object.fromEntries(Object.entries(table).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const source =
    `// Generated from @elastic/ecs ${EcsVersion} by scripts/gen-ecs-fields.mjs. Do not edit.\n` +
    `export const ECS_VERSION = ${JSON.stringify(EcsVersion)};\n` +
    `/** ECS field name → Elasticsearch mapping type. */\n` +
    `export const ECS_FIELDS: Readonly<Record<string, string>> = ${JSON.stringify(sorted)};\n`;
  writeFileSync(join(generatedDir, 'ecs-fields.ts'), source);
}
