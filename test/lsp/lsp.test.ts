import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CompletionItem, DocumentSymbol, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fixRuleText } from '../../src/fixes/apply.js';
import { formatRuleText } from '../../src/format/format-rule.js';
import { clearProjectCache } from '../../src/rules/project.js';
import { validateRules } from '../../src/rules/validate.js';
import { startSession, uriOf, type LspSession } from './client.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundled = join(root, 'rules');

let session: LspSession;
let dir: string;
let version = 1;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ruleforge-lsp-'));
  cpSync(bundled, dir, { recursive: true });
  session = await startSession();
});
afterAll(async () => {
  await session.close();
});

async function open(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const uri = uriOf(file);
  await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: version++, text } });
  return uri;
}

const positionOf = (text: string, marker: string): { line: number; character: number } => {
  const doc = TextDocument.create('x', 'yaml', 0, text);
  const i = text.indexOf(marker);
  if (i < 0) throw new Error(`no ${marker}`);
  return doc.positionAt(i + marker.length);
};

async function complete(uri: string, text: string, marker: string): Promise<CompletionItem[]> {
  const result = (await session.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: positionOf(text, marker) })) as CompletionItem[] | { items: CompletionItem[] };
  return Array.isArray(result) ? result : result.items;
}

const bedrockRule = readFileSync(join(bundled, 'impact_bedrock_provisioned_throughput_tampering.yaml'), 'utf8');

