import { Command } from 'commander';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnosticText } from '../diagnostics/format-text.js';
import { compileCheckedRule, type ArtifactFile } from '../rules/compile-rule.js';
import { validateRules } from '../rules/validate.js';
import { countSeverities } from './validate.js';

/** The artifacts a set of rule paths compiles to, with the diagnostics that kept others from compiling. */
export function compileRules(paths: readonly string[]): { artifacts: ArtifactFile[]; diagnostics: Diagnostic[]; rules: number } {
  const result = validateRules(paths);
  const artifacts: ArtifactFile[] = [];
  const diagnostics = [...result.diagnostics];
  const byName = new Map<string, string>();
  for (const checked of result.checked) {
    const outcome = compileCheckedRule(checked);
    if (!outcome.ok) {
      diagnostics.push(...outcome.diagnostics.filter((d) => !diagnostics.includes(d)));
      continue;
    }
    const other = byName.get(outcome.file.name);
    if (other !== undefined) {
      diagnostics.push({ file: checked.file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'compile/duplicate-output', message: `${checked.file} and ${other} would both compile to ${outcome.file.name}.`, hint: 'Rename one of the files.' });
      continue;
    }
    byName.set(outcome.file.name, checked.file);
    artifacts.push(outcome.file);
  }
  return { artifacts, diagnostics, rules: result.rules };
}

/** What differs between the artifacts a compile would write and what `dir` holds. */
export function compareArtifacts(dir: string, artifacts: readonly ArtifactFile[]): { stale: string[]; missing: string[]; extra: string[] } {
  const present = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  const wanted = new Map(artifacts.map((a) => [a.name, a.content]));
  const stale: string[] = [];
  const missing: string[] = [];
  for (const [name, content] of wanted) {
    if (!present.includes(name)) missing.push(name);
    else if (readFileSync(join(dir, name), 'utf8') !== content) stale.push(name);
  }
  const extra = present.filter((f) => !wanted.has(f));
  return { stale: stale.sort(), missing: missing.sort(), extra: extra.sort() };
}

/** `ruleforge compile`: writes one JSON artifact per rule (or, with --check, says whether they are up to date). */
export function compileCommand(): Command {
  return new Command('compile')
    .description('compile rule files into dist-rules/*.json artifacts for the runtime')
    .option('--out <dir>', 'output directory', 'dist-rules')
    .option('--check', 'write nothing; exit 1 when the output directory is not exactly what compile would write')
    .argument('[paths...]', 'rule files or directories', ['rules'])
    .action((paths: string[], flags: { out: string; check?: boolean }) => {
      const { artifacts, diagnostics } = compileRules(paths);
      for (const d of diagnostics) process.stderr.write(`${formatDiagnosticText(d)}\n\n`);
      const { errors } = countSeverities(diagnostics);
      if (flags.check) {
        const diff = compareArtifacts(flags.out, artifacts);
        const lines = [...diff.stale.map((f) => `stale:   ${join(flags.out, f)}`), ...diff.missing.map((f) => `missing: ${join(flags.out, f)}`), ...diff.extra.map((f) => `extra:   ${join(flags.out, f)}`)];
        if (lines.length > 0) {
          process.stderr.write(`${lines.join('\n')}\n${flags.out} is out of date: run \`ruleforge compile${paths.length > 0 ? ` ${paths.join(' ')}` : ''} --out ${flags.out}\`.\n`);
          process.exitCode = 1;
          return;
        }
        process.stderr.write(`${flags.out}: ${artifacts.length} artifact(s) up to date\n`);
        process.exitCode = errors > 0 ? 1 : 0;
        return;
      }
      mkdirSync(flags.out, { recursive: true });
      const diff = compareArtifacts(flags.out, artifacts);
      for (const a of artifacts) if (diff.stale.includes(a.name) || diff.missing.includes(a.name)) writeFileSync(join(flags.out, a.name), a.content);
      // The output directory mirrors the compiled rules: artifacts of deleted or renamed rules go.
      for (const f of diff.extra) rmSync(join(flags.out, f));
      process.stderr.write(`compiled ${artifacts.length} rule(s) into ${flags.out} (${diff.missing.length} new, ${diff.stale.length} updated, ${diff.extra.length} removed)${errors > 0 ? `; ${errors} error(s)` : ''}\n`);
      process.exitCode = errors > 0 ? 1 : 0;
    });
}
