import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';
import { SequenceRunner } from '../../src/runtime/state/sequence.js';

// The published "Foundation Model Enumeration Followed by Invocation via Long-Term Key" detection.
const QUERY = `sequence by aws.cloudtrail.user_identity.access_key_id with maxspan=15m
  [any where data_stream.dataset == "aws.cloudtrail" and event.provider == "bedrock.amazonaws.com"
     and event.action == "ListFoundationModels" and event.outcome == "success"
     and aws.cloudtrail.user_identity.access_key_id like "AKIA*"]
  [any where data_stream.dataset == "aws.cloudtrail" and event.provider == "bedrock.amazonaws.com"
     and event.action : ("InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream")
     and event.outcome == "success"]`;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The real Converse event (Elastic's CloudTrail pipeline output) from the bundled sample, as a template.
const converse = readFileSync(join(root, 'examples', 'cloudtrail-sample.ndjson'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Record<string, any>)
  .find((e) => e.event.action === 'Converse')!;

function call(action: string, at: string, key = 'AKIAIOSFODNN7EXAMPLE', outcome = 'success') {
  const e = structuredClone(converse);
  e['@timestamp'] = at;
  e.event.action = action;
  e.event.outcome = outcome;
  e.aws.cloudtrail.user_identity.access_key_id = key;
  return e;
}

function run(events: Record<string, any>[]) {
  const r = compileQuery(QUERY, { language: 'eql' });
  if (!r.ok || !r.ir.sequence) throw new Error('does not compile');
  const runner = new SequenceRunner(r.ir.sequence);
  return events.flatMap((e) => runner.push(e, Date.parse(e['@timestamp'])));
}

describe('the Bedrock enumeration-then-invocation sequence', () => {
  it('fires on enumeration then invocation with one long-term key', () => {
    const hits = run([call('ListFoundationModels', '2024-10-29T16:00:00Z'), call('Converse', '2024-10-29T16:05:00Z')]);
    expect(hits).toHaveLength(1);
    expect(hits[0].joinKeys).toEqual(['AKIAIOSFODNN7EXAMPLE']);
    expect(hits[0].events.map((e) => (e as any).event.action)).toEqual(['ListFoundationModels', 'Converse']);
  });
  it('fires at exactly 15 minutes (maxspan is inclusive)', () => {
    expect(run([call('ListFoundationModels', '2024-10-29T16:00:00Z'), call('InvokeModel', '2024-10-29T16:15:00Z')])).toHaveLength(1);
  });
  it('stays silent on near misses', () => {
    const t0 = '2024-10-29T16:00:00Z';
    const t1 = '2024-10-29T16:05:00Z';
    expect(run([call('ListFoundationModels', t0, 'ASIAXYZ'), call('Converse', t1, 'ASIAXYZ')]), 'temporary ASIA key').toHaveLength(0);
    expect(run([call('ListFoundationModels', t0), call('Converse', '2024-10-29T16:16:00Z')]), '16 minutes apart').toHaveLength(0);
    expect(run([call('ListFoundationModels', t0, 'AKIAONE'), call('Converse', t1, 'AKIATWO')]), 'two different keys').toHaveLength(0);
    expect(run([call('Converse', t0), call('ListFoundationModels', t1)]), 'wrong order').toHaveLength(0);
    expect(run([call('ListFoundationModels', t0, undefined, 'failure'), call('Converse', t1)]), 'failed enumeration').toHaveLength(0);
    expect(run([call('ListFoundationModels', t0), call('Converse', t1, undefined, 'failure')]), 'failed invocation').toHaveLength(0);
    expect(run([call('ListFoundationModels', t0), call('GetFoundationModel', t1)]), 'read-only sibling API').toHaveLength(0);
  });
  it('uses the newest enumeration when several precede the invocation', () => {
    const hits = run([call('ListFoundationModels', '2024-10-29T16:00:00Z'), call('ListFoundationModels', '2024-10-29T16:10:00Z'), call('Converse', '2024-10-29T16:20:00Z')]);
    expect(hits).toHaveLength(1);
    expect((hits[0].events[0] as any)['@timestamp']).toBe('2024-10-29T16:10:00Z');
  });
});
