/**
 * `ruleforge explain` on rules with alert_suppression: per candidate alert its group, whether it opened an
 * alert or was folded into one (and why), and the final kibana.alert.suppression.* values — the engine's own
 * suppressor, traced, so explain and run agree.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { at, bedrockCall, INVOKE_QUERY, runCli } from '../helpers/bedrock-cli.js';
import { kqlRule, ruleDir } from '../helpers/rule-files.js';

const run = runCli;
const call = (minute: number, user: string | undefined, model: string, outcome = 'success') => bedrockCall(minute, user, model, outcome);
const query = INVOKE_QUERY;

interface Sup {
  candidates: { event?: number; label?: string; terms?: { field: string; value: unknown }[]; outcome: string; alert?: number; execution?: string }[];
  alerts: Record<string, unknown>[];
}

function setup(rule: Record<string, unknown>, events: unknown[]): { file: string; events: string } {
  const dir = ruleDir({ 'r.yaml': kqlRule(rule) });
  const ev = join(dir, 'events.ndjson');
  writeFileSync(ev, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
  return { file: join(dir, 'r.yaml'), events: ev };
}

describe('explain shows alert suppression', () => {
  it('query rule: opened, folded (same execution / within duration) and unsuppressed candidates, and the final values equal run’s', () => {
    const p = setup({ query, alert_suppression: { group_by: ['user.name'], duration: { value: 30, unit: 'm' }, missing_fields_strategy: 'doNotSuppress' } }, [call(1, 'ann', 'a'), call(2, 'ann', 'b'), call(12, 'ann', 'c'), call(13, undefined, 'd'), call(50, 'ann', 'e')]);
    const json = run(['explain', '--rule', p.file, '--event', p.events, '--format', 'json']);
    expect(json.code).toBe(0);
    const sup = (JSON.parse(json.stdout) as { suppression: Sup }).suppression;
    expect(sup.candidates.map((c) => [c.event, c.outcome, c.alert])).toEqual([
      [1, 'opened', 1],
      [2, 'same-execution', 1],
      [3, 'within-duration', 1],
      [4, 'missing-field', undefined],
      [5, 'opened', 2],
    ]);
    expect(sup.candidates[0]!.terms).toEqual([{ field: 'user.name', value: 'ann' }]);
    expect(sup.alerts.map((a) => [a.alert, a['kibana.alert.suppression.docs_count'], a['kibana.alert.suppression.start'], a['kibana.alert.suppression.end']])).toEqual([
      [1, 2, at(1), at(12)],
      [2, 0, at(50), at(50)],
    ]);
    const ran = run(['run', '--rules', p.file, p.events]);
    const docs = ran.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((a) => a['kibana.alert.suppression.docs_count'] !== undefined).map((a) => a['kibana.alert.suppression.docs_count']);
    expect(docs).toEqual([2, 0]);

    const text = run(['explain', '--rule', p.file, '--event', p.events]);
    expect(text.stdout).toContain('alert suppression (group_by user.name, duration 30m, missing fields: doNotSuppress):');
    expect(text.stdout).toMatch(/event 2, execution [^:]+:\d\d:\d\d\.\d+Z: group user\.name="ann" → folded into alert #1 \(same execution\)/);
    expect(text.stdout).toContain('→ folded into alert #1 (an earlier execution, within duration)');
    expect(text.stdout).toContain('event 4, ');
    expect(text.stdout).toContain('not suppressed: a group_by field has no value (missing_fields_strategy: doNotSuppress)');
    expect(text.stdout).toMatch(/alert #1 \(@timestamp [^)]+\): kibana\.alert\.suppression\.terms \[\{"field":"user\.name","value":"ann"\}\], docs_count 2/);
  });

  it('threshold rule: each execution’s bucket and what suppression made of it', () => {
    const p = setup({ type: 'threshold', query: `${query} and event.outcome: "failure"`, interval: '5m', from: 'now-5m', threshold: { field: ['user.name'], value: 2 }, alert_suppression: { duration: { value: 20, unit: 'm' } } }, [1, 2, 6, 7, 31, 32].map((m) => call(m, 'mallory', 'm', 'failure')));
    const json = run(['explain', '--rule', p.file, '--event', p.events, '--format', 'json']);
    const sup = (JSON.parse(json.stdout) as { suppression: Sup }).suppression;
    expect(sup.candidates.map((c) => [c.execution, c.outcome, c.alert])).toEqual([
      [at(5), 'opened', 1],
      [at(10), 'within-duration', 1],
      [at(35), 'opened', 2],
    ]);
    expect(sup.alerts.map((a) => [a['@timestamp'], a['kibana.alert.suppression.docs_count']])).toEqual([[at(5), 1], [at(35), 0]]);
    const text = run(['explain', '--rule', p.file, '--event', p.events]).stdout;
    expect(text).toContain('alert suppression (grouped by threshold.field, duration 20m):');
    expect(text).toContain(`bucket user.name="mallory" (2 events), execution ${at(10)}: group user.name="mallory" → folded into alert #1 (an earlier execution, within duration)`);
  });

  it('new_terms rule: the new terms of one group in one execution fold into one alert', () => {
    const p = setup({ rule_id: '00000000-0000-4000-8000-000000000009', name: 'New model', type: 'new_terms', query, interval: '5m', from: 'now-5m', new_terms_fields: ['gen_ai.request.model.id'], history_window_start: 'now-7d', alert_suppression: { group_by: ['user.name'] } }, [call(1, 'ann', 'opus'), call(2, 'ann', 'titan'), call(3, 'bob', 'haiku')]);
    const sup = (JSON.parse(run(['explain', '--rule', p.file, '--event', p.events, '--format', 'json']).stdout) as { suppression: Sup }).suppression;
    expect(sup.candidates.map((c) => [c.event, c.label, c.outcome, c.alert])).toEqual([
      [1, 'new terms ["opus"]', 'opened', 1],
      [2, 'new terms ["titan"]', 'same-execution', 1],
      [3, 'new terms ["haiku"]', 'opened', 2],
    ]);
    expect(sup.alerts.map((a) => a['kibana.alert.suppression.docs_count'])).toEqual([1, 0]);
  });
});