describe('ruleforge lsp over stdio', () => {
  it('publishes exactly the diagnostics validate reports for the file (codes, ranges, messages)', async () => {
    const text = bedrockRule.replace('risk_score: 47', 'risk_score: 99').replace('event.action', 'event.actoin').replace('severity: medium', 'severity: medium\nreferencs: []');
    const uri = await open('broken.yaml', text);
    const published = await session.diagnostics(uri);
    clearProjectCache();
    const expected = validateRules([join(dir, 'broken.yaml')]).diagnostics;
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(published.diagnostics.map((d) => [d.code, d.range.start.line + 1, d.range.start.character + 1, d.range.end.line + 1, d.range.end.character + 1, String(d.message).split('\n')[0]])).toEqual(
      expected.map((d) => [d.code, d.line, d.column, d.endLine, d.endColumn, d.message]),
    );
  });

  it('re-checks on change, debounced: a burst of edits yields diagnostics for the last version', async () => {
    const uri = await open('edit.yaml', bedrockRule);
    expect((await session.diagnostics(uri)).diagnostics).toEqual([]);
    let last = 0;
    for (const score of [90, 91, 47]) {
      last = version++;
      await session.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: last }, contentChanges: [{ text: bedrockRule.replace('risk_score: 47', `risk_score: ${score}`) }] });
    }
    const after = await session.diagnostics(uri);
    expect(after.version).toBe(last);
    expect(after.diagnostics).toEqual([]);
    last = version++;
    await session.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: last }, contentChanges: [{ text: bedrockRule.replace('risk_score: 47', 'risk_score: 90') }] });
    const warned = await session.diagnostics(uri, (p) => p.version === last);
    expect(warned.diagnostics.map((d) => d.code)).toEqual(['rule/risk-score-band']);
  });

  it('completes field names for the rule\'s index patterns, with type and source', async () => {
    const text = bedrockRule.replace('event.outcome: "success"', 'event.outc');
    const uri = await open('complete-kql.yaml', text);
    const items = await complete(uri, text, 'event.outc');
    const outcome = items.find((i) => i.label === 'event.outcome');
    expect(outcome?.detail).toBe('keyword · ECS');
    expect(items.every((i) => i.kind !== 5 || String(i.label).startsWith('event.outc'))).toBe(true);
    const packText = bedrockRule.replace('event.outcome: "success"', 'aws.cloudtrail.user_identity.ty');
    const packUri = await open('complete-pack.yaml', packText);
    const pack = await complete(packUri, packText, 'aws.cloudtrail.user_identity.ty');
    expect(pack.find((i) => i.label === 'aws.cloudtrail.user_identity.type')?.detail).toMatch(/integration pack/);
  });

  it('completes known values of a field (ECS allowed values) and KQL keywords', async () => {
    const text = bedrockRule.replace('event.outcome: "success"', 'event.outcome: su');
    const uri = await open('complete-value.yaml', text);
    const labels = (await complete(uri, text, 'event.outcome: su')).map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['success', 'failure', 'unknown']));
    const fields = (await complete(uri, text, ') and\n      ')).map((i) => i.label);
    expect(fields).toEqual(expect.arrayContaining(['and', 'or', 'not', 'event.outcome']));
  });

  it('completes EQL functions with signatures and event categories', async () => {
    const eql = readFileSync(join(bundled, 'discovery_bedrock_model_enumeration_then_invocation_long_term_key.yaml'), 'utf8');
    const text = eql.replace(/\[any where /, '[any where startsW');
    const uri = await open('complete-eql.yaml', text);
    const fn = (await complete(uri, text, 'startsW')).find((i) => i.label === 'startsWith');
    expect(fn?.detail).toBe('startsWith[~](string, string) → boolean');
    const categories = (await complete(uri, text, '[')).map((i) => i.label);
    expect(categories).toEqual(expect.arrayContaining(['process', 'network', 'any']));
  });

  it('completes rule keys from the schema and ATT&CK ids with names', async () => {
    const text = bedrockRule.replace('license: Apache-2.0', 'license: Apache-2.0\nsev');
    const uri = await open('complete-key.yaml', text);
    const keys = await complete(uri, text, '\nsev');
    expect(keys.map((i) => i.label)).toEqual(expect.arrayContaining(['severity', 'risk_score', 'threat']));
    // Inside a list item: the keys of a test example.
    const nested = bedrockRule.replace(/^(tests:\n  - name: .*\n)/m, '$1    ev\n');
    const nestedUri = await open('complete-nested.yaml', nested);
    const exampleKeys = (await complete(nestedUri, nested, '\n    ev')).map((i) => i.label);
    expect(exampleKeys).toEqual(expect.arrayContaining(['name', 'expect', 'event', 'events']));
    expect(exampleKeys).not.toContain('severity');
    const tactic = (await complete(uri, text, '    tactic:\n      id: ')).find((i) => i.label === 'TA0040');
    expect(tactic?.detail).toBe('Impact');
    const technique = (await complete(uri, text, '      - id: ')).find((i) => i.label === 'T1496');
    expect(technique?.detail).toBe('Resource Hijacking');
    // The name and reference next to an id come from the ATT&CK table.
    const names = (await complete(uri, text, '      - id: T1496\n        name: ')).map((i) => i.label);
    expect(names).toEqual(['Resource Hijacking']);
    const subRef = (await complete(uri, text, '            name: Cloud Service Hijacking\n            reference: ')).map((i) => i.label);
    expect(subRef).toEqual(['https://attack.mitre.org/techniques/T1496/004/']);
    const tacticName = (await complete(uri, text, '      id: TA0040\n      name: ')).map((i) => i.label);
    expect(tacticName).toEqual(['Impact']);
  });

  it('hovers: a field\'s type and source, an EQL function\'s signature, a technique\'s name', async () => {
    const uri = await open('hover.yaml', bedrockRule);
    const field = (await session.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(bedrockRule, 'event.prov') })) as Hover;
    expect(JSON.stringify(field.contents)).toMatch(/event\.provider.*keyword.*ECS/);
    const technique = (await session.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(bedrockRule, '- id: T14') })) as Hover;
    expect(JSON.stringify(technique.contents)).toMatch(/T1496 Resource Hijacking/);
    const eql = 'name: x\nrule_id: x\ntype: eql\nlanguage: eql\nquery: any where startsWith(process.name, "a")\n';
    const eqlUri = await open('hover-eql.yaml', eql);
    const fn = (await session.connection.sendRequest('textDocument/hover', { textDocument: { uri: eqlUri }, position: positionOf(eql, 'startsW') })) as Hover;
    expect(JSON.stringify(fn.contents)).toMatch(/startsWith\[~\]\(string, string\) → boolean/);
  });

  it('offers the machine-applicable fixes as code actions, and applying one clears the diagnostic', async () => {
    const text = bedrockRule.replace('risk_score: 47', 'risk_score: 99').replace('license: Apache-2.0', 'licence: Apache-2.0');
    const uri = await open('fix.yaml', text);
    const published = await session.diagnostics(uri);
    const band = published.diagnostics.find((d) => d.code === 'rule/risk-score-band')!;
    const actions = (await session.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: band.range, context: { diagnostics: [band] } })) as CodeAction[];
    expect(actions.map((a) => a.title)).toEqual(['Set risk_score to 47 (the medium band)', 'Set severity to critical (fits risk score 99)']);
    expect(actions[0]!.isPreferred).toBe(true);
    const key = published.diagnostics.find((d) => d.code === 'rule/schema')!;
    const keyActions = (await session.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: key.range, context: { diagnostics: [key] } })) as CodeAction[];
    expect(keyActions.map((a) => a.title)).toContain('Change the key to `license`');
    let doc = TextDocument.create(uri, 'yaml', 1, text);
    for (const a of [actions[0]!, keyActions.find((k) => k.title.includes('license'))!]) {
      doc = TextDocument.create(uri, 'yaml', 1, TextDocument.applyEdits(doc, a.edit!.changes![uri]!));
      // Each action is computed against the text it was offered for; re-open with the result before the next.
      const v = version++;
      await session.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text: doc.getText() }] });
      await session.diagnostics(uri, (p) => p.version === v);
      if (a === actions[0]) continue;
    }
    expect(doc.getText()).toBe(bedrockRule);
  });

  it('formats with fmt\'s layout and outlines the rule, its query and each example', async () => {
    const text = bedrockRule.replace(/^(risk_score: 47\nseverity: medium\n)/m, '').replace('name: ', 'severity: medium\nrisk_score: 47\nname: ');
    const uri = await open('format.yaml', text);
    const edits = (await session.connection.sendRequest('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })) as TextEdit[];
    const formatted = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), edits);
    expect(formatted).toBe((formatRuleText(text) as { text: string }).text);
    expect(formatted).toBe(bedrockRule);
    const symbols = (await session.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[];
    expect(symbols[0]!.name).toBe('AWS Bedrock Provisioned Throughput Created, Changed or Deleted');
    expect(symbols[0]!.children!.map((c) => c.name)).toEqual(['query', 'tests']);
    const tests = symbols[0]!.children![1]!;
    expect(tests.children!.length).toBeGreaterThan(3);
    expect(tests.children![0]!.name).toMatch(/\w/);
  });

  it('reports validate\'s cross-file findings: a duplicate rule_id against the rule set on disk', async () => {
    const text = bedrockRule.replace('name: AWS Bedrock Provisioned Throughput Created, Changed or Deleted', 'name: Another name');
    const uri = await open('zz-duplicate.yaml', text);
    const published = await session.diagnostics(uri);
    clearProjectCache();
    const expected = validateRules([dir]).diagnostics.filter((d) => d.file === join(dir, 'zz-duplicate.yaml'));
    expect(expected.map((d) => d.code)).toContain('rule/duplicate-id');
    expect(published.diagnostics.map((d) => [d.code, d.range.start.line + 1, d.range.start.character + 1, String(d.message)])).toEqual(expected.map((d) => [d.code, d.line, d.column, d.message]));
  });

  it('offers "fix all" (source.fixAll): the text lint --fix writes', async () => {
    const text = bedrockRule.replace('risk_score: 47', 'risk_score: 99').replace('license: Apache-2.0', 'licence: Apache-2.0').replace('severity: medium', 'severity: Medium');
    const uri = await open('fix-all.yaml', text);
    const actions = (await session.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } })) as CodeAction[];
    expect(actions.map((a) => a.title)).toEqual(['Fix all ruleforge findings (3)']);
    const result = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), actions[0]!.edit!.changes![uri]!);
    expect(result).toBe(fixRuleText(text, join(dir, 'fix-all.yaml')).text);
    expect(result).toBe(bedrockRule);
  });

  it('applies validate\'s file limits to unsaved buffers (over 1 MiB, NUL bytes) and keeps serving', async () => {
    const big = `${bedrockRule}\n# ${'x'.repeat(1024 * 1024)}\n`;
    const uri = await open('huge.yaml', big);
    clearProjectCache();
    const expected = validateRules([join(dir, 'huge.yaml')]).diagnostics;
    const published = await session.diagnostics(uri);
    expect(published.diagnostics.map((d) => [d.code, String(d.message).split('\n')[0]])).toEqual(expected.map((d) => [d.code, d.message]));
    expect(expected[0]!.code).toBe('file/too-large');
    const nul = await open('nul.yaml', 'name: a\u0000b\n');
    expect((await session.diagnostics(nul)).diagnostics.map((d) => d.code)).toEqual(['file/encoding']);
    const ok = await open('after.yaml', bedrockRule.replace(/^rule_id: .*$/m, 'rule_id: 0c3d3c7e-0000-4000-8000-000000000009').replace(/^name: .*$/m, 'name: After'));
    expect((await session.diagnostics(ok)).diagnostics).toEqual([]);
  });

  it('checks an open ruleforge.yaml with the project-file checks', async () => {
    const uri = await open('ruleforge.yaml', 'integrations:\n  aws: ">=2.23.0"\nfeilds: {}\n');
    const published = await session.diagnostics(uri);
    expect(published.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['project/schema', 2]]);
    const text = 'fields:\n  custom.score: \nint';
    const project = await open('ruleforge.yaml', text);
    expect((await complete(project, text, '\nint')).map((i) => i.label)).toEqual(['fields', 'integrations']);
    expect((await complete(project, text, 'custom.score: ')).map((i) => i.label)).toEqual(expect.arrayContaining(['keyword', 'long', 'ip', 'date']));
  });
});
