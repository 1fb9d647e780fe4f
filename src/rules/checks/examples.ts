import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { buildEvent, buildExampleEvents } from '../example-events.js';
import type { ExampleEventSpec, RuleDefinition } from '../types.js';
import type { DocPath } from '../yaml-document.js';
import { reportAt, type CheckContext } from './context.js';

/**
 * Static checks of the `tests:` block: `test/duplicate-name`, `test/expectation` (an expectation the rule
 * type cannot meet) and `test/event` (an event that cannot be built, e.g. a missing base file).
 */
export function checkExamples(ctx: CheckContext, rule: RuleDefinition, isSequence: boolean | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = new Map<string, number>();
  (rule.tests ?? []).forEach((example, i) => {
    const first = names.get(example.name);
    if (first !== undefined) out.push(reportAt(ctx, ['tests', i, 'name'], { code: 'test/duplicate-name', message: `Another example (tests[${first}]) is also called "${example.name}".`, hint: 'Example names identify failures; make each one unique.' }));
    else names.set(example.name, i);
    const expect = example.expect;
    // When the query did not parse, whether it is a sequence is unknown: its syntax error says all there is to say.
    if (isSequence !== undefined && typeof expect === 'object' && expect.join_keys !== undefined) {
      if (!isSequence) out.push(reportAt(ctx, ['tests', i, 'expect', 'join_keys'], { code: 'test/expectation', message: 'Only sequence rules produce join keys.', hint: 'Remove `join_keys`, or expect a number of `alerts`.' }));
      else if (expect.join_keys.length !== expect.alerts) out.push(reportAt(ctx, ['tests', i, 'expect', 'join_keys'], { code: 'test/expectation', message: `\`join_keys\` lists ${expect.join_keys.length === 1 ? '1 alert' : `${expect.join_keys.length} alerts`} but \`alerts\` is ${expect.alerts}.` }));
    }
    if (typeof expect === 'object' && expect.docs_count !== undefined) {
      if (!rule.alert_suppression) out.push(reportAt(ctx, ['tests', i, 'expect', 'docs_count'], { code: 'test/expectation', message: 'Only rules with alert_suppression give alerts a docs_count.', hint: 'Add `alert_suppression`, or remove `docs_count`.' }));
      else if (expect.docs_count.length !== expect.alerts) out.push(reportAt(ctx, ['tests', i, 'expect', 'docs_count'], { code: 'test/expectation', message: `\`docs_count\` lists ${expect.docs_count.length} alert(s) but \`alerts\` is ${expect.alerts}.` }));
    }
    if (isSequence && typeof expect === 'string' && (example.events?.length ?? 1) < 2 && expect === 'match') {
      out.push(reportAt(ctx, ['tests', i], { code: 'test/expectation', message: `Example "${example.name}" expects a sequence alert from a single event.`, hint: 'List the sequence\'s events under `events:`.' }));
    }
    const specs: [ExampleEventSpec, DocPath][] = example.events ? example.events.map((s, k) => [s, ['tests', i, 'events', k]]) : example.event ? [[example.event, ['tests', i, 'event']]] : [];
    // A spec that cannot be built gets its test/event error below; field names are checked on the others.
    for (const [spec, path] of specs) if (buildEvent(ctx.doc.file, spec).ok) out.push(...checkExampleFieldNames(ctx, example.name, spec, path));
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

/**
 * `test/unknown-field`: a field an example sets (`fields:`) or removes (`remove:`) that no schema knows. A
 * typo there builds an event the rule never reads the intended field of, so the example tests nothing;
 * as for the query's fields, it is an error when the rule's data has a complete field list.
 */
function checkExampleFieldNames(ctx: CheckContext, exampleName: string, spec: ExampleEventSpec, path: DocPath): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names: [string, DocPath][] = [
    ...Object.keys(spec.fields ?? {}).map((name): [string, DocPath] => [name, [...path, 'fields', name]]),
    ...(spec.remove ?? []).map((name, k): [string, DocPath] => [name, [...path, 'remove', k]]),
  ];
  for (const [name, at] of names) {
    if (ctx.schema.lookup(name)) continue;
    const suggestions = ctx.schema.suggest(name, 3);
    const hint = [suggestions.length > 0 ? `Did you mean ${suggestions.map((s) => `\`${s}\``).join(', ')}?` : undefined, ctx.fieldsComplete ? 'If the field exists in your data, declare it under `fields:` in the rule or in ruleforge.yaml.' : ctx.coverageNote].filter(Boolean).join(' ');
    out.push(reportAt(ctx, at, { severity: ctx.fieldsComplete ? 'error' : 'warning', code: 'test/unknown-field', message: `Example "${exampleName}" sets unknown field \`${name}\`.`, ...(hint ? { hint } : {}) }, true));
  }
  return out;
}
