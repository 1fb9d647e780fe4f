import type { Diagnostic } from './diagnostic.js';

const CONTEXT_LINES = 1;
const MAX_LINE_WIDTH = 160;

/**
 * The lines around a diagnostic with a caret under the offending text, in the style of Babel and
 * TypeScript: `  2 | query line` followed by `    |       ^^^`.
 */
export function codeFrame(source: string, d: Pick<Diagnostic, 'line' | 'column' | 'endLine' | 'endColumn'>): string {
  const lines = source.split(/\r?\n/);
  const first = Math.max(1, d.line - CONTEXT_LINES);
  const last = Math.min(lines.length, d.line + CONTEXT_LINES);
  const gutterWidth = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const raw = lines[n - 1] ?? '';
    // Long single-line queries are common; show a window around the column rather than the whole line.
    const windowStart = n === d.line && d.column > MAX_LINE_WIDTH - 20 ? d.column - 40 : 0;
    const text = (windowStart > 0 ? '…' : '') + raw.slice(windowStart, windowStart + MAX_LINE_WIDTH);
    const marker = n === d.line ? '>' : ' ';
    out.push(`${marker} ${String(n).padStart(gutterWidth)} | ${text.replace(/\t/g, ' ')}`);
    if (n === d.line) {
      const caretStart = d.column - 1 - windowStart + (windowStart > 0 ? 1 : 0);
      const width = d.endLine === d.line ? Math.max(1, d.endColumn - d.column) : Math.max(1, raw.length - d.column + 1);
      out.push(`  ${' '.repeat(gutterWidth)} | ${' '.repeat(Math.max(0, caretStart))}${'^'.repeat(Math.min(width, MAX_LINE_WIDTH))}`);
    }
  }
  return out.join('\n');
}
