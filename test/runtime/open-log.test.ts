/**
 * The engine's log of events set aside for sequences with a lateness window: a rule takes its noted events at
 * or after a time, each once, and events before the window are dropped, for any arrival order of times.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OpenLog } from '../../src/runtime/engine/open-log.js';

interface Note {
  seq: number;
  ts: number;
  rule: number;
  open: number;
}

describe('OpenLog', () => {
  it('hands a rule exactly its notes at or after a time, once each, oldest arrival first (property)', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('note' as const), ts: fc.integer({ min: 0, max: 60 }), rules: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }) }),
      fc.record({ kind: fc.constant('take' as const), from: fc.integer({ min: 0, max: 60 }), rule: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('trim' as const), upTo: fc.integer({ min: 0, max: 60 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
        const log = new OpenLog();
        let model: Note[] = [];
        // Entries stay in the log (for trimming) after their notes are taken.
        let entries: { seq: number; ts: number }[] = [];
        let seq = 0;
        for (const s of steps) {
          if (s.kind === 'note') {
            seq++;
            entries.push({ seq, ts: s.ts });
            for (const rule of s.rules) {
              log.note({ seq }, s.ts, seq, rule, rule + 1);
              model.push({ seq, ts: s.ts, rule, open: rule + 1 });
            }
          } else if (s.kind === 'take') {
            if (model.some((n) => n.ts >= s.from)) expect(log.reaches(s.from)).toBe(true);
            const got: Note[] = [];
            log.takeFrom(s.from, s.rule, (event, ts, at, open) => {
              expect(event).toEqual({ seq: at });
              got.push({ seq: at, ts, rule: s.rule, open });
            });
            const want = model.filter((n) => n.rule === s.rule && n.ts >= s.from);
            expect(got).toEqual(want);
            model = model.filter((n) => !want.includes(n));
          } else {
            log.trim(s.upTo);
            // Trimming drops from the front while the time is before `upTo`: later entries stay until then.
            let cut = 0;
            while (cut < entries.length && entries[cut].ts < s.upTo) cut++;
            const dropped = new Set(entries.slice(0, cut).map((e) => e.seq));
            entries = entries.slice(cut);
            model = model.filter((n) => !dropped.has(n.seq));
            expect(log.size).toBe(entries.length);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('stays bounded by the window over a long stream', () => {
    const log = new OpenLog();
    for (let i = 0; i < 100_000; i++) {
      log.note({ i }, i, i, i % 7, 1);
      log.trim(i - 100);
      if (i % 10_007 === 0 && i > 0) {
        // After the front was dropped and the arrays moved: still the right entries.
        const got: number[] = [];
        log.takeFrom(i - 50, 3, (event, ts) => got.push(ts));
        const want: number[] = [];
        for (let t = i - 50; t <= i; t++) if (t % 7 === 3) want.push(t);
        expect(got).toEqual(want);
      }
    }
    expect(log.size).toBe(101);
    expect((log as unknown as { events: unknown[] }).events.length).toBeLessThan(2_400);
  });
});
