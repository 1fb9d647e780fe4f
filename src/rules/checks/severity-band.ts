import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { reportAt, type CheckContext } from './context.js';

/** Kibana's risk score band per severity (and detection-rules' test of the same name). */
export const SEVERITY_BANDS: Readonly<Record<string, readonly [number, number]>> = {
  low: [0, 21],
  medium: [22, 47],
  high: [48, 73],
  critical: [74, 100],
};

/** `rule/risk-score-band`: the risk score lies outside its severity's band (warning). */
export function checkSeverityBand(ctx: CheckContext): Diagnostic[] {
  const severity = ctx.draft.severity;
  const score = ctx.draft.risk_score;
  if (typeof severity !== 'string' || typeof score !== 'number') return [];
  const band = SEVERITY_BANDS[severity];
  if (!band || (score >= band[0] && score <= band[1])) return [];
  const fitting = Object.entries(SEVERITY_BANDS).find(([, [lo, hi]]) => score >= lo && score <= hi)?.[0];
  return [
    reportAt(ctx, ['risk_score'], {
      severity: 'warning',
      code: 'rule/risk-score-band',
      message: `Risk score ${score} is outside the ${severity} band (${band[0]}–${band[1]}).`,
      hint: `Use a score in ${band[0]}–${band[1]} (Elastic uses 21, 47, 73, 99)${fitting ? `, or severity "${fitting}"` : ''}.`,
    }),
  ];
}
