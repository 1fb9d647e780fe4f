import { stringify } from 'smol-toml';

/**
 * A rule in elastic/detection-rules' TOML layout: `metadata` as `[metadata]`, everything else under `[rule]`,
 * new-terms settings nested the way that repository writes them, ruleforge's own keys left out.
 */
export function detectionRulesToml(rule: Record<string, unknown>): string {
  const { metadata, fields: _fields, tests: _tests, new_terms_fields, history_window_start, ...kibana } = rule;
  const ruleTable: Record<string, unknown> = { ...kibana };
  if (new_terms_fields !== undefined) {
    ruleTable.new_terms = {
      field: 'new_terms_fields',
      value: new_terms_fields,
      history_window_start: [{ field: 'history_window_start', value: history_window_start }],
    };
  }
  return stringify({ metadata: metadata ?? { creation_date: '2026/01/01', updated_date: '2026/01/01', maturity: 'production' }, rule: ruleTable });
}
