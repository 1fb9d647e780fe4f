/**
 * An approximation of Elasticsearch's `standard` analyzer: Lucene's StandardTokenizer (UAX #29 word boundaries,
 * tokens at most 255 UTF-16 units, longer ones cut every 255) followed by a per-code-point lower-case filter.
 *
 * Two routes give the same tokens: ASCII text (nearly every log line) is scanned by hand with the UAX #29 rules
 * that can apply to ASCII, because `Intl.Segmenter` costs an object per segment; anything else goes through
 * `Intl.Segmenter`, adjusted where ICU's segmenter and Lucene's tokenizer differ: Han ideographs and hiragana are
 * one token per character (ICU groups them by dictionary), Thai/Lao/Khmer/Myanmar runs stay whole (ICU splits them
 * by dictionary), emoji are tokens.
 */

const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
const MAX_TOKEN_LENGTH = 255;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const ONE_PER_CHAR = /[\p{sc=Han}\p{sc=Hiragana}]/u;
const SOUTHEAST_ASIAN = /^[\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]+$/u;
const EMOJI = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F/u;

// UAX #29 word-break classes of the ASCII characters that matter; everything else is a boundary.
const OTHER = 0;
const LETTER = 1; // ALetter
const DIGIT = 2; // Numeric
const JOINER = 3; // ExtendNumLet: `_`
const MID_LETTER = 4; // `:`
const MID_NUM_LET = 5; // `.` and `'` (MidNumLet, Single_Quote)
const MID_NUM = 6; // `,` and `;`

const ASCII_CLASS = new Uint8Array(128);
for (let c = 0x41; c <= 0x5a; c++) ASCII_CLASS[c] = LETTER;
for (let c = 0x61; c <= 0x7a; c++) ASCII_CLASS[c] = LETTER;
for (let c = 0x30; c <= 0x39; c++) ASCII_CLASS[c] = DIGIT;
ASCII_CLASS[0x5f] = JOINER;
ASCII_CLASS[0x3a] = MID_LETTER;
ASCII_CLASS[0x2e] = MID_NUM_LET;
ASCII_CLASS[0x27] = MID_NUM_LET;
ASCII_CLASS[0x2c] = MID_NUM;
ASCII_CLASS[0x3b] = MID_NUM;

/** Java's Character.toLowerCase per code point; JS's full mapping differs only for `İ` and final sigma. */
function lowerCase(s: string): string {
  if (s.includes('\u0130')) s = s.replaceAll('\u0130', 'i');
  if (s.includes('\u03a3')) s = s.replaceAll('\u03a3', '\u03c3');
  return s.toLowerCase();
}

function emit(tokens: string[], token: string, ascii: boolean): void {
  for (let i = 0; i < token.length; i += MAX_TOKEN_LENGTH) {
    const piece = token.length <= MAX_TOKEN_LENGTH ? token : token.slice(i, i + MAX_TOKEN_LENGTH);
    tokens.push(ascii ? piece.toLowerCase() : lowerCase(piece));
  }
}

/** True when a mid character between classes `before` and `after` joins them into one word (WB6/7, WB11/12). */
function midJoins(mid: number, before: number, after: number): boolean {
  if (mid === MID_LETTER) return before === LETTER && after === LETTER;
  if (mid === MID_NUM_LET) return (before === LETTER && after === LETTER) || (before === DIGIT && after === DIGIT);
  if (mid === MID_NUM) return before === DIGIT && after === DIGIT;
  return false;
}

/** Tokens of ASCII text, or undefined as soon as a non-ASCII character shows up. */
function analyzeAscii(text: string): string[] | undefined {
  const tokens: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return undefined;
    let last = ASCII_CLASS[c];
    if (last !== LETTER && last !== DIGIT && last !== JOINER) {
      i++;
      continue;
    }
    const start = i;
    let alnum = last !== JOINER;
    i++;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d >= 0x80) return undefined;
      const k = ASCII_CLASS[d];
      // Letters, digits and `_` always stick together (WB5, WB8-10, WB13a/b).
      if (k === LETTER || k === DIGIT || k === JOINER) {
        if (k !== JOINER) alnum = true;
        last = k;
        i++;
        continue;
      }
      if (k >= MID_LETTER && i + 1 < n) {
        const e = text.charCodeAt(i + 1);
        if (e >= 0x80) return undefined;
        const after = ASCII_CLASS[e];
        if (midJoins(k, last, after)) {
          last = after;
          i += 2;
          continue;
        }
      }
      break;
    }
    // A run of `_` alone is no token.
    if (alnum) emit(tokens, text.slice(start, i), true);
  }
  return tokens;
}

/** The general route (any text, through Intl.Segmenter); `analyzeText` gives the same tokens faster for ASCII. */
export function analyzeTextUnicode(text: string): string[] {
  const tokens: string[] = [];
  let run = ''; // pending Thai/Lao/Khmer/Myanmar run
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    if (!isWordLike || !HAS_LETTER_OR_DIGIT.test(segment)) {
      if (run !== '') emit(tokens, run, false);
      run = '';
      if (!isWordLike && segment.charCodeAt(0) >= 0x80 && EMOJI.test(segment)) emit(tokens, segment, false);
      continue;
    }
    if (SOUTHEAST_ASIAN.test(segment)) {
      run += segment;
      continue;
    }
    if (run !== '') emit(tokens, run, false);
    run = '';
    if (!ONE_PER_CHAR.test(segment)) {
      emit(tokens, segment, false);
      continue;
    }
    let rest = '';
    for (const ch of segment) {
      if (!ONE_PER_CHAR.test(ch)) {
        rest += ch;
        continue;
      }
      if (HAS_LETTER_OR_DIGIT.test(rest)) emit(tokens, rest, false);
      rest = '';
      emit(tokens, ch, false);
    }
    if (HAS_LETTER_OR_DIGIT.test(rest)) emit(tokens, rest, false);
  }
  if (run !== '') emit(tokens, run, false);
  return tokens;
}

/** The tokens Elasticsearch's standard analyzer would index for `text`. */
export function analyzeText(text: string): string[] {
  return analyzeAscii(text) ?? analyzeTextUnicode(text);
}

/** `match_phrase`: the phrase's tokens appear consecutively and in order (an empty phrase matches nothing). */
export function phraseMatches(haystackTokens: string[], phraseTokens: string[]): boolean {
  const m = phraseTokens.length;
  if (m === 0) return false;
  const first = phraseTokens[0];
  outer: for (let i = 0; i + m <= haystackTokens.length; i++) {
    if (haystackTokens[i] !== first) continue;
    for (let j = 1; j < m; j++) if (haystackTokens[i + j] !== phraseTokens[j]) continue outer;
    return true;
  }
  return false;
}

/** `match` with operator OR: some query token is one of the value's tokens (no query tokens matches nothing). */
export function anyTokenMatches(haystackTokens: string[], queryTokens: string[]): boolean {
  for (let q = 0; q < queryTokens.length; q++) {
    const token = queryTokens[q];
    for (let h = 0; h < haystackTokens.length; h++) if (haystackTokens[h] === token) return true;
  }
  return false;
}
