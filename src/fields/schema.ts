import { ECS_FIELDS } from '../generated/ecs-fields.js';
import awsCloudtrail from './packs/aws-cloudtrail.json' with { type: 'json' };
import { familyOf } from './family.js';
import { closestNames } from './suggest.js';
import type { FieldInfo, FieldSchema, FieldSchemaOptions } from './types.js';

interface FieldPack {
  package: string;
  dataset: string;
  fields: Record<string, string>;
}

/** Integration field packs bundled with ruleforge, by dataset. */
export const BUNDLED_PACKS: Readonly<Record<string, FieldPack>> = { 'aws.cloudtrail': awsCloudtrail };

const cache = new Map<string, FieldSchema>();

class MapFieldSchema implements FieldSchema {
  private readonly types = new Map<string, { type: string; source: FieldInfo['source'] }>();
  private readonly flattenedRoots: string[] = [];
  /** Every proper prefix of a known name (`host` for `host.name`): object fields in the mapping. */
  private readonly objectPaths = new Set<string>();
  private sortedNames: string[] | undefined;

  add(fields: Record<string, string>, source: FieldInfo['source']): void {
    for (const [name, type] of Object.entries(fields)) this.types.set(name, { type, source });
  }

  seal(): this {
    for (const [name, { type }] of this.types) {
      if (type === 'flattened') this.flattenedRoots.push(name);
      for (let dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) this.objectPaths.add(name.slice(0, dot));
    }
    return this;
  }

  lookup(name: string): FieldInfo | undefined {
    const own = this.types.get(name);
    if (own) return { name, type: own.type, family: familyOf(own.type), source: own.source };
    for (const root of this.flattenedRoots) {
      if (name.length > root.length && name.startsWith(root) && name[root.length] === '.') {
        return { name, type: 'keyword', family: 'keyword', source: this.types.get(root)!.source, flattenedParent: root };
      }
    }
    if (this.objectPaths.has(name)) return { name, type: 'object', family: 'object', source: 'ecs' };
    return undefined;
  }

  names(): readonly string[] {
    this.sortedNames ??= [...this.types.keys()].sort();
    return this.sortedNames;
  }

  suggest(name: string, max = 3): string[] {
    return closestNames(name, this.names(), max);
  }
}

/** A field schema combining ECS, bundled integration packs and caller-supplied fields (in rising precedence). */
export function createFieldSchema(options: FieldSchemaOptions = {}): FieldSchema {
  const packs = options.packs ?? ['aws.cloudtrail'];
  const extra = options.extraFields ?? {};
  const key = JSON.stringify([options.ecs !== false, packs, Object.entries(extra)]);
  const hit = cache.get(key);
  if (hit) return hit;
  const schema = new MapFieldSchema();
  if (options.ecs !== false) schema.add(ECS_FIELDS, 'ecs');
  for (const dataset of packs) {
    const pack = BUNDLED_PACKS[dataset];
    if (!pack) throw new Error(`unknown field pack "${dataset}"; bundled: ${Object.keys(BUNDLED_PACKS).join(', ')}`);
    schema.add(pack.fields, 'pack');
  }
  schema.add(extra, 'extra');
  schema.seal();
  // Schemas without extra fields are shared; per-query extras are not worth keeping around.
  if (Object.keys(extra).length === 0) cache.set(key, schema);
  return schema;
}
