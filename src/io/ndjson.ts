import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Why a line was not turned into an event. */
export type NdjsonSkipReason = 'malformedJson' | 'notAnObject' | 'tooLong' | 'invalidUtf8' | 'unreadable';

/** One line of NDJSON input: a parsed event, or why the line could not be read as one. */
export type NdjsonRecord =
  | { ok: true; source: string; line: number; event: Record<string, unknown> }
  | { ok: false; source: string; line: number; reason: NdjsonSkipReason; error: string };

/**
 * Lines longer than this many bytes (the newline excluded) are skipped by default, without ever being held
 * in memory whole: far above any real event (a few KB), far below what a stray binary file or a runaway
 * producer can emit in one "line".
 */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface NdjsonOptions {
  /** Lines longer than this many bytes are reported and skipped (default DEFAULT_MAX_LINE_BYTES). */
  maxLineBytes?: number;
}

function openInput(file: string): Readable {
  if (file === '-') return process.stdin;
  const stream = createReadStream(file);
  if (!file.endsWith('.gz')) return stream;
  const gunzip = createGunzip();
  // pipe() does not forward errors: a missing file would otherwise leave the gunzip side waiting forever.
  stream.on('error', (e) => gunzip.destroy(e));
  return stream.pipe(gunzip);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

const NEWLINE = 0x0a;
const CR = 0x0d;

/** Whole lines of one chunk, newlines between them kept, none longer than the limit (CRs not yet removed). */
interface Block {
  block: Buffer;
}

/**
 * Splits a byte stream into lines without holding more than `max` bytes of any one line: once a line passes
 * the limit its bytes are counted and dropped until its newline. Yields each line's bytes (CR before the
 * newline removed), or the byte count of a line that was too long; the lines a chunk holds whole come as one
 * `Block` (decoded at once: per line, decoding and handing lines over cost more than parsing them).
 */
async function* splitLines(input: AsyncIterable<Uint8Array | string>, max: number): AsyncGenerator<Buffer | number | Block> {
  let parts: Buffer[] = [];
  let held = 0; // bytes in parts
  let length = 0; // bytes of the current line so far, held or not
  let tooLong = false;
  const finish = (): Buffer | number => {
    const result = tooLong ? length : parts.length === 1 ? parts[0] : Buffer.concat(parts, held);
    parts = [];
    held = 0;
    length = 0;
    tooLong = false;
    if (typeof result === 'number') return result;
    const line = result.length > 0 && result[result.length - 1] === CR ? result.subarray(0, result.length - 1) : result;
    // A CR-terminated line of exactly max + 1 bytes is within the limit; any other line over max is not.
    return line.length > max ? line.length : line;
  };
  const take = (piece: Buffer): void => {
    length += piece.length;
    if (tooLong) return;
    // The limit allows one byte more for a CR that turns out to end the line.
    if (length > max + 1) {
      tooLong = true;
      parts = [];
      held = 0;
      return;
    }
    if (piece.length > 0) {
      parts.push(piece);
      held += piece.length;
    }
  };
  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    let from = 0;
    let nl = chunk.indexOf(NEWLINE, from);
    if (nl !== -1 && (length > 0 || tooLong)) {
      // The line carried over from earlier chunks ends here.
      take(chunk.subarray(from, nl));
      from = nl + 1;
      yield finish();
      nl = chunk.indexOf(NEWLINE, from);
    }
    if (nl !== -1) {
      const last = chunk.lastIndexOf(NEWLINE);
      // No line of a span within the limit can pass it.
      if (last - from <= max) {
        yield { block: chunk.subarray(from, last) };
        from = last + 1;
      } else {
        for (; nl !== -1; nl = chunk.indexOf(NEWLINE, from)) {
          take(chunk.subarray(from, nl));
          from = nl + 1;
          yield finish();
        }
      }
    }
    // A partial line keeps its chunk alive through the subarray; copying it would cost more for typical chunks.
    if (from < chunk.length) take(chunk.subarray(from));
  }
  if (length > 0 || tooLong) yield finish();
}

/**
 * Streams the events of NDJSON files (`.gz` decompressed; `-` is stdin), in order. Blank lines are skipped;
 * a line that is not a JSON object, is not valid UTF-8 or is longer than `maxLineBytes` comes back as an
 * error record with its line number and reason, and reading goes on. A file that cannot be opened or read
 * yields an `unreadable` record at the line it stopped at.
 *
 * Invalid UTF-8 skips the line rather than replacing the bad bytes with U+FFFD: substituted text would make
 * rules compare values the source never held, and Elasticsearch refuses such a document at indexing, so
 * no Kibana rule would have seen it either.
 */
