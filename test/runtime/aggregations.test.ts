import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import schema from '../../src/runtime/alerts/alert.schema.json' with { type: 'json' };
import { createEngine, type Alert } from '../../src/runtime/index.js';
import { NewTermsRunner } from '../../src/runtime/state/new-terms.js';
import { ExecutionClock, Schedule } from '../../src/runtime/state/schedule.js';
import { ThresholdRunner, thresholdSpec } from '../../src/runtime/state/threshold.js';
import { artifactFor } from '../helpers/artifacts.js';

const MIN = 60_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (minutes: number): string => new Date(T0 + minutes * MIN).toISOString();
const validateAlert = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

describe('schedules in event time', () => {
  it('puts executions on the epoch-aligned interval grid, each searching [T + from, T + to]', () => {
    const s = new Schedule({ interval: '5m', from: 'now-9m' });
    const e = s.execution(s.firstCovering(T0 + 1));
    expect(e.at).toBe(T0 + 5 * MIN);
    expect([e.from, e.to]).toEqual([T0 - 4 * MIN, T0 + 5 * MIN]);
    expect(new Schedule({}).execution(1)).toEqual({ index: 1, at: 5 * MIN, from: -MIN, to: 5 * MIN }); // Kibana's defaults: 5m, now-6m
  });

  it('rejects settings that are no schedule', () => {
    expect(() => new Schedule({ interval: '5 minutes' })).toThrow(/interval/);
    expect(() => new Schedule({ from: 'yesterday' })).toThrow(/from/);
    expect(() => new Schedule({ from: 'now', to: 'now-1m' })).toThrow(/after/);
  });

  it('runs every execution that covers an event exactly once, in order (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 40 }), fc.array(fc.integer({ min: 0, max: 200 * MIN }), { minLength: 1, maxLength: 30 }), (interval, back, offsets) => {
        const schedule = new Schedule({ interval: `${interval}m`, from: `now-${back}m` });
        const clock = new ExecutionClock(schedule);
        const times = [...offsets].sort((a, b) => a - b).map((o) => T0 + o);
        const run: number[] = [];
        for (const t of times) {
          for (const e of clock.advance(t)) {
            expect(e.to).toBeLessThan(t); // due only once its window is complete
            run.push(e.index);
          }
        }
        for (const e of clock.drain()) run.push(e.index);
        expect(run).toEqual([...run].sort((a, b) => a - b));
        expect(new Set(run).size).toBe(run.length);
        for (const t of times) {
          const covering = run.filter((k) => schedule.execution(k).from <= t && t <= schedule.execution(k).to);
          const expected = schedule.lastCovering(t) - schedule.firstCovering(t) + 1;
          expect(covering.length).toBe(expected);
        }
      }),
    );
  });
});

type Ev = { ts: number; u?: string | string[] };
const ev = (ts: number, user?: string | string[], ip?: string): Ev & Record<string, unknown> => ({ ts, u: user, '@timestamp': new Date(ts).toISOString(), ...(user !== undefined ? { user: { name: user } } : {}), ...(ip ? { source: { ip } } : {}) });

function runThreshold(events: Ev[], threshold: Parameters<typeof thresholdSpec>[0], settings = { interval: '5m', from: 'now-9m' }, maxSignals = 100) {
  const r = new ThresholdRunner(thresholdSpec(threshold), new Schedule(settings), { maxSignals });
  const out = [...events.flatMap((e) => r.push(e, e.ts))];
  return [...out, ...r.flush()];
}

/** Kibana's executions recomputed from scratch: per execution, every event, the signal history applied. */
function referenceThreshold(events: Ev[], value: number, settings: { interval: string; from: string }): { key: string; count: number; at: number }[] {
  const s = new Schedule(settings);
  if (events.length === 0) return [];
  const first = s.firstCovering(Math.min(...events.map((e) => e.ts)));
  const last = s.lastCovering(Math.max(...events.map((e) => e.ts)));
  const history = new Map<string, number>();
  const out: { key: string; count: number; at: number }[] = [];
  for (let k = first; k <= last; k++) {
    const e = s.execution(k);
    const byKey = new Map<string, number[]>();
    for (const x of events) {
      // Kibana keeps a history entry only while it is after the window's start (threshold/utils.ts getSignalHistory).
      const h = history.get(x.u as string);
      if (typeof x.u !== 'string' || x.ts < e.from || x.ts > e.to || (h !== undefined && h > e.from && x.ts <= h)) continue;
      byKey.set(x.u, [...(byKey.get(x.u) ?? []), x.ts]);
    }
    for (const key of [...byKey.keys()].sort()) {
      const ts = byKey.get(key)!;
      if (ts.length >= value) {
        out.push({ key, count: ts.length, at: e.at });
        history.set(key, Math.max(...ts));
      }
    }
  }
  return out;
}

