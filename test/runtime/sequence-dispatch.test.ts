/**
 * The engine tells each sequence runner which stages an event fills (evaluated on its field table) and skips
 * the filters the runner's state cannot use; the runner on its own evaluates every stage itself. Both must find
 * the same sequences, for any query shape (missing stages, until, maxspan, several keys) and any stream.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, SequenceRunner, type Engine } from '../../src/runtime/index.js';
import { artifactFor } from '../helpers/artifacts.js';

const actions = ['a', 'b', 'c', 'd'];
const stage = fc.tuple(fc.constantFrom(...actions), fc.boolean()).map(([action, anyUser]) => `[any where event.action == "${action}"${anyUser ? '' : ' and user.name != "x"'}]`);
const query = fc
  .record({
    stages: fc.array(stage, { minLength: 2, maxLength: 4 }),
    missingAt: fc.option(fc.nat(4), { nil: undefined }),
    missingAction: fc.constantFrom(...actions),
    until: fc.option(fc.constantFrom(...actions), { nil: undefined }),
    maxspan: fc.option(fc.constantFrom('5ms', '20ms', '1s'), { nil: undefined }),
    keys: fc.constantFrom('by user.name', 'by user.name, host.name', 'by ?host.name'),
  })
  .map(({ stages, missingAt, missingAction, until, maxspan, keys }) => {
    const list = [...stages];
    // A missing stage needs maxspan, and cannot be the only kind of stage.
    if (missingAt !== undefined && maxspan !== undefined) list.splice(Math.min(missingAt, list.length), 0, `![any where event.action == "${missingAction}"]`);
    return `sequence ${keys}${maxspan ? ` with maxspan=${maxspan}` : ''} ${list.join(' ')}${until ? ` until [any where event.action == "${until}"]` : ''}`;
  });
const event = fc.record({
  action: fc.constantFrom(...actions, 'x'),
  user: fc.constantFrom('u', 'v', 'x'),
  host: fc.option(fc.constantFrom('h1', 'h2'), { nil: undefined }),
  gap: fc.constantFrom(0, 1, 3, 10),
});

type Generated = { action: string; user: string; host: string | undefined };

/**
 * Feeds the events (each at its time) to the engine and to the runner of the rule `seq` alone; the sequences
 * each found for that rule. `before(i)` runs before the i-th event.
 */
function bothFind(engine: Engine, runner: SequenceRunner, stream: { e: Generated; at: number }[], before?: (i: number) => void): { engine: unknown[][]; runner: unknown[][] } {
  const found = { engine: [] as unknown[][], runner: [] as unknown[][] };
  const ours = (alerts: readonly { 'kibana.alert.rule.rule_id': string; events: unknown[] }[]): void => {
    for (const a of alerts) if (a['kibana.alert.rule.rule_id'] === 'seq') found.engine.push(a.events);
  };
  stream.forEach(({ e, at }, i) => {
    before?.(i);
    const doc = { '@timestamp': new Date(at).toISOString(), n: i, event: { action: e.action }, user: { name: e.user }, ...(e.host ? { host: { name: e.host } } : {}) };
    ours(engine.process(doc));
    for (const m of runner.push(doc, at)) found.runner.push(m.events);
  });
  ours(engine.flush());
  for (const m of runner.flush()) found.runner.push(m.events);
  return found;
}

