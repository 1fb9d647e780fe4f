// Generated documentation: docs/checks.md from the table of check codes (src/rules/check-codes.ts), and the
// field reference in docs/rule-format.md from the rule schema's descriptions. Run `npm run docs` after changing
// either; tests fail while the pages are out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The checks page for a table of codes. */
export function checksPage(table) {
  const groups = new Map();
  for (const [code, info] of Object.entries(table)) {
    const prefix = code.split('/')[0];
    if (!groups.has(prefix)) groups.set(prefix, []);
    groups.get(prefix).push([code, info]);
  }
  const titles = { file: 'Files', yaml: 'YAML', rule: 'Rule fields', threat: 'MITRE ATT&CK / ATLAS', kql: 'KQL queries', eql: 'EQL queries', field: 'Fields', project: 'Project settings (ruleforge.yaml)', exception: 'Exceptions (exceptions, exceptions_list, exceptions/)', suppression: 'Alert suppression', test: 'Examples (tests:)', compile: 'Compile' };
  const lines = [
    '# Checks',
    '',
    '<!-- Generated from src/rules/check-codes.ts by `npm run docs`; do not edit by hand. -->',
    '',
    '`ruleforge validate` (and `compile` and `test`, which validate first) report each finding with a stable',
    'code, a severity, and the file, line and column it concerns. Errors make the command exit 1; warnings do',
    'too with `--strict`. Query diagnostics (`kql/*`, `eql/*`) point inside the query, block scalars included.',
    '',
  ];
  for (const [prefix, entries] of groups) {
    lines.push(`## ${titles[prefix] ?? prefix}`, '', '| Code | Severity | What it means |', '|---|---|---|');
    for (const [code, info] of entries) lines.push(`| \`${code}\` | ${info.severity} | ${info.description.replace(/\|/g, '\\|')} |`);
    lines.push('');
  }
  return lines.join('\n');
}

/** A schema node's type in words. */
function typeOf(node, defs) {
  if (node.$ref) return typeOf(defs[node.$ref.split('/').pop()], defs);
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum) return node.enum.map((v) => `\`${v}\``).join(' \\| ');
  if (node.type === 'array') return `list of ${typeOf(node.items ?? {}, defs)}`;
  if (node.type === 'object') return 'mapping';
  if (node.anyOf || node.oneOf) return (node.anyOf ?? node.oneOf).map((n) => typeOf(n, defs)).join(' or ');
  if (Array.isArray(node.type)) return node.type.map((t) => (t === 'array' ? `list of ${typeOf(node.items ?? {}, defs)}` : t === 'object' ? 'mapping' : t)).join(' or ');
  return node.type ?? 'any';
}

/** Limits worth stating next to the type. */
function constraints(node) {
  const out = [];
  if (node.minimum !== undefined && node.maximum !== undefined) out.push(`${node.minimum}–${node.maximum}`);
  else if (node.minimum !== undefined) out.push(`≥ ${node.minimum}`);
  if (node.pattern) out.push(`form \`${node.pattern}\``);
  if (node.minItems) out.push(`at least ${node.minItems}`);
  if (node.maxItems) out.push(`at most ${node.maxItems}`);
  return out.join(', ');
}

/** The field reference table for the rule schema. */
export function fieldReference(schema) {
  const required = new Set(schema.required);
  const lines = ['| Field | Type | Required | Description |', '|---|---|---|---|'];
  const row = (name, node, req) => {
    const limits = constraints(node);
    lines.push(`| \`${name}\` | ${typeOf(node, schema.definitions)}${limits ? ` (${limits})` : ''} | ${req ? 'yes' : ''} | ${(node.description ?? '').replace(/\|/g, '\\|')} |`);
  };
  for (const [name, node] of Object.entries(schema.properties)) {
    row(name, node, required.has(name));
    if (node.type === 'object' && node.properties) {
      const inner = new Set(node.required ?? []);
      for (const [sub, subNode] of Object.entries(node.properties)) row(`${name}.${sub}`, subNode, inner.has(sub));
    }
  }
  return lines.join('\n');
}

/** docs/rule-format.md with its generated block replaced. */
export function ruleFormatPage(current, schema) {
  return current.replace(/(<!-- fields:start[^\n]*-->\n)[\s\S]*?(<!-- fields:end -->)/, (_all, start, end) => `${start}${fieldReference(schema)}\n${end}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { CHECK_DESCRIPTIONS } = await import(pathToFileURL(join(root, 'dist', 'src', 'rules', 'check-codes.js')).href);
  writeFileSync(join(root, 'docs', 'checks.md'), checksPage(CHECK_DESCRIPTIONS));
  const schema = JSON.parse(readFileSync(join(root, 'src', 'rules', 'rule.schema.json'), 'utf8'));
  const page = join(root, 'docs', 'rule-format.md');
  writeFileSync(page, ruleFormatPage(readFileSync(page, 'utf8'), schema));
  process.stdout.write('wrote docs/checks.md and docs/rule-format.md\n');
}
