import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEqlCli, tempDir, writeIndex, type EqlCliHit } from '../helpers/eql-cli.js';

const dir = tempDir();
const ids = (hits: EqlCliHit[]) => hits.map((h) => h.events.map((e) => (e === null ? -1 : (e.id as number))));
const mapping = (name: string, body: unknown) => {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(body));
  return file;
};

describe('ruleforge query --language eql: request parameters of _eql/search', () => {
  const alerts = writeIndex(dir, 'alerts', [
    { id: 1, event: { category: 'a' }, os: 'win' },
    { id: 2, event: { category: 'a' }, os: 'win' },
    { id: 3, event: { category: 'b' }, os: 'win' },
    { id: 4, event: { category: 'a' }, os: 'win' },
    { id: 5, event: { category: 'a' }, os: 'mac' },
    { id: 6, event: { category: 'b' }, os: 'mac' },
  ]);
  it('--max-samples-per-key N: up to N samples per key, each of distinct events', async () => {
    const q = 'sample by os [a where true] [b where true]';
    expect(ids(await runEqlCli(q, [alerts], { categoryField: 'event.category' }))).toEqual([[5, 6], [1, 3]]);
    expect(ids(await runEqlCli(q, [alerts], { categoryField: 'event.category', maxSamplesPerKey: 2 }))).toEqual([[5, 6], [1, 3], [2, 3]]);
    // One event matching both filters never fills both.
    expect(ids(await runEqlCli('sample by os [any where true] [any where true]', [alerts], { categoryField: 'event.category', maxSamplesPerKey: 3 }))).toEqual([[5, 6], [6, 5], [1, 2], [1, 3], [1, 4]]);
  });
  it('--size with --result-position head|tail keeps the first or the last results', async () => {
    const q = 'a where true';
    expect(ids(await runEqlCli(q, [alerts], { categoryField: 'event.category', size: 2 }))).toEqual([[1], [2]]);
    expect(ids(await runEqlCli(q, [alerts], { categoryField: 'event.category', size: 2, resultPosition: 'tail' }))).toEqual([[4], [5]]);
    // The query's own pipes apply first.
    expect(ids(await runEqlCli(`${q} | head 3`, [alerts], { categoryField: 'event.category', size: 1, resultPosition: 'tail' }))).toEqual([[4]]);
  });
  it('rejects --max-samples-per-key 0 and a non-number', async () => {
    await expect(runEqlCli('sample by os [a where true] [b where true]', [alerts], { categoryField: 'event.category', maxSamplesPerKey: 0 })).rejects.toThrow(/at least 1/);
  });
});

describe('ruleforge query --language eql: event order and dates', () => {
  it('returns event-query hits in timestamp, then tiebreaker order, not file order', async () => {
    const f = writeIndex(dir, 'order', [
      { id: 1, event: { category: 'p' }, '@timestamp': '2024-01-01T00:00:02Z', seq: 1 },
      { id: 2, event: { category: 'p' }, '@timestamp': '2024-01-01T00:00:01Z', seq: 9 },
      { id: 3, event: { category: 'p' }, '@timestamp': '2024-01-01T00:00:01Z', seq: 2 },
      { id: 4, event: { category: 'p' } },
    ]);
    expect(ids(await runEqlCli('p where true', [f], { categoryField: 'event.category', tiebreakerField: 'seq' }))).toEqual([[3], [2], [1], [4]]);
  });
  it('date_nanos fields compare, range and order at nanosecond precision; date fields at the millisecond', async () => {
    const events = [
      { id: 1, event: { category: 'p' }, t: '2024-01-01T00:00:00.000000300Z' },
      { id: 2, event: { category: 'p' }, t: '2024-01-01T00:00:00.000000100Z' },
      { id: 3, event: { category: 'p' }, t: '2024-01-01T00:00:00.000000200Z' },
    ];
    const f = writeIndex(dir, 'nanos', events);
    const nanos = mapping('nanos-mapping', { properties: { t: { type: 'date_nanos' } } });
    const millis = mapping('millis-mapping', { properties: { t: { type: 'date' } } });
    const run = (q: string, m: string) => runEqlCli(q, [f], { categoryField: 'event.category', timestampField: 't', mappingFile: m });
    expect(ids(await run('p where t == "2024-01-01T00:00:00.000000200Z"', nanos))).toEqual([[3]]);
    expect(ids(await run('p where t > "2024-01-01T00:00:00.000000100Z" and t <= "2024-01-01T00:00:00.000000300Z"', nanos))).toEqual([[3], [1]]);
    // A bound without a fraction covers its whole second; two events in one millisecond are told apart in order.
    expect(ids(await run('p where t == "2024-01-01T00:00:00Z"', nanos))).toEqual([[2], [3], [1]]);
    expect(ids(await run('sequence [p where true] [p where true]', nanos))).toEqual([[2, 3], [3, 1]]);
    // On a `date` field the same instants are one millisecond: the file order decides.
    expect(ids(await run('p where t == "2024-01-01T00:00:00.000000200Z"', millis))).toEqual([[1], [2], [3]]);
  });
  it('date fields with a custom format: each index reads its own format, and the same day joins across indices', async () => {
    const one = writeIndex(dir, 'one', [{ id: 1, event: { category: 'a' }, day: '17-12-2022' }]);
    const two = writeIndex(dir, 'two', [{ id: 2, event: { category: 'b' }, day: '2022-12-17' }, { id: 3, event: { category: 'b' }, day: '2022-12-18' }]);
    const m = mapping('days', { one: { mappings: { properties: { day: { type: 'date', format: 'dd-MM-yyyy' } } } }, two: { mappings: { properties: { day: { type: 'date', format: 'yyyy-MM-dd' } } } } });
    const hits = await runEqlCli('sample by day [a where true] [b where true]', [one, two], { categoryField: 'event.category', mappingFile: m });
    expect(ids(hits)).toEqual([[1, 2]]);
    // A sample key on a date is its epoch milliseconds; the events print as written.
    expect(hits[0].join_keys).toEqual([1671235200000]);
    expect(hits[0].events[0]?.day).toBe('17-12-2022');
    // Ranges on the field compare instants.
    expect(ids(await runEqlCli('b where day > "2022-12-17"', [one, two], { categoryField: 'event.category', mappingFile: m }))).toEqual([[3]]);
  });
  it('sequence keys on a date field join by instant and come back as ISO 8601', async () => {
    const f = writeIndex(dir, 'seqdates', [
      { id: 1, event: { category: 'a' }, '@timestamp': 1, d: 0 },
      { id: 2, event: { category: 'b' }, '@timestamp': 2, d: '1970-01-01T00:00:00Z' },
    ]);
    const m = mapping('seqdates-mapping', { properties: { d: { type: 'date' } } });
    const hits = await runEqlCli('sequence by d [a where true] [b where true]', [f], { categoryField: 'event.category', mappingFile: m });
    expect(ids(hits)).toEqual([[1, 2]]);
    expect(hits[0].join_keys).toEqual(['1970-01-01T00:00:00.000Z']);
  });
});

