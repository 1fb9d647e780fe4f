import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { nullValuesFromMapping } from '../fields/index.js';
import { applyNullValues } from '../runtime/load/index-time.js';
import { applyPipes, compileQuery } from '../compile-query.js';
import { formatDiagnosticText } from '../diagnostics/format-text.js';
import { checkEvent, DEFAULT_EVENT_LIMITS } from '../runtime/engine/event-shape.js';
import { compilePath, readValues, type CompiledPath } from '../runtime/match/field-access.js';
import { findSamples } from '../runtime/state/sample.js';
import { SequenceRunner } from '../runtime/state/sequence.js';
import { eventInstant } from '../runtime/state/event-time.js';
import { formatCount, plural } from '../diagnostics/wording.js';
import { languageOption } from './language-option.js';
import { readInputs } from './input-files.js';
import { parseNowFlag, UsageError, writeOut } from './io.js';

interface QueryFlags {
  language: 'kuery' | 'eql';
  format: 'text' | 'json';
  now?: string;
  categoryField?: string;
  timestampField: string;
  tiebreakerField?: string;
  size?: string;
  mapping?: string;
}

type Hit = { source: string; line: number; event: Record<string, unknown> };

const instant = (event: Record<string, unknown>, path: string): number => eventInstant(event, path);

/** The fields a text line shows: the time, then (up to seven of) the fields the query reads. */
function shownFields(fields: readonly string[]): CompiledPath[] {
  return ['@timestamp', ...fields.filter((f) => f !== '@timestamp')].slice(0, 8).map(compilePath);
}

/** One readable line for a hit: where it came from, its time, and the values of the fields the query reads. */
function textLine(source: string, line: number, event: Record<string, unknown>, shown: readonly CompiledPath[]): string {
  const parts = shown.map((p) => {
    const values = readValues(event, p);
    const text = values.length === 0 ? '-' : values.length === 1 ? JSON.stringify(values[0]) : JSON.stringify(values);
    return `${p.path}=${text}`;
  });
  return `${source}:${line}  ${parts.join('  ')}`;
}

