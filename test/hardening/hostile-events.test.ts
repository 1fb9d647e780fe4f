/**
 * Hostile events, through the engine API and through `ruleforge run`: prototype keys, 10,000-deep nesting,
 * million-element arrays, non-objects, invalid UTF-8, a 100 MB line, NaN-like and huge numbers. Nothing may
 * crash, `Object.prototype` must stay untouched, each event must cost a bounded amount, every skip must be
 * counted with its reason, and the alerts of the good events around the bad ones must all come out.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readNdjsonStream, type NdjsonRecord } from '../../src/io/ndjson.js';
import { applyConstants, applyNullValues, compileConstants, createEngine, linkPredicate, type Alert, type RuleArtifact } from '../../src/runtime/index.js';
import { artifactFor } from '../helpers/artifacts.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

function expectPrototypeUntouched(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_NAMES);
  expect(Object.prototype.toString.call({})).toBe('[object Object]');
}

const deepObject = (levels: number): unknown => {
  let v: unknown = 'needle';
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};
const deepArray = (levels: number): unknown => {
  let v: unknown = 'needle';
  for (let i = 0; i < levels; i++) v = [v];
  return v;
};

/** Rules touching every kind of walk: term, exists, free text, wildcard field pattern, EQL over values, sequence. */
const RULES: RuleArtifact[] = [
  artifactFor('event.action: "good"', 'kuery', { rule_id: 'good', name: 'Good action' }),
  artifactFor('a: "needle"', 'kuery', { rule_id: 'term-a' }),
  artifactFor('a: *', 'kuery', { rule_id: 'exists-a' }),
  artifactFor('needle', 'kuery', { rule_id: 'free-text' }),
  artifactFor('a*: needle', 'kuery', { rule_id: 'field-pattern' }),
  artifactFor('process.args: "needle"', 'kuery', { rule_id: 'args' }),
  artifactFor('any where stringContains(a, "needle") or process.args : "needle"', 'eql', { rule_id: 'eql-a' }),
  artifactFor('__proto__.polluted: 1', 'kuery', { rule_id: 'proto-field' }),
  artifactFor('constructor.prototype.polluted: 1', 'kuery', { rule_id: 'ctor-field' }),
  artifactFor('sequence by user.name [any where event.action == "open"] [any where event.action == "close"]', 'eql', { rule_id: 'seq' }),
];

const good = (n: number) => ({ '@timestamp': '2026-06-05T10:00:00Z', event: { action: 'good' }, n });
const ruleIds = (alerts: Alert[]) => alerts.map((a) => a['kibana.alert.rule.rule_id']);

