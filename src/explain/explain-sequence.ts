/**
 * A sequence rule over a list of events, step by step: which stage each event reached for which join key,
 * and why a partial sequence ended without an alert (maxspan, until, overwritten by a newer event). The
 * alerts themselves come from the real sequence engine, so the trace never disagrees with what runs.
 */
import type { IrSequence } from '../ir/types.js';
import { eventInstant } from '../runtime/state/event-time.js';
import { keyString, keyTuples, linkStage } from '../runtime/state/join-keys.js';
import { SequenceRunner, type SequenceMatch } from '../runtime/state/sequence.js';

/** What happened to one event. */
export interface SequenceStep {
  /** 1-based position of the event in the input. */
  event: number;
  timestamp: number;
  notes: string[];
}

export interface SequenceExplanation {
  steps: SequenceStep[];
  alerts: SequenceMatch[];
}

interface Waiting {
  startedBy: number;
  start: number;
}

const fmtKey = (k: unknown[]): string => JSON.stringify(k);
const fmtMs = (ms: number): string => (ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** Traces a sequence over events given in any order (they are put in timestamp order first, as the engine does). */
export function explainSequence(sequence: IrSequence, events: readonly unknown[], options: { now?: number; timestampField?: string; maxPending?: number } = {}): SequenceExplanation {
  const now = options.now ?? Date.now();
  const tsField = options.timestampField ?? '@timestamp';
  const ordered = events
    .map((e, i) => ({ e, i, ts: eventInstant(e, tsField) }))
    .sort((a, b) => (Number.isNaN(a.ts) ? 1 : Number.isNaN(b.ts) ? -1 : a.ts - b.ts || a.i - b.i));
  const stages = sequence.stages.map((s) => ({ ...linkStage(s, { now }), missing: s.missing === true }));
  const until = sequence.until ? linkStage(sequence.until, { now }) : undefined;
  const maxspan = sequence.maxspanMs ?? Infinity;
  const cap = options.maxPending ?? 100_000;
  /** Drops the oldest partial sequences while more than the cap are pending, as the engine does. */
  const enforceCap = (step: SequenceStep): void => {
    let pending = waiting.reduce((t, w) => t + w.size, 0);
    while (pending > cap) {
      let oldest: { map: Map<string, Waiting>; key: string; w: Waiting } | undefined;
      for (const map of waiting) for (const [key, w] of map) if (!oldest || w.start < oldest.w.start) oldest = { map, key, w };
      if (!oldest) break;
      oldest.map.delete(oldest.key);
      pending--;
      step.notes.push(`evicts the partial sequence started by event ${oldest.w.startedBy}: more than ${cap} were pending (the cap), so the oldest goes`);
    }
  };
  const waiting: Map<string, Waiting>[] = stages.map(() => new Map());
  const steps: SequenceStep[] = [];
  const runner = new SequenceRunner(sequence, { now, ...(options.maxPending !== undefined ? { maxPending: options.maxPending } : {}) });
  const alerts: SequenceMatch[] = [];

  for (const { e, i, ts } of ordered) {
    const step: SequenceStep = { event: i + 1, timestamp: ts, notes: [] };
    steps.push(step);
    if (Number.isNaN(ts)) {
      step.notes.push(`no readable ${tsField}: the engine skips it`);
      continue;
    }
    alerts.push(...runner.push(e, ts));
    if (until?.matches(e)) {
      for (const key of keyTuples(until, e)) {
        const k = keyString(key);
        let dropped = 0;
        for (const w of waiting) if (w.delete(k)) dropped++;
        step.notes.push(`matches \`until\` for key ${fmtKey(key)}${dropped ? `: drops ${dropped} partial sequence(s)` : ''}`);
      }
    }
    let fitsAny = false;
    // Later stages first, so one event cannot start and advance the same sequence.
    for (let s = stages.length - 1; s >= 0; s--) {
      const stage = stages[s];
      if (stage.missing || !stage.matches(e)) continue;
      fitsAny = true;
      const keys = keyTuples(stage, e);
      if (keys.length === 0) step.notes.push(`fits stage ${s + 1} but has no value for the join key(s)`);
      for (const key of keys) {
        const k = keyString(key);
        if (s === 0) {
          const prior = waiting[0].get(k);
          if (prior) step.notes.push(`stage 1 for key ${fmtKey(key)}: replaces the partial sequence started by event ${prior.startedBy} (only the newest is kept)`);
          else step.notes.push(`stage 1 for key ${fmtKey(key)}: starts a partial sequence`);
          waiting[0].set(k, { startedBy: i + 1, start: ts });
          enforceCap(step);
          continue;
        }
        const partial = waiting[s - 1].get(k);
        if (!partial) {
          step.notes.push(`fits stage ${s + 1} for key ${fmtKey(key)}, but no partial sequence for that key has reached stage ${s}`);
          continue;
        }
        if (ts - partial.start > maxspan) {
          waiting[s - 1].delete(k);
          step.notes.push(`fits stage ${s + 1} for key ${fmtKey(key)}, but the partial sequence started by event ${partial.startedBy} is ${fmtMs(ts - partial.start)} old, beyond maxspan ${fmtMs(maxspan)}`);
          continue;
        }
        waiting[s - 1].delete(k);
        if (s === stages.length - 1) step.notes.push(`stage ${s + 1} for key ${fmtKey(key)}: completes the sequence started by event ${partial.startedBy}`);
        else {
          const prior = waiting[s].get(k);
          step.notes.push(`stage ${s + 1} for key ${fmtKey(key)}: advances the sequence started by event ${partial.startedBy}${prior ? ` (replacing the one started by event ${prior.startedBy})` : ''}`);
          waiting[s].set(k, partial);
        }
      }
    }
    if (!fitsAny && step.notes.length === 0) step.notes.push('fits no stage');
  }
  alerts.push(...runner.flush());
  if (sequence.stages.some((s) => s.missing)) steps.push({ event: 0, timestamp: Number.NaN, notes: ['missing-event stages (`![...]`) are decided by the engine and not traced here'] });
  return { steps, alerts };
}

/** Renders a sequence trace as text. */
export function formatSequenceExplanation(x: SequenceExplanation): string {
  const lines = x.steps.map((s) => `${s.event > 0 ? `event ${s.event}` : 'note'}${Number.isNaN(s.timestamp) ? '' : ` @ ${new Date(s.timestamp).toISOString()}`}\n${s.notes.map((n) => `    ${n}`).join('\n')}`);
  lines.push(`${x.alerts.length} alert(s)${x.alerts.length ? `: ${x.alerts.map((a) => `join keys ${JSON.stringify(a.joinKeys)}`).join('; ')}` : ''}`);
  return lines.join('\n');
}
