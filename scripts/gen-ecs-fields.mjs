// Build step: the ECS field table (name → Elasticsearch type) from @elastic/ecs, a dev dependency, written to
// src/generated/ecs-fields.ts so the runtime needs nothing from that 12 MB package.
//
// EcsFlat carries every description (1.5 MB); the compiler only needs names and types, so the table is
// front-coded: names are sorted, and each entry stores how many leading dotted segments it shares with the
// previous name, then the rest of its name, then a type code. src/fields/ecs.ts decodes it; keep the two in step.
//
//   table  := entry (' ' entry)*
//   entry  := shared rest ':' code flag*
//   shared := one base-36 digit: leading segments shared with the previous entry's name
//   rest   := the remaining segments, dot-joined (no leading dot)
//   code   := one base-36 digit: index into ECS_TYPES
//   flag   := '*' (normalize: array, the field holds an array by convention) | '!' (index: false, not searchable)
//
// Multi-fields (e.g. process.command_line.text → match_only_text) are entries of their own.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes src/generated/ecs-fields.ts from the installed @elastic/ecs package. */
export async function generate({ generatedDir }) {
  const ecs = await import('@elastic/ecs');
  // The package is CommonJS; depending on how Node resolves it the exports sit on the namespace or on `default`.
  const EcsFlat = ecs.EcsFlat ?? ecs.default?.EcsFlat;
  const EcsVersion = ecs.EcsVersion ?? ecs.default?.EcsVersion;
  if (!EcsFlat || typeof EcsVersion !== 'string') throw new Error('gen-ecs-fields: @elastic/ecs exports no EcsFlat/EcsVersion');

  /** @type {Map<string, {type: string, array: boolean, indexed: boolean}>} */
  const entries = new Map();
  /** @type {Record<string, string>} */
  const objectTypes = {};
  for (const [name, field] of Object.entries(EcsFlat)) {
    entries.set(name, {
      type: field.type,
      array: Array.isArray(field.normalize) && field.normalize.includes('array'),
      indexed: field.index !== false,
    });
    // `labels` and `container.labels` are objects whose every sub-key is mapped as `object_type`.
    if (field.type === 'object' && typeof field.object_type === 'string') objectTypes[name] = field.object_type;
    for (const multi of field.multi_fields ?? []) entries.set(multi.flat_name, { type: multi.type, array: false, indexed: true });
  }

  const names = [...entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const counts = new Map();
  for (const { type } of entries.values()) counts.set(type, (counts.get(type) ?? 0) + 1);
  const types = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a) || (a < b ? -1 : 1));
  if (types.length > 36) throw new Error(`gen-ecs-fields: ${types.length} types do not fit one base-36 digit`);

  const parts = [];
  let previous = [];
  for (const name of names) {
    if (/[ :*!]/.test(name)) throw new Error(`gen-ecs-fields: field name ${JSON.stringify(name)} clashes with the table syntax`);
    const segments = name.split('.');
    let shared = 0;
    // Keep at least one segment in `rest`, so a name never encodes as empty.
    while (shared < segments.length - 1 && shared < previous.length && segments[shared] === previous[shared]) shared++;
    if (shared > 35) throw new Error(`gen-ecs-fields: ${name} is nested too deep for the table`);
    const { type, array, indexed } = entries.get(name);
    parts.push(`${shared.toString(36)}${segments.slice(shared).join('.')}:${types.indexOf(type).toString(36)}${array ? '*' : ''}${indexed ? '' : '!'}`);
    previous = segments;
  }

  const source =
    `// Generated from @elastic/ecs ${EcsVersion} by scripts/gen-ecs-fields.mjs. Do not edit.\n` +
    `// ${names.length} fields (${entries.size - Object.keys(EcsFlat).length} of them multi-fields); decoded by src/fields/ecs.ts.\n\n` +
    `/** The ECS version the table was generated from. */\n` +
    `export const ECS_VERSION = ${JSON.stringify(EcsVersion)};\n\n` +
    `/** Elasticsearch mapping types, indexed by the base-36 type codes in ECS_FIELD_TABLE. */\n` +
    `export const ECS_TYPES: readonly string[] = ${JSON.stringify(types)};\n\n` +
    `/** \`object\` fields whose sub-keys all have one type (ECS \`object_type\`). */\n` +
    `export const ECS_OBJECT_TYPES: Readonly<Record<string, string>> = ${JSON.stringify(objectTypes)};\n\n` +
    `/** Front-coded field table; the format is described in scripts/gen-ecs-fields.mjs. */\n` +
    `export const ECS_FIELD_TABLE = ${JSON.stringify(parts.join(' '))};\n`;
  writeFileSync(join(generatedDir, 'ecs-fields.ts'), source);
}
