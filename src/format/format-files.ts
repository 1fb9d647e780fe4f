import { readFileSync, writeFileSync } from 'node:fs';
import { discoverRuleFiles } from '../rules/discover.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { loadYamlDocument } from '../rules/yaml-document.js';
import { formatRuleText } from './format-rule.js';

/** What `fmt` did (or, with `check`, would do) to a set of rule files. */
export interface FormatFilesResult {
  files: number;
  /** Files whose layout is (or was) not canonical. */
  changed: string[];
  /** Files that could not be read or parsed, located. */
  diagnostics: Diagnostic[];
}

/** Formats every rule file under `paths` in place (or only reports, with `check`). */
export function formatFiles(paths: readonly string[], options: { check: boolean }): FormatFilesResult {
  const discovered = discoverRuleFiles(paths);
  const result: FormatFilesResult = { files: discovered.files.length, changed: [], diagnostics: [...discovered.diagnostics] };
  for (const file of discovered.files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      result.diagnostics.push({ file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'file/unreadable', message: `Cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)}).` });
      continue;
    }
    // A file validate cannot read is reported as validate reports it (yaml/syntax, located) and left alone.
    const loaded = loadYamlDocument(text, file);
    if (!loaded.ok) {
      result.diagnostics.push(...loaded.diagnostics);
      continue;
    }
    const formatted = formatRuleText(text);
    if (!formatted.ok) {
      result.diagnostics.push({ file, line: formatted.line, column: formatted.column, endLine: formatted.line, endColumn: formatted.column, severity: 'error', code: 'fmt/not-formatted', message: formatted.message });
      continue;
    }
    if (!formatted.changed) continue;
    result.changed.push(file);
    if (!options.check) writeFileSync(file, formatted.text);
  }
  return result;
}
