import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryCommand } from '../../src/cli/query.js';

/** The request parameters of one `_eql/search` call, as `ruleforge query` flags. */
export interface EqlCliRequest {
  categoryField: string;
  timestampField?: string;
  tiebreakerField?: string;
  size?: number;
  resultPosition?: 'head' | 'tail';
  maxSamplesPerKey?: number;
  mappingFile?: string;
}

/** One result of `ruleforge query --format json`: the events (null for a missing-event stage) and join keys. */
export interface EqlCliHit {
  events: (Record<string, unknown> | null)[];
  join_keys?: unknown[];
}

/** Writes events as an NDJSON file named `<index>.ndjson` (the CLI reads a file's index from its name). */
export function writeIndex(dir: string, index: string, events: readonly unknown[]): string {
  const file = join(dir, `${index}.ndjson`);
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return file;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ruleforge-eql-'));
}

/**
 * Runs `ruleforge query --language eql --format json` in-process (the same command object the binary runs)
 * and returns its JSON lines, or throws with its messages when it fails.
 */
export async function runEqlCli(query: string, files: readonly string[], request: EqlCliRequest): Promise<EqlCliHit[]> {
  const out: string[] = [];
  const err: string[] = [];
  const args = ['--language', 'eql', '--format', 'json', '--category-field', request.categoryField];
  if (request.timestampField !== undefined) args.push('--timestamp-field', request.timestampField);
  if (request.tiebreakerField !== undefined) args.push('--tiebreaker-field', request.tiebreakerField);
  if (request.size !== undefined) args.push('--size', String(request.size));
  if (request.resultPosition !== undefined) args.push('--result-position', request.resultPosition);
  if (request.maxSamplesPerKey !== undefined) args.push('--max-samples-per-key', String(request.maxSamplesPerKey));
  if (request.mappingFile !== undefined) args.push('--mapping', request.mappingFile);
  const command = queryCommand({ out: async (t) => (out.push(t), true), err: (t) => void err.push(t) }).exitOverride();
  const exitCode = process.exitCode;
  try {
    await command.parseAsync([...args, query, ...files], { from: 'user' });
    if (process.exitCode !== exitCode) throw new Error(err.join(''));
  } finally {
    process.exitCode = exitCode;
  }
  return out
    .join('')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as EqlCliHit);
}
