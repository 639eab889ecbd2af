import { setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { Mutex } from 'async-mutex';
import { Arming, Deadlines, pendingAlarms, reminderDayOver, repeatsAfter } from './alarms';
import type { Alarm, CaseSnapshot, Deadline, Human, IsoDate, IsoInstant, LegacyDeadline, PlanDeadlineInput, TimelineEntry } from '../../contracts/kernel/case';
import { upgradeDeadline } from '../../contracts/kernel/case';
import type { CaseAnswer } from '../../contracts/kernel/commit';
import type { CaseWrites, CaseWritesIO } from './writes';

/** The state a process keeps must carry its deadlines by id; the rest is the process's own. */
export interface CaseState {
  deadlines: Deadlines;
}

/**
 * What each alarm action does: the timeline event it records, whether it notifies, and any change
 * (given the alarm, so a process with many deadlines of one kind, `action:<n>`, knows which one).
 */
export type AlarmTable<S> = Record<string, { event: string; notify: boolean; apply?: (s: S, alarm?: Alarm) => void }>;

/** A process's rules, as far as the kernel needs them. */
export interface CaseRules<S extends CaseState> {
  /** The deadlines this state still has to meet, in the order their alarms break ties. */
  armed(s: S): Arming[];
  /** Once true the case takes no more events and its workflow ends. */
  finished(s: S): boolean;
  alarms: AlarmTable<S>;
}

/**
 * The activities a case calls. Since KERNEL_ONE_WRITE_PATCH: one `commit` per transition, and
 * the closure days (see writes.ts). Runs started before it plan each deadline in an activity
 * (a local one) and write with `recordChange` and `notify`.
 */
export interface CaseIO<S> extends CaseWritesIO<S> {
  planDeadline(input: PlanDeadlineInput): Promise<Deadline | LegacyDeadline>;
  planRepeat(input: { after: IsoInstant; workingDays: number }): Promise<IsoInstant>;
  recordChange(input: { reference: string; entry: TimelineEntry; snapshot: CaseSnapshot<S> }): Promise<void>;
  notify(input: { reference: string; alarm: Alarm; at: IsoInstant }): Promise<void>;
}

export type { CaseInput } from '../../contracts/kernel/case';

/** The running case, as a process's handlers see it. */
export class CaseKernel<S extends CaseState> {
  readonly mutex = new Mutex();
  /** The Updates a handler was registered for (runCase checks the process's table against them). */
  readonly handled = new Set<string>();

  constructor(
    readonly reference: string,
    readonly snapshot: CaseSnapshot<S>,
    private readonly rules: CaseRules<S>,
    private readonly io: CaseIO<S>,
    /** This run's writes since KERNEL_ONE_WRITE_PATCH; absent on a run started before it. */
    private readonly writes?: CaseWrites<S>,
  ) {}

  get state(): S {
    return this.snapshot.case;
  }

  get finished(): boolean {
    return this.rules.finished(this.state);
  }

  /** Work out a deadline: in the workflow (see writes.ts), or by a local activity on a run from before. */
  async plan(input: PlanDeadlineInput): Promise<Deadline> {
    if (this.writes) return this.writes.plan(input);
    return upgradeDeadline(await this.io.planDeadline(input));
  }

  /** Record a change: bump the version and hand back the timeline entry to persist. */
  change(type: string, data: Record<string, unknown>, mutate: (s: S) => void): TimelineEntry {
    mutate(this.state);
    const meta = this.snapshot.meta;
    meta.version += 1;
    meta.seq += 1;
    return { seq: meta.seq, type, at: new Date().toISOString(), data };
  }

  /** Write a committed change: its timeline entry, the projection (and any outbox rows queued with it). */
  async persist(entry: TimelineEntry): Promise<void> {
    if (this.writes) await this.writes.commit(entry);
    else await this.io.recordChange({ reference: this.reference, entry, snapshot: this.snapshot });
  }

  /**
   * A human event: `check` refuses it when it does not fit the state, as the Update's validator
   * and again inside the lock (another event may have moved the case while this one queued);
   * `apply` makes the change. The entry records who acted. The Update answers once the change is
   * written: with a receipt (a run started before KERNEL_ONE_WRITE_PATCH: with the case).
   */
  on<I extends Human<object>>(update: UpdateDefinition<CaseAnswer<S>, [I]>, check: (i: I) => void, apply: (i: I) => Promise<TimelineEntry>): void {
    this.handled.add(update.name);
    const run = (i: I) =>
      this.mutex.runExclusive(async (): Promise<CaseAnswer<S>> => {
        check(i);
        const entry = await apply(i);
        const { actor: _actor, ...data } = entry.data; // who acted belongs to the entry, not its data
        await this.persist({ ...entry, data, actor: i.actor });
        return this.writes ? { committed: this.snapshot.meta.version } : this.state;
      });
    setHandler(update, run, { validator: check });
  }

  /** A human event that only records what the request said: the entry's data is its input. */
  record<I extends Human<object>>(update: UpdateDefinition<CaseAnswer<S>, [I]>, check: (i: I) => void, type: string, mutate: (s: S, i: I) => void): void {
    this.on(update, check, async (i) => this.change(type, { ...i }, (s) => mutate(s, i)));
  }

  /**
   * Notify at once, outside any deadline (a safeguarding concern on receipt, say): an outbox row
   * for `action`, keyed by it and the day, so a retry writes it once. Since KERNEL_ONE_WRITE_PATCH
   * it is written with the change that follows.
   */
  async alert(action: string, on: IsoDate): Promise<void> {
    const at = new Date().toISOString();
    const alarm = { key: `${action}:${on}`, deadline: action, action, at, dueOn: on };
    if (this.writes) this.writes.notify(alarm);
    else await this.io.notify({ reference: this.reference, alarm, at });
  }

  pendingAlarms(): Alarm[] {
    return pendingAlarms(this.state.deadlines, this.rules.armed(this.state), this.snapshot.meta.fired);
  }

  /**
   * Mark done, unsent, every pending reminder whose day is over by now (see reminderDayOver):
   * it would remind no one of anything. Answers their keys, for the change that drops them.
   */
  dropRemindersGoneBy(): string[] {
    const now = new Date().toISOString();
    const gone = this.pendingAlarms()
      .filter((a) => reminderDayOver(a, now))
      .map((a) => a.key);
    this.snapshot.meta.fired.push(...gone);
    return gone;
  }

  async fire(alarm: Alarm): Promise<void> {
    if (!this.pendingAlarms().some((a) => a.key === alarm.key)) return; // a handler got there first
    if (this.writes) return this.fireAndCommit(alarm, this.writes);
    const effect = this.rules.alarms[alarm.action];
    if (effect.notify) await this.io.notify({ reference: this.reference, alarm, at: new Date().toISOString() });
    const deadline = this.state.deadlines[alarm.deadline];
    // The next repeat counts from when this one went out, not from when it was planned: a case
    // whose due date had long passed when it was opened (or a worker back after days away)
    // escalates once now, not once for every interval it missed.
    const now = new Date().toISOString();
    const again = repeatsAfter(deadline, alarm)
      ? await this.io.planRepeat({ after: alarm.at > now ? alarm.at : now, workingDays: deadline.repeatEveryWorkingDays })
      : undefined;
    await this.persist(
      this.change(effect.event, { key: alarm.key, dueOn: alarm.dueOn }, (s) => {
        this.snapshot.meta.fired.push(alarm.key);
        if (deadline && again) deadline.repeats = [...(deadline.repeats ?? []), again];
        effect.apply?.(s, alarm);
      }),
    );
  }

  /**
   * An alarm since KERNEL_ONE_WRITE_PATCH: its change, its outbox row and the next repeat (counted
   * from when this one went out, as above) staged for one commit, which plans the repeat with the
   * closure days of the day (the repeat joins the deadline once written). Written at once, or with
   * the case's opening when it was already due as the case opened (`staged`).
   */
  async fireAndCommit(alarm: Alarm, writes: CaseWrites<S>, staged = false): Promise<void> {
    const effect = this.rules.alarms[alarm.action];
    const deadline = this.state.deadlines[alarm.deadline];
    const entry = this.change(effect.event, { key: alarm.key, dueOn: alarm.dueOn }, (s) => {
      this.snapshot.meta.fired.push(alarm.key);
      effect.apply?.(s, alarm);
    });
    if (effect.notify) writes.notify(alarm);
    const repeats = repeatsAfter(deadline, alarm) && this.state.deadlines[alarm.deadline] === deadline;
    const after = alarm.at > entry.at ? alarm.at : entry.at;
    writes.stage(entry, repeats ? { deadline: alarm.deadline, after, workingDays: deadline.repeatEveryWorkingDays } : undefined);
    if (!staged) await writes.flush();
  }
}
