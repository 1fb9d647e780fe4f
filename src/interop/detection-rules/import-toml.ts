import { parse, TomlError } from 'smol-toml';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { ruleJsonSchema } from '../../rules/schema-check.js';
import { dropKibanaDefaults } from '../kibana-defaults.js';
import { renderTransforms } from './transforms.js';
import { normalizeWhitespace } from './whitespace.js';

/** A rule converted to ruleforge's shape, and what the source had that the conversion left behind. */
export interface ImportedRule {
  rule: Record<string, unknown>;
  /** One line per dropped key or value, naming it (e.g. `[rule] foo: not a Kibana rule field`). */
  notCarried: string[];
}

export type ImportOutcome = { ok: true; imported: ImportedRule } | { ok: false; diagnostics: Diagnostic[] };

type Table = Record<string, unknown>;

const schemaProperties = (ruleJsonSchema.properties ?? {}) as Record<string, { properties?: Record<string, unknown> }>;
const RULE_KEYS = new Set(Object.keys(schemaProperties).filter((k) => k !== 'metadata' && k !== 'fields' && k !== 'tests'));
const METADATA_KEYS = new Set(Object.keys(schemaProperties.metadata?.properties ?? {}));

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function importError(file: string, message: string, line = 1, column = 1): Diagnostic {
  return { severity: 'error', code: 'import/detection-rules', message, file, line, column, endLine: line, endColumn: column };
}

/**
 * detection-rules nests the new-terms settings as `{field: "new_terms_fields", value: [...],
 * history_window_start: [{field: "history_window_start", value: "now-7d"}]}`; Kibana (and ruleforge) keep
 * them as two flat keys.
 */
function flattenNewTerms(rule: Table, notCarried: string[]): void {
  const nested = rule.new_terms;
  delete rule.new_terms;
  if (!isTable(nested)) {
    notCarried.push('[rule] new_terms: not a table, left out');
    return;
  }
  if (nested.field === 'new_terms_fields') rule.new_terms_fields = nested.value;
  else notCarried.push(`[rule] new_terms.field: unexpected ${JSON.stringify(nested.field)}, left out`);
  const windows = Array.isArray(nested.history_window_start) ? nested.history_window_start : [];
  for (const entry of windows) {
    if (isTable(entry) && entry.field === 'history_window_start') rule.history_window_start = entry.value;
    else notCarried.push(`[rule] new_terms.history_window_start: unexpected entry ${JSON.stringify(entry)}, left out`);
  }
}

/** TOML dates have no JSON form; detection-rules writes none in rules, but a stray one becomes its ISO text. */
function plainValues(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plainValues);
  if (isTable(value)) {
    const out: Table = {};
    for (const [k, v] of Object.entries(value)) out[k] = plainValues(v);
    return out;
  }
  return value;
}

/**
 * Converts one detection-rules TOML file (`[metadata]`, `[rule]`, optional `[transform]`) into a ruleforge
 * rule: the Kibana fields as detection-rules sends them to Kibana (whitespace of plain text fields
 * normalised, new-terms flattened, `[transform]` rendered into the note), and `[metadata]` as `metadata`.
 */
export function importDetectionRulesToml(text: string, file: string): ImportOutcome {
  let doc: Table;
  try {
    doc = plainValues(parse(text)) as Table;
  } catch (e) {
    if (e instanceof TomlError) {
      const first = e.message.split('\n')[0] ?? e.message;
      return { ok: false, diagnostics: [importError(file, `Invalid TOML: ${first.replace(/^Invalid TOML document: /, '')}`, e.line, e.column)] };
    }
    return { ok: false, diagnostics: [importError(file, `Invalid TOML: ${(e as Error).message}`)] };
  }
  const notCarried: string[] = [];
  const source = doc.rule;
  if (!isTable(source)) return { ok: false, diagnostics: [importError(file, 'No [rule] table: this is not a detection-rules rule file.')] };
  for (const key of Object.keys(doc)) {
    if (key !== 'rule' && key !== 'metadata' && key !== 'transform') notCarried.push(`[${key}]: not part of a rule, left out`);
  }

  let rule: Table = normalizeWhitespace(structuredClone(source)) as Table;
  if ('new_terms' in rule) flattenNewTerms(rule, notCarried);
  if ('transform' in doc) {
    if (isTable(doc.transform)) {
      const rendered = renderTransforms(doc.transform, rule);
      notCarried.push(...rendered.notCarried);
    } else notCarried.push('[transform]: not a table, left out');
  }
  const kept: Table = {};
  for (const [key, value] of Object.entries(rule)) {
    if (RULE_KEYS.has(key)) kept[key] = value;
    else notCarried.push(`[rule] ${key}: not a Kibana rule field ruleforge knows, left out`);
  }
  rule = kept;

  if ('metadata' in doc) {
    if (isTable(doc.metadata)) {
      const metadata: Table = {};
      for (const [key, value] of Object.entries(doc.metadata)) {
        if (METADATA_KEYS.has(key)) metadata[key] = value;
        else notCarried.push(`[metadata] ${key}: not a metadata key ruleforge knows, left out`);
      }
      if (Object.keys(metadata).length > 0) rule.metadata = metadata;
    } else notCarried.push('[metadata]: not a table, left out');
  }
  return { ok: true, imported: { rule: dropKibanaDefaults(rule), notCarried } };
}
