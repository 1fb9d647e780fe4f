/**
 * Query (and single-event EQL) rules run as Kibana's executions run them, for `EngineOptions.kibanaSchedule`:
 * each execution alerts on the matching events of its window that no earlier execution alerted on (Kibana's
 * deterministic alert ids de-duplicate the overlap), oldest first, at most `max_signals`; an event left over
 * by the cap can still alert in a later execution whose window holds it, and is missed once none does.
 */
import { ExecutionClock, type Execution, type Schedule } from './schedule.js';

/** One event alerted by one execution. */
export interface ScheduledHit {
  execution: Execution;
  event: unknown;
  ts: number;
}

export interface ScheduledQueryStats {
  keys: number;
  evicted: number;
  executions: number;
  /** Matching events no execution alerted on because every window holding them was at max_signals. */
  missed: number;
}

/** Matching events waiting for the executions whose windows hold them. */
export class ScheduledQueryRunner {
  private pending: { event: unknown; ts: number }[] = [];
  private readonly clock: ExecutionClock;
  private readonly counters = { evicted: 0, executions: 0, missed: 0 };

  constructor(
    schedule: Schedule,
    private readonly options: { maxSignals?: number; maxKeys?: number } = {},
  ) {
    this.clock = new ExecutionClock(schedule);
  }

  tick(ts: number): ScheduledHit[] {
    const out: ScheduledHit[] = [];
    for (const e of this.clock.advance(ts)) this.execute(e, out);
    return out;
  }

  push(event: unknown, ts: number): ScheduledHit[] {
    const out = this.tick(ts);
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1]!.ts > ts) i--;
    this.pending.splice(i, 0, { event, ts });
    if (this.pending.length > (this.options.maxKeys ?? 100_000)) {
      this.pending.shift();
      this.counters.evicted++;
    }
    return out;
  }

  flush(): ScheduledHit[] {
    const out: ScheduledHit[] = [];
    for (const e of this.clock.drain()) this.execute(e, out);
    this.counters.missed += this.pending.length;
    this.pending = [];
    return out;
  }

  stats(): ScheduledQueryStats {
    return { keys: this.pending.length, ...this.counters };
  }

  private execute(e: Execution, out: ScheduledHit[]): void {
    this.counters.executions++;
    let drop = 0;
    while (drop < this.pending.length && this.pending[drop]!.ts < e.from) drop++;
    this.counters.missed += drop;
    let take = drop;
    const max = this.options.maxSignals ?? 100;
    while (take < this.pending.length && take - drop < max && this.pending[take]!.ts <= e.to) {
      out.push({ execution: e, event: this.pending[take]!.event, ts: this.pending[take]!.ts });
      take++;
    }
    this.pending.splice(0, take);
  }
}
