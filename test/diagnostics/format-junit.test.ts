import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { diagnosticsToJunitFailures, formatJunit, type JunitSuite } from '../../src/diagnostics/format-junit.js';

interface XmlElement { name: string; attrs: Record<string, string>; children: XmlElement[]; text: string }

/** Code points XML 1.0 allows (production [2] Char). */
const legalChar = (cp: number): boolean => cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);

/**
 * A strict little XML 1.0 reader for this test (the project has no XML dependency): it throws on anything not
 * well-formed that a JUnit writer could plausibly produce, and decodes attributes and text as a real parser would.
 */
function parseXml(doc: string): XmlElement {
  for (let i = 0; i < doc.length; i++) {
    const cp = doc.codePointAt(i)!;
    if (!legalChar(cp)) throw new Error(`illegal character U+${cp.toString(16)} at ${i}`);
    if (cp > 0xffff) i++;
  }
  const prolog = '<?xml version="1.0" encoding="UTF-8"?>';
  if (!doc.startsWith(prolog)) throw new Error('missing XML declaration');
  let pos = prolog.length;
  const decode = (raw: string, where: string): string => {
    if (/<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(raw)) throw new Error(`raw < or bad entity in ${where}: ${JSON.stringify(raw)}`);
    return raw.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_all, e: string) => {
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (named[e] !== undefined) return named[e];
      const cp = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (!legalChar(cp)) throw new Error(`reference to illegal character ${e}`);
      return String.fromCodePoint(cp);
    });
  };
  const skipSpace = () => {
    while (/[ \t\r\n]/.test(doc[pos] ?? '')) pos++;
  };
  const element = (): XmlElement => {
    const open = /^<([A-Za-z_][\w.-]*)/.exec(doc.slice(pos));
    if (!open) throw new Error(`expected element at ${pos}: ${JSON.stringify(doc.slice(pos, pos + 30))}`);
    const el: XmlElement = { name: open[1], attrs: {}, children: [], text: '' };
    pos += open[0].length;
    for (;;) {
      const before = pos;
      skipSpace();
      if (doc.startsWith('/>', pos)) return (pos += 2), el;
      if (doc[pos] === '>') {
        pos++;
        break;
      }
      if (pos === before) throw new Error(`expected whitespace before attribute at ${pos}`);
      const attr = /^([A-Za-z_][\w.-]*)="([^"]*)"/.exec(doc.slice(pos));
      if (!attr) throw new Error(`bad attribute at ${pos}: ${JSON.stringify(doc.slice(pos, pos + 30))}`);
      if (attr[1] in el.attrs) throw new Error(`duplicate attribute ${attr[1]}`);
      // Attribute-value normalisation: literal whitespace becomes a space, references survive.
      el.attrs[attr[1]] = decode(attr[2].replace(/[\t\n\r]/g, ' '), `attribute ${attr[1]}`);
      pos += attr[0].length;
    }
    for (;;) {
      const lt = doc.indexOf('<', pos);
      if (lt < 0) throw new Error(`unclosed <${el.name}>`);
      const raw = doc.slice(pos, lt);
      if (raw.includes(']]>')) throw new Error(']]> in character data');
      el.text += decode(raw.replace(/\r\n?/g, '\n'), `text of ${el.name}`);
      pos = lt;
      if (doc.startsWith('</', pos)) {
        const close = `</${el.name}>`;
        if (!doc.startsWith(close, pos)) throw new Error(`mismatched close at ${pos}, expected ${close}`);
        pos += close.length;
        return el;
      }
      if (doc.startsWith('<!', pos) || doc.startsWith('<?', pos)) throw new Error('unexpected markup declaration');
      el.children.push(element());
    }
  };
  skipSpace();
  const root = element();
  skipSpace();
  if (pos !== doc.length) throw new Error(`content after the root element at ${pos}`);
  return root;
}

const all = (el: XmlElement, name: string): XmlElement[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];

