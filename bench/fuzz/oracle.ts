/**
 * The oracle: runs one input through the public stages (KQL/EQL parse and lower; for rule files, decoding
 * and every rule-file check) and says whether it broke a promise: an exception escaped, a rejection came
 * without an error diagnostic, or a diagnostic lacks a code, a message or a location inside the input.
 */
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { parseEql } from '../../src/eql/parse.js';
import { lowerEql } from '../../src/eql/lower.js';
import { createFieldSchema, type FieldSchema } from '../../src/fields/index.js';
import { parseKql, parseKqlLiteral } from '../../src/kql/parse.js';
import { lowerKql } from '../../src/kql/lower.js';
import { decodeUtf8 } from '../../src/rules/read-source.js';
import { checkRuleText } from '../../src/rules/validate.js';

export type InputKind = 'kql' | 'eql' | 'yaml';

/** What the oracle found wrong, as a class (for grouping) and the particulars. */
export interface Finding {
  class: 'exception' | 'unlocated-rejection' | 'bad-diagnostic' | 'slow';
  detail: string;
}

export interface Verdict {
  /** The input was refused (at least one error diagnostic). */
  rejected: boolean;
  finding?: Finding;
}

/** Line lengths of `text` in UTF-16 code units, lines split on `\n` as the parsers count them. */
function lineLengths(text: string): number[] {
  const lengths: number[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    lengths.push(i - start);
    start = i + 1;
  }
  lengths.push(text.length - start);
  return lengths;
}

/** Why `d` is not a well-formed diagnostic located inside `text`, or undefined when it is. */
export function diagnosticProblem(d: Diagnostic, text: string, lines: number[] = lineLengths(text)): string | undefined {
  if (typeof d.code !== 'string' || !/^[a-z-]+\/[a-z0-9-]+$/.test(d.code)) return `code ${JSON.stringify(d.code)} is not a stable code`;
  if (typeof d.message !== 'string' || d.message.trim() === '') return `${d.code}: empty message`;
  if (!['error', 'warning', 'info'].includes(d.severity)) return `${d.code}: severity ${String(d.severity)}`;
  const within = (line: number, column: number, what: string): string | undefined => {
    if (!Number.isInteger(line) || !Number.isInteger(column)) return `${d.code}: ${what} ${line}:${column} is not a position`;
    if (line < 1 || line > lines.length) return `${d.code}: ${what} line ${line} outside 1..${lines.length}`;
    if (column < 1 || column > lines[line - 1] + 1) return `${d.code}: ${what} column ${column} outside 1..${lines[line - 1] + 1} on line ${line}`;
    return undefined;
  };
  const start = within(d.line, d.column, 'start');
  if (start) return start;
  const end = within(d.endLine, d.endColumn, 'end');
  if (end) return end;
  if (d.endLine < d.line || (d.endLine === d.line && d.endColumn < d.column)) return `${d.code}: ends (${d.endLine}:${d.endColumn}) before it starts (${d.line}:${d.column})`;
  return undefined;
}

/** The verdict on a set of diagnostics for `text`, given whether the stage reported success. */
function judge(ok: boolean, diagnostics: readonly Diagnostic[], text: string, file?: string): Verdict {
  const rejected = !ok || diagnostics.some((d) => d.severity === 'error');
  if (!ok && !diagnostics.some((d) => d.severity === 'error')) {
    return { rejected, finding: { class: 'unlocated-rejection', detail: `rejected with ${diagnostics.length} diagnostics and no error among them` } };
  }
  const lines = lineLengths(text);
  for (const d of diagnostics) {
    if (file !== undefined && d.file !== file) {
      // A diagnostic about another file (an example event file, say) is located in that file.
      if (d.file === undefined) return { rejected, finding: { class: 'bad-diagnostic', detail: `${d.code}: no file` } };
      if (d.line < 1 || d.column < 1) return { rejected, finding: { class: 'bad-diagnostic', detail: `${d.code}: position ${d.line}:${d.column} in ${d.file}` } };
      continue;
    }
    const problem = diagnosticProblem(d, text, lines);
    if (problem) return { rejected, finding: { class: 'bad-diagnostic', detail: problem } };
  }
  return { rejected };
}

const exception = (err: unknown): Verdict => ({
  rejected: true,
  finding: { class: 'exception', detail: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : `thrown ${typeof err}: ${String(err).slice(0, 200)}` },
});

let defaultSchema: FieldSchema | undefined;

/** The field schema queries are lowered against (ECS plus the bundled packs), built once. */
export function fuzzSchema(): FieldSchema {
  defaultSchema ??= createFieldSchema();
  return defaultSchema;
}

/** KQL: parse (as a query and as a lone literal) and lower. */
export function checkKql(text: string, schema = fuzzSchema()): Verdict {
  try {
    const literal = parseKqlLiteral(text);
    if (!literal.ok) {
      const v = judge(false, literal.diagnostics, text);
      if (v.finding) return v;
    }
    const parsed = parseKql(text);
    if (!parsed.ok) return judge(false, parsed.diagnostics, text);
    const lowered = lowerKql(parsed.ast, { schema, source: text });
    return judge(lowered.ok, lowered.diagnostics, text);
  } catch (err) {
    return exception(err);
  }
}

/** EQL: parse (with its checks) and lower. */
export function checkEql(text: string, schema = fuzzSchema()): Verdict {
  try {
    const parsed = parseEql(text);
    if (!parsed.ok) return judge(false, parsed.diagnostics, text);
    const lowered = lowerEql(parsed.ast, { schema, source: text });
    return judge(lowered.ok, [...parsed.diagnostics, ...lowered.diagnostics], text);
  } catch (err) {
    return exception(err);
  }
}

/** A rule file's bytes: strict UTF-8 decoding, then every per-file check, as `ruleforge validate` runs them. */
export function checkRuleBytes(bytes: Uint8Array, file: string): Verdict {
  try {
    const read = decodeUtf8(bytes, file);
    if (!read.ok) return judge(false, [read.diagnostic], new TextDecoder('utf-8').decode(bytes), file);
    const checked = checkRuleText(read.text, file);
    return judge(true, checked.diagnostics, read.text, file);
  } catch (err) {
    return exception(err);
  }
}
