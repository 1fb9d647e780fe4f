export type { Diagnostic, Position, Severity, SourceRange } from './diagnostic.js';
export { diagnosticAt, positionAt } from './diagnostic.js';
export { codeFrame } from './code-frame.js';
export { diagnosticToJson, formatDiagnosticText } from './format-text.js';
