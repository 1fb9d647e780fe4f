import { describe, expect, it } from 'vitest';
import { createEngine, type Alert } from '../../src/runtime/index.js';
import { artifactFor } from '../helpers/artifacts.js';

const TAMPERING = artifactFor('data_stream.dataset: "aws.cloudtrail" and event.provider: "bedrock.amazonaws.com" and event.action: ("CreateProvisionedModelThroughput" or "DeleteProvisionedModelThroughput") and event.outcome: "success"', 'kuery', {
  rule_id: 'tampering',
  name: 'Throughput tampering',
  severity: 'medium',
  risk_score: 47,
  tags: ['Domain: Cloud'],
  threat: [{ framework: 'MITRE ATT&CK', tactic: { id: 'TA0040', name: 'Impact', reference: 'https://attack.mitre.org/tactics/TA0040/' }, technique: [] }],
});
const SEQUENCE = artifactFor('sequence by user.name with maxspan=15m [any where event.action == "ListFoundationModels"] [any where event.action == "InvokeModel"]', 'eql', { rule_id: 'seq', name: 'List then invoke', severity: 'high', risk_score: 73 });

const cloudtrail = (action: string, extra: Record<string, unknown> = {}) => ({
  '@timestamp': '2026-06-05T10:00:00.000Z',
  event: { provider: 'bedrock.amazonaws.com', action, outcome: 'success', category: ['api'] },
  source: { address: '203.0.113.9', ip: '203.0.113.9' },
  user: { name: 'ml-ops' },
  ...extra,
});

describe('createEngine: query rules', () => {
  it('raises an alert with Kibana field names and the triggering event', () => {
    const engine = createEngine([TAMPERING], { constants: { 'data_stream.dataset': 'aws.cloudtrail' }, clock: () => Date.parse('2026-06-05T10:01:00Z') });
    const event = cloudtrail('DeleteProvisionedModelThroughput');
    const [alert] = engine.process(event);
    expect(alert).toMatchObject({
      '@timestamp': '2026-06-05T10:01:00.000Z',
      'kibana.alert.rule.rule_id': 'tampering',
      'kibana.alert.rule.name': 'Throughput tampering',
      'kibana.alert.rule.type': 'query',
      'kibana.alert.rule.category': 'Custom Query Rule',
      'kibana.alert.severity': 'medium',
      'kibana.alert.risk_score': 47,
      'kibana.alert.original_time': '2026-06-05T10:00:00.000Z',
      'kibana.alert.status': 'active',
      'kibana.alert.workflow_status': 'open',
      'kibana.alert.reason': 'api event with source 203.0.113.9 by ml-ops created medium alert Throughput tampering.',
      'kibana.alert.rule.tags': ['Domain: Cloud'],
    });
    expect(alert['kibana.alert.uuid']).toMatch(/^[0-9a-f]{32}$/);
    expect((alert.events[0] as { data_stream: { dataset: string } }).data_stream.dataset).toBe('aws.cloudtrail');
    // The caller's event is never modified.
    expect(event).not.toHaveProperty('data_stream');
  });
  it('needs the data stream constants the rule relies on', () => {
    expect(createEngine([TAMPERING]).process(cloudtrail('DeleteProvisionedModelThroughput'))).toEqual([]);
  });
  it('lets an event\'s own value win over a constant', () => {
    const engine = createEngine([TAMPERING], { constants: { 'data_stream.dataset': 'aws.cloudtrail' } });
    expect(engine.process(cloudtrail('DeleteProvisionedModelThroughput', { data_stream: { dataset: 'other' } }))).toEqual([]);
  });
  it('fills event.ingested from the arrival time when asked', () => {
    const rule = artifactFor('event.ingested >= "2026-06-05T00:00:00Z"', 'kuery', { rule_id: 'ingested' });
    const engine = createEngine([rule], { ingestedAtArrival: true });
    const [alert] = engine.process({ a: 1 }, Date.parse('2026-06-05T12:00:00Z'));
    expect((alert.events[0] as { event: { ingested: string } }).event.ingested).toBe('2026-06-05T12:00:00.000Z');
  });
  it('gives the same alert id for the same rule and event', () => {
    const a = createEngine([TAMPERING], { constants: { 'data_stream.dataset': 'aws.cloudtrail' } });
    const b = createEngine([TAMPERING], { constants: { 'data_stream.dataset': 'aws.cloudtrail' } });
    const e = cloudtrail('CreateProvisionedModelThroughput');
    expect(a.process(e)[0]['kibana.alert.uuid']).toBe(b.process(e)[0]['kibana.alert.uuid']);
  });
  it('skips events that are not objects, counting them by reason', () => {
    const engine = createEngine([TAMPERING], { constants: { 'data_stream.dataset': 'aws.cloudtrail' } });
    for (const e of [null, 3, 'x', [1, 2], true]) expect(engine.process(e)).toEqual([]);
    // Skipped before any rule, so counted apart from the events evaluated.
    expect(engine.stats().events).toBe(0);
    expect(engine.stats().skipped).toEqual({ notAnObject: 5, tooDeep: 0, tooLarge: 0 });
  });
});

