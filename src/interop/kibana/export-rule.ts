import type { ExceptionItem, ExceptionListFile } from '../../rules/exceptions/types.js';
import { RULEFORGE_ONLY_KEYS, type RuleDefinition } from '../../rules/types.js';
import { ruleDefaultList } from '../exceptions.js';
import type { CheckedRule } from '../../rules/validate.js';
import { sortKeysDeep } from '../sort-keys.js';
import { relatedIntegrations, requiredFields, aggregationFields } from './computed-fields.js';

/** A rule as Kibana's rule import API takes it, and the packages whose version the project does not state. */
export interface KibanaRuleExport {
  rule: Record<string, unknown>;
  unversioned: string[];
  /** The exception lists the rule uses: its inline items as a rule default list, then the shared lists. */
  exceptionLists: ExceptionListFile[];
}

/** Kibana always lists a tactic's techniques, if only as `[]`. */
function withTechniques(threat: RuleDefinition['threat']): RuleDefinition['threat'] {
  return threat?.map((entry) => ({ ...entry, technique: entry.technique ?? [] }));
}

/**
 * The Kibana form of a checked rule: every Kibana field it has, `version` (1 unless the rule states one),
 * `related_integrations` and `required_fields` computed from the query (unless the rule states them), and
 * nothing of ruleforge's own (`metadata`, `fields`, `tests`).
 */
export function kibanaRule(checked: CheckedRule & { rule: RuleDefinition }, integrationVersions: Readonly<Record<string, string>>): KibanaRuleExport {
  const { rule } = checked;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rule)) if (!RULEFORGE_ONLY_KEYS.has(key)) out[key] = structuredClone(value);
  if (rule.threat) out.threat = withTechniques(rule.threat);
  out.version = rule.version ?? 1;
  let unversioned: string[] = [];
  const refs = checked.fieldRefs ?? [];
  if (out.related_integrations === undefined) {
    const computed = relatedIntegrations(refs, rule.index, rule.metadata?.integration, integrationVersions);
    unversioned = computed.unversioned;
    if (computed.entries.length > 0) out.related_integrations = computed.entries;
  }
  const aggregated = aggregationFields(rule);
  if (out.required_fields === undefined && refs.length + aggregated.length > 0) out.required_fields = requiredFields(refs, checked.schema, aggregated);
  // Inline exceptions are Kibana's rule default list: a container of its own, referenced like a shared list.
  const exceptionLists: ExceptionListFile[] = [];
  delete out.exceptions;
  if (Array.isArray(rule.exceptions) && rule.exceptions.length > 0) {
    const own = ruleDefaultList(rule, structuredClone(rule.exceptions as ExceptionItem[]));
    exceptionLists.push(own);
    out.exceptions_list = [{ id: own.list_id, list_id: own.list_id, namespace_type: 'single', type: 'rule_default' }, ...((out.exceptions_list as unknown[] | undefined) ?? [])];
  }
  for (const shared of checked.exceptionLists ?? []) exceptionLists.push(shared.list);
  return { rule: sortKeysDeep(out) as Record<string, unknown>, unversioned, exceptionLists };
}
