/**
 * Elasticsearch's EQL spec suites as its Java runner sets them up (see ../shared/corpus/eql-es/README.md): the
 * data sets written as NDJSON files named after their indices, the index mappings, and the request each spec
 * sends, run through `ruleforge query`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { runEqlCli, tempDir, writeIndex, type EqlCliRequest } from './eql-cli.js';
import { filetimeToMs } from './eql-run.js';
import { SHARED_DIR } from './shared.js';

export interface EsSpec {
  file: string;
  name: string;
  query: string;
  expected_event_ids: number[] | number[][];
  join_keys?: (string | null)[];
  size?: number | null;
  max_samples_per_key?: number | null;
  data: string;
}

interface Prepared {
  files: string[];
  request: EqlCliRequest;
  idField: string;
}

const corpus = (...p: string[]) => join(SHARED_DIR, 'corpus', ...p);

function ndjson(name: string): Record<string, unknown>[] {
  return readFileSync(corpus('eql-es', 'data', `${name}.ndjson`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * The type the runner's random keyword/wildcard placeholder becomes: keyword, or the type named by
 * RULEFORGE_EQL_STRING_TYPE (`wildcard`), since Elasticsearch picks either at random and results must not differ.
 */
const STRING_TYPE = process.env.RULEFORGE_EQL_STRING_TYPE === 'wildcard' ? 'wildcard' : 'keyword';

/** An index mapping of the corpus, with the runner's random keyword/wildcard placeholder replaced (see STRING_TYPE). */
function mapping(name: string): unknown {
  const text = readFileSync(corpus('eql-es', 'data', `${name}.mapping`), 'utf8')
    .split('\n')
    .filter((l) => !l.trim().startsWith('#'))
    .join('\n')
    .replace(/\[runtime_random_keyword_type\]/g, STRING_TYPE);
  return JSON.parse(text);
}

function endgame(): Record<string, unknown>[] {
  return JSON.parse(readFileSync(corpus('eql', 'test_data.json'), 'utf8')) as Record<string, unknown>[];
}

/** The endgame FILETIMEs read as epoch nanoseconds (`<12 digits>[.<6 digits>]` ms), from the file's digits (they exceed 2^53). */
function endgameNanos(): Record<string, unknown>[] {
  const raw = readFileSync(corpus('eql', 'test_data.json'), 'utf8');
  const digits = [...raw.matchAll(/"timestamp":\s*(\d+)/g)].map((m) => m[1]);
  return endgame().map((e, i) => {
    const d = digits[i];
    const ts = d.slice(12) === '000000' ? d.slice(0, 12) : `${d.slice(0, 12)}.${d.slice(12)}`;
    return { ...e, '@timestamp': ts, timestamp: Number(BigInt(d) / 1_000_000n) };
  });
}

const prepared = new Map<string, Prepared | undefined>();
let dir: string | undefined;

function writeMapping(name: string, body: unknown): string {
  dir ??= tempDir();
  const file = join(dir, `${name}.mapping.json`);
  writeFileSync(file, JSON.stringify(body));
  return file;
}

function prepare(data: string): Prepared | undefined {
  dir ??= tempDir();
  const base = { categoryField: 'event.category', timestampField: '@timestamp' };
  switch (data) {
    case 'endgame-140':
      // The loader adds @timestamp (epoch ms) from the FILETIME `timestamp`.
      return {
        files: [writeIndex(dir, 'endgame-140', endgame().map((e) => ({ ...e, '@timestamp': filetimeToMs(e.timestamp) })))],
        request: { ...base, tiebreakerField: 'serial_event_id', mappingFile: writeMapping('endgame-140', mapping('endgame-140')) },
        idField: 'serial_event_id',
      };
    case 'endgame-140-nanos':
      return {
        files: [writeIndex(dir, 'endgame-140-nanos', endgameNanos())],
        request: { ...base, tiebreakerField: 'serial_event_id', mappingFile: writeMapping('endgame-140-nanos', mapping('endgame-140-nanos')) },
        idField: 'serial_event_id',
      };
    case 'extra':
    case 'missing-events':
      return {
        files: [writeIndex(dir, data, ndjson(data))],
        request: { ...base, tiebreakerField: 'sequence', mappingFile: writeMapping(data, mapping(data)) },
        idField: 'sequence',
      };
    case 'sample1+sample2+sample3':
    case 'sample-multi': {
      // Several indices: one file each, in index order; their mappings as one multi-index `_mapping` answer.
      const names = data.split('+');
      const combined = Object.fromEntries(names.map((n) => [n, { mappings: mapping(n) }]));
      return { files: names.map((n) => writeIndex(dir!, n, ndjson(n))), request: { ...base, mappingFile: writeMapping(data, combined) }, idField: 'id' };
    }
    default:
      return undefined;
  }
}

