/**
 * The engine: a set of compiled rules applied to a stream of events. Each event is stamped with the
 * source's constant fields, dispatched to the rules that could match it, and turned into alerts shaped
 * like Kibana's. Sequence state is bounded per rule; samples are decided at `flush()`.
 */
import type { RuleArtifact } from '../../ir/artifact.js';
import { buildAlert, type Alert } from '../alerts/alerts.js';
import { applyConstants, compileConstants, type ConstantFields } from './constants.js';
import { DispatchIndex, findAnchors } from './dispatch.js';
import { eventInstant } from '../state/event-time.js';
import { checkEvent, DEFAULT_EVENT_LIMITS, lastCheckedHasDottedKeys, type EventLimits, type SkipReason } from './event-shape.js';
import { compilePath, MAX_WALK_DEPTH, type CompiledPath } from '../match/field-access.js';
import { linkPredicate, type Matcher } from '../match/link.js';
import { findSamples } from '../state/sample.js';
import { SequenceRunner, type SequenceMatch } from '../state/sequence.js';
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
  /** Use the dispatch index (default true); false evaluates every rule for every event. */
  useIndex?: boolean;
  /** Measure time spent per rule (default false: a clock read per evaluation is not free). */
  timing?: boolean;
  /** The clock for alerts' `@timestamp` (default `Date.now`). */
  clock?: () => number;
  /**
   * Run as partition `index` of `count` (0-based), for scaling out over processes that each see the whole
   * stream: sequence and sample rules keep only the join keys that hash to this partition; other rules
   * evaluate only the events whose routing key (see `process`) hashes here. Together the `count` engines
   * raise exactly the alerts one engine would.
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
  /** Sequence events without a readable timestamp (skipped by that rule). */
  untimed?: number;
  /** Sequence events whose join key values made more key tuples than the per-event cap (the rest dropped). */
  keysTruncated?: number;
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
  /** Rules without an index anchor, evaluated for every event. */
  unanchoredRules: number;
  /** Events skipped before any rule saw them (not an object, nested too deep, too many values); not in `events`. */
  skipped: SkipCounts;
}

interface LiveRule {
  artifact: RuleArtifact;
  /** The IR as JSON, to recognise an unchanged rule when the rule set is swapped. */
  identity: string;
  matcher: Matcher;
  runner?: SequenceRunner;
  sampleEvents?: unknown[];
  timestamp?: CompiledPath;
  tiebreaker?: CompiledPath;
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

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return String(v);
  }
}