/** `ruleforge query`: runs an ad hoc query over NDJSON events and prints the hits. */
export function queryCommand(): Command {
  return new Command('query')
    .description('run a query over NDJSON events (files, .gz, or stdin) and print the hits')
    .addOption(languageOption('query language (KQL is "kuery")', ['kuery', 'eql']))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--now <instant>', 'the instant date math such as now-1d is relative to (ISO 8601)')
    .option('--category-field <field>', 'EQL: the field `category where` tests', 'event.category')
    .option('--timestamp-field <field>', 'EQL sequences: the field that orders events', '@timestamp')
    .option('--tiebreaker-field <field>', 'EQL sequences: orders events with equal timestamps')
    .option('--size <n>', 'keep the first N hits (events or sequences), as Elasticsearch size does')
    .option('--mapping <file>', 'an Elasticsearch index mapping (GET index/_mapping output): field types, aliases, null_value')
    .argument('<query>', 'the query text')
    .argument('[files...]', 'NDJSON files, plain or gzip (recognised by content); stdin when none or "-"')
    .action(async (query: string, files: string[], flags: QueryFlags) => {
      const now = parseNowFlag(flags.now);
      let mapping: unknown;
      if (flags.mapping !== undefined) {
        try {
          mapping = JSON.parse(readFileSync(flags.mapping, 'utf8'));
        } catch (e) {
          throw new UsageError(`--mapping: cannot read ${flags.mapping}: ${(e as Error).message}`);
        }
      }
      const nullValues = mapping !== undefined ? nullValuesFromMapping(mapping) : {};
      const hasNullValues = Object.keys(nullValues).length > 0;
      const compiled = compileQuery(query, {
        ...(mapping !== undefined ? { mapping } : {}),
        language: flags.language,
        ...(flags.now !== undefined ? { now: flags.now } : {}),
        ...(flags.categoryField !== undefined ? { categoryField: flags.categoryField } : {}),
      });
      for (const d of compiled.diagnostics) process.stderr.write(formatDiagnosticText(d) + '\n');
      if (!compiled.ok) {
        process.exitCode = 1;
        return;
      }
      if (flags.size !== undefined && !/^\d+$/.test(flags.size)) throw new UsageError(`--size: "${flags.size}" is not a non-negative integer.`);
      const size = flags.size !== undefined ? Number(flags.size) : Infinity;
      const started = Date.now();
      let events = 0;
      let hits = 0;
      let malformed = 0;
      const shown = shownFields(compiled.ir.fields);
      const render = (r: { source: string; line: number; event: Record<string, unknown> }) =>
        (flags.format === 'json' ? JSON.stringify({ events: [r.event] }) : textLine(r.source, r.line, r.event, shown)) + '\n';
      const sequence = compiled.ir.sequence;
      const sample = compiled.ir.sample;
      // `| head N` / `| tail N` need the hits together; so do sequences, which need events in time order.
      const held: Hit[] | undefined = compiled.pipes.length > 0 || sequence || sample ? [] : undefined;
      const unreadable: string[] = [];
      for await (const record of readInputs(files)) {
        if (!record.ok) {
          if (record.reason === 'unreadable') {
            // As in `run`: an input that cannot be read is reported, the others still run, and the exit code is 1.
            process.stderr.write(`ruleforge query: cannot read ${record.source}${record.line > 0 ? ` after line ${record.line}` : ''}: ${record.error.replace(/^cannot read: /, '')}\n`);
            if (!unreadable.includes(record.source)) unreadable.push(record.source);
            continue;
          }
          malformed++;
          process.stderr.write(`${record.source}:${record.line}: skipped: ${record.error}\n`);
          continue;
        }
        events++;
        // The limits `run` applies: a hostile event (10,000 levels deep, millions of values) is reported and
        // skipped rather than crashing the matcher or the JSON output and losing the hits after it.
        const refused = checkEvent(record.event, DEFAULT_EVENT_LIMITS);
        if (refused !== undefined) {
          malformed++;
          const why = refused === 'tooDeep' ? `nested deeper than ${DEFAULT_EVENT_LIMITS.maxDepth} levels` : `more than ${DEFAULT_EVENT_LIMITS.maxValues} values`;
          process.stderr.write(`${record.source}:${record.line}: skipped: ${why}\n`);
          continue;
        }
        if (hasNullValues) applyNullValues(record.event, nullValues);
        if (!compiled.matcher(record.event)) continue;
        hits++;
        if (held) held.push(record);
        else if (hits <= size && !(await writeOut(render(record)))) return;
      }
      const where = new Map(held?.map((h) => [h.event, h] as const) ?? []);
      const printGroups = async (groups: { events: unknown[]; joinKeys: unknown[] }[], kind: string): Promise<boolean> => {
        for (const g of groups) {
          let text: string;
          if (flags.format === 'json') text = JSON.stringify({ events: g.events, join_keys: g.joinKeys });
          else {
            // A readable block: the keys, then one line per event (or the missing stage it stands for).
            const lines = g.events.map((e) => {
              const h = e === null ? undefined : where.get(e as Record<string, unknown>);
              return h ? `  ${textLine(h.source, h.line, h.event, shown)}` : '  (missing event: none occurred)';
            });
            text = [`${kind} join_keys=${JSON.stringify(g.joinKeys)}`, ...lines].join('\n');
          }
          if (!(await writeOut(text + '\n'))) return false;
        }
        return true;
      };
      if (held && sample) {
        const kept = applyPipes(findSamples(sample, held.map((h) => h.event)), compiled.pipes).slice(0, size);
        hits = kept.length;
        if (!(await printGroups(kept, 'sample'))) return;
      } else if (held && sequence) {
        const tb = flags.tiebreakerField;
        const ordered = held
          .map((h, i) => ({ h, ts: instant(h.event, flags.timestampField), tb: tb ? instant(h.event, tb) : 0, i }))
          .filter((x) => !Number.isNaN(x.ts))
          .sort((a, b) => a.ts - b.ts || (a.tb || 0) - (b.tb || 0) || a.i - b.i);
        const runner = new SequenceRunner(sequence, now !== undefined ? { now } : {});
        const found = [...ordered.flatMap(({ h, ts }) => runner.push(h.event, ts)), ...runner.flush()];
        const kept = applyPipes(found, compiled.pipes).slice(0, size);
        hits = kept.length;
        if (!(await printGroups(kept, 'sequence'))) return;
      } else if (held) {
        const kept = applyPipes(held, compiled.pipes).slice(0, size);
        hits = kept.length;
        for (const record of kept) if (!(await writeOut(render(record)))) return;
      } else hits = Math.min(hits, size);
      const ms = Date.now() - started;
      process.stderr.write(`${plural(events, 'event')}, ${plural(hits, 'hit')}${malformed ? `, ${plural(malformed, 'malformed line')} skipped` : ''}${unreadable.length ? `, ${plural(unreadable.length, 'input')} not read` : ''} (${formatCount(ms)} ms)\n`);
      if (unreadable.length > 0) process.exitCode = 1;
    });
}
