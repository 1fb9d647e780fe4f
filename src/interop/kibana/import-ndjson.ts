import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { ruleJsonSchema } from '../../rules/schema-check.js';
import { itemFrom, listFrom, type ConvertedList } from '../exceptions.js';
import { dropKibanaDefaults } from '../kibana-defaults.js';

/** One rule of a Kibana export, converted, with what was left behind. */
export interface KibanaImportedRule {
  line: number;
  rule: Record<string, unknown>;
  notCarried: string[];
}

/** Everything a Kibana export file gave: its rules, the lines that are not rules, and unreadable lines. */
export interface KibanaImport {
  rules: KibanaImportedRule[];
  /** Non-rule lines left out (action connectors, items of lists the export lacks), one message each. */
  notCarried: string[];
  /** Shared exception lists of the export (rule default lists are folded into their rule's `exceptions`). */
  lists: ConvertedList[];
  diagnostics: Diagnostic[];
}

/** Fields the Kibana server sets on a stored rule; they describe that copy, not the rule. */
const SERVER_FIELDS = new Set(['id', 'created_at', 'created_by', 'updated_at', 'updated_by', 'revision', 'immutable', 'rule_source', 'execution_summary', 'last_run', 'next_run', 'outcome', 'alias_target_id', 'alias_purpose', 'namespace', 'output_index']);

const schemaProperties = (ruleJsonSchema.properties ?? {}) as Record<string, unknown>;
const RULE_KEYS = new Set(Object.keys(schemaProperties).filter((k) => k !== 'metadata' && k !== 'fields' && k !== 'tests'));

type Json = Record<string, unknown>;

function lineError(file: string, line: number, message: string): Diagnostic {
  return { severity: 'error', code: 'import/kibana', message, file, line, column: 1, endLine: line, endColumn: 1 };
}

/** What a non-rule line of an export is, or undefined for a rule line. */
function nonRuleKind(obj: Json): string | undefined {
  if ('exported_count' in obj || 'exported_rules_count' in obj) return 'summary';
  if ('item_id' in obj && 'entries' in obj) return `exception list item ${JSON.stringify(obj.item_id)}`;
  if ('list_id' in obj && !('rule_id' in obj)) return `exception list ${JSON.stringify(obj.list_id)}`;
  if ('attributes' in obj && !('rule_id' in obj)) return `saved object ${JSON.stringify(obj.id ?? obj.type)} (an action connector)`;
  return undefined;
}

/**
 * Reads a Kibana rules export (`POST /api/detection_engine/rules/_export`, NDJSON): each rule line becomes a
 * ruleforge rule without the server's bookkeeping (ids, timestamps, revision, source) or the defaults Kibana
 * spells out; the summary line is skipped, and exception lists and connectors are reported as not carried.
 */
export function importKibanaNdjson(text: string, file: string): KibanaImport {
  const out: KibanaImport = { rules: [], notCarried: [], lists: [], diagnostics: [] };
  const containers = new Map<string, { line: number; record: Json }>();
  const itemLines: { line: number; record: Json }[] = [];
  const listKey = (r: Json): string => `${r.namespace_type === 'agnostic' ? 'agnostic' : 'single'}:${String(r.list_id)}`;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (e) {
      out.diagnostics.push(lineError(file, line, `Not JSON: ${(e as Error).message}`));
      return;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      out.diagnostics.push(lineError(file, line, 'Not a JSON object: each line of a Kibana export is one object.'));
      return;
    }
    const record = obj as Json;
    const kind = nonRuleKind(record);
    if (kind === 'summary') return;
    if (kind?.startsWith('exception list item')) {
      itemLines.push({ line, record });
      return;
    }
    if (kind?.startsWith('exception list')) {
      containers.set(listKey(record), { line, record });
      return;
    }
    if (kind !== undefined) {
      out.notCarried.push(`line ${line}: ${kind}: ruleforge does not import connectors, left out`);
      return;
    }
    if (typeof record.rule_id !== 'string' || typeof record.type !== 'string') {
      out.diagnostics.push(lineError(file, line, 'Not a rule: a rule line has a `rule_id` and a `type`.'));
      return;
    }
    const notCarried: string[] = [];
    const rule: Json = {};
    for (const [key, value] of Object.entries(record)) {
      if (SERVER_FIELDS.has(key)) continue;
      if (RULE_KEYS.has(key)) rule[key] = value;
      else notCarried.push(`${key}: not a Kibana rule field ruleforge knows, left out`);
    }
    dropKibanaDefaults(rule);
    out.rules.push({ line, rule, notCarried });
  });
  // Items join their container by list_id, and by namespace when they state one.
  const items = new Map<string, { line: number; record: Json }[]>();
  for (const entry of itemLines) {
    const stated = typeof entry.record.namespace_type === 'string';
    const key = stated ? listKey(entry.record) : ([...containers.keys()].find((k) => k.slice(k.indexOf(':') + 1) === String(entry.record.list_id)) ?? listKey(entry.record));
    items.set(key, [...(items.get(key) ?? []), entry]);
  }
  // A rule's default list becomes its inline `exceptions` (how ruleforge writes rule exceptions).
  const folded = new Set<string>();
  for (const imported of out.rules) {
    const refs = imported.rule.exceptions_list;
    if (!Array.isArray(refs)) continue;
    const kept = refs.filter((ref) => {
      if (typeof ref !== 'object' || ref === null || (ref as Json).type !== 'rule_default') return true;
      const key = listKey(ref as Json);
      const own = items.get(key);
      if (!own && !containers.has(key)) return true;
      imported.rule.exceptions = [...((imported.rule.exceptions as unknown[]) ?? []), ...(own ?? []).map((i, n) => {
        const item = itemFrom(i.record, `line ${i.line}`, imported.notCarried);
        // The id export derives for an inline item carries nothing: leave it out, so import → export is a fixed point.
        if (item.item_id === `${String((ref as Json).list_id)}-${n + 1}`) delete item.item_id;
        return item;
      })];
      folded.add(key);
      return false;
    });
    if (kept.length > 0) imported.rule.exceptions_list = kept;
    else delete imported.rule.exceptions_list;
  }
  for (const [key, container] of containers) {
    if (folded.has(key)) continue;
    out.lists.push(listFrom(container.record, (items.get(key) ?? []).map((i) => i.record), `line ${container.line}: exception list ${JSON.stringify(container.record.list_id)}`));
  }
  for (const [key, orphans] of items) {
    if (containers.has(key) || folded.has(key)) continue;
    out.notCarried.push(`lines ${orphans.map((o) => o.line).join(', ')}: items of exception list ${JSON.stringify(key.split(':').slice(1).join(':'))}, whose container is not in the export, left out`);
  }
  return out;
}
