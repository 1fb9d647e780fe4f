/**
 * Where the cursor is in a rule file, read from indentation rather than a full parse, so it works on the
 * half-typed text an editor sends (`sev` with no colon yet, an unfinished list item).
 */
export type CursorContext =
  | { kind: 'key'; path: (string | number)[]; prefix: string; start: number }
  | { kind: 'value'; path: (string | number)[]; key: string; prefix: string; start: number }
  | { kind: 'query'; offsetInQuery: number; queryStart: number };

interface LineInfo {
  start: number;
  indent: number;
  /** Indent of the content after any `- ` markers. */
  contentIndent: number;
  /** Number of `- ` list markers the line starts with. */
  dashes: number;
  key?: string;
  /** The key's value on the same line (trimmed), when any. */
  inlineValue?: string;
  blank: boolean;
}

const KEY_LINE = /^(\s*)((?:-\s+)*)([A-Za-z_@][\w.@-]*|"[^"]*"|'[^']*')\s*:(?:\s+(.*))?\s*$/;

function lineInfo(text: string, start: number, end: number): LineInfo {
  const line = text.slice(start, end);
  const indent = line.length - line.trimStart().length;
  const dashMatch = /^(\s*)((?:-\s+)*)/.exec(line)!;
  const dashes = (dashMatch[2]!.match(/-/g) ?? []).length;
  const m = KEY_LINE.exec(line);
  const info: LineInfo = { start, indent, contentIndent: dashMatch[0].length, dashes, blank: line.trim() === '' || line.trim().startsWith('#') };
  if (m) {
    info.key = m[3]!.replace(/^["']|["']$/g, '');
    if (m[4] !== undefined && m[4].trim() !== '') info.inlineValue = m[4].trim();
  }
  return info;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/**
 * The mapping path that contains a line whose content starts at column `indent`: walks up to each line with a
 * key at a smaller indentation; list items add an index (0: completion needs the item's schema, not which one).
 */
function parentPath(infos: LineInfo[], lineIndex: number, indent: number): (string | number)[] {
  const path: (string | number)[] = [];
  let limit = indent;
  for (let i = lineIndex - 1; i >= 0; i--) {
    const info = infos[i]!;
    if (info.blank) continue;
    if (info.key !== undefined && info.contentIndent < limit) {
      // A key line whose own list marker is deeper than `limit` is inside the item we are in.
      if (info.dashes > 0 && info.indent < limit) path.unshift(0);
      path.unshift(info.key);
      limit = info.indent;
      if (limit === 0) break;
    } else if (info.dashes > 0 && info.indent < limit) {
      path.unshift(0);
      limit = info.indent;
    } else if (info.key === undefined && info.indent < limit) {
      limit = info.indent;
    }
  }
  return path;
}

/** The cursor's context at `offset` in a rule file. */
export function cursorContext(text: string, offset: number, querySpan?: { start: number; end: number }): CursorContext {
  if (querySpan && offset >= querySpan.start && offset <= querySpan.end) return { kind: 'query', offsetInQuery: offset - querySpan.start, queryStart: querySpan.start };
  const starts = lineStartsOf(text);
  let lineIndex = starts.length - 1;
  while (lineIndex > 0 && starts[lineIndex]! > offset) lineIndex--;
  const infos = starts.map((s, i) => lineInfo(text, s, i + 1 < starts.length ? starts[i + 1]! - 1 : text.length));
  const lineStart = starts[lineIndex]!;
  const before = text.slice(lineStart, offset);
  const word = /[\w.@-]*$/.exec(before)![0];
  const start = offset - word.length;
  const keyMatch = /^(\s*)((?:-\s+)*)([\w.@-]*)$/.exec(before);
  if (keyMatch) {
    const dashes = (keyMatch[2]!.match(/-/g) ?? []).length;
    // A list item's parent is found from its dash; `- word` may be a key (list of mappings) or a value (list of
    // scalars): the caller decides with the schema at the item's path.
    const path = parentPath(infos, lineIndex, keyMatch[1]!.length);
    for (let i = 0; i < dashes; i++) path.push(0);
    return { kind: 'key', path, prefix: word, start };
  }
  const valueMatch = /^(\s*)((?:-\s+)*)([A-Za-z_@"'][\w.@"'-]*)\s*:\s+(?:\[\s*|["']?)([\w.@-]*)$/.exec(before);
  if (valueMatch) {
    const dashes = (valueMatch[2]!.match(/-/g) ?? []).length;
    const path = parentPath(infos, lineIndex, valueMatch[1]!.length);
    for (let i = 0; i < dashes; i++) path.push(0);
    const key = valueMatch[3]!.replace(/^["']|["']$/g, '');
    return { kind: 'value', path: [...path, key], key, prefix: word, start };
  }
  return { kind: 'value', path: [], key: '', prefix: word, start };
}

/**
 * The value of `key` in the same mapping as the key on the cursor's line (e.g. the `id` next to the `name` being
 * typed under a threat technique), found by indentation; undefined when the mapping has no such key.
 */
export function siblingValue(text: string, offset: number, key: string): string | undefined {
  const starts = lineStartsOf(text);
  let lineIndex = starts.length - 1;
  while (lineIndex > 0 && starts[lineIndex]! > offset) lineIndex--;
  const lineAt = (i: number): string => text.slice(starts[i]!, i + 1 < starts.length ? starts[i + 1]! - 1 : text.length);
  const column = (line: string): number => /^(\s*(?:-\s+)*)/.exec(line)![1]!.length;
  const indent = column(lineAt(lineIndex));
  const own = new RegExp(`^\\s*(?:-\\s+)*${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:\\s*["']?([^"'\\s#]+)`);
  const look = (i: number): string | undefined => {
    const line = lineAt(i);
    if (column(line) !== indent) return undefined;
    return own.exec(line)?.[1];
  };
  // Upwards until the line that starts this list item (`- ` at a smaller indent) or a shallower key.
  for (let i = lineIndex; i >= 0; i--) {
    const line = lineAt(i);
    if (line.trim() === '') continue;
    if (i !== lineIndex && column(line) < indent) break;
    const found = look(i);
    if (found) return found;
    if (/^\s*-\s/.test(line) && column(line) === indent) break;
  }
  for (let i = lineIndex + 1; i < starts.length; i++) {
    const line = lineAt(i);
    if (line.trim() === '') continue;
    if (column(line) < indent || (/^\s*-\s/.test(line) && line.indexOf('-') < indent)) break;
    const found = look(i);
    if (found) return found;
  }
  return undefined;
}
