import type { Alarm, IsoInstant, TimelineEntry } from './case';

/**
 * The one-write path's contract (KERNEL_ONE_WRITE_PATCH, workflows/kernel/writes.ts): what a
 * transition's commit activity is given and answers, and what an Update answers. Plain data and
 * pure helpers, safe in the workflow sandbox, in activities and in the API alike.
 */

/**
 * What an Update answers since KERNEL_ONE_WRITE_PATCH (workflows/kernel/run-case.ts): that its
 * change is committed and written, at this version, not the whole state (which would be kept in
 * the history with every event: a plan of 200 actions is 100 KB). The record's projection holds
 * the state at that version or a later one, and the API reads it from there. Earlier runs answer
 * with the state.
 */
export interface CaseReceipt {
  /** The version the change was written at. */
  committed: number;
}

/** An Update's answer: a receipt, or (a run started before KERNEL_ONE_WRITE_PATCH) the state. */
export type CaseAnswer<S> = S | CaseReceipt;

export function isReceipt<S>(answer: CaseAnswer<S>): answer is CaseReceipt {
  return typeof answer === 'object' && answer !== null && 'committed' in answer && typeof answer.committed === 'number';
}

/**
 * How a case's state moved between two versions, by path (a top-level field, or one element of a
 * field that is a list or a record: an action, a deadline): what the write is given instead of
 * the whole state, so it is as large as the change (workflows/kernel/change.ts).
 */
export interface StateChange {
  set?: [path: string[], value: unknown][];
  unset?: string[][];
}

/** The next escalation of a deadline repeated until met: `workingDays` after `after`, planned by the write. */
export interface RepeatRequest {
  deadline: string;
  after: IsoInstant;
  workingDays: number;
}

/**
 * One transition, written by one activity: its timeline entries (one, or a case's opening with the
 * alarms already due as it opened), the projection at its version (from the record's state at
 * `base` and the change, or the whole `state`), the list entries, and the outbox rows of `notify`.
 * Every write is keyed or forward only, so a retry changes nothing.
 */
export interface CommitInput<S> {
  reference: string;
  entries: TimelineEntry[];
  /** The version this change made. */
  version: number;
  /** The version the record's projection must hold for `change` to apply to it (absent: the version before its entries, `version - entries.length`). */
  base?: number;
  change?: StateChange;
  /** The whole state: a new case's opening, or when the record was not at `base`. */
  state?: S;
  notify?: Alarm[];
  /** Repeats to plan with today's closure days: answered in `repeats`, in this order. */
  repeats?: RepeatRequest[];
}

export interface CommitResult {
  /** The record was not at `base` (a run resumed from an older projection): nothing was written; send the whole state. */
  gap?: boolean;
  /** The instants of the repeats asked for. */
  repeats?: IsoInstant[];
}
