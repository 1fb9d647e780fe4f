import { keysAt } from './schema-walk.js';

/**
 * The canonical order of a rule's top-level keys: what the rule is and what it searches first, then its query
 * settings, scoring and schedule, then the analyst-facing text, and ruleforge's own keys (metadata, fields,
 * tests) last — the layout of the bundled rules and of detection-rules' TOML files. Keys the rule schema has
 * that are not named here keep the schema's order, before `tags`.
 */
const LEAD = ['name', 'rule_id', 'type', 'language', 'index', 'data_view_id', 'description', 'query'];
const SCORING = ['risk_score', 'severity', 'author', 'license', 'from', 'to', 'interval', 'max_signals', 'enabled'];
const TAIL = ['tags', 'threat', 'references', 'false_positives', 'investigation_fields', 'note', 'setup', 'metadata', 'fields', 'tests'];

let topLevel: string[] | undefined;

/** Top-level keys in canonical order. */
export function topLevelOrder(): readonly string[] {
  if (topLevel) return topLevel;
  const schemaOrder = keysAt([]).map(([k]) => k);
  const named = new Set([...LEAD, ...SCORING, ...TAIL]);
  // Query-type settings sit between `query` and `risk_score` in the schema; everything else unnamed goes before TAIL.
  const firstScoring = schemaOrder.indexOf('from');
  const querySide = schemaOrder.filter((k, i) => !named.has(k) && i < firstScoring);
  const rest = schemaOrder.filter((k, i) => !named.has(k) && i >= firstScoring);
  topLevel = [...LEAD, ...querySide, ...SCORING, ...rest, ...TAIL];
  return topLevel;
}

/** The canonical key order of the mapping at `path` in a rule (the schema's order below the top level). */
export function keyOrderAt(path: readonly (string | number)[]): readonly string[] {
  return path.length === 0 ? topLevelOrder() : keysAt(path).map(([k]) => k);
}
