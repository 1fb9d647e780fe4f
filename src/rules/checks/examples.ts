import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { buildExampleEvents } from '../example-events.js';
import type { RuleDefinition } from '../types.js';
import { reportAt, type CheckContext } from './context.js';

/**
 * Static checks of the `tests:` block: `test/duplicate-name`, `test/expectation` (an expectation the rule
 * type cannot meet) and `test/event` (an event that cannot be built, e.g. a missing base file).
 */
export function checkExamples(ctx: CheckContext, rule: RuleDefinition, isSequence: boolean): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = new Map<string, number>();
  (rule.tests ?? []).forEach((example, i) => {
    const first = names.get(example.name);
    if (first !== undefined) out.push(reportAt(ctx, ['tests', i, 'name'], { code: 'test/duplicate-name', message: `Another example (tests[${first}]) is also called "${example.name}".`, hint: 'Example names identify failures; make each one unique.' }));
    else names.set(example.name, i);
    const expect = example.expect;
    if (typeof expect === 'object' && expect.join_keys !== undefined) {
      if (!isSequence) out.push(reportAt(ctx, ['tests', i, 'expect', 'join_keys'], { code: 'test/expectation', message: 'Only sequence rules produce join keys.', hint: 'Remove `join_keys`, or expect a number of `alerts`.' }));
      else if (expect.join_keys.length !== expect.alerts) out.push(reportAt(ctx, ['tests', i, 'expect', 'join_keys'], { code: 'test/expectation', message: `\`join_keys\` lists ${expect.join_keys.length} alert(s) but \`alerts\` is ${expect.alerts}.` }));
    }
    if (typeof expect === 'object' && expect.docs_count !== undefined) {
      if (!rule.alert_suppression) out.push(reportAt(ctx, ['tests', i, 'expect', 'docs_count'], { code: 'test/expectation', message: 'Only rules with alert_suppression give alerts a docs_count.', hint: 'Add `alert_suppression`, or remove `docs_count`.' }));
      else if (expect.docs_count.length !== expect.alerts) out.push(reportAt(ctx, ['tests', i, 'expect', 'docs_count'], { code: 'test/expectation', message: `\`docs_count\` lists ${expect.docs_count.length} alert(s) but \`alerts\` is ${expect.alerts}.` }));
    }
    if (isSequence && typeof expect === 'string' && (example.events?.length ?? 1) < 2 && expect === 'match') {
      out.push(reportAt(ctx, ['tests', i], { code: 'test/expectation', message: `Example "${example.name}" expects a sequence alert from a single event.`, hint: 'List the sequence\'s events under `events:`.' }));
    }
    const built = buildExampleEvents(ctx.doc, ctx.doc.file, example, i);
    if (!built.ok) out.push(...built.diagnostics);
  });
  return out;
}
