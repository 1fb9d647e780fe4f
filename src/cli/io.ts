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
