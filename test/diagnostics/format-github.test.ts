import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { formatGithubAnnotations } from '../../src/diagnostics/format-github.js';

const base: Diagnostic = { file: 'rules/a.yaml', line: 3, column: 7, endLine: 3, endColumn: 12, severity: 'error', code: 'kql/syntax', message: 'Expected value' };

/** Reads a workflow command back the way the Actions runner does: the first `::` after the command ends the properties. */
function parseCommand(line: string): { command: string; properties: Record<string, string>; data: string } {
  const m = /^::([a-z]+)(?: ([^:]*))?::(.*)$/s.exec(line);
  if (!m) throw new Error(`not a workflow command: ${JSON.stringify(line)}`);
  const unescape = (s: string, map: Record<string, string>) => s.replace(/%(25|0D|0A|3A|2C)/g, (all, hex: string) => map[hex] ?? all);
  const dataMap = { '25': '%', '0D': '\r', '0A': '\n' };
  const propMap = { ...dataMap, '3A': ':', '2C': ',' };
  const properties: Record<string, string> = {};
  for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1), propMap);
  }
  return { command: m[1], properties, data: unescape(m[3], dataMap) };
}

describe('formatGithubAnnotations', () => {
  it('writes one error command with the full position and the code as title', () => {
    expect(formatGithubAnnotations([base])).toBe('::error file=rules/a.yaml,line=3,col=7,endLine=3,endColumn=12,title=kql/syntax::Expected value\n');
  });

  it('maps severities to error, warning and notice', () => {
    const out = formatGithubAnnotations([base, { ...base, severity: 'warning' }, { ...base, severity: 'info' }]);
    expect(out.split('\n')).toEqual([
      expect.stringMatching(/^::error /),
      expect.stringMatching(/^::warning /),
      expect.stringMatching(/^::notice /),
      '',
    ]);
  });

  it('omits file= when the diagnostic has no file', () => {
    const { file: _file, ...noFile } = base;
    expect(formatGithubAnnotations([noFile])).toBe('::error line=3,col=7,endLine=3,endColumn=12,title=kql/syntax::Expected value\n');
  });

  it('appends the hint as a second, escaped line of the message', () => {
    const out = formatGithubAnnotations([{ ...base, hint: 'quote the value' }]);
    expect(out).toBe('::error file=rules/a.yaml,line=3,col=7,endLine=3,endColumn=12,title=kql/syntax::Expected value%0Ahint: quote the value\n');
    expect(parseCommand(out.trimEnd()).data).toBe('Expected value\nhint: quote the value');
  });

  it('escapes % CR LF in the message but leaves : and , there', () => {
    const out = formatGithubAnnotations([{ ...base, message: '100% of a,b: x\r\ny' }]);
    expect(out).toBe('::error file=rules/a.yaml,line=3,col=7,endLine=3,endColumn=12,title=kql/syntax::100%25 of a,b: x%0D%0Ay\n');
  });

  it('escapes : and , (and % CR LF) in property values', () => {
    const out = formatGithubAnnotations([{ ...base, file: 'C:\\rules\\a,b%\n.yaml', code: 'x:y,z' }]);
    expect(out).toContain('file=C%3A\\rules\\a%2Cb%25%0A.yaml,');
    expect(out).toContain(',title=x%3Ay%2Cz::');
  });

  it('puts exactly one line per diagnostic and ends with a newline; nothing for no diagnostics', () => {
    expect(formatGithubAnnotations([])).toBe('');
    const ds = [base, { ...base, message: 'multi\nline', hint: 'h\r\nh' }, { ...base, line: 9 }];
    const out = formatGithubAnnotations(ds);
    expect(out.endsWith('\n')).toBe(true);
    const lines = out.slice(0, -1).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => !l.includes('\r'))).toBe(true);
    expect(parseCommand(lines[2]).properties.line).toBe('9');
  });

  it('round-trips any file, code, message and hint through the runner’s parsing', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), fc.string(), fc.option(fc.string({ minLength: 1 }), { nil: undefined }), (file, code, message, hint) => {
        const d: Diagnostic = { ...base, file, code, message, ...(hint !== undefined ? { hint } : {}) };
        const out = formatGithubAnnotations([d]);
        expect(out.split('\n')).toHaveLength(2);
        const parsed = parseCommand(out.slice(0, -1));
        expect(parsed.command).toBe('error');
        expect(parsed.properties).toEqual({ file, line: '3', col: '7', endLine: '3', endColumn: '12', title: code });
        expect(parsed.data).toBe(hint !== undefined ? `${message}\nhint: ${hint}` : message);
      }),
    );
  });
});
