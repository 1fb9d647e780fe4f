import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { eventLine, runCli } from './run-cli.js';

const ALERTING = `${eventLine('DeleteProvisionedModelThroughput')}\n`;

function inputs() {
  const dir = mkdtempSync(join(tmpdir(), 'ruleforge-inputs-'));
  const good = join(dir, 'good.ndjson');
  writeFileSync(good, ALERTING);
  return { dir, good };
}

const alertsOf = (stdout: string): number => stdout.split('\n').filter(Boolean).length;

describe('run: unreadable inputs are reported, the others still processed, and the exit code is 1', () => {
  it('a directory is reported as such, not counted as a malformed line', () => {
    const { dir, good } = inputs();
    mkdirSync(join(dir, 'more'));
    const r = runCli(['run', join(dir, 'more'), good]);
    expect(r.code).toBe(1);
    expect(alertsOf(r.stdout)).toBe(1);
    expect(r.stderr).toMatch(/cannot read \S+more: is a directory/);
    expect(r.stderr).not.toMatch(/malformed/);
    expect(r.stderr).toMatch(/1 input could not be read: \S+more/);
  });
  it('a missing file does not stop the good files before it or after it', () => {
    const { dir, good } = inputs();
    const r = runCli(['run', good, join(dir, 'nope.ndjson'), good]);
    expect(r.code).toBe(1);
    expect(alertsOf(r.stdout)).toBe(2);
    expect(r.stderr).toMatch(/cannot read \S+nope\.ndjson: no such file/);
    expect(r.stderr).toMatch(/ruleforge run: 2 events, 2 alerts/);
  });
  it('binary input is refused as a whole, not read as lines', () => {
    const { dir, good } = inputs();
    const binary = join(dir, 'image.png');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    const r = runCli(['run', binary, good]);
    expect(r.code).toBe(1);
    expect(alertsOf(r.stdout)).toBe(1);
    expect(r.stderr).toMatch(/cannot read \S+image\.png: holds binary data, not NDJSON text/);
  });
  it('gzip is recognised by its magic bytes, with or without a .gz suffix, on files and stdin', () => {
    const { dir } = inputs();
    const unsuffixed = join(dir, 'events');
    writeFileSync(unsuffixed, gzipSync(ALERTING));
    const r = runCli(['run', unsuffixed]);
    expect(r.code).toBe(0);
    expect(alertsOf(r.stdout)).toBe(1);
    const plainButNamedGz = join(dir, 'plain.ndjson.gz');
    writeFileSync(plainButNamedGz, ALERTING);
    expect(alertsOf(runCli(['run', plainButNamedGz]).stdout)).toBe(1);
    const piped = runCli(['run', '-'], { input: gzipSync(ALERTING) });
    expect(piped.code).toBe(0);
    expect(alertsOf(piped.stdout)).toBe(1);
  });
  it('a truncated gzip file keeps the events read before the damage and exits 1', () => {
    const { dir } = inputs();
    const whole = gzipSync(ALERTING.repeat(50));
    const cut = join(dir, 'cut.ndjson.gz');
    writeFileSync(cut, whole.subarray(0, whole.length - 12));
    const r = runCli(['run', cut]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read \S+cut\.ndjson\.gz( after line \d+)?: .*(unexpected end of file|not a valid gzip)/i);
  });
  it('clean inputs still exit 0', () => {
    const { good } = inputs();
    const r = runCli(['run', good]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 event, 1 alert from 6 rules/);
  });
});
