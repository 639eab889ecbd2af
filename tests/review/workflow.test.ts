import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { REVIEW_UPDATES } from '../../contracts/review/events';
import { reviewDueOn } from '../../records/review/start';
import {
  addCalendarDays,
  addCalendarMonths,
  addWorkingDays,
  londonDate,
  nextWorkingDay,
  workingDayOnOrBefore,
  workingHoursInstant,
  workingHoursOnOrAfter,
} from '../../lib/calendar';
import { caseWorkflowId } from '../../contracts/kernel/case';
import {
  type ReviewWorkflowInput,
  snapshotQuery,
  stateQuery,
} from '../../contracts/review/definitions';
import { reviewWorkflow } from '../../workflows/review/workflow';
import { eventually, Harness } from '../helpers/harness';
import { timeSkippingFile } from '../helpers/workflow-file';
import { ReviewService } from '../../api/reviews/service';
import { TemporalCalls } from '../../api/temporal';
import { applied } from '../helpers/events';

/** Six months of a review on the time-skipping server: reminders, due, overdue and its repeats. */

const actor = { id: 'commissioner-1', name: 'Test Commissioner', role: 'commissioner' };
const DAY = 24 * 60 * 60 * 1000;
let h: Harness;
let counter = 0;

const file = timeSkippingFile('review_wf', 'review');
const { started, sleepPast, sent } = file;
const finished = (handle: WorkflowHandle<typeof reviewWorkflow>) => file.finished(handle, stateQuery);
beforeAll(() => void (h = file.harness()));

const today = async () => londonDate(await h.env.currentTimeMs());

/** Schedule a review the way the API does: the record first, then its workflow. */
async function schedule(opts: { goLiveOn?: string; remindDaysBefore?: number[]; escalateEveryWorkingDays?: number; missingAssessments?: ReviewWorkflowInput['missingAssessments'] } = {}) {
  const scheduledOn = await today();
  const goLiveOn = opts.goLiveOn ?? scheduledOn;
  const reference = `PIR-2026-${String(++counter).padStart(6, '0')}`;
  const workflowId = caseWorkflowId('review', reference);
  const input: ReviewWorkflowInput = {
    reference, ownerId: 'jo-bloggs', goLiveOn, scheduledOn, remindDaysBefore: opts.remindDaysBefore, escalateEveryWorkingDays: opts.escalateEveryWorkingDays,
    ...(opts.missingAssessments && { missingAssessments: opts.missingAssessments }),
  };
  const missing = new Set(opts.missingAssessments ?? []);
  await h.models.Review.create({
    _id: reference,
    serviceName: 'Community diabetes clinic',
    whatChanged: 'Moved to three GP hubs',
    goLiveOn,
    scheduledOn,
    owner: { id: 'jo-bloggs', name: 'Jo Bloggs' },
    assessments: { equalityImpact: { completed: !missing.has('equalityImpact') }, qualityImpact: { completed: !missing.has('qualityImpact') }, engagementLog: { completed: !missing.has('engagementLog') } },
    patientEngagement: 'Listening events',
    status: 'scheduled',
    dueOn: reviewDueOn(goLiveOn),
    workflowId,
    workflowInput: input,
  });
  const handle = await h.env.client.workflow.start(reviewWorkflow, { workflowId, taskQueue: h.taskQueue, args: [input] });
  started.push(handle);
  const state = await eventually(async () => {
    const s = await handle.query(stateQuery);
    expect(s.deadlines.review).toBeDefined();
    return s;
  });
  return { reference, handle, goLiveOn, scheduledOn, state };
}

const record = (reviewedOn: string) => ({
  actor,
  reviewedOn,
  effects: { access: 'Waits down from 9 to 4 weeks', outcomes: 'HbA1c checks up 12%', experience: 'FFT positive up from 82% to 91%' },
  youSaidWeDid: [{ youSaid: 'Clinics are too far away', weDid: 'Three GP hubs, one on each bus route' }],
});

