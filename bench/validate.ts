/** `validate` over a large rule library: Elastic's published rules (twice, as 2,000+ distinct files) when present. */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { validateRules } from '../src/rules/validate.js';
import { corpusRuleYaml, type CorpusRuleRow } from './corpus-rules.js';

type Emit = (bench: string, value: number, unit: string, baseline: number, extra?: Record<string, unknown>) => void;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = join(root, '..', 'shared', 'corpus', 'rules', 'queries.jsonl');

/** Writes the rule library to a temporary directory: the corpus twice over, or the bundled rules many times. */
function writeLibrary(target: number): { dir: string; source: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ruleforge-bench-rules-'));
  if (existsSync(corpus)) {
    const rows = readFileSync(corpus, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CorpusRuleRow);
    let n = 0;
    for (let copy = 0; n < target; copy++) {
      for (const row of rows) {
        writeFileSync(join(dir, `${String(n).padStart(5, '0')}_${basename(row.path, '.toml')}.yaml`), corpusRuleYaml(row, copy === 0 ? '' : ` (copy ${copy})`));
        if (++n >= target) break;
      }
    }
    return { dir, source: `../shared/corpus/rules (${rows.length} rules, repeated)` };
  }
  const bundled = readdirSync(join(root, 'rules')).filter((f) => f.endsWith('.yaml'));
  for (let n = 0; n < target; n++) {
    const file = bundled[n % bundled.length];
    const text = readFileSync(join(root, 'rules', file), 'utf8').replace(/^rule_id: .*$/m, `rule_id: bench-${n}`).replace(/^name: (.*)$/m, `name: $1 ${n}`).replace(/^tests:[\s\S]*$/m, '');
    writeFileSync(join(dir, `${n}_${file}`), text);
  }
  return { dir, source: 'bundled rules (repeated; ../shared is absent)' };
}

/** Times `validateRules` over 2,000+ rule files against plain YAML loading of the same files. */
export function benchValidate(emit: Emit): void {
  const { dir, source } = writeLibrary(2200);
  try {
    const files = readdirSync(dir).map((f) => join(dir, f));
    const started = performance.now();
    for (const f of files) load(readFileSync(f, 'utf8'));
    const yamlMs = performance.now() - started;
    const t0 = performance.now();
    const result = validateRules([dir]);
    const validateMs = performance.now() - t0;
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    emit('rules.validate.2200-files', validateMs, 'ms', yamlMs, { rules: result.rules, errors, targetMs: 5000, source, baselineName: 'js-yaml load of the same files' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
