/**
 * Hostile rule files through the public validation entry (`validateRules`, what `ruleforge validate` runs):
 * each must come back as a located error (file, line, column) in bounded time, never as an exception, a
 * hang or an exhausted heap. The time bounds are deliberately loose for busy shared machines; what they
 * catch is exponential or unbounded work (a billion laughs expands to 10^9 nodes), not a slow run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { checkRuleFile, validateRules } from '../../src/rules/validate.js';
import { eqlRule, kqlRule, ruleDir } from '../helpers/rule-files.js';

const BOUND_MS = 5_000;

/** Validates one file holding `content` and returns its diagnostics, timing the call. */
function validate(content: string | Buffer): { diagnostics: Diagnostic[]; file: string; ms: number } {
  const dir = ruleDir({});
  const file = join(dir, 'rule.yaml');
  writeFileSync(file, content);
  const started = performance.now();
  const result = validateRules([dir]);
  const ms = performance.now() - started;
  expect(ms, `validation took ${ms.toFixed(0)} ms`).toBeLessThan(BOUND_MS);
  return { diagnostics: result.diagnostics, file, ms };
}

/** The one error with `code`, checked to be located in `file`. */
function located(r: { diagnostics: Diagnostic[]; file: string }, code: string, line?: number): Diagnostic {
  const d = r.diagnostics.find((x) => x.code === code);
  expect(d, `expected ${code}, got ${r.diagnostics.map((x) => x.code).join(', ')}`).toBeDefined();
  expect(d!.severity).toBe('error');
  expect(d!.file).toBe(r.file);
  expect(d!.line).toBeGreaterThanOrEqual(1);
  expect(d!.column).toBeGreaterThanOrEqual(1);
  if (line !== undefined) expect(d!.line).toBe(line);
  return d!;
}

const valid = dump(kqlRule(), { lineWidth: -1 });
const lineCount = valid.split('\n').length - 1;

describe('hostile rule files: located errors in bounded time', () => {
  it('a YAML alias bomb (billion laughs) is refused before it is expanded', () => {
    const lines = ['lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 9; i++) lines.push(`lol${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
    const r = validate(valid + lines.join('\n') + '\n');
    const d = located(r, 'yaml/alias-expansion');
    // The first alias that pushes the document past the limit, in the bomb's lines.
    expect(d.line).toBeGreaterThan(lineCount);
    expect(d.message).toMatch(/larger than 100,000 nodes/);
  });

  it('10,000-deep flow nesting is refused as too deep, at the first level past the limit', () => {
    const r = validate(valid + `deep: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    const d = located(r, 'yaml/too-deep', lineCount + 1);
    expect(d.hint).toMatch(/flatten/);
  });

  it('10,000-deep block nesting (compact sequences `- - - …`) is refused as too deep', () => {
    const r = validate(valid + `deep:\n  ${'- '.repeat(10_000)}x\n`);
    located(r, 'yaml/too-deep', lineCount + 2);
  });

  it('1,000-deep indented mappings (as deep as fits in the size limit) are refused as too deep', () => {
    const nested = Array.from({ length: 1_000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' leaf\n';
    const r = validate(valid + nested);
    located(r, 'yaml/too-deep');
  });

  it('a 10 MB file is refused by its size, without being read', () => {
    const big = valid + `padding: "${'x'.repeat(10 * 1024 * 1024)}"\n`;
    const r = validate(big);
    const d = located(r, 'file/too-large', 1);
    expect(d.message).toMatch(/may be at most 1,048,576 bytes/);
  });

  it('a file just under the limit is parsed in bounded time', () => {
    const long = 'x'.repeat(1024 * 1024 - valid.length - 100);
    const r = validate(valid.replace('description: A test rule.', `description: ${long}`));
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual([]);
  });

  it('a duplicate key is reported at its second occurrence, naming the first', () => {
    const r = validate(valid + 'severity: high\n');
    const d = located(r, 'yaml/duplicate-key', lineCount + 1);
    expect(d.message).toMatch(/`severity` is defined twice .*first on line \d+/);
  });

  it('a UTF-8 byte-order mark is accepted silently, with lines and columns unchanged', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(valid.replace('severity: medium', 'severity: urgent'))]);
    const r = validate(withBom);
    expect(r.diagnostics.filter((d) => d.code.startsWith('file/') || d.code.startsWith('yaml/'))).toEqual([]);
    const severity = valid.split('\n').findIndex((l) => l.startsWith('severity:')) + 1;
    // The one error is the schema's, placed exactly where it would be without the mark.
    const d = located(r, 'rule/schema', severity);
    expect(d.column).toBe('severity: '.length + 1);
  });

  it('a tab used for indentation is a located YAML syntax error with a hint', () => {
    const r = validate(valid + 'tags:\n\t- one\n');
    const d = located(r, 'yaml/syntax', lineCount + 2);
    expect(d.hint).toMatch(/spaces/);
  });

  it('bytes that are not UTF-8 are located at the first bad byte', () => {
    const r = validate(Buffer.concat([Buffer.from(valid), Buffer.from('note: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const d = located(r, 'file/encoding', lineCount + 1);
    expect(d.column).toBe('note: caf'.length + 1);
  });

  it('a query nested 10,000 deep in a rule file is a located query error, not a stack overflow', () => {
    const query = `any where ${Array(10_000).fill('event.action == "x"').join(' and ')}`;
    const dir = ruleDir({ 'deep.yaml': eqlRule({ query }) });
    const started = performance.now();
    const checked = checkRuleFile(join(dir, 'deep.yaml'));
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
    const d = checked.diagnostics.find((x) => x.code === 'eql/too-complex');
    expect(d, checked.diagnostics.map((x) => x.code).join(', ')).toBeDefined();
    expect(d!.file).toBe(join(dir, 'deep.yaml'));
    expect(d!.line).toBeGreaterThanOrEqual(1);
  });

  it('an unclosed EQL comment holding many `/*` is a located query error in linear time', () => {
    const query = `any where event.action == "x" ${'/*a '.repeat(5_000)}`;
    const dir = ruleDir({ 'comment.yaml': eqlRule({ query }) });
    const started = performance.now();
    const checked = checkRuleFile(join(dir, 'comment.yaml'));
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
    expect(checked.diagnostics.some((x) => x.code.startsWith('eql/') && x.severity === 'error')).toBe(true);
  });
});
