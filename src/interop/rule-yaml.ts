import { dump } from 'js-yaml';
import { ruleJsonSchema } from '../rules/schema-check.js';
import { sortKeysDeep } from './sort-keys.js';

/** The rule schema's own property order: identity, query, scoring, schedule, documentation, then ruleforge's keys. */
const KEY_ORDER: readonly string[] = Object.keys((ruleJsonSchema.properties ?? {}) as Record<string, unknown>);
const RANK = new Map(KEY_ORDER.map((key, i) => [key, i]));
const UNFOLDED = new Set(['query', 'threat_query']);

/**
 * Top-level keys in schema order (keys the schema does not list go last, alphabetically); nested keys
 * alphabetically, so MITRE entries read framework, tactic, technique and id, name, reference whichever tool
 * wrote them, and the same rule always gives the same file.
 */
export function orderRuleKeys(rule: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const keys = Object.keys(rule).sort((a, b) => {
    const ra = RANK.get(a) ?? Number.MAX_SAFE_INTEGER;
    const rb = RANK.get(b) ?? Number.MAX_SAFE_INTEGER;
    return ra - rb || (a < b ? -1 : a > b ? 1 : 0);
  });
  const out: Record<string, unknown> = {};
  for (const key of keys) if (rule[key] !== undefined) out[key] = sortKeysDeep(rule[key]);
  return out;
}

/**
 * A rule as a ruleforge YAML file: keys in a stable order, multi-line text (queries, notes) as `|` block
 * scalars and long lines folded, so that imported rules read like hand-written ones and diff well.
 */
export function ruleToYaml(rule: Readonly<Record<string, unknown>>, header?: string): string {
  // Queries are never folded: a folded query reads back the same but is awkward to edit.
  const parts = Object.entries(orderRuleKeys(rule)).map(([key, value]) => dump({ [key]: value }, { lineWidth: UNFOLDED.has(key) ? -1 : 110, noRefs: true }));
  // A `|+` block at the end of a document gets a `...` end marker; between keys of one mapping it needs none.
  const body = parts.map((part, i) => (i < parts.length - 1 ? part.replace(/\n\.\.\.\n$/, '\n') : part)).join('');
  return header ? `${header.split('\n').map((l) => `# ${l}`.trimEnd()).join('\n')}\n${body}` : body;
}
