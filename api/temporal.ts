import type { Client } from '@temporalio/client';
import { HttpError, isTemporalUnavailable, temporalUnavailable } from './errors';

export interface TemporalDeadlines {
  /** Longest a start or an Update waits on Temporal before the request answers 503. */
  timeoutMs: number;
  /**
   * Longest a case view waits for its live state (a Query) before answering from the read model
   * alone; 0 never asks. Short: the projection holds what a page needs, and a Query waits for a
   * worker, which during a deadline storm is busy for seconds.
   */
  liveBudgetMs: number;
}

export const DEFAULT_TEMPORAL_DEADLINES: TemporalDeadlines = { timeoutMs: 10_000, liveBudgetMs: 150 };

/** How long the check "is Temporal itself there?" may take once a call has run out of time. */
const PROBE_MS = 500;

class TimedOut extends Error {
  constructor(ms: number) {
    super(`no answer from Temporal within ${ms} ms`);
    this.name = 'TimedOut';
  }
}

/**
 * Every call the API makes to Temporal, bounded. The client's own deadline is not a bound on
 * its own: a connection that cannot be made is retried past it, so the call also races a timer
 * and is cancelled when the timer wins. A request therefore answers within its deadline, give
 * or take the half-second probe that tells "Temporal is unreachable" from "Temporal is up but no
 * worker answered the workflow", which a client handles differently: the second may still apply
 * an Update once a worker is back, so it is retried with the same Idempotency-Key.
 */
export class TemporalCalls {
  constructor(
    readonly client: Client,
    readonly deadlines: TemporalDeadlines = DEFAULT_TEMPORAL_DEADLINES,
  ) {}

  /** A start, a terminate: failures that are not Temporal's own answer become a 503. */
  call<R>(fn: () => Promise<R>, ms = this.deadlines.timeoutMs): Promise<R> {
    return this.bounded(fn, ms).catch((err) => {
      if (err instanceof TimedOut || isTemporalUnavailable(err)) throw temporalUnavailable();
      throw err;
    });
  }

  /** An Update or a Query, which needs a worker as well as the server to answer. */
  async askWorkflow<R>(fn: () => Promise<R>, ms = this.deadlines.timeoutMs): Promise<R> {
    try {
      return await this.bounded(fn, ms);
    } catch (err) {
      if (!(err instanceof TimedOut || isTemporalUnavailable(err))) throw err;
      throw (await this.serverAnswers()) ? noWorker() : temporalUnavailable();
    }
  }

  /**
   * A read the answer can go without: its result if it comes within `ms`, else null, at once
   * (no probe: nothing is reported, the caller answers from what it has), the call cancelled.
   */
  async within<R>(fn: () => Promise<R>, ms: number): Promise<R | null> {
    if (ms <= 0) return null;
    try {
      return await this.bounded(fn, ms);
    } catch {
      return null;
    }
  }

  /** True when Temporal's frontend answers at all, within half a second. */
  async serverAnswers(): Promise<boolean> {
    try {
      await this.bounded(() => this.client.workflowService.getSystemInfo({}), PROBE_MS);
      return true;
    } catch {
      return false;
    }
  }

  private async bounded<R>(fn: () => Promise<R>, ms: number): Promise<R> {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new TimedOut(ms));
      }, ms);
    });
    const call = this.client.withDeadline(Date.now() + ms, () => this.client.withAbortSignal(abort.signal, fn));
    call.catch(() => undefined); // once the timer has answered, the call's own failure is moot
    try {
      return await Promise.race([call, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function noWorker(): HttpError {
  return new HttpError(
    503,
    'worker_unavailable',
    'no worker answered the case in time; an event sent may still be applied when one does: retry it with the same Idempotency-Key to learn its result',
  );
}
