import type { IrQuery } from './types.js';

/** Version of the compiled-rule file format in `dist-rules/`; bumped on any incompatible change. */
export const ARTIFACT_VERSION = 1;

/** A MITRE reference as carried into alerts. */
export interface ArtifactThreatRef {
  id: string;
  name: string;
  reference: string;
}

/** Kibana's `alert_suppression`: fold alerts with equal `group_by` values (see src/runtime/state/suppression.ts). */
export interface ArtifactAlertSuppression {
  group_by?: string[];
  duration?: { value: number; unit: 's' | 'm' | 'h' };
  missing_fields_strategy?: 'suppress' | 'doNotSuppress';
}

/** The rule settings the runtime needs to evaluate a rule and shape its alerts (Kibana's field names). */
export interface ArtifactRule {
  rule_id: string;
  name: string;
  description: string;
  type: 'query' | 'eql' | 'threshold' | 'new_terms';
  language: 'kuery' | 'eql';
  severity: 'low' | 'medium' | 'high' | 'critical';
  risk_score: number;
  tags: string[];
  threat: { framework: string; tactic: ArtifactThreatRef; technique: (ArtifactThreatRef & { subtechnique: ArtifactThreatRef[] })[] }[];
  index?: string[];
  from?: string;
  interval?: string;
  max_signals?: number;
  enabled?: boolean;
  version?: number;
  building_block_type?: 'default';
  /** The time field Kibana filters the rule's look-back window on (default `@timestamp`). */
  timestamp_override?: string;
  /** EQL: the field that orders sequence events (default `@timestamp`). */
  timestamp_field?: string;
  /** EQL: orders events with equal timestamps. */
  tiebreaker_field?: string;
  /** EQL: the field `category where` tests (default `event.category`). */
  event_category_override?: string;
  author?: string[];
  license?: string;
  references?: string[];
  investigation_fields?: { field_names: string[] };
  rule_name_override?: string;
  alert_suppression?: ArtifactAlertSuppression;
  // Aggregating rule types (issue 16): how executions window the stream and what they group by.
  to?: string;
  timestamp_override_fallback_disabled?: boolean;
  threshold?: { field: string | string[]; value: number; cardinality?: { field: string; value: number }[] };
  new_terms_fields?: string[];
  history_window_start?: string;
}

/** One compiled rule, as `ruleforge compile` writes it to `dist-rules/<name>.json`. */
export interface RuleArtifact {
  artifactVersion: typeof ARTIFACT_VERSION;
  rule: ArtifactRule;
  /** The query text as written (for alerts, explain and export). */
  query: string;
  ir: IrQuery;
  /** Every field the rule reads: the query's fields, join keys, and the time fields. */
  fields: string[];
  /**
   * The rule's exception items, each with the predicate of "this item matches" (already subtracted from `ir`;
   * kept so `explain` can name the item that excepted an event). Absent: no exceptions.
   */
  exceptions?: { name: string; list_id?: string; predicate: IrQuery['predicate'] }[];
  source: { file: string; sha256: string };
}