describe('per-stage dispatch of sequence rules', () => {
  it('finds the sequences the runner finds evaluating every stage itself (property)', () => {
    fc.assert(
      fc.property(query, fc.array(event, { maxLength: 40 }), (q, stream) => {
        const artifact = artifactFor(q, 'eql', { rule_id: 'seq' });
        const engine = createEngine([artifact], { now: 0 });
        const runner = new SequenceRunner(artifact.ir.sequence!, { now: 0 });
        let t = Date.UTC(2026, 0, 1);
        const found = bothFind(engine, runner, stream.map((e) => ({ e, at: (t += e.gap) })));
        expect(found.engine).toEqual(found.runner);
      }),
      { numRuns: 1500 },
    );
  });

  it('keeps a sequence\'s live stages across a rule swap, beside other sequences and with a lateness window (property)', () => {
    fc.assert(
      fc.property(query, query, fc.array(event, { maxLength: 40 }), fc.nat(40), fc.boolean(), (q, other, stream, swapAt, late) => {
        const artifact = artifactFor(q, 'eql', { rule_id: 'seq' });
        const options = { now: 0, ...(late ? { latenessMs: 5 } : {}) };
        const engine = createEngine([artifactFor(other, 'eql', { rule_id: 'other' }), artifact], options);
        const runner = new SequenceRunner(artifact.ir.sequence!, options);
        let t = Date.UTC(2026, 0, 1);
        const found = bothFind(engine, runner, stream.map((e) => ({ e, at: (t += e.gap) })), (i) => {
          // The rule is kept (same id and logic) with its partials; the other one is replaced.
          if (i === swapAt) engine.setRules([artifact, artifactFor(other, 'eql', { rule_id: 'other-2' })]);
        });
        expect(found.engine).toEqual(found.runner);
      }),
      { numRuns: 800 },
    );
  });

  // With a lateness window the engine evaluates only the stages it forecasts live and leaves the others open;
  // an event that arrives out of order must still meet every stage it can fill, and a late one none.
  it('finds what the runner finds on its own when events arrive out of order, within the window and later (property)', () => {
    const jittered = fc.record({ e: event, jitter: fc.constantFrom(0, 0, 0, -1, -2, -4, -6, -12) });
    fc.assert(
      fc.property(query, query, fc.array(jittered, { maxLength: 60 }), fc.boolean(), (q, other, stream, indexed) => {
        const artifact = artifactFor(q, 'eql', { rule_id: 'seq' });
        const options = { now: 0, latenessMs: 5 };
        const engine = createEngine([artifactFor(other, 'eql', { rule_id: 'other' }), artifact], { ...options, useIndex: indexed });
        const runner = new SequenceRunner(artifact.ir.sequence!, options);
        let t = Date.UTC(2026, 0, 1);
        const found = bothFind(engine, runner, stream.map(({ e, jitter }) => ({ e, at: (t += e.gap) + jitter })));
        expect(found.engine).toEqual(found.runner);
      }),
      { numRuns: 2000 },
    );
  });

  it('counts a held event\'s open stage when forecasting the next one: an earlier event arriving later can fill it', () => {
    const q = 'sequence by host.name [any where event.action == "a"] [any where event.action == "a" and user.name != "x"] [any where event.action == "b"]';
    const engine = createEngine([artifactFor(q, 'eql', { rule_id: 'seq' })], { now: 0, latenessMs: 5 });
    const doc = (ms: number, action: string, user: string, n: number): Record<string, unknown> => ({ '@timestamp': new Date(Date.UTC(2026, 0, 1) + ms).toISOString(), n, event: { action }, user: { name: user }, host: { name: 'h' } });
    // 1 opens a partial and may fill stage 2 (nothing waits there yet); 2 sorts before it and opens the partial 1
    // extends; 3 completes it. 3's last stage must be evaluated though no partial waited for it on arrival.
    const alerts = [...engine.process(doc(10, 'a', 'u', 1)), ...engine.process(doc(9, 'a', 'x', 2)), ...engine.process(doc(11, 'b', 'u', 3)), ...engine.flush()];
    expect(alerts.map((a) => a.events.map((e) => (e as { n: number }).n))).toEqual([[2, 1, 3]]);
  });

  it('does not let one event stamped far ahead make the rest of the stream late; a second one near it does move it', () => {
    const artifact = artifactFor('sequence by user.name [any where event.action == "a"] [any where event.action == "b"]', 'eql', { rule_id: 'seq' });
    const engine = createEngine([artifact], { now: 0, latenessMs: 1000 });
    const at = (ms: number, action: string): Record<string, unknown> => ({ '@timestamp': new Date(Date.UTC(2026, 0, 1) + ms).toISOString(), event: { action }, user: { name: 'u' } });
    const tenYears = 10 * 365 * 86_400_000;
    engine.process(at(0, 'a'));
    engine.process(at(tenYears, 'x'));
    const found = [...engine.process(at(500, 'b')), ...engine.process(at(600, 'a'))];
    engine.process(at(tenYears + 10, 'x'));
    // The stream is ten years on now: the `b` that would complete the second `a` is late.
    found.push(...engine.process(at(700, 'b')), ...engine.flush());
    expect(found.map((a) => a.events.length)).toEqual([2]);
    expect(engine.stats().lateEvents).toBe(1);
  });

  it('holds at most maxHeldEvents: past it the oldest go early, and events before them are late; memory stays bounded', () => {
    const artifact = artifactFor('sequence by user.name [any where event.action == "a"] [any where event.action == "b"]', 'eql', { rule_id: 'seq' });
    const engine = createEngine([artifact], { now: 0, latenessMs: 3_600_000, maxHeldEvents: 100 });
    const at = (ms: number, action: string, user = 'u'): Record<string, unknown> => ({ '@timestamp': new Date(Date.UTC(2026, 0, 1) + ms).toISOString(), event: { action }, user: { name: user } });
    const found: unknown[][] = [];
    // Every event has the same time: the hour-long window never closes by time, only by the cap.
    for (let i = 0; i < 5_000; i++) for (const a of engine.process(at(0, i % 2 === 0 ? 'a' : 'b', `k${i >> 1}`))) found.push(a.events);
    const s = engine.stats();
    expect(s.rules[0].releasedEarly).toBeGreaterThanOrEqual(5_000 - 100);
    expect(s.releasedEarly).toBe(s.rules[0].releasedEarly);
    // The pairs released early still matched, in order.
    expect(found.length).toBeGreaterThan(2_400);
    // An event before what went early is late.
    engine.process(at(-1, 'b', 'k0'));
    expect(engine.stats().lateEvents).toBe(1);
    for (const a of engine.flush()) found.push(a.events);
    expect(found).toHaveLength(2_500);
  });

  it('bounds the events it sets aside for the windows too', () => {
    // Stage 2 is admitted for every event but never live (no `a`): those events are only set aside.
    const artifact = artifactFor('sequence by user.name [any where event.action == "a"] [any where event.action == "b"]', 'eql', { rule_id: 'seq' });
    const engine = createEngine([artifact], { now: 0, latenessMs: 3_600_000, maxHeldEvents: 50 });
    for (let i = 0; i < 1_000; i++) engine.process({ '@timestamp': new Date(Date.UTC(2026, 0, 1) + i).toISOString(), event: { action: 'b' }, user: { name: 'u' } });
    expect(engine.stats().releasedEarly).toBe(1_000 - 50);
    // An `a` earlier than the ones let go is late; one after them still opens a partial that a later `b` completes.
    engine.process({ '@timestamp': new Date(Date.UTC(2026, 0, 1) + 10).toISOString(), event: { action: 'a' }, user: { name: 'u' } });
    expect(engine.stats().lateEvents).toBe(1);
    engine.process({ '@timestamp': new Date(Date.UTC(2026, 0, 1) + 990).toISOString(), event: { action: 'a' }, user: { name: 'u' } });
    engine.process({ '@timestamp': new Date(Date.UTC(2026, 0, 1) + 995).toISOString(), event: { action: 'b' }, user: { name: 'u' } });
    expect(engine.flush().map((a) => a.events.length)).toEqual([2]);
  });

  it('measures lateness against the newest event of the whole stream, whichever rule it reached', () => {
    const artifact = artifactFor('sequence by user.name [any where event.action == "a"] [any where event.action == "b"]', 'eql', { rule_id: 'seq' });
    const engine = createEngine([artifact], { now: 0, latenessMs: 1000 });
    const at = (ms: number, action: string): Record<string, unknown> => ({ '@timestamp': new Date(Date.UTC(2026, 0, 1) + ms).toISOString(), event: { action }, user: { name: 'u' } });
    engine.process(at(0, 'a'));
    // An event no stage wants moves the stream on: the `b` two seconds behind it is late, not put in order.
    engine.process(at(5000, 'x'));
    expect(engine.process(at(3000, 'b'))).toEqual([]);
    expect(engine.flush()).toEqual([]);
    expect(engine.stats().lateEvents).toBe(1);
  });
});
