import fc from 'fast-check';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { compileCheckedRule } from '../../src/rules/compile-rule.js';
import { checkRuleText } from '../../src/rules/validate.js';
import { createEngine, type Alert } from '../../src/runtime/index.js';
import { eqlRule } from '../helpers/rule-files.js';

const QUERY = 'sequence by user.name with maxspan=10m\n  [any where event.action == "A"]\n  ![any where event.action == "X"]\n  [any where event.action == "B"]\nuntil [any where event.action == "U"]\n';

function engineFor(rule: Record<string, unknown>) {
  const compiled = compileCheckedRule(checkRuleText(dump(rule, { lineWidth: -1 }), '/tmp/ruleforge-eql-prefilter.yaml'));
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('; '));
  return createEngine([compiled.file.artifact], { now: 0 });
}

const run = (engine: ReturnType<typeof engineFor>, events: unknown[]): Alert[] => [...events.flatMap((e) => engine.process(e)), ...engine.flush()];
const ids = (alerts: Alert[]) => alerts.map((a) => JSON.stringify(a.events));

describe('EQL exceptions are a pre-filter (property)', () => {
  it('a sequence rule with exceptions raises exactly the alerts of the same rule over the stream without the excepted events', () => {
    const event = fc.record({ dt: fc.integer({ min: 0, max: 2 }), action: fc.constantFrom('A', 'A', 'A', 'B', 'B', 'B', 'X', 'U', 'other'), user: fc.constantFrom('u1', 'u1', 'u2'), host: fc.constantFrom('lab', 'prod') });
    let alerting = 0;
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (steps) => {
        let minute = 0;
        const events = steps.map((s) => ({ '@timestamp': new Date((minute += s.dt) * 60_000).toISOString(), event: { action: s.action }, user: { name: s.user }, host: { name: s.host } }));
        const base = eqlRule({ index: ['logs-*'], query: QUERY });
        const withExceptions = engineFor({ ...base, exceptions: [{ name: 'lab', entries: [{ field: 'host.name', type: 'match', operator: 'included', value: 'lab' }] }] });
        const plain = engineFor(base);
        const got = ids(run(withExceptions, events));
        if (got.length > 0) alerting++;
        expect(got).toEqual(ids(run(plain, events.filter((e) => e.host.name !== 'lab'))));
      }),
      { numRuns: 300 },
    );
    // The streams do form sequences (about one run in ten; until events end many of them, as in Elasticsearch).
    expect(alerting).toBeGreaterThan(10);
  });

  it('explain says which events of a sequence an exception hides', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'ruleforge-explain-exc-'));
    writeFileSync(join(dir, 'r.yaml'), dump({ ...eqlRule({ index: ['logs-*'], query: QUERY }), exceptions: [{ name: 'lab host', entries: [{ field: 'host.name', type: 'match', operator: 'included', value: 'lab' }] }] }));
    const ev = (m: number, action: string, host: string) => JSON.stringify({ '@timestamp': new Date(m * 60_000).toISOString(), event: { action }, user: { name: 'u' }, host: { name: host } });
    writeFileSync(join(dir, 'ev.ndjson'), [ev(0, 'A', 'lab'), ev(1, 'B', 'prod')].join('\n'));
    const cli = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
    const r = spawnSync(process.execPath, [cli, 'explain', '--rule', join(dir, 'r.yaml'), '--event', join(dir, 'ev.ndjson')], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/event 1 is excepted by "lab host": no stage sees it/);
    expect(r.stdout).toMatch(/0 alert\(s\)/);
  });
});
