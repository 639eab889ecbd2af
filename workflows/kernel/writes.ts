import { ApplicationFailure } from '@temporalio/workflow';
import { CalendarError } from '../../lib/calendar';
import { planDeadline } from '../../lib/deadlines';
import { changeBetween, fingerprint, type Fingerprint } from './change';
import type { Alarm, CaseSnapshot, Deadline, PlanDeadlineInput, TimelineEntry } from '../../contracts/kernel/case';
import type { CommitInput, CommitResult, RepeatRequest } from '../../contracts/kernel/commit';

/** What a run calls since KERNEL_ONE_WRITE_PATCH: one write per transition, and today's closure days. */
export interface CaseWritesIO<S> {
  commit(input: CommitInput<S>): Promise<CommitResult>;
  closureDays(): Promise<string[]>;
}

/**
 * A run's writes since KERNEL_ONE_WRITE_PATCH (run-case.ts). Each transition (the opening, a human
 * event, an alarm) is written by one queued activity, `commit`, scheduled by the workflow task
 * that made the change: its timeline entry, projection, list entries and outbox rows together.
 * It is given the change since the version the record was last written at, not the whole state,
 * so what the history keeps of a transition is as large as the transition; a new case's opening,
 * or a record found at another version, gets the whole state. Deadlines are planned here, in the
 * workflow (lib/deadlines.ts is pure), with the local closure days passed in at start or read
 * once by the transition that plans (a local activity); an alarm's next repeat is planned by its
 * commit, with the closure days of that day.
 */
export class CaseWrites<S extends { deadlines: Partial<Record<string, Deadline>> }> {
  /** The state the record holds at `base`, as this run wrote it or resumed from it; none for a new case. */
  private written?: Fingerprint;
  private base: number;
  private readonly outbox: Alarm[] = [];
  private readonly entries: TimelineEntry[] = [];
  private readonly repeats: RepeatRequest[] = [];
  private closures?: Promise<readonly string[]>;

  constructor(
    private readonly reference: string,
    private readonly snapshot: CaseSnapshot<S>,
    private readonly io: CaseWritesIO<S>,
    opts: { resumed: boolean; closures?: string[] },
  ) {
    this.base = snapshot.meta.version;
    // A continued or resumed run starts from the state its record was last written with.
    if (opts.resumed) this.written = fingerprint(snapshot.case);
    if (opts.closures) this.closures = Promise.resolve(opts.closures);
  }

  /** A deadline, worked out here: the calendar is pure; the closure days are read once per transition. */
  async plan(input: PlanDeadlineInput): Promise<Deadline> {
    this.closures ??= this.io.closureDays();
    const closures = await this.closures;
    try {
      return planDeadline(input, closures);
    } catch (err) {
      // A date the calendar does not cover: refused (the API answers 400), as the activity did.
      if (err instanceof CalendarError) throw ApplicationFailure.nonRetryable(err.message, err.name);
      throw err;
    }
  }

  /** An outbox row, written with the transition's commit. */
  notify(alarm: Alarm): void {
    this.outbox.push(alarm);
  }

  /** A change to write with the transition's commit, and the repeat it asks for. */
  stage(entry: TimelineEntry, repeat?: RepeatRequest): void {
    this.entries.push(entry);
    if (repeat) this.repeats.push(repeat);
  }

  /**
   * Write what the transition staged: one activity (two if the record was not where this run left
   * it). The repeats it planned join their deadlines, as the record has them.
   */
  async flush(): Promise<void> {
    const state = this.snapshot.case;
    const version = this.snapshot.meta.version;
    const now = fingerprint(state);
    const entries = this.entries.splice(0);
    const notify = this.outbox.splice(0);
    const repeats = this.repeats.splice(0);
    // The version before the transition is the usual base, and goes without saying.
    const base = this.base === version - entries.length ? {} : { base: this.base };
    const input: CommitInput<S> = { reference: this.reference, entries, version, ...base, ...(notify.length && { notify }), ...(repeats.length && { repeats }) };
    let result = await this.io.commit(this.written ? { ...input, change: changeBetween(this.written, now, state) } : { ...input, state });
    if (result.gap) result = await this.io.commit({ ...input, state });
    repeats.forEach(({ deadline: id }, i) => {
      const deadline = state.deadlines[id];
      const at = result.repeats?.[i];
      if (deadline && at) deadline.repeats = [...(deadline.repeats ?? []), at];
    });
    this.written = result.repeats?.length ? fingerprint(state) : now;
    this.base = version;
    this.closures = undefined;
  }

  /** Stage a change and write it. */
  async commit(entry: TimelineEntry): Promise<void> {
    this.stage(entry);
    await this.flush();
  }
}
