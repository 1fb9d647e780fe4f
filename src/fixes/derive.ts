import { randomUUID } from 'node:crypto';
import type { Diagnostic, DiagnosticFix, TextEdit } from '../diagnostics/diagnostic.js';
import { ruleJsonSchema } from '../rules/schema-check.js';
import { SEVERITY_BANDS } from '../rules/checks/severity-band.js';
import { fieldCoverage } from '../rules/project.js';
import type { YamlDocument } from '../rules/yaml-document.js';
import { diagnosticOffsets, lineStarts } from './offsets.js';

/** Elastic's conventional risk score for each severity (the prebuilt rules use these). */
export const DEFAULT_RISK_SCORES: Readonly<Record<string, number>> = { low: 21, medium: 47, high: 73, critical: 99 };

/** What a fix deriver sees: the file's text, its document (when it parsed) and the rule mapping as written. */
export interface FixContext {
  text: string;
  doc?: YamlDocument;
  draft?: Record<string, unknown>;
  /** Makes new rule ids; tests pass a fixed one. */
  newRuleId?: () => string;
}

/** Keys whose values are queries: a fix inside them may change what the rule matches. */
const QUERY_KEYS = ['query', 'threat_query'];

/** Candidates named by a "Did you mean `a`, `b`?" or "did you mean [a] or [b]?" hint or message. */
export function didYouMeanCandidates(text: string | undefined): string[] {
  const m = /did you mean (.*?)\?/i.exec(text ?? '');
  if (!m) return [];
  const quoted = [...m[1]!.matchAll(/`([^`]+)`|\[([^\]]+)\]/g)].map((q) => q[1] ?? q[2] ?? '');
  return quoted.filter((q) => q.length > 0);
}

/** The text of a replacement scalar that keeps the original's quoting (`"x"`, `'x'` or plain). */
function requote(original: string, value: string): string {
  if (original.startsWith('"')) return JSON.stringify(value);
  if (original.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  return /^[A-Za-z0-9_][\w.:/@-]*$/.test(value) && !/^(true|false|null|~|[-+]?\d)/i.test(value) ? value : JSON.stringify(value);
}

function insideQuery(ctx: FixContext, start: number): boolean {
  return QUERY_KEYS.some((k) => {
    const span = ctx.doc?.span([k]);
    return span !== undefined && start >= span.start && start < span.end;
  });
}

const fix = (title: string, edits: TextEdit[], preferred: boolean, safe: boolean): DiagnosticFix => ({ title, edits, preferred, safe });

/** Edit distance (insertions, deletions, substitutions), case-insensitive. */
function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[y.length]!;
}

/**
 * A suggestion close enough to be a typo of `name` (at most two edits, and few for a short name). "Did you
 * mean" lists also name fields that merely share a last segment (`gcp.audit.request.kind` → `event.kind`):
 * those are offered in the editor but never applied unattended.
 */
export function isTypoOf(name: string, candidate: string): boolean {
  const d = editDistance(name, candidate);
  return d <= 2 && d <= Math.floor(name.length / 3);
}

/**
 * A replacement of a name at the diagnostic's range by each candidate. One is preferred (applied by `lint --fix`)
 * only when it is the single suggestion, a typo-distance away, and — for field names — the field schema fully
 * describes the rule's data (otherwise the "unknown" field may simply come from an integration ruleforge has no
 * field list for).
 */
function renameFixes(ctx: FixContext, d: Diagnostic, name: string, candidates: readonly string[], what: string, options: { schemaComplete?: boolean; safe?: boolean } = {}): DiagnosticFix[] {
  const { start, end } = diagnosticOffsets(d, ctx.text);
  const written = ctx.text.slice(start, end);
  // The range must hold the name as written (bare, quoted, or at the start of a call); anything else is not machine-applicable.
  let at = -1;
  if (written === name || written.startsWith(`${name}(`) || written.startsWith(`${name}~(`)) at = start;
  else if ((written.startsWith('"') || written.startsWith("'")) && written.slice(1, 1 + name.length) === name && written.length === name.length + 2) at = start + 1;
  if (at < 0) return [];
  const safe = options.safe ?? !insideQuery(ctx, at);
  const preferred = (c: string): boolean => candidates.length === 1 && options.schemaComplete !== false && isTypoOf(name, c);
  return candidates.map((c) => fix(`Change ${what} to \`${c}\``, [{ start: at, end: at + name.length, newText: c }], preferred(c), safe));
}

