import { Command, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { formatDiagnosticText } from '../diagnostics/format-text.js';
import { eqlSearchRequest } from '../interop/eql-request.js';
import { kibanaListLines } from '../interop/exceptions.js';
import { exceptionItemsQuery } from '../interop/dsl/exceptions.js';
import { exceptionsDirFor, readValueList } from '../rules/exceptions/list-files.js';
import type { ExceptionItem } from '../rules/exceptions/types.js';
import { kibanaRule } from '../interop/kibana/export-rule.js';
import { projectConfigFor } from '../rules/project.js';
import { validateRules } from '../rules/validate.js';
import { sortKeysDeep } from '../interop/sort-keys.js';
import { writeOut } from './io.js';

type ExportTarget = 'kibana' | 'eql-request';

interface ExportFlags {
  to: ExportTarget;
  out?: string;
}

/**
 * `ruleforge export`: rules in the formats the Elastic Stack runs. `kibana`: one rule per line for Kibana's
 * rule import (`POST /api/detection_engine/rules/_import`); `eql-request`: per EQL rule, the `_eql/search`
 * request its query runs as. Rules with errors are reported and left out (exit 1).
 */
export function exportCommand(): Command {
  return new Command('export')
    .description('export rules for the Elastic Stack: a Kibana rules NDJSON, or the _eql/search requests of EQL rules')
    .addOption(new Option('--to <format>', 'output format').choices(['kibana', 'eql-request']).makeOptionMandatory())
    .option('--out <file>', 'write to a file instead of stdout')
    .argument('[paths...]', 'rule files or directories', ['rules'])
    .action(async (paths: string[], flags: ExportFlags) => {
      const result = validateRules(paths);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      for (const d of errors) process.stderr.write(`${formatDiagnosticText(d)}\n\n`);
      const lines: string[] = [];
      // Exception lists follow the rules, each once (Kibana's export order), so `_import` creates them with the rules.
      const listLines = new Map<string, string[]>();
      const unversioned = new Set<string>();
      let skipped = 0;
      for (const checked of result.checked) {
        const rule = checked.rule;
        if (!rule || checked.diagnostics.some((d) => d.severity === 'error')) continue;
        if (flags.to === 'kibana') {
          const exported = kibanaRule({ ...checked, rule }, projectConfigFor(checked.file).integrations);
          exported.unversioned.forEach((p) => unversioned.add(p));
          lines.push(JSON.stringify(exported.rule));
          for (const list of exported.exceptionLists) {
            const key = `${list.namespace_type ?? 'single'}:${list.list_id}`;
            if (!listLines.has(key)) listLines.set(key, kibanaListLines(list).map((l) => JSON.stringify(sortKeysDeep(l))));
          }
        } else if (rule.type === 'eql') {
          const items = [...((rule.exceptions as ExceptionItem[] | undefined) ?? []), ...(checked.exceptionLists ?? []).flatMap((l) => l.list.items)];
          const dir = exceptionsDirFor(checked.file);
          const readList = (id: string, type: string): string[] | undefined => {
            const read = readValueList(dir, id, type);
            return read.ok ? read.values : undefined;
          };
          lines.push(JSON.stringify(eqlSearchRequest(rule, exceptionItemsQuery(items, readList))));
        } else skipped++;
      }
      if (skipped > 0) process.stderr.write(`${skipped} rule${skipped === 1 ? ' is' : 's are'} not EQL and ${skipped === 1 ? 'has' : 'have'} no _eql/search request.\n`);
      if (unversioned.size > 0) {
        process.stderr.write(`related_integrations: no version range for ${[...unversioned].map((p) => `\`${p}\``).join(', ')}; "*" written. State one in ruleforge.yaml (integrations: {${[...unversioned][0]}: "^1.0.0"}).\n`);
      }
      const exportedRules = lines.length;
      for (const group of listLines.values()) lines.push(...group);
      const text = lines.map((l) => `${l}\n`).join('');
      if (flags.out) writeFileSync(flags.out, text);
      else await writeOut(text);
      const listsNote = listLines.size > 0 ? ` and ${listLines.size} exception list${listLines.size === 1 ? '' : 's'}` : '';
      process.stderr.write(`exported ${exportedRules} rule${exportedRules === 1 ? '' : 's'}${listsNote}${errors.length > 0 ? `; rules with errors left out (${errors.length} error${errors.length === 1 ? '' : 's'})` : ''}\n`);
      process.exitCode = errors.length > 0 ? 1 : 0;
    });
}
