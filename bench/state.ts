/**
 * Sequence state under a flood of unique join keys: 10M events (generated one at a time, never held), each
 * opening a partial sequence for a new key, through the engine with `maxPendingPerRule` at its default. Reports
 * the peak heap (sampled after a full GC where `--expose-gc` allows), the evictions, events/s, and checks
 * that keys completing while they are among the newest `cap` partials still alert while an evicted key does not.
 */
import { compileQuery } from '../src/compile-query.js';
import { ARTIFACT_VERSION, type RuleArtifact } from '../src/ir/artifact.js';
import { createEngine } from '../src/runtime/index.js';

type Emit = (bench: string, value: number, unit: string, baseline: number, extra?: Record<string, unknown>) => void;

const QUERY = 'sequence by user.name [process where event.action == "open"] [process where event.action == "close"]';
/** The engine's default `maxPendingPerRule` (not passed below, so the default is what is measured). */
const DEFAULT_CAP = 100_000;
/** Every COMPLETE_EVERY-th event, the key opened LAG events earlier closes (LAG < cap: it must alert). */
const COMPLETE_EVERY = 1_000;
const LAG = 50_000;
const SAMPLE_EVERY = 250_000;

function rule(): RuleArtifact {
  const compiled = compileQuery(QUERY, { language: 'eql' });
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('; '));
  return {
    artifactVersion: ARTIFACT_VERSION,
    rule: { rule_id: 'state-flood', name: 'Open then close', description: '', type: 'eql', language: 'eql', severity: 'low', risk_score: 21, tags: [], threat: [] },
    query: QUERY,
    ir: JSON.parse(JSON.stringify(compiled.ir)) as RuleArtifact['ir'],
    fields: compiled.ir.fields,
    source: { file: 'bench/state.ts', sha256: '' },
  };
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = (): number => {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

/** Runs the flood; `events` defaults to 10M (RULEFORGE_STATE_EVENTS overrides it for a quick look). */
export function benchState(emit: Emit, events = Number(process.env.RULEFORGE_STATE_EVENTS ?? 10_000_000)): void {
  const engine = createEngine([rule()]);
  const t0 = Date.UTC(2026, 5, 5);
  const before = heapMb();
  // The peak is taken from the cap on: what the benches before this one leave (their engines' generated code)
  // is collected over the first samples, and would read as a peak that the flood never made.
  let peak = 0;
  let atCap: number | undefined;
  let maxPending = 0;
  let alerts = 0;
  let expected = 0;
  let opened = 0;
  let work = 0; // ns spent in the engine, without the heap sampling
  let started = process.hrtime.bigint();
  for (let i = 0; i < events; i++) {
    // Fresh objects per event, as parsed input would be; only the key and time differ.
    alerts += engine.process({ '@timestamp': t0 + i, event: { category: 'process', action: 'open' }, user: { name: `user-${i}` } }).length;
    opened++;
    if (i % COMPLETE_EVERY === 0 && i >= LAG) {
      alerts += engine.process({ '@timestamp': t0 + i, event: { category: 'process', action: 'close' }, user: { name: `user-${i - LAG}` } }).length;
      expected++;
    }
    if (i % SAMPLE_EVERY === SAMPLE_EVERY - 1) {
      work += Number(process.hrtime.bigint() - started);
      const s = engine.stats();
      maxPending = Math.max(maxPending, s.pendingPartials);
      const heap = heapMb();
      if (atCap === undefined && s.pendingPartials >= DEFAULT_CAP) atCap = heap;
      if (atCap !== undefined) peak = Math.max(peak, heap);
      started = process.hrtime.bigint();
    }
  }
  work += Number(process.hrtime.bigint() - started);
  // The first key was evicted long ago: closing it must not alert.
  alerts += engine.process({ '@timestamp': t0 + events, event: { category: 'process', action: 'close' }, user: { name: 'user-0' } }).length;
  alerts += engine.flush().length;
  const s = engine.stats();
  const expectedEvictions = opened - expected - s.pendingPartials;
  if (maxPending > DEFAULT_CAP) throw new Error(`pending partials ${maxPending} exceeded the cap ${DEFAULT_CAP}`);
  if (alerts !== expected) throw new Error(`${expected - alerts} alerts of keys within the cap were lost (${alerts} of ${expected})`);
  if (s.evictions !== expectedEvictions) throw new Error(`evictions ${s.evictions}, expected ${expectedEvictions}`);
  emit('state.sequence.unique-keys.peak-heap', atCap === undefined ? before : peak, 'MB', atCap ?? before, {
    events: events + expected + 1,
    uniqueKeys: opened,
    cap: DEFAULT_CAP,
    maxPending,
    evictions: s.evictions,
    alerts,
    expectedAlerts: expected,
    eventsPerS: Math.round((events + expected) / (work / 1e9)),
    heapBeforeMb: Math.round(before),
    gcSampled: gc !== undefined,
    baselineName: 'heap when the state first reached the cap',
  });
}
