import type { RuleDefinition } from '../rules/types.js';

type Json = Record<string, unknown>;

/** One Kibana filter object as rules carry it (`meta`, `query`, optional `$state`). */
interface RuleFilter {
  meta?: { disabled?: boolean; negate?: boolean };
  query?: Json;
  [other: string]: unknown;
}

/** The HTTP request that runs an EQL rule's query in Elasticsearch, as Kibana's detection engine sends it. */
export interface EqlSearchRequest {
  rule_id: string;
  name: string;
  method: 'POST';
  /** `/<index patterns, comma-separated>/_eql/search` with the query parameters Kibana sets. */
  path: string;
  body: Json;
}

/**
 * The time-range filter of a rule run: on the timestamp override when there is one, and then (unless the
 * fallback is disabled) on `@timestamp` for documents that lack the override field.
 */
export function timeRangeFilter(rule: Pick<RuleDefinition, 'from' | 'to' | 'timestamp_override' | 'timestamp_override_fallback_disabled'>): Json {
  const from = rule.from ?? 'now-6m';
  const to = rule.to ?? 'now';
  const range = (field: string): Json => ({ range: { [field]: { lte: to, gte: from, format: 'strict_date_optional_time' } } });
  const primary = rule.timestamp_override ?? '@timestamp';
  const secondary = rule.timestamp_override && rule.timestamp_override !== '@timestamp' && rule.timestamp_override_fallback_disabled !== true ? '@timestamp' : undefined;
  if (secondary === undefined) return range(primary);
  return {
    bool: {
      minimum_should_match: 1,
      should: [range(primary), { bool: { filter: [range(secondary), { bool: { must_not: { exists: { field: primary } } } }] } }],
    },
  };
}

/**
 * The rule's query-bar filters as one bool query (enabled filters only; negated ones under `must_not`), in the
 * shape Kibana's `buildEsQuery` gives an empty query with filters.
 */
export function filtersQuery(filters: readonly unknown[] | undefined, exceptions?: Json): Json {
  const filter: Json[] = [];
  // Kibana appends the exception filter negated, so the excepted events never reach the EQL engine.
  const mustNot: Json[] = [];
  for (const f of (filters ?? []) as RuleFilter[]) {
    if (f.meta?.disabled === true || f.query === undefined) continue;
    (f.meta?.negate === true ? mustNot : filter).push(f.query);
  }
  if (exceptions) mustNot.push(exceptions);
  return { bool: { must: [], filter, should: [], must_not: mustNot } };
}

/**
 * The `_eql/search` request for an EQL rule over its look-back window (`from`..`to`, date math resolved by
 * Elasticsearch at search time): the query, at most `max_signals` results, the time-range and filter
 * queries, and the rule's timestamp, tiebreaker and event-category fields (Elasticsearch's defaults
 * spelled out when the rule sets none).
 */
export function eqlSearchRequest(rule: RuleDefinition, exceptions?: Json): EqlSearchRequest {
  const index = rule.index ?? [];
  const timestamps = rule.timestamp_override && rule.timestamp_override !== '@timestamp' && rule.timestamp_override_fallback_disabled !== true ? [rule.timestamp_override, '@timestamp'] : [rule.timestamp_override ?? '@timestamp'];
  const body: Json = {
    size: rule.max_signals ?? 100,
    query: rule.query ?? '',
    filter: { bool: { filter: [timeRangeFilter(rule), filtersQuery(rule.filters as unknown[] | undefined, exceptions)] } },
    timestamp_field: rule.timestamp_field ?? '@timestamp',
    event_category_field: rule.event_category_override ?? 'event.category',
    ...(rule.tiebreaker_field ? { tiebreaker_field: rule.tiebreaker_field } : {}),
    fields: [{ field: '*', include_unmapped: true }, ...timestamps.map((field) => ({ field, format: 'strict_date_optional_time' }))],
  };
  const target = index.length > 0 ? index.map((p) => encodeURI(p).replace(/[?#]/g, encodeURIComponent)).join(',') : '*';
  return { rule_id: rule.rule_id, name: rule.name, method: 'POST', path: `/${target}/_eql/search?allow_no_indices=true&allow_partial_search_results=true`, body };
}
