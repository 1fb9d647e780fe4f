/**
 * Mutators: character-level edits of queries, byte-level and line-level edits of rule YAML files. They are
 * driven by a small seeded generator rather than fast-check, because a million mutations must cost far less
 * than the parse they feed.
 */

/** A seeded pseudo-random source (mulberry32): the same seed gives the same inputs on every machine. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Characters and tokens that parsers treat specially, plus text no parser expects. */
const SPECIAL = [
  '"', '\\', "'", '`', '(', ')', '[', ']', '{', '}', ':', '*', '?', '~', '|', '!', '=', '<', '>', ',', '.', '-', '+', '/', '#', '&', '@',
  ' ', '\t', '\n', '\r', '\r\n', '\u00a0', '\u0000', '\u0001', '\u007f', '\ufeff', '\u2028', '\ud800', '\udc00', '\udbff\udfff', '\ud83d\ude00', 'é', '漢',
  '\\u', '\\u{', '\\u{110000}', '\\uD800', '""', '"""', '/*', '*/', '//',
];

const KQL_TOKENS = [' and ', ' or ', 'not ', ' AND ', ' Or ', ' NOT ', ': ', ':*', ' < ', ' >= ', ': (', ') ', ':{ ', ' }', '\\(', '\\:', '\\*', '\\or', '\\u00e9', 'now-1d', '"a b"', 'true', 'null'];
const EQL_TOKENS = [
  ' and ', ' or ', 'not ', ' where ', 'any where ', 'sequence ', 'sample ', 'by ', ' with maxspan=5m ', ' with runs=3 ', ' until ', '[any where true]', '![', ' in (', ' in~ (', ' : ', ' like~ ', ' regex ',
  ' == ', ' != ', ' >= ', ' + ', ' % ', 'length(', 'concat(', 'cidrMatch(', ' | head 1', ' | tail ', ' | unique ', '?', '`a`', '[0]', 'null', '1e308', '9999999999999999999999', '"""', '\\u{1F600}', ' descendant of ', ' join ',
];

export type QueryLanguage = 'kql' | 'eql';

/** A span [start, end) of `s`, biased towards short spans. */
function span(rng: Rng, length: number): [number, number] {
  const start = rng.int(length + 1);
  const max = Math.min(length - start, rng.chance(0.8) ? 8 : 200);
  return [start, start + rng.int(max + 1)];
}

/** A repeated run, mostly short; now and then long enough to show how time grows with size. */
function run(rng: Rng, unit: string): string {
  const r = rng.next();
  const times = r < 0.9 ? 2 + rng.int(10) : r < 0.995 ? 10 + rng.int(500) : 500 + rng.int(5000);
  return unit.repeat(times);
}

/** One character-level edit of `s`; `other` is a second input for splicing. */
export function mutateOnce(rng: Rng, s: string, other: string, language: QueryLanguage): string {
  const tokens = language === 'kql' ? KQL_TOKENS : EQL_TOKENS;
  const at = rng.int(s.length + 1);
  switch (rng.int(10)) {
    case 0: // insert a special character or token
      return s.slice(0, at) + (rng.chance(0.5) ? rng.pick(SPECIAL) : rng.pick(tokens)) + s.slice(at);
    case 1: {
      const [a, b] = span(rng, s.length);
      return s.slice(0, a) + s.slice(b);
    }
    case 2: {
      const [a, b] = span(rng, s.length);
      return s.slice(0, a) + rng.pick(SPECIAL) + s.slice(b);
    }
    case 3: {
      // duplicate a span, possibly many times: long runs of real syntax (`(((`, `and x and x`)
      const [a, b] = span(rng, s.length);
      return s.slice(0, b) + run(rng, s.slice(a, b)) + s.slice(b);
    }
    case 4: {
      // splice: a prefix of one query and a suffix of another
      const cut = rng.int(other.length + 1);
      return s.slice(0, at) + other.slice(cut);
    }
    case 5: {
      // swap two spans
      const [a, b] = span(rng, s.length);
      const [c, d] = span(rng, s.length);
      if (b > c) return s.slice(c, d) + s.slice(0, c);
      return s.slice(0, a) + s.slice(c, d) + s.slice(b, c) + s.slice(a, b) + s.slice(d);
    }
    case 6: {
      const [a, b] = span(rng, s.length);
      const piece = s.slice(a, b);
      return s.slice(0, a) + (rng.chance(0.5) ? piece.toUpperCase() : piece.toLowerCase()) + s.slice(b);
    }
    case 7: // a long run of one special character or token
      return s.slice(0, at) + run(rng, rng.chance(0.5) ? rng.pick(SPECIAL) : rng.pick(tokens)) + s.slice(at);
    case 8: // truncate
      return s.slice(0, at);
    default: {
      // flip one code unit to a random one (any of 65,536, surrogates included)
      if (s.length === 0) return String.fromCharCode(rng.int(0x10000));
      const i = rng.int(s.length);
      return s.slice(0, i) + String.fromCharCode(rng.chance(0.7) ? rng.int(0x80) : rng.int(0x10000)) + s.slice(i + 1);
    }
  }
}

/** One to four edits. */
export function mutateQuery(rng: Rng, s: string, other: string, language: QueryLanguage): string {
  let out = s;
  const n = 1 + rng.int(4);
  for (let i = 0; i < n; i++) out = mutateOnce(rng, out, other, language);
  return out;
}