test('on time: reminded four weeks and one week before, recorded before the due date, then the workflow ends', async () => {
  await h.withWorker(async () => {
    const { reference, handle, goLiveOn, state } = await schedule();
    const review = state.deadlines.review!;
    expect(review.dueOn).toBe(addCalendarMonths(goLiveOn, 6));
    expect(review.reminders).toEqual([28, 7].map((days) => workingHoursInstant(workingDayOnOrBefore(addCalendarDays(review.dueOn, -days)))));

    await sleepPast(review.reminders[0]);
    await eventually(async () => expect(await sent(reference)).toEqual(['review:reminder:review_owner']));
    // Not a day early: nothing more until the week-before reminder.
    await h.env.sleep(Date.parse(review.reminders[1]) - (await h.env.currentTimeMs()) - DAY);
    expect(await sent(reference)).toHaveLength(1);
    await sleepPast(review.reminders[1]);
    await eventually(async () => expect(await sent(reference)).toEqual(['review:reminder:review_owner', 'review:reminder:review_owner']));

    const done = await applied(handle, REVIEW_UPDATES.record, record(await today()));
    expect(done.status).toBe('completed');
    const result = await finished(handle);
    expect(result.youSaidWeDid).toHaveLength(1);
    const saved = await h.models.Review.findById(reference).lean();
    expect(saved).toMatchObject({ status: 'completed', reviewedOn: await today(), projectionVersion: (await handle.query(snapshotQuery)).meta.version });
    expect(saved?.youSaidWeDid).toEqual([{ youSaid: 'Clinics are too far away', weDid: 'Three GP hubs, one on each bus route' }]);
    const timeline = await h.models.Timeline.find({ reference }).sort({ seq: 1 }).lean();
    expect(timeline.map((e) => e.type)).toEqual(['scheduled', 'reminder_sent', 'reminder_sent', 'review_recorded']);
    expect(timeline[3].actor).toEqual(actor);
  });
});

test('not recorded: marked due on the day, overdue the next working morning, escalated again every interval until recorded', async () => {
  await h.withWorker(async () => {
    const { reference, handle, state } = await schedule({ escalateEveryWorkingDays: 5 });
    const { review, review_overdue: overdue } = state.deadlines;
    await sleepPast(review!.escalateAt);
    await eventually(async () => expect((await handle.query(stateQuery)).status).toBe('due'));
    expect((await sent(reference)).at(-1)).toBe('review:due:review_owner');

    expect(overdue!.escalateAt).toBe(workingHoursInstant(nextWorkingDay(overdue!.dueOn)));
    await sleepPast(overdue!.escalateAt);
    await eventually(async () => expect((await handle.query(stateQuery)).status).toBe('overdue'));
    expect((await sent(reference)).at(-1)).toBe('review_overdue:escalation:owner_line_manager_and_quality_lead');
    expect(await h.models.Review.findById(reference, { status: 1 }).lean()).toMatchObject({ status: 'overdue' });

    // Again five working days on, and again: once each.
    const second = workingHoursInstant(addWorkingDays(londonDate(overdue!.escalateAt), 5).due);
    const third = workingHoursInstant(addWorkingDays(londonDate(second), 5).due);
    await sleepPast(third);
    await eventually(async () => expect((await sent(reference)).filter((s) => s.startsWith('review_overdue'))).toHaveLength(3));
    const escalations = await h.models.Notification.find({ reference, kind: 'escalation' }).sort({ createdAt: 1 }).lean();
    expect(escalations.map((n) => n._id)).toEqual([
      `${reference}:review_overdue:${overdue!.dueOn}:escalation`,
      `${reference}:review_overdue:${overdue!.dueOn}:escalation:2`,
      `${reference}:review_overdue:${overdue!.dueOn}:escalation:3`,
    ]);
    expect(escalations[1].createdAt.getTime()).toBeGreaterThanOrEqual(Date.parse(second));
    expect((await handle.query(stateQuery)).deadlines.review_overdue?.repeats).toEqual([second, third, expect.any(String)]);

    await applied(handle, REVIEW_UPDATES.record, record(await today()));
    expect((await finished(handle)).status).toBe('completed');
    // No further escalation once recorded.
    await h.env.sleep(10 * DAY);
    expect((await sent(reference)).filter((s) => s.startsWith('review_overdue'))).toHaveLength(3);
  });
});

