import { Command, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { explainPredicate, formatExplanation } from '../explain/explain-event.js';
import { explainSequence, formatSequenceExplanation } from '../explain/explain-sequence.js';
import { explainAggregate, formatAggregateExplanation } from '../explain/explain-aggregate.js';
import type { RuleArtifact } from '../ir/artifact.js';
import { applyConstants, compileConstants } from '../runtime/engine/constants.js';
import { parseNowFlag, repeatable, UsageError, writeOut } from './io.js';
import { loadRuleSet } from './rule-source.js';
import { parseConstant } from './run.js';
import { formatDiagnosticText } from '../diagnostics/format-text.js';

/** The rule named by a file (YAML or compiled) or by its rule_id in dist-rules/ or rules/. */
function findRule(spec: string): RuleArtifact {
  if (existsSync(spec)) {
    const set = loadRuleSet(spec);
    for (const d of set.diagnostics) process.stderr.write(`${formatDiagnosticText(d)}\n`);
    if (set.rules.length === 0) throw new UsageError(`--rule: ${spec} has no rule that compiles`);
    if (set.rules.length > 1) throw new UsageError(`--rule: ${spec} holds ${set.rules.length} rules; name one file or a rule_id`);
    return set.rules[0];
  }
  for (const dir of ['dist-rules', 'rules']) {
    if (!existsSync(dir)) continue;
    const found = loadRuleSet(dir).rules.find((r) => r.rule.rule_id === spec || r.rule.name === spec);
    if (found) return found;
  }
  throw new UsageError(`--rule: "${spec}" is neither a file nor a rule_id or name in dist-rules/ or rules/`);
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
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (flags: { rule: string; event: string; constant: string[]; now?: string; maxPending: string; format: 'text' | 'json' }) => {
      if (!/^\d+$/.test(flags.maxPending)) throw new UsageError(`--max-pending: "${flags.maxPending}" is not a positive integer.`);
      const artifact = findRule(flags.rule);
      const constants = compileConstants(Object.fromEntries(flags.constant.map(parseConstant)));
      const events = readEvents(flags.event).map((e) => applyConstants(e, constants));
      const now = parseNowFlag(flags.now) ?? Date.now();
      const header = `${artifact.rule.name} (${artifact.rule.rule_id})\n${artifact.query.trim()}\n`;
      if (artifact.rule.type === 'threshold' || artifact.rule.type === 'new_terms') {
        const x = explainAggregate(artifact, events, { now, warmup: 'none' });
        if (flags.format === 'json') await writeOut(`${JSON.stringify({ rule: artifact.rule.rule_id, type: x.type, matched: x.matched, untimed: x.untimed, executions: x.type === 'threshold' ? x.threshold : x.newTerms })}\n`);
        else await writeOut(`${header}\n${formatAggregateExplanation(artifact, x)}\n`);
        return;
      }
      if (artifact.ir.sequence) {
        const x = explainSequence(artifact.ir.sequence, events, { now, maxPending: Number(flags.maxPending), ...(artifact.rule.timestamp_field ? { timestampField: artifact.rule.timestamp_field } : {}) });
        const perEvent = events.map((e) => artifact.ir.sequence!.stages.map((s) => explainPredicate(s.predicate, e, { now })));
        if (flags.format === 'json') await writeOut(`${JSON.stringify({ rule: artifact.rule.rule_id, steps: x.steps, alerts: x.alerts.map((a) => ({ join_keys: a.joinKeys })), stages: perEvent })}\n`);
        else {
          const stageText = perEvent.map((stages, i) => stages.map((n, s) => `event ${i + 1}, stage ${s + 1}:\n${formatExplanation(n, '  ')}`).join('\n')).join('\n');
          await writeOut(`${header}\n${formatSequenceExplanation(x)}\n\n${stageText}\n`);
        }
        return;
      }
      const explanations = events.map((e) => explainPredicate(artifact.ir.predicate, e, { now }));
      if (flags.format === 'json') await writeOut(`${JSON.stringify({ rule: artifact.rule.rule_id, events: explanations })}\n`);
      else await writeOut(`${header}\n${explanations.map((x, i) => `${events.length > 1 ? `event ${i + 1}: ` : ''}${x.pass ? 'MATCH' : 'NO MATCH'}\n${formatExplanation(x)}`).join('\n\n')}\n`);
    });
}
