import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProgressLine } from '../../src/cli/progress.js';
import { eventLine, projectRoot } from './run-cli.js';

/** A progress line on a fake terminal with a hand-driven clock. */
function fakeTerminal() {
  let time = 0;
  const written: string[] = [];
  const line = new ProgressLine({ write: (t) => written.push(t), now: () => time });
  return { line, written, advance: (ms: number) => (time += ms) };
}

describe('the run progress line never shares a line with an alert', () => {
  it('is drawn at most every 250 ms and cleared before other output', () => {
    const t = fakeTerminal();
    t.line.update(1024, 0);
    expect(t.written).toEqual([]);
    t.advance(300);
    t.line.update(12_345, 1);
    expect(t.written).toEqual(['\r\u001b[K  12,345 events  41,150 events/s  1 alert']);
    t.line.clear();
    expect(t.written.at(-1)).toBe('\r\u001b[K');
    t.line.clear(); // nothing drawn since: nothing to clear
    expect(t.written).toHaveLength(2);
    t.advance(300);
    t.line.update(2_000_000, 2);
    expect(t.written.at(-1)).toMatch(/^\r\u001b\[K {2}2,000,000 events {2}[\d,]+ events\/s {2}2 alerts$/);
  });

  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasScript)('on a real terminal (util-linux `script`), every alert starts on a clean line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruleforge-tty-'));
    const file = join(dir, 'events.ndjson');
    const other = JSON.stringify({ '@timestamp': '2024-01-01T00:00:00Z', event: { action: 'Other' } });
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(i % 4_000 === 3_999 ? eventLine('DeleteProvisionedModelThroughput') : other);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const cli = join(projectRoot, 'dist', 'src', 'cli', 'main.js');
    const r = spawnSync('script', ['-qec', `"${process.execPath}" "${cli}" run --format text "${file}"`, '/dev/null'], { encoding: 'utf8', cwd: projectRoot });
    const alertLines = r.stdout.split('\n').filter((l) => l.includes('AWS Bedrock Provisioned Throughput Created, Changed or Deleted  '));
    expect(alertLines).toHaveLength(5);
    // Whatever the progress line drew before, the alert's own text follows a line clear or starts the line.
    for (const l of alertLines) expect(l.split('\u001b[K').at(-1)).toMatch(/^\d{4}-/);
  });
});
