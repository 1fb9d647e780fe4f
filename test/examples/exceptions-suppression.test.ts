import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const project = join('examples', 'exceptions-suppression');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: root });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ALICE = 'arn:aws:sts::444455556666:assumed-role/dev/alice';
const BOB = 'arn:aws:sts::444455556666:assumed-role/dev/bob';
const at = (minute: number) => new Date(Date.parse('2026-03-01T10:00:00Z') + minute * 60_000).toISOString();

describe('a rule with exceptions and alert suppression, over a stream built to exercise both', () => {
  it('raises the alerts Kibana would: excepted events never alert, repeats fold into one alert per identity and hour', () => {
    const r = run(['run', '--rules', join(project, 'rules'), join(project, 'events.ndjson')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/6 alerts {2}AWS Bedrock Model Invocation Denied \(3 suppressed into them\)/);
    const alerts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const shape = alerts.map((a) => [(a['kibana.alert.suppression.terms'] as { value: unknown }[])[0].value, a['kibana.alert.suppression.docs_count'], a['kibana.alert.suppression.start'], a['kibana.alert.suppression.end']]);
    expect(shape).toEqual([
      // lines 1, 2, 4: the first alert's run (10:05) absorbs runs up to 11:05; line 13 is a build-network eval job (excepted)
      [ALICE, 2, at(0), at(12)],
      // lines 5 and 12; line 15 (run 11:25) is past the hour of the alert created at 10:15
      [BOB, 1, at(14), at(40)],
      // line 8: from the build network, but not an evaluation job, so the shared list's item does not apply
      ['arn:aws:sts::444455556666:assumed-role/eval/job-8', 0, at(17), at(17)],
      // line 10: a break-glass admin inside the production account is not excepted (its `excluded` entry fails)
      ['arn:aws:sts::444455556666:assumed-role/admin/breakglass-1', 0, at(19), at(19)],
      [ALICE, 0, at(66), at(66)],
      [BOB, 0, at(80), at(80)],
    ]);
    // lines 3 (CI role), 6 (sandbox account), 7 (eval job), 9 (break-glass elsewhere) are excepted; 11 succeeded
    const sources = alerts.map((a) => ((a.events as Record<string, unknown>[])[0]['@timestamp']));
    for (const minute of [3, 15, 16, 18, 20, 58]) expect(sources).not.toContain(at(minute));
    expect(new Set(alerts.map((a) => a['kibana.alert.instance.id'])).size).toBe(4);
  });

  it('validates clean and its examples (with docs_count) pass', () => {
    expect(run(['validate', project, '--strict']).code).toBe(0);
    const t = run(['test', project]);
    expect(t.stdout + t.stderr).toMatch(/2 passed, 0 failed/);
    expect(t.code).toBe(0);
  });

  it('explain names the exception item that excepted an event, and the suppression group of a matching one', () => {
    const r = spawnSync(process.execPath, [cli, 'explain', '--rule', join(project, 'rules', 'initial_access_bedrock_denied_model_invocations.yaml'), '--event', '-', '--format', 'json'], { encoding: 'utf8', cwd: root, input: readFileSync(join(root, project, 'events.ndjson'), 'utf8') });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { events: { pass: boolean }[]; excepted_by: { name: string; list_id?: string }[][] };
    expect(out.excepted_by[2]).toEqual([{ name: 'CI deploy role', list_id: 'bedrock-trusted-automation' }]);
    expect(out.excepted_by[5]).toEqual([{ name: 'Sandbox account' }]);
    expect(out.excepted_by[0]).toEqual([]);
    expect(out.events[0].pass).toBe(true);
    const sup = (out as unknown as { suppression: { candidates: { event?: number; terms?: unknown; outcome: string; alert?: number }[]; alerts: { alert: number; 'kibana.alert.suppression.docs_count': number }[] } }).suppression;
    const first = sup.candidates.find((c) => c.event === 1)!;
    expect(first.terms).toEqual([{ field: 'aws.cloudtrail.user_identity.arn', value: ALICE }]);
    expect(first.outcome).toBe('opened');
    expect(sup.candidates.some((c) => c.event === 3)).toBe(false); // excepted: no alert, so no group
    // The final values are run's: the same alerts, the same docs_count.
    const ran = spawnSync(process.execPath, [cli, 'run', '--rules', join(project, 'rules', 'initial_access_bedrock_denied_model_invocations.yaml'), join(project, 'events.ndjson')], { encoding: 'utf8', cwd: root });
    const runDocs = ran.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Record<string, number>)['kibana.alert.suppression.docs_count']);
    expect(sup.alerts.map((a) => a['kibana.alert.suppression.docs_count'])).toEqual(runDocs);
  });
});
