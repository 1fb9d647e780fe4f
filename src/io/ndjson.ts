import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** One line of NDJSON input: a parsed event, or why the line could not be read as one. */
export type NdjsonRecord =
  | { ok: true; source: string; line: number; event: Record<string, unknown> }
  | { ok: false; source: string; line: number; error: string };

/** Lines longer than this are reported and skipped rather than parsed (a defence against runaway input). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

function openInput(file: string): Readable {
  if (file === '-') return process.stdin;
  const stream = createReadStream(file);
  return file.endsWith('.gz') ? stream.pipe(createGunzip()) : stream;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/**
 * Streams the events of NDJSON files (`.gz` decompressed; `-` is stdin), in order. Blank lines are skipped;
 * a line that is not a JSON object comes back as an error record with its line number, and reading goes on.
 * A file that cannot be opened yields one error record at line 0.
 */
export async function* readNdjson(files: readonly string[]): AsyncGenerator<NdjsonRecord> {
  for (const file of files.length > 0 ? files : ['-']) {
    const source = file === '-' ? '<stdin>' : file;
    let lineNo = 0;
    try {
      const lines = createInterface({ input: openInput(file), crlfDelay: Infinity });
      for await (const line of lines) {
        lineNo++;
        if (line.trim() === '') continue;
        if (line.length > MAX_LINE_BYTES) {
          yield { ok: false, source, line: lineNo, error: `line is longer than ${MAX_LINE_BYTES} characters` };
          continue;
        }
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (e) {
          yield { ok: false, source, line: lineNo, error: `malformed JSON: ${(e as Error).message}` };
          continue;
        }
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          yield { ok: false, source, line: lineNo, error: `expected a JSON object, found ${describe(value)}` };
          continue;
        }
        yield { ok: true, source, line: lineNo, event: value as Record<string, unknown> };
      }
    } catch (e) {
      yield { ok: false, source, line: lineNo, error: `cannot read: ${(e as Error).message}` };
    }
  }
}
