import type { ExceptionEntry, ExceptionItem } from '../../rules/exceptions/types.js';

type Json = Record<string, unknown>;

/** Reads a value list's values (undefined when it cannot be read: the entry then matches nothing). */
export type ValueListReader = (id: string, type: string) => string[] | undefined;

const mustNotIf = (excluded: boolean, clause: Json): Json => (excluded ? { bool: { must_not: clause } } : clause);
const phrase = (field: string, value: string): Json => ({ bool: { minimum_should_match: 1, should: [{ match_phrase: { [field]: value } }] } });

/** One entry as Kibana's exception filter builder writes it; `parent` prefixes fields inside a nested entry. */
function entryClause(entry: ExceptionEntry, lists: ValueListReader, parent?: string): Json {
  const field = parent !== undefined ? `${parent}.${entry.field}` : entry.field;
  switch (entry.type) {
    case 'match':
      return mustNotIf(entry.operator === 'excluded', phrase(field, entry.value));
    case 'match_any':
      return mustNotIf(entry.operator === 'excluded', entry.value.length === 1 ? phrase(field, entry.value[0]) : { bool: { minimum_should_match: 1, should: entry.value.map((v) => phrase(field, v)) } });
    case 'wildcard':
      return mustNotIf(entry.operator === 'excluded', { bool: { filter: { wildcard: { [field]: entry.value } } } });
    case 'exists':
      return mustNotIf(entry.operator === 'excluded', { bool: { minimum_should_match: 1, should: [{ exists: { field } }] } });
    case 'nested': {
      const inner = entry.entries.map((e) => entryClause(e, lists, entry.field));
      return { nested: { path: entry.field, query: inner.length === 1 ? inner[0] : { bool: { filter: inner } }, score_mode: 'none' } };
    }
    case 'list': {
      const values = lists(entry.list.id, entry.list.type) ?? [];
      const key = entry.operator === 'excluded' ? 'must_not' : 'should';
      if (entry.list.type === 'ip_range') {
        const ranges = values.filter((v) => v.includes('-'));
        const blocks = values.filter((v) => !v.includes('-'));
        const clauses: Json[] = ranges.map((r) => {
          const [gte, lte] = r.split('-');
          return { range: { [field]: { gte, lte } } };
        });
        if (blocks.length > 0) clauses.push({ terms: { [field]: blocks } });
        return { bool: { [key]: clauses, minimum_should_match: 1 } };
      }
      if (entry.list.type === 'text') return { bool: { [key]: values.map((v) => ({ match: { [field]: { query: v, operator: 'and' } } })), minimum_should_match: 1 } };
      return { bool: { [entry.operator === 'excluded' ? 'must_not' : 'filter']: { terms: { [field]: values } } } };
    }
  }
}

/** One item's clauses: its entries AND-ed, and per OS type (host.os.type, then host.os.name.caseless) when it has os_types. */
function itemClauses(item: ExceptionItem, lists: ValueListReader): Json[] {
  const entries = item.entries.map((e) => entryClause(e, lists));
  if (item.os_types && item.os_types.length > 0) {
    const os = (field: string) => item.os_types!.map((t) => ({ bool: { filter: [phrase(field, t), ...entries] } }));
    return [...os('host.os.type'), ...os('host.os.name.caseless')];
  }
  return entries.length === 1 ? entries : [{ bool: { filter: entries } }];
}

/** The query "some exception item matches" (Kibana negates it as a filter), or undefined for no items. */
export function exceptionItemsQuery(items: readonly ExceptionItem[], lists: ValueListReader): Json | undefined {
  if (items.length === 0) return undefined;
  return { bool: { should: items.flatMap((i) => itemClauses(i, lists)) } };
}