/** Replaces the scalar value at `path` with `value`, keeping its quoting. */
function replaceValue(ctx: FixContext, path: readonly (string | number)[], value: string | number, title: string, preferred: boolean): DiagnosticFix | undefined {
  const span = ctx.doc?.span(path);
  if (!span || span.scalar === undefined) return undefined;
  const original = ctx.text.slice(span.start, span.end);
  const newText = typeof value === 'number' ? String(value) : requote(original, value);
  return fix(title, [{ start: span.start, end: span.end, newText }], preferred, !insideQuery(ctx, span.start));
}

/** Top-level property order of the rule schema (where a missing key is inserted). */
const SCHEMA_ORDER: readonly string[] = Object.keys((ruleJsonSchema as { properties: Record<string, unknown> }).properties);

/** The default a missing required key gets, or undefined when it has none that a tool may choose. */
function requiredDefault(ctx: FixContext, key: string): string | number | undefined {
  const draft = ctx.draft ?? {};
  switch (key) {
    case 'rule_id':
      return (ctx.newRuleId ?? randomUUID)();
    case 'type':
      return draft.language === 'eql' ? 'eql' : typeof draft.query === 'string' ? 'query' : undefined;
    case 'severity': {
      const score = draft.risk_score;
      if (typeof score !== 'number') return 'low';
      return Object.entries(SEVERITY_BANDS).find(([, [lo, hi]]) => score >= lo && score <= hi)?.[0];
    }
    case 'risk_score':
      return typeof draft.severity === 'string' ? DEFAULT_RISK_SCORES[draft.severity] : DEFAULT_RISK_SCORES.low;
    default:
      return undefined;
  }
}