describe('the engine on hostile events', () => {
  afterAll(expectPrototypeUntouched);

  it('skips non-object events and counts them, between good events whose alerts all come out', () => {
    const engine = createEngine(RULES);
    const alerts: Alert[] = [];
    const hostile: unknown[] = [42, 'a string', [1, 2, 3], null, undefined, true, Number.NaN, [{ event: { action: 'good' } }]];
    for (let i = 0; i < hostile.length; i++) {
      alerts.push(...engine.process(good(i)));
      expect(() => alerts.push(...engine.process(hostile[i]))).not.toThrow();
      expect(engine.lastSkip()).toBe('notAnObject');
    }
    alerts.push(...engine.process(good(99)));
    expect(engine.lastSkip()).toBeUndefined();
    expect(ruleIds(alerts)).toEqual(Array(hostile.length + 1).fill('good'));
    const stats = engine.stats();
    expect(stats.skipped).toEqual({ notAnObject: hostile.length, tooDeep: 0, tooLarge: 0 });
    expect(stats.events).toBe(hostile.length + 1);
  });

  it('skips 10,000-deep objects and arrays (counted as tooDeep) in bounded time', () => {
    const engine = createEngine(RULES);
    const started = performance.now();
    for (const a of [deepObject(10_000), deepArray(10_000), deepArray(100_000)]) {
      expect(engine.process({ event: { action: 'good' }, a })).toEqual([]);
      expect(engine.lastSkip()).toBe('tooDeep');
    }
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(ruleIds(engine.process(good(1)))).toEqual(['good']);
    expect(engine.stats().skipped).toEqual({ notAnObject: 0, tooDeep: 3, tooLarge: 0 });
  });

  it('evaluates events at the depth limit, and their deepest values are visible to every walk', () => {
    const engine = createEngine(RULES, { maxEventDepth: 64 });
    // The event, then 63 nested arrays in `a`: 64 levels.
    const alerts = engine.process({ a: deepArray(63) });
    expect(engine.lastSkip()).toBeUndefined();
    expect(ruleIds(alerts).sort()).toEqual(['eql-a', 'exists-a', 'field-pattern', 'free-text', 'term-a'].sort());
    engine.process({ a: deepArray(64) });
    expect(engine.lastSkip()).toBe('tooDeep');
  });

  it('linked matchers used on their own survive 10,000-deep arrays and objects', () => {
    for (const rule of RULES) {
      const match = linkPredicate(rule.ir.predicate);
      const plain = linkPredicate(rule.ir.predicate, { codegen: false });
      for (const a of [deepArray(10_000), deepObject(10_000)]) {
        for (const event of [{ a }, { process: { args: a } }, { user: { name: a } }]) {
          expect(() => match(event), rule.rule.rule_id).not.toThrow();
          expect(() => plain(event), rule.rule.rule_id).not.toThrow();
        }
      }
    }
  });

  it('refuses a 1,000,000-element array as tooLarge at once, and reads one within a raised limit in linear time', () => {
    const args = Array.from({ length: 1_000_000 }, (_, i) => `arg${i}`);
    const engine = createEngine(RULES);
    let started = performance.now();
    expect(engine.process({ process: { args } })).toEqual([]);
    expect(engine.lastSkip()).toBe('tooLarge');
    expect(performance.now() - started).toBeLessThan(100);
    expect(engine.stats().skipped.tooLarge).toBe(1);

    args[args.length - 1] = 'needle';
    const roomy = createEngine(RULES, { maxEventValues: 3_000_000 });
    started = performance.now();
    const alerts = roomy.process({ process: { args }, user: { name: args } });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(ruleIds(alerts).sort()).toEqual(['args', 'eql-a', 'free-text'].sort());
  });

  it('keeps __proto__, constructor and prototype keys as plain data through matching, constants, alerts and JSON', () => {
    const lines = [
      '{"__proto__":{"polluted":1},"event":{"action":"good"}}',
      '{"constructor":{"prototype":{"polluted":1}},"event":{"action":"good"}}',
      '{"a":{"__proto__":{"polluted":1}},"prototype":{"polluted":1},"user":{"name":"__proto__"},"event":{"action":"open"},"@timestamp":1}',
      '{"user":{"name":"__proto__"},"event":{"action":"close"},"@timestamp":2}',
    ];
    const constants = { '__proto__.polluted': 'yes', 'constructor.prototype.polluted': 'yes', 'event.dataset': 'x' };
    const engine = createEngine(RULES, { constants, ingestedAtArrival: true });
    const alerts = lines.flatMap((l) => engine.process(JSON.parse(l)));
    alerts.push(...engine.flush());
    expect(ruleIds(alerts)).toEqual(['good', 'proto-field', 'good', 'ctor-field', 'exists-a', 'seq']);
    for (const alert of alerts) {
      for (const event of alert.events as Record<string, unknown>[]) {
        // The stamped copy is still a plain object whose `__proto__` key, if any, is its own data.
        expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
        expect(Object.hasOwn(event, '__proto__')).toBe(true);
      }
      const json = JSON.parse(JSON.stringify(alert)) as Alert;
      expect(json.events.length).toBe(alert.events.length);
    }
    expect((alerts[0].events[0] as Record<string, unknown>)['__proto__']).toEqual({ polluted: 1 });
    // Constants fill what the event lacks, as own data, never by assignment through `__proto__`.
    const stamped = applyConstants({}, compileConstants(constants)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(stamped)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(stamped, '__proto__')?.value).toEqual({ polluted: 'yes' });
    expect(stamped.polluted).toBeUndefined();
    // Index-time null values replace nulls as own data too.
    const event = JSON.parse('{"__proto__":null,"constructor":{"prototype":null}}') as Record<string, unknown>;
    // A computed key: `{ __proto__: … }` in a literal would set the prototype instead of naming a field.
    applyNullValues(event, { ['__proto__']: 'filled', 'constructor.prototype': 'filled' });
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(event, '__proto__')?.value).toBe('filled');
    expect(event.constructor).toEqual({ prototype: 'filled' });
    expectPrototypeUntouched();
  });

  it('survives NaN-like and huge numbers in values, timestamps and arrival times', () => {
    const range = artifactFor('event.duration > 5', 'kuery', { rule_id: 'range' });
    const engine = createEngine([...RULES, range], { ingestedAtArrival: true });
    // `event.duration` is a long in ECS: compared as a number, never as text.
    const lines = [
      '{"event":{"action":"good","duration":1e400},"@timestamp":1e400}',
      '{"event":{"action":"good","duration":-1e400},"@timestamp":1e300}',
      '{"event":{"action":"good","duration":"NaN"},"@timestamp":"99999999999999999999"}',
      '{"event":{"action":"good","duration":"Infinity"},"@timestamp":-0}',
      '{"event":{"action":"good","duration":123456789012345678901234567890},"@timestamp":"1e400"}',
      '{"event":{"action":"open","duration":6},"user":{"name":"x"},"@timestamp":1e400}',
      '{"event":{"action":"close"},"user":{"name":"x"},"@timestamp":1e300}',
    ];
    const alerts: Alert[] = [];
    for (const [i, l] of lines.entries()) {
      expect(() => alerts.push(...engine.process(JSON.parse(l), i === 0 ? Number.NaN : i === 1 ? 1e300 : undefined))).not.toThrow();
    }
    alerts.push(...engine.flush());
    expect(ruleIds(alerts)).toEqual(['good', 'good', 'good', 'good', 'good', 'range', 'range']);
    // A timestamp past the Date range is no instant: no original_time, and the sequence rule skips the events.
    expect(alerts[0]['kibana.alert.original_time']).toBeUndefined();
    expect(alerts[3]['kibana.alert.original_time']).toBe('1970-01-01T00:00:00.000Z');
    // Only the first event could fill a stage (the second's stage has no partial waiting), so one is counted.
    expect(engine.stats().rules.find((r) => r.ruleId === 'seq')?.untimed).toBe(1);
    for (const a of alerts) expect(() => JSON.stringify(a)).not.toThrow();
  });
});

