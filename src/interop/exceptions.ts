/**
 * Exception lists between ruleforge's YAML and Kibana's API shape (the container and item lines of a rules
 * export, and what `_import` takes), plus detection-rules' exception TOML. A rule's inline `exceptions` are
 * Kibana's rule default list: exported as a `rule_default` container referenced from the rule, and folded back
 * into the rule on import, so export → import gives back the file it started from.
 */
import type { ExceptionEntry, ExceptionItem, ExceptionListFile } from '../rules/exceptions/types.js';
import type { RuleDefinition } from '../rules/types.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The list_id ruleforge gives a rule's default (inline) exception list. */
export const ruleDefaultListId = (ruleId: string): string => `${ruleId}-rule-exceptions`;

/** Kibana's form of one item of `listId`. */
function kibanaItem(item: ExceptionItem, listId: string, namespaceType: string, index: number): Json {
  const out: Json = {
    comments: (item.comments ?? []).map((c) => ({ comment: c.comment })),
    description: item.description ?? '',
    entries: item.entries.map(kibanaEntry),
    item_id: item.item_id ?? `${listId}-${index + 1}`,
    list_id: listId,
    name: item.name,
    namespace_type: namespaceType,
    os_types: item.os_types ?? [],
    tags: item.tags ?? [],
    type: 'simple',
  };
  if (item.expire_time !== undefined) out.expire_time = item.expire_time;
  return out;
}

function kibanaEntry(entry: ExceptionEntry): Json {
  if (entry.type === 'nested') return { field: entry.field, type: 'nested', entries: entry.entries.map(kibanaEntry) };
  return { ...entry };
}

/** The container line and item lines of a list, as Kibana exports them (server bookkeeping left out). */
export function kibanaListLines(list: ExceptionListFile): Json[] {
  const namespaceType = list.namespace_type ?? 'single';
  const container: Json = {
    description: list.description ?? '',
    id: list.id ?? list.list_id,
    immutable: false,
    list_id: list.list_id,
    name: list.name,
    namespace_type: namespaceType,
    os_types: list.os_types ?? [],
    tags: list.tags ?? [],
    type: list.type,
    version: 1,
  };
  return [container, ...list.items.map((item, i) => kibanaItem(item, list.list_id, namespaceType, i))];
}

/** A rule's inline items as its Kibana rule default list. */
export function ruleDefaultList(rule: RuleDefinition, items: ExceptionItem[]): ExceptionListFile {
  const listId = ruleDefaultListId(rule.rule_id);
  return { list_id: listId, name: `Exceptions for rule - ${rule.name}`, description: `Exceptions for rule - ${rule.name}`, type: 'rule_default', namespace_type: 'single', items };
}

/** What a converted list left behind. */
export interface ConvertedList {
  list: ExceptionListFile;
  notCarried: string[];
}

const ENTRY_KEYS = new Set(['field', 'type', 'operator', 'value', 'list', 'entries']);

/** One entry from Kibana's (or detection-rules') form: `list_vals` is detection-rules' name for `list`. */
function entryFrom(raw: unknown, where: string, notCarried: string[]): ExceptionEntry | undefined {
  if (!isObject(raw)) {
    notCarried.push(`${where}: not an entry object, left out`);
    return undefined;
  }
  const e: Json = { ...raw };
  if (e.list === undefined && isObject(e.list_vals)) e.list = e.list_vals;
  delete e.list_vals;
  if (e.type === 'exists' || e.type === 'list' || e.type === 'nested') delete e.value;
  for (const key of Object.keys(e)) {
    if (!ENTRY_KEYS.has(key)) {
      notCarried.push(`${where}.${key}: not an exception entry field, left out`);
      delete e[key];
    }
  }
  if (e.type === 'nested' && Array.isArray(e.entries)) {
    e.entries = e.entries.flatMap((inner, i) => {
      const converted = entryFrom(inner, `${where}.entries[${i}]`, notCarried);
      return converted ? [converted] : [];
    });
  }
  return e as unknown as ExceptionEntry;
}

