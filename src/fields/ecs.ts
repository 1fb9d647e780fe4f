import { ECS_FIELD_TABLE, ECS_OBJECT_TYPES, ECS_TYPES, ECS_VERSION } from '../generated/ecs-fields.js';

export { ECS_VERSION };

/** The ECS fields as the schema uses them. */
export interface EcsTable {
  /** Field name → Elasticsearch mapping type, multi-fields included. */
  readonly types: ReadonlyMap<string, string>;
  /** Fields ECS declares as arrays by convention (`normalize: ['array']`). */
  readonly arrays: ReadonlySet<string>;
  /** Fields mapped with `index: false`: kept in `_source` but not searchable. */
  readonly unindexed: ReadonlySet<string>;
  /** `object` fields whose sub-keys all share one type (`labels.*` → keyword). */
  readonly objectTypes: ReadonlyMap<string, string>;
}

let table: EcsTable | undefined;

/** The decoded ECS table; decoded once per process, on first use. */
export function ecsTable(): EcsTable {
  table ??= decode();
  return table;
}

// The format is described in scripts/gen-ecs-fields.mjs, which writes it.
function decode(): EcsTable {
  const types = new Map<string, string>();
  const arrays = new Set<string>();
  const unindexed = new Set<string>();
  let previous: string[] = [];
  for (const entry of ECS_FIELD_TABLE.split(' ')) {
    const colon = entry.lastIndexOf(':');
    const shared = parseInt(entry[0], 36);
    const segments = previous.slice(0, shared).concat(entry.slice(1, colon).split('.'));
    const name = segments.join('.');
    const type = ECS_TYPES[parseInt(entry[colon + 1], 36)];
    if (type === undefined || Number.isNaN(shared)) throw new Error(`corrupt ECS field table entry ${JSON.stringify(entry)}`);
    types.set(name, type);
    const flags = entry.slice(colon + 2);
    if (flags.includes('*')) arrays.add(name);
    if (flags.includes('!')) unindexed.add(name);
    previous = segments;
  }
  return { types, arrays, unindexed, objectTypes: new Map(Object.entries(ECS_OBJECT_TYPES)) };
}
