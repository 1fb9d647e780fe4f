/**
 * `npm run fuzz`: prints JSON lines — one per input kind (inputs tried, rejected, failures), one per distinct
 * failure (with the file its minimized reproducer went to), one per size bucket (the slowest input and its
 * time per character), then a summary. Exits 1 when anything failed.
 *
 *   npm run fuzz -- [--count N] [--yaml N] [--seed N] [--out DIR] [--no-minimize]
 *   (or FUZZ_COUNT, FUZZ_YAML, FUZZ_SEED, FUZZ_OUT)
 *
 * --count is the number of KQL plus EQL queries (default 1,000,000), --yaml the number of rule files
 * (default 50,000), --out where reproducers go (default scratch/fuzz).
 */
import { join } from 'node:path';
import { runFuzz } from './fuzz.js';
import { repoRoot } from './seeds.js';

function option(name: string, env: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  const inline = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (inline) return inline.slice(name.length + 3);
  return process.env[env];
}

function count(name: string, env: string, fallback: number): number {
  const raw = option(name, env);
  if (raw === undefined) return fallback;
  const n = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`fuzz: --${name} must be a non-negative integer, found ${raw}\n`);
    process.exit(2);
  }
  return n;
}

const line = (o: Record<string, unknown>): void => {
  process.stdout.write(JSON.stringify(o) + '\n');
};
const preview = (s: string): string => (s.length > 160 ? `${s.slice(0, 120)}… (${s.length} chars)` : s);

const queries = count('count', 'FUZZ_COUNT', 1_000_000);
const yamlFiles = count('yaml', 'FUZZ_YAML', 50_000);
const seed = count('seed', 'FUZZ_SEED', 1);
const outDir = option('out', 'FUZZ_OUT') ?? join(repoRoot(), 'scratch', 'fuzz');
process.stderr.write(`fuzz: ${queries.toLocaleString('en-US')} queries (KQL and EQL) and ${yamlFiles.toLocaleString('en-US')} rule files, seed ${seed}\n`);

const summary = runFuzz({
  queries,
  yamlFiles,
  seed,
  outDir,
  minimize: !process.argv.includes('--no-minimize'),
  progress: (tried, failures) => process.stderr.write(`fuzz: kql ${tried.kql}, eql ${tried.eql}, yaml ${tried.yaml}, failures ${failures}\n`),
});

for (const [kind, s] of Object.entries(summary.stats)) {
  line({ fuzz: 'kind', kind, inputs: s.inputs, generated: s.generated, mutated: s.mutated, rejected: s.rejected, failures: s.failures, meanUs: Math.round((s.totalMs * 1000) / Math.max(1, s.inputs)) });
}
for (const f of summary.failures) {
  line({ fuzz: 'failure', kind: f.kind, class: f.finding.class, detail: f.finding.detail, count: f.count, reproducer: f.reproducer, input: preview(f.minimized ?? f.input) });
}
for (const s of summary.slowest) {
  line({ fuzz: 'slowest', kind: s.kind, bucket: s.bucket, length: s.length, ms: Number(s.ms.toFixed(2)), usPerChar: Number(s.usPerChar.toFixed(2)), input: preview(s.input) });
}
const inputs = summary.stats.kql.inputs + summary.stats.eql.inputs + summary.stats.yaml.inputs;
const failures = summary.failures.reduce((n, f) => n + f.count, 0);
line({ fuzz: 'summary', seed, seeds: summary.seedSource, inputs, failures, distinctFailures: summary.failures.length, seconds: Number(summary.seconds.toFixed(1)) });
process.exitCode = failures > 0 ? 1 : 0;