function insertRequiredKey(ctx: FixContext, key: string): DiagnosticFix | undefined {
  const value = requiredDefault(ctx, key);
  if (value === undefined || !ctx.doc || !ctx.draft) return undefined;
  const rank = (k: string): number => (SCHEMA_ORDER.includes(k) ? SCHEMA_ORDER.indexOf(k) : SCHEMA_ORDER.length);
  const later = Object.keys(ctx.draft)
    .filter((k) => rank(k) > rank(key))
    .map((k) => ctx.doc?.span([k])?.keyStart)
    .filter((o): o is number => o !== undefined)
    .sort((a, b) => a - b)[0];
  const line = `${key}: ${typeof value === 'number' ? value : requote('', value)}\n`;
  if (later !== undefined) {
    const starts = lineStarts(ctx.text);
    const lineStart = [...starts].reverse().find((s) => s <= later) ?? 0;
    // Only at the start of a block-mapping line; a flow mapping (`{...}`) has no place for a new line.
    if (ctx.text.slice(lineStart, later).trim() === '') return fix(`Add \`${key}: ${value}\``, [{ start: lineStart, end: lineStart, newText: line }], true, true);
    return undefined;
  }
  if (/^\s*\{/.test(ctx.text.replace(/^(#.*\n)*/, ''))) return undefined;
  const prefix = ctx.text.length === 0 || ctx.text.endsWith('\n') ? '' : '\n';
  return fix(`Add \`${key}: ${value}\``, [{ start: ctx.text.length, end: ctx.text.length, newText: `${prefix}${line}` }], true, true);
}

/** The machine-applicable fixes for one diagnostic (empty when it has none). */
export function fixesFor(ctx: FixContext, d: Diagnostic): DiagnosticFix[] {
  if (d.fixes && d.fixes.length > 0) return d.fixes;
  const named = /`([^`]+)`/.exec(d.message)?.[1];
  switch (d.code) {
    case 'field/unknown':
    case 'field/investigation-unknown': {
      if (!named) return [];
      const schemaComplete = ctx.draft ? fieldCoverage(ctx.draft).complete : false;
      // Only investigation_fields is display-only; a field in the query or in a setting (new_terms_fields,
      // alert_suppression, timestamp_override) changes what the rule does.
      return renameFixes(ctx, d, named, didYouMeanCandidates(d.hint), 'the field', { schemaComplete, safe: d.code === 'field/investigation-unknown' });
    }
    case 'eql/unknown-function': {
      const fn = /\[([^\]]+)\]/.exec(d.message)?.[1];
      return fn ? renameFixes(ctx, d, fn, didYouMeanCandidates(d.hint), 'the function') : [];
    }
    case 'eql/syntax': {
      const m = /did you mean \[(\w+)\] as in \[([^\]]+)\]/.exec(d.message);
      if (!m) return [];
      const { start, end } = diagnosticOffsets(d, ctx.text);
      const written = ctx.text.slice(start, end);
      if (`${written}${m[1]}` !== m[2]) return [];
      return [fix(`Write \`${m[2]}\``, [{ start: end, end, newText: m[1]! }], true, false)];
    }
    case 'rule/schema': {
      const unknownKey = /^Unknown field `([^`]+)`/.exec(d.message);
      if (unknownKey) return renameFixes(ctx, d, unknownKey[1]!, didYouMeanCandidates(d.hint), 'the key');
      const missing = /^The rule is missing the required field `([^`]+)`/.exec(d.message);
      if (missing) {
        const f = insertRequiredKey(ctx, missing[1]!);
        return f ? [f] : [];
      }
      const folded = /case-sensitive: write ("(?:[^"\\]|\\.)*")/.exec(d.hint ?? '');
      if (folded) {
        const { start, end } = diagnosticOffsets(d, ctx.text);
        const value = JSON.parse(folded[1]!) as string;
        return [fix(`Write ${folded[1]}`, [{ start, end, newText: requote(ctx.text.slice(start, end), value) }], true, !insideQuery(ctx, start))];
      }
      return [];
    }
    case 'rule/risk-score-band': {
      const severity = ctx.draft?.severity;
      const score = ctx.draft?.risk_score;
      if (typeof severity !== 'string' || typeof score !== 'number') return [];
      const out: DiagnosticFix[] = [];
      const conventional = DEFAULT_RISK_SCORES[severity];
      if (conventional !== undefined) {
        const f = replaceValue(ctx, ['risk_score'], conventional, `Set risk_score to ${conventional} (the ${severity} band)`, true);
        if (f) out.push(f);
      }
      const fitting = Object.entries(SEVERITY_BANDS).find(([, [lo, hi]]) => score >= lo && score <= hi)?.[0];
      if (fitting) {
        const f = replaceValue(ctx, ['severity'], fitting, `Set severity to ${fitting} (fits risk score ${score})`, false);
        if (f) out.push(f);
      }
      return out;
    }
    case 'rule/language-mismatch': {
      // Either the type or the language is wrong; which one is the author's call, so neither fix is preferred.
      const m = /^A (\w+) rule's query must be (.*), not "([^"]+)"\.$/.exec(d.message);
      if (!m) return [];
      const [, type, allowedText, language] = m as unknown as [string, string, string, string];
      const out: DiagnosticFix[] = [];
      for (const allowed of [...allowedText.matchAll(/"([^"]+)"/g)].map((a) => a[1]!)) {
        const f = replaceValue(ctx, ['language'], allowed, `Set language to ${allowed}`, false);
        if (f) out.push(f);
      }
      const fittingType = language === 'eql' ? 'eql' : type === 'eql' && (language === 'kuery' || language === 'lucene') ? 'query' : undefined;
      if (fittingType) {
        const f = replaceValue(ctx, ['type'], fittingType, `Set type to ${fittingType}`, false);
        if (f) out.push(f);
      }
      return out;
    }
    case 'threat/reference': {
      const url = /should be (\S+?)\.?$/.exec(d.message)?.[1];
      if (!url) return [];
      const { start, end } = diagnosticOffsets(d, ctx.text);
      return [fix(`Set the reference to ${url}`, [{ start, end, newText: requote(ctx.text.slice(start, end), url) }], true, true)];
    }
    default:
      return [];
  }
}

/** Returns copies of `diagnostics` with their fixes attached (diagnostics without a fix are returned as they are). */
export function withFixes(ctx: FixContext, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) => {
    const fixes = fixesFor(ctx, d);
    return fixes.length > 0 ? { ...d, fixes } : d;
  });
}
