/**
 * `run` gathers alerts into large writes, but a stream that pauses must still see each alert as soon as the
 * event that raised it was read: alerts go out whenever the input is idle, not only at the end.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventLine, projectRoot } from './run-cli.js';

describe('run on a stream that pauses', () => {
  it('prints an alert before the input ends, then the rest, each once', async () => {
    const child = spawn(process.execPath, [join(projectRoot, 'dist', 'src', 'cli', 'main.js'), 'run', '--no-progress', '-'], { cwd: projectRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const firstAlert = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('\n')) resolve();
      });
    });
    const alerting = `${eventLine('DeleteProvisionedModelThroughput')}\n`;
    child.stdin.write(alerting);
    // The input stays open: the alert must come out while run waits for more.
    const shown = await Promise.race([firstAlert.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20_000))]);
    expect(shown).toBe(true);
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
    child.stdin.end(alerting);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    for (const l of lines) expect((JSON.parse(l) as Record<string, unknown>)['kibana.alert.rule.name']).toBeTypeOf('string');
  }, 30_000);
});
