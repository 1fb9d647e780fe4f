import { formatCount } from '../diagnostics/wording.js';

/** Where the progress line goes, and the clock it is paced by (injectable so tests need no real time). */
export interface ProgressOutput {
  write(text: string): void;
  now(): number;
}

const CLEAR_LINE = '\r\u001b[K';
const REDRAW_EVERY_MS = 250;

/**
 * The `run` progress line on a terminal. Alerts go to stdout, which is usually the same terminal: the line
 * is cleared before any other output so an alert never starts in the middle of it, and drawn again at the
 * next update.
 */
export class ProgressLine {
  private shown = false;
  private last: number;
  private readonly started: number;

  constructor(private readonly out: ProgressOutput) {
    this.started = out.now();
    this.last = this.started;
  }

  /** Redraws the line with the current counts, at most every 250 ms. */
  update(events: number, alerts: number): void {
    const now = this.out.now();
    if (now - this.last <= REDRAW_EVERY_MS) return;
    this.last = now;
    const rate = Math.round(events / Math.max((now - this.started) / 1000, 1e-3));
    this.out.write(`${CLEAR_LINE}  ${formatCount(events)} events  ${formatCount(rate)} events/s  ${formatCount(alerts)} ${alerts === 1 ? 'alert' : 'alerts'}`);
    this.shown = true;
  }

  /** Clears the line (when drawn) so the next output starts on an empty line. */
  clear(): void {
    if (!this.shown) return;
    this.out.write(CLEAR_LINE);
    this.shown = false;
  }
}
