/**
 * Lucene wildcard patterns (Elasticsearch `wildcard` queries): `*` any sequence including none, `?` exactly
 * one character, `\` escapes the next character. Matching is whole-value and never backtracks exponentially:
 * the pattern is split at `*` into segments; the first is anchored at the start, the last at the end, and each
 * middle segment is found at its earliest position (the earliest match is always safe, so no backtracking).
 */

type Segment = { text: string; hasAny: boolean };

const ANY_ONE = '\u0000';

/** Escapes `*`, `?` and `\` so `literal` matches only itself. */
export function escapeWildcard(literal: string): string {
  return literal.replace(/[\\*?]/g, (c) => `\\${c}`);
}

/** True when `pattern` has an unescaped `*` or `?`. */
export function hasWildcard(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?') return true;
  }
  return false;
}

/** Splits a pattern at unescaped `*`; `?` positions are marked with ANY_ONE in the (code point) text. */
function parsePattern(pattern: string): { segments: Segment[]; literalOnly: boolean } {
  const segments: Segment[] = [];
  let text = '';
  let hasAny = false;
  let literalOnly = true;
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '\\' && i + 1 < chars.length) {
      // A literal NUL would collide with the ANY_ONE marker; no real field value holds one, but keep it distinct.
      text += chars[++i] === ANY_ONE ? '\uFFFF' : chars[i];
    } else if (c === '*') {
      segments.push({ text, hasAny });
      text = '';
      hasAny = false;
      literalOnly = false;
    } else if (c === '?') {
      text += ANY_ONE;
      hasAny = true;
      literalOnly = false;
    } else text += c;
  }
  segments.push({ text, hasAny });
  return { segments, literalOnly };
}

/** Does `seg` (code points, with ANY_ONE) match `value` code points starting at `at`? */
function segmentAt(seg: string[], value: string[], at: number): boolean {
  if (at + seg.length > value.length) return false;
  for (let k = 0; k < seg.length; k++) if (seg[k] !== ANY_ONE && seg[k] !== value[at + k]) return false;
  return true;
}

function matchWithAny(segments: string[][], value: string[]): boolean {
  const first = segments[0];
  if (segments.length === 1) return value.length === first.length && segmentAt(first, value, 0);
  if (!segmentAt(first, value, 0)) return false;
  const last = segments[segments.length - 1];
  const end = value.length - last.length;
  if (end < first.length || !segmentAt(last, value, end)) return false;
  let pos = first.length;
  for (let s = 1; s < segments.length - 1; s++) {
    const seg = segments[s];
    let found = -1;
    for (let at = pos; at + seg.length <= end; at++) {
      if (segmentAt(seg, value, at)) {
        found = at;
        break;
      }
    }
    if (found < 0) return false;
    pos = found + seg.length;
  }
  return true;
}

function matchLiteralSegments(segments: string[], value: string): boolean {
  const first = segments[0];
  const last = segments[segments.length - 1];
  if (!value.startsWith(first)) return false;
  const end = value.length - last.length;
  if (end < first.length || !value.endsWith(last)) return false;
  let pos = first.length;
  for (let s = 1; s < segments.length - 1; s++) {
    const found = value.indexOf(segments[s], pos);
    if (found < 0 || found + segments[s].length > end) return false;
    pos = found + segments[s].length;
  }
  return true;
}

/** Compiles a Lucene wildcard pattern into a whole-value matcher. */
export function compileWildcard(pattern: string, caseInsensitive: boolean): (value: string) => boolean {
  const { segments, literalOnly } = parsePattern(caseInsensitive ? pattern.toLowerCase() : pattern);
  const fold = caseInsensitive ? (v: string) => v.toLowerCase() : (v: string) => v;
  if (literalOnly) {
    const exact = segments[0].text;
    return caseInsensitive ? (v) => v.toLowerCase() === exact : (v) => v === exact;
  }
  if (!segments.some((s) => s.hasAny)) {
    const texts = segments.map((s) => s.text);
    if (texts.length === 2) {
      const [a, b] = texts;
      if (b === '') return a === '' ? () => true : (v) => fold(v).startsWith(a);
      if (a === '') return (v) => fold(v).endsWith(b);
      return (v) => {
        const f = fold(v);
        return f.length >= a.length + b.length && f.startsWith(a) && f.endsWith(b);
      };
    }
    if (texts.length === 3 && texts[0] === '' && texts[2] === '') {
      const mid = texts[1];
      return (v) => fold(v).includes(mid);
    }
    return (v) => matchLiteralSegments(texts, fold(v));
  }
  const cps = segments.map((s) => Array.from(s.text));
  return (v) => matchWithAny(cps, Array.from(fold(v)));
}
