/**
 * `run --mapping`: per-index date formats (and null_value) reach every rule type, threshold, new_terms, EQL and
 * query rules on Kibana's schedule included: a stream written in an index's custom date format gives the alerts
 * the same stream in ISO 8601 gives, and the alerts carry the events as written.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { eqlRule, kqlRule, ruleDir } from '../helpers/rule-files.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: root });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (minute: number) => new Date(Date.UTC(2026, 5, 5, 10, minute)).toISOString();
// The index's own format: day/month/year hour:minute:second.
const custom = (minute: number) => `05/06/2026 ${pad(10 + Math.floor(minute / 60))}:${pad(minute % 60)}:00`;
const query = 'event.action: "InvokeModel"';
const call = (stamp: string, user: string, model: string, outcome = 'failure') => ({ '@timestamp': stamp, event: { action: 'InvokeModel', outcome, category: 'api' }, user: { name: user }, gen_ai: { request: { model: { id: model } } } });
const minutes = [1, 2, 3, 6, 12, 13, 21];
const users = ['ann', 'ann', 'bob', 'ann', 'bob', 'bob', 'cat'];

describe('run --mapping: per-index date formats for every rule type', () => {
  const dir = ruleDir({
    't.yaml': kqlRule({ rule_id: '00000000-0000-4000-8000-0000000000a1', name: 't', type: 'threshold', query, interval: '5m', from: 'now-5m', threshold: { field: ['user.name'], value: 2 } }),
    'n.yaml': kqlRule({ rule_id: '00000000-0000-4000-8000-0000000000a2', name: 'n', type: 'new_terms', query, interval: '5m', from: 'now-5m', new_terms_fields: ['user.name'], history_window_start: 'now-1h' }),
    'q.yaml': kqlRule({ rule_id: '00000000-0000-4000-8000-0000000000a3', name: 'q', query, interval: '5m', from: 'now-5m', max_signals: 1 }),
    'e.yaml': eqlRule({ rule_id: '00000000-0000-4000-8000-0000000000a4', name: 'e', query: 'api where event.action == "InvokeModel"', interval: '5m', from: 'now-5m', max_signals: 1 }),
  });
  const mapping = join(dir, 'mapping.json');
  writeFileSync(mapping, JSON.stringify({ 'logs-bedrock': { mappings: { properties: { '@timestamp': { type: 'date', format: 'dd/MM/yyyy HH:mm:ss' } } } } }));
  const customFile = join(dir, 'logs-bedrock.ndjson');
  writeFileSync(customFile, minutes.map((m, i) => JSON.stringify(call(custom(m), users[i]!, `m${i}`))).join('\n') + '\n');
  const isoFile = join(dir, 'iso.ndjson');
  writeFileSync(isoFile, minutes.map((m, i) => JSON.stringify(call(iso(m), users[i]!, `m${i}`))).join('\n') + '\n');

  const summary = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .map((a) => [a['kibana.alert.rule.name'], a['@timestamp'], a['kibana.alert.original_time'], a['kibana.alert.threshold_result'] ?? a['kibana.alert.new_terms'] ?? null]);

  it('gives the alerts the ISO stream gives (threshold, new_terms, and query / EQL on Kibana’s schedule)', () => {
    const withMapping = run(['run', '--rules', dir, '--kibana-schedule', '--new-terms-warmup', 'none', '--mapping', mapping, customFile]);
    const plain = run(['run', '--rules', dir, '--kibana-schedule', '--new-terms-warmup', 'none', isoFile]);
    expect(withMapping.code).toBe(0);
    const got = summary(withMapping.stdout);
    expect(got).toEqual(summary(plain.stdout));
    // Every rule type alerted.
    expect(new Set(got.map((g) => g[0]))).toEqual(new Set(['t', 'n', 'q', 'e']));
  });

  it('the alerts carry the events as written, and without --mapping the custom dates are not the index’s instants', () => {
    const out = run(['run', '--rules', dir, '--kibana-schedule', '--new-terms-warmup', 'none', '--mapping', mapping, customFile]).stdout;
    const q = out.trim().split('\n').map((l) => JSON.parse(l) as { 'kibana.alert.rule.name': string; events: { '@timestamp': string }[] }).find((a) => a['kibana.alert.rule.name'] === 'q')!;
    expect(q.events[0]!['@timestamp']).toBe(custom(1));
    const without = summary(run(['run', '--rules', dir, '--kibana-schedule', '--new-terms-warmup', 'none', customFile]).stdout);
    expect(without.filter((g) => g[0] === 't').map((g) => g[1])).not.toEqual(summary(run(['run', '--rules', dir, '--kibana-schedule', '--new-terms-warmup', 'none', isoFile]).stdout).filter((g) => g[0] === 't').map((g) => g[1]));
  });
});
