import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { readNdjsonBatches, type NdjsonOptions, type NdjsonRecord } from '../io/ndjson.js';

/**
 * The input contract of `run`: every named input is tried in order. One that cannot be read (missing, a
 * directory, no permission, binary data, a corrupt gzip stream) is reported once, as a record with
 * reason `unreadable`, and the others are still processed; the command then exits non-zero. Gzip is
 * recognised by its magic bytes, so `events.ndjson.gz` renamed to `events` still reads, and a `.gz` name
 * on plain text does no harm.
 */

const GZIP_MAGIC = [0x1f, 0x8b];

/** Why a path cannot be an NDJSON input, before opening it; undefined when it looks readable. */
function pathProblem(file: string): string | undefined {
  try {
    if (statSync(file).isDirectory()) return 'is a directory (name the NDJSON files in it, e.g. dir/*.ndjson)';
    return undefined;
  } catch (err) {
    return errnoText(err);
  }
}

function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return (err as Error)?.message ?? String(err);
}

/** The stream's chunks as an iterator whose first chunk has already been read (or undefined when empty). */
async function peek(stream: AsyncIterable<Buffer>): Promise<{ first: Buffer | undefined; all: AsyncIterable<Buffer> }> {
  const it = stream[Symbol.asyncIterator]();
  const head = await it.next();
  const first = head.done ? undefined : head.value;
  async function* all(): AsyncGenerator<Buffer> {
    if (first !== undefined) yield first;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { first, all: all() };
}

const isGzip = (chunk: Buffer | undefined): boolean => chunk !== undefined && chunk.length >= 2 && chunk[0] === GZIP_MAGIC[0] && chunk[1] === GZIP_MAGIC[1];

/** A raw NUL byte can never occur in JSON text (control characters must be escaped), so it marks binary data. */
const isBinary = (chunk: Buffer | undefined): boolean => chunk !== undefined && chunk.includes(0);

const asBuffers = async function* (input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  for await (const chunk of input) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
};

/** The text bytes of one input, decompressed when it is gzip; an error message when it cannot be NDJSON. */
async function openText(file: string): Promise<{ ok: true; bytes: AsyncIterable<Buffer> } | { ok: false; error: string }> {
  const raw: Readable = file === '-' ? process.stdin : createReadStream(file);
  let peeked;
  try {
    peeked = await peek(asBuffers(raw));
  } catch (err) {
    return { ok: false, error: errnoText(err) };
  }
  let bytes = peeked.all;
  let gzip = false;
  if (isGzip(peeked.first)) {
    gzip = true;
    const gunzip = createGunzip();
    const source = Readable.from(bytes);
    // pipe() does not forward errors: a read error would otherwise leave the gunzip side waiting forever.
    source.on('error', (e) => gunzip.destroy(e));
    try {
      peeked = await peek(asBuffers(source.pipe(gunzip)));
    } catch (err) {
      return { ok: false, error: `not a valid gzip stream (${(err as Error).message})` };
    }
    bytes = peeked.all;
  }
  if (isBinary(peeked.first)) return { ok: false, error: `holds binary data${gzip ? ' (after gunzip)' : ''}, not NDJSON text` };
  return { ok: true, bytes };
}

/** `readNdjson` with `run`'s input contract (see above): unreadable inputs become one `unreadable` record each. */
export async function* readInputs(files: readonly string[], options: NdjsonOptions = {}): AsyncGenerator<NdjsonRecord> {
  for await (const batch of readInputBatches(files, options)) yield* batch;
}

/** `readInputs`, a batch of records at a time (see `readNdjsonBatches`). */
export async function* readInputBatches(files: readonly string[], options: NdjsonOptions = {}): AsyncGenerator<NdjsonRecord[]> {
  for (const file of files.length > 0 ? files : ['-']) {
    const source = file === '-' ? '<stdin>' : file;
    const problem = file === '-' ? undefined : pathProblem(file);
    if (problem !== undefined) {
      yield [{ ok: false, source, line: 0, reason: 'unreadable', error: problem }];
      continue;
    }
    const opened = await openText(file);
    if (!opened.ok) {
      yield [{ ok: false, source, line: 0, reason: 'unreadable', error: opened.error }];
      continue;
    }
    yield* readNdjsonBatches(opened.bytes, source, options);
  }
}
