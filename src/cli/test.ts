import { Command, Option } from 'commander';
import { formatJunit, type JunitCase } from '../diagnostics/format-junit.js';
import { runRuleExamples, type ExampleResult } from '../rules/run-examples.js';
import { validateRules } from '../rules/validate.js';
import { parseNowFlag, writeOut } from './io.js';

type TestFormat = 'text' | 'json' | 'junit';

/** Renders example results: text for people, json and junit for machines. */
export function renderTestResults(results: readonly ExampleResult[], format: TestFormat): string {
  const failed = results.filter((r) => !r.passed);
  const skipped = results.filter((r) => r.skipped);
  if (format === 'json') {
    return `${JSON.stringify({ examples: results.length, passed: results.length - failed.length - skipped.length, failed: failed.length, skipped: skipped.length, results })}\n`;
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
    return formatJunit([...byRule].map(([name, cases]) => ({ name, cases })), { name: 'ruleforge test' });
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
  lines.push('', `${results.length} example(s) in ${rules} rule(s): ${results.length - failed.length - skipped.length} passed, ${failed.length} failed${skipped.length ? `, ${skipped.length} skipped` : ''}`);
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
      const results = runRuleExamples(validation.checked, now !== undefined ? { now } : {});
      await writeOut(renderTestResults(results, flags.format));
      const failures = results.filter((r) => !r.passed).length;
      const pathProblems = validation.diagnostics.filter((d) => d.code === 'file/not-found');
      for (const d of pathProblems) process.stderr.write(`ruleforge: ${d.message}\n`);
      process.exitCode = failures > 0 || pathProblems.length > 0 ? 1 : 0;
    });
}