test('rescheduled: the new date re-arms its reminders and the old ones never fire; cancelled with a reason, every clock stops', async () => {
  await h.withWorker(async () => {
    const { reference, handle, state } = await schedule();
    const original = state.deadlines.review!;
    await sleepPast(original.reminders[0]);
    await eventually(async () => expect(await sent(reference)).toHaveLength(1));

    const rescheduledOn = await today();
    const dueOn = addCalendarDays(original.dueOn, 60);
    const moved = await applied(handle, REVIEW_UPDATES.reschedule, { actor, rescheduledOn, reason: 'Second phase went live late', dueOn });
    expect(moved).toMatchObject({ status: 'scheduled', reschedulings: [{ rescheduledOn, previousDueOn: original.dueOn, dueOn, reason: 'Second phase went live late' }] });
    expect(moved.deadlines.review?.dueOn).toBe(dueOn);
    expect(moved.deadlines.review?.basis.rule).toBe('date agreed with the owner');
    expect(moved.deadlines.review?.reminders).toHaveLength(2);

    // Past the old date: neither due nor overdue.
    await sleepPast(original.escalateAt);
    await h.env.sleep(3 * DAY);
    expect((await handle.query(stateQuery)).status).toBe('scheduled');
    expect(await sent(reference)).toHaveLength(1);

    await sleepPast(moved.deadlines.review!.reminders[0]);
    await eventually(async () => expect(await sent(reference)).toHaveLength(2));

    // Refused: a date not ahead of the day, then the same date again.
    await expect(applied(handle, REVIEW_UPDATES.reschedule, { actor, rescheduledOn: await today(), reason: 'x', dueOn: await today() })).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(applied(handle, REVIEW_UPDATES.reschedule, { actor, rescheduledOn: await today(), reason: 'x', dueOn })).rejects.toThrow(WorkflowUpdateFailedError);

    const cancelled = await applied(handle, REVIEW_UPDATES.cancel, { actor, cancelledOn: await today(), reason: 'Service decommissioned' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellationReason: 'Service decommissioned' });
    expect((await finished(handle)).status).toBe('cancelled');
    await expect(applied(handle, REVIEW_UPDATES.record, record(await today()))).rejects.toThrow();
    await sleepPast(moved.deadlines.review_overdue!.escalateAt);
    expect(await sent(reference)).toHaveLength(2);
    const timeline = await h.models.Timeline.find({ reference }).sort({ seq: 1 }).lean();
    expect(timeline.map((e) => e.type)).toEqual(['scheduled', 'reminder_sent', 'rescheduled', 'reminder_sent', 'cancelled']);
  });
});

test('rescheduled by a new go-live date: due six months after it', async () => {
  await h.withWorker(async () => {
    const { handle, goLiveOn } = await schedule();
    const newGoLive = addCalendarDays(goLiveOn, 45);
    const moved = await applied(handle, REVIEW_UPDATES.reschedule, { actor, rescheduledOn: await today(), reason: 'Go-live slipped', goLiveOn: newGoLive });
    expect(moved.goLiveOn).toBe(newGoLive);
    expect(moved.deadlines.review?.dueOn).toBe(reviewDueOn(newGoLive));
    expect(moved.deadlines.review?.basis).toMatchObject({ calendarMonths: 6, start: newGoLive });
  });
});

test('scheduled late, with the due date already past: no reminders; marked due and escalated from then, in working hours; then at the interval, not once per missed week', async () => {
  await h.withWorker(async () => {
    const goLiveOn = addCalendarMonths(await today(), -8);
    const scheduledAt = await h.env.currentTimeMs();
    const { reference, handle, state } = await schedule({ goLiveOn });
    const { review, review_overdue: overdue } = state.deadlines;
    expect(review?.reminders).toEqual([]);
    // At once if the office is open, else at 09:00 on the next working day; never at night or a weekend.
    for (const at of [review!.escalateAt, overdue!.escalateAt]) {
      expect(Date.parse(at)).toBeGreaterThanOrEqual(scheduledAt);
      expect(workingHoursOnOrAfter(at)).toBe(at);
      expect(Date.parse(at) - scheduledAt).toBeLessThan(5 * DAY);
    }
    await sleepPast(overdue!.escalateAt);
    await eventually(async () => expect((await handle.query(stateQuery)).status).toBe('overdue'));
    expect(await sent(reference)).toEqual(['review:due:review_owner', 'review_overdue:escalation:owner_line_manager_and_quality_lead']);
    const repeats = (await handle.query(stateQuery)).deadlines.review_overdue?.repeats ?? [];
    expect(repeats).toEqual([workingHoursInstant(addWorkingDays(londonDate(overdue!.escalateAt), 5).due)]);
    await sleepPast(repeats[0]);
    await eventually(async () => expect((await sent(reference)).filter((s) => s.startsWith('review_overdue'))).toHaveLength(2));
  });
});

test('scheduled late, with the due date near: only the reminders still ahead are sent', async () => {
  await h.withWorker(async () => {
    // Due in about two weeks: the four-week reminder has passed, the one-week one has not.
    const goLiveOn = addCalendarDays(addCalendarMonths(await today(), -6), 14);
    const { reference, state } = await schedule({ goLiveOn });
    const review = state.deadlines.review!;
    expect(review.reminders).toEqual([workingHoursInstant(workingDayOnOrBefore(addCalendarDays(review.dueOn, -7)))]);
    await h.env.sleep(DAY);
    expect(await sent(reference)).toEqual([]);
    await sleepPast(review.reminders[0]);
    await eventually(async () => expect(await sent(reference)).toEqual(['review:reminder:review_owner']));
  });
});

