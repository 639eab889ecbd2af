import { allHandlersFinished, condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { QueryDefinition } from '@temporalio/common';
import { untilFinished } from './alarm-loop';
import { CaseKernel, type CaseInput, type CaseIO, type CaseRules, type CaseState } from './case-kernel';
import type { CaseSnapshot, TimelineEntry } from '../../contracts/kernel/case';
import { CaseWrites } from './writes';

export { CaseKernel, type AlarmTable, type CaseInput, type CaseIO, type CaseRules, type CaseState } from './case-kernel';

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

/**
 * Since this patch a transition (a case's opening, a human event, an alarm) is written by one
 * activity instead of one per write (its timeline entry, projection, list entries and outbox rows
 * together, each keyed), given the change and not the whole state; deadlines are planned in the
 * workflow (lib/deadlines.ts is pure) from the closure days passed in at start or read once by
 * the transition that plans; an alarm's repeat is planned by its commit; the alarm's timer is
 * re-armed only when the earliest alarm moves; and an Update answers with a receipt, not the
 * state (see writes.ts, alarm-loop.ts). Asked as every run starts, new or continued: a run started
 * before keeps its path on replay (tests/replay/histories/before-one-write/).
 */
export const KERNEL_ONE_WRITE_PATCH = 'kernel-one-write-per-transition';

/**
 * Whether a patch asked as a run starts applies: a run started since KERNEL_ONE_WRITE_PATCH has
 * every patch before it, so only that one is recorded (each recorded patch is a marker and a
 * search-attribute upsert, which the server writes to visibility: nine of each per new complaint
 * before). A run from before asks `patchId` as it always did. For patches asked as a run starts
 * only, so a run's answers never change mid-way.
 */
export function patchedSince(patchId: string): boolean {
  return patched(KERNEL_ONE_WRITE_PATCH) || patched(patchId);
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
  const oneWrite = patched(KERNEL_ONE_WRITE_PATCH);
  const writes = oneWrite ? new CaseWrites(opts.reference, snapshot, opts.io, { resumed: !!input.snapshot, closures: input.closures }) : undefined;
  const kase = new CaseKernel(opts.reference, snapshot, opts.rules, opts.io, writes);
  // A new case takes the lock before any handler is registered and keeps it until its opening
  // change is written, so the timeline always starts with it even if an Update arrives at once.
  // The mutex wakes one waiter per release (a flag polled by condition() woke them all at once).
  const opening = input.snapshot ? undefined : kase.mutex.acquire();
  // Asked once, as a new case opens (a continued or resumed run carries on as it was).
  const noStaleReminders = opening ? patchedSince(LATE_OPEN_PATCH) : false;
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
      const first = input.openedBy ? { ...opened, actor: input.openedBy } : opened;
      if (writes) {
        // Opened late, with dates already missed: escalated as it opens, in the opening's one write.
        writes.stage(first);
        for (let [due] = kase.pendingAlarms(); due && !kase.finished && Date.parse(due.at) <= Date.now(); [due] = kase.pendingAlarms()) {
          await kase.fireAndCommit(due, writes, true);
        }
        await writes.flush();
      } else await kase.persist(first);
    } finally {
      release();
    }
  }

  // A finished case resumed for a late event (see Cases.revive in the API) waits a while for it.
  if (input.snapshot && kase.finished) await condition(() => !kase.finished, REVIVAL_WAIT);
  for (;;) {
    await untilFinished(kase, oneWrite, async () => {
      const info = workflowInfo();
      if (info.continueAsNewSuggested || (input.historyLimit !== undefined && info.historyLength > input.historyLimit)) {
        await condition(() => allHandlersFinished() && !kase.mutex.isLocked());
        // The closure days passed in at start were for its opening; a continued run reads them afresh.
        const next = oneWrite ? { ...input, snapshot: kase.snapshot, closures: undefined } : { ...input, snapshot: kase.snapshot };
        await continueAsNew<(input: I) => Promise<S>>(next);
      }
    });
    await condition(allHandlersFinished);
    // An event taken as the case finished may have opened it again (a late Ombudsman contact).
    if (kase.finished) return kase.state;
  }
}