describe('threshold rules', () => {
  it('fires a bucket once its count reaches the value, with Kibana’s threshold_result', () => {
    const events = [ev(T0 + MIN, 'a'), ev(T0 + 2 * MIN, 'a'), ev(T0 + 3 * MIN, 'b'), ev(T0 + 3 * MIN, 'a')];
    const buckets = runThreshold(events, { field: 'user.name', value: 3 });
    expect(buckets).toHaveLength(1);
    expect(buckets[0]).toMatchObject({ terms: [{ field: 'user.name', value: 'a' }], count: 3, firstTs: T0 + MIN, lastTs: T0 + 3 * MIN });
  });

  it('does not alert twice on events already alerted on (signal history), but again on new events', () => {
    const events = [1, 2, 3].map((m) => ev(T0 + m * MIN, 'a'));
    // Executions at +5m and +10m both see the three events; only the first alerts.
    expect(runThreshold(events, { field: 'user.name', value: 3 })).toHaveLength(1);
    const more = [...events, ...[6, 7, 8].map((m) => ev(T0 + m * MIN, 'a'))];
    const buckets = runThreshold(more, { field: 'user.name', value: 3 });
    expect(buckets.map((b) => [b.count, b.firstTs])).toEqual([[3, T0 + MIN], [3, T0 + 6 * MIN]]);
  });

  it('drops events missing a field, expands multi-valued fields, and groups everything without fields', () => {
    const events = [ev(T0 + MIN, ['a', 'b']), ev(T0 + 2 * MIN, 'a'), ev(T0 + 2 * MIN)];
    expect(runThreshold(events, { field: 'user.name', value: 2 }).map((b) => b.terms[0]!.value)).toEqual(['a']);
    const all = runThreshold(events, { field: [], value: 3 });
    expect(all).toMatchObject([{ terms: [], count: 3 }]);
  });

  it('requires the distinct count of the cardinality field too', () => {
    const events = [ev(T0 + MIN, 'a', '10.0.0.1'), ev(T0 + 2 * MIN, 'a', '10.0.0.1'), ev(T0 + 3 * MIN, 'a', '10.0.0.2')];
    const card = (n: number) => runThreshold(events, { field: 'user.name', value: 3, cardinality: [{ field: 'source.ip', value: n }] });
    expect(card(2)).toMatchObject([{ count: 3, cardinality: [{ field: 'source.ip', value: 2 }] }]);
    expect(card(3)).toEqual([]);
  });

  it('raises at most max_signals buckets per execution, in key order; the rest can fire in the next one', () => {
    const events = ['c', 'a', 'b'].map((u) => ev(T0 + 2 * MIN, u));
    const buckets = runThreshold(events, { field: 'user.name', value: 1 }, { interval: '5m', from: 'now-9m' }, 2);
    expect(buckets.map((b) => [b.terms[0]!.value, b.execution.at])).toEqual([['a', T0 + 5 * MIN], ['b', T0 + 5 * MIN], ['c', T0 + 10 * MIN]]);
  });

  it('counts an alerted event again when it sits exactly at the next window\'s start (Kibana drops history entries not after `from`)', () => {
    // Execution :05 alerts on the event at :01; execution :10 searches [:01, :10] and its history entry (:01) is
    // not after :01, so Kibana's getSignalHistory has dropped it and the event counts once more.
    const buckets = runThreshold([ev(T0 + MIN, 'a')], { field: 'user.name', value: 1 }, { interval: '5m', from: 'now-9m' });
    expect(buckets.map((b) => b.execution.at)).toEqual([T0 + 5 * MIN, T0 + 10 * MIN]);
    // One millisecond later it is covered.
    expect(runThreshold([ev(T0 + MIN + 1, 'a')], { field: 'user.name', value: 1 }, { interval: '5m', from: 'now-9m' }).map((b) => b.execution.at)).toEqual([T0 + 5 * MIN]);
  });

  it('equals Kibana’s executions recomputed from scratch (property: windowing and de-duplication)', () => {
    const event = fc.record({ ts: fc.integer({ min: 0, max: 60 * MIN }), user: fc.constantFrom('a', 'b', 'c') });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom('1m', '5m', '7m'), fc.constantFrom('now-3m', 'now-9m', 'now-20m'), (raw, value, interval, from) => {
        const events = raw.map((e) => ev(T0 + e.ts, e.user)).sort((a, b) => a.ts - b.ts);
        const got = runThreshold(events, { field: 'user.name', value }, { interval, from }).map((b) => ({ key: String(b.terms[0]!.value), count: b.count, at: b.execution.at }));
        expect(got).toEqual(referenceThreshold(events, value, { interval, from }));
        // No event is ever counted by two alerts of its bucket, unless it sits exactly on a later window's `from`
        // (whole minutes here), where Kibana's history no longer covers it.
        if (events.every((e) => (e.ts - T0) % MIN !== 0)) for (const u of ['a', 'b', 'c']) expect(got.filter((g) => g.key === u).reduce((n, g) => n + g.count, 0)).toBeLessThanOrEqual(events.filter((e) => e.u === u).length);
      }),
    );
  });
});

