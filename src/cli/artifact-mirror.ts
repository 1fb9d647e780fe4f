import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { artifactName, type ArtifactFile } from '../rules/compile-rule.js';
import type { CheckedRule } from '../rules/validate.js';

/**
 * What `compile` may change in its output directory. The directory mirrors only the rules this compile
 * actually read: an artifact is written when its rule compiled, and removed only when its rule was read
 * and no longer compiles to anything, or when its source file is gone from a directory this compile walked
 * completely. Nothing is removed for a rule that could not be read or has errors (its last good artifact
 * stays), for a path that does not exist, or for files that `compile` did not write.
 */
export interface MirrorPlan {
  /** Artifacts whose bytes differ from what the directory holds. */
  stale: string[];
  /** Artifacts the directory lacks. */
  missing: string[];
  /** Artifacts compile removes: their rule is deleted, renamed, or no longer compiles. */
  extra: string[];
  /** JSON files that are not ruleforge artifacts: never removed, only reported. */
  foreign: string[];
  /** Artifacts kept although their rule did not compile this time (the rule has errors). */
  kept: string[];
}

/** What a compile of `paths` with these outcomes would change in `dir`. */
export function planMirror(
  dir: string,
  input: { paths: readonly string[]; checked: readonly CheckedRule[]; artifacts: readonly ArtifactFile[]; pathProblems: boolean },
  cwd = process.cwd(),
): MirrorPlan {
  const present = existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  const wanted = new Map(input.artifacts.map((a) => [a.name, a.content]));
  const plan: MirrorPlan = { stale: [], missing: [], extra: [], foreign: [], kept: [] };
  for (const [name, content] of wanted) {
    if (!present.includes(name)) plan.missing.push(name);
    else if (readFileSync(join(dir, name), 'utf8') !== content) plan.stale.push(name);
  }
  // Rules read this time, by resolved path: with errors (their artifacts are protected) or without.
  const withErrors = new Set<string>();
  const readClean = new Set<string>();
  for (const c of input.checked) {
    const failed = c.diagnostics.some((d) => d.severity === 'error');
    (failed ? withErrors : readClean).add(resolve(cwd, c.file));
  }
  // Directories walked in full; a single file or a missing path lets compile remove nothing else.
  const walked = input.pathProblems ? [] : input.paths.map((p) => resolve(cwd, p)).filter((p) => existsSync(p) && statSync(p).isDirectory());
  const inWalked = (file: string): boolean => walked.some((d) => file === d || file.startsWith(d.endsWith(sep) ? d : d + sep));
  for (const name of present) {
    if (wanted.has(name)) continue;
    const source = artifactSourceFile(join(dir, name));
    if (source === undefined) {
      plan.foreign.push(name);
      continue;
    }
    const file = resolve(cwd, source);
    if (withErrors.has(file)) plan.kept.push(name);
    else if (readClean.has(file) && artifactName(file) === name) plan.extra.push(name);
    else if (!readClean.has(file) && inWalked(file) && !existsSync(file)) plan.extra.push(name);
  }
  for (const list of Object.values(plan)) (list as string[]).sort();
  return plan;
}

/** The rule file an artifact was compiled from, or undefined when the file is not a ruleforge artifact. */
function artifactSourceFile(path: string): string | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as { artifactVersion?: unknown; source?: { file?: unknown } };
    if (typeof value.artifactVersion !== 'number' || typeof value.source?.file !== 'string') return undefined;
    return value.source.file;
  } catch {
    return undefined;
  }
}

/** `dir/name` for messages, relative to the working directory when inside it. */
export const shown = (dir: string, name: string, cwd = process.cwd()): string => {
  const rel = relative(cwd, join(dir, name));
  return rel.startsWith('..') ? join(dir, name) : rel;
};
