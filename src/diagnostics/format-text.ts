import { codeFrame } from './code-frame.js';
import { locationOf, type Diagnostic } from './diagnostic.js';

/** Human-readable rendering: `file:line:column: severity code: message`, a code frame, and the hint. */
export function formatDiagnosticText(d: Diagnostic): string {
  const where = locationOf(d);
  const parts = [`${where}: ${d.severity} ${d.code}: ${d.message}`];
  if (d.source !== undefined && d.line > 0) parts.push(codeFrame(d.source, d));
  if (d.hint) parts.push(`  hint: ${d.hint}`);
  return parts.join('\n');
}

/** Machine-readable rendering: the diagnostic without its source text. */
export function diagnosticToJson(d: Diagnostic): Omit<Diagnostic, 'source'> {
  const { source: _source, ...rest } = d;
  return rest;
}
