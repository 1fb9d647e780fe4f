/**
 * The engine: a set of compiled rules applied to a stream of events. Each event is stamped with the
 * source's constant fields, dispatched to the rules that could match it, and turned into alerts shaped
 * like Kibana's. Sequence state is bounded per rule; samples are decided at `flush()`.
 */
import type { RuleArtifact } from '../../ir/artifact.js';
import type { IrPredicate } from '../../ir/types.js';
import { buildAlert, hash128, safeJson, type Alert } from '../alerts/alerts.js';
import { applyConstants, compileConstants, type ConstantFields } from './constants.js';
import { DispatchIndex, findAnchors, libraryCommonness } from './dispatch.js';
import { eventInstant, instantOfValue } from '../state/event-time.js';
import { checkEvent, DEFAULT_EVENT_LIMITS, type EventLimits, type SkipReason } from './event-shape.js';
import { FieldTable } from './field-table.js';
import { compileTableMatcher, foldCache, tableFields } from './rule-code.js';
import { compilePath, hasScalar, MAX_WALK_DEPTH, type CompiledPath } from '../match/field-access.js';
import { linkPredicate, type Matcher } from '../match/link.js';
import { findSamples } from '../state/sample.js';
import { HIT_UNKNOWN, SequenceRunner, StreamClock, type SequenceMatch } from '../state/sequence.js';
import { OPEN_LOG_MAX_FILTERS, OpenLog } from './open-log.js';
import { createSuppressor, type AlertSuppressor } from '../state/suppression.js';
// Issue 16 hook: threshold and new_terms rules run in their own module.
import { flushAggregate, isAggregateRule, linkAggregate, pushAggregate, tickAggregate, type AggregateOptions, type AggregateState } from './aggregate-rules.js';

export interface EngineOptions extends AggregateOptions {
  /**
   * Fields every event of this source carries, as an Elasticsearch data stream adds them at index time
   * (`data_stream.dataset`, `event.dataset`, `event.module`): set on events that lack them.
   */
  constants?: ConstantFields;
  /** Set `event.ingested` to the arrival time on events that lack it, as the ingest pipeline does. */
  ingestedAtArrival?: boolean;
  /** The instant date math in queries is relative to (epoch ms; default: when the rules are linked). */
  now?: number;
  /** Pending partial sequences kept per rule before the oldest are evicted (default 100,000). */
  maxPendingPerRule?: number;
  /** Events held per sample rule until `flush()` (default 100,000; later events are counted as dropped). */
  maxSampleEvents?: number;
  /** Accept sequence events up to this many ms out of timestamp order (default 0). */
  latenessMs?: number;
  /**
   * With `latenessMs`: most events a sequence rule's window holds, and most events the engine sets aside for
   * the windows (default 250,000 each). Past that the oldest are let go before their window closes, and events
   * before their time count as late (`releasedEarly` in the stats).
   */
  maxHeldEvents?: number;
  /** Use the dispatch index (default true); false evaluates every rule for every event. */
  useIndex?: boolean;
  /**
   * Cache per field what the dispatch index found for each value (default true): bounded per field, and turned
   * off by itself for fields whose values rarely repeat. False probes every value afresh.
   */
  dispatchMemo?: boolean;
  /** Measure time spent per rule (default false: a clock read per evaluation is not free). */
  timing?: boolean;
  /**
   * Measure where each event's time goes (walk, dispatch, rule code, sequence and sample state, alerts), in
   * `stats().profile` (default false: four clock reads per event).
   */
  profile?: boolean;
  /** The clock for alerts' `@timestamp` (default `Date.now`). */
  clock?: () => number;
  /**
   * Run as partition `index` of `count` (0-based), for scaling out over processes that each see the whole
   * stream: sequence and sample rules keep only the join keys that hash to this partition; threshold rules the
   * buckets (threshold.field values) and new_terms rules the new term combinations (with alert_suppression: the
   * suppression groups) that hash here; scheduled query rules run in partition 0; other rules evaluate only the
   * events whose routing key (see `process`) hashes here. Together the `count` engines raise exactly the alerts
   * one engine would, unless an execution of an aggregating rule reaches max_signals (its cap is global).
   */
  partition?: { index: number; count: number };
  /**
   * Events nested deeper than this many levels of objects and arrays (the event itself is level 1) are skipped
   * and counted in `stats().skipped.tooDeep` (default 64, at most 128).
   */
  maxEventDepth?: number;
  /**
   * Events holding more JSON values than this (objects, arrays, elements and property values together) are
   * skipped and counted in `stats().skipped.tooLarge` (default 100,000).
   */
  maxEventValues?: number;
}

export type { SkipReason } from './event-shape.js';

