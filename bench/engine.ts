/**
 * The engine at rule-library scale: every KQL and EQL rule of Elastic's that compiles (../shared/corpus, or the
 * bundled rules when it is absent), loaded at once, over a realistic mix of ECS events.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileQuery } from '../src/compile-query.js';
import { ARTIFACT_VERSION, type RuleArtifact } from '../src/ir/artifact.js';
import { createEngine, DispatchIndex, findAnchors, loadRules } from '../src/runtime/index.js';
import type { CorpusRuleRow } from './corpus-rules.js';
import { makeEcsEvents } from './ecs-events.js';

type Emit = (bench: string, value: number, unit: string, baseline: number, extra?: Record<string, unknown>) => void;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = join(root, '..', 'shared', 'corpus', 'rules', 'queries.jsonl');

/** Artifacts for every corpus rule whose query compiles (KQL query rules and EQL rules). */
function libraryRules(): { rules: RuleArtifact[]; source: string } {
  if (!existsSync(corpus)) return { rules: loadRules(join(root, 'dist-rules')), source: 'bundled dist-rules (../shared is absent)' };
  const rows = readFileSync(corpus, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CorpusRuleRow);
  const rules: RuleArtifact[] = [];
  for (const row of rows) {
    const language = row.language === 'kuery' && row.type === 'query' ? 'kuery' : row.type === 'eql' ? 'eql' : undefined;
    if (!language || row.query === null) continue;
    const compiled = compileQuery(row.query, { language, ...(row.event_category_override ? { categoryField: row.event_category_override } : {}) });
    if (!compiled.ok) continue;
    rules.push({
      artifactVersion: ARTIFACT_VERSION,
      rule: { rule_id: row.rule_id, name: row.name, description: '', type: language === 'eql' ? 'eql' : 'query', language, severity: 'medium', risk_score: 47, tags: [], threat: [] },
      query: row.query,
      ir: JSON.parse(JSON.stringify(compiled.ir)) as RuleArtifact['ir'],
      fields: compiled.ir.fields,
      source: { file: row.path, sha256: '' },
    });
  }
  return { rules, source: `../shared/corpus/rules (${rules.length} of ${rows.length} rules compile: KQL query and EQL)` };
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** Engine throughput with and without the dispatch index, the share of rules evaluated, and run end to end. */
export function benchEngine(emit: Emit): void {
  const { rules, source } = libraryRules();
  // Kept small enough that the run without the index (every rule for every event) finishes in a minute.
  const events = makeEcsEvents(30_000);
  const lines = events.map((e) => JSON.stringify(e));

  // Share of the rule set each event is evaluated against.
  const index = new DispatchIndex(rules.map((r) => findAnchors(r.ir.predicate)));
  const shares = events.map((e) => index.candidates(e).length / rules.length).sort((a, b) => a - b);
  emit('engine.rules-evaluated-share.median', quantile(shares, 0.5) * 100, '%', 100, { p99: Number((quantile(shares, 0.99) * 100).toFixed(2)), rules: rules.length, unanchored: index.unanchored, source, baselineName: 'every rule for every event' });

  const time = (useIndex: boolean, passes: number): { rate: number; alerts: number } => {
    let best = 0;
    let alerts = 0;
    for (let p = 0; p < passes; p++) {
      const engine = createEngine(rules, { useIndex, now: Date.UTC(2026, 5, 5, 12) });
      const start = process.hrtime.bigint();
      let n = 0;
      for (const e of events) n += engine.process(e).length;
      n += engine.flush().length;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      best = Math.max(best, events.length / seconds);
      alerts = n;
    }
    return { rate: best, alerts };
  };
  const withIndex = time(true, 3);
  const without = time(false, 1);
  if (withIndex.alerts !== without.alerts) throw new Error(`the index changed the alerts: ${withIndex.alerts} vs ${without.alerts}`);
  emit('engine.events-per-s', withIndex.rate, 'events/s', without.rate, { rules: rules.length, events: events.length, alerts: withIndex.alerts, baselineName: 'same engine without the dispatch index' });

  // End to end over NDJSON lines, against a bare JSON.parse loop over the same lines.
  const bare = (): number => {
    const start = process.hrtime.bigint();
    let keep = 0;
    for (const l of lines) keep += (JSON.parse(l) as object) ? 1 : 0;
    if (keep < 0) throw new Error('unreachable');
    return lines.length / (Number(process.hrtime.bigint() - start) / 1e9);
  };
  const e2e = (): number => {
    const engine = createEngine(rules, { now: Date.UTC(2026, 5, 5, 12) });
    const start = process.hrtime.bigint();
    for (const l of lines) engine.process(JSON.parse(l));
    engine.flush();
    return lines.length / (Number(process.hrtime.bigint() - start) / 1e9);
  };
  let base = 0;
  let ours = 0;
  for (let r = 0; r < 3; r++) {
    base = Math.max(base, bare());
    ours = Math.max(ours, e2e());
  }
  emit('engine.ndjson.events-per-s', ours, 'lines/s', base, { rules: rules.length, baselineName: 'JSON.parse loop over the same lines' });
}