describe('createEngine: sequences', () => {
  const at = (minute: number, action: string, user = 'dev') => ({ '@timestamp': new Date(Date.UTC(2026, 5, 5, 10, minute)).toISOString(), event: { action }, user: { name: user } });
  it('raises one alert per sequence, with the events in order and the join keys', () => {
    const engine = createEngine([SEQUENCE]);
    expect(engine.process(at(0, 'ListFoundationModels'))).toEqual([]);
    const [alert] = engine.process(at(5, 'InvokeModel'));
    expect(alert['kibana.alert.rule.category']).toBe('Event Correlation Rule');
    expect(alert['kibana.alert.group.join_keys']).toEqual(['dev']);
    expect(alert['kibana.alert.group.id']).toMatch(/^[0-9a-f]{32}$/);
    expect(alert.events.map((e) => (e as { event: { action: string } }).event.action)).toEqual(['ListFoundationModels', 'InvokeModel']);
    expect(alert['kibana.alert.reason']).toBe('event by dev created high alert List then invoke.');
  });
  it('counts pending partials, evictions and events without a timestamp', () => {
    const engine = createEngine([SEQUENCE], { maxPendingPerRule: 2 });
    for (let i = 0; i < 5; i++) engine.process(at(i, 'ListFoundationModels', `u${i}`));
    engine.process({ event: { action: 'ListFoundationModels' }, user: { name: 'x' } });
    const stats = engine.stats();
    expect(stats.pendingPartials).toBe(2);
    expect(stats.evictions).toBe(3);
    expect(stats.rules[0]).toMatchObject({ ruleId: 'seq', evaluations: 6, untimed: 1, pending: 2, evicted: 3 });
  });
  it('keeps an unchanged rule\'s sequence state when the rule set is swapped', () => {
    const engine = createEngine([SEQUENCE]);
    engine.process(at(0, 'ListFoundationModels'));
    engine.setRules([TAMPERING, SEQUENCE]);
    expect(engine.process(at(1, 'InvokeModel'))).toHaveLength(1);
    const changed = artifactFor('sequence by user.name with maxspan=15m [any where event.action == "ListFoundationModels"] [any where event.action : "invokemodel"]', 'eql', { rule_id: 'seq' });
    engine.process(at(2, 'ListFoundationModels'));
    engine.setRules([changed]);
    expect(engine.process(at(3, 'InvokeModel'))).toEqual([]);
    expect(engine.rules().map((r) => r.rule.rule_id)).toEqual(['seq']);
  });
  it('starts a sequence afresh when the field it orders events by changes', () => {
    const engine = createEngine([SEQUENCE]);
    engine.process(at(0, 'ListFoundationModels'));
    engine.setRules([{ ...SEQUENCE, rule: { ...SEQUENCE.rule, timestamp_field: 'event.ingested' } }]);
    expect(engine.process({ ...at(1, 'InvokeModel'), event: { action: 'InvokeModel', ingested: new Date(1).toISOString() } })).toEqual([]);
  });
  it('decides samples at flush', () => {
    const sample = artifactFor('sample by user.name [any where event.action == "A"] [any where event.action == "B"]', 'eql', { rule_id: 'sample' });
    const engine = createEngine([sample]);
    engine.process({ event: { action: 'B' }, user: { name: 'u' } });
    engine.process({ event: { action: 'A' }, user: { name: 'u' } });
    const alerts: Alert[] = engine.flush();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]['kibana.alert.group.join_keys']).toEqual(['u']);
  });
});

describe('createEngine: stats', () => {
  it('counts events, alerts and evaluations per rule, and only evaluates candidates', () => {
    const other = artifactFor('event.action: "Other"', 'kuery', { rule_id: 'other' });
    const engine = createEngine([TAMPERING, other], { constants: { 'data_stream.dataset': 'aws.cloudtrail' }, timing: true });
    engine.process(cloudtrail('DeleteProvisionedModelThroughput'));
    engine.process(cloudtrail('Other'));
    engine.process(cloudtrail('Unrelated'));
    const s = engine.stats();
    expect(s).toMatchObject({ events: 3, alerts: 2, evaluations: 2, unanchoredRules: 0 });
    expect(s.rules.map((r) => [r.ruleId, r.evaluations, r.alerts])).toEqual([['tampering', 1, 1], ['other', 1, 1]]);
    expect(s.rules[0].timeMs).toBeGreaterThanOrEqual(0);
  });
});

describe('createEngine: the profile option', () => {
  it('splits the time into walk, dispatch, rule code and sequence state, each counted once', () => {
    const engine = createEngine([TAMPERING, SEQUENCE], { profile: true });
    const at = (minute: number, action: string) => ({ '@timestamp': new Date(Date.UTC(2026, 5, 5, 10, minute)).toISOString(), event: { action }, user: { name: 'dev' } });
    for (let i = 0; i < 2000; i++) engine.process(at(i % 50, i % 2 === 0 ? 'ListFoundationModels' : 'InvokeModel'));
    const p = engine.stats().profile!;
    for (const part of [p.walk, p.dispatch, p.rules, p.state]) expect(part).toBeGreaterThanOrEqual(0);
    expect(p.state).toBeGreaterThan(0);
    expect(p.walk + p.dispatch).toBeGreaterThan(0);
    expect(createEngine([TAMPERING]).stats().profile).toBeUndefined();
  });
});