function runNewTerms(history: Ev[], events: Ev[], options: { warmup?: 'learn' | 'none'; historyWindowStart?: string; fields?: string[] } = {}) {
  const r = new NewTermsRunner({ fields: options.fields ?? ['user.name'], historyWindowStart: options.historyWindowStart ?? 'now-30m' }, new Schedule({ interval: '5m', from: 'now-9m' }), { warmup: options.warmup ?? 'none' });
  const all = [...history, ...events];
  return [...all.flatMap((e) => r.push(e, e.ts)), ...r.flush()];
}

/** Kibana's new_terms executions from scratch: first seen over [history start, to] strictly after from; oldest event; de-dup by event. */
function referenceNewTerms(events: Ev[], historyMinutes: number): { key: string; ts: number }[] {
  const s = new Schedule({ interval: '5m', from: 'now-9m' });
  if (events.length === 0) return [];
  const first = s.firstCovering(Math.min(...events.map((e) => e.ts)));
  const last = s.lastCovering(Math.max(...events.map((e) => e.ts)));
  const alerted = new Set<Ev>();
  const out: { key: string; ts: number }[] = [];
  for (let k = first; k <= last; k++) {
    const e = s.execution(k);
    const hist = e.to - historyMinutes * MIN;
    const keys = new Set(events.filter((x) => x.ts > e.from && x.ts <= e.to && typeof x.u === 'string').map((x) => x.u as string));
    // One field: Kibana's terms aggregation returns the new terms most events in the window first, ties by key.
    const inWindow = (key: string): number => events.filter((x) => x.u === key && x.ts >= e.from && x.ts <= e.to).length;
    for (const key of [...keys].sort().sort((a, b) => inWindow(b) - inWindow(a))) {
      const seen = events.filter((x) => x.u === key && x.ts >= hist && x.ts <= e.to);
      if (Math.min(...seen.map((x) => x.ts)) <= e.from) continue;
      const oldest = events.find((x) => x.u === key && x.ts > e.from && x.ts <= e.to)!;
      if (alerted.has(oldest)) continue;
      alerted.add(oldest);
      out.push({ key, ts: oldest.ts });
    }
  }
  return out;
}

