import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ExampleEventSpec, RuleExample } from './types.js';
import type { DocPath, YamlDocument } from './yaml-document.js';

/** Largest event file an example may use as its base. */
const MAX_EVENT_FILE_BYTES = 16 * 1024 * 1024;

type JsonObject = Record<string, unknown>;

export type BuiltEvents = { ok: true; events: JsonObject[] } | { ok: false; diagnostics: Diagnostic[] };

const fileCache = new Map<string, { mtimeMs: number; lines: (JsonObject | string)[] }>();

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Assigns an own property, even for names such as `__proto__` that plain assignment would treat specially. */
function setOwn(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * The events of one file, by 1-based line for NDJSON (a string for a line that is not a JSON object), or a
 * single JSON document as line 1. Cached by modification time.
 */
function eventFile(path: string): (JsonObject | string)[] {
  const stat = statSync(path);
  const cached = fileCache.get(path);
  if (cached && cached.mtimeMs === stat.mtimeMs) return cached.lines;
  if (stat.size > MAX_EVENT_FILE_BYTES) throw new Error(`the file is larger than ${MAX_EVENT_FILE_BYTES / 1024 / 1024} MiB`);
  const text = readFileSync(path, 'utf8');
  let lines: (JsonObject | string)[];
  if (/\.ndjson$|\.jsonl$/i.test(path)) {
    lines = text.split(/\r?\n/).map((line, i) => {
      if (line.trim() === '') return `line ${i + 1} is empty`;
      try {
        const v: unknown = JSON.parse(line);
        return isObject(v) ? v : `line ${i + 1} is not a JSON object`;
      } catch (err) {
        return `line ${i + 1} is not valid JSON (${(err as Error).message})`;
      }
    });
  } else {
    const v: unknown = JSON.parse(text);
    lines = [isObject(v) ? v : 'the file does not hold a JSON object'];
  }
  fileCache.set(path, { mtimeMs: stat.mtimeMs, lines });
  return lines;
}

/** Reads `base` (`file.json` or `file.ndjson#N`) relative to the rule file. */
function loadBase(ruleFile: string, base: string): JsonObject | string {
  const hash = base.lastIndexOf('#');
  const pathPart = hash >= 0 ? base.slice(0, hash) : base;
  const line = hash >= 0 ? Number(base.slice(hash + 1)) : 1;
  if (!Number.isInteger(line) || line < 1) return `"${base.slice(hash + 1)}" is not a line number (write file.ndjson#3 for the third line)`;
  const path = resolve(dirname(ruleFile), pathPart);
  let lines;
  try {
    lines = eventFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `${pathPart} does not exist (paths are relative to the rule file)` : `cannot read ${pathPart}: ${(err as Error).message}`;
  }
  if (hash < 0 && lines.length > 1) return `${pathPart} holds ${lines.length} lines; pick one with ${pathPart}#N`;
  const picked = lines[line - 1];
  if (picked === undefined) return `${pathPart} has only ${lines.length === 1 ? '1 line' : `${lines.length} lines`}`;
  return typeof picked === 'string' ? `${pathPart}: ${picked}` : structuredClone(picked);
}

/**
 * Sets a dotted field on an event. An existing flattened key (`"event.action": ...`) at any level is
 * replaced in place; otherwise nested objects are created. Returns a problem when a parent is not an object.
 */
export function setField(event: JsonObject, dotted: string, value: unknown): string | undefined {
  const parts = dotted.split('.');
  let node = event;
  for (let i = 0; i < parts.length; i++) {
    const rest = parts.slice(i).join('.');
    if (i < parts.length - 1 && Object.hasOwn(node, rest)) {
      setOwn(node, rest, value);
      return undefined;
    }
    const key = parts[i];
    if (i === parts.length - 1) {
      setOwn(node, key, value);
      return undefined;
    }
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (next === undefined || next === null) {
      const created: JsonObject = {};
      setOwn(node, key, created);
      node = created;
    } else if (isObject(next)) node = next;
    else return `cannot set \`${dotted}\`: \`${parts.slice(0, i + 1).join('.')}\` holds ${Array.isArray(next) ? 'a list' : `a ${typeof next}`}, not an object`;
  }
  return undefined;
}

/** Deletes a dotted field (flattened or nested); true when something was removed. */
export function removeField(event: JsonObject, dotted: string): boolean {
  const parts = dotted.split('.');
  let node: JsonObject = event;
  for (let i = 0; i < parts.length; i++) {
    const rest = parts.slice(i).join('.');
    if (Object.hasOwn(node, rest)) {
      delete node[rest];
      return true;
    }
    const next = Object.hasOwn(node, parts[i]) ? node[parts[i]] : undefined;
    if (!isObject(next)) return false;
    node = next;
  }
  return false;
}

/** Builds one event from its spec; a string describes why it could not be built. */
export function buildEvent(ruleFile: string, spec: ExampleEventSpec): { ok: true; event: JsonObject } | { ok: false; problem: string; key: string } {
  let event: JsonObject = {};
  if (spec.base !== undefined) {
    const base = loadBase(ruleFile, spec.base);
    if (typeof base === 'string') return { ok: false, problem: base, key: 'base' };
    event = base;
  }
  if (spec.event !== undefined) event = { ...event, ...structuredClone(spec.event) };
  for (const name of spec.remove ?? []) {
    if (!removeField(event, name)) return { ok: false, problem: `\`${name}\` is not in the event, so it cannot be removed`, key: 'remove' };
  }
  for (const [name, value] of Object.entries(spec.fields ?? {})) {
    const problem = setField(event, name, structuredClone(value));
    if (problem) return { ok: false, problem, key: 'fields' };
  }
  return { ok: true, event };
}

/** The events of one example, in order, or located diagnostics for specs that cannot be built. */
export function buildExampleEvents(doc: YamlDocument, ruleFile: string, example: RuleExample, index: number, part: 'events' | 'history' = 'events'): BuiltEvents {
  const list = part === 'history' ? (example.history ?? []) : example.events;
  const specs: [ExampleEventSpec, DocPath][] = list
    ? list.map((s, i) => [s, ['tests', index, part, i]])
    : example.event
      ? [[example.event, ['tests', index, 'event']]]
      : [];
  const events: JsonObject[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [spec, path] of specs) {
    const built = buildEvent(ruleFile, spec);
    if (built.ok) events.push(built.event);
    else {
      const span = doc.nearestSpan([...path, built.key]);
      diagnostics.push(doc.diagnostic(span.start, span.end, { code: 'test/event', message: `Example "${example.name}": ${built.problem}.` }));
    }
  }
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, events };
}
