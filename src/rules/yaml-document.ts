import { CORE_SCHEMA, EVENT_ID, SCALAR_STYLE, YAMLException, constructFromEvents, getScalarValue, parseEvents, type Event, type ScalarEvent } from 'js-yaml';
import { diagnosticAt, positionAt, type Diagnostic } from '../diagnostics/diagnostic.js';

/** Where one YAML node sits in the file: its value's span, and for a mapping value the span of its key. */
export interface NodeSpan {
  start: number;
  end: number;
  keyStart?: number;
  keyEnd?: number;
  /** Set for scalars: the event, so positions inside the decoded value can be mapped back to the file. */
  scalar?: ScalarEvent;
}

/** A path into a loaded document: mapping keys and sequence indices. */
export type DocPath = readonly (string | number)[];

/** One YAML document with the file position of every node. */
export interface YamlDocument {
  text: string;
  file: string;
  value: unknown;
  /** The span of the node at `path`, or undefined when no such node exists. */
  span(path: DocPath): NodeSpan | undefined;
  /** The nearest existing ancestor's span when `path` itself is absent (e.g. for a missing property). */
  nearestSpan(path: DocPath): NodeSpan;
  /** File offset of offset `i` inside the decoded string value at `path` (block scalars and escapes included). */
  fileOffset(path: DocPath, i: number): number;
  /** A diagnostic spanning file offsets [start, end). */
  diagnostic(start: number, end: number, fields: { severity?: Diagnostic['severity']; code: string; message: string; hint?: string }): Diagnostic;
}

/** Limits that keep hostile rule files cheap to reject. */
export interface YamlLimits {
  /** Nesting depth of collections (default 64). */
  maxDepth?: number;
  /** Nodes the document may have once aliases are expanded (default 100,000). */
  maxExpandedNodes?: number;
}

const DEFAULT_MAX_DEPTH = 64;
const DEFAULT_MAX_EXPANDED_NODES = 100_000;

export type YamlLoadResult = { ok: true; doc: YamlDocument } | { ok: false; diagnostics: Diagnostic[] };

const pathKey = (path: DocPath): string => JSON.stringify(path);

interface Frame {
  kind: 'mapping' | 'sequence';
  path: (string | number)[];
  start: number;
  end: number;
  /** Mapping: the key scalar waiting for its value. */
  pendingKey: { name: string; start: number; end: number } | null;
  /** Mapping: keys seen so far, with their offsets, for duplicate detection. */
  seen: Map<string, number>;
  index: number;
  anchor: string | null;
  /** Node count of this collection once aliases are expanded. */
  size: number;
  keySpan?: { start: number; end: number };
}

/**
 * Parses one YAML document, keeping the source span of every key and value. Duplicate keys, alias
 * expansion beyond a limit, excessive nesting and multiple documents are reported as located diagnostics.
 */
