import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { fieldsFromMapping, nullValuesFromMapping } from '../fields/index.js';
import { applyDateFormats, applyNullValues } from '../runtime/load/index-time.js';
import { dateParsers } from './index-time-options.js';
import { applyPipes, compileQuery } from '../compile-query.js';
import { formatDiagnosticText } from '../diagnostics/format-text.js';
import { checkEvent, DEFAULT_EVENT_LIMITS } from '../runtime/engine/event-shape.js';
import { compilePath, readValues, type CompiledPath } from '../runtime/match/field-access.js';
import { findSamples } from '../runtime/state/sample.js';
import { SequenceRunner } from '../runtime/state/sequence.js';
import { compareOrderKeys, orderKeyReader } from './event-order.js';
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
  resultPosition: 'head' | 'tail';
  maxSamplesPerKey?: string;
  mapping?: string;
}

/** Where `ruleforge query` writes: hits to `out` (false once the reader has gone), messages to `err`. */
export interface QueryOutput {
  out: (text: string) => Promise<boolean>;
  err: (text: string) => void;
}

const STANDARD_OUTPUT: QueryOutput = { out: writeOut, err: (text) => void process.stderr.write(text) };

/** One event read: where it came from, the event as written, and the event as Elasticsearch indexes it. */
type Hit = { source: string; line: number; event: Record<string, unknown>; indexed: Record<string, unknown> };

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

function nonNegativeInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag}: "${value}" is not a non-negative integer.`);
  return Number(value);
}

/** Keeps `size` results from the start (`head`) or the end (`tail`), as Elasticsearch's `result_position` does. */
function keep<T>(list: T[], size: number, position: 'head' | 'tail'): T[] {
  if (size >= list.length) return list;
  return position === 'head' ? list.slice(0, size) : list.slice(list.length - size);
}

/** `ruleforge query`: runs an ad hoc query over NDJSON events and prints the hits. */
export function queryCommand(output: QueryOutput = STANDARD_OUTPUT): Command {
  return new Command('query')
    .description('run a query over NDJSON events (files, .gz, or stdin) and print the hits')
    .addOption(languageOption('query language (KQL is "kuery")', ['kuery', 'eql']))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--now <instant>', 'the instant date math such as now-1d is relative to (ISO 8601)')
    .option('--category-field <field>', 'EQL: the field `category where` tests', 'event.category')
    .option('--timestamp-field <field>', 'EQL: the field that orders events (timestamp_field)', '@timestamp')
    .option('--tiebreaker-field <field>', 'EQL: orders events with equal timestamps (tiebreaker_field)')
    .option('--size <n>', 'keep N hits (events, sequences or samples), as Elasticsearch size does')
    .addOption(new Option('--result-position <position>', 'EQL: with --size, keep the first (head) or last (tail) hits').choices(['head', 'tail']).default('head'))
    .option('--max-samples-per-key <n>', 'EQL samples: samples per join key (max_samples_per_key, default 1)')
    .option('--mapping <file>', 'an Elasticsearch index mapping (GET index/_mapping output): field types, aliases, null_value, date formats')
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
      const size = nonNegativeInteger('--size', flags.size) ?? Infinity;
      const perKey = nonNegativeInteger('--max-samples-per-key', flags.maxSamplesPerKey);
      if (perKey === 0) throw new UsageError('--max-samples-per-key: must be at least 1.');
      const nullValues = mapping !== undefined ? nullValuesFromMapping(mapping) : {};
      const hasNullValues = Object.keys(nullValues).length > 0;
      const datesOf = mapping !== undefined ? dateParsers(mapping) : () => ({});
      const compiled = compileQuery(query, {
        ...(mapping !== undefined ? { mapping } : {}),
        language: flags.language,
        ...(flags.now !== undefined ? { now: flags.now } : {}),
        ...(flags.categoryField !== undefined ? { categoryField: flags.categoryField } : {}),
      });
      for (const d of compiled.diagnostics) output.err(formatDiagnosticText(d) + '\n');
      if (!compiled.ok) {
        process.exitCode = 1;
        return;
      }
      const started = Date.now();
      let events = 0;
      let hits = 0;
      let malformed = 0;
      const shown = shownFields(compiled.ir.fields);
      const render = (r: Hit) => (flags.format === 'json' ? JSON.stringify({ events: [r.event] }) : textLine(r.source, r.line, r.event, shown)) + '\n';
      const sequence = compiled.ir.sequence;
      const sample = compiled.ir.sample;
      const eql = flags.language === 'eql';
      // EQL answers in timestamp order, and pipes and a tail need all hits; KQL hits stream out as they are found.
      const held: Hit[] | undefined = eql || compiled.pipes.length > 0 || flags.resultPosition === 'tail' ? [] : undefined;
      const unreadable: string[] = [];
      for await (const record of readInputs(files)) {
        if (!record.ok) {
          if (record.reason === 'unreadable') {
            // As in `run`: an input that cannot be read is reported, the others still run, and the exit code is 1.
            output.err(`ruleforge query: cannot read ${record.source}${record.line > 0 ? ` after line ${record.line}` : ''}: ${record.error.replace(/^cannot read: /, '')}\n`);
            if (!unreadable.includes(record.source)) unreadable.push(record.source);
            continue;
          }
          malformed++;
          output.err(`${record.source}:${record.line}: skipped: ${record.error}\n`);
          continue;
        }
        events++;
        // The limits `run` applies: a hostile event (10,000 levels deep, millions of values) is reported and
        // skipped rather than crashing the matcher or the JSON output and losing the hits after it.
        const refused = checkEvent(record.event, DEFAULT_EVENT_LIMITS);
        if (refused !== undefined) {
          malformed++;
          const why = refused === 'tooDeep' ? `nested deeper than ${DEFAULT_EVENT_LIMITS.maxDepth} levels` : `more than ${DEFAULT_EVENT_LIMITS.maxValues} values`;
          output.err(`${record.source}:${record.line}: skipped: ${why}\n`);
          continue;
        }
        // What Elasticsearch indexes (null_value, date formats) is matched; what was written is printed.
        const dates = datesOf(record.source);
        const hasDates = Object.keys(dates).length > 0;
        let indexed = record.event;
        if (hasNullValues || hasDates) {
          indexed = structuredClone(record.event);
          if (hasNullValues) applyNullValues(indexed, nullValues);
          if (hasDates) applyDateFormats(indexed, dates);
        }
        if (!compiled.matcher(indexed)) continue;
        hits++;
        const hit: Hit = { source: record.source, line: record.line, event: record.event, indexed };
        if (held) held.push(hit);
        else if (hits <= size && !(await output.out(render(hit)))) return;
      }
      const byIndexed = new Map(held?.map((h) => [h.indexed, h] as const) ?? []);
      const printGroups = async (groups: { events: unknown[]; joinKeys: unknown[] }[], kind: string): Promise<boolean> => {
        for (const g of groups) {
          const found = g.events.map((e) => (e === null ? undefined : byIndexed.get(e as Record<string, unknown>)));
          let text: string;
          if (flags.format === 'json') text = JSON.stringify({ events: found.map((h) => h?.event ?? null), join_keys: g.joinKeys });
          else {
            // A readable block: the keys, then one line per event (or the missing stage it stands for).
            const lines = found.map((h) => (h ? `  ${textLine(h.source, h.line, h.event, shown)}` : '  (missing event: none occurred)'));
            text = [`${kind} join_keys=${JSON.stringify(g.joinKeys)}`, ...lines].join('\n');
          }
          if (!(await output.out(text + '\n'))) return false;
        }
        return true;
      };
      const timestampType = mapping !== undefined ? fieldsFromMapping(mapping)[flags.timestampField] : undefined;
      const orderKey = orderKeyReader({ timestampField: flags.timestampField, ...(flags.tiebreakerField !== undefined ? { tiebreakerField: flags.tiebreakerField } : {}), nanos: timestampType === 'date_nanos' });
      const inOrder = (list: Hit[]) =>
        list
          .map((h, i) => ({ h, key: orderKey(h.indexed, i) }))
          .sort((a, b) => compareOrderKeys(a.key, b.key));
      if (held && sample) {
        // Samples need no timestamps: the events are taken in the order read (Elasticsearch's index order).
        // With no tail to take, sampling stops at --size (as Elasticsearch's does).
        const headOnly = flags.resultPosition === 'head' && compiled.pipes.every((p) => p.name === 'head');
        const limit = headOnly ? Math.min(size, ...compiled.pipes.map((p) => p.count)) : Infinity;
        const found = findSamples(sample, held.map((h) => h.indexed), { ...(perKey !== undefined ? { maxSamplesPerKey: perKey } : {}), limit });
        const kept = keep(applyPipes(found, compiled.pipes), size, flags.resultPosition);
        hits = kept.length;
        if (!(await printGroups(kept, 'sample'))) return;
      } else if (held && sequence) {
        // A sequence event needs a timestamp (Elasticsearch only searches events that have one).
        const ordered = inOrder(held).filter((x) => x.key.time !== undefined);
        const runner = new SequenceRunner(sequence, now !== undefined ? { now } : {});
        const found = [...ordered.flatMap(({ h, key }) => runner.push(h.indexed, key.ms)), ...runner.flush()];
        const kept = keep(applyPipes(found, compiled.pipes), size, flags.resultPosition);
        hits = kept.length;
        if (!(await printGroups(kept, 'sequence'))) return;
      } else if (held) {
        const ordered = eql ? inOrder(held).map((x) => x.h) : held;
        const kept = keep(applyPipes(ordered, compiled.pipes), size, flags.resultPosition);
        hits = kept.length;
        for (const record of kept) if (!(await output.out(render(record)))) return;
      } else hits = Math.min(hits, size);
      const ms = Date.now() - started;
      output.err(`${plural(events, 'event')}, ${plural(hits, 'hit')}${malformed ? `, ${plural(malformed, 'malformed line')} skipped` : ''}${unreadable.length ? `, ${plural(unreadable.length, 'input')} not read` : ''} (${formatCount(ms)} ms)\n`);
      if (unreadable.length > 0) process.exitCode = 1;
    });
}
