import { describe, expect, it } from 'vitest';
import { codeFrame, diagnosticToJson, formatDiagnosticText, positionAt } from '../../src/diagnostics/index.js';
import { parseKql } from '../../src/kql/parse.js';

describe('diagnostics', () => {
  it('a KQL syntax error renders with its place, a code frame and a caret', () => {
    const r = parseKql('event.action: x and\n  user.name: (a or )');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = formatDiagnosticText(r.diagnostics[0]);
    expect(text).toBe(
      [
        '<query>:2:20: error kql/syntax: Expected "(", NOT, or value but ")" found.',
        '  1 | event.action: x and',
        '> 2 |   user.name: (a or )',
        '    |                    ^',
      ].join('\n'),
    );
  });
  it('names the file when there is one', () => {
    expect(formatDiagnosticText({ file: 'rules/x.yaml', line: 3, column: 7, endLine: 3, endColumn: 9, severity: 'warning', code: 'c/d', message: 'm', hint: 'h' })).toBe(
      'rules/x.yaml:3:7: warning c/d: m\n  hint: h',
    );
  });
  it('underlines the whole span on one line', () => {
    expect(codeFrame('abc def', { line: 1, column: 5, endLine: 1, endColumn: 8 })).toBe('> 1 | abc def\n    |     ^^^');
  });
  it('windows very long lines around the column', () => {
    const frame = codeFrame('x'.repeat(500) + 'ERR', { line: 1, column: 501, endLine: 1, endColumn: 504 });
    expect(frame.split('\n')[0].length).toBeLessThan(200);
    expect(frame).toContain('ERR');
    const [line, carets] = frame.split('\n');
    expect(line.indexOf('ERR')).toBe(carets.indexOf('^'));
  });
  it('drops the source text in JSON form', () => {
    expect(diagnosticToJson({ line: 1, column: 1, endLine: 1, endColumn: 2, severity: 'error', code: 'x', message: 'y', source: 'q' })).toEqual({ line: 1, column: 1, endLine: 1, endColumn: 2, severity: 'error', code: 'x', message: 'y' });
  });
  it('computes positions from offsets', () => {
    expect(positionAt('ab\ncd', 4)).toEqual({ offset: 4, line: 2, column: 2 });
    expect(positionAt('ab', 99)).toEqual({ offset: 2, line: 1, column: 3 });
  });
});
