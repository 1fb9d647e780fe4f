import { Command, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactName } from '../rules/compile-rule.js';
import { staleArtifactDiagnostics } from './stale-artifacts.js';
import { explainPredicate, formatExplanation } from '../explain/explain-event.js';
import { explainSequence, formatSequenceExplanation } from '../explain/explain-sequence.js';
import { explainAggregate, formatAggregateExplanation } from '../explain/explain-aggregate.js';
import type { RuleArtifact } from '../ir/artifact.js';
import { applyConstants, compileConstants } from '../runtime/engine/constants.js';
import { linkPredicate } from '../runtime/match/link.js';
import { explainSuppression, formatSuppressionExplanation, tracedRun, type SuppressionExplanation } from '../explain/explain-suppression.js';
import { indexTimeTransform, readMapping } from './index-time-options.js';
import { parseNowFlag, repeatable, UsageError, writeOut } from './io.js';
import { loadRuleSet } from './rule-source.js';
import { parseConstant } from './run.js';
import { formatDiagnosticText } from '../diagnostics/format-text.js';

const EXIT_CODES = `
Exit codes:
  0  the explanation was printed, whether the verdict is MATCH or NO MATCH
  1  the rule file has errors and does not compile (they are printed), or --refuse-stale found it stale
  2  usage error: no such rule, unreadable or non-JSON events, a bad option value
`;

/** A rule file that was found but has errors: exit 1 (a finding), unlike a rule that cannot be found (exit 2). */
class RuleDoesNotCompile extends Error {}

/**
 * The rule named by a file (YAML or compiled) or by its rule_id in dist-rules/ or rules/, and where it came
 * from (the artifact file when it was found in a directory of artifacts, for the staleness check).
 */
function findRule(spec: string): { artifact: RuleArtifact; from: string } {
  if (existsSync(spec)) {
    const set = loadRuleSet(spec);
    // Staleness is checked for the one rule explained, below; here only what kept rules out.
    for (const d of set.diagnostics) if (d.code !== 'compile/stale-artifact') process.stderr.write(`${formatDiagnosticText(d)}\n`);
    if (set.rules.length === 0) throw new RuleDoesNotCompile(`--rule: ${spec} has no rule that compiles (exit 1; the errors are above)`);
    if (set.rules.length > 1) throw new UsageError(`--rule: ${spec} holds ${set.rules.length} rules; name one file or a rule_id`);
    return { artifact: set.rules[0], from: spec };
  }
  for (const dir of ['dist-rules', 'rules']) {
    if (!existsSync(dir)) continue;
    const found = loadRuleSet(dir).rules.find((r) => r.rule.rule_id === spec || r.rule.name === spec);
    if (found) return { artifact: found, from: dir === 'dist-rules' ? join(dir, artifactName(found.source.file)) : found.source.file };
  }
  throw new UsageError(`--rule: "${spec}" is neither a file nor a rule_id or name in dist-rules/ or rules/`);
}

/** The exception items (by name, with their list) that match an event. */
function exceptedBy(artifact: RuleArtifact, event: unknown, now: number): { name: string; list_id?: string }[] {
  return (artifact.exceptions ?? []).filter((item) => linkPredicate(item.predicate, { now })(event)).map((item) => ({ name: item.name, ...(item.list_id ? { list_id: item.list_id } : {}) }));
}

