import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { readTextSource, DEFAULT_MAX_RULE_FILE_BYTES } from './read-source.js';
import { checkRuleSchema } from './schema-check.js';
import type { RuleDefinition } from './types.js';
import { loadYamlDocument, type YamlDocument, type YamlLimits } from './yaml-document.js';

/** One rule file after loading: its text and document when readable, the rule when the schema accepts it. */
export interface LoadedRuleFile {
  file: string;
  text?: string;
  doc?: YamlDocument;
  rule?: RuleDefinition;
  /** The document's mapping even when the schema rejects it, so later checks can still report what they can. */
  draft?: Record<string, unknown>;
  diagnostics: Diagnostic[];
}

export interface LoadRuleOptions extends YamlLimits {
  /** Largest file accepted, in bytes (default 1 MiB). */
  maxBytes?: number;
}

/** Reads, parses and schema-checks one rule file; never throws for bad input. */
export function loadRuleFile(file: string, options: LoadRuleOptions = {}): LoadedRuleFile {
  const read = readTextSource(file, options.maxBytes ?? DEFAULT_MAX_RULE_FILE_BYTES);
  if (!read.ok) return { file, diagnostics: [read.diagnostic] };
  return loadRuleText(read.text, file, options);
}

/** Parses and schema-checks rule text that came from `file`. */
export function loadRuleText(text: string, file: string, options: YamlLimits = {}): LoadedRuleFile {
  const loaded = loadYamlDocument(text, file, options);
  if (!loaded.ok) return { file, text, diagnostics: loaded.diagnostics };
  const doc = loaded.doc;
  const value = doc.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const span = doc.nearestSpan([]);
    const what = value === null || value === undefined ? 'empty' : Array.isArray(value) ? 'a list' : `a single ${typeof value}`;
    return {
      file,
      text,
      doc,
      diagnostics: [doc.diagnostic(span.start, span.end, { code: 'rule/not-a-mapping', message: `A rule file must be a mapping of rule fields (\`name: ...\`); this document is ${what}.`, hint: 'See docs/rule-format.md for an example rule.' })],
    };
  }
  const diagnostics = checkRuleSchema(doc);
  const draft = value as Record<string, unknown>;
  if (diagnostics.length > 0) return { file, text, doc, draft, diagnostics };
  return { file, text, doc, draft, rule: value as RuleDefinition, diagnostics };
}
