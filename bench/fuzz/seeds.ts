/** Seed inputs for the mutators: Elastic's published KQL and EQL queries, and the bundled rule files. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EQL_SEEDS } from './eql-arbitrary.js';
import { KQL_SEEDS } from './kql-arbitrary.js';

/** The repository root, from this file's place in the source tree or in dist/. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export interface Seeds {
  kql: string[];
  eql: string[];
  yaml: Uint8Array[];
  /** Where the queries came from. */
  source: string;
}

/** Loads the seeds; without ../shared the built-in query lists stand in. */
export function loadSeeds(root = repoRoot()): Seeds {
  const corpus = join(root, '..', 'shared', 'corpus', 'rules', 'queries.jsonl');
  const kql: string[] = [];
  const eql: string[] = [];
  let source = 'built-in seed lists';
  if (existsSync(corpus)) {
    for (const line of readFileSync(corpus, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const rule = JSON.parse(line) as { language?: string; query?: unknown };
      if (typeof rule.query !== 'string') continue;
      if (rule.language === 'kuery') kql.push(rule.query);
      else if (rule.language === 'eql') eql.push(rule.query);
    }
    source = corpus;
  }
  if (kql.length === 0) kql.push(...KQL_SEEDS);
  if (eql.length === 0) eql.push(...EQL_SEEDS);
  const rulesDir = join(root, 'rules');
  const yaml = existsSync(rulesDir)
    ? readdirSync(rulesDir)
        .filter((f) => f.endsWith('.yaml') && f !== 'ruleforge.yaml')
        .sort()
        .map((f) => readFileSync(join(rulesDir, f)))
    : [];
  if (yaml.length === 0) yaml.push(Buffer.from(`name: Seed rule\nrule_id: 00000000-0000-4000-8000-000000000001\ntype: query\nlanguage: kuery\nindex: [logs-*]\ndescription: A seed.\nquery: ${JSON.stringify(KQL_SEEDS[0])}\nrisk_score: 47\nseverity: medium\nauthor: [fuzz]\n`));
  return { kql, eql, yaml, source };
}
