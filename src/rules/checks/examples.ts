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
    if (isSequence && typeof expect === 'string' && (example.events?.length ?? 1) < 2 && expect === 'match') {
      out.push(reportAt(ctx, ['tests', i], { code: 'test/expectation', message: `Example "${example.name}" expects a sequence alert from a single event.`, hint: 'List the sequence\'s events under `events:`.' }));
    }
    if (typeof expect === 'object' && expect.buckets !== undefined && rule.type !== 'threshold') out.push(reportAt(ctx, ['tests', i, 'expect', 'buckets'], { code: 'test/expectation', message: 'Only threshold rules produce buckets.' }));
    if (typeof expect === 'object' && expect.new_terms !== undefined && rule.type !== 'new_terms') out.push(reportAt(ctx, ['tests', i, 'expect', 'new_terms'], { code: 'test/expectation', message: 'Only new_terms rules produce new terms.' }));
    if (example.history !== undefined && rule.type !== 'new_terms') out.push(reportAt(ctx, ['tests', i, 'history'], { code: 'test/expectation', message: 'Only new_terms rules read `history` events.', hint: 'List every event under `events:`.' }));
    for (const key of ['buckets', 'new_terms'] as const) {
      const list = typeof expect === 'object' ? expect[key] : undefined;
      if (typeof expect === 'object' && list !== undefined && list.length !== expect.alerts) out.push(reportAt(ctx, ['tests', i, 'expect', key], { code: 'test/expectation', message: `The list has ${list.length} entr${list.length === 1 ? 'y' : 'ies'} but \`alerts\` is ${expect.alerts}.` }));
    }
    const built = buildExampleEvents(ctx.doc, ctx.doc.file, example, i);
    if (!built.ok) out.push(...built.diagnostics);
  });
  return out;
}
