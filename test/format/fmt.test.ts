import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Document, Scalar, isScalar, visit } from 'yaml';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { formatRuleText } from '../../src/format/format-rule.js';
import { checkRuleText } from '../../src/rules/validate.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: root });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const bundledFiles = readdirSync(join(root, 'rules')).filter((f) => f.endsWith('.yaml') && f !== 'ruleforge.yaml');
const fmt = (text: string): string => {
  const r = formatRuleText(text);
  if (!r.ok) throw new Error(r.message);
  return r.text;
};
/** What validate says about a text, positions left out (formatting moves lines). */
const findings = (text: string, file: string) => checkRuleText(text, file).diagnostics.map((d) => `${d.severity} ${d.code} ${d.message}`).sort();

const scrambled = `# header comment stays on top
severity: medium
risk_score: 47
# the query, in double quotes
query: "event.action: \\"DeleteProvisionedModelThroughput\\"   and event.outcome: success  "
'name': 'Throughput deleted'
rule_id: "00000000-0000-4000-8000-000000000001"
description: 'A test rule.'
author: [ tests ]
index: ["logs-aws.cloudtrail-*"]
type: query
language: "kuery"
tags:
  - 'Domain: Cloud' # trailing comment
`;

describe('ruleforge fmt', () => {
  it('leaves the bundled rules as they are (they are formatted) and --check passes', () => {
    const r = run(['fmt', '--check', 'rules']);
    expect(r.stdout).toMatch(/6 files: 0 to reformat, 6 already formatted/);
    expect(r.code).toBe(0);
  });

  it('writes the canonical layout: key order, block query, plain or double quotes, comments kept', () => {
    const out = fmt(scrambled);
    expect(out).toBe(`# header comment stays on top
name: Throughput deleted
rule_id: 00000000-0000-4000-8000-000000000001
type: query
language: kuery
index: [ logs-aws.cloudtrail-* ]
description: A test rule.
# the query, in double quotes
query: |-
  event.action: "DeleteProvisionedModelThroughput"   and event.outcome: success${'  '}
risk_score: 47
severity: medium
author: [ tests ]
tags:
  - "Domain: Cloud" # trailing comment
`);
    expect((load(out) as { query: string }).query).toBe((load(scrambled) as { query: string }).query);
    expect(fmt(out)).toBe(out);
  });

  it('keeps every query byte for byte and what validate reports, for every bundled rule scrambled at random (property)', () => {
    const originals = bundledFiles.map((f) => ({ file: join(root, 'rules', f), text: readFileSync(join(root, 'rules', f), 'utf8') }));
    const styles = [Scalar.PLAIN, Scalar.QUOTE_DOUBLE, Scalar.QUOTE_SINGLE, undefined] as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: originals.length - 1 }), fc.array(fc.nat(), { minLength: 60, maxLength: 60 }), fc.array(fc.nat(3), { minLength: 200, maxLength: 200 }), fc.boolean(), (which, order, quoting, comment) => {
        const { file, text } = originals[which]!;
        const doc = new Document(load(text));
        // Shuffle top-level keys and pick a scalar style for each string value (where YAML allows it).
        const map = doc.contents as unknown as { items: unknown[] };
        map.items = map.items.map((item, i) => ({ item, k: order[i % order.length]! })).sort((a, b) => a.k - b.k).map((x) => x.item);
        let n = 0;
        visit(doc, {
          Scalar(_key, node) {
            if (typeof node.value === 'string' && !node.value.includes('\n')) node.type = styles[quoting[n++ % quoting.length]!];
          },
        });
        if (comment) (map.items[0] as { key: { commentBefore?: string } }).key.commentBefore = ' a comment';
        const input = doc.toString({ lineWidth: 0 });
        const once = fmt(input);
        expect(fmt(once)).toBe(once);
        expect((load(once) as { query?: string }).query).toBe((load(text) as { query?: string }).query);
        expect(load(once)).toEqual(load(text));
        expect(findings(once, file)).toEqual(findings(text, file));
        if (comment) expect(once.startsWith('# a comment\n')).toBe(true);
        // Key order is canonical whatever order the input had.
        expect(once.match(/^\w+(?=:)/gm)).toEqual(text.match(/^\w+(?=:)/gm));
      }),
      { numRuns: 20 },
    );
  });

  it('--check lists files that would change and exits 1; fmt fixes them; a file that does not parse is reported, located', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruleforge-fmt-'));
    writeFileSync(join(dir, 'a.yaml'), scrambled);
    writeFileSync(join(dir, 'b.yaml'), fmt(scrambled));
    writeFileSync(join(dir, 'broken.yaml'), 'name: [\n');
    const check = run(['fmt', '--check', dir]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`would reformat ${join(dir, 'a.yaml')}`);
    expect(check.stdout).not.toContain('b.yaml');
    expect(check.stderr).toMatch(/broken\.yaml:2:1: error yaml\/syntax/);
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe(scrambled);
    const write = run(['fmt', dir]);
    expect(write.stdout).toContain(`formatted ${join(dir, 'a.yaml')}`);
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe(fmt(scrambled));
    expect(readFileSync(join(dir, 'broken.yaml'), 'utf8')).toBe('name: [\n');
    const copy = mkdtempSync(join(tmpdir(), 'ruleforge-fmt-'));
    cpSync(join(dir, 'a.yaml'), join(copy, 'a.yaml'));
    expect(run(['fmt', '--check', copy]).code).toBe(0);
  });
});
