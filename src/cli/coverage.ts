import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { collectCoverage } from '../coverage/collect.js';
import { coverageHtml } from '../coverage/html.js';
import { coverageMarkdown } from '../coverage/markdown.js';
import { navigatorLayer } from '../coverage/navigator.js';
import { formatDiagnosticText } from '../diagnostics/format-text.js';
import { validateRules } from '../rules/validate.js';
import { writeOut } from './io.js';

type CoverageFormat = 'navigator' | 'html' | 'markdown';

/** `ruleforge coverage`: the rule set's MITRE ATT&CK coverage as a Navigator layer, an HTML heat map or Markdown. */
export function coverageCommand(): Command {
  return new Command('coverage')
    .description('MITRE ATT&CK coverage of the rules: Navigator layer (JSON), self-contained HTML heat map, or Markdown table')
    .addOption(new Option('--format <format>', 'output format').choices(['navigator', 'html', 'markdown']).default('markdown'))
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--name <name>', 'title of the layer or page', 'ruleforge coverage')
    .argument('[paths...]', 'rule files or directories', ['rules'])
    .action(async (paths: string[], flags: { format: CoverageFormat; out?: string; name: string }) => {
      const result = validateRules(paths);
      const rejected = result.checked.filter((c) => !c.rule);
      for (const c of rejected) {
        const first = c.diagnostics.find((d) => d.severity === 'error');
        if (first) process.stderr.write(`left out (does not validate): ${formatDiagnosticText(first).split('\n')[0]}\n`);
      }
      for (const d of result.diagnostics.filter((x) => x.code.startsWith('file/'))) process.stderr.write(`${formatDiagnosticText(d)}\n`);
      const coverage = collectCoverage(result.checked);
      const outDir = flags.out ? dirname(resolve(flags.out)) : process.cwd();
      let text: string;
      if (flags.format === 'navigator') text = `${JSON.stringify(navigatorLayer(coverage, flags.name), null, 2)}\n`;
      else if (flags.format === 'html') text = coverageHtml(coverage, { title: flags.name, ruleHref: (file) => relative(outDir, resolve(file)).split('\\').join('/') });
      else text = coverageMarkdown(coverage);
      if (flags.out) {
        mkdirSync(dirname(resolve(flags.out)), { recursive: true });
        writeFileSync(flags.out, text);
        process.stderr.write(`wrote ${flags.out}\n`);
      } else await writeOut(text);
      process.exitCode = result.diagnostics.some((d) => d.code.startsWith('file/')) ? 1 : 0;
    });
}
