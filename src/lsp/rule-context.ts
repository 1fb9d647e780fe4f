import type { FieldInfo, FieldSchema } from '../fields/types.js';
import { BUNDLED_PACKS } from '../fields/schema.js';
import { fieldSchemaFor, projectConfigFor } from '../rules/project.js';
import { loadYamlDocument, type YamlDocument } from '../rules/yaml-document.js';

/** What completion and hover need to know about the rule being edited. */
export interface RuleContext {
  doc?: YamlDocument;
  draft: Record<string, unknown>;
  language: 'kuery' | 'eql' | 'other';
  schema: FieldSchema;
  /** Whether a field belongs to the rule's data: ECS and rule/project fields always, a pack's only when an index pattern selects it. */
  inScope(info: FieldInfo): boolean;
  querySpan?: { start: number; end: number };
}

/** Reads the rule being edited (tolerating text that does not parse) and the field schema for its index patterns. */
export function ruleContext(text: string, file: string): RuleContext {
  const loaded = loadYamlDocument(text, file);
  const doc = loaded.ok ? loaded.doc : undefined;
  const value = doc?.value;
  const draft = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const project = projectConfigFor(file);
  const ruleFields = draft.fields !== null && typeof draft.fields === 'object' && !Array.isArray(draft.fields) ? (draft.fields as Record<string, string>) : undefined;
  const schema = fieldSchemaFor(project.fields, ruleFields);
  const index = Array.isArray(draft.index) ? draft.index.filter((p): p is string => typeof p === 'string') : [];
  const datasets = Object.keys(BUNDLED_PACKS).filter((d) => index.length === 0 || index.some((p) => p.includes(d) || p === '*'));
  const packFields = new Set(datasets.flatMap((d) => [...Object.keys(BUNDLED_PACKS[d]!.fields), ...(BUNDLED_PACKS[d]!.ecsFields ?? [])]));
  const language = draft.language === 'eql' || draft.type === 'eql' ? 'eql' : draft.language === undefined || draft.language === 'kuery' ? 'kuery' : 'other';
  const span = doc?.span(['query']);
  let querySpan = span ? { start: span.start, end: span.end } : undefined;
  if (!querySpan) querySpan = rawQuerySpan(text);
  return { ...(doc ? { doc } : {}), draft, language, schema, inScope: (info) => info.source !== 'pack' || packFields.has(info.name), ...(querySpan ? { querySpan } : {}) };
}

/** The query block's extent found from indentation, for text that does not parse as YAML while being typed. */
function rawQuerySpan(text: string): { start: number; end: number } | undefined {
  const m = /^query:[ \t]*(?:[|>][-+]?[ \t]*)?(?:\r?\n)?/m.exec(text);
  if (!m) return undefined;
  const start = m.index + m[0].length;
  const next = /\n(?=[^\s#])/g;
  next.lastIndex = Math.max(start - 1, 0);
  const found = next.exec(text);
  return { start, end: found ? found.index : text.length };
}