/** Events `process` refused without evaluating any rule, by reason. */
export type SkipCounts = Record<SkipReason, number>;

/** 32-bit FNV-1a: a stable hash for assigning keys to partitions (the same in every process). */
export function partitionOf(key: string, count: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % count;
}

/** Per-rule counters. */
export interface RuleStats {
  ruleId: string;
  name: string;
  evaluations: number;
  alerts: number;
  timeMs?: number;
  pending?: number;
  evicted?: number;
  late?: number;
  /** With a lateness window: events let go before their window closed, because it held `maxHeldEvents`. */
  releasedEarly?: number;
  /** Sequence events that could change the rule's state but have no readable timestamp (skipped by that rule). */
  untimed?: number;
  /** Sequence events whose join key values made more key tuples than the per-event cap (the rest dropped). */
  keysTruncated?: number;
  /** alert_suppression: alerts waiting for their window to close, and candidates folded into another alert. */
  suppression?: { open: number; suppressed: number; capped?: number };
}

/** Counters for the whole engine. */
export interface EngineStats {
  events: number;
  alerts: number;
  /** Rule evaluations (one per rule an event was dispatched to). */
  evaluations: number;
  rules: RuleStats[];
  pendingPartials: number;
  evictions: number;
  lateEvents: number;
  /**
   * With a lateness window: events let go before their window closed because more than `maxHeldEvents` were
   * held, by a rule's window or from the events the engine set aside.
   */
  releasedEarly: number;
  /** Rules without an index anchor, evaluated for every event. */
  unanchoredRules: number;
  /** Events skipped before any rule saw them (not an object, nested too deep, too many values); not in `events`. */
  skipped: SkipCounts;
  /** Fields in the per-event field table (every field a rule's code or the index reads). */
  tableFields: number;
  /** With the `profile` option: milliseconds spent per stage of the per-event path. */
  profile?: EngineProfile;
}

/** Where the engine's time went (the `profile` option), in milliseconds. */
export interface EngineProfile {
  /** The walk that admits the event and fills the field table. */
  walk: number;
  /** Finding the candidate rules. */
  dispatch: number;
  /** Evaluating candidates' conditions, alerts of event rules included. */
  rules: number;
  /** Sequence and sample state (join keys, partials), their alerts included. */
  state: number;
}

interface LiveRule {
  artifact: RuleArtifact;
  /** Unique among the rules an engine ever linked (an OpenLog names rules by it). */
  serial: number;
  /** The IR as JSON, to recognise an unchanged rule when the rule set is swapped. */
  identity: string;
  matcher: Matcher;
  runner?: SequenceRunner;
  /** Sequences: one matcher per filter (stages in order, then `until`), and the hits of the current event. */
  filters?: Matcher[];
  hits?: Uint8Array;
  /** Sequences: per filter, 1 when the dispatch index found the current event may meet it (all 1 without an index). */
  admitted?: Uint8Array;
  /** Sequences: the dispatch target of the rule's first filter (its filters' targets follow in order). */
  firstTarget?: number;
  sampleEvents?: unknown[];
  timestamp?: CompiledPath;
  /** The timestamp field's place in the engine's per-event time cache. */
  timeSlot?: number;
  /** Sequences with a lateness window: their timestamp field's stream time and log of noted events. */
  timeField?: TimeField;
  tiebreaker?: CompiledPath;
  /** alert_suppression (src/runtime/state/suppression.ts): the rule's alerts pass through it. */
  suppressor?: AlertSuppressor;
  stats: RuleStats;
  /** Threshold and new_terms rules (issue 16 hook). */
  aggregate?: AggregateState;
}

/** A running rule set. */
export interface Engine {
  /**
   * Evaluates one event; returns the alerts it completed (in rule load order). `routingKey` places the event
   * in a partition for rules without join keys (e.g. its raw NDJSON line); without it, its JSON text is used.
   */
  process(event: unknown, arrival?: number, routingKey?: string): Alert[];
  /** Why the last event given to `process` was skipped (see `EngineOptions.maxEventDepth`), or undefined. */
  lastSkip(): SkipReason | undefined;
  /** Ends the input: pending sequences that can still complete (missing-event stages) and samples. */
  flush(): Alert[];
  stats(): EngineStats;
  /** Replaces the rule set; rules whose rule_id and logic are unchanged keep their sequence state. */
  setRules(rules: readonly RuleArtifact[]): void;
  /** The rules loaded, in order. */
  rules(): readonly RuleArtifact[];
}

const alwaysOwned = (): boolean => true;

/** With a lateness window, one timestamp field sequences order by: the stream's time in it, and the events noted. */
interface TimeField {
  clock: StreamClock;
  /** The newest time before the current event's. */
  before: number;
  log: OpenLog;
  /** Its place in the engine's per-event time cache, and the path read. */
  slot: number;
  path: CompiledPath;
}

