/**
 * Lucene wildcard patterns, as Elasticsearch `wildcard` queries read them: `*` matches any sequence (including
 * none, including newlines), `?` exactly one code point, `\` makes the next character literal (a trailing lone
 * `\` is itself literal, as Lucene parses leniently). Matching is always of the whole value.
 *
 * No regular expressions and no backtracking: the pattern is cut at `*` into segments; the first segment is
 * anchored at the start, the last at the end, and every middle segment is taken at its earliest occurrence
 * (the earliest occurrence leaves the most room for the rest, so it is never wrong). A middle segment with `?`
 * is searched bit-parallel (shift-and over code points), O(value × ⌈segment/32⌉), so `*a?a?a?…*` over a long
 * value stays linear; the common shapes (`foo*`, `*foo`, `*foo*`, exact) are single native string calls.
 */

/** A piece of a segment: a literal run, or a number = how many `?` in a row. */
type Piece = string | number;

interface Segment {
  /** The literal text when the segment has no `?`; undefined otherwise. */
  literal: string | undefined;
  pieces: Piece[];
  /** The fewest UTF-16 code units the segment can match (each `?` takes at least one). */
  minUnits: number;
  /** Shift-and tables, built on first search. */
  shiftAnd?: ShiftAnd;
}

/** Per code point, the segment positions it may fill (bit i: position i); `?` positions accept any. */
interface ShiftAnd {
  words: number;
  masks: Map<number, Uint32Array>;
  any: Uint32Array;
  lastWord: number;
  lastBit: number;
}

function buildShiftAnd(pieces: Piece[]): ShiftAnd {
  const codes: number[] = [];
  for (const p of pieces) {
    if (typeof p === 'number') for (let n = 0; n < p; n++) codes.push(-1);
    else for (const ch of p) codes.push(ch.codePointAt(0) as number);
  }
  const words = Math.max(1, Math.ceil(codes.length / 32));
  const any = new Uint32Array(words);
  codes.forEach((c, i) => {
    if (c < 0) any[i >> 5] |= 1 << (i & 31);
  });
  const masks = new Map<number, Uint32Array>();
  codes.forEach((c, i) => {
    if (c < 0) return;
    let m = masks.get(c);
    if (!m) {
      m = Uint32Array.from(any);
      masks.set(c, m);
    }
    m[i >> 5] |= 1 << (i & 31);
  });
  const last = codes.length - 1;
  return { words, masks, any, lastWord: last >> 5, lastBit: 1 << (last & 31) };
}

/** End of the earliest occurrence of a segment with `?` starting at or after `from` and ending by `limit`, or -1. */
function searchShiftAnd(sa: ShiftAnd, s: string, from: number, limit: number): number {
  const state = new Uint32Array(sa.words);
  let i = from;
  while (i < limit) {
    let cp = s.charCodeAt(i);
    let next = i + 1;
    if (isHigh(cp) && next < s.length && isLow(s.charCodeAt(next))) {
      cp = ((cp - 0xd800) << 10) + (s.charCodeAt(next) - 0xdc00) + 0x10000;
      next++;
    }
    if (next > limit) return -1;
    const mask = sa.masks.get(cp) ?? sa.any;
    // Every position advances by one code point, and a new attempt starts here (the carried-in 1).
    let carry = 1;
    for (let w = 0; w < sa.words; w++) {
      const d = state[w];
      state[w] = ((d << 1) | carry) & mask[w];
      carry = d >>> 31;
    }
    if ((state[sa.lastWord] & sa.lastBit) !== 0) return next;
    i = next;
  }
  return -1;
}

/** Escapes `*`, `?` and `\` so that `literal` matches only itself. */
export function escapeWildcard(literal: string): string {
  let out = '';
  for (let i = 0; i < literal.length; i++) {
    const c = literal[i];
    out += c === '\\' || c === '*' || c === '?' ? `\\${c}` : c;
  }
  return out;
}

/** True when `pattern` has an unescaped `*` or `?`, i.e. it is not a plain literal. */
export function hasWildcard(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x2a /* * */ || c === 0x3f /* ? */) return true;
  }
  return false;
}

function isHigh(c: number): boolean {
  return (c & 0xfc00) === 0xd800;
}

function isLow(c: number): boolean {
  return (c & 0xfc00) === 0xdc00;
}

