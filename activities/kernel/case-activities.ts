import { ApplicationFailure } from '@temporalio/activity';
import { CalendarError } from '../../lib/calendar';
import { planDeadline, planRepeat } from '../../lib/deadlines';
import { closureDates } from '../../models';
import { insertOnce } from '../../models/connection';
import { createCommit, timelineRow, writeOutbox } from './commit';
import type { CaseActivityConfig } from './config';
import { projectCase } from './project';
import type { Alarm, CaseProcess, CaseSnapshot, Deadline, IsoInstant, PlanDeadlineInput, TimelineEntry } from '../../contracts/kernel/case';

/** A date the calendar does not cover will not fix itself on retry. */
function permanentCalendarErrors<R>(fn: () => R): R {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CalendarError) throw ApplicationFailure.nonRetryable(err.message, err.name);
    throw err;
  }
}

/**
 * The activities every case process calls, configured by the process: deadline planning (reads),
 * and its writes (timeline, projection, outbox), each keyed so that a retry changes nothing.
 */
export function createCaseActivities<S extends { reference: string }>(config: CaseActivityConfig<S>) {
  const { models, process, model } = config;
  const activities = {
    async planDeadline(input: PlanDeadlineInput): Promise<Deadline> {
      const closures = await closureDates(models);
      return permanentCalendarErrors(() => planDeadline(input, closures));
    },

    async planRepeat(input: { after: IsoInstant; workingDays: number }): Promise<IsoInstant> {
      const closures = await closureDates(models);
      return permanentCalendarErrors(() => planRepeat(input, closures));
    },

    /** Today's local closure days: read by a transition that plans a deadline (a local activity). */
    async closureDays(): Promise<string[]> {
      return closureDates(models);
    },

    async recordTimeline({ reference, entry }: { reference: string; entry: TimelineEntry }): Promise<void> {
      await insertOnce(models.Timeline, timelineRow(process.name, reference, entry));
    },

    /** Only moves forward: a retried or late write of an older version changes nothing. */
    async project({ snapshot }: { snapshot: CaseSnapshot<S> }): Promise<void> {
      const { case: state, meta } = snapshot;
      await projectCase(models, model, { process: process.name, reference: state.reference, version: meta.version, seq: meta.seq, fields: config.project(state), keys: config.indexKeys(state) }, config.search);
    },

    /**
     * A committed change: its timeline entry, then the projection. A queued activity, scheduled
     * by the workflow task that made the change, so nothing here is written for a task that
     * never committed. Both writes are keyed, so a retry of either half changes nothing.
     */
    async recordChange({ reference, entry, snapshot }: { reference: string; entry: TimelineEntry; snapshot: CaseSnapshot<S> }): Promise<void> {
      await config.beforeProject?.(snapshot.case, snapshot.meta.version, [entry]);
      await activities.recordTimeline({ reference, entry });
      await activities.project({ snapshot });
      await config.afterProject?.(snapshot.case);
    },

    /** Since KERNEL_ONE_WRITE_PATCH, a transition's writes in one activity (./commit.ts). */
    commit: createCommit(config),

    /** Queue a reminder, escalation or task in the outbox, once per alarm (at: workflow time). */
    async notify({ reference, alarm, at }: { reference: string; alarm: Alarm; at: IsoInstant }): Promise<void> {
      const reads = config.outboxReads ?? [];
      const record = reads.length ? await model.findById(reference, Object.fromEntries(reads.map((f) => [f, 1]))).lean<Record<string, unknown>>() : null;
      await writeOutbox(config, reference, alarm, at, record);
    },
  };
  return activities;
}

export type CaseActivities<S extends { reference: string }> = ReturnType<typeof createCaseActivities<S>>;

/**
 * A process's case activities as the worker registers them, under the names its workflow calls
 * (workflows/kernel/io.ts): deadline planning and the closure days are shared by every process,
 * the writes are the process's own.
 */
export function caseActivityRegistry<S extends { reference: string }>(process: CaseProcess, activities: CaseActivities<S>) {
  return {
    planDeadline: activities.planDeadline,
    planRepeat: activities.planRepeat,
    closureDays: activities.closureDays,
    [`${process.name}.recordChange`]: activities.recordChange,
    [`${process.name}.notify`]: activities.notify,
    [`${process.name}.commit`]: activities.commit,
  };
}