const suites: JunitSuite[] = [
  {
    name: 'kql',
    cases: [
      { name: 'parses', classname: 'kql.parse', file: 'test/kql.ts', timeMs: 12 },
      { name: 'rejects', classname: 'kql.parse', timeMs: 1500, failures: [{ message: 'expected 1', type: 'assert' }, { message: 'expected 2', type: 'assert', text: 'detail' }] },
      { name: 'later', classname: 'kql.parse', skipped: 'not yet' },
    ],
  },
  { name: 'eql', timeMs: 2000.4, cases: [{ name: 'seq', classname: 'eql', timeMs: 5, systemOut: 'log line\n' }, { name: 'bad', classname: 'eql', failures: [{ message: 'boom', type: 'Error' }] }] },
];

describe('formatJunit', () => {
  it('writes the declaration, root counts and per-suite counts', () => {
    const xml = formatJunit(suites, { name: 'ruleforge test' });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    // kql sums its cases (12 + 1500 ms); eql has an explicit time.
    expect(root.attrs).toEqual({ name: 'ruleforge test', tests: '5', failures: '2', errors: '0', skipped: '1', time: '3.512' });
    expect(root.children.map((s) => s.attrs)).toEqual([
      { name: 'kql', tests: '3', failures: '1', errors: '0', skipped: '1', time: '1.512' },
      { name: 'eql', tests: '2', failures: '1', errors: '0', skipped: '0', time: '2.000' },
    ]);
  });

  it('writes test cases with file and time, one <failure> per failure, <skipped> and <system-out>', () => {
    const root = parseXml(formatJunit(suites));
    expect(root.attrs.name).toBe('ruleforge');
    const [kql, eql] = root.children;
    expect(kql.children.map((c) => c.attrs)).toEqual([
      { name: 'parses', classname: 'kql.parse', file: 'test/kql.ts', time: '0.012' },
      { name: 'rejects', classname: 'kql.parse', time: '1.500' },
      { name: 'later', classname: 'kql.parse', time: '0.000' },
    ]);
    const failures = kql.children[1].children;
    expect(failures.map((f) => [f.name, f.attrs, f.text])).toEqual([
      ['failure', { message: 'expected 1', type: 'assert' }, ''],
      ['failure', { message: 'expected 2', type: 'assert' }, 'detail'],
    ]);
    expect(kql.children[2].children.map((c) => [c.name, c.attrs])).toEqual([['skipped', { message: 'not yet' }]]);
    expect(eql.children[0].children.map((c) => [c.name, c.text])).toEqual([['system-out', 'log line\n']]);
  });

  it('gives a case without failures no <failure> element at all', () => {
    const xml = formatJunit([{ name: 's', cases: [{ name: 'ok', classname: 'c' }, { name: 'empty list', classname: 'c', failures: [] }] }]);
    const root = parseXml(xml);
    expect(all(root, 'failure')).toHaveLength(0);
    expect(root.children[0].children.map((c) => c.children)).toEqual([[], []]);
    expect(root.attrs.failures).toBe('0');
    expect(xml).not.toContain('<failure');
  });

  it('is well-formed for no suites and for a suite with no cases', () => {
    expect(parseXml(formatJunit([])).attrs).toEqual({ name: 'ruleforge', tests: '0', failures: '0', errors: '0', skipped: '0', time: '0.000' });
    expect(parseXml(formatJunit([{ name: 'none', cases: [] }])).children[0].attrs.tests).toBe('0');
  });

  it('treats negative or non-finite times as zero', () => {
    const root = parseXml(formatJunit([{ name: 's', cases: [{ name: 'a', classname: 'c', timeMs: Number.NaN }, { name: 'b', classname: 'c', timeMs: -5 }, { name: 'c', classname: 'c', timeMs: 100 }] }]));
    expect(root.children[0].children.map((c) => c.attrs.time)).toEqual(['0.000', '0.000', '0.100']);
    expect(root.attrs.time).toBe('0.100');
  });

  it('escapes hostile names and drops characters XML 1.0 cannot carry, keeping emoji and line breaks', () => {
    const hostile = `<>&"' \u0000\u0001\u0008\u000b\u001b\uFFFE\uFFFF\uD800x\uDC00 🚨 ]]> end`;
    const cleaned = `<>&"' x 🚨 ]]> end`;
    const xml = formatJunit(
      [
        {
          name: hostile,
          cases: [
            {
              name: hostile,
              classname: hostile,
              file: hostile,
              failures: [{ message: `line 1\r\nline\t2\n${hostile}`, type: hostile, text: `a ]]> b\r\n${hostile}` }],
              skipped: hostile,
              systemOut: `]]>${hostile}\r`,
            },
          ],
        },
      ],
      { name: hostile },
    );
    expect(xml).not.toContain(']]>');
    expect(xml).not.toContain('CDATA');
    const root = parseXml(xml);
    const c = root.children[0].children[0];
    expect(root.attrs.name).toBe(cleaned);
    expect(root.children[0].attrs.name).toBe(cleaned);
    expect(c.attrs).toEqual({ name: cleaned, classname: cleaned, file: cleaned, time: '0.000' });
    const [failure, skipped, out] = c.children;
    expect(failure.attrs).toEqual({ message: `line 1\r\nline\t2\n${cleaned}`, type: cleaned });
    expect(failure.text).toBe(`a ]]> b\r\n${cleaned}`);
    expect(skipped.attrs.message).toBe(cleaned);
    expect(out.text).toBe(`]]>${cleaned}\r`);
  });

  it('stays well-formed and faithful for arbitrary UTF-16 strings', () => {
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
    const anyText = fc.oneof(fc.string({ unit: codeUnit, maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }));
    const strip = (s: string) => [...s].filter((ch) => legalChar(ch.codePointAt(0)!)).join('');
    fc.assert(
      fc.property(anyText, anyText, anyText, (name, message, text) => {
        const root = parseXml(formatJunit([{ name, cases: [{ name, classname: name, failures: [{ message, type: name, text }] }] }], { name }));
        const c = root.children[0].children[0];
        expect(root.attrs.name).toBe(strip(name));
        expect(c.attrs.name).toBe(strip(name));
        expect(c.children[0].attrs.message).toBe(strip(message));
        // A real parser reports CR LF in text as LF only when the CR is literal; ours are references, so they survive.
        expect(c.children[0].text).toBe(strip(text));
      }),
    );
  });
});