export async function* readNdjson(files: readonly string[], options: NdjsonOptions = {}): AsyncGenerator<NdjsonRecord> {
  for (const file of files.length > 0 ? files : ['-']) {
    const source = file === '-' ? '<stdin>' : file;
    let input: Readable;
    try {
      input = openInput(file);
    } catch (e) {
      yield { ok: false, source, line: 0, reason: 'unreadable', error: `cannot read: ${(e as Error).message}` };
      continue;
    }
    yield* readNdjsonStream(input, source, options);
  }
}

/** `readNdjson` over any byte stream (chunks of bytes, or text), naming it `source` in records. */
export async function* readNdjsonStream(input: AsyncIterable<Uint8Array | string>, source: string, options: NdjsonOptions = {}): AsyncGenerator<NdjsonRecord> {
  for await (const batch of readNdjsonBatches(input, source, options)) yield* batch;
}

/**
 * `readNdjsonStream`, a batch of records at a time (the lines of one chunk, about 64 KB): the same records in the
 * same order, with one hand-over per batch instead of per line, which costs about as much as parsing a line.
 */
export async function* readNdjsonBatches(input: AsyncIterable<Uint8Array | string>, source: string, options: NdjsonOptions = {}): AsyncGenerator<NdjsonRecord[]> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  // `fatal` turns invalid bytes into an error; each line is decoded on its own, so a leading BOM is dropped.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // A block keeps every BOM, so that one can be dropped per line, as the line's own decoding would.
  const blockDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let lineNo = 0;
  /** The record of one line's text (BOM and CR already removed), or undefined for a blank line. */
  const fromText = (text: string): NdjsonRecord | undefined => {
    if (text.trim() === '') return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return { ok: false, source, line: lineNo, reason: 'malformedJson', error: `malformed JSON: ${(e as Error).message}` };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { ok: false, source, line: lineNo, reason: 'notAnObject', error: `expected a JSON object, found ${describe(value)}` };
    }
    return { ok: true, source, line: lineNo, event: value as Record<string, unknown> };
  };
  /** The record of one line's bytes (CR already removed). */
  const fromBytes = (line: Buffer): NdjsonRecord | undefined => {
    let text: string;
    try {
      text = decoder.decode(line);
    } catch {
      return { ok: false, source, line: lineNo, reason: 'invalidUtf8', error: `invalid UTF-8 at byte ${firstInvalidByte(line)} (line skipped)` };
    }
    return fromText(text);
  };
  try {
    for await (const item of splitLines(input, max)) {
      if (typeof item === 'number') {
        lineNo++;
        yield [{ ok: false, source, line: lineNo, reason: 'tooLong', error: `line ${lineNo} is longer than ${max} bytes (${item} bytes; skipped)` }];
        continue;
      }
      if (Buffer.isBuffer(item)) {
        lineNo++;
        const record = fromBytes(item);
        if (record) yield [record];
        continue;
      }
      const batch: NdjsonRecord[] = [];
      let text: string | undefined;
      try {
        text = blockDecoder.decode(item.block);
      } catch {
        text = undefined;
      }
      if (text === undefined) {
        // Some line of the block is not UTF-8: line by line, so each says where.
        for (const line of linesOf(item.block)) {
          lineNo++;
          const record = fromBytes(line);
          if (record) batch.push(record);
        }
        if (batch.length > 0) yield batch;
        continue;
      }
      for (let start = 0; ; ) {
        const end = text.indexOf('\n', start);
        let line = end === -1 ? text.slice(start) : text.slice(start, end);
        lineNo++;
        if (line.charCodeAt(line.length - 1) === CR) line = line.slice(0, -1);
        if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
        const record = fromText(line);
        if (record) batch.push(record);
        if (end === -1) break;
        start = end + 1;
      }
      if (batch.length > 0) yield batch;
    }
  } catch (e) {
    yield [{ ok: false, source, line: lineNo, reason: 'unreadable', error: `cannot read: ${(e as Error).message}` }];
  }
}

/** The lines of a block's bytes, each without its CR before the newline. */
function linesOf(block: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let from = 0; ; ) {
    const nl = block.indexOf(NEWLINE, from);
    const line = nl === -1 ? block.subarray(from) : block.subarray(from, nl);
    out.push(line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line);
    if (nl === -1) return out;
    from = nl + 1;
  }
}

/** The 1-based byte column where a line stops being valid UTF-8, for the error message. */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const n = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (n < 0) return i + 1;
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i + 1;
    }
    // Overlong three-byte forms, surrogates, and code points past U+10FFFF.
    if ((b === 0xe0 && bytes[i + 1] < 0xa0) || (b === 0xed && bytes[i + 1] >= 0xa0) || (b === 0xf0 && bytes[i + 1] < 0x90) || (b === 0xf4 && bytes[i + 1] >= 0x90)) return i + 1;
    i += n + 1;
  }
  return bytes.length;
}
