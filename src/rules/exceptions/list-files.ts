/**
 * Shared exception lists and value lists on disk. A project keeps them in an `exceptions/` directory (the
 * nearest one above a rule file): one YAML file per list (`exceptions/*.yaml`), and value lists as text files
 * with one value per line in `exceptions/lists/` (named by the list id, as Kibana names an imported list after
 * its file). Each directory is read once and cached; `clearExceptionListCache` forgets it.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnosticAt, positionAt } from '../../diagnostics/diagnostic.js';
import { readTextSource } from '../read-source.js';
import ruleSchema from '../rule.schema.json' with { type: 'json' };
import { checkDocumentSchema } from '../schema-check.js';
import { loadYamlDocument, type YamlDocument } from '../yaml-document.js';
import listSchema from './exception-list.schema.json' with { type: 'json' };
import { checkListValue } from './lower.js';
import type { ExceptionListFile } from './types.js';

/** The directory name a project keeps its exception lists in. */
export const EXCEPTIONS_DIR = 'exceptions';
/** Where value lists live inside it. */
export const VALUE_LISTS_DIR = 'lists';
/** Value lists may be larger than rule files. */
const MAX_VALUE_LIST_BYTES = 16 * 1024 * 1024;

/** One loaded list file: its document (for locations) and, when it passed its schema, the list. */
export interface LoadedExceptionList {
  file: string;
  doc: YamlDocument;
  list?: ExceptionListFile;
  /** Findings that do not depend on the rule using the list (schema, duplicates). */
  diagnostics: Diagnostic[];
}

/** A path as diagnostics show it: relative to the working directory when inside it. */
function shownPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || rel === '' ? file : rel;
}

/** Every list of one exceptions directory, by `namespace_type:list_id`. */
export interface ExceptionListIndex {
  dir?: string;
  lists: Map<string, LoadedExceptionList>;
  /** Files that could not be read or parsed, and duplicate list ids. */
  diagnostics: Diagnostic[];
}

/** The key a rule's reference and a list file share. */
export const listKey = (namespaceType: string | undefined, listId: string): string => `${namespaceType ?? 'single'}:${listId}`;

let validator: ValidateFunction | undefined;
function validateList(): ValidateFunction {
  validator ??= new Ajv({ allErrors: true, coerceTypes: false, strict: true, allowUnionTypes: true, verbose: true }).addSchema(ruleSchema).compile(listSchema);
  return validator;
}

/** The JSON schema of an exception list file (for editors and docs). */
export const exceptionListJsonSchema: Record<string, unknown> = listSchema;

const indexCache = new Map<string, ExceptionListIndex>();
const dirCache = new Map<string, string | undefined>();
const valueListCache = new Map<string, ValueListRead>();

/** Forgets every cached list (tests and editors call it after files change). */
export function clearExceptionListCache(): void {
  indexCache.clear();
  dirCache.clear();
  valueListCache.clear();
}

