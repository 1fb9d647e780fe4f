import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { WHOLE_FILE, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { RuleArtifact } from '../ir/artifact.js';
import { readTextSource } from '../rules/read-source.js';

/**
 * A compiled rule whose rule file has changed since it was compiled. Each artifact records its source
 * file (relative to the directory `compile` ran in) and the SHA-256 of its text; when that file exists
 * here and hashes differently, running the artifact would silently run yesterday's rule. A source that
 * does not exist (artifacts shipped without their YAML) is not checked.
 */
export function staleArtifactDiagnostics(rules: readonly RuleArtifact[], artifactFiles: readonly string[], refuse: boolean, cwd = process.cwd()): Diagnostic[] {
  const out: Diagnostic[] = [];
  rules.forEach((artifact, i) => {
    const source = artifact.source?.file;
    if (typeof source !== 'string' || source === '') return;
    const file = resolve(cwd, source);
    if (!existsSync(file)) return;
    const read = readTextSource(file);
    // The hash is of the text compile parsed (UTF-8, BOM dropped); an unreadable file cannot be compared.
    if (!read.ok || createHash('sha256').update(read.text).digest('hex') === artifact.source.sha256) return;
    out.push({
      file: artifactFiles[i] ?? source,
      ...WHOLE_FILE,
      severity: refuse ? 'error' : 'warning',
      code: 'compile/stale-artifact',
      message: `compiled from ${source}, which has changed since; this runs the rule as it was when compiled.`,
      hint: `Run \`ruleforge compile\` to rebuild it${refuse ? '' : ', or pass --refuse-stale to stop on this'}.`,
    });
  });
  return out;
}
