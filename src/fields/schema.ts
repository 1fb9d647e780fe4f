import { ecsTable } from './ecs.js';
import { familyOf } from './family.js';
import awsCloudtrail from './packs/aws-cloudtrail.json' with { type: 'json' };
import { closestNames } from './suggest.js';
import type { ExtraFields, FieldInfo, FieldPack, FieldSchema, FieldSchemaOptions, FieldSource } from './types.js';

/** Integration field packs bundled with ruleforge, by dataset. */
export const BUNDLED_PACKS: Readonly<Record<string, FieldPack>> = { 'aws.cloudtrail': awsCloudtrail };

/** One source of field types. Layers are built once and shared by every schema that uses them. */
interface Layer {
  readonly source: FieldSource;
  readonly types: ReadonlyMap<string, string>;
  /** Proper prefixes of the names in `types`: the object paths the mapping implies (`host` for `host.name`). */
  readonly prefixes: ReadonlySet<string>;
  readonly objectTypes: ReadonlyMap<string, string>;
  readonly arrays: ReadonlySet<string>;
  readonly unindexed: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string>;
}

const EMPTY_SET: ReadonlySet<string> = new Set();
const EMPTY_MAP: ReadonlyMap<string, string> = new Map();

function prefixesOf(names: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const name of names) {
    for (let dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) out.add(name.slice(0, dot));
  }
  return out;
}

let ecsLayerCache: Layer | undefined;

function ecsLayer(): Layer {
  if (ecsLayerCache) return ecsLayerCache;
  const ecs = ecsTable();
  ecsLayerCache = {
    source: 'ecs',
    types: ecs.types,
    prefixes: prefixesOf(ecs.types.keys()),
    objectTypes: ecs.objectTypes,
    arrays: ecs.arrays,
    unindexed: ecs.unindexed,
    values: EMPTY_MAP,
  };
  return ecsLayerCache;
}

function packLayer(pack: FieldPack, withEcsReferences: boolean): Layer {
  const types = new Map<string, string>();
  const arrays = new Set<string>();
  const unindexed = new Set<string>();
  if (withEcsReferences && pack.ecsFields?.length) {
    // Without the ECS layer, the names the package takes from ECS still belong to its mapping: type them from
    // the ECS table, multi-fields (the only children an ECS leaf has) included.
    const ecs = ecsTable();
    const wanted = new Set(pack.ecsFields);
    for (const [name, type] of ecs.types) {
      const dot = name.lastIndexOf('.');
      if (!wanted.has(name) && !(dot > 0 && wanted.has(name.slice(0, dot)))) continue;
      types.set(name, type);
      if (ecs.arrays.has(name)) arrays.add(name);
      if (ecs.unindexed.has(name)) unindexed.add(name);
    }
  }
  for (const [name, type] of Object.entries(pack.fields)) types.set(name, type);
  return {
    source: 'pack',
    types,
    prefixes: prefixesOf(types.keys()),
    objectTypes: new Map(Object.entries(pack.objectTypes ?? {})),
    arrays,
    unindexed,
    values: new Map(Object.entries(pack.values ?? {})),
  };
}

const bundledLayerCache = new Map<string, Layer>();

function bundledPackLayer(dataset: string, withEcsReferences: boolean): Layer {
  const key = `${dataset}\u0000${withEcsReferences}`;
  let layer = bundledLayerCache.get(key);
  if (!layer) {
    const pack = Object.hasOwn(BUNDLED_PACKS, dataset) ? BUNDLED_PACKS[dataset] : undefined;
    if (!pack) throw new Error(`unknown field pack "${dataset}"; bundled: ${Object.keys(BUNDLED_PACKS).join(', ')}`);
    layer = packLayer(pack, withEcsReferences);
    bundledLayerCache.set(key, layer);
  }
  return layer;
}

function extraLayer(extra: ExtraFields): Layer {
  const types = new Map(Object.entries(extra));
  return { source: 'extra', types, prefixes: prefixesOf(types.keys()), objectTypes: EMPTY_MAP, arrays: EMPTY_SET, unindexed: EMPTY_SET, values: EMPTY_MAP };
}

/** Field types from stacked layers, the first layer winning; no layer is copied, so creating one is cheap. */
class LayeredSchema implements FieldSchema {
  private sortedNames: string[] | undefined;
  private flattenedRootNames: string[] | undefined;
  private readonly suggestions = new Map<string, string[]>();

  /** Highest precedence first. */
  constructor(readonly layers: readonly Layer[]) {}

