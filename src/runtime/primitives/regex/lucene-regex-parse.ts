/**
 * The parser of Lucene's regular-expression syntax, with the optional operators Elasticsearch enables for the
 * `regexp` query that EQL's `regex` compiles to (intersection `&`, complement `~`, empty language `#`, any
 * string `@`, numeric intervals `<n-m>`; named automata `<name>` parse but cannot be resolved).
 *
 * The grammar is Lucene's and so are its quirks, on purpose: a pattern that Elasticsearch reads one way must
 * not silently mean something else here. Notably an operator character where an operand is expected is a
 * literal (`*a` is the two characters, `|a` too), `^` and `$` are ordinary characters, and a backslash before
 * an ASCII letter other than d, s, w (either case) is an error.
 */

/** A parsed expression. `at`/`end` delimit its text in the pattern (UTF-16 offsets), for error messages. */
export type RegexNode = { at: number; end: number } & (
  | { t: 'char'; cp: number }
  | { t: 'range'; from: number; to: number }
  | { t: 'class'; cls: 'd' | 'D' | 's' | 'S' | 'w' | 'W' }
  | { t: 'any' }
  | { t: 'anyString' }
  | { t: 'none' }
  | { t: 'string'; cps: number[] }
  | { t: 'concat'; items: RegexNode[] }
  | { t: 'union'; items: RegexNode[] }
  | { t: 'intersect'; items: RegexNode[] }
  | { t: 'complement'; arg: RegexNode }
  | { t: 'negatedClass'; items: RegexNode[] }
  | { t: 'repeat'; arg: RegexNode; min: number; max: number | null }
  | { t: 'interval'; min: number; max: number; digits: number }
);

/** A parse result: the tree, or why the pattern is invalid and where (a UTF-16 offset into the pattern). */
export type RegexParse = { ok: true; node: RegexNode } | { ok: false; reason: string; offset: number };

/** Deeper nesting than this is refused rather than risking the call stack (Lucene itself would overflow). */
export const MAX_NESTING = 500;

class Fail {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {}
}

const INT_MAX = 2147483647;
const BACKSLASH = 0x5c;

function isDigit(cp: number | undefined): boolean {
  return cp !== undefined && cp >= 0x30 && cp <= 0x39;
}

function isAsciiLetter(cp: number): boolean {
  return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}

/** Java's Integer.parseInt restricted to ASCII digits: an optional sign, at least one digit, no overflow. */
function parseJavaInt(text: string): number | undefined {
  const m = /^([+-]?)([0-9]+)$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[2]) * (m[1] === '-' ? -1 : 1);
  return value > INT_MAX || value < -INT_MAX - 1 ? undefined : value;
}

class Parser {
  pos = 0;
  depth = 0;

  constructor(private readonly s: string) {}

  more(): boolean {
    return this.pos < this.s.length;
  }

  peekCp(): number | undefined {
    return this.more() ? this.s.codePointAt(this.pos) : undefined;
  }

  peek(chars: string): boolean {
    const cp = this.peekCp();
    return cp !== undefined && cp < 0x80 && chars.includes(String.fromCharCode(cp));
  }

  match(ch: string): boolean {
    if (this.peekCp() !== ch.charCodeAt(0)) return false;
    this.pos++;
    return true;
  }