describe('the NDJSON reader', () => {
  async function collect(chunks: AsyncIterable<Uint8Array | string>, maxLineBytes?: number): Promise<NdjsonRecord[]> {
    const out: NdjsonRecord[] = [];
    for await (const r of readNdjsonStream(chunks, 'mem', maxLineBytes !== undefined ? { maxLineBytes } : {})) out.push(r);
    return out;
  }

  it('never holds more than the limit of a line: 512 MB without a newline streams through', async () => {
    let peak = 0;
    const CHUNK = 1 << 20;
    async function* endless(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"ok":1}\n');
      // Fresh chunks (not one reused buffer), so a reader that kept them would hold all of them.
      for (let i = 0; i < 512; i++) {
        peak = Math.max(peak, process.memoryUsage().arrayBuffers);
        yield Buffer.alloc(CHUNK, 0x78);
      }
      yield Buffer.from('\n{"ok":2}\n');
    }
    const before = process.memoryUsage().arrayBuffers;
    const records = await collect(endless(), 4 * CHUNK);
    expect(records.map((r) => (r.ok ? r.event : r.reason))).toEqual([{ ok: 1 }, 'tooLong', { ok: 2 }]);
    expect(records[1]).toMatchObject({ line: 2, error: `line 2 is longer than ${4 * CHUNK} bytes (${512 * CHUNK} bytes; skipped)` });
    // Garbage chunks wait for a collection, so allow slack; a reader holding the line would pass 512 MB.
    expect(peak - before).toBeLessThan(256 * CHUNK);
  });

  it('reports invalid UTF-8 with its line and byte, handles CRLF, a BOM and lines split across chunks', async () => {
    async function* chunks(): AsyncGenerator<Buffer> {
      yield Buffer.from('\uFEFF{"a":"caf\u00e9"}\r\n{"b":');
      yield Buffer.from([0x22, 0x78, 0xc3]); // `"x` then half of a two-byte sequence ...
      yield Buffer.from([0xa9, 0x22, 0x7d, 0x0d, 0x0a]); // ... completed in the next chunk
      yield Buffer.concat([Buffer.from('{"c":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n\r\n  \n{"d":1}')]);
    }
    const records = await collect(chunks());
    expect(records).toEqual([
      { ok: true, source: 'mem', line: 1, event: { a: 'café' } },
      { ok: true, source: 'mem', line: 2, event: { b: 'xé' } },
      { ok: false, source: 'mem', line: 3, reason: 'invalidUtf8', error: 'invalid UTF-8 at byte 7 (line skipped)' },
      { ok: true, source: 'mem', line: 6, event: { d: 1 } },
    ]);
  });

  it('gives every non-object line its reason', async () => {
    const records = await collect((async function* () {
      yield '42\n"text"\n[1]\nnull\n{"n":NaN}\ntrue\n{"ok":true}\n';
    })());
    expect(records.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['notAnObject', 'notAnObject', 'notAnObject', 'notAnObject', 'malformedJson', 'notAnObject', 'ok']);
  });
});

