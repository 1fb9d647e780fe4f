/**
 * Alerts of the aggregating rule types, shaped as Kibana writes them. A threshold alert has no source event:
 * Kibana builds it from a synthetic document holding the bucket's latest event time and its key fields, which
 * ruleforge puts in `events`. A new_terms alert is the alert of the combination's oldest event in the window.
 */
import type { RuleArtifact } from '../../ir/artifact.js';
import type { NewTerm } from '../state/new-terms.js';
import type { ThresholdBucket } from '../state/threshold.js';
import { alertId, buildAlert, type Alert } from './alerts.js';

/** The alert for one threshold bucket; `@timestamp` is the execution's instant, as Kibana stamps it. */
export function buildThresholdAlert(artifact: RuleArtifact, bucket: ThresholdBucket): Alert {
  const doc: Record<string, unknown> = { '@timestamp': new Date(bucket.lastTs).toISOString() };
  for (const t of bucket.terms) doc[t.field] = t.value;
  const alert = buildAlert(artifact, [doc], bucket.execution.at);
  // Kibana's id: the rule, the execution, the fields and the sorted key values (a new execution, a new id).
  const sortedValues = bucket.terms.map((t) => String(t.value)).sort();
  alert['kibana.alert.uuid'] = alertId(artifact.rule.rule_id, [bucket.execution.at, bucket.terms.map((t) => t.field), sortedValues]);
  alert['kibana.alert.threshold_result'] = {
    terms: bucket.terms.map((t) => ({ field: t.field, value: t.value })),
    count: bucket.count,
    ...(bucket.cardinality ? { cardinality: bucket.cardinality.map((c) => ({ ...c })) } : {}),
    from: new Date(bucket.firstTs).toISOString(),
  };
  return alert;
}

/** The alert for one new combination of values. */
export function buildNewTermsAlert(artifact: RuleArtifact, term: NewTerm): Alert {
  const alert = buildAlert(artifact, [term.event], term.execution.at);
  // Kibana hashes the event and the new terms, so an overlapping execution finds the same alert.
  alert['kibana.alert.uuid'] = alertId(artifact.rule.rule_id, [term.event, term.values]);
  alert['kibana.alert.new_terms'] = [...term.values];
  return alert;
}