  lookup(name: string): FieldInfo | undefined {
    for (const layer of this.layers) {
      const type = layer.types.get(name);
      if (type !== undefined) return this.info(name, type, layer);
    }
    for (const layer of this.layers) {
      if (layer.prefixes.has(name)) return { name, type: 'object', family: 'object', source: layer.source, implicit: true };
    }
    // A sub-key of a flattened field, or of an object whose sub-keys share one type: the nearest mapped
    // ancestor decides; below any other mapped field nothing exists.
    for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
      const parent = name.slice(0, dot);
      for (const layer of this.layers) {
        const type = layer.types.get(parent);
        if (type === undefined) continue;
        if (type === 'flattened') return { name, type: 'keyword', family: 'keyword', source: layer.source, flattenedParent: parent };
        const valueType = type === 'object' ? layer.objectTypes.get(parent) : undefined;
        if (valueType !== undefined) return { name, type: valueType, family: familyOf(valueType), source: layer.source, objectParent: parent };
        return undefined;
      }
    }
    return undefined;
  }

  private info(name: string, type: string, layer: Layer): FieldInfo {
    const info: FieldInfo = { name, type, family: familyOf(type), source: layer.source };
    // Array-ness is ECS's convention for the name, whichever layer maps its type.
    if (this.layers.some((l) => l.arrays.has(name))) info.array = true;
    if (layer.unindexed.has(name)) info.indexed = false;
    const value = layer.values.get(name);
    if (value !== undefined && type === 'constant_keyword') info.constantValue = value;
    return info;
  }

  names(): readonly string[] {
    if (!this.sortedNames) {
      const all = new Set<string>();
      for (const layer of this.layers) for (const name of layer.types.keys()) all.add(name);
      this.sortedNames = [...all].sort();
    }
    return this.sortedNames;
  }

  /** Names whose effective type is `flattened`. */
  private flattenedRoots(): string[] {
    this.flattenedRootNames ??= this.names().filter((n) => this.lookup(n)?.type === 'flattened');
    return this.flattenedRootNames;
  }

  suggest(name: string, max = 3): string[] {
    const key = `${max}|${name}`;
    let found = this.suggestions.get(key);
    if (!found) {
      found = closestNames(name, this.names(), max, this.flattenedRoots());
      // Rule libraries repeat the same unknown names across files; bound the memo so it cannot grow forever.
      if (this.suggestions.size > 10_000) this.suggestions.clear();
      this.suggestions.set(key, found);
    }
    return [...found];
  }
}

const baseCache = new Map<string, LayeredSchema>();
/** Schemas with extra fields, most recent last; bounded because callers may pass new extras on every compile. */
const extraCache = new Map<string, LayeredSchema>();
const EXTRA_CACHE_SIZE = 32;

/** A field schema combining ECS, integration field packs and caller-supplied fields (in rising precedence). */
export function createFieldSchema(options: FieldSchemaOptions = {}): FieldSchema {
  const ecs = options.ecs !== false;
  const packs = options.packs ?? ['aws.cloudtrail'];
  const extra = options.extraFields ?? {};
  const extraEntries = Object.keys(extra).length;

  const cacheable = packs.every((p): p is string => typeof p === 'string');
  const baseKey = cacheable ? JSON.stringify([ecs, packs]) : undefined;
  let base = baseKey !== undefined ? baseCache.get(baseKey) : undefined;
  if (!base) {
    const layers: Layer[] = [];
    for (let i = packs.length - 1; i >= 0; i--) {
      const pack = packs[i];
      layers.push(typeof pack === 'string' ? bundledPackLayer(pack, !ecs) : packLayer(pack, !ecs));
    }
    if (ecs) layers.push(ecsLayer());
    base = new LayeredSchema(layers);
    if (baseKey !== undefined) baseCache.set(baseKey, base);
  }
  if (extraEntries === 0) return base;

  const extraKey = baseKey !== undefined ? `${baseKey}\u0000${JSON.stringify(Object.entries(extra))}` : undefined;
  if (extraKey !== undefined) {
    const hit = extraCache.get(extraKey);
    if (hit) {
      extraCache.delete(extraKey);
      extraCache.set(extraKey, hit);
      return hit;
    }
  }
  const schema = new LayeredSchema([extraLayer(extra), ...base.layers]);
  if (extraKey !== undefined) {
    extraCache.set(extraKey, schema);
    if (extraCache.size > EXTRA_CACHE_SIZE) extraCache.delete(extraCache.keys().next().value as string);
  }
  return schema;
}
