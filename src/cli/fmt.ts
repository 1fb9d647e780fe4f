import { Command } from 'commander';
import { formatDiagnosticText } from '../diagnostics/format-text.js';
import { formatFiles } from '../format/format-files.js';
import { writeOut } from './io.js';

/** `ruleforge fmt`: rewrites rule files in the canonical layout; `--check` lists those that would change (exit 1). */
export function fmtCommand(): Command {
  return new Command('fmt')
    .description('format rule files in the canonical layout (key order, block scalars, quoting); comments and values kept')
    .option('--check', 'change nothing: list files that are not formatted and exit 1 if there are any')
    .argument('[paths...]', 'rule files or directories', ['rules'])
    .action(async (paths: string[], flags: { check?: boolean }) => {
      const check = flags.check === true;
      const result = formatFiles(paths, { check });
      const lines = result.changed.map((f) => (check ? `would reformat ${f}` : `formatted ${f}`));
      for (const d of result.diagnostics) process.stderr.write(`${formatDiagnosticText(d)}\n`);
      const unchanged = result.files - result.changed.length - result.diagnostics.filter((d) => d.file).length;
      lines.push(`${result.files} file${result.files === 1 ? '' : 's'}: ${result.changed.length} ${check ? 'to reformat' : 'reformatted'}, ${Math.max(0, unchanged)} already formatted`);
      await writeOut(`${lines.join('\n')}\n`);
      process.exitCode = result.diagnostics.length > 0 || (check && result.changed.length > 0) ? 1 : 0;
    });
}
