import type { Diagnostic, Severity } from '../../diagnostics/diagnostic.js';
import type { FieldRef } from '../query-fields.js';
import type { DocPath } from '../yaml-document.js';
import { reportAt, stringField, stringList, type CheckContext } from './context.js';
import { relocateQueryDiagnostic } from './query.js';

function didYouMean(ctx: CheckContext, name: string): string | undefined {
  const suggestions = ctx.schema.suggest(name, 3);
  return suggestions.length > 0 ? `Did you mean ${suggestions.map((s) => `\`${s}\``).join(', ')}?` : undefined;
}

function unknownHint(ctx: CheckContext, name: string): string {
  const parts = [didYouMean(ctx, name)];
  parts.push(ctx.fieldsComplete ? 'If the field exists in your data, declare it under `fields:` in the rule or in ruleforge.yaml.' : ctx.coverageNote);
  return parts.filter(Boolean).join(' ');
}

const patternRegex = (pattern: string): RegExp => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/**
 * `field/unknown` for fields the query names that no schema knows (an error when the rule's data source has
 * a complete field list, a warning otherwise), and the operator/type warnings `field/range-on-keyword` and
 * `field/cidr-on-non-ip`.
 */
export function checkQueryFields(ctx: CheckContext, refs: readonly FieldRef[]): Diagnostic[] {
  const query = stringField(ctx.draft, 'query');
  if (query === undefined || (ctx.draft.metadata as { query_schema_validation?: unknown } | undefined)?.query_schema_validation === false) return [];
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const report = (ref: FieldRef, severity: Severity, code: string, message: string, hint?: string): void => {
    const d: Diagnostic = { line: ref.loc.start.line, column: ref.loc.start.column, endLine: ref.loc.end.line, endColumn: ref.loc.end.column, severity, code, message, ...(hint ? { hint } : {}) };
    out.push(relocateQueryDiagnostic(ctx, ['query'], query, d));
  };
  for (const ref of refs) {
    if (ref.pattern) {
      const re = patternRegex(ref.name);
      if (!ctx.schema.names().some((n) => re.test(n))) report(ref, 'warning', 'field/unknown', `No known field matches \`${ref.name}\`.`, ctx.fieldsComplete ? undefined : ctx.coverageNote);
      continue;
    }
    const info = ctx.schema.lookup(ref.name);
    if (!info) {
      if (ref.optional || seen.has(ref.name)) continue;
      seen.add(ref.name);
      report(ref, ctx.fieldsComplete ? 'error' : 'warning', 'field/unknown', `Unknown field \`${ref.name}\`.`, unknownHint(ctx, ref.name));
      continue;
    }
    if ((ref.use === 'range' || ref.use === 'order') && info.family === 'keyword') {
      report(ref, 'warning', 'field/range-on-keyword', `\`${ref.name}\` is a keyword field: this range compares strings character by character ("10" sorts before "9").`, 'Compare with a numeric or date field, or match exact values.');
    }
    if ((ref.use === 'cidr-value' || ref.use === 'ip-function') && info.family !== 'ip') {
      report(ref, 'warning', 'field/cidr-on-non-ip', `\`${ref.name}\` is a ${info.type} field, not an ip field: ${ref.use === 'cidr-value' ? `\`${ref.value}\` is matched as literal text, not as a network range` : 'a CIDR range cannot match it'}.`, 'Use an ip field such as `source.ip`, or map the field as `ip`.');
    }
  }
  return out;
}

/** Rule settings that name a field: each must be known, and time fields must be dates (warnings). */
export function checkSettingFields(ctx: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (path: DocPath, name: string, code: string, expectDate: boolean): void => {
    const info = ctx.schema.lookup(name);
    if (!info) {
      out.push(reportAt(ctx, path, { severity: 'warning', code, message: `Unknown field \`${name}\`.`, ...(didYouMean(ctx, name) ? { hint: didYouMean(ctx, name) } : {}) }));
    } else if (expectDate && info.family !== 'date') {
      out.push(reportAt(ctx, path, { severity: 'warning', code: 'field/not-a-date', message: `\`${name}\` is a ${info.type} field; a timestamp field must be a date.` }));
    }
  };
  for (const key of ['timestamp_override', 'timestamp_field', 'tiebreaker_field', 'event_category_override', 'rule_name_override']) {
    const name = stringField(ctx.draft, key);
    if (name) check([key], name, 'field/unknown', key.startsWith('timestamp'));
  }
  const investigation = ctx.draft.investigation_fields as { field_names?: unknown } | undefined;
  for (const [name, i] of stringList(investigation?.field_names)) check(['investigation_fields', 'field_names', i], name, 'field/investigation-unknown', false);
  for (const [name, i] of stringList(ctx.draft.new_terms_fields)) check(['new_terms_fields', i], name, 'field/unknown', false);
  // threshold rules group by these fields (issue 16)
  const threshold = ctx.draft.threshold as { field?: unknown; cardinality?: unknown } | undefined;
  if (typeof threshold?.field === 'string' && threshold.field !== '') check(['threshold', 'field'], threshold.field, 'field/unknown', false);
  for (const [name, i] of stringList(threshold?.field)) check(['threshold', 'field', i], name, 'field/unknown', false);
  if (Array.isArray(threshold?.cardinality)) {
    threshold.cardinality.forEach((c: unknown, i: number) => {
      const field = (c as { field?: unknown } | null)?.field;
      if (typeof field === 'string' && field !== '') check(['threshold', 'cardinality', i, 'field'], field, 'field/unknown', false);
    });
  }
  const suppression = ctx.draft.alert_suppression as { group_by?: unknown } | undefined;
  for (const [name, i] of stringList(suppression?.group_by)) check(['alert_suppression', 'group_by', i], name, 'field/unknown', false);
  return out;
}
