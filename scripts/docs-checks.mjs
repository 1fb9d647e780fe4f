// Writes docs/checks.md from the table of check codes (src/rules/check-codes.ts, read from the build).
// Run `npm run docs` after changing the table; a test fails while the page is out of date.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The page's Markdown for a table of codes. */
export function checksPage(table) {
  const groups = new Map();
  for (const [code, info] of Object.entries(table)) {
    const prefix = code.split('/')[0];
    if (!groups.has(prefix)) groups.set(prefix, []);
    groups.get(prefix).push([code, info]);
  }
  const titles = { file: 'Files', yaml: 'YAML', rule: 'Rule fields', threat: 'MITRE ATT&CK / ATLAS', kql: 'KQL queries', eql: 'EQL queries', field: 'Fields', project: 'Project settings (ruleforge.yaml)', test: 'Examples (tests:)', compile: 'Compile' };
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

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { CHECK_DESCRIPTIONS } = await import(pathToFileURL(join(root, 'dist', 'src', 'rules', 'check-codes.js')).href);
  writeFileSync(join(root, 'docs', 'checks.md'), checksPage(CHECK_DESCRIPTIONS));
  process.stdout.write('wrote docs/checks.md\n');
}
