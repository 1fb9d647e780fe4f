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

/**
 * Writes many small texts to stdout in few large writes (a write to a file or pipe is a system call each):
 * texts gather until 64 KB, and what has gathered goes out as soon as the program waits for input, so a slow
 * stream still sees each line promptly. `flush` at the end; `write` and `flush` are false once the reader has gone.
 */
export class BatchedOut {
  private buffer = '';
  private scheduled = false;
  /** `beforeWrite`: runs before each write (a progress line on the same terminal is cleared first). */
  constructor(private readonly beforeWrite: () => void = () => {}) {}
  async write(text: string): Promise<boolean> {
    this.buffer += text;
    if (this.buffer.length >= 65_536) return this.flush();
    if (!this.scheduled) {
      this.scheduled = true;
      // Runs once the loop that produces the texts waits for I/O (a macrotask): the input is idle.
      setImmediate(() => {
        this.scheduled = false;
        void this.flush();
      });
    }
    return !stdoutClosed;
  }
  async flush(): Promise<boolean> {
    if (this.buffer === '') return !stdoutClosed;
    const text = this.buffer;
    this.buffer = '';
    this.beforeWrite();
    return writeOut(text);
  }
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
