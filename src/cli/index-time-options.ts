/**
 * `--mapping FILE` for the commands that read events: what Elasticsearch does to a document when it indexes it
 * (a field's `null_value`, a date field's custom `format`, per index), applied to a copy of each event before any
 * rule sees it, so every rule type (query, EQL, threshold, new_terms, on Kibana's schedule or not) matches and
 * windows on what Elasticsearch holds. Which index a file is: its name without `.gz`, `.ndjson`, `.jsonl`, `.json`.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { dateFormatsByIndex, nullValuesFromMapping } from '../fields/index.js';
import { applyDateFormats, applyNullValues } from '../runtime/load/index-time.js';
import { compileDateFormat, isDefaultDateFormat, type DateFormatParser } from '../runtime/primitives/date-format.js';
import { UsageError } from './io.js';

/** The index an input file holds: its name without `.gz`, `.ndjson`, `.jsonl` or `.json`. */
export function indexOfFile(source: string): string {
  return basename(source).replace(/\.gz$/, '').replace(/\.(ndjson|jsonl|json)$/, '');
}

/**
 * Date fields with a custom `format`, per index, as parsers. A file whose name is an index of the mapping
 * gets that index's formats; any other file the formats of every index (later ones winning).
 */
export function dateParsers(mapping: unknown): (source: string) => Record<string, DateFormatParser> {
  const byIndex = new Map<string, Record<string, DateFormatParser>>();
  const merged: Record<string, DateFormatParser> = {};
  for (const [index, formats] of dateFormatsByIndex(mapping)) {
    const parsers: Record<string, DateFormatParser> = {};
    for (const [field, format] of Object.entries(formats)) {
      if (isDefaultDateFormat(format)) continue;
      const parser = compileDateFormat(format);
      if (parser) parsers[field] = merged[field] = parser;
    }
    byIndex.set(index, parsers);
  }
  return (source) => byIndex.get(indexOfFile(source)) ?? merged;
}

/** Reads `--mapping` (GET index/_mapping output); a usage error when it cannot be read. */
export function readMapping(file: string | undefined): unknown {
  if (file === undefined) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--mapping: cannot read ${file}: ${(e as Error).message}`);
  }
}

/** The event as indexed (a copy when anything changes), for an event read from `source`. */
export type IndexTimeTransform = (event: unknown, source: string) => unknown;

/** The transform a mapping implies, or undefined when it changes nothing. */
export function indexTimeTransform(mapping: unknown): IndexTimeTransform | undefined {
  if (mapping === undefined) return undefined;
  const nullValues = nullValuesFromMapping(mapping);
  const hasNullValues = Object.keys(nullValues).length > 0;
  const datesOf = dateParsers(mapping);
  return (event, source) => {
    const dates = datesOf(source);
    const hasDates = Object.keys(dates).length > 0;
    if (!hasNullValues && !hasDates) return event;
    const indexed = structuredClone(event);
    if (hasNullValues) applyNullValues(indexed, nullValues);
    if (hasDates) applyDateFormats(indexed, dates);
    return indexed;
  };
}
