import type { Alert } from '../runtime/alerts/alerts.js';
import { createEngine } from '../runtime/engine/engine.js';
import { compileCheckedRule } from './compile-rule.js';
import type { CheckedRule } from './validate.js';

/**
 * The alerts a rule with `alert_suppression` raises over an example's events, through the engine itself (so
 * examples and `run` agree): events in the order given, then `flush()`, which releases every open alert.
 * Undefined when the rule does not compile.
 */
export function suppressedExampleAlerts(checked: CheckedRule, events: readonly unknown[], now: number): Alert[] | undefined {
  const compiled = compileCheckedRule(checked);
  if (!compiled.ok) return undefined;
  const engine = createEngine([compiled.file.artifact], { now, clock: () => now });
  const out: Alert[] = [];
  for (const event of events) out.push(...engine.process(event));
  out.push(...engine.flush());
  return out;
}
