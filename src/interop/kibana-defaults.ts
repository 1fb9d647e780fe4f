/**
 * Values Kibana fills in for a rule that did not state them. Imported rules leave them out, so a rule reads
 * the same whether it came from a detection-rules TOML file or from a Kibana export (where every default is
 * spelled out), and export → import gives back the file it started from.
 */

const DEFAULT_SCALARS: Readonly<Record<string, unknown>> = { to: 'now', version: 1, license: '', note: '', setup: '', output_index: '', timeline_id: '', timeline_title: '' };

/** Lists whose absence means the same as `[]`. */
const LIST_FIELDS = new Set([
  'tags',
  'references',
  'false_positives',
  'threat',
  'filters',
  'risk_score_mapping',
  'severity_mapping',
  'exceptions_list',
  'actions',
  'response_actions',
  'related_integrations',
  'required_fields',
]);

/** Removes keys whose value is what Kibana assumes when the key is absent; returns the rule for chaining. */
export function dropKibanaDefaults(rule: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(rule)) {
    if (key in DEFAULT_SCALARS && DEFAULT_SCALARS[key] === value) delete rule[key];
    else if (LIST_FIELDS.has(key) && Array.isArray(value) && value.length === 0) delete rule[key];
  }
  if (Array.isArray(rule.threat)) {
    for (const entry of rule.threat as Record<string, unknown>[]) {
      if (Array.isArray(entry.technique) && entry.technique.length === 0) delete entry.technique;
    }
  }
  const meta = rule.meta;
  // Kibana's UI writes `kibana_siem_app_url` into every rule it saves; it is not part of the rule.
  if (typeof meta === 'object' && meta !== null && Object.keys(meta).every((k) => k === 'kibana_siem_app_url')) delete rule.meta;
  return rule;
}
