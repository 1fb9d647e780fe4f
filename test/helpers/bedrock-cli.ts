/**
 * What the CLI tests of threshold, new_terms and suppression share: running the built CLI, and Bedrock model
 * calls at minutes past 10:00 on 5 June 2026.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');

/** Runs `ruleforge <args>` from the project root. */
export const runCli = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: root });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** The instant `minute` minutes past 10:00 UTC on 5 June 2026. */
export const at = (minute: number): string => new Date(Date.UTC(2026, 5, 5, 10, minute)).toISOString();

/** A Bedrock InvokeModel call by `user` (none when undefined) of `model`. */
export const bedrockCall = (minute: number, user: string | undefined, model: string, outcome = 'success') => ({
  '@timestamp': at(minute),
  event: { provider: 'bedrock.amazonaws.com', action: 'InvokeModel', outcome },
  ...(user ? { user: { name: user } } : {}),
  gen_ai: { request: { model: { id: model } } },
});

/** The query every one of these rules starts from. */
export const INVOKE_QUERY = 'event.provider: "bedrock.amazonaws.com" and event.action: "InvokeModel"';
