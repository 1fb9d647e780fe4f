import { Command, Option } from 'commander';
import { formatGithubAnnotations } from '../diagnostics/format-github.js';
import { diagnosticsToJunitFailures, formatJunit, type JunitCase } from '../diagnostics/format-junit.js';
import { formatSarif } from '../diagnostics/format-sarif.js';
import { diagnosticToJson, formatDiagnosticText } from '../diagnostics/format-text.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { validateRules, type ValidationResult } from '../rules/validate.js';
import { CHECK_DESCRIPTIONS } from '../rules/check-codes.js';
import { plural } from '../diagnostics/wording.js';
import { writeOut } from './io.js';
import { packageVersion } from './version.js';

type ValidateFormat = 'text' | 'json' | 'github' | 'sarif' | 'junit';

/** Counts by severity, for the summary line and the exit code. */
export function countSeverities(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  return {
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  };
}


/** The one-line summary `validate` ends its text output with. */
export function validationSummary(result: Pick<ValidationResult, 'files' | 'rules' | 'diagnostics'>): string {
  const { errors, warnings } = countSeverities(result.diagnostics);
  return `${plural(result.files, 'file')}, ${plural(result.rules, 'rule')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

/** Renders a validation result in one of the output formats. */
export function renderValidation(result: ValidationResult, format: ValidateFormat, strict: boolean): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ files: result.files, rules: result.rules, diagnostics: result.diagnostics.map(diagnosticToJson) })}\n`;
    case 'github':
      return formatGithubAnnotations(result.diagnostics);
    case 'sarif':
      return `${JSON.stringify(formatSarif(result.diagnostics, { toolName: 'ruleforge', toolVersion: packageVersion(), rules: CHECK_DESCRIPTIONS }), null, 2)}\n`;
    case 'junit': {
      const cases: JunitCase[] = result.checked.map((c) => ({
        name: c.rule?.name ?? c.file,
        classname: c.file,
        file: c.file,
        failures: diagnosticsToJunitFailures(c.diagnostics, strict),
      }));
      const orphans = result.diagnostics.filter((d) => !result.checked.some((c) => c.diagnostics.includes(d)));
      if (orphans.length > 0) cases.push({ name: 'paths and project files', classname: 'ruleforge', failures: diagnosticsToJunitFailures(orphans, strict) });
      return formatJunit([{ name: 'ruleforge validate', cases }], { name: 'ruleforge' });
    }
    case 'text':
    default: {
      const blocks = result.diagnostics.map(formatDiagnosticText);
      return `${blocks.length > 0 ? `${blocks.join('\n\n')}\n\n` : ''}${validationSummary(result)}\n`;
    }
  }
}

/** `ruleforge validate`: checks rule files; exit 1 on any error (or warning with --strict). */
export function validateCommand(): Command {
  return new Command('validate')
    .description('check rule files: schema, query, fields, MITRE mapping, duplicates, examples')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github', 'sarif', 'junit']).default('text'))
    .option('--strict', 'count warnings as failures')
    .argument('[paths...]', 'rule files or directories', ['rules'])
    .action(async (paths: string[], flags: { format: ValidateFormat; strict?: boolean }) => {
      const result = validateRules(paths);
      await writeOut(renderValidation(result, flags.format, flags.strict === true));
      const { errors, warnings } = countSeverities(result.diagnostics);
      process.exitCode = errors > 0 || (flags.strict && warnings > 0) ? 1 : 0;
    });
}
