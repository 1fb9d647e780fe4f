import { SymbolKind } from 'vscode-languageserver';
import type { YamlDocument } from '../rules/yaml-document.js';

/** One outline entry, in file offsets (the server converts them to positions). */
export interface RuleSymbol {
  name: string;
  detail?: string;
  kind: SymbolKind;
  start: number;
  end: number;
  selectionStart: number;
  selectionEnd: number;
  children: RuleSymbol[];
}

/** The outline of a rule file: the rule (by name) holding its query and each test example. */
export function ruleSymbols(doc: YamlDocument): RuleSymbol[] {
  const value = doc.value as Record<string, unknown> | null;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const whole = doc.span([]);
  const nameSpan = doc.span(['name']);
  const children: RuleSymbol[] = [];
  const entry = (path: (string | number)[], name: string, kind: SymbolKind, detail?: string): RuleSymbol | undefined => {
    const span = doc.span(path);
    if (!span) return undefined;
    const start = span.keyStart ?? span.start;
    return { name, kind, start, end: span.end, selectionStart: start, selectionEnd: span.keyEnd ?? span.end, children: [], ...(detail ? { detail } : {}) };
  };
  const query = entry(['query'], 'query', SymbolKind.String, typeof value.language === 'string' ? value.language : undefined);
  if (query) children.push(query);
  if (Array.isArray(value.tests)) {
    const tests = entry(['tests'], 'tests', SymbolKind.Array, `${value.tests.length} example${value.tests.length === 1 ? '' : 's'}`);
    if (tests) {
      value.tests.forEach((t, i) => {
        const name = t && typeof t === 'object' && typeof (t as { name?: unknown }).name === 'string' ? (t as { name: string }).name : `example ${i + 1}`;
        const expect = t && typeof t === 'object' ? (t as { expect?: unknown }).expect : undefined;
        const child = entry(['tests', i], name, SymbolKind.Event, typeof expect === 'string' ? expect : undefined);
        if (child) tests.children.push(child);
      });
      children.push(tests);
    }
  }
  const ruleName = typeof value.name === 'string' ? value.name : 'rule';
  const start = whole?.start ?? 0;
  return [
    {
      name: ruleName,
      kind: SymbolKind.Module,
      ...(typeof value.type === 'string' ? { detail: value.type } : {}),
      start,
      end: whole?.end ?? doc.text.length,
      selectionStart: nameSpan?.start ?? start,
      selectionEnd: nameSpan?.end ?? start,
      children,
    },
  ];
}