export function loadYamlDocument(text: string, file: string, limits: YamlLimits = {}): YamlLoadResult {
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxNodes = limits.maxExpandedNodes ?? DEFAULT_MAX_EXPANDED_NODES;
  const at = (start: number, end: number, code: string, message: string, hint?: string): Diagnostic =>
    diagnosticAt({ start: positionAt(text, start), end: positionAt(text, Math.max(end, start)) }, { code, message, file, source: text, ...(hint ? { hint } : {}) });

  let events: Event[];
  try {
    events = parseEvents(text, { filename: file, maxDepth });
  } catch (err) {
    return { ok: false, diagnostics: [yamlErrorDiagnostic(err, text, file)] };
  }

  const spans = new Map<string, NodeSpan>();
  const anchorSizes = new Map<string, number>();
  const stack: Frame[] = [];
  let documents = 0;
  let totalNodes = 0;
  const problems: Diagnostic[] = [];

  const anchorName = (e: { anchorStart: number; anchorEnd: number }): string | null => (e.anchorStart >= 0 ? text.slice(e.anchorStart, e.anchorEnd) : null);

  /** Records a finished node (scalar, alias or closed collection) in its parent. */
  const place = (span: NodeSpan, size: number, isKeyCandidate: { name: string } | null): void => {
    const parent = stack[stack.length - 1];
    totalNodes += size;
    if (!parent) {
      spans.set(pathKey([]), span);
      return;
    }
    parent.size += size;
    parent.end = Math.max(parent.end, span.end);
    if (parent.kind === 'sequence') {
      spans.set(pathKey([...parent.path, parent.index]), span);
      parent.index++;
      return;
    }
    if (parent.pendingKey === null) {
      const name = isKeyCandidate?.name ?? text.slice(span.start, span.end);
      const first = parent.seen.get(name);
      if (first !== undefined) {
        problems.push(at(span.start, span.end, 'yaml/duplicate-key', `\`${name}\` is defined twice in this mapping (first on line ${positionAt(text, first).line}).`, 'Keep one of them: YAML keys must be unique, and tools disagree on which one wins.'));
      } else parent.seen.set(name, span.start);
      parent.pendingKey = { name, start: span.start, end: span.end };
      return;
    }
    const key = parent.pendingKey;
    parent.pendingKey = null;
    spans.set(pathKey([...parent.path, key.name]), { ...span, keyStart: key.start, keyEnd: key.end });
  };

  /** Path a new child of the innermost collection will have. */
  const childPath = (): (string | number)[] => {
    const parent = stack[stack.length - 1];
    if (!parent) return [];
    if (parent.kind === 'sequence') return [...parent.path, parent.index];
    return parent.pendingKey === null ? [...parent.path, '\u0000key'] : [...parent.path, parent.pendingKey.name];
  };

  for (const e of events) {
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        documents++;
        if (documents === 2) {
          problems.push(at(0, 0, 'yaml/multiple-documents', 'A rule file holds one YAML document; this one has several (`---`).', 'Put each rule in its own file.'));
        }
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        stack.push({
          kind: e.type === EVENT_ID.MAPPING ? 'mapping' : 'sequence',
          path: childPath(),
          start: e.start,
          end: e.start + 1,
          pendingKey: null,
          seen: new Map(),
          index: 0,
          anchor: anchorName(e),
          size: 1,
        });
        break;
      case EVENT_ID.SCALAR: {
        const span: NodeSpan = { start: e.valueStart, end: e.valueEnd, scalar: e };
        const parent = stack[stack.length - 1];
        const name = parent?.kind === 'mapping' && parent.pendingKey === null ? getScalarValue(text, e) : null;
        const anchor = anchorName(e);
        if (anchor !== null) anchorSizes.set(anchor, 1);
        place(span, 1, name === null ? null : { name });
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = text.slice(e.anchorStart, e.anchorEnd);
        const size = anchorSizes.get(name) ?? 1;
        if (totalNodes + size > maxNodes) {
          problems.push(at(e.anchorStart - 1, e.anchorEnd, 'yaml/alias-expansion', `Expanding alias \`*${name}\` makes the document larger than ${maxNodes.toLocaleString('en-US')} nodes.`, 'Aliases that repeat large anchors ("billion laughs") are rejected; write the content out or use a `base:` event file.'));
          return { ok: false, diagnostics: problems };
        }
        place({ start: e.anchorStart - 1, end: e.anchorEnd }, size, { name: `*${name}` });
        break;
      }
      case EVENT_ID.POP: {
        const frame = stack.pop();
        if (!frame) break;
        if (frame.anchor !== null) anchorSizes.set(frame.anchor, frame.size);
        totalNodes -= frame.size - 1; // children were already counted as they were placed
        place({ start: frame.start, end: frame.end }, frame.size, null);
        break;
      }
    }
  }
  if (problems.length > 0) return { ok: false, diagnostics: problems };

  let value: unknown;
  try {
    [value] = constructFromEvents(events, { source: text, filename: file, schema: CORE_SCHEMA });
  } catch (err) {
    return { ok: false, diagnostics: [yamlErrorDiagnostic(err, text, file)] };
  }

  const span = (path: DocPath): NodeSpan | undefined => spans.get(pathKey(path));
  const doc: YamlDocument = {
    text,
    file,
    value,
    span,
    nearestSpan(path) {
      for (let n = path.length; n >= 0; n--) {
        const found = span(path.slice(0, n));
        if (found) return found;
      }
      return { start: 0, end: 0 };
    },
    fileOffset(path, i) {
      const s = span(path);
      if (!s) return 0;
      if (!s.scalar) return s.start;
      return scalarOffsetMap(text, s.scalar)[Math.max(0, i)] ?? s.end;
    },
    diagnostic(start, end, fields) {
      return diagnosticAt({ start: positionAt(text, start), end: positionAt(text, Math.max(start, end)) }, { ...fields, file, source: text });
    },
  };
  return { ok: true, doc };
}

