import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/compile-query.js';
import { parseKql } from '../../src/kql/parse.js';
import { printKql } from '../../src/kql/print.js';
import { hasShared, noteSkipped, readSharedJsonLines } from '../helpers/shared.js';

interface RuleRow {
  path: string;
  name: string;
  language: string | null;
  query: string | null;
}

noteSkipped("KQL rule queries (corpus/rules/queries.jsonl)");
const rows = hasShared() ? readSharedJsonLines<RuleRow>('corpus/rules/queries.jsonl').filter((r) => r.language === 'kuery' && r.query !== null) : [];

describe.skipIf(!hasShared())("every kuery query of Elastic's published rules", () => {
  it('has queries', () => expect(rows.length).toBeGreaterThan(100));

  it('parses, prints back to the same tree, and compiles', () => {
    const failures: string[] = [];
    for (const row of rows) {
      const parsed = parseKql(row.query!);
      if (!parsed.ok) {
        failures.push(`${row.path}: ${parsed.diagnostics[0].message}`);
        continue;
      }
      const printed = printKql(parsed.ast);
      const again = parseKql(printed);
      if (!again.ok || printKql(again.ast) !== printed) failures.push(`${row.path}: print round trip changed the query`);
      const compiled = compileQuery(row.query!, { language: 'kuery' });
      if (!compiled.ok) failures.push(`${row.path}: ${compiled.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
    }
    expect(failures).toEqual([]);
  });
});
