/** EQL benchmarks: a single `where` predicate, and the sequence engine's throughput and bounded state. */
import { compileQuery } from '../src/compile-query.js';
import { SequenceRunner } from '../src/runtime/state/sequence.js';
import { makeEvents } from './cloudtrail-events.js';

type Event = Record<string, unknown>;
type Emit = (bench: string, value: number, unit: string, baseline: number, extra?: Record<string, unknown>) => void;

/** The Python `eql` engine's figure for a simple `where` query on this kind of machine (issue's reference). */
const PYTHON_EQL_EVENTS_PER_S = 1_300_000;

function compile(query: string) {
  const r = compileQuery(query, { language: 'eql' });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r;
}

export function benchEql(emit: Emit): void {
  const events = makeEvents(500_000, 7).map((e) => JSON.parse(JSON.stringify(e)) as Event);

  // A single where predicate, against a hand-written function measured in the same run.
  const where = compile('any where event.provider == "bedrock.amazonaws.com" and event.action : ("invoke*", "converse*") and event.outcome == "success"');
  const hand = (e: Event) => {
    const ev = e.event as Event | undefined;
    if (ev?.provider !== 'bedrock.amazonaws.com' || ev.outcome !== 'success') return false;
    const a = String(ev.action).toLowerCase();
    return a.startsWith('invoke') || a.startsWith('converse');
  };
  let best = 0;
  let baseBest = 0;
  for (let r = 0; r < 5; r++) {
    let t = process.hrtime.bigint();
    for (const e of events) hand(e);
    baseBest = Math.max(baseBest, events.length / (Number(process.hrtime.bigint() - t) / 1e9));
    t = process.hrtime.bigint();
    for (const e of events) where.matcher(e);
    best = Math.max(best, events.length / (Number(process.hrtime.bigint() - t) / 1e9));
  }
  emit('eql.where.events-per-s', best, 'events/s', baseBest, { baselineName: 'hand-written JS', pythonEqlReference: PYTHON_EQL_EVENTS_PER_S, vsPython: Number((best / PYTHON_EQL_EVENTS_PER_S).toFixed(1)) });

  // A two-stage sequence with 100k live join keys: every key starts a partial, a tenth complete.
  const seq = compile('sequence by user.id with maxspan=1h [any where event.action == "ListFoundationModels"] [any where event.action == "InvokeModel"]');
  const keys = 100_000;
  const stream: { e: Event; ts: number }[] = [];
  for (let i = 0; i < keys; i++) stream.push({ e: { event: { action: 'ListFoundationModels' }, user: { id: `u${i}` } }, ts: i });
  for (let i = 0; i < keys; i += 10) stream.push({ e: { event: { action: 'InvokeModel' }, user: { id: `u${i}` } }, ts: keys + i });
  (globalThis as { gc?: () => void }).gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const runner = new SequenceRunner(seq.ir.sequence!, { maxPending: 1_000_000 });
  const t0 = process.hrtime.bigint();
  let completed = 0;
  for (const { e, ts } of stream) completed += runner.push(e, ts).length;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  (globalThis as { gc?: () => void }).gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const pending = runner.stats().pending;
  emit('eql.sequence.100k-keys', stream.length / seconds, 'events/s', PYTHON_EQL_EVENTS_PER_S, {
    completed,
    pending,
    bytesPerPendingPartial: Math.round((heapAfter - heapBefore) / Math.max(1, pending)),
    peakHeapMB: Math.round(process.memoryUsage().heapUsed / 1e6),
    baselineName: 'Python eql where-query reference',
  });

  // A flood of unique keys against a cap of 10,000 pending partials: state stays at the cap, evictions counted.
  const capped = new SequenceRunner(seq.ir.sequence!, { maxPending: 10_000 });
  let peak = 0;
  for (let i = 0; i < 1_000_000; i++) {
    capped.push({ event: { action: 'ListFoundationModels' }, user: { id: `k${i}` } }, i);
    if ((i & 0xffff) === 0) peak = Math.max(peak, capped.stats().pending);
  }
  const s = capped.stats();
  emit('eql.sequence.cap-under-flood', s.pending, 'pending partials', 10_000, { evicted: s.evicted, peakPending: Math.max(peak, s.pending), keysFed: 1_000_000 });
}
