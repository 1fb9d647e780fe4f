import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const converse = JSON.parse(readFileSync(join(root, 'rules', 'events', 'bedrock-converse.json'), 'utf8')) as Record<string, unknown>;

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: root, input, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const withAction = (action: string, extra: Record<string, unknown> = {}) => JSON.stringify({ ...converse, event: { ...(converse.event as object), action }, ...extra });

describe('ruleforge run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruleforge-run-'));
  const events = join(dir, 'events.ndjson');
  writeFileSync(events, [withAction('DeleteProvisionedModelThroughput'), 'not json', withAction('ListFoundationModels'), '[1]', withAction('CreateModelImportJob')].join('\n') + '\n');
  it('prints one alert per line with Kibana field names, and a summary with malformed lines on stderr', () => {
    const r = run(['run', events]);
    expect(r.code).toBe(0);
    const alerts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(alerts.map((a) => a['kibana.alert.rule.name'])).toEqual(['AWS Bedrock Provisioned Throughput Created, Changed or Deleted', 'AWS Bedrock Model Imported or Marketplace Endpoint Registered']);
    expect(alerts[0]).toHaveProperty('kibana.alert.reason');
    expect(alerts[0]).toHaveProperty('events');
    expect(r.stderr).toMatch(/3 events, 2 alerts from 6 rules \(dist-rules\)/);
    expect(r.stderr).toMatch(/2 malformed lines skipped/);
    expect(r.stderr).toMatch(/events\.ndjson:2: malformed JSON/);
    expect(r.stderr).toMatch(/events\.ndjson:4: expected a JSON object, found an array/);
  });
  it('compiles YAML rules on the fly, reads .gz and stdin, and applies constants', () => {
    const gz = join(dir, 'events.ndjson.gz');
    const bare = { ...converse, data_stream: undefined, event: { ...(converse.event as object), action: 'DeleteProvisionedModelThroughput' } };
    writeFileSync(gz, gzipSync(JSON.stringify(bare) + '\n'));
    expect(run(['run', '--rules', 'rules', gz]).stdout.trim()).toBe('');
    const withConstant = run(['run', '--rules', 'rules', '--constant', 'data_stream.dataset=aws.cloudtrail', '--format', 'text', '-'], JSON.stringify(bare) + '\n');
    expect(withConstant.stdout).toMatch(/medium +AWS Bedrock Provisioned Throughput/);
    expect(withConstant.stderr).toMatch(/\(rules\)/);
  });
  it('raises the sequence alert at the end of input', () => {
    const seq = [
      withAction('ListFoundationModels', { '@timestamp': '2026-06-05T10:00:00Z', aws: { cloudtrail: { user_identity: { access_key_id: 'AKIAX' } } } }),
      withAction('InvokeModel', { '@timestamp': '2026-06-05T10:03:00Z', aws: { cloudtrail: { user_identity: { access_key_id: 'AKIAX' } } } }),
    ];
    const r = run(['run', '-'], seq.join('\n'));
    const [alert] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(alert['kibana.alert.group.join_keys']).toEqual(['AKIAX']);
    expect((alert.events as unknown[]).length).toBe(2);
  });
  it('ends quietly when stdout closes early', () => {
    const many = Array.from({ length: 20000 }, () => withAction('DeleteProvisionedModelThroughput')).join('\n');
    const r = spawnSync('bash', ['-c', `node ${cli} run - | head -n 1`], { input: many, encoding: 'utf8', cwd: root, maxBuffer: 64 * 1024 * 1024 });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/Error|EPIPE/);
  });
  it('--partition I/N: the partitions together print exactly the alerts of one run', () => {
    const uuids = (out: string) => out.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as Record<string, string>)['kibana.alert.uuid']);
    const whole = uuids(run(['run', 'examples/bedrock-attack.ndjson']).stdout).sort();
    expect(whole).toHaveLength(9); // 8 single-event and sequence alerts, 1 threshold alert (new_terms learns: no history given)
    for (const n of [2, 7]) {
      const parts = Array.from({ length: n }, (_, i) => uuids(run(['run', '--partition', `${i}/${n}`, 'examples/bedrock-attack.ndjson']).stdout)).flat();
      expect(parts.sort()).toEqual(whole);
    }
    expect(run(['run', '--partition', '2/2', events]).code).toBe(2);
  });
  it('reports usage errors with exit 2', () => {
    expect(run(['run', '--constant', 'novalue', events]).code).toBe(2);
    expect(run(['run', '--lateness', 'soon', events]).code).toBe(2);
    // A missing input is reported and the others still run (see run-inputs.test.ts): exit 1, not a usage error.
    expect(run(['run', 'missing.ndjson']).code).toBe(1);
  });
});

describe('ruleforge explain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruleforge-explain-'));
  it('shows the condition tree with values and hints', () => {
    const file = join(dir, 'e.json');
    writeFileSync(file, withAction('deleteprovisionedmodelthroughput'));
    const r = run(['explain', '--rule', 'rules/impact_bedrock_provisioned_throughput_tampering.yaml', '--event', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/NO MATCH/);
    expect(r.stdout).toMatch(/FAIL {2}event\.action in \("CreateProvisionedModelThroughput", .*\[event\.action = "deleteprovisionedmodelthroughput"\]/);
    expect(r.stdout).toMatch(/hint: The value differs only in letter case/);
  });
  it('finds a rule by rule_id and traces a sequence', () => {
    const events = [
      withAction('ListFoundationModels', { '@timestamp': '2026-06-05T10:00:00Z', aws: { cloudtrail: { user_identity: { access_key_id: 'AKIAX' } } } }),
      withAction('InvokeModel', { '@timestamp': '2026-06-05T10:20:00Z', aws: { cloudtrail: { user_identity: { access_key_id: 'AKIAX' } } } }),
    ];
    const r = run(['explain', '--rule', '8cab48bb-2031-42c4-823c-b137a7582d0c', '--event', '-', '--format', 'json'], events.join('\n'));
    const doc = JSON.parse(r.stdout) as { steps: { notes: string[] }[]; alerts: unknown[] };
    expect(doc.alerts).toEqual([]);
    expect(doc.steps[1].notes[0]).toMatch(/20m old, beyond maxspan 15m/);
  });
  it('exits 2 for an unknown rule', () => {
    expect(run(['explain', '--rule', 'nope', '--event', '-'], '{}').code).toBe(2);
  });
});
