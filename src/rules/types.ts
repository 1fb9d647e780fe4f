/** Kibana's rule types; `query`, `eql`, `threshold` and `new_terms` compile, the others are validated only. */
export type RuleType = 'query' | 'saved_query' | 'eql' | 'esql' | 'threshold' | 'threat_match' | 'new_terms' | 'machine_learning';

export type RuleSeverity = 'low' | 'medium' | 'high' | 'critical';

export interface ThreatReference {
  id: string;
  name: string;
  reference: string;
}

export interface ThreatTechnique extends ThreatReference {
  subtechnique?: ThreatReference[];
}

/** One MITRE ATT&CK (or ATLAS) tactic with its techniques. */
export interface ThreatEntry {
  framework: string;
  tactic: ThreatReference;
  technique?: ThreatTechnique[];
}

/** Repository metadata (detection-rules' `[metadata]`); never sent to Kibana. */
export interface RuleMetadata {
  creation_date?: string;
  updated_date?: string;
  maturity?: string;
  integration?: string | string[];
  min_stack_version?: string;
  min_stack_comments?: string;
  deprecation_date?: string;
  deprecated_reason?: string;
  bypass_bbr_timing?: boolean;
  query_schema_validation?: boolean;
  comments?: string;
  promotion?: boolean;
  os_type_list?: string[];
  related_endpoint_rules?: string[];
  extended?: Record<string, unknown>;
}

/** How an example builds one event: a base event file, fields set on top, fields removed, or an inline event. */
export interface ExampleEventSpec {
  base?: string;
  fields?: Record<string, unknown>;
  remove?: string[];
  event?: Record<string, unknown>;
}

/** What an example expects: every event matches / none does, or an exact alert count (and join keys). */
export type ExampleExpectation = 'match' | 'no-match' | { alerts: number; join_keys?: unknown[][]; buckets?: ExpectedBucket[]; new_terms?: unknown[][]; docs_count?: number[] };

/** A threshold example's expected bucket: its `threshold.field` values and (optionally) its event count. */
export interface ExpectedBucket {
  terms: Record<string, unknown>;
  count?: number;
}

/** One example in a rule's `tests:` block. */
export interface RuleExample {
  name: string;
  description?: string;
  expect: ExampleExpectation;
  event?: ExampleEventSpec;
  events?: ExampleEventSpec[];
  /** new_terms: events seen before the example's events, which only build the history. */
  history?: ExampleEventSpec[];
}

/**
 * A rule as written in YAML, after schema validation: Kibana's rule fields plus ruleforge's own
 * `metadata`, `fields` and `tests`. Fields ruleforge does not interpret stay available as unknown values.
 */
export interface RuleDefinition {
  name: string;
  rule_id: string;
  type: RuleType;
  description: string;
  risk_score: number;
  severity: RuleSeverity;
  author: string[];
  language?: 'kuery' | 'lucene' | 'eql' | 'esql';
  query?: string;
  index?: string[];
  data_view_id?: string;
  license?: string;
  tags?: string[];
  threat?: ThreatEntry[];
  from?: string;
  to?: string;
  interval?: string;
  max_signals?: number;
  timestamp_override?: string;
  timestamp_override_fallback_disabled?: boolean;
  event_category_override?: string;
  tiebreaker_field?: string;
  timestamp_field?: string;
  references?: string[];
  false_positives?: string[];
  note?: string;
  setup?: string;
  investigation_fields?: { field_names: string[] };
  building_block_type?: 'default';
  enabled?: boolean;
  version?: number;
  metadata?: RuleMetadata;
  fields?: Record<string, string>;
  tests?: RuleExample[];
  [other: string]: unknown;
}

/** Rule types that compile to a matcher. */
export const COMPILED_RULE_TYPES: ReadonlySet<RuleType> = new Set(['query', 'eql', 'threshold', 'new_terms']);

/** Keys that are ruleforge's own and never leave the repository. */
export const RULEFORGE_ONLY_KEYS: ReadonlySet<string> = new Set(['metadata', 'fields', 'tests']);
