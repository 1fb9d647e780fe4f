/** Severity of a finding: errors fail a command, warnings only with `--strict`. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * One located finding. Lines and columns are 1-based; `end*` point just past the offending text. Line 0
 * means the finding is about the file as a whole (it does not exist, cannot be read, is not an artifact):
 * formatters then name the file without a position, since `file:1:1` would point at text that is not there.
 * `code` is stable (e.g. `kql/syntax`) so CI output, tests and docs can refer to it.
 */
export interface Diagnostic {
  file?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
  hint?: string;
  /** The source text the position refers to, kept so formatters can draw a code frame. */
  source?: string;
  /**
   * Machine-applicable fixes (added by src/fixes for `lint --fix` and the language server's code actions; a check
   * may also set them). Absent on most diagnostics.
   */
  fixes?: DiagnosticFix[];
}

/** One replacement in a file's text: `[start, end)` are 0-based offsets into the text the diagnostic was made from. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** A fix for one diagnostic: a title for the editor and the edits that make it. */
export interface DiagnosticFix {
  title: string;
  edits: TextEdit[];
  /** The one fix `lint --fix` applies for this diagnostic (several "did you mean" candidates: none is). */
  preferred: boolean;
  /** True when the fix cannot change what the rule's query matches (it edits metadata, not the query). */
  safe: boolean;
}

/** The position of a file-level finding (see `Diagnostic`). */
export const WHOLE_FILE = { line: 0, column: 0, endLine: 0, endColumn: 0 } as const;

/** `file:line:column`, or just the file for a file-level finding. */
export const locationOf = (d: Pick<Diagnostic, 'file' | 'line' | 'column'>, noFile = '<query>'): string => (d.line > 0 ? `${d.file ?? noFile}:${d.line}:${d.column}` : (d.file ?? noFile));

/** A 1-based line/column position with its 0-based offset, as the generated parsers report it. */
export interface Position {
  offset: number;
  line: number;
  column: number;
}

/** A span of source text. */
export interface SourceRange {
  start: Position;
  end: Position;
}

/** Position of `offset` in `text` (offsets past the end clamp to the end). */
export function positionAt(text: string, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: clamped, line, column: clamped - lineStart + 1 };
}

/** Builds a diagnostic spanning `range` of `source`. */
export function diagnosticAt(
  range: SourceRange,
  fields: { severity?: Severity; code: string; message: string; hint?: string; source?: string; file?: string },
): Diagnostic {
  const d: Diagnostic = {
    line: range.start.line,
    column: range.start.column,
    endLine: range.end.line,
    endColumn: range.end.column,
    severity: fields.severity ?? 'error',
    code: fields.code,
    message: fields.message,
  };
  if (fields.file !== undefined) d.file = fields.file;
  if (fields.hint !== undefined) d.hint = fields.hint;
  if (fields.source !== undefined) d.source = fields.source;
  return d;
}