/** Events from a JSON file (one event, or an array of events), an NDJSON file, or stdin (`-`). */
function readEvents(spec: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(spec === '-' ? 0 : spec, 'utf8');
  } catch (err) {
    throw new UsageError(`--event: cannot read ${spec} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const trimmed = text.trim();
  try {
    const whole: unknown = JSON.parse(trimmed);
    return Array.isArray(whole) ? whole : [whole];
  } catch {
    return trimmed.split(/\r?\n/).flatMap((line, i) => {
      if (line.trim() === '') return [];
      try {
        return [JSON.parse(line) as unknown];
      } catch (err) {
        throw new UsageError(`--event: ${spec}:${i + 1} is not JSON (${(err as Error).message})`);
      }
    });
  }
}

/** `ruleforge explain`: why a rule matched an event or not, node by node; for sequences, step by step. */
export function explainCommand(): Command {
  return new Command('explain')
    .description('show why a rule matches an event or not (for sequences: what each event did)')
    .requiredOption('--rule <file|rule_id>', 'a rule file (YAML or compiled JSON), or a rule_id or name in dist-rules/ or rules/')
    .requiredOption('--event <file|->', 'the event(s): a JSON object, a JSON array, or NDJSON; - reads stdin')
    .option('--constant <field=value>', 'a field the events get at index time (repeatable)', repeatable, [] as string[])
    .option('--now <instant>', 'the instant date math is relative to (ISO 8601)')
    .option('--max-pending <n>', 'sequences: the cap on pending partial sequences, as `run --max-pending`', '100000')
    .option('--mapping <file>', 'an Elasticsearch index mapping: null_value and custom date formats applied to the events first, as `run --mapping`')
    .option('--kibana-schedule', 'query and EQL rules: run on Kibana\'s executions, as `run --kibana-schedule` (changes what suppression folds)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--refuse-stale', 'exit 1 without explaining when the compiled rule is older than its rule file (default: warn)')
    .addHelpText('after', EXIT_CODES)
    .action(async (flags: { rule: string; event: string; constant: string[]; now?: string; maxPending: string; format: 'text' | 'json'; refuseStale?: boolean; kibanaSchedule?: boolean; mapping?: string }) => {
      if (!/^\d+$/.test(flags.maxPending)) throw new UsageError(`--max-pending: "${flags.maxPending}" is not a positive integer.`);
      let found;
      try {
        found = findRule(flags.rule);
      } catch (err) {
        if (!(err instanceof RuleDoesNotCompile)) throw err;
        process.stderr.write(`ruleforge: ${err.message}\n`);
        process.exitCode = 1;
        return;
      }
      const { artifact } = found;
      const stale = staleArtifactDiagnostics([artifact], [found.from], flags.refuseStale === true);
      for (const d of stale) process.stderr.write(`${formatDiagnosticText(d)}\n`);
      if (stale.length > 0 && flags.refuseStale) {
        process.exitCode = 1;
        return;
      }
      const constants = compileConstants(Object.fromEntries(flags.constant.map(parseConstant)));
      const indexed = indexTimeTransform(readMapping(flags.mapping));
      const events = readEvents(flags.event).map((e) => applyConstants(indexed ? indexed(e, flags.event) : e, constants));
      const now = parseNowFlag(flags.now) ?? Date.now();
      const header = `${artifact.rule.name} (${artifact.rule.rule_id})\n${artifact.query.trim()}\n`;
      // alert_suppression: the engine's own suppressor, traced, over the same events (`run` gives the same alerts).
      const suppressionOf = (run?: Parameters<typeof explainSuppression>[2]): SuppressionExplanation | undefined =>
        artifact.rule.alert_suppression ? explainSuppression(artifact, events, run ?? tracedRun(artifact, events, { now, ...(flags.kibanaSchedule ? { kibanaSchedule: true } : {}) })) : undefined;
      const suppressionText = (x: SuppressionExplanation | undefined): string => (x ? `\n${formatSuppressionExplanation(x)}\n` : '');
      if (artifact.rule.type === 'threshold' || artifact.rule.type === 'new_terms') {
        const x = explainAggregate(artifact, events, { now, warmup: 'none' });
        const sup = suppressionOf(x.run);
        if (flags.format === 'json') await writeOut(`${JSON.stringify({ rule: artifact.rule.rule_id, type: x.type, matched: x.matched, untimed: x.untimed, executions: x.type === 'threshold' ? x.threshold : x.newTerms, ...(sup ? { suppression: sup } : {}) })}\n`);
        else await writeOut(`${header}\n${formatAggregateExplanation(artifact, x)}\n${suppressionText(sup)}`);
        return;
      }
      if (artifact.ir.sequence) {
        const x = explainSequence(artifact.ir.sequence, events, { now, maxPending: Number(flags.maxPending), ...(artifact.rule.timestamp_field ? { timestampField: artifact.rule.timestamp_field } : {}) });
        const perEvent = events.map((e) => artifact.ir.sequence!.stages.map((s) => explainPredicate(s.predicate, e, { now })));
        // An excepted event is invisible to the whole sequence (Kibana filters it out of _eql/search).
        const excepted = events.map((e) => exceptedBy(artifact, e, now));
        const sup = suppressionOf();
        if (flags.format === 'json') await writeOut(`${JSON.stringify({ rule: artifact.rule.rule_id, steps: x.steps, alerts: x.alerts.map((a) => ({ join_keys: a.joinKeys })), stages: perEvent, ...(artifact.exceptions ? { excepted_by: excepted } : {}), ...(sup ? { suppression: sup } : {}) })}\n`);
        else {
          const stageText = perEvent.map((stages, i) => stages.map((n, s) => `event ${i + 1}, stage ${s + 1}:\n${formatExplanation(n, '  ')}`).join('\n')).join('\n');
          const exceptedText = excepted.flatMap((by, i) => (by.length > 0 ? [`event ${i + 1} is excepted by ${by.map((n) => `"${n.name}"${n.list_id ? ` of list ${n.list_id}` : ''}`).join(', ')}: no stage sees it`] : []));
          await writeOut(`${header}\n${formatSequenceExplanation(x)}\n${exceptedText.length > 0 ? `\n${exceptedText.join('\n')}\n` : ''}\n${stageText}\n${suppressionText(sup)}`);
        }
        return;
      }
      const explanations = events.map((e) => explainPredicate(artifact.ir.predicate, e, { now }));
      // Exceptions are folded into the condition; name the items that except each event.
      const excepting = events.map((e) => exceptedBy(artifact, e, now));
      const sup = suppressionOf();
      if (flags.format === 'json') await writeOut(`${JSON.stringify({ rule: artifact.rule.rule_id, events: explanations, ...(artifact.exceptions ? { excepted_by: excepting } : {}), ...(sup ? { suppression: sup } : {}) })}\n`);
      else await writeOut(`${header}\n${explanations.map((x, i) => `${events.length > 1 ? `event ${i + 1}: ` : ''}${x.pass ? 'MATCH' : 'NO MATCH'}${excepting[i].length > 0 ? ` (excepted by ${excepting[i].map((n) => `"${n.name}"${n.list_id ? ` of list ${n.list_id}` : ''}`).join(', ')})` : ''}\n${formatExplanation(x)}`).join('\n\n')}\n${suppressionText(sup)}`);
    });
}
