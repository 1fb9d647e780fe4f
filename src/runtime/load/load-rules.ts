/**
 * Loading compiled rules (`dist-rules/*.json`) for the engine. Uses only Node's file system module, so the
 * runtime stays free of npm dependencies.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACT_VERSION, type RuleArtifact } from '../../ir/artifact.js';
import { IR_VERSION } from '../../ir/types.js';

/** A compiled rule that cannot be used, with the file it came from. */
export class RuleLoadError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'RuleLoadError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the shape the engine relies on; throws a RuleLoadError naming what is wrong. */
export function checkArtifact(value: unknown, source: string): RuleArtifact {
  if (!isObject(value)) throw new RuleLoadError(source, 'a compiled rule must be a JSON object');
  if (value.artifactVersion !== ARTIFACT_VERSION) throw new RuleLoadError(source, `artifact version ${String(value.artifactVersion)} is not supported (this runtime reads version ${ARTIFACT_VERSION}); recompile the rules`);
  const ir = value.ir;
  if (!isObject(ir) || ir.irVersion !== IR_VERSION || !isObject(ir.predicate)) throw new RuleLoadError(source, `the IR is missing or of another version (expected ${IR_VERSION}); recompile the rules`);
  const rule = value.rule;
  if (!isObject(rule) || typeof rule.rule_id !== 'string' || typeof rule.name !== 'string') throw new RuleLoadError(source, 'the rule has no rule_id or name');
  return value as unknown as RuleArtifact;
}

/**
 * Compiled rules from a directory of artifacts (sorted by file name), a single artifact file, or values
 * already parsed (e.g. fetched from elsewhere). Throws a RuleLoadError for the first unusable one.
 */
export function loadRules(source: string | readonly unknown[]): RuleArtifact[] {
  if (typeof source !== 'string') return source.map((v, i) => checkArtifact(v, `rules[${i}]`));
  const files = statSync(source).isDirectory()
    ? readdirSync(source)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(source, f))
    : [source];
  const out: RuleArtifact[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new RuleLoadError(file, `not readable as JSON (${(err as Error).message})`);
    }
    const artifact = checkArtifact(value, file);
    const other = seen.get(artifact.rule.rule_id);
    if (other) throw new RuleLoadError(file, `rule_id ${artifact.rule.rule_id} is also in ${other}`);
    seen.set(artifact.rule.rule_id, file);
    out.push(artifact);
  }
  return out;
}
