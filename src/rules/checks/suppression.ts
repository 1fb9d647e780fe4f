import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { intervalMs, DEFAULT_INTERVAL_MS } from '../../runtime/state/suppression.js';
import { reportAt, stringField, type CheckContext } from './context.js';

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * `suppression/group-by`: every rule type but threshold needs `group_by` (Kibana's schema); threshold takes only
 * `duration` (required there), grouping by `threshold.field`. `suppression/duration`: a duration shorter than the interval folds
 * nothing beyond one execution, so it behaves as no duration at all.
 */
export function checkSuppression(ctx: CheckContext): Diagnostic[] {
  const settings = ctx.draft.alert_suppression;
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) return [];
  const s = settings as { group_by?: unknown; duration?: { value?: unknown; unit?: unknown }; missing_fields_strategy?: unknown };
  const type = stringField(ctx.draft, 'type');
  const out: Diagnostic[] = [];
  const hasGroupBy = Array.isArray(s.group_by) && s.group_by.length > 0;
  if (type === 'threshold' && (s.group_by !== undefined || s.missing_fields_strategy !== undefined)) {
    out.push(reportAt(ctx, ['alert_suppression', s.group_by !== undefined ? 'group_by' : 'missing_fields_strategy'], { code: 'suppression/group-by', message: 'A threshold rule suppresses by its `threshold.field` and takes only `duration`.' }, true));
  } else if (type === 'threshold' && s.duration === undefined) {
    // Kibana's threshold suppression schema has `duration` only, and requires it.
    out.push(reportAt(ctx, ['alert_suppression'], { code: 'suppression/group-by', message: 'A threshold rule\'s alert_suppression needs `duration`: it suppresses by `threshold.field` over that time.' }, true));
  } else if (type !== 'threshold' && !hasGroupBy) {
    out.push(reportAt(ctx, ['alert_suppression'], { code: 'suppression/group-by', message: `A ${type ?? 'rule'} rule's alert_suppression needs \`group_by\` (one to three fields).` }, true));
  }
  const d = s.duration;
  if (d && typeof d.value === 'number' && typeof d.unit === 'string' && UNIT_MS[d.unit]) {
    const interval = intervalMs(stringField(ctx.draft, 'interval')) ?? DEFAULT_INTERVAL_MS;
    if (d.value * UNIT_MS[d.unit] < interval) {
      out.push(reportAt(ctx, ['alert_suppression', 'duration'], { severity: 'warning', code: 'suppression/duration', message: `A suppression duration of ${d.value}${d.unit} is shorter than the rule's interval (${stringField(ctx.draft, 'interval') ?? '5m'}): no alert outlives one execution, so this is per-execution suppression.`, hint: 'Use a duration of at least the interval, or remove `duration`.' }));
    }
  }
  return out;
}