// ----- rule YAML files ----------------------------------------------------------------------------------

const YAML_SNIPPETS = [
  '&a ', '*a', '<<: *a', '---\n', '...\n', '? ', '!!binary ', '!!str ', '!!js/function ', '!custom ', '%YAML 1.2\n', '%TAG ! tag:x,2000:\n', '|', '>-', '|+2', '{', '}', '[', ']', ', ', '- ', '# c', '"', "'", '\\x41',
  '\\U0001F600', '\t', '  ', '\r\n', '\ufeff', 'null', '~', '.inf', '0x1F', '1e3', '2024-01-01', 'yes', '=', '@', '`', '\u0085', '\u2028',
];

const YAML_BYTES = [0x00, 0x09, 0x0a, 0x0d, 0x20, 0x22, 0x27, 0x3a, 0x23, 0x26, 0x2a, 0x5b, 0x7b, 0x7f, 0x80, 0xbf, 0xc0, 0xc3, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xfe, 0xff];

/** A byte-level edit of a file: insert, delete, flip or duplicate bytes, or prefix a byte-order mark. */
export function mutateBytes(rng: Rng, bytes: Uint8Array): Uint8Array {
  const b = Buffer.from(bytes);
  const at = rng.int(b.length + 1);
  switch (rng.int(6)) {
    case 0:
      return Buffer.concat([b.subarray(0, at), Buffer.from([rng.chance(0.6) ? rng.pick(YAML_BYTES) : rng.int(256)]), b.subarray(at)]);
    case 1: {
      const [s, e] = span(rng, b.length);
      return Buffer.concat([b.subarray(0, s), b.subarray(e)]);
    }
    case 2: {
      if (b.length === 0) return b;
      const i = rng.int(b.length);
      b[i] = rng.chance(0.5) ? b[i] ^ (1 << rng.int(8)) : rng.int(256);
      return b;
    }
    case 3: {
      const [s, e] = span(rng, b.length);
      return Buffer.concat([b.subarray(0, e), Buffer.from(run(rng, b.subarray(s, e).toString('latin1')), 'latin1'), b.subarray(e)]);
    }
    case 4:
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]);
    default: // a lone UTF-8 lead byte, an overlong form or a surrogate's encoding
      return Buffer.concat([b.subarray(0, at), Buffer.from(rng.pick([[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xfe, 0xff]])), b.subarray(at)]);
  }
}

/** A line-level edit of YAML text: duplicate, drop, swap or re-indent lines, add anchors, aliases, nesting. */
export function mutateYamlText(rng: Rng, text: string, query: () => string): string {
  const lines = text.split('\n');
  const i = rng.int(lines.length);
  const j = rng.int(lines.length);
  switch (rng.int(11)) {
    case 0: // a duplicate key (or list item)
      lines.splice(j, 0, lines[i]);
      break;
    case 1:
      lines.splice(i, 1 + rng.int(3));
      break;
    case 2:
      [lines[i], lines[j]] = [lines[j], lines[i]];
      break;
    case 3: // re-indent with spaces or a tab
      lines[i] = (rng.chance(0.5) ? rng.pick(['\t', ' ', '   ', '\t  ']) : '') + lines[i].replace(/^ {1,2}/, '');
      break;
    case 4: {
      // a snippet inside a line
      const at = rng.int(lines[i].length + 1);
      lines[i] = lines[i].slice(0, at) + rng.pick(YAML_SNIPPETS) + lines[i].slice(at);
      break;
    }
    case 5: // anchors and aliases, including ones that repeat a large anchor
      lines.push(`bomb0: &b0 [${'x, '.repeat(9)}x]`);
      for (let k = 1; k <= 1 + rng.int(9); k++) lines.push(`bomb${k}: &b${k} [${Array(10).fill(`*b${k - 1}`).join(', ')}]`);
      break;
    case 6: {
      // deep flow or block nesting
      const depth = rng.chance(0.9) ? 1 + rng.int(100) : 100 + rng.int(20000);
      lines.splice(i, 0, rng.chance(0.5) ? `deep: ${'['.repeat(depth)}${']'.repeat(depth)}` : Array.from({ length: Math.min(depth, 2000) }, (_, d) => `${' '.repeat(d)}k${d}:`).join('\n') + ' v');
      break;
    }
    case 7: {
      // replace the query with another (generated or mutated) one, as a block or a quoted scalar
      const q = query();
      const at = lines.findIndex((l) => /^query:/.test(l));
      if (at < 0) {
        lines.push(`query: ${JSON.stringify(q)}`);
        break;
      }
      let end = at + 1;
      while (end < lines.length && (/^\s/.test(lines[end]) || lines[end] === '')) end++;
      const block = rng.chance(0.7) ? ['query: |', ...q.split('\n').map((l) => `  ${l}`)] : [`query: ${JSON.stringify(q)}`];
      lines.splice(at, end - at, ...block);
      break;
    }
    case 8: // CRLF line ends
      return lines.join('\r\n');
    case 9: // a very long line
      lines.splice(i, 0, `long: ${'a'.repeat(rng.chance(0.9) ? 1000 : 200000)}`);
      break;
    default: // a second document
      lines.splice(i, 0, '---');
      break;
  }
  return lines.join('\n');
}
