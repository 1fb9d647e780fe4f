import type { ExtraFields } from './types.js';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface Flat {
  types: ExtraFields;
  /** Alias field → the path it points to. */
  aliases: Record<string, string>;
  /** Field → the `null_value` indexed in place of an explicit null. */
  nullValues: Record<string, string | number | boolean>;
  /** `date` / `date_nanos` field → its non-default `format`. */
  dateFormats: Record<string, string>;
}

function walk(properties: Json, prefix: string, out: Flat): void {
  for (const [key, def] of Object.entries(properties)) {
    if (!isObject(def)) continue;
    const name = prefix + key;
    // A property without a type is an object in Elasticsearch, with or without sub-properties.
    const type = typeof def.type === 'string' ? def.type : 'object';
    out.types[name] = type;
    if (type === 'alias' && typeof def.path === 'string') out.aliases[name] = def.path;
    const nullValue = def.null_value;
    if (typeof nullValue === 'string' || typeof nullValue === 'number' || typeof nullValue === 'boolean') out.nullValues[name] = nullValue;
    if ((type === 'date' || type === 'date_nanos') && typeof def.format === 'string') out.dateFormats[name] = def.format;
    if (isObject(def.properties)) walk(def.properties, `${name}.`, out);
    if (isObject(def.fields)) {
      for (const [sub, multi] of Object.entries(def.fields)) {
        if (isObject(multi) && typeof multi.type === 'string') out.types[`${name}.${sub}`] = multi.type;
      }
    }
  }
}

/** One index's `mappings` object: `properties` and `runtime`, or the pre-7.0 form keyed by a single type name. */
function readMappings(mappings: Json, out: Flat): void {
  if (!isObject(mappings.properties) && !isObject(mappings.runtime)) {
    for (const typed of Object.values(mappings)) if (isObject(typed) && isObject(typed.properties)) readMappings(typed, out);
    return;
  }
  if (isObject(mappings.properties)) walk(mappings.properties, '', out);
  // Runtime fields shadow mapped fields of the same name at search time.
  if (isObject(mappings.runtime)) {
    for (const [name, def] of Object.entries(mappings.runtime)) {
      if (isObject(def) && typeof def.type === 'string') out.types[name] = def.type;
    }
  }
}

function flatten(mapping: unknown): Flat {
  const out: Flat = { types: {}, aliases: {}, nullValues: {}, dateFormats: {} };
  if (!isObject(mapping)) return out;
  if (isObject(mapping.properties) || isObject(mapping.runtime)) readMappings(mapping, out);
  else if (isObject(mapping.mappings)) readMappings(mapping.mappings, out);
  else {
    // `GET index/_mapping` answers one entry per index; their fields are merged, later indices winning.
    for (const index of Object.values(mapping)) if (isObject(index) && isObject(index.mappings)) readMappings(index.mappings, out);
  }
  return out;
}

/**
 * Parses an Elasticsearch mapping (as `GET index/_mapping` returns it: `{ "<index>": { "mappings": {...} } }`, or a
 * bare `{ "mappings": ... }`, or a bare `{ "properties": ... }`) into flat name → type, including multi-fields
 * (`fields`), runtime fields, and object/nested paths (type `object` / `nested`). An `alias` field gets the type of
 * the field it points to, because queries on it behave as on that field (see `aliasesFromMapping` for the paths).
 */
export function fieldsFromMapping(mapping: unknown): ExtraFields {
  const { types, aliases } = flatten(mapping);
  for (const [alias, path] of Object.entries(aliases)) {
    const target = types[path];
    if (target !== undefined && target !== 'alias') types[alias] = target;
  }
  return types;
}

/** The `alias` fields of an Elasticsearch mapping (same shapes as `fieldsFromMapping`): alias name → target path. */
export function aliasesFromMapping(mapping: unknown): Record<string, string> {
  return flatten(mapping).aliases;
}

/** The `null_value` of each field that has one (same shapes as `fieldsFromMapping`): what an explicit null indexes as. */
export function nullValuesFromMapping(mapping: unknown): Record<string, string | number | boolean> {
  return flatten(mapping).nullValues;
}

/**
 * The `format` of each date field with one, per index: a multi-index `GET _mapping` answer gives one entry per
 * index name; a bare mapping gives one entry under "". Indices can format one field differently.
 */
export function dateFormatsByIndex(mapping: unknown): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  if (!isObject(mapping)) return out;
  if (isObject(mapping.properties) || isObject(mapping.runtime) || isObject(mapping.mappings)) {
    out.set('', flatten(mapping).dateFormats);
    return out;
  }
  for (const [name, index] of Object.entries(mapping)) {
    if (isObject(index) && isObject(index.mappings)) out.set(name, flatten(index.mappings).dateFormats);
  }
  return out;
}
