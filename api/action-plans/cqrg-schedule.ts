import { Client, ScheduleAlreadyRunning, ScheduleNotFoundError, type ScheduleOptions } from '@temporalio/client';
import { nextMeeting, packDay } from '../../records/action-plan/meetings';
import { londonDate } from '../../lib/calendar';
import type { Models } from '../../models';
import { CQRG_PACK_WORKFLOW, type CqrgPackInput } from '../../contracts/action-plan/definitions';
import { HttpError } from '../errors';
import { requireProvider, type ReferenceData } from '../reference-data';
import type { TemporalCalls } from '../temporal';
import type { CqrgScheduleBody } from './schemas';

/** One Schedule per provider, by ODS code. */
export const cqrgScheduleId = (code: string) => `cqrg-pack-${code}`;

/**
 * The Schedule fires every working-day morning, 09:00 London, Monday to Friday, and starts the
 * pack workflow, which decides (bank holidays and local closures included) whether the next
 * meeting is due its pack today. A Schedule's calendar knows weekdays but not bank holidays or
 * closure days, so "N working days before the meeting" cannot be its spec; and a spec of the
 * meetings themselves would need the workflow to count back before it started. A missed run is
 * caught up within the day, and a day missed altogether is made good the next morning.
 */
export function cqrgScheduleOptions(code: string, input: CqrgPackInput, taskQueue: string): ScheduleOptions {
  return {
    scheduleId: cqrgScheduleId(code),
    spec: { calendars: [{ dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY' }], hour: 9, minute: 0 }], timezone: 'Europe/London' },
    action: { type: 'startWorkflow', workflowType: CQRG_PACK_WORKFLOW, workflowId: cqrgScheduleId(code), taskQueue, args: [input] },
    policies: { overlap: 'SKIP', catchupWindow: '1 day' },
    memo: { purpose: `the CQRG pack of provider ${code}'s outstanding actions, before each meeting` },
  };
}

export class CqrgSchedules {
  constructor(
    private readonly deps: { temporal: Client; taskQueue: string; calls: TemporalCalls; models: Models; referenceData: ReferenceData },
  ) {}

  /** Create the provider's Schedule, or change it (meetings, pack day, chair): created true the first time. */
  async put(code: string, body: CqrgScheduleBody): Promise<{ created: boolean; view: Awaited<ReturnType<CqrgSchedules['get']>> }> {
    await requireProvider(this.deps.referenceData, code);
    const input: CqrgPackInput = { providerCode: code, meetings: body.meetings, packWorkingDaysBefore: body.packWorkingDaysBefore, chairId: body.chair };
    const options = cqrgScheduleOptions(code, input, this.deps.taskQueue);
    const { calls, temporal } = this.deps;
    let created = true;
    try {
      await calls.call(() => temporal.schedule.create(options));
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      created = false;
      await calls.call(() => temporal.schedule.getHandle(options.scheduleId).update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: options.policies })));
    }
    return { created, view: await this.get(code) };
  }

  /** The provider's Schedule, its next meeting and pack day, and its next runs. */
  async get(code: string) {
    await requireProvider(this.deps.referenceData, code);
    const { calls, temporal } = this.deps;
    let described;
    try {
      described = await calls.call(() => temporal.schedule.getHandle(cqrgScheduleId(code)).describe());
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) throw new HttpError(404, 'not_found', `provider ${code} has no CQRG schedule`);
      throw err;
    }
    const action = described.action as { args?: unknown[] };
    const input = action.args?.[0] as CqrgPackInput;
    const closures = await this.deps.referenceData.closureDates();
    const nextMeetingOn = nextMeeting(londonDate(Date.now()), input.meetings, closures);
    return {
      providerCode: code,
      scheduleId: described.scheduleId,
      paused: described.state.paused,
      note: described.state.note ?? null,
      meetings: input.meetings,
      packWorkingDaysBefore: input.packWorkingDaysBefore,
      chair: input.chairId,
      nextMeetingOn,
      nextPackOn: packDay(nextMeetingOn, input.packWorkingDaysBefore, closures),
      nextRuns: described.info.nextActionTimes.slice(0, 5).map((d) => d.toISOString()),
    };
  }

  async pause(code: string, paused: boolean, note?: string) {
    await this.get(code); // 404 when there is none
    const handle = this.deps.temporal.schedule.getHandle(cqrgScheduleId(code));
    await this.deps.calls.call(() => (paused ? handle.pause(note ?? 'paused through the API') : handle.unpause(note ?? 'unpaused through the API')));
    return this.get(code);
  }

  /** Every active provider's Schedule, where it has one. */
  async list() {
    const providers = await this.deps.referenceData.providers();
    const views = await Promise.all(
      providers.map((p) =>
        this.get(p._id).catch((err) => {
          if (err instanceof HttpError && err.status === 404) return null;
          throw err;
        }),
      ),
    );
    return { items: views.filter((v) => v !== null) };
  }
}