/** The nearest `exceptions/` directory at or above the rule file's directory, up to the project root, if any. */
export function exceptionsDirFor(ruleFile: string): string | undefined {
  const start = dirname(resolve(ruleFile));
  if (dirCache.has(start)) return dirCache.get(start);
  let dir = start;
  let found: string | undefined;
  for (;;) {
    const candidate = join(dir, EXCEPTIONS_DIR);
    if (existsSync(candidate) && statSync(candidate).isDirectory()) {
      found = candidate;
      break;
    }
    // The project's root (its ruleforge.yaml or repository root) is as far up as lists are looked for.
    if (existsSync(join(dir, 'ruleforge.yaml')) || existsSync(join(dir, '.git'))) break;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  dirCache.set(start, found);
  return found;
}

/** Loads one list file: YAML, then its schema. */
export function loadExceptionListText(text: string, file: string): { loaded?: LoadedExceptionList; diagnostics: Diagnostic[] } {
  const parsed = loadYamlDocument(text, file);
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const doc = parsed.doc;
  const diagnostics = checkDocumentSchema(doc, validateList(), 'exception/schema', 'the exception list');
  const loaded: LoadedExceptionList = { file, doc, diagnostics };
  if (diagnostics.length === 0) loaded.list = doc.value as ExceptionListFile;
  return { loaded, diagnostics: [] };
}

/** Every list file of the exceptions directory that applies to `ruleFile` (cached per directory). */
export function exceptionListsFor(ruleFile: string): ExceptionListIndex {
  const dir = exceptionsDirFor(ruleFile);
  if (!dir) return { lists: new Map(), diagnostics: [] };
  const cached = indexCache.get(dir);
  if (cached) return cached;
  const index: ExceptionListIndex = { dir, lists: new Map(), diagnostics: [] };
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (err) {
    index.diagnostics.push({ file: dir, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'file/unreadable', message: `Cannot read the directory (${(err as NodeJS.ErrnoException).code ?? String(err)}).` });
  }
  for (const name of names) {
    const file = shownPath(join(dir, name));
    const read = readTextSource(file);
    if (!read.ok) {
      index.diagnostics.push(read.diagnostic);
      continue;
    }
    const { loaded, diagnostics } = loadExceptionListText(read.text, file);
    index.diagnostics.push(...diagnostics);
    if (!loaded) continue;
    const value = loaded.doc.value as Partial<ExceptionListFile> | null;
    const listId = value && typeof value === 'object' && typeof value.list_id === 'string' ? value.list_id : undefined;
    if (listId === undefined) {
      index.diagnostics.push(...loaded.diagnostics);
      continue;
    }
    const key = listKey(typeof value?.namespace_type === 'string' ? value.namespace_type : undefined, listId);
    const prior = index.lists.get(key);
    if (prior) {
      const span = loaded.doc.nearestSpan(['list_id']);
      loaded.diagnostics.push(loaded.doc.diagnostic(span.start, span.end, { code: 'exception/duplicate-list', message: `list_id "${listId}" is also defined by ${prior.file}.` }));
      index.diagnostics.push(...loaded.diagnostics);
      continue;
    }
    index.lists.set(key, loaded);
  }
  indexCache.set(dir, index);
  return index;
}

/** A value list read from its file: the values, or why it could not be used. */
export type ValueListRead = { ok: true; file: string; values: string[] } | { ok: false; message: string; diagnostics: Diagnostic[] };

/** The value list `id` of type `type`: one value per line (blank lines skipped, surrounding spaces trimmed). */
export function readValueList(exceptionsDir: string | undefined, id: string, type: string): ValueListRead {
  if (!exceptionsDir) return { ok: false, message: `No \`${EXCEPTIONS_DIR}/${VALUE_LISTS_DIR}/\` directory above this file holds value list "${id}".`, diagnostics: [] };
  const base = join(exceptionsDir, VALUE_LISTS_DIR);
  // A list id names a file in the directory, never a path out of it.
  if (/[/\\]/.test(id) || id === '.' || id === '..') return { ok: false, message: `Value list id "${id}" must be a file name, not a path.`, diagnostics: [] };
  const file = [join(base, id), join(base, `${id}.txt`)].find((f) => existsSync(f) && statSync(f).isFile());
  const found = file === undefined ? undefined : shownPath(file);
  if (!found) return { ok: false, message: `Value list "${id}" not found: expected ${join(base, id)} (or .txt).`, diagnostics: [] };
  const cacheKey = `${found}\u0000${type}`;
  const cached = valueListCache.get(cacheKey);
  if (cached) return cached;
  const read = readTextSource(found, MAX_VALUE_LIST_BYTES);
  let result: ValueListRead;
  if (!read.ok) result = { ok: false, message: read.diagnostic.message, diagnostics: [read.diagnostic] };
  else {
    const values: string[] = [];
    const diagnostics: Diagnostic[] = [];
    let offset = 0;
    for (const raw of read.text.split('\n')) {
      const value = raw.replace(/\r$/, '').trim();
      if (value !== '') {
        const problem = checkListValue(type, value);
        if (problem) {
          const at = offset + raw.indexOf(value);
          diagnostics.push(diagnosticAt({ start: positionAt(read.text, at), end: positionAt(read.text, at + value.length) }, { severity: 'error', code: 'exception/value-list', message: `${problem} (value list "${id}" is of type ${type})`, file: found }));
        } else values.push(value);
      }
      offset += raw.length + 1;
    }
    result = diagnostics.length > 0 ? { ok: false, message: `Value list "${id}" has values that are not of type ${type}.`, diagnostics } : { ok: true, file: found, values };
  }
  valueListCache.set(cacheKey, result);
  return result;
}