/** The prepared data set and request of a suite; undefined for a data set this corpus does not hold. */
export function suite(data: string): Prepared | undefined {
  if (!prepared.has(data)) prepared.set(data, prepare(data));
  return prepared.get(data);
}

/**
 * Spec texts that Elasticsearch changed when it began running a file against another index: the stored version
 * predates that run, so the index gets the text Elasticsearch runs there. Each entry names the change.
 */
const REVISED_FOR_INDEX: readonly { name: string; data: string; from: string; to: string; source: string }[] = [
  {
    // elastic/elasticsearch#76953 ("EQL: Sequences will now support nano-timestamps") added the endgame-140-nanos
    // run of test_queries.toml and, in the same change, lowered this spec's maxspan to 50ms: read as unix
    // nanoseconds the FILETIME digits put these sequences 50.2-50.9 ms apart, inside 500ms, so only a span below
    // that keeps the expected empty answer on both indices.
    name: 'sequencesOnDifferentEventTypes7',
    data: 'endgame-140-nanos',
    from: 'sequence with maxspan=500ms',
    to: 'sequence with maxspan=50ms',
    source: 'elastic/elasticsearch#76953',
  },
];

/** The query Elasticsearch's runner sends for a spec on its index (see REVISED_FOR_INDEX). */
export function specQuery(spec: EsSpec): string {
  const revision = REVISED_FOR_INDEX.find((r) => r.name === spec.name && r.data === spec.data && spec.query.startsWith(r.from));
  return revision ? revision.to + spec.query.slice(revision.from.length) : spec.query;
}

/** Runs a spec through `ruleforge query` as Elasticsearch's runner sends it: size 50 unless the spec says. */
export async function runSpec(spec: EsSpec): Promise<{ ids: number[]; joinKeys: string[] }> {
  const s = suite(spec.data);
  if (!s) throw new Error(`no data set ${spec.data}`);
  const hits = await runEqlCli(specQuery(spec), s.files, {
    ...s.request,
    size: typeof spec.size === 'number' ? spec.size : 50,
    ...(typeof spec.max_samples_per_key === 'number' ? { maxSamplesPerKey: spec.max_samples_per_key } : {}),
  });
  return {
    // A missing-event stage has no event: Elasticsearch returns a placeholder the spec runner reads as -1.
    ids: hits.flatMap((h) => h.events.map((e) => (e === null ? -1 : Number(e[s.idField])))),
    joinKeys: hits.flatMap((h) => (h.join_keys ?? []).map((k) => String(k))),
  };
}

/** The data set of each Elasticsearch spec file, and the suites that load it (test_queries runs against both endgame indices). */
export const SPEC_FILE_DATA: Readonly<Record<string, readonly string[]>> = {
  'test_queries.toml': ['endgame-140', 'endgame-140-nanos'],
  'additional_test_queries.toml': ['endgame-140'],
  'test_queries_date.toml': ['endgame-140'],
  'test_queries_date_nanos.toml': ['endgame-140-nanos'],
  'test_extra.toml': ['extra'],
  'test_missing_events.toml': ['missing-events'],
  'test_sample.toml': ['sample1+sample2+sample3'],
  'test_sample_multi.toml': ['sample-multi'],
  // Two between() checks with case-sensitive ==, kept from an older layout (not loaded by Elasticsearch's current classes).
  'test_between_queries.toml': ['endgame-140'],
};

/** Reads Elasticsearch's TOML spec files from a folder (a local checkout; nothing of them is kept here). */
export function readSpecFolder(folder: string): EsSpec[] {
  const out: EsSpec[] = [];
  for (const [file, datas] of Object.entries(SPEC_FILE_DATA)) {
    let text: string;
    try {
      text = readFileSync(join(folder, file), 'utf8');
    } catch {
      continue;
    }
    // The runner's TOML reader accepts a bare `null` in join_keys; standard TOML does not.
    const doc = parseToml(text.replace(/^(join_keys\s*=.*)$/gm, (line) => line.replace(/(^|[[,\s])null(?=\s*[\],])/g, '$1"null"'))) as { queries?: Record<string, unknown>[] };
    for (const q of doc.queries ?? []) {
      for (const data of datas) {
        out.push({
          file,
          name: String(q.name),
          query: String(q.query).trim(),
          expected_event_ids: q.expected_event_ids as number[] | number[][],
          ...(Array.isArray(q.join_keys) ? { join_keys: q.join_keys as string[] } : {}),
          ...(typeof q.size === 'number' ? { size: q.size } : {}),
          ...(typeof q.max_samples_per_key === 'number' ? { max_samples_per_key: q.max_samples_per_key } : {}),
          data,
        });
      }
    }
  }
  return out;
}
