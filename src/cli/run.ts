import { Command, Option } from 'commander';
import { formatDiagnosticText } from '../diagnostics/format-text.js';
import { DEFAULT_MAX_LINE_BYTES, readNdjson, type NdjsonSkipReason } from '../io/ndjson.js';
import type { Alert } from '../runtime/alerts/alerts.js';
import { createEngine, type EngineStats, type SkipReason } from '../runtime/engine/engine.js';
import { DEFAULT_EVENT_LIMITS } from '../runtime/engine/event-shape.js';
import { eventInstant } from '../runtime/state/event-time.js';
import { parseNowFlag, repeatable, requireInputFiles, UsageError, writeOut } from './io.js';
import { loadRuleSet } from './rule-source.js';

interface RunFlags {
  rules?: string;
  constant: string[];
  format: 'json' | 'text';
  now?: string;
  lateness: string;
  maxPending: string;
  ingestedAtArrival?: boolean;
  progress?: boolean;
  partition?: string;
  maxLineBytes: string;
  maxEventDepth: string;
  maxEventValues: string;
  history: string[];
  kibanaSchedule?: boolean;
  newTermsWarmup?: string;
}

/** Why a line did not become an evaluated event: the reader's reasons and the engine's. */
export type LineSkipReason = NdjsonSkipReason | Exclude<SkipReason, 'notAnObject'>;

/** How the summary names each reason. */
const SKIP_LABELS: Record<LineSkipReason, string> = {
  malformedJson: 'malformed JSON',
  notAnObject: 'not a JSON object',
  tooLong: 'too long',
  invalidUtf8: 'invalid UTF-8',
  unreadable: 'unreadable input',
  tooDeep: 'nested too deep',
  tooLarge: 'too many values',
};

function positiveInteger(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new UsageError(`${flag}: "${text}" is not a positive integer.`);
  return Number(text);
}

/** `I/N` → partition I (0-based) of N. */
export function parsePartition(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) throw new UsageError(`--partition: expected I/N with 0 <= I < N (e.g. 0/4), got "${text}"`);
  return { index, count };
}

/** Parses `field=value`; numbers and booleans stay strings, as constant_keyword values are. */
export function parseConstant(spec: string): [string, string] {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new UsageError(`--constant: expected field=value, got "${spec}"`);
  return [spec.slice(0, eq), spec.slice(eq + 1)];
}

/** `5m`, `30s`, `1500ms`, `2h`, or plain milliseconds → ms. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`${flag}: "${text}" is not a duration (e.g. 30s, 5m, 1h)`);
  const unit = m[2] ?? 'ms';
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!;
}

const MAX_MALFORMED_SHOWN = 20;

/** One readable line per alert. */
function alertLine(a: Alert): string {
  const time = a['kibana.alert.original_time'] ?? a['@timestamp'];
  return `${time}  ${a['kibana.alert.severity'].padEnd(8)} ${a['kibana.alert.rule.name']}  ${a['kibana.alert.reason']}`;
}

/** The end-of-run summary printed on stderr. */
export function runSummary(stats: EngineStats, extra: { malformed: number; malformedShown: string[]; ms: number; origin: string; skipped?: Partial<Record<LineSkipReason, number>> }): string {
  const lines = [`ruleforge run: ${stats.events.toLocaleString('en-US')} events, ${stats.alerts.toLocaleString('en-US')} alerts from ${stats.rules.length} rule(s) (${extra.origin}) in ${(extra.ms / 1000).toFixed(2)} s (${Math.round(stats.events / Math.max(extra.ms / 1000, 1e-3)).toLocaleString('en-US')} events/s)`];
  for (const r of stats.rules) {
    const parts = [`${String(r.alerts).padStart(6)} alerts`, r.name];
    const notes = [r.pending ? `${r.pending} pending` : '', r.evicted ? `${r.evicted} evicted` : '', r.late ? `${r.late} late events` : '', r.untimed ? `${r.untimed} events without a timestamp` : '', r.keysTruncated ? `${r.keysTruncated} events with too many join key values` : ''].filter(Boolean);
    lines.push(`  ${parts.join('  ')}${notes.length ? ` (${notes.join(', ')})` : ''}`);
  }
  if (stats.lateEvents > 0) lines.push(`  ${stats.lateEvents} late event(s) arrived after the lateness window and were not matched; raise --lateness`);
  if (extra.malformed > 0) {
    // In a fixed order, so summaries of different runs compare line by line.
    const reasons = (Object.keys(SKIP_LABELS) as LineSkipReason[]).filter((r) => (extra.skipped?.[r] ?? 0) > 0).map((r) => `${extra.skipped![r]} ${SKIP_LABELS[r]}`);
    lines.push(`  ${extra.malformed} malformed line(s) skipped${reasons.length ? ` (${reasons.join(', ')})` : ''}:`);
    for (const m of extra.malformedShown) lines.push(`    ${m}`);
    if (extra.malformed > extra.malformedShown.length) lines.push(`    … and ${extra.malformed - extra.malformedShown.length} more`);
  }
  return `${lines.join('\n')}\n`;
}

