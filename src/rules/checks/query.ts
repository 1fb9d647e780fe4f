import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { lowerEql } from '../../eql/lower.js';
import { parseEql } from '../../eql/parse.js';
import type { IrQuery } from '../../ir/types.js';
import { lowerKql } from '../../kql/lower.js';
import { parseKql } from '../../kql/parse.js';
import { eqlFieldRefs, kqlFieldRefs, type FieldRef } from '../query-fields.js';
import type { DocPath } from '../yaml-document.js';
import { quotedWildcards, refineSyntaxDiagnostic } from './query-hints.js';
import { reportAt, stringField, type CheckContext } from './context.js';

/** The languages each rule type accepts; the first is Kibana's default when `language` is absent. */
const LANGUAGES_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  query: ['kuery', 'lucene'],
  saved_query: ['kuery', 'lucene'],
  threshold: ['kuery', 'lucene'],
  threat_match: ['kuery', 'lucene'],
  new_terms: ['kuery', 'lucene'],
  eql: ['eql'],
  esql: ['esql'],
  machine_learning: [],
};

/** Types whose query is required (Kibana accepts an empty query only for `query` and `saved_query`). */
const QUERY_REQUIRED = new Set(['eql', 'esql', 'threshold', 'threat_match', 'new_terms']);

/** The query after checking: its IR when it lowered, and the fields it names (for the field checks). */
export interface QueryCheck {
  diagnostics: Diagnostic[];
  language?: 'kuery' | 'eql';
  ir?: IrQuery;
  fieldRefs: FieldRef[];
}

/** The language a rule's query is in, as Kibana reads it (defaulted by type). */
export function effectiveLanguage(draft: Record<string, unknown>): string | undefined {
  const type = stringField(draft, 'type');
  return stringField(draft, 'language') ?? (type ? LANGUAGES_BY_TYPE[type]?.[0] : undefined);
}

/**
 * `rule/language-mismatch`, `rule/missing-query`, `rule/unsupported-language` and the query's own
 * diagnostics (`kql/*`, `eql/*`), each moved from its place in the query to its place in the file.
 */
export function checkQuery(ctx: CheckContext): QueryCheck {
  const { draft } = ctx;
  const type = stringField(draft, 'type');
  const allowed = type ? LANGUAGES_BY_TYPE[type] : undefined;
  const out: QueryCheck = { diagnostics: [], fieldRefs: [] };
  if (!allowed) return out;
  const language = effectiveLanguage(draft);
  if (language !== undefined && draft.language !== undefined && !allowed.includes(language)) {
    out.diagnostics.push(
      reportAt(ctx, ['language'], {
        code: 'rule/language-mismatch',
        message: allowed.length === 0 ? `A ${type} rule has no query language.` : `A ${type} rule's query must be ${allowed.map((l) => `"${l}"`).join(' or ')}, not "${language}".`,
        hint: type === 'eql' ? 'EQL rules set `language: eql`.' : language === 'eql' ? 'An EQL query needs `type: eql`.' : undefined,
      }),
    );
    return out;
  }
  const query = draft.query;
  if (typeof query !== 'string') return out;
  if (query.trim() === '') {
    if (QUERY_REQUIRED.has(type ?? '')) out.diagnostics.push(reportAt(ctx, ['query'], { code: 'rule/missing-query', message: `A ${type} rule needs a query.` }));
    return out;
  }
  if (language !== 'kuery' && language !== 'eql') {
    out.diagnostics.push(reportAt(ctx, ['query'], { severity: 'warning', code: 'rule/unsupported-language', message: `${language === 'lucene' ? 'Lucene' : language === 'esql' ? 'ES|QL' : String(language)} queries are not checked or compiled by ruleforge; only KQL (kuery) and EQL are.` }));
    return out;
  }
  out.language = language;
  const relocate = (d: Diagnostic): Diagnostic => relocateQueryDiagnostic(ctx, ['query'], query, d);
  if (language === 'kuery') {
    const parsed = parseKql(query);
    if (!parsed.ok) {
      out.diagnostics.push(...parsed.diagnostics.map((d) => relocate(refineSyntaxDiagnostic(query, 'kuery', d))));
      return out;
    }
    out.fieldRefs = kqlFieldRefs(parsed.ast);
    for (const w of quotedWildcards(parsed.ast)) {
      const unquoted = w.text.replace(/([\\():<>"{}]|\s)/g, '\\$1');
      out.diagnostics.push(
        relocate({
          line: w.loc.start.line,
          column: w.loc.start.column,
          endLine: w.loc.end.line,
          endColumn: w.loc.end.column,
          severity: 'warning',
          code: 'kql/quoted-wildcard',
          message: `In KQL a quoted value is matched literally: "${w.text}" matches only text with a literal \`*\`, not as a wildcard.`,
          hint: `Remove the quotes to use a wildcard: \`${unquoted}\` (spaces and special characters escaped with \\). Keep the quotes only if a literal asterisk is meant.`,
        }),
      );
    }
    const lowered = lowerKql(parsed.ast, { schema: ctx.schema, source: query });
    out.diagnostics.push(...lowered.diagnostics.map(relocate));
    if (lowered.ok) out.ir = lowered.ir;
    return out;
  }
  const parsed = parseEql(query);
  out.diagnostics.push(...parsed.diagnostics.map((d) => relocate(refineSyntaxDiagnostic(query, 'eql', d))));
  if (!parsed.ok) return out;
  out.fieldRefs = eqlFieldRefs(parsed.ast);
  const categoryField = stringField(draft, 'event_category_override');
  const lowered = lowerEql(parsed.ast, { source: query, schema: ctx.schema, ...(categoryField ? { categoryField } : {}) });
  out.diagnostics.push(...lowered.diagnostics.map(relocate));
  if (lowered.ok) out.ir = lowered.ir;
  return out;
}

/** Offset in `text` of a 1-based line and column. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + column - 1);
}

/** Moves a diagnostic located in a query string to the file position that string was decoded from. */
export function relocateQueryDiagnostic(ctx: CheckContext, path: DocPath, query: string, d: Diagnostic): Diagnostic {
  const start = ctx.doc.fileOffset(path, offsetOf(query, d.line, d.column));
  const endInQuery = offsetOf(query, d.endLine, d.endColumn);
  const end = endInQuery > 0 ? ctx.doc.fileOffset(path, endInQuery - 1) + 1 : start;
  const moved = ctx.doc.diagnostic(start, Math.max(start, end), { severity: d.severity, code: d.code, message: d.message, ...(d.hint ? { hint: d.hint } : {}) });
  return moved;
}
