import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { at, bedrockCall, INVOKE_QUERY, runCli } from '../helpers/bedrock-cli.js';
import { runRuleExamples } from '../../src/rules/run-examples.js';
import { codes, kqlRule, ruleDir, validateFiles } from '../helpers/rule-files.js';

const run = runCli;
const call = (minute: number, user: string, model: string, outcome = 'success') => bedrockCall(minute, user, model, outcome);
const query = INVOKE_QUERY;
const thresholdRule = (tests: unknown[]) => kqlRule({ type: 'threshold', query: `${query} and event.outcome: "failure"`, interval: '5m', from: 'now-9m', threshold: { field: ['user.name'], value: 3 }, tests });
const newTermsRule = (tests?: unknown[]) => kqlRule({ rule_id: '00000000-0000-4000-8000-000000000009', name: 'New model', type: 'new_terms', query, new_terms_fields: ['user.name', 'gen_ai.request.model.id'], history_window_start: 'now-7d', ...(tests ? { tests } : {}) });

describe('ruleforge test: threshold and new_terms examples', () => {
  it('checks a threshold example’s buckets and shows the buckets found when it fails', () => {
    const events = [1, 2, 3].map((m) => ({ event: call(m, 'mallory', 'm', 'failure') }));
    const v = validateFiles({ 't.yaml': thresholdRule([{ name: 'ok', expect: { alerts: 1, buckets: [{ terms: { 'user.name': 'mallory' }, count: 3 }] }, events }, { name: 'wrong', expect: { alerts: 1, buckets: [{ terms: { 'user.name': 'bob' } }] }, events }, { name: 'two short', expect: 'no-match', events: events.slice(1) }]) });
    expect(v.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const results = runRuleExamples(v.checked);
    expect(results.map((r) => [r.example, r.passed])).toEqual([['ok', true], ['wrong', false], ['two short', true]]);
    expect(results[1]!.message).toMatch(/expected buckets \[\{"terms":\{"user.name":"bob"\}\}\]/);
    expect(results[1]!.details?.[0]).toBe('bucket {"user.name":"mallory"}: 3 event(s)');
  });

  it('learns from `history` events and reports only the example events’ new terms', () => {
    const v = validateFiles({
      'n.yaml': newTermsRule([
        { name: 'new model', expect: { alerts: 1, new_terms: [['alice', 'opus']] }, history: [{ event: call(-60 * 24, 'alice', 'sonnet') }], events: [{ event: call(1, 'alice', 'sonnet') }, { event: call(2, 'alice', 'opus') }] },
        { name: 'seen', expect: 'no-match', history: [{ event: call(-60 * 24, 'alice', 'opus') }], events: [{ event: call(2, 'alice', 'opus') }] },
      ]),
    });
    expect(v.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(runRuleExamples(v.checked).map((r) => [r.example, r.passed, r.message])).toEqual([['new model', true, undefined], ['seen', true, undefined]]);
  });

  it('reports expectations a rule type cannot meet (test/expectation)', () => {
    const v = validateFiles({ 'q.yaml': kqlRule({ tests: [{ name: 'b', expect: { alerts: 1, buckets: [{ terms: {} }] }, history: [{ event: call(1, 'a', 'm') }], event: { event: call(1, 'a', 'm') } }] }), 't.yaml': thresholdRule([{ name: 'n', expect: { alerts: 2, buckets: [{ terms: {} }] }, events: [{ event: call(1, 'a', 'm') }] }]) });
    expect(codes(v).filter((c) => c.endsWith('test/expectation'))).toHaveLength(3);
    expect(v.diagnostics.map((d) => d.message)).toEqual(expect.arrayContaining(['Only threshold rules produce buckets.', 'Only new_terms rules read `history` events.', 'The list has 1 entry but `alerts` is 2.']));
  });
});

describe('ruleforge run with threshold and new_terms rules', () => {
  const dir = ruleDir({ 'n.yaml': newTermsRule() });
  const history = join(dir, 'history.ndjson');
  const events = join(dir, 'events.ndjson');
  writeFileSync(history, `${[call(-60 * 24, 'alice', 'sonnet'), call(-60 * 23, 'bob', 'sonnet')].map((e) => JSON.stringify(e)).join('\n')}\n`);
  writeFileSync(events, `${[call(1, 'alice', 'sonnet'), call(2, 'alice', 'opus'), call(3, 'bob', 'sonnet')].map((e) => JSON.stringify(e)).join('\n')}\n`);

  it('--history builds the history; only the input’s new terms are printed', () => {
    const r = run(['run', '--rules', dir, '--history', history, events]);
    expect(r.code).toBe(0);
    const alerts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(alerts.map((a) => a['kibana.alert.new_terms'])).toEqual([['alice', 'opus']]);
    expect(alerts[0]).toMatchObject({ 'kibana.alert.rule.type': 'new_terms', 'kibana.alert.original_time': at(2), '@timestamp': at(5) });
  });

  it('without history the first window of history only learns (default), or alerts at once with --new-terms-warmup none', () => {
    expect(run(['run', '--rules', dir, events]).stdout).toBe('');
    const none = run(['run', '--rules', dir, '--new-terms-warmup', 'none', events]);
    expect(none.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Record<string, unknown>)['kibana.alert.new_terms'])).toEqual([['alice', 'opus'], ['alice', 'sonnet'], ['bob', 'sonnet']]);
    expect(run(['run', '--rules', dir, '--new-terms-warmup', 'sometimes', events]).code).toBe(2);
  });

  it('export --to kibana carries the threshold and new_terms settings', () => {
    const exported = ruleDir({ 't.yaml': thresholdRule([]).tests ? { ...thresholdRule([]), tests: undefined } : thresholdRule([]), 'n.yaml': newTermsRule() });
    const r = run(['export', '--to', 'kibana', exported]);
    expect(r.code).toBe(0);
    const rules = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rules.find((x) => x.type === 'threshold')).toMatchObject({ threshold: { field: ['user.name'], value: 3 }, interval: '5m', from: 'now-9m' });
    expect(rules.find((x) => x.type === 'new_terms')).toMatchObject({ new_terms_fields: ['user.name', 'gen_ai.request.model.id'], history_window_start: 'now-7d' });
  });
});

