import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEngine, loadRules } from '../../src/runtime/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (name: string) => readFileSync(join(root, 'examples', name), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const events = read('bedrock-attack.ndjson');
// The day before (what `npm start` passes as --history): the new_terms rule learns each identity's models.
const history = read('bedrock-history.ndjson');

describe('the bundled attack story (examples/bedrock-attack.ndjson)', () => {
  const engine = createEngine(loadRules(join(root, 'dist-rules')), { latenessMs: 5 * 60_000, newTermsWarmup: 'none' });
  const historyEnd = Math.max(...history.map((e) => Date.parse(String(e['@timestamp']))));
  for (const e of history) engine.process(e);
  const alerts = [...events.flatMap((e) => engine.process(e)), ...engine.flush()].filter((a) => Date.parse(a['kibana.alert.original_time'] ?? '') > historyEnd);
  const keyOf = (a: (typeof alerts)[number]) =>
    a['kibana.alert.threshold_result'] ? a['kibana.alert.threshold_result'].terms[0]!.value : (a.events[0] as { aws: { cloudtrail: { user_identity: { access_key_id: string } } } }).aws.cloudtrail.user_identity.access_key_id;

  it('touches all six rules', () => {
    const byRule = new Map<string, number>();
    for (const a of alerts) byRule.set(a['kibana.alert.rule.name'], (byRule.get(a['kibana.alert.rule.name']) ?? 0) + 1);
    expect(Object.fromEntries(byRule)).toEqual({
      'AWS Bedrock Model Access APIs Called Outside the Console': 4,
      'AWS Bedrock Models Listed Then Invoked With a Long-Term Access Key': 1,
      'AWS Bedrock Provisioned Throughput Created, Changed or Deleted': 2,
      'AWS Bedrock Model Imported or Marketplace Endpoint Registered': 1,
      'AWS Bedrock Model Invocations Repeatedly Denied for One Identity': 1,
      'AWS Bedrock Model Invoked for the First Time by an Identity': 1,
    });
  });
  it('alerts only on the leaked key: the background and the near misses stay silent', () => {
    expect(new Set(alerts.map(keyOf))).toEqual(new Set(['AKIA4CILEGACYLEAKED1', 'arn:aws:iam::111122223333:user/ci-legacy']));
    const threshold = alerts.find((a) => a['kibana.alert.threshold_result']);
    expect(threshold?.['kibana.alert.threshold_result']).toMatchObject({ count: 6, cardinality: [{ value: 5 }] });
    expect(alerts.find((a) => a['kibana.alert.new_terms'])?.['kibana.alert.new_terms']).toEqual(['arn:aws:iam::111122223333:user/ci-legacy', 'anthropic.claude-3-opus-20240229-v1:0']);
    expect(events.length).toBeGreaterThan(250);
  });
});