/** One item from Kibana's form: the server's ids, versions and timestamps left out, Kibana's defaults dropped. */
export function itemFrom(raw: Json, where: string, notCarried: string[]): ExceptionItem {
  const item: Json = {};
  if (typeof raw.item_id === 'string') item.item_id = raw.item_id;
  item.name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : String(raw.item_id ?? 'exception');
  if (typeof raw.description === 'string' && raw.description !== '') item.description = raw.description;
  if (Array.isArray(raw.os_types) && raw.os_types.length > 0) item.os_types = raw.os_types;
  if (Array.isArray(raw.tags) && raw.tags.length > 0) item.tags = raw.tags;
  if (Array.isArray(raw.comments)) {
    const comments = raw.comments.flatMap((c) => (isObject(c) && typeof c.comment === 'string' ? [{ comment: c.comment }] : []));
    if (comments.length > 0) item.comments = comments;
  }
  if (typeof raw.expire_time === 'string') item.expire_time = raw.expire_time;
  item.entries = (Array.isArray(raw.entries) ? raw.entries : []).flatMap((e, i) => {
    const converted = entryFrom(e, `${where}.entries[${i}]`, notCarried);
    return converted ? [converted] : [];
  });
  if (raw.type !== undefined && raw.type !== 'simple') notCarried.push(`${where}.type: ${JSON.stringify(raw.type)} items are not simple exception items, kept as simple`);
  return item as unknown as ExceptionItem;
}

/** A list container and its items (Kibana's API shape) as a ruleforge list file. */
export function listFrom(container: Json, items: readonly Json[], where: string): ConvertedList {
  const notCarried: string[] = [];
  const list: Json = { list_id: String(container.list_id) };
  if (typeof container.id === 'string' && container.id !== container.list_id) list.id = container.id;
  list.name = typeof container.name === 'string' && container.name !== '' ? container.name : String(container.list_id);
  if (typeof container.description === 'string' && container.description !== '') list.description = container.description;
  list.type = typeof container.type === 'string' ? container.type : 'detection';
  list.namespace_type = container.namespace_type === 'agnostic' ? 'agnostic' : 'single';
  if (Array.isArray(container.os_types) && container.os_types.length > 0) list.os_types = container.os_types;
  if (Array.isArray(container.tags) && container.tags.length > 0) list.tags = container.tags;
  list.items = items.map((item, i) => itemFrom(item, `${where} item ${JSON.stringify(item.item_id ?? i)}`, notCarried));
  const valueLists = new Set<string>();
  const visit = (entries: readonly ExceptionEntry[]): void => {
    for (const e of entries) {
      if (e.type === 'list') valueLists.add(e.list.id);
      if (e.type === 'nested') visit(e.entries);
    }
  };
  for (const item of list.items as ExceptionItem[]) visit(item.entries);
  for (const id of valueLists) notCarried.push(`${where}: value list "${id}" is referenced but its values are not in the export; put them in exceptions/lists/${id}, one per line`);
  return { list: list as unknown as ExceptionListFile, notCarried };
}

/** Is this text a detection-rules exception file (`[metadata] list_name` and `[[exceptions]]`)? */
export function isDetectionRulesExceptionDoc(doc: Json): boolean {
  return isObject(doc.metadata) && typeof doc.metadata.list_name === 'string' && Array.isArray(doc.exceptions) && !('rule' in doc);
}

/** detection-rules' exception TOML (already parsed): each `[[exceptions]]` entry's container and items. */
export function listsFromDetectionRules(doc: Json, file: string): ConvertedList[] {
  const out: ConvertedList[] = [];
  (doc.exceptions as unknown[]).forEach((entry, i) => {
    if (!isObject(entry) || !isObject(entry.container)) return;
    const container = { ...entry.container };
    if (typeof container.list_id !== 'string' || container.list_id === '') container.list_id = `${String(container.name ?? 'exceptions').toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    const items = Array.isArray(entry.items) ? entry.items.filter(isObject) : [];
    out.push(listFrom(container, items, `${file} [[exceptions]][${i}]`));
  });
  return out;
}
