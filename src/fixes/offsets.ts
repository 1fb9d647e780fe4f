import type { Diagnostic, TextEdit } from '../diagnostics/diagnostic.js';

/** 0-based offsets of each line's first character in `text`. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** File offset of a 1-based line and column (clamped to the text). */
export function offsetOf(starts: readonly number[], text: string, line: number, column: number): number {
  const lineStart = starts[Math.max(0, Math.min(line - 1, starts.length - 1))] ?? 0;
  return Math.max(0, Math.min(text.length, lineStart + column - 1));
}

/** The `[start, end)` offsets a diagnostic spans in `text`. */
export function diagnosticOffsets(d: Diagnostic, text: string, starts: readonly number[] = lineStarts(text)): { start: number; end: number } {
  return { start: offsetOf(starts, text, d.line, d.column), end: offsetOf(starts, text, d.endLine, d.endColumn) };
}

/**
 * Applies edits to `text`. Edits that overlap an earlier one (in offset order) are left out and returned, so
 * a caller can apply them in a later pass against the new text.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; applied: TextEdit[]; skipped: TextEdit[] } {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const applied: TextEdit[] = [];
  const skipped: TextEdit[] = [];
  let lastEnd = -1;
  for (const e of sorted) {
    if (e.start < lastEnd || (e.start === lastEnd && e.start === e.end && applied.at(-1)?.start === e.start)) skipped.push(e);
    else {
      applied.push(e);
      lastEnd = e.end;
    }
  }
  let out = text;
  for (const e of [...applied].reverse()) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return { text: out, applied, skipped };
}
