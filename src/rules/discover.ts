import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WHOLE_FILE, type Diagnostic } from '../diagnostics/diagnostic.js';
import { PROJECT_FILE } from './project.js';

const RULE_FILE = /\.ya?ml$/i;
// `exceptions/` holds shared exception lists and value lists, not rules.
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'dist-rules', 'exceptions']);

/** Rule files under the given paths (directories searched recursively), sorted, with missing paths as diagnostics. */
export function discoverRuleFiles(paths: readonly string[], cwd = process.cwd()): { files: string[]; diagnostics: Diagnostic[] } {
  const found = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      diagnostics.push(pathDiagnostic(dir, 'file/unreadable', `Cannot read the directory (${(err as NodeJS.ErrnoException).code ?? String(err)}).`));
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(path);
      } else if (RULE_FILE.test(entry.name) && entry.name !== PROJECT_FILE) found.add(path);
    }
  };
  for (const p of paths) {
    let stat;
    try {
      stat = statSync(p);
    } catch {
      diagnostics.push(pathDiagnostic(p, 'file/not-found', `No such file or directory: ${p}`));
      continue;
    }
    if (stat.isDirectory()) walk(p);
    else found.add(p);
  }
  const files = [...found].map((f) => (f.startsWith('/') ? relativeIfInside(f, cwd) : f)).sort();
  return { files, diagnostics };
}

function relativeIfInside(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel.startsWith('..') ? file : rel;
}

const pathDiagnostic = (file: string, code: string, message: string): Diagnostic => ({ file, ...WHOLE_FILE, severity: 'error', code, message });
