import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { ruleJsonSchema } from '../../rules/schema-check.js';
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
  /** Non-rule lines left out (exception lists and items, action connectors), one message each. */
  notCarried: string[];
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
  const out: KibanaImport = { rules: [], notCarried: [], diagnostics: [] };
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
    if (kind !== undefined) {
      out.notCarried.push(`line ${line}: ${kind}: ruleforge does not import exception lists or connectors, left out`);
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
  return out;
}
