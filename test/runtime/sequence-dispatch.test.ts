/**
 * The engine tells each sequence runner which stages an event fills (evaluated on its field table) and skips
 * the filters the runner's state cannot use; the runner on its own evaluates every stage itself. Both must find
 * the same sequences, for any query shape (missing stages, until, maxspan, several keys) and any stream.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, SequenceRunner } from '../../src/runtime/index.js';
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

describe('per-stage dispatch of sequence rules', () => {
  it('finds the sequences the runner finds evaluating every stage itself (property)', () => {
    fc.assert(
      fc.property(query, fc.array(event, { maxLength: 40 }), (q, stream) => {
        const artifact = artifactFor(q, 'eql', { rule_id: 'seq' });
        const engine = createEngine([artifact], { now: 0 });
        const runner = new SequenceRunner(artifact.ir.sequence!, { now: 0 });
        let t = Date.UTC(2026, 0, 1);
        const fromEngine: unknown[][] = [];
        const fromRunner: unknown[][] = [];
        for (const e of stream) {
          t += e.gap;
          const doc = { '@timestamp': new Date(t).toISOString(), event: { action: e.action }, user: { name: e.user }, ...(e.host ? { host: { name: e.host } } : {}) };
          for (const a of engine.process(doc)) fromEngine.push(a.events);
          for (const m of runner.push(doc, t)) fromRunner.push(m.events);
        }
        for (const a of engine.flush()) fromEngine.push(a.events);
        for (const m of runner.flush()) fromRunner.push(m.events);
        expect(fromEngine).toEqual(fromRunner);
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
        const fromEngine: unknown[][] = [];
        const fromRunner: unknown[][] = [];
        const ours = (alerts: readonly { 'kibana.alert.rule.rule_id': string; events: unknown[] }[]): void => {
          for (const a of alerts) if (a['kibana.alert.rule.rule_id'] === 'seq') fromEngine.push(a.events);
        };
        stream.forEach((e, i) => {
          // The rule is kept (same id and logic) with its partials; the other one is replaced.
          if (i === swapAt) engine.setRules([artifact, artifactFor(other, 'eql', { rule_id: 'other-2' })]);
          t += e.gap;
          const doc = { '@timestamp': new Date(t).toISOString(), event: { action: e.action }, user: { name: e.user }, ...(e.host ? { host: { name: e.host } } : {}) };
          ours(engine.process(doc));
          for (const m of runner.push(doc, t)) fromRunner.push(m.events);
        });
        ours(engine.flush());
        for (const m of runner.flush()) fromRunner.push(m.events);
        expect(fromEngine).toEqual(fromRunner);
      }),
      { numRuns: 800 },
    );
  });
});