test('went live without its engagement log: the quality lead is told once, as it is scheduled, not again as it is rescheduled or falls due', async () => {
  await h.withWorker(async () => {
    const { reference, handle, scheduledOn, state } = await schedule({ missingAssessments: ['engagementLog'] });
    expect(state.missingAssessments).toEqual(['engagementLog']);
    await eventually(async () => expect(await sent(reference)).toEqual(['missing_assessments:missing_assessments:quality_lead']));
    const row = (await h.models.Notification.find({ reference }).lean())[0];
    expect(row).toMatchObject({ _id: `${reference}:missing_assessments:${scheduledOn}`, dueOn: scheduledOn });
    expect(row.subject).toBe(`${reference} (Community diabetes clinic): Went live without: the engagement log`);
    const timeline = await h.models.Timeline.find({ reference }).sort({ seq: 1 }).lean();
    expect(timeline[0]).toMatchObject({ type: 'scheduled', data: { missingAssessments: ['engagementLog'] } });
    await applied(handle, REVIEW_UPDATES.reschedule, { actor, rescheduledOn: await today(), reason: 'Phase two', dueOn: addCalendarDays(state.deadlines.review!.dueOn, 14) });
    await sleepPast((await handle.query(stateQuery)).deadlines.review!.escalateAt);
    await eventually(async () => expect((await handle.query(stateQuery)).status).toBe('due'));
    expect((await sent(reference)).filter((n) => n.startsWith('missing_assessments'))).toHaveLength(1);

    // All three done: nothing for the quality lead.
    const complete = await schedule();
    await h.env.sleep(60_000);
    expect(await sent(complete.reference)).toEqual([]);
  });
});

test('recorded, then "you said, we did" fed back to those who took part: the finished review is resumed for it, and its timeline goes on', async () => {
  await h.withWorker(async () => {
    const { reference, handle } = await schedule();
    const reviewedOn = await today();
    await applied(handle, REVIEW_UPDATES.record, record(reviewedOn));
    expect((await finished(handle)).status).toBe('completed');
    await eventually(async () => expect(await h.models.Review.findById(reference).lean()).toMatchObject({ status: 'completed', projectionVersion: 2 }));
    await h.env.sleep(20 * DAY);
    const givenOn = await today();
    // Through the API's own path: the Update finds no running workflow, and the review is resumed.
    const service = new ReviewService({ models: h.models, temporal: h.env.client, taskQueue: h.taskQueue, calls: new TemporalCalls(h.env.client) });
    const given = { actor, givenOn, method: 'stakeholder_bulletin' as const, to: 'Bromley stakeholder bulletin readers' };
    await expect(service.cases.event(reference, REVIEW_UPDATES.cancel, { actor, cancelledOn: givenOn, reason: 'x' })).rejects.toMatchObject({ status: 409 });
    const { live } = await service.cases.event(reference, REVIEW_UPDATES.feedback, given, { revives: true });
    started.push(h.env.client.workflow.getHandle(handle.workflowId));
    expect(live).toMatchObject({ status: 'completed', reviewedOn, feedback: [{ givenOn, method: 'stakeholder_bulletin', to: 'Bromley stakeholder bulletin readers' }] });
    const timeline = await h.models.Timeline.find({ reference }).sort({ seq: 1 }).lean();
    expect(timeline.map((e) => `${e.seq}:${e.type}`)).toEqual(['1:scheduled', '2:review_recorded', '3:feedback_given']);
    expect(timeline[2].actor).toEqual(actor);
    expect(await h.models.Review.findById(reference).lean()).toMatchObject({ status: 'completed', projectionVersion: 3, feedback: [{ givenOn, method: 'stakeholder_bulletin', to: 'Bromley stakeholder bulletin readers' }] });
    // No clock restarts: nothing is sent.
    expect(await sent(reference)).toEqual([]);
  });
});

test('a note is kept in the timeline and changes nothing else; a cancelled review takes none', async () => {
  await h.withWorker(async () => {
    const { handle, state } = await schedule();
    const noted = await applied(handle, REVIEW_UPDATES.note, { actor, notedOn: await today(), text: 'Go-live slipped a week' });
    expect(noted).toEqual(state);
    await applied(handle, REVIEW_UPDATES.cancel, { actor, cancelledOn: await today(), reason: 'Service decommissioned' });
    await expect(applied(handle, REVIEW_UPDATES.note, { actor, notedOn: await today(), text: 'Too late' })).rejects.toThrow();
    expect((await finished(handle)).status).toBe('cancelled');
  });
});
