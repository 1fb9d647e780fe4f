import { readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { fixRuleText } from '../fixes/apply.js';
import { discoverRuleFiles } from '../rules/discover.js';
import { clearProjectCache } from '../rules/project.js';
import { validateRules } from '../rules/validate.js';
import { writeOut } from './io.js';
import { countSeverities, renderValidation } from './validate.js';

type LintFormat = 'text' | 'json' | 'github' | 'sarif' | 'junit';

/**
 * `ruleforge lint`: `validate`, plus `--fix`, which applies each diagnostic's machine-applicable fix in place
 * (the same fixes the language server offers as code actions) and prints what it changed.
 */
export function lintCommand(): Command {
  return new Command('lint')
    .description('validate rule files; with --fix, apply the machine-applicable fixes in place (comments and layout kept)')
    .addOption(new Option('--format <format>', 'output format of the findings left').choices(['text', 'json', 'github', 'sarif', 'junit']).default('text'))
    .option('--fix', 'apply fixes that cannot change what a query matches (metadata: severity bands, key typos, references, missing keys)')
    .option('--unsafe-fixes', 'with --fix, also rename unknown fields and functions inside queries to the one suggested name')
    .option('--strict', 'count warnings as failures')
    .argument('[paths...]', 'rule files or directories', ['rules'])
    .action(async (paths: string[], flags: { format: LintFormat; fix?: boolean; unsafeFixes?: boolean; strict?: boolean }) => {
      if (flags.fix) {
        const changes: string[] = [];
        for (const file of discoverRuleFiles(paths).files) {
          let text: string;
          try {
            text = readFileSync(file, 'utf8');
          } catch {
            continue; // validate below reports it, located
          }
          const fixed = fixRuleText(text, file, { unsafe: flags.unsafeFixes === true });
          if (fixed.text === text) continue;
          writeFileSync(file, fixed.text);
          for (const a of fixed.applied) changes.push(`${file}:${a.line}:${a.column}: fixed ${a.code}: ${a.title}`);
        }
        clearProjectCache();
        process.stderr.write(changes.length > 0 ? `${changes.join('\n')}\n${changes.length} fix${changes.length === 1 ? '' : 'es'} applied\n` : 'no fixes to apply\n');
      }
      const result = validateRules(paths);
      await writeOut(renderValidation(result, flags.format, flags.strict === true));
      const { errors, warnings } = countSeverities(result.diagnostics);
      process.exitCode = errors > 0 || (flags.strict && warnings > 0) ? 1 : 0;
    });
}
