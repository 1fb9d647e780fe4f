/**
 * Threshold and new_terms rules at 100k keys: events/s through the engine (baseline: the same rule as a plain
 * query rule, which matches the same events but keeps no state) and bytes of state per key (heap growth after
 * a full GC where `--expose-gc` allows, divided by the keys held).
 */
import { compileQuery } from '../src/compile-query.js';
import { ARTIFACT_VERSION, type ArtifactRule, type RuleArtifact } from '../src/ir/artifact.js';
import { createEngine } from '../src/runtime/index.js';

type Emit = (bench: string, value: number, unit: string, baseline: number, extra?: Record<string, unknown>) => void;

const QUERY = 'event.provider: "bedrock.amazonaws.com" and event.action: "InvokeModel"';
const KEYS = 100_000;

function rule(settings: Partial<ArtifactRule>): RuleArtifact {
  const compiled = compileQuery(QUERY, { language: 'kuery' });
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('; '));
  return {
    artifactVersion: ARTIFACT_VERSION,
    rule: { rule_id: `agg-${settings.type}`, name: 'bench', description: '', type: 'query', language: 'kuery', severity: 'low', risk_score: 21, tags: [], threat: [], interval: '5m', from: 'now-9m', ...settings },
    query: QUERY,
    ir: JSON.parse(JSON.stringify(compiled.ir)) as RuleArtifact['ir'],
    fields: compiled.ir.fields,
    source: { file: 'bench/aggregations.ts', sha256: '' },
  };
}

const gc = (globalThis as { gc?: () => void }).gc;
const heap = (): number => {
  gc?.();
  return process.memoryUsage().heapUsed;
};

/** `KEYS` users, each calling twice within a few minutes (so every key is held at the end), in time order. */
function events(): Record<string, unknown>[] {
  const t0 = Date.UTC(2026, 0, 1);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < 2 * KEYS; i++) {
    const user = `user-${i % KEYS}`;
    out.push({ '@timestamp': new Date(t0 + Math.floor((i * 180_000) / (2 * KEYS))).toISOString(), event: { provider: 'bedrock.amazonaws.com', action: 'InvokeModel' }, user: { name: user }, gen_ai: { request: { model: { id: `model-${(i % KEYS) % 7}` } } } });
  }
  return out;
}

function measure(artifact: RuleArtifact, stream: Record<string, unknown>[]): { rate: number; bytesPerKey: number; keys: number; alerts: number } {
  const before = heap();
  const engine = createEngine([artifact], { newTermsWarmup: 'none' });
  let alerts = 0;
  const start = process.hrtime.bigint();
  for (const e of stream) alerts += engine.process(e).length;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const keys = engine.stats().rules[0]?.pending ?? 0;
  const bytesPerKey = keys > 0 ? (heap() - before) / keys : 0;
  alerts += engine.flush().length;
  return { rate: stream.length / seconds, bytesPerKey, keys, alerts };
}

/** Emits threshold and new_terms events/s and bytes of state per key at 100k keys. */
export function benchAggregations(emit: Emit): void {
  const stream = events();
  const baseline = measure(rule({ type: 'query' }), stream);
  const threshold = measure(rule({ type: 'threshold', threshold: { field: ['user.name'], value: 3 } }), stream);
  const newTerms = measure(rule({ type: 'new_terms', new_terms_fields: ['user.name', 'gen_ai.request.model.id'], history_window_start: 'now-7d' }), stream);
  const note = { events: stream.length, baselineName: 'the same query as a query rule (no state)', gcBeforeHeap: gc !== undefined };
  emit('engine.threshold.100k-keys', threshold.rate, 'events/s', baseline.rate, { ...note, keys: threshold.keys, alerts: threshold.alerts });
  emit('engine.threshold.state-per-key', threshold.bytesPerKey, 'bytes/key', threshold.bytesPerKey, { keys: threshold.keys });
  emit('engine.new_terms.100k-keys', newTerms.rate, 'events/s', baseline.rate, { ...note, keys: newTerms.keys, alerts: newTerms.alerts });
  emit('engine.new_terms.state-per-key', newTerms.bytesPerKey, 'bytes/key', newTerms.bytesPerKey, { keys: newTerms.keys });
}
