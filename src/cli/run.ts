import { Command, Option } from 'commander';
import { formatDiagnosticText } from '../diagnostics/format-text.js';
import { DEFAULT_MAX_LINE_BYTES, type NdjsonSkipReason } from '../io/ndjson.js';
import { alertJson, type Alert } from '../runtime/alerts/alerts.js';
import { createEngine, type EngineStats, type SkipReason } from '../runtime/engine/engine.js';
import { DEFAULT_EVENT_LIMITS } from '../runtime/engine/event-shape.js';
import { eventInstant } from '../runtime/state/event-time.js';
import { readInputBatches, readInputs } from './input-files.js';
import { indexTimeTransform, readMapping } from './index-time-options.js';
import { BatchedOut, parseNowFlag, repeatable, UsageError } from './io.js';
import { ProgressLine } from './progress.js';
import { loadRuleSet } from './rule-source.js';
import { formatCount, plural } from '../diagnostics/wording.js';

interface RunFlags {
  rules?: string;
  constant: string[];
  format: 'json' | 'text';
  now?: string;
  lateness: string;
  maxPending: string;
  maxHeld: string;
  ingestedAtArrival?: boolean;
  progress?: boolean;
  refuseStale?: boolean;
  partition?: string;
  maxLineBytes: string;
  maxEventDepth: string;
  maxEventValues: string;
  history: string[];
  kibanaSchedule?: boolean;
  newTermsWarmup?: string;
  mapping?: string;
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

/** What a run summary reports besides the engine's figures. */
export interface RunSummaryExtra {
  malformed: number;
  malformedShown: string[];
  ms: number;
  origin: string;
  skipped?: Partial<Record<LineSkipReason, number>>;
  /** Rules (files) that could not be loaded; each was reported before the run. */
  ruleErrors?: number;
  /** Input files that could not be read at all; each was reported as it came up. */
  unreadableInputs?: string[];
}

/** The engine's figures less the alerts that were not printed (about `--history` events). */
export function printedOnly(stats: EngineStats, hidden: ReadonlyMap<string, number>): EngineStats {
  if (hidden.size === 0) return stats;
  let total = 0;
  const rules = stats.rules.map((r) => {
    const n = Math.min(hidden.get(r.ruleId) ?? 0, r.alerts);
    total += n;
    return n === 0 ? r : { ...r, alerts: r.alerts - n };
  });
  return { ...stats, alerts: stats.alerts - total, rules };
}

/** The end-of-run summary printed on stderr. */
export function runSummary(stats: EngineStats, extra: RunSummaryExtra): string {
  const rate = Math.round(stats.events / Math.max(extra.ms / 1000, 1e-3));
  const lines = [`ruleforge run: ${plural(stats.events, 'event')}, ${plural(stats.alerts, 'alert')} from ${plural(stats.rules.length, 'rule')} (${extra.origin}) in ${(extra.ms / 1000).toFixed(2)} s (${formatCount(rate)} events/s)`];
  const width = Math.max(6, ...stats.rules.map((r) => formatCount(r.alerts).length));
  for (const r of stats.rules) {
    const parts = [`${formatCount(r.alerts).padStart(width)} ${r.alerts === 1 ? 'alert ' : 'alerts'}`, r.name];
    const notes = [
      r.pending ? `${formatCount(r.pending)} pending` : '',
      r.evicted ? `${formatCount(r.evicted)} evicted` : '',
      r.late ? plural(r.late, 'late event') : '',
      r.releasedEarly ? `${plural(r.releasedEarly, 'event')} released early` : '',
      r.untimed ? `${plural(r.untimed, 'event')} without a timestamp` : '',
      r.keysTruncated ? `${plural(r.keysTruncated, 'event')} with too many join key values` : '',
      r.suppression?.suppressed ? `${formatCount(r.suppression.suppressed)} suppressed into them` : '',
    ].filter(Boolean);
    lines.push(`  ${parts.join('  ')}${notes.length ? ` (${notes.join(', ')})` : ''}`);
  }
  if (stats.lateEvents > 0) lines.push(`  ${plural(stats.lateEvents, 'late event')} arrived after the lateness window and ${stats.lateEvents === 1 ? 'was' : 'were'} not matched; raise --lateness`);
  if (stats.releasedEarly > 0) lines.push(`  ${plural(stats.releasedEarly, 'event')} left the lateness window before it closed (more than --max-held were held), so the window was shorter; raise --max-held`);
  if (extra.malformed > 0) {
    // In a fixed order, so summaries of different runs compare line by line.
    const reasons = (Object.keys(SKIP_LABELS) as LineSkipReason[]).filter((r) => (extra.skipped?.[r] ?? 0) > 0).map((r) => `${formatCount(extra.skipped![r]!)} ${SKIP_LABELS[r]}`);
    lines.push(`  ${plural(extra.malformed, 'malformed line')} skipped${reasons.length ? ` (${reasons.join(', ')})` : ''}:`);
    for (const m of extra.malformedShown) lines.push(`    ${m}`);
    if (extra.malformed > extra.malformedShown.length) lines.push(`    … and ${formatCount(extra.malformed - extra.malformedShown.length)} more`);
  }
  if (extra.ruleErrors) lines.push(`  ${plural(extra.ruleErrors, 'compiled rule')} could not be loaded (listed above)`);
  if (extra.unreadableInputs?.length) lines.push(`  ${plural(extra.unreadableInputs.length, 'input')} could not be read: ${extra.unreadableInputs.join(', ')}`);
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
    .option('--lateness <duration>', 'how far behind the newest event of the stream a sequence event may arrive and still be put in order', '5m')
    .option('--max-pending <n>', 'pending partial sequences kept per rule', '100000')
    .option('--max-held <n>', 'events a sequence rule\'s lateness window holds, and events set aside for the windows, before the oldest go early', '250000')
    .option('--refuse-stale', 'exit 1 without running when a compiled rule is older than its rule file (default: warn)')
    .option('--no-progress', 'no progress line, even on a terminal')
    .option('--partition <I/N>', 'process only partition I (0-based) of N: join keys, events, threshold buckets and new terms hashing to I')
    .option('--max-line-bytes <n>', 'skip (and report) input lines longer than this many bytes', String(DEFAULT_MAX_LINE_BYTES))
    .option('--max-event-depth <n>', 'skip (and report) events nested deeper than this many levels (at most 128)', String(DEFAULT_EVENT_LIMITS.maxDepth))
    .option('--max-event-values <n>', 'skip (and report) events holding more JSON values than this', String(DEFAULT_EVENT_LIMITS.maxValues))
    .option('--history <file>', 'NDJSON events before the input that only build rule state (new_terms history, threshold counts); no alert about them is printed (repeatable)', repeatable, [] as string[])
    .addOption(new Option('--new-terms-warmup <mode>', 'new_terms rules on a stream without history: learn (no alerts until a full history window was seen) or none (default: none with --history, else learn)').choices(['learn', 'none']))
    .option('--mapping <file>', 'an Elasticsearch index mapping (GET index/_mapping output): null_value and custom date formats are applied per index (by file name) before any rule sees an event')
    .option('--kibana-schedule', "query and single-event EQL rules also alert at their executions (every interval, at most max_signals each) as Kibana's would, instead of per event")
    .argument('[files...]', 'NDJSON files, plain or gzip (recognised by content); stdin when none or "-". Unreadable inputs are reported, the others still run, and the exit code is 1')
    .action(async (files: string[], flags: RunFlags) => {
      const constants = Object.fromEntries(flags.constant.map(parseConstant));
      const now = parseNowFlag(flags.now);
      if (!/^\d+$/.test(flags.maxPending)) throw new UsageError(`--max-pending: "${flags.maxPending}" is not a positive integer.`);
      const latenessMs = parseDuration(flags.lateness, '--lateness');
      const maxHeldEvents = positiveInteger(flags.maxHeld, '--max-held');
      const partition = flags.partition !== undefined ? parsePartition(flags.partition) : undefined;
      const maxLineBytes = positiveInteger(flags.maxLineBytes, '--max-line-bytes');
      const maxEventDepth = positiveInteger(flags.maxEventDepth, '--max-event-depth');
      if (maxEventDepth > 128) throw new UsageError(`--max-event-depth: at most 128, got ${maxEventDepth}.`);
      const maxEventValues = positiveInteger(flags.maxEventValues, '--max-event-values');
      // Index-time transforms reach every rule type: each event is indexed before the engine sees it.
      const indexed = indexTimeTransform(readMapping(flags.mapping));
      const originals = new WeakMap<object, unknown>();
      const asIndexed = (event: unknown, source: string): unknown => {
        if (!indexed) return event;
        const copy = indexed(event, source);
        if (copy !== event && typeof copy === 'object' && copy !== null) originals.set(copy, event);
        return copy;
      };
      // Alerts carry the events as they were written (Kibana copies _source), not the indexed copies.
      const restore = (alerts: Alert[]): Alert[] => {
        if (indexed) for (const a of alerts) a.events = a.events.map((e) => (typeof e === 'object' && e !== null ? (originals.get(e) ?? e) : e));
        return alerts;
      };
      const ruleSet = loadRuleSet(flags.rules, { refuseStale: flags.refuseStale === true });
      for (const d of ruleSet.diagnostics) process.stderr.write(`${formatDiagnosticText(d)}\n`);
      if (flags.refuseStale && ruleSet.diagnostics.some((d) => d.code === 'compile/stale-artifact')) {
        process.stderr.write('ruleforge run: refusing to run stale compiled rules (--refuse-stale); run `ruleforge compile` first\n');
        process.exitCode = 1;
        return;
      }
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
        maxHeldEvents,
        ...(partition ? { partition } : {}),
        maxEventDepth,
        maxEventValues,
        ...(flags.kibanaSchedule ? { kibanaSchedule: true } : {}),
        newTermsWarmup: (flags.newTermsWarmup ?? (flags.history.length > 0 ? 'none' : 'learn')) as 'learn' | 'none',
      });
      // History first: it moves the aggregating rules' time and state on; alerts about it are not printed.
      let historyEnd = Number.NEGATIVE_INFINITY;
      const unreadableInputs: string[] = [];
      // Alerts about history are not printed, so the summary does not count them either (per rule id).
      const hidden = new Map<string, number>();
      const hide = (alerts: readonly Alert[]): void => {
        for (const a of alerts) hidden.set(a['kibana.alert.rule.rule_id'], (hidden.get(a['kibana.alert.rule.rule_id']) ?? 0) + 1);
      };
      if (flags.history.length > 0) {
        for await (const record of readInputs(flags.history, { maxLineBytes })) {
          if (!record.ok) {
            // As for the inputs: a history file that cannot be read is reported, and the exit code says so.
            if (record.reason === 'unreadable') {
              process.stderr.write(`ruleforge run: cannot read history ${record.source}: ${record.error.replace(/^cannot read: /, '')}\n`);
              if (!unreadableInputs.includes(record.source)) unreadableInputs.push(record.source);
            }
            continue;
          }
          const event = asIndexed(record.event, record.source);
          hide(engine.process(event));
          const ts = eventInstant(event, '@timestamp');
          if (ts > historyEnd) historyEnd = ts;
        }
      }
      const fresh = (raised: Alert[]): Alert[] => {
        const alerts = restore(raised);
        if (historyEnd === Number.NEGATIVE_INFINITY) return alerts;
        const shown = alerts.filter((a) => !(Date.parse(a['kibana.alert.original_time'] ?? '') <= historyEnd));
        if (shown.length < alerts.length) hide(alerts.filter((a) => !shown.includes(a)));
        return shown;
      };
      const render = flags.format === 'json' ? (a: Alert) => `${alertJson(a)}\n` : (a: Alert) => `${alertLine(a)}\n`;
      const started = performance.now();
      const tty = flags.progress !== false && process.stderr.isTTY === true;
      const progress = tty ? new ProgressLine({ write: (t) => process.stderr.write(t), now: () => performance.now() }) : undefined;
      let malformed = 0;
      const malformedShown: string[] = [];
      const skipped: Partial<Record<LineSkipReason, number>> = {};
      const skip = (reason: LineSkipReason, where: string): void => {
        malformed++;
        skipped[reason] = (skipped[reason] ?? 0) + 1;
        if (malformedShown.length < MAX_MALFORMED_SHOWN) malformedShown.push(where);
      };
      let open = true;
      let seen = 0;
      const out = new BatchedOut(() => progress?.clear());
      const emit = async (alerts: Alert[]): Promise<boolean> => {
        for (const a of alerts) if (!(await out.write(render(a)))) return false;
        return true;
      };
      // A batch is the lines of one chunk of input: handing records over one by one costs about a parse each.
      reading: for await (const batch of readInputBatches(files, { maxLineBytes })) {
        for (const record of batch) {
          if (!record.ok) {
            if (record.reason === 'unreadable') {
              // A whole input that cannot be read is reported now; the others still run, and the exit code says so.
              progress?.clear();
              process.stderr.write(`ruleforge run: cannot read ${record.source}${record.line > 0 ? ` after line ${record.line}` : ''}: ${record.error.replace(/^cannot read: /, '')}\n`);
              if (!unreadableInputs.includes(record.source)) unreadableInputs.push(record.source);
              continue;
            }
            skip(record.reason, `${record.source}:${record.line}: ${record.error}`);
            continue;
          }
          const alerts = fresh(engine.process(asIndexed(record.event, record.source)));
          const refused = engine.lastSkip();
          if (refused === 'tooDeep') skip(refused, `${record.source}:${record.line}: nested deeper than ${maxEventDepth} levels (skipped)`);
          else if (refused === 'tooLarge') skip(refused, `${record.source}:${record.line}: more than ${maxEventValues} JSON values (skipped)`);
          if (alerts.length > 0 && !(await emit(alerts))) {
            open = false;
            break reading;
          }
          // Counted here: engine.stats() builds every rule's counters, far too much work for every event.
          if (progress && (++seen & 0x3ff) === 0) {
            const s = engine.stats();
            progress.update(s.events, s.alerts);
          }
        }
      }
      if (open && (await emit(fresh(engine.flush())))) await out.flush();
      progress?.clear();
      if (!open) return; // the reader went away (e.g. `| head`): end quietly
      process.stderr.write(runSummary(printedOnly(engine.stats(), hidden), { malformed, malformedShown, skipped, ms: performance.now() - started, origin: ruleSet.origin, ruleErrors: ruleSet.diagnostics.filter((d) => d.code === 'compile/artifact').length, unreadableInputs }));
      process.exitCode = ruleSet.diagnostics.some((d) => d.severity === 'error') || unreadableInputs.length > 0 ? 1 : 0;
    });
}
