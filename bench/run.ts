/**
 * `npm run bench`: prints one JSON line per figure, `{bench, value, unit, baseline, ratio}`, each ratio taken
 * against a baseline measured in the same run on the same data (machines are shared and noisy).
 */
import { compileQuery } from '../src/compile-query.js';
import { makeEvents } from './cloudtrail-events.js';

/** The query of the bundled Bedrock rule "Provisioned Model Throughput Tampering". */
export const THROUGHPUT_TAMPERING =
  'data_stream.dataset: "aws.cloudtrail" and event.provider: "bedrock.amazonaws.com" and event.action: ' +
  '( "CreateProvisionedModelThroughput" or "UpdateProvisionedModelThroughput" or "DeleteProvisionedModelThroughput" ) ' +
  'and event.outcome: "success"';

type Event = Record<string, unknown>;
type Obj = Record<string, unknown> | undefined;

/** The same condition written by hand for nested events, the way a developer would. */
function handWritten(e: Event): boolean {
  const ds = e.data_stream as Obj;
  const ev = e.event as Obj;
  if (ds?.dataset !== 'aws.cloudtrail' || ev?.provider !== 'bedrock.amazonaws.com') return false;
  const action = ev.action;
  return (
    (action === 'CreateProvisionedModelThroughput' || action === 'UpdateProvisionedModelThroughput' || action === 'DeleteProvisionedModelThroughput') &&
    ev.outcome === 'success'
  );
}

function emit(bench: string, value: number, unit: string, baseline: number, extra: Record<string, unknown> = {}): void {
  process.stdout.write(JSON.stringify({ bench, value: Math.round(value), unit, baseline: Math.round(baseline), ratio: Number((value / baseline).toFixed(3)), ...extra }) + '\n');
}

/** Best-of-N events/s of `fn` over `events`, `passes` times over the pool per run. */
function throughput(events: Event[], passes: number, fn: (e: Event) => boolean, runs = 5): { rate: number; hits: number } {
  let best = 0;
  let hits = 0;
  for (let r = 0; r < runs; r++) {
    hits = 0;
    const start = process.hrtime.bigint();
    for (let p = 0; p < passes; p++) for (let i = 0; i < events.length; i++) if (fn(events[i])) hits++;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, (events.length * passes) / seconds);
  }
  return { rate: best, hits };
}

function benchKqlMatcher(): void {
  const compiled = compileQuery(THROUGHPUT_TAMPERING, { language: 'kuery' });
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('; '));
  const matcher = compiled.matcher;
  const lines = makeEvents(250_000).map((e) => JSON.stringify(e));
  const events = lines.map((l) => JSON.parse(l) as Event);
  const passes = 4; // 1M evaluations per run
  // Interleave, so that neither side benefits from running second on a warmer machine.
  throughput(events, 1, handWritten, 1);
  throughput(events, 1, matcher, 1);
  const base = throughput(events, passes, handWritten);
  const ours = throughput(events, passes, matcher);
  if (base.hits !== ours.hits) throw new Error(`matcher disagrees with the hand-written function: ${ours.hits} vs ${base.hits} hits`);
  emit('kql.matcher.throughput-tampering', ours.rate, 'events/s', base.rate, { events: events.length * passes, hits: ours.hits, baselineName: 'hand-written JS' });

  // End to end over JSON lines: parse then match, against parse then the hand-written function.
  const e2e = (fn: (e: Event) => boolean) => {
    let best = 0;
    for (let r = 0; r < 3; r++) {
      const start = process.hrtime.bigint();
      let hits = 0;
      for (let i = 0; i < lines.length; i++) if (fn(JSON.parse(lines[i]) as Event)) hits++;
      best = Math.max(best, lines.length / (Number(process.hrtime.bigint() - start) / 1e9));
      if (hits < 0) throw new Error('unreachable');
    }
    return best;
  };
  const baseLines = e2e(handWritten);
  const oursLines = e2e(matcher);
  emit('kql.ndjson.throughput-tampering', oursLines, 'lines/s', baseLines, { events: lines.length, baselineName: 'JSON.parse + hand-written JS' });
}

benchKqlMatcher();
