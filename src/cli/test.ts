import { Command, Option } from 'commander';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticsToJunitFailures, formatJunit, type JunitCase } from '../diagnostics/format-junit.js';
import { diagnosticToJson, formatDiagnosticText } from '../diagnostics/format-text.js';
import { runRuleExamples, type ExampleResult } from '../rules/run-examples.js';
import { validateRules } from '../rules/validate.js';
import { parseNowFlag, writeOut } from './io.js';
import { plural } from '../diagnostics/wording.js';

type TestFormat = 'text' | 'json' | 'junit';

/**
 * Renders example results: text for people, json and junit for machines. `ruleErrors` are the validation
 * errors found first: each one fails the run, as a rule file that does not validate has nothing to test.
 */
export function renderTestResults(results: readonly ExampleResult[], format: TestFormat, ruleErrors: readonly Diagnostic[] = []): string {
  const filesWithErrors = [...new Set(ruleErrors.map((d) => d.file ?? '<input>'))];
  const failed = results.filter((r) => !r.passed);
  const skipped = results.filter((r) => r.skipped);
  if (format === 'json') {
    return `${JSON.stringify({ examples: results.length, passed: results.length - failed.length - skipped.length, failed: failed.length, skipped: skipped.length, ruleErrors: ruleErrors.length, results, diagnostics: ruleErrors.map(diagnosticToJson) })}\n`;
  }
  if (format === 'junit') {
    const byRule = new Map<string, JunitCase[]>();
    for (const r of results) {
      const key = `${r.ruleName}`;
      const cases = byRule.get(key) ?? [];
      cases.push({
        name: r.example,
        classname: r.file,
        file: r.file,
        timeMs: r.timeMs,
        ...(r.skipped ? { skipped: r.skipped } : {}),
        ...(r.passed ? {} : { failures: [{ message: r.message ?? 'failed', type: 'example', text: (r.details ?? []).join('\n') }] }),
      });
      byRule.set(key, cases);
    }
    const suites = [...byRule].map(([name, cases]) => ({ name, cases }));
    if (filesWithErrors.length > 0) {
      const cases = filesWithErrors.map((file) => ({ name: `validate ${file}`, classname: file, file, failures: diagnosticsToJunitFailures(ruleErrors.filter((d) => (d.file ?? '<input>') === file)) }));
      suites.unshift({ name: 'rule files', cases });
    }
    return formatJunit(suites, { name: 'ruleforge test' });
  }
  const lines: string[] = [];
  for (const r of results) {
    const mark = r.skipped ? 'SKIP' : r.passed ? 'PASS' : 'FAIL';
    lines.push(`${mark}  ${r.ruleName} › ${r.example}${r.skipped ? ` (${r.skipped})` : ''}`);
    if (!r.passed) {
      lines.push(`      ${r.file}: ${r.message ?? 'failed'}`);
      for (const d of r.details ?? []) lines.push(`      ${d}`);
    }
  }
  const rules = new Set(results.map((r) => r.file)).size;
  const errorNote = filesWithErrors.length > 0 ? `; ${plural(filesWithErrors.length, 'rule file')} with errors (see above)` : '';
  lines.push('', `${plural(results.length, 'example')} in ${plural(rules, 'rule')}: ${results.length - failed.length - skipped.length} passed, ${failed.length} failed${skipped.length ? `, ${skipped.length} skipped` : ''}${errorNote}`);
  return `${lines.join('\n')}\n`;
}

/** `ruleforge test`: runs the examples in the rules' `tests:` blocks; exit 1 on any failure. */
export function testCommand(): Command {
  return new Command('test')
    .description("run the examples in the rules' tests: blocks")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'junit']).default('text'))
    .option('--now <instant>', 'the instant date math in queries is relative to (ISO 8601; default: now)')
    .argument('[paths...]', 'rule files or directories', ['rules'])
    .action(async (paths: string[], flags: { format: TestFormat; now?: string }) => {
      const now = parseNowFlag(flags.now);
      const validation = validateRules(paths);
      // Validation comes first: a rule file with errors (YAML, schema, query) fails the run even when
      // it has no examples that could fail, since it would not load into Kibana either.
      const ruleErrors = validation.diagnostics.filter((d) => d.severity === 'error');
      if (flags.format === 'text') for (const d of ruleErrors) process.stderr.write(`${formatDiagnosticText(d)}\n\n`);
      const results = runRuleExamples(validation.checked, now !== undefined ? { now } : {});
      await writeOut(renderTestResults(results, flags.format, ruleErrors));
      const failures = results.filter((r) => !r.passed).length;
      process.exitCode = failures > 0 || ruleErrors.length > 0 ? 1 : 0;
    });
}
