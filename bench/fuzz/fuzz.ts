/**
 * The fuzzing loop shared by `npm run fuzz` and the unit tests' smoke run: generate (from the grammars'
 * arbitraries) and mutate (Elastic's published queries, the bundled rule files) inputs, judge each with
 * the oracle, time each, keep the slowest input per size bucket, and minimize what fails.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { eqlQuery } from './eql-arbitrary.js';
import { kqlQuery } from './kql-arbitrary.js';
import { mutateBytes, mutateQuery, mutateYamlText, Rng } from './mutate.js';
import { checkEql, checkKql, checkRuleBytes, type Finding, type InputKind, type Verdict } from './oracle.js';
import { loadSeeds, repoRoot, type Seeds } from './seeds.js';

export interface FuzzOptions {
  /** KQL plus EQL queries to try, split evenly. */
  queries: number;
  /** Rule files to try. */
  yamlFiles: number;
  seed: number;
  /** Where reproducers are written; none are written when undefined. */
  outDir?: string;
  /** Shrink failing inputs before writing them (default true). */
  minimize?: boolean;
  /** Called every few seconds with the inputs tried so far. */
  progress?: (tried: Record<InputKind, number>, failures: number) => void;
  seeds?: Seeds;
}

export interface KindStats {
  inputs: number;
  generated: number;
  mutated: number;
  rejected: number;
  failures: number;
  totalMs: number;
}

/** The slowest input seen in one size bucket (lengths in (bucket/2, bucket]). */
export interface SlowestCase {
  kind: InputKind;
  bucket: number;
  length: number;
  ms: number;
  /** Microseconds per character: flat across buckets means linear time. */
  usPerChar: number;
  input: string;
}

export interface FailureRecord {
  kind: InputKind;
  finding: Finding;
  /** How many inputs failed the same way. */
  count: number;
  input: string;
  minimized?: string;
  reproducer?: string;
}

export interface FuzzSummary {
  seed: number;
  seedSource: string;
  stats: Record<InputKind, KindStats>;
  failures: FailureRecord[];
  slowest: SlowestCase[];
  seconds: number;
}

/** A size class: the next power of two at or above the input's length. */
export function bucketOf(length: number): number {
  return length <= 1 ? 1 : 2 ** Math.ceil(Math.log2(length));
}

/** Time budget of one input: generous, but far below what quadratic behaviour costs on long inputs. */
export function timeBudgetMs(kind: InputKind, length: number): number {
  return (kind === 'yaml' ? 500 : 100) + 0.02 * length;
}

const RULE_FILE = (): string => join(repoRoot(), 'rules', 'fuzz-input.yaml');

/** The oracle for one input of a kind; rule files travel as latin1 strings so each byte survives. */
export function oracleFor(kind: InputKind): (input: string) => Verdict {
  if (kind === 'kql') return (s) => checkKql(s);
  if (kind === 'eql') return (s) => checkEql(s);
  const file = RULE_FILE();
  return (s) => checkRuleBytes(Buffer.from(s, 'latin1'), file);
}

function timeOf(check: (s: string) => Verdict, input: string): { verdict: Verdict; ms: number } {
  const started = performance.now();
  const verdict = check(input);
  return { verdict, ms: performance.now() - started };
}

/** Digits and quoted particulars removed, so one bug found a thousand ways is one failure. */
function signature(kind: InputKind, f: Finding): string {
  return `${kind}|${f.class}|${f.detail.replace(/\[[^\]]*\]|`[^`]*`|"[^"]*"|\d+/g, '#').slice(0, 120)}`;
}

/**
 * Greedy delta debugging: drop ever smaller chunks while the input still fails the same way. Bounded by
 * `budget` oracle calls, so a failure on a huge input cannot stall the run.
 */
export function minimize(input: string, stillFails: (s: string) => boolean, budget = 3000): string {
  let current = input;
  let calls = 0;
  let chunk = Math.max(1, current.length >> 1);
  while (calls < budget) {
    let removed = false;
    for (let i = 0; i < current.length && calls < budget; ) {
      const candidate = current.slice(0, i) + current.slice(i + chunk);
      calls++;
      if (stillFails(candidate)) {
        current = candidate;
        removed = true;
      } else i += chunk;
    }
    if (!removed) {
      if (chunk === 1) break;
      chunk = Math.max(1, chunk >> 1);
    }
  }
  return current;
}

