import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { BUNDLED_PACKS, createFieldSchema, type FieldSchema } from '../fields/index.js';
import { clearExceptionListCache } from './exceptions/list-files.js';
import { readTextSource } from './read-source.js';
import { loadYamlDocument } from './yaml-document.js';

/** The name of the per-project settings file, looked up from each rule's directory upwards. */
export const PROJECT_FILE = 'ruleforge.yaml';

/**
 * Per-project settings: extra field types every rule below the file may read, and the Fleet package
 * versions (semver ranges) `export --to kibana` states in `related_integrations`.
 */
export interface ProjectConfig {
  file?: string;
  fields: Record<string, string>;
  integrations: Record<string, string>;
  diagnostics: Diagnostic[];
}

const SETTINGS = ['fields', 'integrations'];

const EMPTY_PROJECT: ProjectConfig = { fields: {}, integrations: {}, diagnostics: [] };
const projectCache = new Map<string, ProjectConfig>();

/** The nearest `ruleforge.yaml` above `ruleFile` (cached per directory), or an empty configuration. */
export function projectConfigFor(ruleFile: string): ProjectConfig {
  let dir = dirname(resolve(ruleFile));
  const visited: string[] = [];
  for (;;) {
    const cached = projectCache.get(dir);
    if (cached) {
      visited.forEach((d) => projectCache.set(d, cached));
      return cached;
    }
    visited.push(dir);
    const candidate = join(dir, PROJECT_FILE);
    if (existsSync(candidate)) {
      const config = readProjectConfig(candidate);
      visited.forEach((d) => projectCache.set(d, config));
      return config;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      visited.forEach((d) => projectCache.set(d, EMPTY_PROJECT));
      return EMPTY_PROJECT;
    }
    dir = parent;
  }
}

/** Forgets cached project files (tests and long-lived editors call this after files change). */
export function clearProjectCache(): void {
  projectCache.clear();
  clearExceptionListCache();
}

function readProjectConfig(file: string): ProjectConfig {
  const read = readTextSource(file);
  if (!read.ok) return { file, fields: {}, integrations: {}, diagnostics: [read.diagnostic] };
  return projectConfigFromText(read.text, file);
}

/** Reads project settings from the text of a `ruleforge.yaml` (the language server checks unsaved buffers with it). */
export function projectConfigFromText(text: string, file: string): ProjectConfig {
  const loaded = loadYamlDocument(text, file);
  if (!loaded.ok) return { file, fields: {}, integrations: {}, diagnostics: loaded.diagnostics };
  const { doc } = loaded;
  const value = doc.value as Record<string, unknown> | null;
  const diagnostics: Diagnostic[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { file, fields: {}, integrations: {}, diagnostics: [doc.diagnostic(0, 0, { code: 'project/schema', message: `${PROJECT_FILE} must be a mapping (e.g. \`fields: {custom.field: keyword}\`).` })] };
  }
  for (const key of Object.keys(value)) {
    if (!SETTINGS.includes(key)) {
      const span = doc.span([key]);
      diagnostics.push(doc.diagnostic(span?.keyStart ?? 0, span?.keyEnd ?? 0, { code: 'project/schema', message: `Unknown setting \`${key}\` in ${PROJECT_FILE}; the settings are \`fields\` and \`integrations\`.` }));
    }
  }
  /** A mapping of names to strings, with a located error for anything else. */
  const stringMap = (setting: string, what: string, valueHint: string): Record<string, string> => {
    const out: Record<string, string> = {};
    const declared = value[setting];
    if (declared === undefined) return out;
    if (declared === null || typeof declared !== 'object' || Array.isArray(declared)) {
      const span = doc.nearestSpan([setting]);
      diagnostics.push(doc.diagnostic(span.start, span.end, { code: 'project/schema', message: `\`${setting}\` must map ${what}.` }));
      return out;
    }
    for (const [name, entry] of Object.entries(declared)) {
      if (typeof entry === 'string') out[name] = entry;
      else {
        const span = doc.nearestSpan([setting, name]);
        diagnostics.push(doc.diagnostic(span.start, span.end, { code: 'project/schema', message: `The ${setting === 'fields' ? 'type' : 'version'} of \`${name}\` must be a string such as ${valueHint}.` }));
      }
    }
    return out;
  };
  const fields = stringMap('fields', 'field names to Elasticsearch types', 'keyword, long or ip');
  const integrations = stringMap('integrations', 'Fleet package names to version ranges (e.g. `aws: "^4.0.0"`)', '"^4.0.0"');
  return { file, fields, integrations, diagnostics };
}

const schemaCache = new Map<string, FieldSchema>();

/** The field schema for a rule: ECS, the bundled packs, then project fields, then the rule's own `fields`. */
export function fieldSchemaFor(projectFields: Record<string, string>, ruleFields: Record<string, string> | undefined): FieldSchema {
  const extraFields = { ...projectFields, ...(ruleFields ?? {}) };
  const key = JSON.stringify(extraFields);
  let schema = schemaCache.get(key);
  if (!schema) {
    schema = createFieldSchema(Object.keys(extraFields).length > 0 ? { extraFields } : {});
    if (schemaCache.size > 256) schemaCache.clear();
    schemaCache.set(key, schema);
  }
  return schema;
}

/**
 * Whether the schema lists every field the rule's data can have: true when each index pattern (or the
 * dataset the query pins) belongs to a bundled integration pack. Otherwise an unknown field may simply come
 * from an integration ruleforge has no field list for, so it is reported as a warning.
 */
export function fieldCoverage(draft: Record<string, unknown>): { complete: boolean; note?: string } {
  const datasets = Object.keys(BUNDLED_PACKS);
  const index = Array.isArray(draft.index) ? draft.index.filter((p): p is string => typeof p === 'string') : [];
  if (index.length > 0 && index.every((pattern) => datasets.some((d) => pattern.includes(d)))) return { complete: true };
  const query = typeof draft.query === 'string' ? draft.query : '';
  const pinned = datasets.find((d) => new RegExp(`(?:data_stream|event)\\.dataset\\s*(?::|==)\\s*"?${d.replace(/\./g, '\\.')}"?`).test(query));
  if (pinned && index.length === 0) return { complete: true };
  const uncovered = index.filter((pattern) => !datasets.some((d) => pattern.includes(d)));
  return {
    complete: false,
    note: `ruleforge has no field list for ${uncovered.length > 0 ? uncovered.map((p) => `\`${p}\``).join(', ') : 'this rule\'s data'} (bundled: ${datasets.join(', ')} and ECS), so unknown fields are warnings; declare them under \`fields:\` to check them.`,
  };
}