describe('ruleforge explain for threshold and new_terms rules', () => {
  it('says per execution why a bucket did or did not reach the threshold', () => {
    const r = run(['explain', '--rule', 'rules/credential_access_bedrock_repeated_denied_model_invocations.yaml', '--event', 'examples/bedrock-attack.ndjson']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('6 event(s) matched the query.');
    expect(r.stdout).toMatch(/ci-legacy": 6 event\(s\) \(needs 5\), 5 distinct aws\.cloudtrail\.flattened\.request_parameters\.modelId \(needs 3\) → ALERT/);
    expect(r.stdout).toMatch(/6 already counted by an earlier alert.*→ no alert: fewer events than threshold\.value/);
  });
  it('says why a combination counted as new or not (JSON)', () => {
    const r = run(['explain', '--format', 'json', '--rule', 'rules/initial_access_bedrock_first_model_use_by_identity.yaml', '--event', 'examples/bedrock-attack.ndjson']);
    const x = JSON.parse(r.stdout) as { executions: { values: string[]; verdict: string }[] };
    const verdicts = new Set(x.executions.map((e) => e.verdict));
    expect([...verdicts].sort()).toEqual(['already-alerted', 'new', 'seen-in-history']);
    expect(x.executions.filter((e) => e.verdict === 'new').map((e) => e.values[1])).toContain('anthropic.claude-3-opus-20240229-v1:0');
  });
});

describe('validate: the fields a threshold rule groups and counts by', () => {
  it('warns about unknown threshold.field and cardinality fields, at their place', () => {
    const v = validateFiles({ 't.yaml': kqlRule({ type: 'threshold', index: ['logs-*'], threshold: { field: ['user.nmae'], value: 3, cardinality: [{ field: 'source.ipp', value: 2 }] } }) });
    const unknown = v.diagnostics.filter((d) => d.code === 'field/unknown');
    expect(unknown.map((d) => [d.message, d.severity])).toEqual([['Unknown field `user.nmae`.', 'warning'], ['Unknown field `source.ipp`.', 'warning']]);
    expect(unknown.every((d) => d.line > 1 && d.column > 1)).toBe(true);
  });
});

describe('ruleforge run --kibana-schedule', () => {
  it('raises the same query alerts on the attack story, stamped on the execution grid', () => {
    const parse = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const perEvent = parse(run(['run', 'examples/bedrock-attack.ndjson']).stdout);
    const scheduled = parse(run(['run', '--kibana-schedule', 'examples/bedrock-attack.ndjson']).stdout);
    const ids = (alerts: Record<string, unknown>[]) => alerts.map((a) => a['kibana.alert.uuid']).sort();
    expect(ids(scheduled)).toEqual(ids(perEvent));
    for (const a of scheduled.filter((x) => x['kibana.alert.rule.type'] === 'query')) expect(Date.parse(String(a['@timestamp'])) % 300_000).toBe(0);
  });
});
