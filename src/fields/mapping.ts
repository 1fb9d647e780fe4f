import type { ExtraFields } from './types.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walk(properties: Record<string, unknown>, prefix: string, out: ExtraFields): void {
  for (const [key, raw] of Object.entries(properties)) {
    if (!isObject(raw)) continue;
    const name = prefix + key;
    const type = typeof raw.type === 'string' ? raw.type : isObject(raw.properties) ? 'object' : undefined;
    if (type !== undefined) out[name] = type;
    if (isObject(raw.properties)) walk(raw.properties, `${name}.`, out);
    if (isObject(raw.fields)) {
      for (const [sub, def] of Object.entries(raw.fields)) {
        if (isObject(def) && typeof def.type === 'string') out[`${name}.${sub}`] = def.type;
      }
    }
  }
}

/**
 * Flattens an Elasticsearch mapping into name → type: the response of `GET index/_mapping`
 * (`{ "<index>": { "mappings": … } }`, several indices merged), a bare `{ "mappings": … }`, or `{ "properties": … }`.
 */
export function fieldsFromMapping(mapping: unknown): ExtraFields {
  const out: ExtraFields = {};
  if (!isObject(mapping)) return out;
  if (isObject(mapping.properties)) {
    walk(mapping.properties, '', out);
    return out;
  }
  if (isObject(mapping.mappings)) return fieldsFromMapping(mapping.mappings);
  for (const value of Object.values(mapping)) {
    if (isObject(value) && isObject(value.mappings)) Object.assign(out, fieldsFromMapping(value.mappings));
  }
  return out;
}
