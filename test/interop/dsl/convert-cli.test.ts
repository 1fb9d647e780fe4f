import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { convertCommand } from '../../../src/cli/convert.js';
import { UsageError } from '../../../src/cli/io.js';
import { STUB_FIELDS } from './helpers.js';

/** Runs `convert` in-process, as `ruleforge convert` would, capturing what it writes. */
async function convert(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | undefined }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const program = new Command('ruleforge').exitOverride().configureOutput({ writeErr: (s) => (stderr += s), writeOut: (s) => (stdout += s) });
    program.addCommand(convertCommand().exitOverride());
    await program.parseAsync(['convert', ...args], { from: 'user' });
    return { stdout, stderr, exitCode: typeof process.exitCode === 'number' ? process.exitCode : undefined };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ruleforge-dsl-')), name);
  writeFileSync(file, text);
  return file;
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('convertCommand', () => {
  it('prints the DSL as 2-space JSON', async () => {
    const r = await convert(['--language', 'kuery', '--to', 'dsl', 'extension:jpg']);
    expect(r.stdout).toBe(JSON.stringify({ bool: { should: [{ match: { extension: 'jpg' } }], minimum_should_match: 1 } }, null, 2) + '\n');
    expect(r.exitCode).toBeUndefined();
  });

  it('reads the field list and the Kibana options', async () => {
    const fields = tempFile('fields.json', JSON.stringify({ fields: STUB_FIELDS }));
    const keyword = await convert(['--language', 'kuery', '--to', 'dsl', '--fields', fields, '--case-insensitive', 'machine.os.keyword: win*']);
    expect(JSON.parse(keyword.stdout)).toEqual({ bool: { should: [{ wildcard: { 'machine.os.keyword': { value: 'win*', case_insensitive: true } } }], minimum_should_match: 1 } });
    const noCase = await convert(['--language', 'kuery', '--to', 'dsl', '--fields', fields, '--no-case-insensitive', 'machine.os.keyword: win']);
    expect(JSON.stringify(JSON.parse(noCase.stdout))).toBe('{"bool":{"should":[{"term":{"machine.os.keyword":{"value":"win","case_insensitive":false}}}],"minimum_should_match":1}}');
    const date = await convert(['--language', 'kuery', '--to', 'dsl', '--fields', fields, '--date-format-tz', 'Europe/Paris', '@timestamp < "2020-01-01"']);
    expect(JSON.parse(date.stdout)).toEqual({ bool: { should: [{ range: { '@timestamp': { lt: '2020-01-01', time_zone: 'Europe/Paris' } } }], minimum_should_match: 1 } });
    const must = await convert(['--language', 'kuery', '--to', 'dsl', '--filters-in-must-clause', 'a:1 and b:2']);
    expect(Object.keys((JSON.parse(must.stdout) as { bool: object }).bool)).toEqual(['must']);
    const nested = await convert(['--language', 'kuery', '--to', 'dsl', '--nested-ignore-unmapped', 'p:{ a:1 }']);
    expect((JSON.parse(nested.stdout) as { nested: { ignore_unmapped: boolean } }).nested.ignore_unmapped).toBe(true);
  });

  it('exits 1 with the located kql/syntax diagnostic on an invalid query', async () => {
    const r = await convert(['--language', 'kuery', '--to', 'dsl', 'event.action: not x']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/<query>:1:15: error kql\/syntax: Expected/);
    expect(r.stderr).toMatch(/hint:/);
  });

  it('exits 1 with a located diagnostic when Kibana would refuse the query', async () => {
    const fields = tempFile('fields.json', JSON.stringify(STUB_FIELDS));
    const r = await convert(['--language', 'kuery', '--to', 'dsl', '--fields', fields, 'nestedField.child: x']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/<query>:1:1: error dsl\/nested-field: .*nestedField\.child/);
  });

  it('usage errors: other languages, other targets, bad field files', async () => {
    await expect(convert(['--language', 'eql', '--to', 'dsl', 'a'])).rejects.toThrow(/KQL only.*--language kuery/);
    await expect(convert(['--language', 'kuery', '--to', 'lucene', 'a'])).rejects.toThrow(UsageError);
    await expect(convert(['--language', 'kuery', '--to', 'dsl', '--fields', '/no/such/fields.json', 'a'])).rejects.toThrow(/--fields: cannot read \/no\/such\/fields\.json/);
    const bad = tempFile('bad.json', '{"fields": [{"name": "a"}]}');
    await expect(convert(['--language', 'kuery', '--to', 'dsl', '--fields', bad, 'a'])).rejects.toThrow(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a Kibana field list: .*"type"`));
    const notJson = tempFile('x.json', '{');
    await expect(convert(['--language', 'kuery', '--to', 'dsl', '--fields', notJson, 'a'])).rejects.toThrow(/cannot read .*x\.json/);
    await expect(convert(['--to', 'dsl', 'a'])).rejects.toThrow(/--language/);
  });
});

// Through the real `ruleforge` binary, once the command is registered in src/cli/main.ts (the lead does that).
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const probe = spawnSync(process.execPath, [cli, 'convert', '--help'], { encoding: 'utf8' });
const registered = probe.status === 0 && /--to/.test(probe.stdout);
if (!registered) {
  process.stderr.write("[skip] ruleforge convert through dist/src/cli/main.js: 'convert' is not registered in buildProgram yet (or dist is not built)\n");
}

describe.skipIf(!registered)('ruleforge convert (the built CLI)', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  it('converts, exits 1 on a bad query and 2 on usage errors', () => {
    const ok = run(['convert', '--language', 'kuery', '--to', 'dsl', 'a:1']);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ bool: { should: [{ match: { a: '1' } }], minimum_should_match: 1 } });
    expect(run(['convert', '--language', 'kuery', '--to', 'dsl', 'a: not b']).status).toBe(1);
    const usage = run(['convert', '--language', 'eql', '--to', 'dsl', 'a']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--language kuery/);
  });
});
