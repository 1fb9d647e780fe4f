import type { DataViewField } from './types.js';

/** The fields of a data view, or what is wrong with the document that was meant to list them. */
export type FieldListResult = { ok: true; fields: DataViewField[] } | { ok: false; error: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One field spec; properties Kibana has but the conversion does not read (searchable, count, ...) are ignored. */
function readField(raw: unknown, where: string): DataViewField | string {
  if (!isRecord(raw)) return `${where} is not an object`;
  const { name, type, esTypes, scripted, script, lang, subType } = raw;
  if (typeof name !== 'string' || name === '') return `${where}: "name" must be a non-empty string`;
  if (typeof type !== 'string') return `${where} (${name}): "type" must be a string`;
  const field: DataViewField = { name, type };
  if (esTypes !== undefined) {
    if (!Array.isArray(esTypes) || !esTypes.every((t) => typeof t === 'string')) return `${where} (${name}): "esTypes" must be an array of strings`;
    field.esTypes = esTypes as string[];
  }
  if (scripted !== undefined) {
    if (typeof scripted !== 'boolean') return `${where} (${name}): "scripted" must be true or false`;
    field.scripted = scripted;
  }
  if (script !== undefined) {
    if (typeof script !== 'string') return `${where} (${name}): "script" must be a string`;
    field.script = script;
  }
  if (lang !== undefined) {
    if (typeof lang !== 'string') return `${where} (${name}): "lang" must be a string`;
    field.lang = lang;
  }
  if (field.scripted && field.script === undefined) return `${where} (${name}): a scripted field needs its "script"`;
  if (subType !== undefined) {
    if (!isRecord(subType)) return `${where} (${name}): "subType" must be an object`;
    const nested = subType.nested;
    if (nested !== undefined && (!isRecord(nested) || typeof nested.path !== 'string')) {
      return `${where} (${name}): "subType.nested" must be {"path": "..."}`;
    }
    const multi = subType.multi;
    if (multi !== undefined && (!isRecord(multi) || typeof multi.parent !== 'string')) {
      return `${where} (${name}): "subType.multi" must be {"parent": "..."}`;
    }
    field.subType = {
      ...(isRecord(nested) ? { nested: { path: nested.path as string } } : {}),
      ...(isRecord(multi) ? { multi: { parent: multi.parent as string } } : {}),
    };
  }
  return field;
}

/**
 * Reads a Kibana field list: an array of field specs, an object whose `fields` is such an array (the
 * `_fields_for_wildcard` shape) or a map from name to spec (the data views API shape), optionally under
 * `data_view`. Field order is kept: it is the order of the clauses a wildcard field name expands to.
 */
export function readFieldList(json: unknown): FieldListResult {
  let list: unknown = json;
  if (isRecord(list) && isRecord(list.data_view)) list = list.data_view;
  if (isRecord(list)) {
    if (!('fields' in list)) return { ok: false, error: 'expected an array of fields or an object with a "fields" property' };
    list = list.fields;
  }
  let entries: [string, unknown][];
  if (Array.isArray(list)) entries = list.map((f, i) => [`fields[${i}]`, f]);
  else if (isRecord(list)) entries = Object.entries(list).map(([name, f]) => [`fields.${name}`, isRecord(f) && f.name === undefined ? { ...f, name } : f]);
  else return { ok: false, error: 'expected an array of fields or an object with a "fields" property' };
  const fields: DataViewField[] = [];
  for (const [where, raw] of entries) {
    const field = readField(raw, where);
    if (typeof field === 'string') return { ok: false, error: field };
    fields.push(field);
  }
  return { ok: true, fields };
}
