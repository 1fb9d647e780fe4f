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
