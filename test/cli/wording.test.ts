import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSummary } from '../../src/cli/run.js';
import type { EngineStats } from '../../src/runtime/engine/engine.js';
import { eventLine, runCli } from './run-cli.js';

const stats = (events: number, alerts: number): EngineStats =>
  ({ events, alerts, lateEvents: 1, rules: [{ name: 'R', alerts, pending: 0, evicted: 0, late: 1, untimed: 0, keysTruncated: 0 }] }) as unknown as EngineStats;

describe('wording: counts read as English', () => {
  it('run says "1 alert" and "1 event", with thousands separators', () => {
    const one = runSummary(stats(1, 1), { malformed: 1, malformedShown: ['x:1: malformed JSON'], ms: 1000, origin: 'dist-rules' });
    expect(one).toMatch(/^ruleforge run: 1 event, 1 alert from 1 rule \(dist-rules\)/);
    expect(one).toMatch(/^ +1 alert +R \(1 late event\)$/m);
    expect(one).toMatch(/1 late event arrived after the lateness window and was not matched/);
    expect(one).toMatch(/1 malformed line skipped/);
    const early = runSummary({ ...stats(10, 0), releasedEarly: 1, rules: [{ name: 'R', alerts: 0, releasedEarly: 1 }] } as unknown as EngineStats, { malformed: 0, malformedShown: [], ms: 1000, origin: 'dist-rules' });
    expect(early).toMatch(/R \(1 event released early\)/);
    expect(early).toMatch(/1 event left the lateness window before it closed \(more than --max-held were held\), so the window was shorter; raise --max-held/);
    expect(runCli(['run', '--max-held', '0', '-']).stderr).toMatch(/--max-held/);
    const many = runSummary(stats(1_234_567, 12_345), { malformed: 0, malformedShown: [], ms: 1000, origin: 'dist-rules' });
    expect(many).toMatch(/^ruleforge run: 1,234,567 events, 12,345 alerts from 1 rule/);
    expect(many).toMatch(/ {2}12,345 alerts {2}R/);
  });
  it('query says "1 hit"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruleforge-wording-'));
    const file = join(dir, 'e.ndjson');
    writeFileSync(file, `${eventLine('A')}\n`);
    expect(runCli(['query', '--language', 'kuery', 'event.action: A', file]).stderr).toMatch(/^1 event, 1 hit \(/m);
  });
  it('--language kql suggests kuery, in query and convert', () => {
    const q = runCli(['query', '--language', 'kql', 'a:1']);
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/Did you mean "kuery"\? \(Kibana names KQL "kuery"\.\)/);
    const c = runCli(['convert', '--language', 'kql', '--to', 'dsl', 'a:1']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/Did you mean "kuery"\?/);
  });
  it('convert --help lists the --to and --language choices', () => {
    const help = runCli(['convert', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toMatch(/--to <format> .*\(choices: "dsl"\)/);
    expect(help).toMatch(/--language <language> .*\(choices: "kuery"\)/);
  });
});
