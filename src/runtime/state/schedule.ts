/**
 * Kibana's rule schedule in event time: a rule executes every `interval`, and each execution at instant T
 * searches [T + from, T + to] (`from`/`to` are date math relative to T, default `now-6m` and `now`).
 * Executions sit on the epoch-aligned grid T = k × interval, so every engine (and every re-run) agrees on them.
 */
import { evalDateMath } from '../primitives/dates.js';

/** One execution: its instant and the window it searches (inclusive bounds, epoch ms). */
export interface Execution {
  /** Index on the grid: the execution runs at `index × intervalMs`. */
  index: number;
  at: number;
  from: number;
  to: number;
}

/** A rule's schedule settings as Kibana names them. */
export interface ScheduleSettings {
  interval?: string;
  from?: string;
  to?: string;
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Kibana's `interval` (`30s`, `5m`, `1h`, `1d`) in ms; undefined when it is not one. */
export function parseInterval(text: string): number | undefined {
  const m = /^(\d+)([smhd])$/.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

/** A schedule resolved to numbers. Date math with rounding (`now-1d/d`) is evaluated per execution. */
export class Schedule {
  readonly intervalMs: number;
  private readonly fromExpr: string;
  private readonly toExpr: string;
  /** When neither bound rounds, the window is a fixed offset from T and needs no date math per call. */
  private readonly offsets: { from: number; to: number } | undefined;

  constructor(settings: ScheduleSettings) {
    const interval = parseInterval(settings.interval ?? '5m');
    if (interval === undefined) throw new RangeError(`interval "${settings.interval}": expected a number and s, m, h or d`);
    this.intervalMs = interval;
    this.fromExpr = settings.from ?? 'now-6m';
    this.toExpr = settings.to ?? 'now';
    if (evalDateMath(this.fromExpr, 0, false) === undefined) throw new RangeError(`from "${this.fromExpr}": not date math`);
    if (evalDateMath(this.toExpr, 0, true) === undefined) throw new RangeError(`to "${this.toExpr}": not date math`);
    const linear = !this.fromExpr.includes('/') && !this.toExpr.includes('/') && !/[My]/.test(this.fromExpr + this.toExpr);
    this.offsets = linear ? { from: evalDateMath(this.fromExpr, 0, false)!, to: evalDateMath(this.toExpr, 0, true)! } : undefined;
    if (this.execution(0).from > this.execution(0).to) throw new RangeError(`from "${this.fromExpr}" is after to "${this.toExpr}"`);
  }

  /** The execution with grid index `index`. */
  execution(index: number): Execution {
    const at = index * this.intervalMs;
    if (this.offsets) return { index, at, from: at + this.offsets.from, to: at + this.offsets.to };
    return { index, at, from: evalDateMath(this.fromExpr, at, false)!, to: evalDateMath(this.toExpr, at, true)! };
  }

  /** Grid index of the first execution whose window can contain `ts` (its `to` reaches `ts`). */
  firstCovering(ts: number): number {
    let k = Math.floor(ts / this.intervalMs);
    while (this.execution(k - 1).to >= ts) k--;
    while (this.execution(k).to < ts) k++;
    return k;
  }

  /** Grid index of the first execution that sees `ts` as history: its `from` is at or after `ts`. */
  closing(ts: number): number {
    const k = this.lastCovering(ts);
    return this.execution(k).from === ts ? k : k + 1;
  }

  /** Grid index of the last execution whose window contains `ts` (its `from` is at or before `ts`). */
  lastCovering(ts: number): number {
    let k = Math.floor(ts / this.intervalMs);
    while (this.execution(k + 1).from <= ts) k++;
    while (this.execution(k).from > ts) k--;
    return k;
  }
}

/**
 * Drives executions from a stream's event time: an execution runs once an event later than its `to` arrives
 * (the window is complete for in-order input), or at `flush()`. The first execution is the first that covers
 * the first event; none is skipped afterwards, so there are no gaps to catch up (Kibana's catch-up windows
 * exist because wall-clock executions can be missed; in event time none is).
 */
export class ExecutionClock {
  private next: number | undefined;
  private lastTs = Number.NEGATIVE_INFINITY;

  constructor(readonly schedule: Schedule) {}

  /** Executions that are due before an event at `ts` is counted, in order. */
  advance(ts: number): Execution[] {
    if (this.next === undefined) this.next = this.schedule.firstCovering(ts);
    if (ts > this.lastTs) this.lastTs = ts;
    const due: Execution[] = [];
    for (let e = this.schedule.execution(this.next); e.to < ts; e = this.schedule.execution(this.next)) {
      due.push(e);
      this.next++;
    }
    return due;
  }

  /** The executions still to run at the end of input: up to the last one whose window holds the last event. */
  drain(): Execution[] {
    if (this.next === undefined) return [];
    const last = this.schedule.lastCovering(this.lastTs);
    const due: Execution[] = [];
    for (; this.next <= last; this.next++) due.push(this.schedule.execution(this.next));
    return due;
  }

  /** The execution that will run next, if any event was seen. */
  upcoming(): Execution | undefined {
    return this.next === undefined ? undefined : this.schedule.execution(this.next);
  }
}
