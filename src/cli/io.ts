/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {}

let stdoutClosed = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // A closed pipe (`ruleforge ... | head`) ends the output quietly; anything else is a real failure.
  if (e.code === 'EPIPE') stdoutClosed = true;
  else throw e;
});

/** Writes to stdout, waiting when the pipe is full; false once the reader has gone away. */
export async function writeOut(text: string): Promise<boolean> {
  if (stdoutClosed) return false;
  if (!process.stdout.write(text)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        process.stdout.off('drain', done);
        process.stdout.off('error', done);
        resolve();
      };
      process.stdout.once('drain', done);
      process.stdout.once('error', done);
    });
  }
  return !stdoutClosed;
}

/** `--now`: epoch ms of an ISO 8601 instant, or undefined when the flag is absent; a usage error otherwise. */
export function parseNowFlag(now: string | undefined): number | undefined {
  if (now === undefined) return undefined;
  const ms = Date.parse(now);
  if (Number.isNaN(ms)) throw new UsageError(`--now: "${now}" is not an ISO 8601 instant.`);
  return ms;
}

/** Commander accumulator for options given several times (`--constant a=1 --constant b=2`). */
export const repeatable = (value: string, previous: string[]): string[] => [...previous, value];