/** Splits at unescaped `*`; consecutive stars collapse, since `**` means the same as `*`. */
function parsePattern(pattern: string): Segment[] {
  const segments: Segment[] = [];
  let pieces: Piece[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') pieces.push(text);
    text = '';
  };
  const endSegment = (): void => {
    flush();
    let minUnits = 0;
    for (const p of pieces) minUnits += typeof p === 'number' ? p : p.length;
    const literal = pieces.length === 0 ? '' : pieces.length === 1 && typeof pieces[0] === 'string' ? pieces[0] : undefined;
    segments.push({ literal, pieces, minUnits });
    pieces = [];
  };
  let lastWasStar = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (!lastWasStar) endSegment();
      lastWasStar = true;
      continue;
    }
    lastWasStar = false;
    if (c === '\\' && i + 1 < pattern.length) text += pattern[++i];
    else if (c === '?') {
      flush();
      const last = pieces.length - 1;
      if (last >= 0 && typeof pieces[last] === 'number') pieces[last] = (pieces[last] as number) + 1;
      else pieces.push(1);
    } else text += c;
  }
  endSegment();
  return segments;
}

/** End of `pieces` matched forward from `at`, or -1. A `?` takes a whole surrogate pair. */
function matchForward(pieces: Piece[], s: string, at: number): number {
  let p = at;
  for (let k = 0; k < pieces.length; k++) {
    const piece = pieces[k];
    if (typeof piece === 'string') {
      if (!s.startsWith(piece, p)) return -1;
      p += piece.length;
    } else {
      for (let n = 0; n < piece; n++) {
        if (p >= s.length) return -1;
        p += isHigh(s.charCodeAt(p)) && p + 1 < s.length && isLow(s.charCodeAt(p + 1)) ? 2 : 1;
      }
    }
  }
  return p;
}

/** Start of `pieces` matched backward so that they end at `end`, or -1. */
function matchBackward(pieces: Piece[], s: string, end: number): number {
  let p = end;
  for (let k = pieces.length - 1; k >= 0; k--) {
    const piece = pieces[k];
    if (typeof piece === 'string') {
      p -= piece.length;
      if (p < 0 || !s.startsWith(piece, p)) return -1;
    } else {
      for (let n = 0; n < piece; n++) {
        if (p <= 0) return -1;
        p -= isLow(s.charCodeAt(p - 1)) && p >= 2 && isHigh(s.charCodeAt(p - 2)) ? 2 : 1;
      }
    }
  }
  return p;
}

/** End of the earliest occurrence of `seg` within [from, limit), or -1. */
function findSegment(seg: Segment, s: string, from: number, limit: number): number {
  if (seg.literal !== undefined) {
    const at = s.indexOf(seg.literal, from);
    return at < 0 || at + seg.literal.length > limit ? -1 : at + seg.literal.length;
  }
  if (from + seg.minUnits > limit) return -1;
  // Every position of the segment is one code point, so the earliest start is also the earliest end.
  seg.shiftAnd ??= buildShiftAnd(seg.pieces);
  return searchShiftAnd(seg.shiftAnd, s, from, limit);
}

function matchSegments(segments: Segment[], s: string): boolean {
  const first = segments[0];
  if (segments.length === 1) return matchForward(first.pieces, s, 0) === s.length;
  let pos = matchForward(first.pieces, s, 0);
  if (pos < 0) return false;
  const limit = matchBackward(segments[segments.length - 1].pieces, s, s.length);
  if (limit < pos) return false;
  for (let k = 1; k < segments.length - 1; k++) {
    pos = findSegment(segments[k], s, pos, limit);
    if (pos < 0) return false;
  }
  return true;
}

/** The matcher on already case-folded values. */
function compileFolded(pattern: string): (value: string) => boolean {
  const segments = parsePattern(pattern);
  if (segments.length === 1) {
    const exact = segments[0].literal;
    if (exact !== undefined) return (v) => v === exact;
    return (v) => matchSegments(segments, v);
  }
  if (segments.length === 2 && segments[0].literal !== undefined && segments[1].literal !== undefined) {
    const head = segments[0].literal;
    const tail = segments[1].literal;
    if (head === '' && tail === '') return () => true;
    if (tail === '') return (v) => v.startsWith(head);
    if (head === '') return (v) => v.endsWith(tail);
    const min = head.length + tail.length;
    return (v) => v.length >= min && v.startsWith(head) && v.endsWith(tail);
  }
  if (segments.length === 3 && segments[0].literal === '' && segments[2].literal === '' && segments[1].literal !== undefined) {
    const middle = segments[1].literal;
    return (v) => v.includes(middle);
  }
  return (v) => matchSegments(segments, v);
}

/** Compiles a Lucene wildcard pattern into a whole-value matcher; case-insensitive folds both sides with toLowerCase. */
export function compileWildcard(pattern: string, caseInsensitive: boolean): (value: string) => boolean {
  if (!caseInsensitive) return compileFolded(pattern);
  const folded = compileFolded(pattern.toLowerCase());
  return (v) => folded(v.toLowerCase());
}