describe('ruleforge run on hostile input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruleforge-hostile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const converse = JSON.parse(readFileSync(join(root, 'rules', 'events', 'bedrock-converse.json'), 'utf8')) as Record<string, unknown>;
  const alerting = (extra: Record<string, unknown> = {}) => JSON.stringify({ ...converse, event: { ...(converse.event as object), action: 'DeleteProvisionedModelThroughput' }, ...extra });

  it('skips each bad line with its reason and location, and raises every alert of the good lines', () => {
    const file = join(dir, 'events.ndjson');
    const fd = openSync(file, 'w');
    const line = (text: string | Buffer) => writeSync(fd, Buffer.concat([typeof text === 'string' ? Buffer.from(text) : text, Buffer.from('\n')]));
    line(alerting()); // 1
    line('{"__proto__":{"polluted":1},' + alerting().slice(1)); // 2
    line('{"constructor":{"prototype":{"polluted":1}},' + alerting().slice(1)); // 3
    line('{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)); // 4: 10,000 deep
    line('{"a":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}'); // 5
    line('{"process":{"args":[' + '1,'.repeat(999_999) + '1]}}'); // 6: 1M elements
    line('42'); // 7
    line('"a string"'); // 8
    line('[' + alerting() + ']'); // 9
    line('null'); // 10
    line(Buffer.concat([Buffer.from('{"message":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])); // 11: invalid UTF-8
    line('{"n":NaN}'); // 12
    line(alerting({ n: 1e308, '@timestamp': 1e300 }).replace('1e+308', '1e400')); // 13: huge numbers still alert
    // 14: a 100 MB line, written in 1 MB pieces rather than built as one string.
    const piece = Buffer.alloc(1 << 20, 0x78);
    writeSync(fd, Buffer.from('{"message":"'));
    for (let i = 0; i < 100; i++) writeSync(fd, piece);
    line('"}');
    writeSync(fd, Buffer.from(alerting() + '\r\n')); // 15: CRLF
    line(alerting()); // 16
    closeSync(fd);
    // A heap smaller than the long line: a reader that buffered it whole would die here.
    const r = spawnSync(process.execPath, ['--max-old-space-size=96', cli, 'run', '--rules', 'rules', file], { encoding: 'utf8', cwd: root, maxBuffer: 64 * 1024 * 1024 });
    expect(r.stderr).not.toMatch(/heap out of memory|RangeError|TypeError/);
    expect(r.status).toBe(0);
    const alerts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Alert);
    expect(alerts.length).toBe(6);
    expect(alerts.every((a) => a['kibana.alert.rule.name'] === 'AWS Bedrock Provisioned Throughput Created, Changed or Deleted')).toBe(true);
    // The `__proto__` key came through to the output as data.
    expect(Object.hasOwn(alerts[1].events[0] as object, '__proto__')).toBe(true);
    expect(r.stderr).toMatch(/ 6 events, 6 alerts /);
    expect(r.stderr).toContain('10 malformed lines skipped (1 malformed JSON, 4 not a JSON object, 1 too long, 1 invalid UTF-8, 2 nested too deep, 1 too many values):');
    expect(r.stderr).toContain(`${file}:4: nested deeper than 64 levels (skipped)`);
    expect(r.stderr).toContain(`${file}:5: nested deeper than 64 levels (skipped)`);
    expect(r.stderr).toContain(`${file}:6: more than 100000 JSON values (skipped)`);
    expect(r.stderr).toContain(`${file}:7: expected a JSON object, found a number`);
    expect(r.stderr).toContain(`${file}:11: invalid UTF-8 at byte 13 (line skipped)`);
    expect(r.stderr).toContain(`${file}:14: line 14 is longer than 16777216 bytes (104857614 bytes; skipped)`);
  }, 120_000);

  it('takes --max-line-bytes and the event limits as flags, and reads the same from stdin and .gz', () => {
    // The Bedrock events are 6 levels deep.
    const input = [alerting(), JSON.stringify({ padding: 'x'.repeat(5_000) }), JSON.stringify({ a: { b: { c: { d: { e: { f: { g: 1 } } } } } } }), alerting()].join('\n');
    const r = spawnSync(process.execPath, [cli, 'run', '--rules', 'rules', '--max-line-bytes', '4096', '--max-event-depth', '6', '-'], { encoding: 'utf8', cwd: root, input });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.stderr).toContain('<stdin>:2: line 2 is longer than 4096 bytes');
    expect(r.stderr).toContain('<stdin>:3: nested deeper than 6 levels (skipped)');
    const bad = spawnSync(process.execPath, [cli, 'run', '--max-line-bytes', 'lots', '-'], { encoding: 'utf8', cwd: root, input: '' });
    expect(bad.status).toBe(2);
    const gz = join(dir, 'x.ndjson.gz');
    writeFileSync(gz, gzipSync(input));
    const fromGz = spawnSync(process.execPath, [cli, 'run', '--rules', 'rules', '--max-line-bytes', '4096', '--max-event-depth', '6', gz], { encoding: 'utf8', cwd: root });
    expect(fromGz.stdout.trim().split('\n')).toHaveLength(2);
    expect(fromGz.stderr).toContain(`${gz}:2: line 2 is longer than 4096 bytes`);
  });
});

describe('the NDJSON reader, chunked any way', () => {
  /** The reader's contract on the whole input at once: lines by newline, one CR and one BOM dropped per line. */
  function expected(bytes: Buffer, source: string): NdjsonRecord[] {
    const out: NdjsonRecord[] = [];
    const lines: Buffer[] = [];
    for (let from = 0; from <= bytes.length; ) {
      const nl = bytes.indexOf(0x0a, from);
      if (nl === -1) {
        if (from < bytes.length) lines.push(bytes.subarray(from));
        break;
      }
      lines.push(bytes.subarray(from, nl));
      from = nl + 1;
    }
    lines.forEach((raw, i) => {
      const line = raw.length > 0 && raw[raw.length - 1] === 0x0d ? raw.subarray(0, raw.length - 1) : raw;
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(line);
      } catch {
        out.push({ ok: false, source, line: i + 1, reason: 'invalidUtf8', error: expect.stringMatching(/^invalid UTF-8 at byte \d+/) as unknown as string });
        return;
      }
      if (text.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        out.push({ ok: false, source, line: i + 1, reason: 'malformedJson', error: expect.stringMatching(/^malformed JSON/) as unknown as string });
        return;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) out.push({ ok: false, source, line: i + 1, reason: 'notAnObject', error: expect.stringMatching(/^expected a JSON object/) as unknown as string });
      else out.push({ ok: true, source, line: i + 1, event: value as Record<string, unknown> });
    });
    return out;
  }

  const piece = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v))),
    fc.constantFrom(
      Buffer.from('{"a":"caf\u00e9 \u2603 \ud83d\ude00"}'),
      Buffer.from('\uFEFF{"bom":1}'),
      Buffer.from('\uFEFF\uFEFF{"two":2}'),
      Buffer.from([0x7b, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d]), // a cut two-byte sequence
      Buffer.from([0xff]),
      Buffer.from('  '),
      Buffer.from('\r'),
      Buffer.from('{"n":NaN}'),
    ),
  );
  const ending = fc.constantFrom('\n', '\r\n', '\n\n');

  it('gives the same records whatever the chunks (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(piece, ending), { maxLength: 12 }), fc.boolean(), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }), async (lines, lastNewline, cuts) => {
        const parts = lines.flatMap(([p, e], i) => (i === lines.length - 1 && !lastNewline ? [p] : [p, Buffer.from(e)]));
        const bytes = Buffer.concat(parts);
        const chunks: Buffer[] = [];
        for (let at = 0, k = 0; at < bytes.length; k++) {
          const size = cuts[k % cuts.length];
          chunks.push(Buffer.from(bytes.subarray(at, at + size)));
          at += size;
        }
        const records: NdjsonRecord[] = [];
        for await (const r of readNdjsonStream((async function* () {
          yield* chunks;
        })(), 'mem')) records.push(r);
        expect(records).toEqual(expected(bytes, 'mem'));
      }),
      { numRuns: 400 },
    );
  });
});
