/**
 * `run` puts sequence events that arrive out of order back in order (its default --lateness is 5m): the
 * bundled attack story with neighbouring events swapped, and the sequence's second event arriving before its
 * first, raises the same sequence alert as in order.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runCli } from './run-cli.js';

const SEQUENCE = 'AWS Bedrock Models Listed Then Invoked With a Long-Term Access Key';

function sequenceAlerts(stdout: string): string[] {
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { 'kibana.alert.rule.name': string; events: { '@timestamp': string; event: { action: string } }[] })
    .filter((a) => a['kibana.alert.rule.name'] === SEQUENCE)
    .map((a) => a.events.map((e) => `${e['@timestamp']} ${e.event.action}`).join(' → '));
}

describe('run with events out of order', () => {
  it('finds the sequence it finds in order when events arrive out of order within the window, and not without one', () => {
    const lines = readFileSync(join(projectRoot, 'examples', 'bedrock-attack.ndjson'), 'utf8').trim().split('\n');
    const swapped = [...lines];
    for (let i = 0; i + 1 < swapped.length; i += 2) [swapped[i], swapped[i + 1]] = [swapped[i + 1], swapped[i]];
    // And the sequence's second event (four minutes after its first) arrives before the first.
    const [first, second] = sequenceAlerts(runCli(['run', '--no-progress', join(projectRoot, 'examples', 'bedrock-attack.ndjson')]).stdout)[0].split(' → ');
    const at = (text: string): number => swapped.findIndex((l) => { const e = JSON.parse(l) as { '@timestamp': string; event: { action: string } }; return `${e['@timestamp']} ${e.event.action}` === text; });
    const [moved] = swapped.splice(at(second), 1);
    swapped.splice(at(first), 0, moved);
    const dir = mkdtempSync(join(tmpdir(), 'ruleforge-order-'));
    writeFileSync(join(dir, 'swapped.ndjson'), `${swapped.join('\n')}\n`);
    const inOrder = runCli(['run', '--no-progress', join(projectRoot, 'examples', 'bedrock-attack.ndjson')]);
    const outOfOrder = runCli(['run', '--no-progress', join(dir, 'swapped.ndjson')]);
    expect(inOrder.code).toBe(0);
    expect(outOfOrder.code).toBe(0);
    expect(sequenceAlerts(inOrder.stdout)).toHaveLength(1);
    expect(sequenceAlerts(outOfOrder.stdout)).toEqual(sequenceAlerts(inOrder.stdout));
    expect(outOfOrder.stderr).not.toMatch(/late event/);
    // Without a window, the swapped stream misses it: the order matters, and the window is what restores it.
    const noWindow = runCli(['run', '--no-progress', '--lateness', '0s', join(dir, 'swapped.ndjson')]);
    expect(sequenceAlerts(noWindow.stdout)).not.toEqual(sequenceAlerts(inOrder.stdout));
  });
});