let serials = 0;

/** Creates an engine over compiled rule artifacts. */
export function createEngine(rules: readonly RuleArtifact[], options: EngineOptions = {}): Engine {
  const now = options.now ?? Date.now();
  const clock = options.clock ?? Date.now;
  const constants = compileConstants(options.constants ?? {});
  const stampsEvents = constants.list.length > 0 || options.ingestedAtArrival === true;
  const reorders = options.latenessMs !== undefined && options.latenessMs > 0;
  const useIndex = options.useIndex !== false;
  const partition = options.partition;
  if (partition && !(Number.isInteger(partition.count) && partition.count >= 1 && Number.isInteger(partition.index) && partition.index >= 0 && partition.index < partition.count)) {
    throw new RangeError(`partition ${partition.index}/${partition.count}: the index must be an integer from 0 to count - 1`);
  }
  const ownsKey = partition && partition.count > 1 ? (key: string) => partitionOf(key, partition.count) === partition.index : undefined;
  let live: LiveRule[] = [];
  let table = new FieldTable([]);
  let index = new DispatchIndex([], table);
  let aggregates: LiveRule[] = [];
  /** Per dispatch target: the rule's position in `live`, and the sequence filter it stands for (-1: the whole rule). */
  let targetRule = new Int32Array(0);
  let targetFilter = new Int32Array(0);
  /**
   * Per target, 0 when the event could not be used now: a later stage of a sequence no partial waits for. Only a
   * push to the rule's runner makes a stage live, so it is refreshed after each; it may lag behind a partial
   * that expired (then the stage is evaluated for nothing, never skipped wrongly). `until` targets stay 1: an
   * event that opens a partial may also end it.
   */
  let targetEnabled = new Uint8Array(0);
  let unanchoredRules = 0;
  const refreshLive = (rule: LiveRule): void => {
    // With a reorder window a stage's liveness is only forecast: every target stays on, so that a filter the
    // forecast skips is known to be admitted (left open for the runner) or not (0).
    if (reorders) return;
    const hits = rule.hits!;
    rule.runner!.liveFilters(hits);
    const stages = rule.runner!.stageCount;
    for (let f = 0; f < stages; f++) targetEnabled[rule.firstTarget! + f] = hits[f];
  };
  const totals = { events: 0, alerts: 0, evaluations: 0 };
  const limits: EventLimits = {
    maxDepth: options.maxEventDepth ?? DEFAULT_EVENT_LIMITS.maxDepth,
    maxValues: options.maxEventValues ?? DEFAULT_EVENT_LIMITS.maxValues,
  };
  // Every walk over an event is bounded by MAX_WALK_DEPTH; admitting deeper events would hide their depths.
  if (!(Number.isInteger(limits.maxDepth) && limits.maxDepth >= 1 && limits.maxDepth <= MAX_WALK_DEPTH)) {
    throw new RangeError(`maxEventDepth ${limits.maxDepth}: expected an integer from 1 to ${MAX_WALK_DEPTH}`);
  }
  if (!(Number.isInteger(limits.maxValues) && limits.maxValues >= 1)) throw new RangeError(`maxEventValues ${limits.maxValues}: expected a positive integer`);
  const skipped: SkipCounts = { notAnObject: 0, tooDeep: 0, tooLarge: 0 };
  let lastSkip: SkipReason | undefined;
  const profile: EngineProfile | undefined = options.profile ? { walk: 0, dispatch: 0, rules: 0, state: 0 } : undefined;

  const link = (artifact: RuleArtifact, previous: Map<string, LiveRule>): LiveRule => {
    const r = artifact.rule;
    // Suppression settings are part of a rule's state, and so are an aggregating rule's schedule and grouping:
    // changing them starts the rule afresh. Kept as a 128-bit hash: the texts are ~2 KB a rule.
    const identity = hash128(
      JSON.stringify(artifact.ir) +
      (r.alert_suppression ? JSON.stringify(r.alert_suppression) : '') +
      // A sequence or sample orders its events by these fields: another field is another state.
      (artifact.ir.sequence || artifact.ir.sample ? JSON.stringify([r.timestamp_field ?? null, r.tiebreaker_field ?? null]) : '') +
      (isAggregateRule(artifact, options) ? JSON.stringify([r.type, r.interval, r.from, r.to, r.max_signals, r.timestamp_override, r.threshold, r.new_terms_fields, r.history_window_start]) : ''),
    );
    const kept = previous.get(artifact.rule.rule_id);
    if (kept && kept.identity === identity) {
      kept.artifact = artifact;
      kept.stats.name = artifact.rule.name;
      return kept;
    }
    const rule: LiveRule = {
      artifact,
      serial: serials++,
      identity,
      // Replaced by code over the field table once the whole rule set's table is known (see setRules).
      matcher: () => false,
      stats: { ruleId: artifact.rule.rule_id, name: artifact.rule.name, evaluations: 0, alerts: 0, ...(options.timing ? { timeMs: 0 } : {}) },
    };
    if (artifact.ir.sequence || artifact.ir.sample) {
      rule.timestamp = compilePath(artifact.rule.timestamp_field ?? '@timestamp');
      if (artifact.rule.tiebreaker_field) rule.tiebreaker = compilePath(artifact.rule.tiebreaker_field);
      rule.stats.untimed = 0;
    }
    if (artifact.ir.sequence) {
      rule.runner = new SequenceRunner(artifact.ir.sequence, {
        now,
        // The engine gives the runner each event's stage hits from its own rule code; the runner tests a stage
        // itself only where a hit stayed open (a lateness window), so plain closures serve: a third of the memory.
        codegen: false,
        ...(options.maxPendingPerRule !== undefined ? { maxPending: options.maxPendingPerRule } : {}),
        ...(reorders ? { latenessMs: options.latenessMs, streamClock: timeFieldOf(rule.timestamp!.path).clock, maxHeld: maxHeld } : {}),
        ...(ownsKey ? { ownsKey } : {}),
      });
    }
    if (artifact.ir.sample) rule.sampleEvents = [];
    if (isAggregateRule(artifact, options)) {
      // Issue 16 hook: an aggregating rule's suppressor knows its executions, so it comes with its runner.
      // Partitioned: threshold and new_terms rules split their buckets / terms by key (see linkAggregate).
      rule.aggregate = linkAggregate(artifact, options, ownsKey ? { ownsKey, first: partition!.index === 0 } : undefined);
      if (rule.aggregate.suppressor) rule.suppressor = rule.aggregate.suppressor;
    } else {
      const suppressor = createSuppressor(artifact.rule, artifact.ir.sequence !== undefined || artifact.ir.sample !== undefined, undefined, options.trace?.suppression); // issue 16 hook (explain's trace)
      if (suppressor) rule.suppressor = suppressor;
    }
    return rule;
  };

  // ── alert suppression hook ─────────────────────────────────────────────────────────────────────────────
  // Every alert a rule raises goes through `emit`; rules with alert_suppression hold theirs in their suppressor
  // until the window closes (`releaseSuppressed`, per event, and at flush). Alerts still held by a rule that
  // `setRules` replaced or removed come out with the next `process` or `flush`.
  let suppressing: LiveRule[] = [];
  let orphaned: Alert[] = [];
  const count = (rule: LiveRule, alerts: readonly Alert[], out: Alert[]): void => {
    for (const a of alerts) {
      out.push(a);
      rule.stats.alerts++;
      totals.alerts++;
    }
  };
  const emit = (rule: LiveRule, alert: Alert, out: Alert[]): void => count(rule, rule.suppressor ? rule.suppressor.offer(alert) : [alert], out);
  const releaseSuppressed = (event: unknown, out: Alert[]): void => {
    if (orphaned.length > 0) {
      out.push(...orphaned);
      orphaned = [];
    }
    for (const rule of suppressing) count(rule, rule.suppressor!.advance(event), out);
  };
  // ────────────────────────────────────────────────────────────────────────────────────────────────────────

  // Sequence rules mostly share one timestamp field: its instant is read once per event, not once per rule.
  const timePaths = new Map<string, number>();
  let timeEpochs = new Int32Array(1);
  let times = new Float64Array(1);
  /** Per time slot, the field table's slot of the same path (-1: none). */
  let timeTableSlots = new Int32Array(1).fill(-1);
  const instantAt = (slot: number, path: CompiledPath, event: unknown): number => {
    if (timeEpochs[slot] === table.epoch) return times[slot];
    timeEpochs[slot] = table.epoch;
    // The table holds the field's values already: one value is the first readValues would give.
    const s = timeTableSlots[slot];
    return (times[slot] = s >= 0 && table.more[s] === undefined ? instantOfValue(table.first[s]) : eventInstant(event, path));
  };
  const instantOf = (rule: LiveRule, event: unknown): number => instantAt(rule.timeSlot!, rule.timestamp!, event);
  /** A sequence's tiebreaker for the event, when it has a field and the event a readable value. */
  const tiebreakerOf = (rule: LiveRule, event: unknown): number | undefined => {
    const tb = rule.tiebreaker ? eventInstant(event, rule.tiebreaker) : undefined;
    return tb !== undefined && !Number.isNaN(tb) ? tb : undefined;
  };
  /**
   * With a lateness window, the stream's newest time per timestamp field: every processed event moves it, so a
   * sequence's lateness is measured against the whole stream. Kept across `setRules`, with the fields in use.
   */
  const streamClocks = new Map<string, TimeField>();
  let clocksInUse: TimeField[] = [];
  const timeFieldOf = (path: string): TimeField => {
    let c = streamClocks.get(path);
    if (!c) streamClocks.set(path, (c = { clock: new StreamClock(), before: -Infinity, log: new OpenLog(), slot: 0, path: compilePath(path) }));
    return c;
  };
  /** Counts the events processed: their arrival order, which runners with a lateness window order ties by. */
  let arrivals = 0;
  const maxHeld = options.maxHeldEvents ?? 250_000;
  if (!(Number.isInteger(maxHeld) && maxHeld >= 1)) throw new RangeError(`maxHeldEvents ${maxHeld}: expected a positive integer`);
  /** Events set aside for the windows and dropped early (see `maxHeldEvents`). */
  let droppedNotes = 0;

  const setRules = (artifacts: readonly RuleArtifact[]): void => {
    const previous = new Map(live.map((r) => [r.artifact.rule.rule_id, r]));
    const next = artifacts.map((a) => link(a, previous));
    // Each rule's conditions are chosen knowing the library: a value hundreds of rules test is a poor anchor.
    const common = useIndex ? libraryCommonness(next.map((r) => r.artifact.ir.predicate)) : undefined;
    // Dispatch targets: a rule, or each filter of a sequence (its stages, then `until`), so that an event reaches
    // a sequence through the stages it can fill, not through any stage of the rule.
    const ruleOfTarget: number[] = [];
    const filterOfTarget: number[] = [];
    const anchors: (ReturnType<typeof findAnchors> | undefined)[] = [];
    next.forEach((r, i) => {
      const sequence = r.artifact.ir.sequence;
      const filters = sequence && !r.aggregate ? [...sequence.stages, ...(sequence.until ? [sequence.until] : [])].map((stage) => stage.predicate) : [r.artifact.ir.predicate];
      if (sequence && !r.aggregate) r.firstTarget = ruleOfTarget.length;
      filters.forEach((predicate, f) => {
        ruleOfTarget.push(i);
        filterOfTarget.push(sequence && !r.aggregate ? f : -1);
        anchors.push(common ? findAnchors(predicate, 5, common) : undefined);
      });
    });
    // One table for the whole rule set: every field some rule's code or the index reads gets a slot.
    const fields = new Set<string>();
    for (const r of next) {
      tableFields(r.artifact.ir.predicate, fields);
      const sequence = r.artifact.ir.sequence;
      if (sequence) for (const stage of [...sequence.stages, ...(sequence.until ? [sequence.until] : [])]) tableFields(stage.predicate, fields);
    }
    for (const list of anchors) for (const a of list ?? []) for (const atom of a.atoms) fields.add(atom.field);
    // Sequences and samples read their timestamp field for every event they take (with a lateness window, for all).
    for (const r of next) if (r.timestamp) fields.add(r.timestamp.path);
    const nextTable = new FieldTable(fields);
    const fold = foldCache(nextTable);
    // Where code generation is unavailable (a Content-Security-Policy), closures over the event do the same.
    const compile = (p: IrPredicate): Matcher => compileTableMatcher(p, nextTable, fold, hasScalar, now) ?? linkPredicate(p, { now, codegen: false });
    timePaths.clear();
    // Rules with the same condition (copies, building blocks) share one evaluation per event.
    const byCondition = new Map<string, LiveRule[]>();
    for (const r of next) {
      if (r.artifact.ir.sequence || r.artifact.ir.sample) continue;
      const key = JSON.stringify(r.artifact.ir.predicate);
      const group = byCondition.get(key);
      if (group) group.push(r);
      else byCondition.set(key, [r]);
    }
    const shared = new Map<LiveRule, Matcher>();
    for (const group of byCondition.values()) {
      if (group.length < 2) continue;
      const m = compile(group[0].artifact.ir.predicate);
      let epoch = -1;
      let result = false;
      const once: Matcher = (e) => {
        if (epoch !== nextTable.epoch) {
          epoch = nextTable.epoch;
          result = m(e);
        }
        return result;
      };
      for (const r of group) shared.set(r, once);
    }
    for (const r of next) {
      r.matcher = shared.get(r) ?? compile(r.artifact.ir.predicate);
      const sequence = r.artifact.ir.sequence;
      if (sequence) {
        // Each filter on its own, so the runner is told which stages an event fills instead of re-testing them.
        r.filters = [...sequence.stages, ...(sequence.until ? [sequence.until] : [])].map((stage) => compile(stage.predicate));
        r.hits = new Uint8Array(r.filters.length);
        r.admitted = new Uint8Array(r.filters.length).fill(1);
      }
      if (r.timestamp) {
        const path = r.timestamp.path;
        if (!timePaths.has(path)) timePaths.set(path, timePaths.size);
        r.timeSlot = timePaths.get(path);
      }
    }
    timeEpochs = new Int32Array(Math.max(1, timePaths.size)).fill(-1);
    times = new Float64Array(Math.max(1, timePaths.size));
    timeTableSlots = new Int32Array(Math.max(1, timePaths.size)).fill(-1);
    for (const [path, slot] of timePaths) timeTableSlots[slot] = nextTable.slotOf(path) ?? -1;
    const clocked = new Set<TimeField>();
    for (const r of next) {
      if (!reorders || !r.runner) continue;
      r.timeField = timeFieldOf(r.timestamp!.path);
      r.timeField.slot = r.timeSlot!;
      clocked.add(r.timeField);
    }
    clocksInUse = [...clocked];
    // Alerts still held by a rule that is replaced or removed come out with the next `process` or `flush`.
    const kept = new Set(next);
    for (const old of previous.values()) {
      if (old.suppressor && !kept.has(old)) {
        const held = old.suppressor.flush();
        old.stats.alerts += held.length;
        totals.alerts += held.length;
        orphaned.push(...held);
      }
    }
    suppressing = next.filter((r) => r.suppressor !== undefined);
    aggregates = next.filter((r) => r.aggregate); // issue 16 hook
    live = next;
    table = nextTable;
    targetRule = Int32Array.from(ruleOfTarget);
    targetFilter = Int32Array.from(filterOfTarget);
    targetEnabled = new Uint8Array(ruleOfTarget.length).fill(1);
    // Kept rules keep their partials: their stages are live as their runners say.
    for (const r of next) if (r.firstTarget !== undefined) refreshLive(r);
    index = new DispatchIndex(anchors, table, fold, { memo: options.dispatchMemo !== false, enabled: targetEnabled });
    unanchoredRules = new Set(index.unanchoredTargets().map((t) => ruleOfTarget[t])).size;
  };
  setRules(rules);

  const sequenceAlerts = (rule: LiveRule, matches: readonly SequenceMatch[], out: Alert[]): void => {
    for (const m of matches) emit(rule, buildAlert(rule.artifact, m.events, clock(), m.joinKeys), out);
  };

  /** Feeds an event that passed a sequence or sample rule's stage filter to its state. */
  const feedState = (rule: LiveRule, event: unknown, out: Alert[]): void => {
    if (rule.runner) {
      const ts = instantOf(rule, event);
      if (Number.isNaN(ts)) {
        rule.stats.untimed!++;
        return;
      }
      if (reorders) takeNoted(rule, ts);
      sequenceAlerts(rule, rule.runner.push(event, ts, tiebreakerOf(rule, event), rule.hits, reorders ? arrivals : undefined), out);
      if (rule.firstTarget !== undefined) refreshLive(rule);
      return;
    }
    if (rule.sampleEvents!.length < (options.maxSampleEvents ?? 100_000)) rule.sampleEvents!.push(event);
  };

  /**
   * Sets a sequence's `hits` for the event: a filter is evaluated only where the index admitted the event to it
   * and the state can use it now (a later stage no partial waits for cannot). With a reorder window, an
   * admitted filter the runner's forecast skips is left HIT_UNKNOWN for the runner to test if it turns out
   * live. Whether the runner needs the event; an evaluation is counted only when some filter ran.
   */
  const sequenceHits = (rule: LiveRule, event: unknown): boolean => {
    const filters = rule.filters!;
    const hits = rule.hits!;
    const admitted = rule.admitted!;
    const runner = rule.runner!;
    runner.liveFilters(hits, reorders ? instantOf(rule, event) : undefined);
    const untilAt = runner.filterCount > runner.stageCount ? filters.length - 1 : -1;
    const untilLive = untilAt >= 0 && hits[untilAt] === 1;
    let ran = false;
    let open = false;
    for (let i = 0; i < filters.length; i++) {
      if (admitted[i] === 0) hits[i] = 0;
      else if (hits[i] === 1) ran = true;
      else if (reorders) {
        hits[i] = HIT_UNKNOWN;
        open = true;
      }
    }
    if (!ran) return open && !noteOpen(rule, event, hits);
    rule.stats.evaluations++;
    totals.evaluations++;
    let any = 0;
    for (let i = 0; i < filters.length; i++) if (hits[i] === 1) any |= hits[i] = filters[i](event) ? 1 : 0;
    // `until` also ends a partial its own event has just opened: with a stage hit, it counts after all.
    if (untilAt >= 0 && !untilLive && any === 1 && admitted[untilAt] === 1) hits[untilAt] = filters[untilAt](event) ? 1 : 0;
    return any === 1 || open;
  };

  /**
   * Notes an event only open filters of a sequence could take (see open-log.ts) instead of pushing it; false
   * when it must be pushed after all (untimed: `feedState` counts it; too many filters for the log's bits).
   */
  const noteOpen = (rule: LiveRule, event: unknown, hits: Uint8Array): boolean => {
    if (hits.length > OPEN_LOG_MAX_FILTERS) return false;
    const ts = instantOf(rule, event);
    if (Number.isNaN(ts)) return false;
    const field = rule.timeField!;
    // A late event is refused by the runner as well; one no stage wanted is not counted.
    if (field.clock.isLate(ts, options.latenessMs!)) return true;
    let open = 0;
    for (let i = 0; i < hits.length; i++) if (hits[i] === HIT_UNKNOWN) open |= 1 << i;
    field.log.note(event, ts, arrivals, rule.serial, open);
    if (field.log.size > maxHeld) {
      // Bounded memory: the oldest set-aside events go, and no event before them can be put in order now.
      const over = field.log.size - maxHeld;
      const latest = field.log.dropOldest(over);
      if (latest > field.clock.closedUpTo) field.clock.closedUpTo = latest;
      droppedNotes += over;
    }
    return true;
  };

  /** Before `rule` is pushed an event at `ts`: the events noted for it at or after `ts` join its window first. */
  const takeNoted = (rule: LiveRule, ts: number): void => {
    const field = rule.timeField!;
    if (ts > field.before || !field.log.reaches(ts)) return;
    const runner = rule.runner!;
    const filters = runner.filterCount;
    field.log.takeFrom(ts, rule.serial, (event, at, seq, open) => {
      const hits = new Array<number>(filters);
      for (let f = 0; f < filters; f++) hits[f] = (open >>> f) & 1 ? HIT_UNKNOWN : 0;
      runner.hold(event, at, tiebreakerOf(rule, event), hits, seq);
    });
  };

  const evaluate = (rule: LiveRule, event: unknown, owned: () => boolean, out: Alert[]): void => {
    // Rules without join keys are split between partitions by event; keyed rules by key, inside their runners.
    const stateful = rule.runner !== undefined || rule.sampleEvents !== undefined;
    if (rule.aggregate ? !rule.aggregate.runsHere : ownsKey && !stateful && !owned()) return;
    if (rule.filters && !rule.aggregate) {
      if (!sequenceHits(rule, event)) return;
    } else {
      rule.stats.evaluations++;
      totals.evaluations++;
    }
    if (rule.aggregate) {
      // Issue 16 hook: a matching event joins its rule's buckets / terms.
      if (!rule.matcher(event)) return;
      for (const a of pushAggregate(rule.artifact, rule.aggregate, event)) emit(rule, a, out);
      return;
    }
    if (!rule.filters && !rule.matcher(event)) return;
    if (stateful) {
      if (profile) {
        const t0 = performance.now();
        feedState(rule, event, out);
        profile.state += performance.now() - t0;
      } else feedState(rule, event, out);
      return;
    }
    emit(rule, buildAlert(rule.artifact, [event], clock()), out);
  };

  return {
    process(event, arrival, routingKey) {
      const t0 = profile ? performance.now() : 0;
      if (typeof event !== 'object' || event === null || Array.isArray(event)) {
        lastSkip = 'notAnObject';
        skipped.notAnObject++;
        return [];
      }
      let stamped: unknown = event;
      if (stampsEvents) {
        // Constants must be in place before the table is filled; the raw event is bounded first, as always.
        lastSkip = checkEvent(event, limits);
        if (lastSkip === undefined) {
          // An arrival that is no instant (NaN, 1e300) would make `event.ingested` unwritable: use the clock.
          const at = options.ingestedAtArrival ? (arrival !== undefined && Number.isFinite(new Date(arrival).getTime()) ? arrival : clock()) : undefined;
          stamped = applyConstants(event, constants, at);
          table.fill(stamped as Record<string, unknown>, limits, false);
        }
      } else {
        // Refused events never reach a rule, so nothing downstream has to defend against their shape.
        lastSkip = table.fill(event as Record<string, unknown>, limits);
      }
      if (lastSkip !== undefined) {
        skipped[lastSkip]++;
        table.clear();
        return [];
      }
      totals.events++;
      arrivals++;
      for (let c = 0; c < clocksInUse.length; c++) {
        const field = clocksInUse[c];
        const t = instantAt(field.slot, field.path, stamped);
        field.before = field.clock.newest;
        if (field.clock.advance(t, options.latenessMs!)) field.log.trim(t - options.latenessMs!);
      }
      const t1 = profile ? performance.now() : 0;
      const out: Alert[] = [];
      let ownership: boolean | undefined;
      const owned = ownsKey === undefined ? alwaysOwned : (): boolean => (ownership ??= ownsKey(routingKey ?? safeJson(event)));
      // Issue 16 hook: every event moves the aggregating rules' event time on (executions fall due).
      for (const rule of aggregates) {
        if (rule.aggregate!.runsHere) for (const a of tickAggregate(rule.artifact, rule.aggregate!, stamped)) emit(rule, a, out);
      }
      let count: number;
      let positions: Int32Array | undefined;
      if (useIndex) {
        count = index.candidatesOfTable();
        positions = index.foundBuffer();
      } else count = live.length;
      const t2 = profile ? performance.now() : 0;
      for (let k = 0; k < count; k++) {
        let rule: LiveRule;
        if (positions === undefined) rule = live[k];
        else {
          const target = positions[k];
          const at = targetRule[target];
          rule = live[at];
          const filter = targetFilter[target];
          if (filter >= 0) {
            // A sequence's targets are consecutive and in filter order: take in every filter the event reached.
            const admitted = rule.admitted!;
            admitted.fill(0);
            admitted[filter] = 1;
            while (k + 1 < count && targetRule[positions[k + 1]] === at) admitted[targetFilter[positions[++k]]] = 1;
          }
        }
        if (options.timing) {
          const t = performance.now();
          evaluate(rule, stamped, owned, out);
          rule.stats.timeMs! += performance.now() - t;
        } else evaluate(rule, stamped, owned, out);
      }
      if (suppressing.length > 0 || orphaned.length > 0) releaseSuppressed(stamped, out);
      if (profile) {
        const t3 = performance.now();
        profile.walk += t1 - t0;
        profile.dispatch += t2 - t1;
        profile.rules += t3 - t2;
      }
      return out;
    },
    lastSkip() {
      return lastSkip;
    },
    flush() {
      const out: Alert[] = [];
      // Every held event is released now, so no noted one can matter any more.
      for (const field of clocksInUse) field.log.clear();
      for (const rule of live) {
        if (rule.aggregate?.runsHere) {
          for (const a of flushAggregate(rule.artifact, rule.aggregate)) emit(rule, a, out); // issue 16 hook
        }
        if (rule.runner) {
          sequenceAlerts(rule, rule.runner.flush(), out);
          if (rule.firstTarget !== undefined) refreshLive(rule);
        }
        if (rule.sampleEvents && rule.artifact.ir.sample) {
          const samples = findSamples(rule.artifact.ir.sample, rule.sampleEvents, { now, ...(ownsKey ? { ownsKey } : {}) });
          rule.sampleEvents = [];
          sequenceAlerts(rule, samples, out);
        }
        if (rule.suppressor) count(rule, rule.suppressor.flush(), out);
      }
      if (orphaned.length > 0) {
        out.unshift(...orphaned);
        orphaned = [];
      }
      return out;
    },
    stats() {
      let pending = 0;
      let evictions = 0;
      let late = 0;
      let releasedEarly = droppedNotes;
      const perRule = live.map((r) => {
        const s: RuleStats = { ...r.stats };
        if (r.runner) {
          const st = r.runner.stats();
          s.pending = st.pending;
          s.evicted = st.evicted;
          s.late = st.late;
          if (reorders) s.releasedEarly = st.releasedEarly;
          s.keysTruncated = st.keysTruncated;
          pending += st.pending;
          evictions += st.evicted;
          late += st.late;
          releasedEarly += st.releasedEarly;
        }
        if (r.suppressor) s.suppression = r.suppressor.stats();
        if (r.aggregate) {
          // Issue 16 hook: buckets / terms held and evicted.
          const st = r.aggregate.runner.stats();
          s.pending = st.keys;
          s.evicted = st.evicted;
          s.untimed = r.aggregate.untimed;
          evictions += st.evicted;
        }
        return s;
      });
      // The time in state is also inside the rules' time (it is spent while evaluating them).
      const shown = profile ? { ...profile, rules: profile.rules - profile.state } : undefined;
      return { ...totals, rules: perRule, pendingPartials: pending, evictions, lateEvents: late, releasedEarly, unanchoredRules: useIndex ? unanchoredRules : live.length, skipped: { ...skipped }, tableFields: table.size, ...(shown ? { profile: shown } : {}) };
    },
    setRules,
    rules() {
      return live.map((r) => r.artifact);
    },
  };
}
