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

/** The outcome of loading compiled rules without stopping at the first bad one. */
export interface RuleLoadReport {
  /** Every usable rule, in file-name order. */
  rules: RuleArtifact[];
  /** The artifact file (or `rules[i]` for parsed values) each rule came from, parallel to `rules`. */
  sources: string[];
  /** One error per file (or value) that could not be used, each naming its source. */
  errors: RuleLoadError[];
}

const reason = (err: unknown): string => {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code ?? (err as Error)?.message ?? String(err);
};

/** The artifact files a path names: a single file, or the `*.json` files of a directory (sorted). */
function artifactFiles(source: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(source).isDirectory();
  } catch (err) {
    throw new RuleLoadError(source, `cannot read compiled rules (${reason(err)})`);
  }
  if (!isDirectory) return [source];
  let entries: string[];
  try {
    entries = readdirSync(source);
  } catch (err) {
    throw new RuleLoadError(source, `cannot read the directory (${reason(err)})`);
  }
  const files = entries.filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new RuleLoadError(source, 'the directory holds no compiled rules (*.json); compile some with `ruleforge compile`');
  return files.map((f) => join(source, f));
}

/**
 * Compiled rules from a directory of artifacts (sorted by file name), a single artifact file, or values
 * already parsed (e.g. fetched from elsewhere). Each unusable artifact is reported and the others still
 * load, so one corrupt file does not take every rule down. A path that cannot be read, or a directory
 * with no artifacts, is the one error of an empty report.
 */
export function loadRulesReport(source: string | readonly unknown[]): RuleLoadReport {
  const rules: RuleArtifact[] = [];
  const sources: string[] = [];
  const errors: RuleLoadError[] = [];
  const seen = new Map<string, string>();
  const admit = (value: unknown, where: string): void => {
    try {
      const artifact = checkArtifact(value, where);
      const other = seen.get(artifact.rule.rule_id);
      if (other) throw new RuleLoadError(where, `rule_id ${artifact.rule.rule_id} is also in ${other}`);
      seen.set(artifact.rule.rule_id, where);
      rules.push(artifact);
      sources.push(where);
    } catch (err) {
      if (!(err instanceof RuleLoadError)) throw err;
      errors.push(err);
    }
  };
  if (typeof source !== 'string') {
    source.forEach((v, i) => admit(v, `rules[${i}]`));
    return { rules, sources, errors };
  }
  let files: string[];
  try {
    files = artifactFiles(source);
  } catch (err) {
    if (!(err instanceof RuleLoadError)) throw err;
    return { rules, sources, errors: [err] };
  }
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      errors.push(new RuleLoadError(file, `cannot read the file (${reason(err)})`));
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      errors.push(new RuleLoadError(file, `not readable as JSON (${(err as Error).message})`));
      continue;
    }
    admit(value, file);
  }
  return { rules, sources, errors };
}

/**
 * Compiled rules from a directory of artifacts (sorted by file name), a single artifact file, or values
 * already parsed. Throws a RuleLoadError for the first unusable one, for a path that cannot be read, and for
 * a directory without artifacts; `loadRulesReport` loads the good ones and lists every bad one instead.
 */
export function loadRules(source: string | readonly unknown[]): RuleArtifact[] {
  const report = loadRulesReport(source);
  if (report.errors.length > 0) throw report.errors[0];
  return report.rules;
}
