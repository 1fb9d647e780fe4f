import { Command } from 'commander';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WHOLE_FILE, type Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnosticText } from '../diagnostics/format-text.js';
import { compileCheckedRule, type ArtifactFile } from '../rules/compile-rule.js';
import { validateRules, type CheckedRule } from '../rules/validate.js';
import { planMirror, shown } from './artifact-mirror.js';
import { countSeverities } from './validate.js';
import { formatCount, plural } from '../diagnostics/wording.js';

/** The artifacts a set of rule paths compiles to, with the diagnostics that kept others from compiling. */
export function compileRules(paths: readonly string[]): { artifacts: ArtifactFile[]; diagnostics: Diagnostic[]; rules: number; checked: CheckedRule[]; pathProblems: boolean } {
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
      diagnostics.push({ file: checked.file, ...WHOLE_FILE, severity: 'error', code: 'compile/duplicate-output', message: `${checked.file} and ${other} would both compile to ${outcome.file.name}.`, hint: 'Rename one of the files.' });
      continue;
    }
    byName.set(outcome.file.name, checked.file);
    artifacts.push(outcome.file);
  }
  const pathProblems = result.diagnostics.some((d) => d.code === 'file/not-found' || (d.code === 'file/unreadable' && !result.checked.some((c) => c.file === d.file)));
  return { artifacts, diagnostics, rules: result.rules, checked: result.checked, pathProblems };
}

/** `ruleforge compile`: writes one JSON artifact per rule (or, with --check, says whether they are up to date). */
export function compileCommand(): Command {
  return new Command('compile')
    .description('compile rule files into dist-rules/*.json artifacts for the runtime')
    .option('--out <dir>', 'output directory', 'dist-rules')
    .option('--check', 'write nothing; exit 1 when the output directory is not exactly what compile would write')
    .argument('[paths...]', 'rule files or directories', ['rules'])
    .action((paths: string[], flags: { out: string; check?: boolean }) => {
      const compiled = compileRules(paths);
      const { artifacts, diagnostics } = compiled;
      for (const d of diagnostics) process.stderr.write(`${formatDiagnosticText(d)}\n\n`);
      const { errors } = countSeverities(diagnostics);
      const plan = planMirror(flags.out, { paths, ...compiled });
      const foreignLines = plan.foreign.map((f) => `not an artifact: ${shown(flags.out, f)} (left in place; \`run\` cannot load it)`);
      if (flags.check) {
        const lines = [
          ...plan.stale.map((f) => `stale:   ${shown(flags.out, f)}`),
          ...plan.missing.map((f) => `missing: ${shown(flags.out, f)}`),
          ...plan.extra.map((f) => `extra:   ${shown(flags.out, f)}`),
          ...foreignLines,
        ];
        if (lines.length > 0) {
          process.stderr.write(`${lines.join('\n')}\n${flags.out} is out of date: run \`ruleforge compile${paths.length > 0 ? ` ${paths.join(' ')}` : ''} --out ${flags.out}\`.\n`);
          process.exitCode = 1;
          return;
        }
        process.stderr.write(`${flags.out}: ${plural(artifacts.length, 'artifact')} up to date\n`);
        process.exitCode = errors > 0 ? 1 : 0;
        return;
      }
      if (compiled.pathProblems && artifacts.length === 0) {
        // Nothing was read: leave the output directory exactly as it was.
        process.stderr.write(`compiled nothing; ${flags.out} left unchanged\n`);
        process.exitCode = 1;
        return;
      }
      mkdirSync(flags.out, { recursive: true });
      for (const a of artifacts) if (plan.stale.includes(a.name) || plan.missing.includes(a.name)) writeFileSync(join(flags.out, a.name), a.content);
      for (const f of plan.extra) rmSync(join(flags.out, f));
      for (const line of foreignLines) process.stderr.write(`${line}\n`);
      const kept = plan.kept.length > 0 ? `; kept the last artifact of ${plural(plan.kept.length, 'rule')} with errors: ${plan.kept.map((f) => shown(flags.out, f)).join(', ')}` : '';
      process.stderr.write(
        `compiled ${plural(artifacts.length, 'rule')} into ${flags.out} (${formatCount(plan.missing.length)} new, ${formatCount(plan.stale.length)} updated, ${formatCount(plan.extra.length)} removed)${errors > 0 ? `; ${plural(errors, 'error')}` : ''}${kept}\n`,
      );
      process.exitCode = errors > 0 ? 1 : 0;
    });
}
