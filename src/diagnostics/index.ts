export type { Diagnostic, Position, Severity, SourceRange } from './diagnostic.js';
export { diagnosticAt, positionAt } from './diagnostic.js';
export { codeFrame } from './code-frame.js';
export { diagnosticToJson, formatDiagnosticText } from './format-text.js';
export { formatGithubAnnotations } from './format-github.js';
export { formatSarif, type SarifOptions } from './format-sarif.js';
export { formatJunit, diagnosticsToJunitFailures, type JunitCase, type JunitSuite } from './format-junit.js';
