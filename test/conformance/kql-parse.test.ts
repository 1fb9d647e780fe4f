import { describe, expect, it } from 'vitest';
import { parseKql, parseKqlLiteral } from '../../src/kql/parse.js';
import { fromAst, parseNotation, printNotation, printNotationValue, valueNotation } from '../helpers/kql-notation.js';
import { hasShared, noteSkipped, readSharedJson } from '../helpers/shared.js';

interface ParseCase {
  query: string;
  source: string;
  start_rule?: 'Literal';
  kibana_valid: boolean;
  kibana_ast?: string;
  kibana_error?: string;
}

noteSkipped('KQL parse conformance (corpus/kql/parse_cases.json)');
const cases: ParseCase[] = hasShared() ? readSharedJson<ParseCase[]>('corpus/kql/parse_cases.json') : [];

describe.skipIf(!hasShared())('KQL parse conformance with Kibana', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(0));

  it.each(cases.map((c, i) => [i, c.query, c] as const))('case %i: %j', (_i, _q, c) => {
    if (c.start_rule === 'Literal') {
      const r = parseKqlLiteral(c.query);
      expect(r.ok).toBe(c.kibana_valid);
      if (r.ok && c.kibana_ast !== undefined) expect(valueNotation(r.ast)).toBe(printNotationValue(parseNotation(c.kibana_ast).value ?? null));
      return;
    }
    const r = parseKql(c.query);
    expect(r.ok).toBe(c.kibana_valid);
    if (r.ok) {
      if (c.kibana_ast !== undefined) expect(printNotation(fromAst(r.ast))).toBe(printNotation(parseNotation(c.kibana_ast).node!));
    } else {
      expect(r.diagnostics).toHaveLength(1);
      expect(r.diagnostics[0].code).toBe('kql/syntax');
      if (c.kibana_error !== undefined) expect(r.diagnostics[0].message).toBe(c.kibana_error);
    }
  });
});