describe('new_terms rules', () => {
  it('alerts on a value absent from the history window, from its oldest event, once across overlapping executions', () => {
    const history = [ev(T0 + MIN, 'a')];
    const found = runNewTerms(history, [ev(T0 + 12 * MIN, 'a'), ev(T0 + 12 * MIN, 'b'), ev(T0 + 13 * MIN, 'b')]);
    // The history event is itself new when first seen; `b` is new at its first (oldest) event only.
    expect(found.map((f) => [f.values, f.ts])).toEqual([[['a'], T0 + MIN], [['b'], T0 + 12 * MIN]]);
  });

  it('counts a value as new again once its last sighting is older than history_window_start', () => {
    const found = runNewTerms([ev(T0 + MIN, 'a')], [ev(T0 + 60 * MIN, 'a')], { historyWindowStart: 'now-30m' });
    expect(found.map((f) => f.ts)).toEqual([T0 + MIN, T0 + 60 * MIN]);
  });

  it('forms combinations of multi-valued fields (cartesian product); a missing field forms none', () => {
    const e = { ...ev(T0 + MIN, ['a', 'b']), host: { name: ['h1', 'h2'] } };
    const found = runNewTerms([], [e, ev(T0 + MIN, 'c')], { fields: ['user.name', 'host.name'] });
    expect(found.map((f) => f.values)).toEqual([['a', 'h1'], ['a', 'h2'], ['b', 'h1'], ['b', 'h2']]);
  });

  it('learns without alerting until a full history window has been seen (warm-up `learn`)', () => {
    const events = [ev(T0 + MIN, 'a'), ev(T0 + 20 * MIN, 'a'), ev(T0 + 40 * MIN, 'b')];
    const learn = runNewTerms([], events, { warmup: 'learn', historyWindowStart: 'now-30m' });
    expect(learn.map((f) => f.values[0])).toEqual(['b']);
    expect(runNewTerms([], events, { warmup: 'none', historyWindowStart: 'now-30m' }).map((f) => f.values[0])).toEqual(['a', 'b']);
  });

  it('equals Kibana’s executions recomputed from scratch (property)', () => {
    const event = fc.record({ ts: fc.integer({ min: 0, max: 120 * MIN }), user: fc.constantFrom('a', 'b', 'c', 'd') });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.constantFrom(15, 30, 60), (raw, historyMinutes) => {
        const events = raw.map((e) => ev(T0 + e.ts, e.user)).sort((a, b) => a.ts - b.ts);
        const got = runNewTerms([], events, { historyWindowStart: `now-${historyMinutes}m` }).map((f) => ({ key: String(f.values[0]), ts: f.ts }));
        expect(got).toEqual(referenceNewTerms(events, historyMinutes));
      }),
    );
  });

  it('keeps its state bounded: beyond the cap the least recently seen combination is evicted and counted', () => {
    const r = new NewTermsRunner({ fields: ['user.name'], historyWindowStart: 'now-1d' }, new Schedule({}), { maxKeys: 10, warmup: 'none' });
    for (let i = 0; i < 25; i++) r.push(ev(T0 + i, `u${i}`), T0 + i);
    expect(r.stats()).toMatchObject({ keys: 10, evicted: 15 });
  });
});

describe('the engine runs threshold and new_terms rules', () => {
  const threshold = artifactFor('event.outcome: failure', 'kuery', { rule_id: 't', type: 'threshold', interval: '5m', from: 'now-9m', threshold: { field: ['user.name'], value: 2 } });
  const newTerms = artifactFor('event.action: Invoke', 'kuery', { rule_id: 'n', type: 'new_terms', interval: '5m', from: 'now-9m', new_terms_fields: ['user.name'], history_window_start: 'now-1h' });
  const stream = [
    { '@timestamp': at(1), event: { outcome: 'failure', action: 'Invoke' }, user: { name: 'mallory' } },
    { '@timestamp': at(2), event: { outcome: 'failure', action: 'Invoke' }, user: { name: 'mallory' } },
    { '@timestamp': at(30), event: { outcome: 'success' }, user: { name: 'x' } },
  ];

  it('alerts with Kibana’s fields, stamped with the execution time', () => {
    const engine = createEngine([threshold, newTerms], { newTermsWarmup: 'none' });
    const alerts: Alert[] = [...stream.flatMap((e) => engine.process(e)), ...engine.flush()];
    const t = alerts.filter((a) => a['kibana.alert.rule.rule_id'] === 't');
    expect(t).toHaveLength(1);
    expect(t[0]).toMatchObject({ '@timestamp': at(5), 'kibana.alert.original_time': at(2), 'kibana.alert.rule.type': 'threshold', 'kibana.alert.threshold_result': { terms: [{ field: 'user.name', value: 'mallory' }], count: 2, from: at(1) } });
    const n = alerts.filter((a) => a['kibana.alert.rule.rule_id'] === 'n');
    expect(n.map((a) => [a['kibana.alert.new_terms'], a['kibana.alert.original_time']])).toEqual([[['mallory'], at(1)]]);
    for (const a of alerts) expect(validateAlert(a) ? [] : validateAlert.errors).toEqual([]);
    expect(engine.stats().rules.find((r) => r.ruleId === 'n')).toMatchObject({ alerts: 1, pending: 1 });
  });

  it('keeps an unchanged rule’s state across setRules; a changed threshold starts afresh', () => {
    const engine = createEngine([threshold]);
    engine.process(stream[0]);
    engine.setRules([{ ...threshold }]);
    engine.process(stream[1]);
    expect(engine.flush()).toHaveLength(1);
    const fresh = createEngine([threshold]);
    fresh.process(stream[0]);
    fresh.setRules([{ ...threshold, rule: { ...threshold.rule, threshold: { field: ['user.name'], value: 3 } } }]);
    fresh.process(stream[1]);
    expect(fresh.flush()).toHaveLength(0);
  });
});

