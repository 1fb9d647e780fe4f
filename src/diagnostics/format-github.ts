import type { Diagnostic } from './diagnostic.js';

const COMMAND: Record<Diagnostic['severity'], string> = { error: 'error', warning: 'warning', info: 'notice' };

/** GitHub's escaping for a workflow command's message. */
const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** GitHub's escaping for a workflow command's property values, where `:` and `,` are separators. */
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow commands (`::error file=…,line=…::message`), one per diagnostic, so CI annotates the lines. */
export function formatGithubAnnotations(diagnostics: readonly Diagnostic[]): string {
  const lines = diagnostics.map((d) => {
    const props = [
      ...(d.file !== undefined ? [`file=${escapeProperty(d.file)}`] : []),
      // A file-level finding annotates the file, not a line.
      ...(d.line > 0 ? [`line=${d.line}`, `col=${d.column}`, `endLine=${d.endLine}`, `endColumn=${d.endColumn}`] : []),
      `title=${escapeProperty(d.code)}`,
    ];
    const message = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
    return `::${COMMAND[d.severity]} ${props.join(',')}::${escapeData(message)}`;
  });
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