/** `ruleforge run`: streams NDJSON events through the rules and prints alerts as NDJSON. */
export function runCommand(): Command {
  return new Command('run')
    .description('run rules over NDJSON events (files, .gz, or stdin) and print alerts')
    .option('--rules <path>', 'compiled rules (dist-rules/, a .json) or YAML rule files/directories (default: dist-rules/ if present, else rules/)')
    .option('--constant <field=value>', 'a field every event of this source has, as a data stream adds it (repeatable)', repeatable, [] as string[])
    .option('--ingested-at-arrival', 'set event.ingested to the time an event is read when it has none')
    .addOption(new Option('--format <format>', 'alert output format').choices(['json', 'text']).default('json'))
    .option('--now <instant>', 'the instant date math in queries is relative to (ISO 8601)')
    .option('--lateness <duration>', 'how far out of timestamp order sequence events may arrive', '5m')
    .option('--max-pending <n>', 'pending partial sequences kept per rule', '100000')
    .option('--no-progress', 'no progress line, even on a terminal')
    .option('--partition <I/N>', 'process only partition I (0-based) of N: join keys and events hashing to I')
    .option('--max-line-bytes <n>', 'skip (and report) input lines longer than this many bytes', String(DEFAULT_MAX_LINE_BYTES))
    .option('--max-event-depth <n>', 'skip (and report) events nested deeper than this many levels (at most 128)', String(DEFAULT_EVENT_LIMITS.maxDepth))
    .option('--max-event-values <n>', 'skip (and report) events holding more JSON values than this', String(DEFAULT_EVENT_LIMITS.maxValues))
    .option('--history <file>', 'NDJSON events before the input that only build rule state (new_terms history, threshold counts); no alert about them is printed (repeatable)', repeatable, [] as string[])
    .addOption(new Option('--new-terms-warmup <mode>', 'new_terms rules on a stream without history: learn (no alerts until a full history window was seen) or none (default: none with --history, else learn)').choices(['learn', 'none']))
    .option('--kibana-schedule', "query and single-event EQL rules also alert at their executions (every interval, at most max_signals each) as Kibana's would, instead of per event")
    .argument('[files...]', 'NDJSON files (.gz allowed); stdin when none or "-"')
    .action(async (files: string[], flags: RunFlags) => {
      const constants = Object.fromEntries(flags.constant.map(parseConstant));
      const now = parseNowFlag(flags.now);
      if (!/^\d+$/.test(flags.maxPending)) throw new UsageError(`--max-pending: "${flags.maxPending}" is not a positive integer.`);
      requireInputFiles(files);
      const latenessMs = parseDuration(flags.lateness, '--lateness');
      const partition = flags.partition !== undefined ? parsePartition(flags.partition) : undefined;
      const maxLineBytes = positiveInteger(flags.maxLineBytes, '--max-line-bytes');
      const maxEventDepth = positiveInteger(flags.maxEventDepth, '--max-event-depth');
      if (maxEventDepth > 128) throw new UsageError(`--max-event-depth: at most 128, got ${maxEventDepth}.`);
      const maxEventValues = positiveInteger(flags.maxEventValues, '--max-event-values');
      const ruleSet = loadRuleSet(flags.rules);
      for (const d of ruleSet.diagnostics) process.stderr.write(`${formatDiagnosticText(d)}\n`);
      if (ruleSet.rules.length === 0) {
        process.stderr.write(`ruleforge run: no rule could be loaded from ${ruleSet.origin}\n`);
        process.exitCode = 1;
        return;
      }
      const engine = createEngine(ruleSet.rules, {
        constants,
        ...(flags.ingestedAtArrival ? { ingestedAtArrival: true } : {}),
        ...(now !== undefined ? { now } : {}),
        latenessMs,
        maxPendingPerRule: Number(flags.maxPending),
        ...(partition ? { partition } : {}),
        maxEventDepth,
        maxEventValues,
        ...(flags.kibanaSchedule ? { kibanaSchedule: true } : {}),
        newTermsWarmup: (flags.newTermsWarmup ?? (flags.history.length > 0 ? 'none' : 'learn')) as 'learn' | 'none',
      });
      // History first: it moves the aggregating rules' time and state on; alerts about it are not printed.
      let historyEnd = Number.NEGATIVE_INFINITY;
      if (flags.history.length > 0) {
        requireInputFiles(flags.history);
        for await (const record of readNdjson(flags.history, { maxLineBytes })) {
          if (!record.ok) continue;
          engine.process(record.event);
          const ts = eventInstant(record.event, '@timestamp');
          if (ts > historyEnd) historyEnd = ts;
        }
      }
      const fresh = (alerts: Alert[]): Alert[] => (historyEnd === Number.NEGATIVE_INFINITY ? alerts : alerts.filter((a) => !(Date.parse(a['kibana.alert.original_time'] ?? '') <= historyEnd)));
      const render = flags.format === 'json' ? (a: Alert) => `${JSON.stringify(a)}\n` : (a: Alert) => `${alertLine(a)}\n`;
      const started = performance.now();
      const tty = flags.progress !== false && process.stderr.isTTY === true;
      let lastProgress = started;
      let malformed = 0;
      const malformedShown: string[] = [];
      const skipped: Partial<Record<LineSkipReason, number>> = {};
      const skip = (reason: LineSkipReason, where: string): void => {
        malformed++;
        skipped[reason] = (skipped[reason] ?? 0) + 1;
        if (malformedShown.length < MAX_MALFORMED_SHOWN) malformedShown.push(where);
      };
      let open = true;
      const emit = async (alerts: Alert[]): Promise<boolean> => {
        for (const a of alerts) if (!(await writeOut(render(a)))) return false;
        return true;
      };
      for await (const record of readNdjson(files, { maxLineBytes })) {
        if (!record.ok) {
          skip(record.reason, `${record.source}:${record.line}: ${record.error}`);
          continue;
        }
        const alerts = fresh(engine.process(record.event));
        const refused = engine.lastSkip();
        if (refused === 'tooDeep') skip(refused, `${record.source}:${record.line}: nested deeper than ${maxEventDepth} levels (skipped)`);
        else if (refused === 'tooLarge') skip(refused, `${record.source}:${record.line}: more than ${maxEventValues} JSON values (skipped)`);
        if (alerts.length > 0 && !(await emit(alerts))) {
          open = false;
          break;
        }
        if (tty && (engine.stats().events & 0x3ff) === 0) {
          const now = performance.now();
          if (now - lastProgress > 250) {
            lastProgress = now;
            const s = engine.stats();
            process.stderr.write(`\r  ${s.events.toLocaleString('en-US')} events  ${Math.round(s.events / ((now - started) / 1000)).toLocaleString('en-US')} events/s  ${s.alerts.toLocaleString('en-US')} alerts `);
          }
        }
      }
      if (open) await emit(fresh(engine.flush()));
      if (tty) process.stderr.write('\r\u001b[K');
      if (!open) return; // the reader went away (e.g. `| head`): end quietly
      process.stderr.write(runSummary(engine.stats(), { malformed, malformedShown, skipped, ms: performance.now() - started, origin: ruleSet.origin }));
      process.exitCode = ruleSet.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
    });
}