describe('the time an aggregating rule windows on', () => {
  const base = { rule_id: 'o', type: 'threshold' as const, interval: '5m', from: 'now-9m', threshold: { field: [] as string[], value: 2 }, timestamp_override: 'event.ingested' };
  const events = [{ '@timestamp': at(1), event: { outcome: 'failure' } }, { '@timestamp': at(2), event: { outcome: 'failure', ingested: at(2) } }];
  const count = (rule: Parameters<typeof artifactFor>[2]) => {
    const engine = createEngine([artifactFor('event.outcome: failure', 'kuery', rule)]);
    return [...events.flatMap((e) => engine.process(e)), ...engine.flush()].map((a) => a['kibana.alert.threshold_result']?.count);
  };
  it('is timestamp_override, falling back to @timestamp, unless the fallback is disabled', () => {
    expect(count(base)).toEqual([2]);
    expect(count({ ...base, timestamp_override_fallback_disabled: true })).toEqual([]);
  });
});

describe('query rules on Kibana’s schedule (kibanaSchedule)', () => {
  const rule = artifactFor('event.action: A', 'kuery', { rule_id: 'q', interval: '5m', from: 'now-9m', max_signals: 2 });
  const hit = (minute: number, id: number) => ({ '@timestamp': at(minute), event: { action: 'A', id: String(id) } });

  it('alerts at the covering execution, oldest first, at most max_signals; the overflow alerts in the next one', () => {
    const engine = createEngine([rule], { kibanaSchedule: true });
    const stream = [hit(1, 1), hit(1, 2), hit(2, 3), hit(6, 4)];
    const alerts = [...stream.flatMap((e) => engine.process(e)), ...engine.flush()];
    expect(alerts.map((a) => [(a.events[0] as { event: { id: string } }).event.id, a['@timestamp']])).toEqual([['1', at(5)], ['2', at(5)], ['3', at(10)], ['4', at(10)]]);
  });

  it('misses events once every window holding them was full, and alerts per event without the option', () => {
    const many = Array.from({ length: 12 }, (_, i) => hit(1 + (i % 3), i));
    const scheduled = createEngine([rule], { kibanaSchedule: true });
    const got = [...many.flatMap((e) => scheduled.process(e)), ...scheduled.flush()];
    expect(got).toHaveLength(4); // executions at +5m and +10m hold minutes 1–3: two alerts each
    const perEvent = createEngine([rule]);
    expect(many.flatMap((e) => perEvent.process(e))).toHaveLength(12);
  });

  it('never alerts twice on an event and never beyond max_signals per execution (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 40 }), fc.integer({ min: 1, max: 5 }), (minutes, max) => {
        const engine = createEngine([{ ...rule, rule: { ...rule.rule, max_signals: max } }], { kibanaSchedule: true });
        const events = [...minutes].sort((a, b) => a - b).map((m, i) => hit(m, i));
        const alerts = [...events.flatMap((e) => engine.process(e)), ...engine.flush()];
        const ids = alerts.map((a) => (a.events[0] as { event: { id: string } }).event.id);
        expect(new Set(ids).size).toBe(ids.length);
        const perExecution = new Map<string, number>();
        for (const a of alerts) perExecution.set(a['@timestamp'], (perExecution.get(a['@timestamp']) ?? 0) + 1);
        for (const n of perExecution.values()) expect(n).toBeLessThanOrEqual(max);
        if (max >= events.length) expect(ids.length).toBe(events.length);
      }),
    );
  });
});
