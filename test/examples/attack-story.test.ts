import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEngine, loadRules } from '../../src/runtime/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const events = readFileSync(join(root, 'examples', 'bedrock-attack.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the bundled attack story (examples/bedrock-attack.ndjson)', () => {
  const engine = createEngine(loadRules(join(root, 'dist-rules')), { latenessMs: 5 * 60_000 });
  const alerts = [...events.flatMap((e) => engine.process(e)), ...engine.flush()];
  const keyOf = (a: (typeof alerts)[number]) => ((a.events[0] as { aws: { cloudtrail: { user_identity: { access_key_id: string } } } }).aws.cloudtrail.user_identity.access_key_id);

  it('touches all four rules', () => {
    const byRule = new Map<string, number>();
    for (const a of alerts) byRule.set(a['kibana.alert.rule.name'], (byRule.get(a['kibana.alert.rule.name']) ?? 0) + 1);
    expect(Object.fromEntries(byRule)).toEqual({
      'AWS Bedrock Model Access APIs Called Outside the Console': 4,
      'AWS Bedrock Models Listed Then Invoked With a Long-Term Access Key': 1,
      'AWS Bedrock Provisioned Throughput Created, Changed or Deleted': 2,
      'AWS Bedrock Model Imported or Marketplace Endpoint Registered': 1,
    });
  });
  it('alerts only on the leaked key: the background and the near misses stay silent', () => {
    expect(new Set(alerts.map(keyOf))).toEqual(new Set(['AKIA4CILEGACYLEAKED1']));
    expect(events.length).toBeGreaterThan(250);
  });
});