const offsetMaps = new WeakMap<ScalarEvent, Int32Array>();

/**
 * For each offset of a scalar's decoded value, the file offset it came from. Decoding only removes
 * characters (indentation, quotes, escapes) or turns a line break into a space, so a single forward
 * walk aligns the two; the last entry is the offset just past the value.
 */
export function scalarOffsetMap(text: string, scalar: ScalarEvent): Int32Array {
  const cached = offsetMaps.get(scalar);
  if (cached) return cached;
  const value = getScalarValue(text, scalar);
  const map = new Int32Array(value.length + 1);
  const end = scalar.valueEnd;
  const doubleQuoted = scalar.style === SCALAR_STYLE.DOUBLE_QUOTED;
  let s = scalar.valueStart;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    while (s < end) {
      const c = text[s];
      if (doubleQuoted && c === '\\') break;
      if (c === ch) break;
      if ((ch === ' ' || ch === '\n') && (c === '\n' || c === '\r')) break;
      s++;
    }
    map[i] = Math.min(s, end);
    if (doubleQuoted && text[s] === '\\') {
      const kind = text[s + 1];
      s += kind === 'x' ? 4 : kind === 'u' ? 6 : kind === 'U' ? 10 : 2;
    } else if (s < end) s++;
  }
  map[value.length] = value.length > 0 ? Math.min(map[value.length - 1] + 1, end) : scalar.valueStart;
  offsetMaps.set(scalar, map);
  return map;
}

/** Turns a js-yaml exception (or anything thrown while loading) into a located diagnostic. */
function yamlErrorDiagnostic(err: unknown, text: string, file: string): Diagnostic {
  const offset = err instanceof YAMLException && err.mark ? err.mark.position : 0;
  const reason = err instanceof YAMLException ? err.reason : err instanceof Error ? err.message : String(err);
  const message = reason.charAt(0).toUpperCase() + reason.slice(1);
  const pos = positionAt(text, offset);
  const hint = unquotedColonHint(text, pos.line) ?? yamlHint(reason);
  const endPos = positionAt(text, Math.min(text.length, offset + 1));
  const code = /duplicated mapping key/.test(reason) ? 'yaml/duplicate-key' : /maxDepth/.test(reason) ? 'yaml/too-deep' : /alias/i.test(reason) ? 'yaml/alias-expansion' : 'yaml/syntax';
  return diagnosticAt({ start: pos, end: endPos.line === pos.line ? endPos : pos }, { code, message: `${message}.`, file, source: text, ...(hint ? { hint } : {}) });
}

/**
 * `query: event.action: foo` reads as a key whose value is another mapping, which YAML refuses: a plain
 * value cannot hold `: `. When the failing line is `key: value` whose value has a `: ` outside quotes,
 * the fix is quoting (or a block scalar), not indentation.
 */
function unquotedColonHint(text: string, line: number): string | undefined {
  const lineText = text.split(/\r?\n/)[line - 1] ?? '';
  const m = /^(\s*(?:-\s+)?[\w.@-]+):\s+(.*)$/.exec(lineText);
  if (!m) return undefined;
  const value = m[2];
  if (/^["'|>[{&*!#]/.test(value) || !/:(\s|$)/.test(value)) return undefined;
  const key = m[1].trim().replace(/^-\s+/, '');
  const quoted = value.includes("'") ? `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : `'${value}'`;
  return `A plain YAML value cannot contain \`: \`; quote it (\`${key}: ${quoted}\`) or use a block scalar (\`${key}: |\` with the value on the next lines, indented).`;
}

function yamlHint(reason: string): string | undefined {
  if (/tab/.test(reason)) return 'Indent with spaces; YAML does not allow tabs in indentation.';
  if (/maxDepth/.test(reason)) return 'Rule files are shallow; flatten the structure.';
  if (/indentation/.test(reason)) return 'Check the indentation of this line against the lines above; for multi-line queries use a block scalar (`query: |`).';
  if (/end of the stream|unexpected end/.test(reason)) return 'A quote or bracket is not closed.';
  return undefined;
}
