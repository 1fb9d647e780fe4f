import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const sample = join(root, 'examples', 'cloudtrail-sample.ndjson');

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TAMPERING =
  'data_stream.dataset: "aws.cloudtrail" and event.provider: "bedrock.amazonaws.com" and event.action: ("CreateProvisionedModelThroughput" or "UpdateProvisionedModelThroughput" or "DeleteProvisionedModelThroughput") and event.outcome: "success"';

describe('ruleforge query --language kuery', () => {
  it('prints one JSON line per hit with --format json', () => {
    const r = run(['query', '--language', 'kuery', '--format', 'json', TAMPERING, sample]);
    expect(r.code).toBe(0);
    const hits = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { events: { event: { action: string } }[] });
    expect(hits.map((h) => h.events[0].event.action)).toEqual(['CreateProvisionedModelThroughput', 'UpdateProvisionedModelThroughput', 'DeleteProvisionedModelThroughput']);
    expect(r.stderr).toMatch(/21 events, 3 hits/);
  });
  it('prints readable lines by default', () => {
    const r = run(['query', '--language', 'kuery', 'event.action: ConsoleLogin and event.outcome: failure', sample]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/cloudtrail-sample\.ndjson:\d+ {2}@timestamp="2014-07-08T17:35:27.000Z" {2}event.action="ConsoleLogin"/);
  });
  it('reads stdin and .gz files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruleforge-'));
    const gz = join(dir, 'events.ndjson.gz');
    writeFileSync(gz, gzipSync('{"a":1}\n{"a":2}\n'));
    expect(run(['query', '--language', 'kuery', '--format', 'json', 'a:2', gz]).stdout.trim()).toBe('{"events":[{"a":2}]}');
    expect(run(['query', '--language', 'kuery', '--format', 'json', 'a:1'], '{"a":1}\n').stdout.trim()).toBe('{"events":[{"a":1}]}');
  });
  it('reports malformed lines with their line number and keeps going', () => {
    const r = run(['query', '--language', 'kuery', '--format', 'json', 'a:1'], '{"a":1}\nnot json\n[1]\n\n{"a":1}\n');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/<stdin>:2: skipped: malformed JSON/);
    expect(r.stderr).toMatch(/<stdin>:3: skipped: expected a JSON object, found an array/);
    expect(r.stderr).toMatch(/2 events, 2 hits, 2 malformed lines skipped/);
  });
  it('exits 1 with a located diagnostic and a code frame on a bad query', () => {
    const r = run(['query', '--language', 'kuery', 'event.action: not x', sample]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/<query>:1:15: error kql\/syntax: Expected/);
    expect(r.stderr).toMatch(/\^/);
    expect(r.stderr).toMatch(/hint:/);
  });
  it('exits 2 on usage errors', () => {
    expect(run(['query', TAMPERING]).code).toBe(2);
    expect(run(['query', '--language', 'lucene', 'a:1']).code).toBe(2);
    expect(run(['query', '--language', 'eql', 'join [a where true] [b where true]'], '').code).toBe(1);
    expect(run(['query', '--language', 'kuery', '--size', 'ten', 'a:1'], '').code).toBe(2);
    expect(run(['query', '--language', 'kuery', '--now', 'yesterday', 'a:1']).code).toBe(2);
    expect(run(['frobnicate']).code).toBe(2);
  });
  it('runs EQL event queries, with head and tail pipes', () => {
    const r = run(['query', '--language', 'eql', '--format', 'json', 'any where event.provider == "bedrock.amazonaws.com" and startsWith~(event.action, "create") | head 2', sample]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { events: { event: { action: string } }[] }).events[0].event.action)).toEqual([
      'CreateProvisionedModelThroughput',
      'CreateProvisionedModelThroughput',
    ]);
    const input = '{"cat":"x","n":1}\n{"cat":"y","n":2}\n{"cat":"x","n":3}\n';
    const tail = run(['query', '--language', 'eql', '--category-field', 'cat', '--format', 'json', 'x where n > 0 | tail 1'], input);
    expect(tail.stdout.trim()).toBe('{"events":[{"cat":"x","n":3}]}');
  });
  it('runs EQL sequences in timestamp order and prints events with join keys', () => {
    const input = [
      { '@timestamp': '2024-01-01T00:05:00Z', event: { category: 'process' }, user: 'bob', step: 2 },
      { '@timestamp': '2024-01-01T00:00:00Z', event: { category: 'network' }, user: 'bob', step: 1 },
      { '@timestamp': '2024-01-01T00:01:00Z', event: { category: 'network' }, user: 'eve', step: 1 },
    ].map((e) => JSON.stringify(e)).join('\n');
    const r = run(['query', '--language', 'eql', '--format', 'json', 'sequence by user with maxspan=10m [network where true] [process where true]'], input);
    expect(r.code).toBe(0);
    const hit = JSON.parse(r.stdout.trim()) as { events: { step: number }[]; join_keys: string[] };
    expect(hit.events.map((e) => e.step)).toEqual([1, 2]);
    expect(hit.join_keys).toEqual(['bob']);
    expect(r.stderr).toMatch(/1 event[^s]|, 1 hit /);
  });
  it('reads field types, aliases and null_value from --mapping', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruleforge-'));
    const file = join(dir, 'mapping.json');
    writeFileSync(file, JSON.stringify({ logs: { mappings: { properties: { kind: { type: 'keyword' }, event: { properties: { category: { type: 'alias', path: 'kind' } } }, owner: { type: 'keyword', null_value: 'NONE' }, when: { type: 'date' } } } } }));
    const input = '{"kind":"x","owner":null,"when":"2024-01-01T10:00:00Z"}\n{"kind":"x","when":"2024-01-02T10:00:00Z"}\n';
    const r = run(['query', '--language', 'eql', '--format', 'json', '--mapping', file, 'x where owner == "NONE" and when == "2024-01-01"'], input);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(run(['query', '--language', 'eql', '--mapping', join(dir, 'nope.json'), 'x where true'], '').code).toBe(2);
  });
  it('lets until events through to the sequence runner', () => {
    const input = ['{"@timestamp":1,"c":"a","id":1}', '{"@timestamp":2,"c":"u","id":2}', '{"@timestamp":3,"c":"b","id":3}'].join('\n');
    const r = run(['query', '--language', 'eql', '--category-field', 'c', '--format', 'json', 'sequence [a where true] [b where true] until [u where true]'], input);
    expect(r.stdout.trim()).toBe('');
  });
  it('prints null for a missing-event stage', () => {
    const input = ['{"@timestamp":1,"c":"a","id":1}', '{"@timestamp":2,"c":"a","id":2}', '{"@timestamp":3,"c":"m","id":3}', '{"@timestamp":4,"c":"a","id":4}'].join('\n');
    const r = run(['query', '--language', 'eql', '--category-field', 'c', '--format', 'json', 'sequence with maxspan=1s [a where true] ![m where true] [a where true]'], input);
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { events: ({ id: number } | null)[] }).events.map((e) => (e ? e.id : null)))).toEqual([[1, null, 2]]);
  });
  it('runs EQL samples, ordered by key', () => {
    const input = ['{"c":"a","h":"y","id":1}', '{"c":"b","h":"y","id":2}', '{"c":"a","h":"x","id":3}', '{"c":"b","h":"x","id":4}', '{"c":"a","h":"z","id":5}'].join('\n');
    const r = run(['query', '--language', 'eql', '--category-field', 'c', '--format', 'json', 'sample by h [a where true] [b where true]'], input);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { events: { id: number }[]; join_keys: string[] }).map((s) => [s.join_keys[0], s.events.map((e) => e.id)])).toEqual([
      ['x', [3, 4]],
      ['y', [1, 2]],
    ]);
  });
  it('keeps the first --size hits', () => {
    const r = run(['query', '--language', 'kuery', '--format', 'json', '--size', '1', 'a:1'], '{"a":1,"n":1}\n{"a":1,"n":2}\n');
    expect(r.stdout.trim()).toBe('{"events":[{"a":1,"n":1}]}');
  });
  it('explains EQL that Elasticsearch does not run', () => {
    const r = run(['query', '--language', 'eql', "process where process.name = 'cmd.exe'"], '');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/eql\/unsupported: The operator `=` is not supported by Elasticsearch EQL\./);
    expect(r.stderr).toMatch(/hint: Use `==`/);
  });
  it('honours --now for date math', () => {
    const input = '{"@timestamp":"2024-06-14T10:00:00Z"}\n{"@timestamp":"2024-06-10T10:00:00Z"}\n';
    const r = run(['query', '--language', 'kuery', '--format', 'json', '--now', '2024-06-15T00:00:00Z', '@timestamp >= "now-2d"'], input);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });
  it('reports a missing input file, still reads the others, and exits 1 (the contract `run` has)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruleforge-query-'));
    const good = join(dir, 'good.ndjson');
    writeFileSync(good, '{"a":1}\n');
    const r = run(['query', '--language', 'kuery', '--format', 'json', 'a:1', join(root, 'no-such-file.ndjson'), good]);
    expect(r.code).toBe(1);
    expect(r.stdout.trim()).toBe('{"events":[{"a":1}]}');
    expect(r.stderr).toMatch(/cannot read \S*no-such-file\.ndjson: no such file/);
    expect(r.stderr).toMatch(/1 event, 1 hit, 1 input not read/);
  });
  it('reports a directory and binary input as unreadable, and reads gzip without a .gz name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruleforge-query-'));
    const binary = join(dir, 'bin.dat');
    writeFileSync(binary, Buffer.from([0, 1, 2, 98, 105, 110]));
    const unsuffixed = join(dir, 'events');
    writeFileSync(unsuffixed, gzipSync('{"a":1}\n'));
    const r = run(['query', '--language', 'kuery', '--format', 'json', 'a:1', dir, binary, unsuffixed]);
    expect(r.code).toBe(1);
    expect(r.stdout.trim()).toBe('{"events":[{"a":1}]}');
    expect(r.stderr).toMatch(/cannot read \S+: is a directory/);
    expect(r.stderr).toMatch(/cannot read \S*bin\.dat: holds binary data, not NDJSON text/);
    expect(r.stderr).not.toMatch(/malformed/);
  });
});

describe('ruleforge query --language eql: _eql/search parameters on the command line', () => {
  it('--max-samples-per-key and --result-position reach the run', () => {
    const events = ['{"id":1,"event":{"category":"a"},"os":"w"}', '{"id":2,"event":{"category":"a"},"os":"w"}', '{"id":3,"event":{"category":"b"},"os":"w"}'].join('\n');
    const r = run(['query', '--language', 'eql', '--format', 'json', '--max-samples-per-key', '2', '--size', '1', '--result-position', 'tail', 'sample by os [a where true] [b where true]'], events);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { events: { id: number }[] }).events.map((e) => e.id))).toEqual([[2, 3]]);
    expect(run(['query', '--language', 'eql', '--max-samples-per-key', 'x', 'any where true'], '').code).toBe(2);
    expect(run(['query', '--language', 'eql', '--result-position', 'middle', 'any where true'], '').code).toBe(2);
  });
});