/** Runs the fuzzer and returns what it found. */
export function runFuzz(options: FuzzOptions): FuzzSummary {
  const started = performance.now();
  const seeds = options.seeds ?? loadSeeds();
  const rng = new Rng(options.seed);
  const stats: Record<InputKind, KindStats> = {
    kql: { inputs: 0, generated: 0, mutated: 0, rejected: 0, failures: 0, totalMs: 0 },
    eql: { inputs: 0, generated: 0, mutated: 0, rejected: 0, failures: 0, totalMs: 0 },
    yaml: { inputs: 0, generated: 0, mutated: 0, rejected: 0, failures: 0, totalMs: 0 },
  };
  const failures = new Map<string, FailureRecord>();
  const slowest = new Map<string, SlowestCase>();
  const checks: Record<InputKind, (s: string) => Verdict> = { kql: oracleFor('kql'), eql: oracleFor('eql'), yaml: oracleFor('yaml') };
  const arbitraries = { kql: kqlQuery, eql: eqlQuery };
  const pools: Record<'kql' | 'eql', string[]> = { kql: [], eql: [] };
  let batch = 0;

  /** The next generated query of a language, from fast-check in seeded batches. */
  const generate = (language: 'kql' | 'eql'): string => {
    const pool = pools[language];
    if (pool.length === 0) pool.push(...fc.sample(arbitraries[language], { seed: options.seed * 7919 + batch++, numRuns: 500 }));
    return pool.pop()!;
  };
  const seedQuery = (language: 'kql' | 'eql'): string => rng.pick(seeds[language]);

  /** A query input: generated, a mutated published query, or a mutated generated one. */
  const nextQuery = (language: 'kql' | 'eql', kindStats?: KindStats): string => {
    const r = rng.next();
    if (r < 0.35) {
      if (kindStats) kindStats.generated++;
      return generate(language);
    }
    if (kindStats) kindStats.mutated++;
    const base = r < 0.75 ? seedQuery(language) : generate(language);
    const other = rng.chance(0.5) ? seedQuery(language) : generate(language);
    return mutateQuery(rng, base, other, language);
  };

  /** A rule-file input: line-level and byte-level edits of a bundled rule file. */
  const nextRuleFile = (): string => {
    let bytes: Uint8Array = rng.pick(seeds.yaml);
    const edits = 1 + rng.int(3);
    for (let i = 0; i < edits; i++) {
      if (rng.chance(0.6)) {
        const text = Buffer.from(bytes).toString('utf8');
        const language = /^language:\s*eql/m.test(text) ? 'eql' : 'kql';
        bytes = Buffer.from(mutateYamlText(rng, text, () => nextQuery(language)), 'utf8');
      } else bytes = mutateBytes(rng, bytes);
    }
    stats.yaml.mutated++;
    return Buffer.from(bytes).toString('latin1');
  };

  const record = (kind: InputKind, input: string, verdict: Verdict, ms: number): void => {
    const s = stats[kind];
    s.inputs++;
    s.totalMs += ms;
    if (verdict.rejected) s.rejected++;
    let finding = verdict.finding;
    const length = input.length;
    const bucket = bucketOf(length);
    const key = `${kind}|${bucket}`;
    const known = slowest.get(key);
    if (!known || ms > known.ms || ms > timeBudgetMs(kind, length)) {
      // Re-time before believing it: a garbage collection or the JIT can land on any one call.
      const again = Math.min(ms, timeOf(checks[kind], input).ms, timeOf(checks[kind], input).ms);
      if (!known || again > known.ms) slowest.set(key, { kind, bucket, length, ms: again, usPerChar: (again * 1000) / Math.max(1, length), input });
      if (!finding && again > timeBudgetMs(kind, length)) {
        finding = { class: 'slow', detail: `${again.toFixed(0)} ms for ${length} characters (budget ${timeBudgetMs(kind, length).toFixed(0)} ms)` };
      }
    }
    if (!finding) return;
    s.failures++;
    const sig = signature(kind, finding);
    const existing = failures.get(sig);
    if (existing) existing.count++;
    else failures.set(sig, { kind, finding, count: 1, input });
  };

  const total = { kql: options.queries - Math.floor(options.queries / 2), eql: Math.floor(options.queries / 2), yaml: options.yamlFiles };
  let lastProgress = performance.now();
  const kinds: InputKind[] = ['kql', 'eql', 'yaml'];
  while (kinds.some((k) => stats[k].inputs < total[k])) {
    for (const kind of kinds) {
      // Interleaved in proportion, so a short run samples every kind and a long run's order stays stable.
      const share = Math.ceil(total[kind] / Math.max(1, options.queries + options.yamlFiles) * 100);
      for (let i = 0; i < share && stats[kind].inputs < total[kind]; i++) {
        const input = kind === 'yaml' ? nextRuleFile() : nextQuery(kind, stats[kind]);
        const { verdict, ms } = timeOf(checks[kind], input);
        record(kind, input, verdict, ms);
      }
    }
    if (options.progress && performance.now() - lastProgress > 10_000) {
      lastProgress = performance.now();
      options.progress({ kql: stats.kql.inputs, eql: stats.eql.inputs, yaml: stats.yaml.inputs }, [...failures.values()].reduce((n, f) => n + f.count, 0));
    }
  }

  const found = [...failures.values()];
  if (options.outDir !== undefined) mkdirSync(options.outDir, { recursive: true });
  found.forEach((f, n) => {
    if (options.minimize !== false && f.finding.class !== 'slow') {
      const check = checks[f.kind];
      const sig = signature(f.kind, f.finding);
      f.minimized = minimize(f.input, (candidate) => {
        const v = check(candidate);
        return v.finding !== undefined && signature(f.kind, v.finding) === sig;
      });
    }
    if (options.outDir !== undefined) {
      const base = join(options.outDir, `${f.kind}-${n + 1}`);
      const ext = f.kind === 'yaml' ? 'yaml' : f.kind;
      const encoding = f.kind === 'yaml' ? 'latin1' : 'utf8';
      writeFileSync(`${base}.${ext}`, f.minimized ?? f.input, encoding);
      writeFileSync(`${base}.original.${ext}`, f.input, encoding);
      f.reproducer = `${base}.${ext}`;
    }
  });

  const slow = [...slowest.values()].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.bucket - b.bucket));
  return { seed: options.seed, seedSource: seeds.source, stats, failures: found, slowest: slow, seconds: (performance.now() - started) / 1000 };
}
