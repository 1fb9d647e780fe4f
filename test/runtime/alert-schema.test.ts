import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import schema from '../../src/runtime/alerts/alert.schema.json' with { type: 'json' };
import { createEngine } from '../../src/runtime/index.js';
import { artifactFor } from '../helpers/artifacts.js';

const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

describe('the alert JSON schema', () => {
  it('describes query, sequence and sample alerts exactly (no undocumented keys)', () => {
    const rules = [
      artifactFor('event.action: A', 'kuery', { rule_id: 'q', version: 3, references: ['https://example.com'], from: 'now-6m', interval: '5m', max_signals: 100, timestamp_override: 'event.ingested', building_block_type: 'default', threat: [{ framework: 'MITRE ATT&CK', tactic: { id: 'TA0040', name: 'Impact', reference: 'https://attack.mitre.org/tactics/TA0040/' }, technique: [{ id: 'T1496', name: 'Resource Hijacking', reference: 'https://attack.mitre.org/techniques/T1496/', subtechnique: [] }] }] }),
      artifactFor('sequence by user.name [any where event.action == "A"] [any where event.action == "B"]', 'eql', { rule_id: 's' }),
      artifactFor('sample by user.name [any where event.action == "A"] [any where event.action == "B"]', 'eql', { rule_id: 'm' }),
    ];
    const engine = createEngine(rules);
    const alerts = [
      ...engine.process({ '@timestamp': '2026-01-01T00:00:00Z', event: { action: 'A', category: ['api'] }, user: { name: 'u' } }),
      ...engine.process({ '@timestamp': '2026-01-01T00:01:00Z', event: { action: 'B' }, user: { name: 'u' } }),
      ...engine.flush(),
    ];
    expect(alerts.map((a) => a['kibana.alert.rule.rule_id']).sort()).toEqual(['m', 'q', 's']);
    for (const a of alerts) expect(validate(a) ? [] : validate.errors).toEqual([]);
  });
});
