import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(projectRoot, 'dist', 'src', 'cli', 'main.js');

/** Runs the built CLI as a user would, in `cwd`, with `input` on stdin. */
export function runCli(args: string[], options: { cwd?: string; input?: string | Buffer; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: options.cwd ?? projectRoot, input: options.input ?? '', env: { ...process.env, ...(options.env ?? {}) } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const converse = JSON.parse(readFileSync(join(projectRoot, 'rules', 'events', 'bedrock-converse.json'), 'utf8')) as Record<string, unknown>;

/** One NDJSON line: the bundled Bedrock event with another `event.action`. */
export const eventLine = (action: string): string => JSON.stringify({ ...converse, event: { ...(converse.event as object), action } });

/** A fresh copy of the bundled dist-rules/ (4 artifacts) in a temporary directory. */
export function copyOfDistRules(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ruleforge-dist-'));
  cpSync(join(projectRoot, 'dist-rules'), dir, { recursive: true });
  return dir;
}
