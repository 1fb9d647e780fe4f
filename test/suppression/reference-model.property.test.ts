import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, type Alert } from '../../src/runtime/index.js';
import { artifactFor } from '../helpers/artifacts.js';

const INTERVAL = 5 * 60_000;

interface Ev { t: number; user: string | undefined }
interface RefAlert { user: string | null; docs: number; start: number; end: number }

/**
 * Kibana's suppression written as its executions run it: execution k (running at (k+1)·interval) takes the
 * events of its interval, groups them by term (a composite aggregation), and for each bucket either updates
 * the newest open alert of the same group created at run c with c ≥ now − duration (with a duration), or one
 * created by this same execution (without), or creates a new alert.
 */
function reference(events: readonly Ev[], durationMs: number | undefined, suppressMissing: boolean): RefAlert[] {
  const alerts: (RefAlert & { run: number })[] = [];
  const unsuppressed: RefAlert[] = [];
  const byRun = new Map<number, Ev[]>();
  for (const e of events) {
    const run = (Math.floor(e.t / INTERVAL) + 1) * INTERVAL;
    byRun.set(run, [...(byRun.get(run) ?? []), e]);
  }
  for (const run of [...byRun.keys()].sort((a, b) => a - b)) {
    const buckets = new Map<string | null, Ev[]>();
    for (const e of byRun.get(run)!) {
      if (e.user === undefined && !suppressMissing) {
        unsuppressed.push({ user: null, docs: -1, start: e.t, end: e.t });
        continue;
      }
      const key = e.user ?? null;
      buckets.set(key, [...(buckets.get(key) ?? []), e]);
    }
    for (const [user, docs] of buckets) {
      const start = Math.min(...docs.map((d) => d.t));
      const end = Math.max(...docs.map((d) => d.t));
      const open = alerts.filter((a) => a.user === user && (durationMs === undefined ? a.run === run : a.run >= run - durationMs)).at(-1);
      if (open) {
        open.docs += docs.length;
        open.start = Math.min(open.start, start);
        open.end = Math.max(open.end, end);
      } else alerts.push({ user, docs: docs.length - 1, start, end, run });
    }
  }
  return [...alerts.map(({ run: _run, ...a }) => a), ...unsuppressed];
}

const key = (a: RefAlert) => `${a.user}|${a.docs}|${a.start}|${a.end}`;

describe('alert suppression against an execution-by-execution model of Kibana (property)', () => {
  it('gives the same alerts for every stream, with and without a duration, for both missing-field strategies', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 180_000 }), user: fc.constantFrom('a', 'b', undefined) }), { maxLength: 50 }),
        fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
        fc.boolean(),
        (steps, minutes, suppressMissing) => {
          let t = Date.parse('2026-01-01T00:00:00Z');
          const events: Ev[] = steps.map((s) => ({ t: (t += s.dt), user: s.user }));
          const durationMs = minutes === undefined ? undefined : minutes * 60_000;
          const rule = artifactFor('event.action: "x"', 'kuery', {
            rule_id: 'ref',
            alert_suppression: { group_by: ['user.name'], ...(minutes ? { duration: { value: minutes, unit: 'm' as const } } : {}), missing_fields_strategy: suppressMissing ? 'suppress' : 'doNotSuppress' },
          });
          const engine = createEngine([rule], { now: 0 });
          const out: Alert[] = [];
          for (const e of events) out.push(...engine.process({ '@timestamp': new Date(e.t).toISOString(), event: { action: 'x' }, ...(e.user ? { user: { name: e.user } } : {}) }));
          out.push(...engine.flush());
          const got = out.map((a): RefAlert => {
            const terms = a['kibana.alert.suppression.terms'];
            if (!terms) {
              const t0 = Date.parse(a['kibana.alert.original_time']!);
              return { user: null, docs: -1, start: t0, end: t0 };
            }
            return { user: terms[0].value as string | null, docs: a['kibana.alert.suppression.docs_count']!, start: Date.parse(a['kibana.alert.suppression.start']!), end: Date.parse(a['kibana.alert.suppression.end']!) };
          });
          expect(got.map(key).sort()).toEqual(reference(events, durationMs, suppressMissing).map(key).sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});
