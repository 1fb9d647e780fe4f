import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { RuleArtifact } from '../ir/artifact.js';
import { compileCheckedRule } from '../rules/compile-rule.js';
import { validateRules } from '../rules/validate.js';
import { loadRulesReport, type RuleLoadError } from '../runtime/load/load-rules.js';
import { WHOLE_FILE } from '../diagnostics/diagnostic.js';
import { UsageError } from './io.js';
import { staleArtifactDiagnostics } from './stale-artifacts.js';

/** Rules for the engine, and what kept other rules out. */
export interface LoadedRuleSet {
  rules: RuleArtifact[];
  diagnostics: Diagnostic[];
  /** Where the rules came from, for messages. */
  origin: string;
}

/** A compiled rule that cannot be used, as a file-level diagnostic naming the file. */
const artifactDiagnostic = (err: RuleLoadError): Diagnostic => ({ file: err.source, ...WHOLE_FILE, severity: 'error', code: 'compile/artifact', message: err.message.slice(err.source.length + 2) });

const isArtifactPath = (path: string): boolean => {
  if (path.endsWith('.json')) return true;
  if (!statSync(path).isDirectory()) return false;
  const entries = readdirSync(path);
  return entries.some((f) => f.endsWith('.json')) && !entries.some((f) => /\.ya?ml$/.test(f));
};

/**
 * Rules from compiled artifacts (`dist-rules/`, a `.json` file) or from YAML rule files compiled on the fly.
 * Without a path: `dist-rules/` when it holds artifacts, else `rules/`.
 */
export function loadRuleSet(path: string | undefined, options: { refuseStale?: boolean } = {}): LoadedRuleSet {
  const chosen = path ?? (existsSync('dist-rules') && readdirSync('dist-rules').some((f) => f.endsWith('.json')) ? 'dist-rules' : 'rules');
  if (!existsSync(chosen)) throw new UsageError(`--rules: no such file or directory: ${chosen}`);
  if (isArtifactPath(chosen)) {
    // Each bad artifact is reported on its own; the good ones still run.
    const report = loadRulesReport(chosen);
    const stale = staleArtifactDiagnostics(report.rules, report.sources, options.refuseStale === true);
    return { rules: report.rules, diagnostics: [...report.errors.map(artifactDiagnostic), ...stale], origin: chosen };
  }
  const validation = validateRules([chosen]);
  const rules: RuleArtifact[] = [];
  const diagnostics = validation.diagnostics.filter((d) => d.severity === 'error');
  for (const checked of validation.checked) {
    const outcome = compileCheckedRule(checked);
    if (outcome.ok) rules.push(outcome.file.artifact);
    else diagnostics.push(...outcome.diagnostics.filter((d) => !diagnostics.includes(d)));
  }
  return { rules, diagnostics, origin: chosen };
}
