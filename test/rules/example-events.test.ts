import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEvent, removeField, setField } from '../../src/rules/example-events.js';

describe('setField / removeField', () => {
  it('sets nested fields, creating objects', () => {
    const e: Record<string, unknown> = { event: { action: 'A' } };
    expect(setField(e, 'event.outcome', 'success')).toBeUndefined();
    expect(setField(e, 'aws.cloudtrail.read_only', false)).toBeUndefined();
    expect(e).toEqual({ event: { action: 'A', outcome: 'success' }, aws: { cloudtrail: { read_only: false } } });
  });
  it('replaces a flattened key in place rather than adding a nested twin', () => {
    const e: Record<string, unknown> = { 'event.action': 'A', aws: { 'cloudtrail.user_identity': { type: 'Root' } } };
    setField(e, 'event.action', 'B');
    setField(e, 'aws.cloudtrail.user_identity', { type: 'IAMUser' });
    expect(e).toEqual({ 'event.action': 'B', aws: { 'cloudtrail.user_identity': { type: 'IAMUser' } } });
  });
  it('refuses to walk through a scalar or a list', () => {
    expect(setField({ a: 'x' }, 'a.b', 1)).toMatch(/`a` holds a string/);
    expect(setField({ a: [1] }, 'a.b', 1)).toMatch(/`a` holds a list/);
  });
  it('treats __proto__ as a plain key', () => {
    const e: Record<string, unknown> = {};
    setField(e, '__proto__.polluted', 1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(e)).toEqual(['__proto__']);
  });
  it('removes nested and flattened fields', () => {
    const e: Record<string, unknown> = { data_stream: { dataset: 'x', type: 'logs' }, 'event.ingested': 't' };
    expect(removeField(e, 'data_stream.dataset')).toBe(true);
    expect(removeField(e, 'event.ingested')).toBe(true);
    expect(removeField(e, 'nope.x')).toBe(false);
    expect(e).toEqual({ data_stream: { type: 'logs' } });
  });
});

describe('buildEvent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruleforge-events-'));
  const rule = join(dir, 'rule.yaml');
  writeFileSync(join(dir, 'one.json'), JSON.stringify({ event: { action: 'Converse', outcome: 'success' } }));
  writeFileSync(join(dir, 'many.ndjson'), '{"n":1}\n{"n":2}\nnot json\n');
  it('starts from a base file and applies removals, then fields', () => {
    const built = buildEvent(rule, { base: 'one.json', remove: ['event.outcome'], fields: { 'event.action': 'InvokeModel' } });
    expect(built).toEqual({ ok: true, event: { event: { action: 'InvokeModel' } } });
  });
  it('never lets one example change another example\'s base', () => {
    buildEvent(rule, { base: 'one.json', fields: { 'event.action': 'Changed' } });
    expect(buildEvent(rule, { base: 'one.json' })).toEqual({ ok: true, event: { event: { action: 'Converse', outcome: 'success' } } });
  });
  it('picks a line of an NDJSON file', () => {
    expect(buildEvent(rule, { base: 'many.ndjson#2' })).toEqual({ ok: true, event: { n: 2 } });
  });
  it('explains bad bases', () => {
    const problem = (base: string) => {
      const r = buildEvent(rule, { base });
      return r.ok ? '' : r.problem;
    };
    expect(problem('many.ndjson#3')).toMatch(/line 3 is not valid JSON/);
    expect(problem('many.ndjson#9')).toMatch(/only 4 line/);
    expect(problem('many.ndjson')).toMatch(/pick one with many.ndjson#N/);
    expect(problem('many.ndjson#x')).toMatch(/not a line number/);
    expect(problem('absent.json')).toMatch(/does not exist/);
  });
});
