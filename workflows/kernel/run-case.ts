import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import { Mutex } from 'async-mutex';
import { Arming, Deadlines, pendingAlarms, reminderDayOver, repeatsAfter } from './alarms';
import type { Alarm, CaseInput, CaseSnapshot, Deadline, Human, IsoDate, IsoInstant, LegacyDeadline, PlanDeadlineInput, TimelineEntry } from '../../contracts/kernel/case';
import { upgradeDeadline } from '../../contracts/kernel/case';

/** How long a run resumed from a finished case waits for the event it was resumed for. */
export const REVIVAL_WAIT = '1 hour';

/**
 * Since this patch a case opened late sends no stale reminder. A complaint received on 20
 * November and opened on 4 December sent "Acknowledgement due today" (due 25 November) that
 * morning beside the overdue escalation: every alarm already past when it opened fired at once.
 * Now a reminder whose day was over when the case opened is marked done unsent (the opening entry
 * names it, `remindersSkipped`); a reminder of that same day still goes, and a missed date is
 * escalated as before. Asked as a new case opens, for every process; cases opened before it keep
 * their path on replay.
 */
export const LATE_OPEN_PATCH = 'kernel-late-open-no-stale-reminders';

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

/** The activities a case calls: deadline planning (reads) and its writes (after commit). */
export interface CaseIO<S> {
  planDeadline(input: PlanDeadlineInput): Promise<Deadline | LegacyDeadline>;
  planRepeat(input: { after: IsoInstant; workingDays: number }): Promise<IsoInstant>;
  recordChange(input: { reference: string; entry: TimelineEntry; snapshot: CaseSnapshot<S> }): Promise<void>;
  notify(input: { reference: string; alarm: Alarm; at: IsoInstant }): Promise<void>;
}


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
  ) {}

  get state(): S {
    return this.snapshot.case;
  }

  get finished(): boolean {
    return this.rules.finished(this.state);
  }

  /** Work out a deadline (a local activity: a read, cheap, part of the workflow task). */
  async plan(input: PlanDeadlineInput): Promise<Deadline> {
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

  /** Write a committed change: its timeline entry, then the projection (see recordChange). */
  persist(entry: TimelineEntry): Promise<void> {
    return this.io.recordChange({ reference: this.reference, entry, snapshot: this.snapshot });
  }

  /**
   * A human event: `check` refuses it when it does not fit the state, as the Update's validator
   * and again inside the lock (another event may have moved the case while this one queued);
   * `apply` makes the change. The entry records who acted; the Update answers with the case.
   */
  on<I extends Human<object>>(update: UpdateDefinition<S, [I]>, check: (i: I) => void, apply: (i: I) => Promise<TimelineEntry>): void {
    this.handled.add(update.name);
    const run = (i: I) =>
      this.mutex.runExclusive(async () => {
        check(i);
        const entry = await apply(i);
        const { actor: _actor, ...data } = entry.data; // who acted belongs to the entry, not its data
        await this.persist({ ...entry, data, actor: i.actor });
        return this.state;
      });
    setHandler(update, run, { validator: check });
  }

  /** A human event that only records what the request said: the entry's data is its input. */
  record<I extends Human<object>>(update: UpdateDefinition<S, [I]>, check: (i: I) => void, type: string, mutate: (s: S, i: I) => void): void {
    this.on(update, check, async (i) => this.change(type, { ...i }, (s) => mutate(s, i)));
  }

  /**
   * Notify at once, outside any deadline (a safeguarding concern on receipt, say): an outbox row
   * for `action`, keyed by it and the day, so a retry writes it once.
   */
  async alert(action: string, on: IsoDate): Promise<void> {
    const at = new Date().toISOString();
    await this.io.notify({ reference: this.reference, alarm: { key: `${action}:${on}`, deadline: action, action, at, dueOn: on }, at });
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
}

export interface RunCaseOptions<S extends CaseState, I extends CaseInput<S>> {
  reference: string;
  input: I;
  /** A new case's state; a continued one resumes from `input.snapshot`. */
  initial: () => S;
  rules: CaseRules<S>;
  io: CaseIO<S>;
  queries: { state: QueryDefinition<S>; snapshot: QueryDefinition<CaseSnapshot<S>> };
  /** Register the process's human events with `kase.on`: one for each row of `events`. */
  handlers(kase: CaseKernel<S>): void;
  /** The process's event table (contracts/<p>/events.ts): a row without a handler fails at once, saying which. */
  events?: Readonly<Record<string, { update: string }>>;
  /** A new case's first change (its receipt, say), made before any event is taken. */
  open(kase: CaseKernel<S>): Promise<TimelineEntry>;
}

/**
 * One case, from its opening to its end. Deadlines are alarms derived from the state; every
 * change (an Update, or an alarm acting) wakes the loop, so a moved date re-arms its timer,
 * which is how extensions work. Handlers run one at a time, each validating and applying
 * under the lock, and the case continues as new, with its handlers finished, when its history
 * grows long.
 */
export async function runCase<S extends CaseState, I extends CaseInput<S>>(opts: RunCaseOptions<S, I>): Promise<S> {
  const { input } = opts;
  const snapshot = input.snapshot ?? { meta: { seq: 0, version: 0, fired: [] }, case: opts.initial() };
  const kase = new CaseKernel(opts.reference, snapshot, opts.rules, opts.io);
  // A new case takes the lock before any handler is registered and keeps it until its opening
  // change is written, so the timeline always starts with it even if an Update arrives at once.
  // The mutex wakes one waiter per release (a flag polled by condition() woke them all at once).
  const opening = input.snapshot ? undefined : kase.mutex.acquire();
  // Asked once, as a new case opens (a continued or resumed run carries on as it was).
  const noStaleReminders = opening ? patched(LATE_OPEN_PATCH) : false;
  setHandler(opts.queries.state, () => kase.state);
  setHandler(opts.queries.snapshot, () => kase.snapshot);
  opts.handlers(kase);
  const unhandled = Object.entries(opts.events ?? {}).filter(([, row]) => !kase.handled.has(row.update));
  if (unhandled.length) throw new Error(`no handler for the event(s) ${unhandled.map(([path]) => path).join(', ')}: register each row's Update with kase.on`);

  if (opening) {
    const release = await opening;
    try {
      const entry = await opts.open(kase);
      // Opened late: reminders whose day went by before the case existed are dropped with the opening.
      const skipped = noStaleReminders ? kase.dropRemindersGoneBy() : [];
      const opened = skipped.length ? { ...entry, data: { ...entry.data, remindersSkipped: skipped } } : entry;
      await kase.persist(input.openedBy ? { ...opened, actor: input.openedBy } : opened);
    } finally {
      release();
    }
  }

  // A finished case resumed for a late event (see Cases.revive in the API) waits a while for it.
  if (input.snapshot && kase.finished) await condition(() => !kase.finished, REVIVAL_WAIT);
  for (;;) {
    while (!kase.finished) {
      const [next] = kase.pendingAlarms();
      const version = snapshot.meta.version;
      const changed = () => snapshot.meta.version !== version; // every change, finishing included, bumps it
      if (!next) {
        await condition(changed);
      } else if (!(await condition(changed, Math.max(1, Date.parse(next.at) - Date.now())))) {
        await kase.mutex.runExclusive(() => kase.fire(next));
      }
      const info = workflowInfo();
      if (info.continueAsNewSuggested || (input.historyLimit !== undefined && info.historyLength > input.historyLimit)) {
        await condition(() => allHandlersFinished() && !kase.mutex.isLocked());
        await continueAsNew<(input: I) => Promise<S>>({ ...input, snapshot: kase.snapshot });
      }
    }
    await condition(allHandlersFinished);
    // An event taken as the case finished may have opened it again (a late Ombudsman contact).
    if (kase.finished) return kase.state;
  }
}