describe('diagnosticsToJunitFailures', () => {
  const diags: Diagnostic[] = [
    { file: 'rules/a.yaml', line: 2, column: 5, endLine: 2, endColumn: 9, severity: 'error', code: 'kql/syntax', message: 'Expected value', hint: 'quote it', source: 'x: (' },
    { file: 'rules/b.yaml', line: 7, column: 1, endLine: 7, endColumn: 3, severity: 'warning', code: 'rule/risk-score-band', message: 'risk too high' },
    { line: 1, column: 1, endLine: 1, endColumn: 2, severity: 'info', code: 'note/x', message: 'fyi' },
    { line: 3, column: 4, endLine: 3, endColumn: 5, severity: 'error', code: 'file/not-found', message: 'No such file' },
  ];

  it('turns errors into failures with location, code and hint', () => {
    expect(diagnosticsToJunitFailures(diags)).toEqual([
      { message: 'rules/a.yaml:2:5 kql/syntax: Expected value', type: 'kql/syntax', text: 'Expected value\nhint: quote it' },
      { message: '<input>:3:4 file/not-found: No such file', type: 'file/not-found', text: 'No such file' },
    ]);
  });

  it('adds warnings only when strict, and never info', () => {
    expect(diagnosticsToJunitFailures(diags, false)?.map((f) => f.type)).toEqual(['kql/syntax', 'file/not-found']);
    expect(diagnosticsToJunitFailures(diags, true)?.map((f) => f.type)).toEqual(['kql/syntax', 'rule/risk-score-band', 'file/not-found']);
    expect(diagnosticsToJunitFailures([diags[2]], true)).toEqual([]);
  });

  it('feeds formatJunit: failures appear as elements and are counted', () => {
    const xml = formatJunit([{ name: 'validate', cases: [{ name: 'a', classname: 'rules/a.yaml', failures: diagnosticsToJunitFailures(diags, true) }, { name: 'b', classname: 'rules/b.yaml', failures: diagnosticsToJunitFailures([diags[2]]) }] }]);
    const root = parseXml(xml);
    expect(all(root, 'failure').map((f) => f.attrs.type)).toEqual(['kql/syntax', 'rule/risk-score-band', 'file/not-found']);
    expect(root.attrs).toMatchObject({ tests: '2', failures: '1' });
    expect(xml).not.toContain('x: (');
  });
});
