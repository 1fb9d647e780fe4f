import { dump } from 'js-yaml';
import type { compileQuery } from '../src/compile-query.js';
import type { RuleArtifact } from '../src/ir/artifact.js';

/** One line of ../shared/corpus/rules/queries.jsonl (Elastic's published detection rules). */
export interface CorpusRuleRow {
  path: string;
  name: string;
  rule_id: string;
  type: string;
  language: string | null;
  query: string | null;
  index: string[] | null;
  timestamp_override: string | null;
  event_category_override: string | null;
  tiebreaker_field: string | null;
  threshold: unknown;
  deprecated: boolean;
  min_stack_version: string | null;
  maturity: string | null;
  integration: string[] | string | null;
  filters?: unknown[] | null;
}

/**
 * A corpus row as a ruleforge YAML rule file: the fields the corpus keeps, and neutral values for the
 * required ones it does not (description, risk score, severity, author).
 */
export function corpusRuleYaml(row: CorpusRuleRow, suffix = ''): string {
  return dump(corpusRule(row, suffix), { lineWidth: -1 });
}

/** A corpus row as a ruleforge rule object (see `corpusRuleYaml`). */
export function corpusRule(row: CorpusRuleRow, suffix = ''): Record<string, unknown> {
  const rule: Record<string, unknown> = {
    name: row.name + suffix,
    rule_id: suffix ? `${row.rule_id}${suffix}` : row.rule_id,
    type: row.type,
  };
  if (row.language) rule.language = row.language;
  if (row.query !== null) rule.query = row.query;
  if (row.index && row.type !== 'esql') rule.index = row.index;
  rule.description = `Converted from elastic/detection-rules ${row.path}.`;
  rule.risk_score = 47;
  rule.severity = 'medium';
  rule.author = ['Elastic'];
  if (row.timestamp_override) rule.timestamp_override = row.timestamp_override;
  if (row.event_category_override) rule.event_category_override = row.event_category_override;
  if (row.tiebreaker_field) rule.tiebreaker_field = row.tiebreaker_field;
  if (row.threshold) rule.threshold = row.threshold;
  if (row.filters && row.filters.length > 0) rule.filters = row.filters;
  const metadata: Record<string, unknown> = {};
  if (row.maturity) metadata.maturity = row.maturity;
  if (row.min_stack_version) metadata.min_stack_version = row.min_stack_version;
  if (row.integration) metadata.integration = row.integration;
  if (Object.keys(metadata).length > 0) rule.metadata = metadata;
  return rule;
}

/**
 * A corpus row as the artifact the engine benches load: KQL query rules and EQL rules, compiled with `compile`
 * (this tree's `compileQuery`, or an earlier tree's: `npm run bench:against` has each tree compile the library
 * with its own compiler); undefined for other rule types and queries that do not compile.
 */
export function corpusArtifact(row: CorpusRuleRow, compile: typeof compileQuery, artifactVersion: RuleArtifact['artifactVersion']): RuleArtifact | undefined {
  const language = row.language === 'kuery' && row.type === 'query' ? 'kuery' : row.type === 'eql' ? 'eql' : undefined;
  if (!language || row.query === null) return undefined;
  const compiled = compile(row.query, { language, ...(row.event_category_override ? { categoryField: row.event_category_override } : {}) });
  if (!compiled.ok) return undefined;
  return {
    artifactVersion,
    rule: { rule_id: row.rule_id, name: row.name, description: '', type: language === 'eql' ? 'eql' : 'query', language, severity: 'medium', risk_score: 47, tags: [], threat: [] },
    query: row.query,
    ir: JSON.parse(JSON.stringify(compiled.ir)) as RuleArtifact['ir'],
    fields: compiled.ir.fields,
    source: { file: row.path, sha256: '' },
  };
}
