import { codeFrame } from './code-frame.js';
import type { Diagnostic } from './diagnostic.js';

/** Human-readable rendering: `file:line:column: severity code: message`, a code frame, and the hint. */
export function formatDiagnosticText(d: Diagnostic): string {
  const where = `${d.file ?? '<query>'}:${d.line}:${d.column}`;
  const parts = [`${where}: ${d.severity} ${d.code}: ${d.message}`];
  if (d.source !== undefined) parts.push(codeFrame(d.source, d));
  if (d.hint) parts.push(`  hint: ${d.hint}`);
  return parts.join('\n');
}

/** Machine-readable rendering: the diagnostic without its source text. */
export function diagnosticToJson(d: Diagnostic): Omit<Diagnostic, 'source'> {
  const { source: _source, ...rest } = d;
  return rest;
}
