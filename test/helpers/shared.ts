import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared beside the project root, where the conformance corpus lives (absent in a user's clone). */
export const SHARED_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared');

/** True when the shared corpus is present. */
export function hasShared(): boolean {
  return existsSync(join(SHARED_DIR, 'corpus'));
}

/** Reads and parses a JSON file of the shared corpus. */
export function readSharedJson<T>(relativePath: string): T {
  return JSON.parse(readFileSync(join(SHARED_DIR, relativePath), 'utf8')) as T;
}

/** Reads a JSON-lines file of the shared corpus. */
export function readSharedJsonLines<T>(relativePath: string): T[] {
  return readFileSync(join(SHARED_DIR, relativePath), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

/** Says once, on stderr, that a suite is skipped because ../shared is absent. */
export function noteSkipped(suite: string): void {
  if (!hasShared()) process.stderr.write(`[skip] ${suite}: ../shared/corpus is not present (a user's clone lacks it)\n`);
}
