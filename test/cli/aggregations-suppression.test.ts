import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bedrockCall, INVOKE_QUERY, runCli } from '../helpers/bedrock-cli.js';
import { runRuleExamples } from '../../src/rules/run-examples.js';
import { codes, kqlRule, ruleDir, validateFiles } from '../helpers/rule-files.js';

const run = runCli;
const call = (minute: number, user: string, model: string, outcome = 'success') => bedrockCall(minute, user, model, outcome);
const query = INVOKE_QUERY;
const thresholdRule = (extra: Record<string, unknown>) => kqlRule({ type: 'threshold', query: `${query} and event.outcome: "failure"`, interval: '5m', from: 'now-5m', threshold: { field: ['user.name'], value: 2 }, ...extra });
const newTermsRule = (extra: Record<string, unknown>) => kqlRule({ rule_id: '00000000-0000-4000-8000-000000000009', name: 'New model', type: 'new_terms', query, new_terms_fields: ['gen_ai.request.model.id'], history_window_start: 'now-7d', ...extra });

describe('ruleforge test: docs_count of threshold and new_terms rules with alert_suppression', () => {
  it('threshold: later buckets of the same threshold.field values fold into the first alert over the duration', () => {
    const events = [1, 2, 6, 7, 31, 32].map((m) => ({ event: call(m, 'mallory', 'm', 'failure') }));
    const v = validateFiles({
      't.yaml': thresholdRule({
        alert_suppression: { duration: { value: 20, unit: 'm' } },
        tests: [
          { name: 'folded', expect: { alerts: 2, docs_count: [1, 0] }, events },
          { name: 'wrong', expect: { alerts: 2, docs_count: [0, 0] }, events },
        ],
      }),
    });
    expect(v.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const results = runRuleExamples(v.checked);
    expect(results.map((r) => [r.example, r.passed])).toEqual([['folded', true], ['wrong', false]]);
    expect(results[1]!.message).toBe('expected docs_count [0,0], got [1,0]');
  });

  it('new_terms: new terms of one group_by value within one execution are one alert (Kibana writes them in order of their first event)', () => {
    const v = validateFiles({
      'n.yaml': newTermsRule({
        alert_suppression: { group_by: ['user.name'] },
        tests: [{ name: 'two new models, one user', expect: { alerts: 2, docs_count: [1, 0], new_terms: [['opus'], ['haiku']] }, history: [{ event: call(-60 * 24, 'alice', 'sonnet') }], events: [{ event: call(1, 'alice', 'opus') }, { event: call(2, 'alice', 'titan') }, { event: call(3, 'bob', 'haiku') }, { event: call(4, 'bob', 'sonnet') }] }],
      }),
    });
    expect(v.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(runRuleExamples(v.checked).map((r) => [r.passed, r.message])).toEqual([[true, undefined]]);
  });

  it('a threshold rule takes only duration (group_by rejected, duration required)', () => {
    const v = validateFiles({
      'a.yaml': thresholdRule({ alert_suppression: { missing_fields_strategy: 'suppress' } }),
      'b.yaml': thresholdRule({ rule_id: '00000000-0000-4000-8000-00000000000b', name: 'b', alert_suppression: { group_by: ['user.name'], duration: { value: 1, unit: 'h' } } }),
      'c.yaml': thresholdRule({ rule_id: '00000000-0000-4000-8000-00000000000c', name: 'c', alert_suppression: {} }),
      'd.yaml': thresholdRule({ rule_id: '00000000-0000-4000-8000-00000000000d', name: 'd', alert_suppression: { duration: { value: 1, unit: 'h' } } }),
    });
    const files = v.diagnostics.filter((d) => d.code === 'suppression/group-by').map((d) => d.file?.split('/').pop());
    expect(files).toEqual(expect.arrayContaining(['a.yaml', 'b.yaml']));
    expect(files).not.toContain('d.yaml');
    expect(codes(v)).toContain('error suppression/group-by');
  });
});

describe('ruleforge run and export for aggregating rules', () => {
  it('the summary counts only the alerts printed, not those about --history events', () => {
    const dir = ruleDir({ 'n.yaml': newTermsRule({ new_terms_fields: ['user.name', 'gen_ai.request.model.id'] }) });
    const history = join(dir, 'history.ndjson');
    const events = join(dir, 'events.ndjson');
    writeFileSync(history, `${[call(-60 * 24, 'alice', 'sonnet'), call(-60 * 23, 'bob', 'sonnet'), call(-60 * 22, 'carol', 'sonnet')].map((e) => JSON.stringify(e)).join('\n')}\n`);
    writeFileSync(events, `${[call(1, 'alice', 'sonnet'), call(2, 'alice', 'opus'), call(3, 'bob', 'sonnet')].map((e) => JSON.stringify(e)).join('\n')}\n`);
    const r = run(['run', '--rules', dir, '--history', history, events]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/, 1 alert from 1 rule/);
    expect(r.stderr).toMatch(/\n\s+1 alert\s+New model/);
  });

  it('export --to kibana lists threshold, cardinality and new_terms fields in required_fields', () => {
    const dir = ruleDir({
      't.yaml': thresholdRule({ threshold: { field: ['user.name'], value: 2, cardinality: [{ field: 'source.ip', value: 2 }] } }),
      'n.yaml': newTermsRule({}),
    });
    const r = run(['export', '--to', 'kibana', dir]);
    expect(r.code).toBe(0);
    const rules = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; required_fields?: { name: string }[] });
    const names = (type: string) => rules.find((x) => x.type === type)!.required_fields!.map((f) => f.name);
    expect(names('threshold')).toEqual(expect.arrayContaining(['event.outcome', 'source.ip', 'user.name']));
    expect(names('new_terms')).toEqual(expect.arrayContaining(['event.action', 'gen_ai.request.model.id']));
  });
});
