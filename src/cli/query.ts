import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { applyPipes, compileQuery } from '../compile-query.js';
import { formatDiagnosticText } from '../diagnostics/format-text.js';
import { readNdjson } from '../io/ndjson.js';
import { compilePath, readValues } from '../runtime/field-access.js';
import { UsageError, writeOut } from './io.js';

interface QueryFlags {
  language: 'kuery' | 'eql';
  format: 'text' | 'json';
  now?: string;
  categoryField?: string;
}

/** One readable line for a hit: where it came from, its time, and the values of the fields the query reads. */
function textLine(source: string, line: number, event: Record<string, unknown>, fields: readonly string[]): string {
  const shown = ['@timestamp', ...fields.filter((f) => f !== '@timestamp')].slice(0, 8);
  const parts = shown.map((f) => {
    const values = readValues(event, compilePath(f));
    const text = values.length === 0 ? '-' : values.length === 1 ? JSON.stringify(values[0]) : JSON.stringify(values);
    return `${f}=${text}`;
  });
  return `${source}:${line}  ${parts.join('  ')}`;
}

/** `ruleforge query`: runs an ad hoc query over NDJSON events and prints the hits. */
export function queryCommand(): Command {
  return new Command('query')
    .description('run a query over NDJSON events (files, .gz, or stdin) and print the hits')
    .addOption(new Option('--language <language>', 'query language').choices(['kuery', 'eql']).makeOptionMandatory())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--now <instant>', 'the instant date math such as now-1d is relative to (ISO 8601)')
    .option('--category-field <field>', 'EQL: the field `category where` tests', 'event.category')
    .argument('<query>', 'the query text')
    .argument('[files...]', 'NDJSON files (.gz allowed); stdin when none or "-"')
    .action(async (query: string, files: string[], flags: QueryFlags) => {
      if (flags.now !== undefined && Number.isNaN(Date.parse(flags.now))) throw new UsageError(`--now: "${flags.now}" is not an ISO 8601 instant.`);
      const missing = files.filter((f) => f !== '-' && !existsSync(f));
      if (missing.length > 0) throw new UsageError(`no such file: ${missing.join(', ')}`);
      const compiled = compileQuery(query, {
        language: flags.language,
        ...(flags.now !== undefined ? { now: flags.now } : {}),
        ...(flags.categoryField !== undefined ? { categoryField: flags.categoryField } : {}),
      });
      for (const d of compiled.diagnostics) process.stderr.write(formatDiagnosticText(d) + '\n');
      if (!compiled.ok) {
        process.exitCode = 1;
        return;
      }
      const started = Date.now();
      let events = 0;
      let hits = 0;
      let malformed = 0;
      const render = (r: { source: string; line: number; event: Record<string, unknown> }) =>
        (flags.format === 'json' ? JSON.stringify({ events: [r.event] }) : textLine(r.source, r.line, r.event, compiled.ir.fields)) + '\n';
      // `| head N` / `| tail N` need the hits together; without pipes, hits stream out as they are found.
      const held: { source: string; line: number; event: Record<string, unknown> }[] | undefined = compiled.pipes.length > 0 ? [] : undefined;
      for await (const record of readNdjson(files)) {
        if (!record.ok) {
          malformed++;
          process.stderr.write(`${record.source}:${record.line}: skipped: ${record.error}\n`);
          continue;
        }
        events++;
        if (!compiled.matcher(record.event)) continue;
        hits++;
        if (held) held.push(record);
        else if (!(await writeOut(render(record)))) return;
      }
      if (held) {
        const kept = applyPipes(held, compiled.pipes);
        hits = kept.length;
        for (const record of kept) if (!(await writeOut(render(record)))) return;
      }
      const ms = Date.now() - started;
      process.stderr.write(`${events} events, ${hits} hits${malformed ? `, ${malformed} malformed lines skipped` : ''} (${ms} ms)\n`);
    });
}
