/**
 * An approximation of Elasticsearch's `standard` analyzer: Unicode (UAX #29) word segmentation, keeping
 * segments that contain a letter or digit, lower-cased, long tokens cut every 255 characters.
 */

const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
const MAX_TOKEN_LENGTH = 255;
const WORDLIKE = /[\p{L}\p{N}]/u;

/** The tokens the standard analyzer would index for `text`. */
export function analyzeText(text: string): string[] {
  const tokens: string[] = [];
  for (const { segment } of segmenter.segment(text)) {
    if (!WORDLIKE.test(segment)) continue;
    const lower = segment.toLowerCase();
    for (let i = 0; i < lower.length; i += MAX_TOKEN_LENGTH) tokens.push(lower.slice(i, i + MAX_TOKEN_LENGTH));
  }
  return tokens;
}

/** `match_phrase`: the phrase's tokens appear consecutively and in order. */
export function phraseMatches(haystack: string[], phrase: string[]): boolean {
  if (phrase.length === 0) return false;
  outer: for (let i = 0; i + phrase.length <= haystack.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (haystack[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** `match` with operator OR: some query token is one of the value's tokens. */
export function anyTokenMatches(haystack: string[], query: string[]): boolean {
  if (query.length === 0) return false;
  for (const q of query) if (haystack.includes(q)) return true;
  return false;
}
