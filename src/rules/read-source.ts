import { readFileSync, statSync } from 'node:fs';
import { positionAt, type Diagnostic } from '../diagnostics/diagnostic.js';

/** Largest rule file read, in bytes (rules with inline example events stay far below it). */
export const DEFAULT_MAX_RULE_FILE_BYTES = 1024 * 1024;

export type SourceReadResult = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

const fileDiagnostic = (file: string, code: string, message: string, hint?: string, line = 1, column = 1): Diagnostic => ({
  file,
  line,
  column,
  endLine: line,
  endColumn: line === 0 ? 0 : column + 1,
  severity: 'error',
  code,
  message,
  ...(hint ? { hint } : {}),
});

/**
 * Reads a text file that must be UTF-8 and at most `maxBytes` long. A leading byte-order mark is dropped
 * (YAML allows one); anything else that is not text becomes a located diagnostic rather than an exception.
 */
export function readTextSource(file: string, maxBytes = DEFAULT_MAX_RULE_FILE_BYTES): SourceReadResult {
  let bytes: Buffer;
  try {
    const size = statSync(file).size;
    if (size > maxBytes) {
      return { ok: false, diagnostic: fileDiagnostic(file, 'file/too-large', `The file is ${size.toLocaleString('en-US')} bytes; rule files may be at most ${maxBytes.toLocaleString('en-US')} bytes.`, 'Move large example events into a separate event file and refer to it with `base:`.') };
    }
    bytes = readFileSync(file);
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String((err as NodeJS.ErrnoException).code) : String(err);
    return { ok: false, diagnostic: fileDiagnostic(file, 'file/unreadable', `Cannot read the file (${reason}).`, undefined, 0, 0) };
  }
  return decodeUtf8(bytes, file);
}

/** The same checks as `readTextSource` on bytes already in memory (the language server's unsaved buffers). */
export function textSourceFromBytes(bytes: Uint8Array, file: string, maxBytes = DEFAULT_MAX_RULE_FILE_BYTES): SourceReadResult {
  if (bytes.length > maxBytes) {
    return { ok: false, diagnostic: fileDiagnostic(file, 'file/too-large', `The file is ${bytes.length.toLocaleString('en-US')} bytes; rule files may be at most ${maxBytes.toLocaleString('en-US')} bytes.`, 'Move large example events into a separate event file and refer to it with `base:`.') };
  }
  return decodeUtf8(bytes, file);
}

/** Decodes UTF-8 strictly, locating the first invalid byte. */
export function decodeUtf8(bytes: Uint8Array, file: string): SourceReadResult {
  try {
    let text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const nul = text.indexOf('\u0000');
    if (nul >= 0) {
      const p = positionAt(text, nul);
      return { ok: false, diagnostic: fileDiagnostic(file, 'file/encoding', 'The file contains a NUL character; it is not a text file.', undefined, p.line, p.column) };
    }
    return { ok: true, text };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    const p = positionAt(before, before.length);
    return {
      ok: false,
      diagnostic: fileDiagnostic(file, 'file/encoding', `The file is not valid UTF-8 (byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')} at offset ${bad}).`, 'Save the file as UTF-8.', p.line, p.column),
    };
  }
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong forms, surrogates and code points past U+10FFFF.
    const second = bytes[i + 1];
    if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second > 0x9f) || (b === 0xf0 && second < 0x90) || (b === 0xf4 && second > 0x8f)) return i;
    i += length;
  }
  return i;
}
