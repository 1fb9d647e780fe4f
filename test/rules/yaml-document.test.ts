import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadYamlDocument, type YamlDocument } from '../../src/rules/yaml-document.js';

function load(text: string): YamlDocument {
  const r = loadYamlDocument(text, 'rule.yaml');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.doc;
}

function problems(text: string) {
  const r = loadYamlDocument(text, 'rule.yaml');
  return r.ok ? [] : r.diagnostics;
}

describe('loadYamlDocument: positions', () => {
  const text = 'name: x\nthreat:\n  - tactic:\n      id: TA0040\nlist: [a, "b"]\n';
  const doc = load(text);
  it('locates values and their keys', () => {
    const name = doc.span(['name'])!;
    expect(text.slice(name.start, name.end)).toBe('x');
    expect(text.slice(name.keyStart, name.keyEnd)).toBe('name');
    const id = doc.span(['threat', 0, 'tactic', 'id'])!;
    expect(text.slice(id.start, id.end)).toBe('TA0040');
    expect(text.slice(doc.span(['list', 1])!.start, doc.span(['list', 1])!.end)).toBe('b');
  });
  it('falls back to the nearest existing parent', () => {
    const s = doc.nearestSpan(['threat', 0, 'tactic', 'name']);
    expect(text.slice(s.keyStart, s.keyEnd)).toBe('tactic');
  });
  it('builds diagnostics with file, line and column', () => {
    const s = doc.span(['threat', 0, 'tactic', 'id'])!;
    const d = doc.diagnostic(s.start, s.end, { code: 'x/y', message: 'm' });
    expect(d).toMatchObject({ file: 'rule.yaml', line: 4, column: 11, endLine: 4, endColumn: 17, severity: 'error' });
  });
  it('keeps `__proto__` keys as data, never as the prototype', () => {
    const d = load('__proto__: {polluted: 1}\n');
    expect(Object.getPrototypeOf(d.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('loadYamlDocument: offsets inside scalars', () => {
  const at = (text: string, needle: string) => {
    const doc = load(text);
    const value = (doc.value as { q: string }).q;
    const i = value.indexOf(needle);
    return text.slice(doc.fileOffset(['q'], i), doc.fileOffset(['q'], i) + needle.length);
  };
  it('maps literal block scalars line by line', () => {
    expect(at('q: |\n  a: 1 and\n    bad: "x"\n', 'bad')).toBe('bad');
  });
  it('maps folded block scalars across folded line breaks', () => {
    expect(at('q: >\n  one\n  two\n\n  three four\n', 'four')).toBe('four');
  });
  it('maps double-quoted scalars past escapes', () => {
    expect(at('q: "say \\"hi\\" then \\u00e9 then target"\n', 'target')).toBe('target');
  });
  it('maps single-quoted scalars past doubled quotes', () => {
    expect(at("q: 'it''s the target'\n", 'target')).toBe('target');
  });
  it('maps every character of plain single-line values to itself (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9 :._*]{0,40}[a-z0-9]$/), (value) => {
        const text = `q: ${value}\n`;
        const r = loadYamlDocument(text, 'f.yaml');
        // Some generated texts are not plain scalars (`a: b`) or read as another type (`1e3`).
        if (!r.ok || (r.doc.value as { q: unknown }).q !== value) return true;
        const doc = r.doc;
        for (let i = 0; i < value.length; i++) expect(text[doc.fileOffset(['q'], i)]).toBe(value[i]);
        return true;
      }),
    );
  });
});

describe('loadYamlDocument: rejected documents', () => {
  it('reports duplicate keys at the second occurrence', () => {
    const [d] = problems('name: a\nrisk_score: 1\nname: b\n');
    expect(d).toMatchObject({ code: 'yaml/duplicate-key', line: 3, column: 1 });
    expect(d.message).toMatch(/first on line 1/);
  });
  it('reports duplicate keys in nested mappings', () => {
    expect(problems('a:\n  b: 1\n  b: 2\n')[0]).toMatchObject({ code: 'yaml/duplicate-key', line: 3 });
  });
  it('rejects alias bombs before expanding them', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) lines.push(`${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(10).fill(`*${'abcdefghij'[i - 1]}`).join(', ')}]`);
    const started = performance.now();
    const [d] = problems(lines.join('\n') + '\n');
    expect(d.code).toBe('yaml/alias-expansion');
    expect(performance.now() - started).toBeLessThan(2000);
  });
  it('accepts small aliases', () => {
    expect((load('a: &x {k: 1}\nb: *x\n').value as { b: { k: number } }).b.k).toBe(1);
  });
  it('rejects several documents in one file', () => {
    expect(problems('a: 1\n---\nb: 2\n')[0].code).toBe('yaml/multiple-documents');
  });
  it('rejects absurd nesting', () => {
    expect(problems(`a: ${'['.repeat(500)}${']'.repeat(500)}\n`)[0].code).toBe('yaml/too-deep');
  });
  it('explains tabs and unclosed quotes with a located syntax error', () => {
    const [tab] = problems('a:\n\t- b\n');
    expect(tab).toMatchObject({ code: 'yaml/syntax', line: 2 });
    expect(tab.hint).toMatch(/spaces/);
    expect(problems('a: "open\n')[0].code).toBe('yaml/syntax');
  });
  it('never throws on random text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const r = loadYamlDocument(text, 'f.yaml');
        if (!r.ok) for (const d of r.diagnostics) expect(d.line).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});