describe('ruleforge query --language eql: arithmetic as Elasticsearch types it', () => {
  const f = writeIndex(dir, 'numbers', [{ id: 1, event: { category: 'n' }, i: 30, d: 4 }]);
  const m = mapping('numbers-mapping', { properties: { i: { type: 'long' }, d: { type: 'double' } } });
  const holds = async (cond: string) => ids(await runEqlCli(`n where ${cond}`, [f], { categoryField: 'event.category', mappingFile: m })).length === 1;
  it('integer operands truncate, a floating operand (literal, field or nested result) does not', async () => {
    expect(await holds('divide(30, 4.0) == 7.5')).toBe(true);
    expect(await holds('divide(30, 4) == 7')).toBe(true);
    expect(await holds('i / 4 == 7')).toBe(true);
    expect(await holds('i / d == 7.5')).toBe(true);
    expect(await holds('divide(i, multiply(d, 1)) == 7.5')).toBe(true);
    expect(await holds('(i / 4.0) / 3 == 2.5')).toBe(true);
    expect(await holds('modulo(-7, 2) == -1 and -7 % 2 == -1')).toBe(true);
    expect(await holds('modulo(7.5, 2) == 1.5')).toBe(true);
  });
  it('two Java ints overflow past 32 bits (null, where Elasticsearch fails); a long or a double widens', async () => {
    expect(await holds('multiply(100000, 100000) == null and 2147483647 + 1 == null')).toBe(true);
    expect(await holds('multiply(100000, 100000.0) == 10000000000.0 and 2147483648 + 1 == 2147483649')).toBe(true);
    expect(await holds('i * 100000 * 100000 == 300000000000')).toBe(true);
    expect(await holds('multiply(3037000500, 3037000500) == null')).toBe(true);
  });
  it('null propagates; an integer zero divisor gives null, a floating one Infinity', async () => {
    expect(await holds('add(i, missing_field) == null')).toBe(true);
    expect(await holds('divide(i, 0) == null and modulo(i, 0) == null')).toBe(true);
    expect(await holds('divide(i, 0.0) > 1000000')).toBe(true);
  });
});

describe('ruleforge query --language kuery --result-position tail', () => {
  it('keeps the last --size hits, in file order', async () => {
    const { queryCommand } = await import('../../src/cli/query.js');
    const f = writeIndex(dir, 'kql', [{ id: 1, a: 1 }, { id: 2, a: 1 }, { id: 3, a: 1 }]);
    const out: string[] = [];
    await queryCommand({ out: async (t) => (out.push(t), true), err: () => undefined })
      .exitOverride()
      .parseAsync(['--language', 'kuery', '--format', 'json', '--size', '2', '--result-position', 'tail', 'a: 1', f], { from: 'user' });
    expect(out.join('').trim().split('\n').map((l) => (JSON.parse(l) as EqlCliHit).events[0]?.id)).toEqual([2, 3]);
  });
});

describe('ruleforge query --language eql: number()', () => {
  const f = writeIndex(dir, 'numbers2', [{ id: 1, event: { category: 'n' } }]);
  const holds = async (cond: string) => ids(await runEqlCli(`n where ${cond}`, [f], { categoryField: 'event.category' })).length === 1;
  it('reads text as Java does: a point or exponent makes a double, other bases need all their digits', async () => {
    expect(await holds('divide(number("30.0"), 4) == 7.5')).toBe(true);
    expect(await holds('divide(number("30"), 4) == 7')).toBe(true);
    expect(await holds('number("0x32", 16) == 50 and number("32", 16) == 50 and number("-101", 2) == -5')).toBe(true);
    expect(await holds('number("12z", 16) == null and number("", 16) == null and number("abc") == null')).toBe(true);
  });
});