  next(): number {
    const cp = this.peekCp();
    if (cp === undefined) throw new Fail('the pattern ends where a character was expected', this.pos);
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  enter(at: number): void {
    if (++this.depth > MAX_NESTING) throw new Fail(`the pattern nests deeper than ${MAX_NESTING} levels`, at);
  }

  union(): RegexNode {
    const at = this.pos;
    const items = [this.intersection()];
    while (this.match('|')) items.push(this.intersection());
    return items.length === 1 ? items[0] : { t: 'union', items, at, end: this.pos };
  }

  intersection(): RegexNode {
    const at = this.pos;
    const items = [this.concatenation()];
    while (this.match('&')) items.push(this.concatenation());
    return items.length === 1 ? items[0] : { t: 'intersect', items, at, end: this.pos };
  }

  concatenation(): RegexNode {
    const at = this.pos;
    // The first operand is read whatever it starts with, which is what makes a leading `|` or `)` literal.
    const items = [this.repetition()];
    while (this.more() && !this.peek(')|&')) items.push(this.repetition());
    return items.length === 1 ? items[0] : { t: 'concat', items, at, end: this.pos };
  }

  repetition(): RegexNode {
    const at = this.pos;
    let node = this.complement();
    let wraps = 0;
    while (this.peek('?*+{')) {
      if (++wraps > MAX_NESTING) throw new Fail(`more than ${MAX_NESTING} repetition operators in a row`, this.pos);
      if (this.match('?')) node = { t: 'repeat', arg: node, min: 0, max: 1, at, end: this.pos };
      else if (this.match('*')) node = { t: 'repeat', arg: node, min: 0, max: null, at, end: this.pos };
      else if (this.match('+')) node = { t: 'repeat', arg: node, min: 1, max: null, at, end: this.pos };
      else {
        this.pos++; // `{`
        const n = this.integer();
        let m: number | null = n;
        if (this.match(',')) m = isDigit(this.peekCp()) ? this.integer() : null;
        if (!this.match('}')) throw new Fail('expected `}` to close the repetition count', this.pos);
        if (m !== null && n > m) throw new Fail(`the repetition range {${n},${m}} is out of order`, at);
        node = { t: 'repeat', arg: node, min: n, max: m, at, end: this.pos };
      }
    }
    return node;
  }

  integer(): number {
    const start = this.pos;
    while (isDigit(this.peekCp())) this.pos++;
    if (start === this.pos) throw new Fail('expected a number in the repetition count', this.pos);
    const value = parseJavaInt(this.s.slice(start, this.pos));
    if (value === undefined) throw new Fail('the repetition count is too large', start);
    return value;
  }

  complement(): RegexNode {
    const at = this.pos;
    if (this.match('~')) {
      this.enter(at);
      const arg = this.complement();
      this.depth--;
      return { t: 'complement', arg, at, end: this.pos };
    }
    return this.charClass();
  }

  charClass(): RegexNode {
    const at = this.pos;
    if (!this.match('[')) return this.simple();
    const negated = this.match('^');
    const items = [this.classItem()];
    while (this.more() && !this.peek(']')) items.push(this.classItem());
    if (!this.match(']')) throw new Fail('expected `]` to close the character class', this.pos);
    const end = this.pos;
    if (negated) return { t: 'negatedClass', items, at, end };
    return items.length === 1 ? items[0] : { t: 'union', items, at, end };
  }

  classItem(): RegexNode {
    const at = this.pos;
    const predefined = this.predefined();
    if (predefined) return predefined;
    const from = this.charExp();
    if (!this.match('-')) return { t: 'char', cp: from, at, end: this.pos };
    const to = this.charExp();
    if (from > to) throw new Fail('the character range is out of order (its start comes after its end)', at);
    return { t: 'range', from, to, at, end: this.pos };
  }

  /**
   * `\d \D \s \S \w \W`, or `\\`. Any other backslash is consumed and null returned, so the caller reads the
   * escaped character; a backslash before another ASCII letter is an error, as in Java regular expressions.
   */
  predefined(): RegexNode | undefined {
    const at = this.pos;
    if (!this.match('\\')) return undefined;
    const cp = this.peekCp();
    if (cp === undefined) return undefined;
    if (this.peek('dDsSwW')) {
      this.pos++;
      return { t: 'class', cls: String.fromCharCode(cp) as 'd', at, end: this.pos };
    }
    if (cp === BACKSLASH) {
      this.pos++;
      return { t: 'char', cp, at, end: this.pos };
    }
    if (isAsciiLetter(cp)) throw new Fail(`\\${String.fromCharCode(cp)} is not a known escape (only \\d \\D \\s \\S \\w \\W are)`, at);
    return undefined;
  }

  charExp(): number {
    this.match('\\');
    return this.next();
  }

  simple(): RegexNode {
    const at = this.pos;
    if (this.match('.')) return { t: 'any', at, end: this.pos };
    if (this.match('#')) return { t: 'none', at, end: this.pos };
    if (this.match('@')) return { t: 'anyString', at, end: this.pos };
    if (this.match('"')) {
      const close = this.s.indexOf('"', this.pos);
      if (close < 0) throw new Fail('expected `"` to close the literal string', this.s.length);
      const cps = Array.from(this.s.slice(this.pos, close), (c) => c.codePointAt(0) as number);
      this.pos = close + 1;
      return { t: 'string', cps, at, end: this.pos };
    }
    if (this.match('(')) {
      if (this.match(')')) return { t: 'string', cps: [], at, end: this.pos };
      this.enter(at);
      const inner = this.union();
      this.depth--;
      if (!this.match(')')) throw new Fail('expected `)` to close the group', this.pos);
      return { ...inner, at, end: this.pos };
    }
    if (this.match('<')) return this.interval(at);
    const predefined = this.predefined();
    if (predefined) return predefined;
    const cp = this.charExp();
    return { t: 'char', cp, at, end: this.pos };
  }

  interval(at: number): RegexNode {
    const close = this.s.indexOf('>', this.pos);
    if (close < 0) throw new Fail('expected `>` to close the numeric interval', this.s.length);
    const body = this.s.slice(this.pos, close);
    this.pos = close + 1;
    const dash = body.indexOf('-');
    if (dash < 0) throw new Fail(`named automata (<${body}>) are not available; write a numeric interval <n-m> or escape \\<`, at);
    const lowText = body.slice(0, dash);
    const highText = body.slice(dash + 1);
    const low = dash === 0 || dash !== body.lastIndexOf('-') ? undefined : parseJavaInt(lowText);
    const high = low === undefined ? undefined : parseJavaInt(highText);
    if (low === undefined || high === undefined) throw new Fail(`<${body}> is not a numeric interval <n-m> of non-negative integers`, at);
    // Same-width bounds fix the width (zero-padded); otherwise any number of leading zeros is allowed.
    const digits = lowText.length === highText.length ? lowText.length : 0;
    return { t: 'interval', min: Math.min(low, high), max: Math.max(low, high), digits, at, end: this.pos };
  }
}

/** Parses a Lucene regular expression (the syntax Elasticsearch's `regexp` query and EQL `regex` accept). */
export function parseLuceneRegexSyntax(pattern: string): RegexParse {
  const p = new Parser(pattern);
  try {
    if (pattern.length === 0) return { ok: true, node: { t: 'string', cps: [], at: 0, end: 0 } };
    const node = p.union();
    if (p.more()) return { ok: false, reason: `unexpected \`${String.fromCodePoint(p.peekCp() as number)}\` (nothing opened it)`, offset: p.pos };
    return { ok: true, node };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, reason: e.reason, offset: e.offset };
    throw e;
  }
}