/** Creates an engine over compiled rule artifacts. */
export function createEngine(rules: readonly RuleArtifact[], options: EngineOptions = {}): Engine {
  const now = options.now ?? Date.now();
  const clock = options.clock ?? Date.now;
  const constants = compileConstants(options.constants ?? {});
  const useIndex = options.useIndex !== false;
  const partition = options.partition;
  if (partition && !(Number.isInteger(partition.count) && partition.count >= 1 && Number.isInteger(partition.index) && partition.index >= 0 && partition.index < partition.count)) {
    throw new RangeError(`partition ${partition.index}/${partition.count}: the index must be an integer from 0 to count - 1`);
  }
  const ownsKey = partition && partition.count > 1 ? (key: string) => partitionOf(key, partition.count) === partition.index : undefined;
  let live: LiveRule[] = [];
  let aggregates: LiveRule[] = [];
  // Partitioned engines: aggregating rules count over the whole stream, so partition 0 alone runs them.
  const runsAggregates = !partition || partition.index === 0;
  let index = new DispatchIndex([]);
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

  const link = (artifact: RuleArtifact, previous: Map<string, LiveRule>): LiveRule => {
    const r = artifact.rule;
    // Issue 16: an aggregating rule's state also depends on its schedule and grouping settings.
    const identity = JSON.stringify(artifact.ir) + (isAggregateRule(artifact, options) ? JSON.stringify([r.type, r.interval, r.from, r.to, r.max_signals, r.timestamp_override, r.threshold, r.new_terms_fields, r.history_window_start]) : '');
    const kept = previous.get(artifact.rule.rule_id);
    if (kept && kept.identity === identity) {
      kept.artifact = artifact;
      kept.stats.name = artifact.rule.name;
      return kept;
    }
    const rule: LiveRule = {
      artifact,
      identity,
      matcher: linkPredicate(artifact.ir.predicate, { now }),
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
        ...(options.maxPendingPerRule !== undefined ? { maxPending: options.maxPendingPerRule } : {}),
        ...(options.latenessMs !== undefined ? { latenessMs: options.latenessMs } : {}),
        ...(ownsKey ? { ownsKey } : {}),
      });
    }
    if (artifact.ir.sample) rule.sampleEvents = [];
    if (isAggregateRule(artifact, options)) rule.aggregate = linkAggregate(artifact, options); // issue 16 hook
    return rule;
  };

  const setRules = (artifacts: readonly RuleArtifact[]): void => {
    const previous = new Map(live.map((r) => [r.artifact.rule.rule_id, r]));
    live = artifacts.map((a) => link(a, previous));
    aggregates = live.filter((r) => r.aggregate); // issue 16 hook
    index = new DispatchIndex(live.map((r) => (useIndex ? findAnchors(r.artifact.ir.predicate) : undefined)));
  };
  setRules(rules);

  const sequenceAlerts = (rule: LiveRule, matches: readonly SequenceMatch[], out: Alert[]): void => {
    for (const m of matches) {
      out.push(buildAlert(rule.artifact, m.events, clock(), m.joinKeys));
      rule.stats.alerts++;
      totals.alerts++;
    }
  };

  const evaluate = (rule: LiveRule, event: unknown, owned: () => boolean, out: Alert[]): void => {
    // Rules without join keys are split between partitions by event; keyed rules by key, inside their runners.
    if (rule.aggregate ? !runsAggregates : ownsKey && !rule.runner && !rule.sampleEvents && !owned()) return;
    rule.stats.evaluations++;
    totals.evaluations++;
    if (!rule.matcher(event)) return;
    if (rule.aggregate) {
      // Issue 16 hook: a matching event joins its rule's buckets / terms.
      const alerts = pushAggregate(rule.artifact, rule.aggregate, event);
      for (const a of alerts) out.push(a);
      rule.stats.alerts += alerts.length;
      totals.alerts += alerts.length;
      return;
    }
    if (rule.runner) {
      const ts = eventInstant(event, rule.timestamp!);
      if (Number.isNaN(ts)) {
        rule.stats.untimed!++;
        return;
      }
      const tb = rule.tiebreaker ? eventInstant(event, rule.tiebreaker) : undefined;
      sequenceAlerts(rule, rule.runner.push(event, ts, tb !== undefined && !Number.isNaN(tb) ? tb : undefined), out);
      return;
    }
    if (rule.sampleEvents) {
      if (rule.sampleEvents.length < (options.maxSampleEvents ?? 100_000)) rule.sampleEvents.push(event);
      return;
    }
    out.push(buildAlert(rule.artifact, [event], clock()));
    rule.stats.alerts++;
    totals.alerts++;
  };

  return {
    process(event, arrival, routingKey) {
      // Refused events never reach a rule, so nothing downstream has to defend against their shape.
      lastSkip = checkEvent(event, limits);
      if (lastSkip !== undefined) {
        skipped[lastSkip]++;
        return [];
      }
      // Read now, from the walk just done; constants are written as nested keys, so they add no dotted one.
      const dottedKeys = lastCheckedHasDottedKeys();
      totals.events++;
      // An arrival that is no instant (NaN, 1e300) would make `event.ingested` unwritable: use the clock.
      const at = options.ingestedAtArrival ? (arrival !== undefined && Number.isFinite(new Date(arrival).getTime()) ? arrival : clock()) : undefined;
      const stamped = applyConstants(event, constants, at);
      const out: Alert[] = [];
      let ownership: boolean | undefined;
      const owned = (): boolean => (ownership ??= ownsKey!(routingKey ?? safeJson(event)));
      // Issue 16 hook: every event moves the aggregating rules' event time on (executions fall due).
      if (runsAggregates) {
        for (const rule of aggregates) {
          const alerts = tickAggregate(rule.artifact, rule.aggregate!, stamped);
          for (const a of alerts) out.push(a);
          rule.stats.alerts += alerts.length;
          totals.alerts += alerts.length;
        }
      }
      const candidates = index.candidates(stamped, dottedKeys);
      for (let k = 0; k < candidates.length; k++) {
        const rule = live[candidates[k]];
        if (options.timing) {
          const t0 = performance.now();
          evaluate(rule, stamped, owned, out);
          rule.stats.timeMs! += performance.now() - t0;
        } else evaluate(rule, stamped, owned, out);
      }
      return out;
    },
    lastSkip() {
      return lastSkip;
    },
    flush() {
      const out: Alert[] = [];
      for (const rule of live) {
        if (rule.aggregate && runsAggregates) {
          const alerts = flushAggregate(rule.artifact, rule.aggregate); // issue 16 hook
          for (const a of alerts) out.push(a);
          rule.stats.alerts += alerts.length;
          totals.alerts += alerts.length;
        }
        if (rule.runner) sequenceAlerts(rule, rule.runner.flush(), out);
        if (rule.sampleEvents && rule.artifact.ir.sample) {
          const samples = findSamples(rule.artifact.ir.sample, rule.sampleEvents, { now, ...(ownsKey ? { ownsKey } : {}) });
          rule.sampleEvents = [];
          sequenceAlerts(rule, samples, out);
        }
      }
      return out;
    },
    stats() {
      let pending = 0;
      let evictions = 0;
      let late = 0;
      const perRule = live.map((r) => {
        const s: RuleStats = { ...r.stats };
        if (r.runner) {
          const st = r.runner.stats();
          s.pending = st.pending;
          s.evicted = st.evicted;
          s.late = st.late;
          s.keysTruncated = st.keysTruncated;
          pending += st.pending;
          evictions += st.evicted;
          late += st.late;
        }
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
      return { ...totals, rules: perRule, pendingPartials: pending, evictions, lateEvents: late, unanchoredRules: index.unanchored, skipped: { ...skipped } };
    },
    setRules,
    rules() {
      return live.map((r) => r.artifact);
    },
  };
}
