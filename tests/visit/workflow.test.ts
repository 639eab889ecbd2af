import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { VISIT_UPDATES } from '../../contracts/visit/events';
import { addWorkingDays, londonDate, nextWorkingDay, subtractWorkingDays, workingHoursInstant, workingHoursOnOrAfter } from '../../lib/calendar';
import { caseWorkflowId } from '../../contracts/kernel/case';
import {
  actionPlanLinkId,
  DEFAULTS,
  noticeId,
  snapshotQuery,
  stateQuery,
  type VisitWorkflowInput,
} from '../../contracts/visit/definitions';
import { visitWorkflow } from '../../workflows/visit/workflow';
import { eventually, Harness } from '../helpers/harness';
import { timeSkippingFile } from '../helpers/workflow-file';
import { applied } from '../helpers/events';

/** The visit's paths on the time-skipping server, where time is the point. */

/** Who sends each event, as the API would say: a member of the quality team not on the panel. */
const actor = { id: 'qo-9', name: 'Robin Officer', role: 'quality_team' };
/** A member of staff on every panel here. */
const panellist = { id: 'qo-7', name: 'Sam Panellist', role: 'quality_team' };

let h: Harness;
let counter = 0;

const file = timeSkippingFile('visit_wf', 'visit');
const { started, sleepPast, sent } = file;
const finished = (handle: WorkflowHandle<typeof visitWorkflow>) => file.finished(handle, stateQuery);
beforeAll(() => void (h = file.harness()));

const DAY = 24 * 60 * 60 * 1000;
const now = async () => londonDate(await h.env.currentTimeMs());

/** Plan a visit the way the API does: the record first (the panel's names only there), then its workflow. */
async function planVisit(opts: { announced?: boolean; workingDaysAhead?: number; visitDate?: string; historyLimit?: number } = {}) {
  const today = await now();
  const reference = `VIS-2026-${String(++counter).padStart(6, '0')}`;
  const visitDate = opts.visitDate ?? addWorkingDays(today, opts.workingDaysAhead ?? 20).due;
  const announced = opts.announced ?? true;
  const input: VisitWorkflowInput = {
    reference,
    providerCode: 'RJ2',
    plannedOn: today,
    announced,
    reasons: ['complaints', 'friends_and_family_test'],
    linkedComplaints: [],
    visitDate,
    panel: [
      { id: 'member-1', role: 'lay_member' },
      { id: 'member-2', role: 'patient_representative' },
      { id: panellist.id, role: 'quality_team' },
    ],
    settings: { noticeWorkingDays: DEFAULTS.noticeWorkingDays, draftReportWorkingDays: DEFAULTS.draftReportWorkingDays, factualAccuracyWorkingDays: DEFAULTS.factualAccuracyWorkingDays },
    historyLimit: opts.historyLimit,
  };
  await h.models.Visit.create({
    _id: reference,
    providerCode: 'RJ2',
    service: 'Ward 7 (older people)',
    reasons: input.reasons,
    announced,
    plannedOn: today,
    visitDate,
    panel: [
      { id: 'member-1', name: 'Pat Lay', role: 'lay_member' },
      { id: 'member-2', name: 'Jo Representative', role: 'patient_representative' },
      { id: panellist.id, name: panellist.name, role: 'quality_team', staffId: panellist.id },
    ],
    status: 'planned',
    workflowId: caseWorkflowId('visit', reference),
    workflowInput: input,
  });
  const handle = await h.env.client.workflow.start(visitWorkflow, { workflowId: caseWorkflowId('visit', reference), taskQueue: h.taskQueue, args: [input] });
  started.push(handle);
  const state = await eventually(async () => {
    const s = await handle.query(stateQuery);
    expect(s.deadlines.visit).toBeDefined();
    return s;
  });
  return { reference, handle, today, visitDate, state };
}

const notifications = (reference: string) => h.models.Notification.find({ reference }).sort({ createdAt: 1, _id: 1 }).lean();
const timeline = async (reference: string) => (await h.models.Timeline.find({ reference }).sort({ seq: 1 }).lean()).map((e) => e.type);

/** The refusal an Update met, as the API would answer it (409 with this message). */
async function refused(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((err as WorkflowUpdateFailedError).cause as Error).message;
}

test('on time: an announced visit notifies the provider two weeks ahead, reminds the panel, and runs to a final report whose recommendations start an action plan', async () => {
  await h.withWorker(async () => {
    const { reference, handle, visitDate, state } = await planVisit();
    const notice = state.deadlines[noticeId(visitDate)]!;
    expect(notice.dueOn).toBe(subtractWorkingDays(visitDate, 10));
    expect(state.deadlines.information!.dueOn).toBe(subtractWorkingDays(visitDate, 3));
    expect(state.deadlines.visit!.reminders).toEqual([5, 1].map((d) => workingHoursInstant(subtractWorkingDays(visitDate, d))));

    await sleepPast(notice.escalateAt);
    await eventually(async () => expect(await sent(reference)).toEqual([`provider_notice:${visitDate}:notify_provider:provider`]));
    const notified = await handle.query(stateQuery);
    expect(notified).toMatchObject({ providerNotifiedOn: notice.dueOn, providerNotifiedFor: visitDate });
    await applied(handle, VISIT_UPDATES.information, { actor, receivedOn: await now() });

    await sleepPast(workingHoursInstant(visitDate));
    await eventually(async () => expect(await sent(reference)).toEqual([`provider_notice:${visitDate}:notify_provider:provider`, 'visit:reminder:panel', 'visit:reminder:panel']));
    let s = await applied(handle, VISIT_UPDATES['took-place'], { actor, visitedOn: visitDate });
    expect(s.deadlines.draft_report!.dueOn).toBe(addWorkingDays(visitDate, 15).due);
    await h.env.sleep(5 * DAY);
    const sentOn = await now();
    s = await applied(handle, VISIT_UPDATES['draft-report'], { actor, sentOn });
    const window = s.deadlines.factual_accuracy!;
    expect(window.dueOn).toBe(addWorkingDays(sentOn, 10).due);
    await h.env.sleep(3 * DAY);
    const commentsOn = await now();
    s = await applied(handle, VISIT_UPDATES['provider-comments'], { actor, receivedOn: commentsOn });
    expect(s).toMatchObject({ status: 'comments_received', factualAccuracy: { endedOn: commentsOn, comments: true } });

    // Someone who sat on the panel may not review the comments.
    expect(await refused(applied(handle, VISIT_UPDATES['comments-review'], { actor: panellist, reviewedOn: commentsOn, changesMade: true }))).toMatch(/sat on the visit’s panel/);
    s = await applied(handle, VISIT_UPDATES['comments-review'], { actor, reviewedOn: commentsOn, changesMade: true });
    expect(s).toMatchObject({ status: 'finalising', review: { reviewerId: actor.id, changesMade: true } });
    expect(s.deadlines.final_report!.dueOn).toBe(addWorkingDays(commentsOn, 10).due);
    await applied(handle, VISIT_UPDATES['final-report'], { actor, publishedOn: commentsOn, recommendations: [{ summary: 'Fluid balance charts completed every shift', dueOn: addWorkingDays(commentsOn, 40).due }, { summary: 'Call bells answered within 5 minutes' }] });
    const result = await finished(handle);
    expect(result).toMatchObject({ status: 'completed', actionPlan: { linkId: actionPlanLinkId(reference), requestedOn: commentsOn } });

    // The action plan (process 4) finds the request; the visit names it.
    const link = await eventually(async () => {
      const row = await h.models.ActionPlanLink.findById(actionPlanLinkId(reference)).lean();
      expect(row).not.toBeNull();
      return row!;
    });
    expect(link).toMatchObject({ source: { kind: 'visit', reference }, providerCode: 'RJ2', service: 'Ward 7 (older people)', status: 'awaiting_plan', actionPlanReference: null });
    expect(link.recommendations.map((r) => r.n)).toEqual([1, 2]);
    const record = await h.models.Visit.findById(reference).lean();
    // The request is for the action-plan process; the visit's links name only real cases.
    expect(record).toMatchObject({ status: 'completed', nextDueOn: null, links: [] });
    expect(await timeline(reference)).toEqual([
      'planned', 'provider_notified', 'information_received', 'reminder_sent', 'reminder_sent', 'visit_took_place',
      'draft_report_sent', 'provider_comments_received', 'comments_reviewed', 'final_report_published',
    ]);
    expect((await sent(reference)).filter((n) => n.includes('escalation'))).toEqual([]);
  });
});

test('postponed: the visit moves, its alarms re-arm for the new date, and the provider is told of it', async () => {
  await h.withWorker(async () => {
    const { reference, handle, visitDate, state } = await planVisit();
    const notice = state.deadlines[noticeId(visitDate)]!;
    await sleepPast(notice.escalateAt);
    await eventually(async () => expect(await sent(reference)).toEqual([`provider_notice:${visitDate}:notify_provider:provider`]));
    const postponedOn = await now();
    const newVisitDate = addWorkingDays(visitDate, 15).due;
    const s = await applied(handle, VISIT_UPDATES.postpone, { actor, postponedOn, newVisitDate, reason: 'Ward closed to visitors (norovirus)' });
    expect(s).toMatchObject({ visitDate: newVisitDate, postponements: [{ postponedOn, from: visitDate, to: newVisitDate }] });
    expect(s.deadlines.visit!.dueOn).toBe(newVisitDate);
    expect(s.deadlines[noticeId(newVisitDate)]!.dueOn).toBe(subtractWorkingDays(newVisitDate, 10));
    expect(s.deadlines[noticeId(visitDate)]).toBeUndefined();

    // Past the old date: nothing for it fires, because it moved.
    await sleepPast(workingHoursInstant(addWorkingDays(visitDate, 1).due));
    const fired = (await handle.query(snapshotQuery)).meta.fired;
    expect(fired.filter((k) => k.includes(`:${visitDate}:`) && !k.startsWith('provider_notice'))).toEqual([]);

    await sleepPast(s.deadlines.visit!.escalateAt);
    await eventually(async () =>
      expect((await notifications(reference)).map((n) => `${n.deadline}:${n.kind}:${n.dueOn}`)).toEqual([
        `provider_notice:${visitDate}:notify_provider:${notice.dueOn}`,
        // The information the provider owes now falls due before the new date.
        `provider_notice:${newVisitDate}:notify_provider:${s.deadlines[noticeId(newVisitDate)]!.dueOn}`,
        `information:reminder:${s.deadlines.information!.dueOn}`,
        `visit:reminder:${newVisitDate}`,
        `information:escalation:${s.deadlines.information!.dueOn}`,
        `visit:reminder:${newVisitDate}`,
        `visit:escalation:${newVisitDate}`,
      ]),
    );
    expect((await handle.query(stateQuery)).providerNotifiedFor).toBe(newVisitDate);
    expect((await timeline(reference)).slice(0, 3)).toEqual(['planned', 'provider_notified', 'postponed']);
  });
});

test('postponed the day its notice went, to a date whose notice is due that same day: the provider is told of the new date', async () => {
  await h.withWorker(async () => {
    // Five working days ahead: the notice (10 before) is already due, and goes at once, in working hours.
    const openedAt = await h.env.currentTimeMs();
    const { reference, handle, visitDate, state } = await planVisit({ workingDaysAhead: 5 });
    const first = state.deadlines[noticeId(visitDate)]!;
    expect(first.dueOn).toBe(await now());
    expect(Date.parse(first.escalateAt)).toBeGreaterThanOrEqual(Date.parse(workingHoursOnOrAfter(openedAt)));
    await sleepPast(first.escalateAt);
    await eventually(async () => expect(await sent(reference)).toEqual([`provider_notice:${visitDate}:notify_provider:provider`]));
    const postponedOn = await now();
    const newVisitDate = addWorkingDays(visitDate, 2).due;
    const s = await applied(handle, VISIT_UPDATES.postpone, { actor, postponedOn, newVisitDate, reason: 'Panel member unwell' });
    expect(s.deadlines[noticeId(newVisitDate)]!.dueOn).toBe(first.dueOn);
    await eventually(async () =>
      expect((await notifications(reference)).filter((n) => n.kind === 'notify_provider').map((n) => [n.deadline, n.dueOn])).toEqual([
        [noticeId(visitDate), first.dueOn],
        [noticeId(newVisitDate), first.dueOn],
      ]),
    );
    expect((await handle.query(stateQuery)).providerNotifiedFor).toBe(newVisitDate);
  });
});

test('brought forward inside its notice period: refused without a reason; with one, the provider is told of the new date at once and the visit is recorded on it', async () => {
  await h.withWorker(async () => {
    const { reference, handle, visitDate, state } = await planVisit({ workingDaysAhead: 25 });
    const notice = state.deadlines[noticeId(visitDate)]!;
    await sleepPast(notice.escalateAt);
    await eventually(async () => expect(await sent(reference)).toEqual([`provider_notice:${visitDate}:notify_provider:provider`]));
    const redatedOn = await now();
    const earlier = addWorkingDays(redatedOn, 3).due;
    // Recorded on another day than its date: refused, saying to re-date it first.
    expect(await refused(applied(handle, VISIT_UPDATES['took-place'], { actor, visitedOn: redatedOn }))).toMatch(/planned for .*re-date it first/);
    const forward = { actor, postponedOn: redatedOn, newVisitDate: earlier, reason: 'The ward manager asked for an earlier date' };
    expect(await refused(applied(handle, VISIT_UPDATES.postpone, forward))).toMatch(/inside the provider’s notice period of 10 working days/);
    const s = await applied(handle, VISIT_UPDATES.postpone, { ...forward, shortNoticeReason: 'Night staffing concerns need seeing at once' });
    expect(s).toMatchObject({ visitDate: earlier, postponements: [{ postponedOn: redatedOn, from: visitDate, to: earlier, shortNoticeReason: 'Night staffing concerns need seeing at once' }] });
    // The notice for the new date is due at once; the old one is done with.
    expect(s.deadlines[noticeId(earlier)]!.dueOn).toBe(redatedOn);
    expect(s.deadlines[noticeId(visitDate)]).toBeUndefined();
    expect(s.deadlines.visit!.dueOn).toBe(earlier);
    await eventually(async () => expect(await sent(reference)).toContain(`provider_notice:${earlier}:notify_provider:provider`));
    await sleepPast(workingHoursInstant(earlier));
    const visited = await applied(handle, VISIT_UPDATES['took-place'], { actor, visitedOn: earlier });
    expect(visited).toMatchObject({ status: 'visited', visitedOn: earlier, visitDate: earlier });
    expect((await timeline(reference)).slice(0, 3)).toEqual(['planned', 'provider_notified', 'brought_forward']);
  });
});

test('the provider silent through its factual-accuracy window: the window ends by itself and the report is finalised without comments', async () => {
  await h.withWorker(async () => {
    const { reference, handle, visitDate } = await planVisit({ announced: false, workingDaysAhead: 2 });
    await sleepPast(workingHoursInstant(visitDate));
    await applied(handle, VISIT_UPDATES['took-place'], { actor, visitedOn: visitDate });
    const sentOn = await now();
    const s = await applied(handle, VISIT_UPDATES['draft-report'], { actor, sentOn });
    const window = s.deadlines.factual_accuracy!;
    await sleepPast(window.escalateAt);
    const ended = await eventually(async () => {
      const st = await handle.query(stateQuery);
      expect(st.status).toBe('finalising');
      return st;
    });
    expect(ended.factualAccuracy).toEqual({ endedOn: window.dueOn, comments: false });
    await eventually(async () =>
      expect((await sent(reference)).filter((n) => n.startsWith('factual_accuracy'))).toEqual([
        'factual_accuracy:reminder:provider',
        'factual_accuracy:window_end:case_owner',
      ]),
    );
    // Comments after the window are refused, saying so.
    expect(await refused(applied(handle, VISIT_UPDATES['provider-comments'], { actor, receivedOn: await now() }))).toMatch(/ended on .* without comments/);
    expect(ended.deadlines.final_report!.dueOn).toBe(addWorkingDays(window.dueOn, 10).due);
    await applied(handle, VISIT_UPDATES['final-report'], { actor, publishedOn: await now(), recommendations: [] });
    expect(await finished(handle)).toMatchObject({ status: 'completed', finalReportOn: await now() });
    expect((await finished(handle)).actionPlan).toBeUndefined();
    expect(await h.models.ActionPlanLink.findById(actionPlanLinkId(reference)).lean()).toBeNull();
    // Planned two working days ahead: the panel's reminder a week before had already passed.
    expect(await timeline(reference)).toEqual(['planned', 'reminder_sent', 'visit_took_place', 'draft_report_sent', 'reminder_sent', 'factual_accuracy_window_ended', 'final_report_published']);
  });
});

test('a late draft report escalates to the quality lead, and again every 5 working days until it is sent', async () => {
  await h.withWorker(async () => {
    const { reference, handle, visitDate } = await planVisit({ announced: false, workingDaysAhead: 1 });
    await sleepPast(workingHoursInstant(visitDate));
    const s = await applied(handle, VISIT_UPDATES['took-place'], { actor, visitedOn: visitDate });
    const draft = s.deadlines.draft_report!;
    expect(draft).toMatchObject({ dueOn: addWorkingDays(visitDate, 15).due, repeatEveryWorkingDays: 5 });
    await sleepPast(draft.escalateAt);
    await eventually(async () => expect((await sent(reference)).filter((n) => n.startsWith('draft_report'))).toEqual(['draft_report:reminder:case_owner', 'draft_report:escalation:quality_lead']));
    const again = workingHoursInstant(addWorkingDays(londonDate(draft.escalateAt), 5).due);
    await sleepPast(again);
    await eventually(async () => expect((await sent(reference)).filter((n) => n === 'draft_report:escalation:quality_lead')).toHaveLength(2));
    expect((await handle.query(stateQuery)).deadlines.draft_report!.repeats).toContain(again);
    await applied(handle, VISIT_UPDATES['draft-report'], { actor, sentOn: await now() });
    await h.env.sleep(8 * DAY);
    expect((await sent(reference)).filter((n) => n === 'draft_report:escalation:quality_lead')).toHaveLength(2);
    expect(await h.models.Visit.findById(reference).lean()).toMatchObject({ status: 'draft_issued', nextDeadlineKind: 'factual_accuracy' });
  });
});

test('an unannounced visit never notifies the provider before it; a visit date passing unrecorded escalates', async () => {
  await h.withWorker(async () => {
    const { reference, handle, visitDate, state } = await planVisit({ announced: false, workingDaysAhead: 12 });
    expect(Object.keys(state.deadlines)).toEqual(['visit']);
    await sleepPast(state.deadlines.visit!.escalateAt);
    await eventually(async () => expect(await sent(reference)).toEqual(['visit:reminder:panel', 'visit:reminder:panel', 'visit:escalation:quality_lead']));
    expect(await refused(applied(handle, VISIT_UPDATES.information, { actor, receivedOn: await now() }))).toMatch(/unannounced/);
    await applied(handle, VISIT_UPDATES['took-place'], { actor, visitedOn: visitDate });
    expect((await notifications(reference)).filter((n) => n.audience === 'provider')).toEqual([]);
    expect((await handle.query(stateQuery)).providerNotifiedOn).toBeUndefined();
  });
});

test('an unannounced visit logged after it took place: due to be recorded the day it is logged, with no reminder and no escalation at once; recorded on its date', async () => {
  await h.withWorker(async () => {
    const loggedOn = await now();
    const visitDate = subtractWorkingDays(loggedOn, 3);
    const { reference, handle, state } = await planVisit({ announced: false, visitDate });
    const due = state.deadlines.visit!;
    expect(due).toMatchObject({ dueOn: addWorkingDays(loggedOn, 0).due, reminders: [], escalateAt: workingHoursInstant(nextWorkingDay(addWorkingDays(loggedOn, 0).due)) });
    expect(due.basis.rule).toBe(`an unannounced visit on ${visitDate}, logged after it on ${loggedOn}: due to be recorded at once`);
    expect(Object.keys(state.deadlines)).toEqual(['visit']);
    await eventually(async () => expect(await h.models.Visit.findById(reference).lean()).toMatchObject({ status: 'planned', nextDeadlineKind: 'visit', nextDueOn: due.dueOn }));
    // Not recorded that day: the quality lead hears the working morning after, not before.
    await h.env.sleep(60_000);
    expect(await sent(reference)).toEqual([]);
    await sleepPast(due.escalateAt);
    await eventually(async () => expect(await sent(reference)).toEqual(['visit:escalation:quality_lead']));
    const s = await applied(handle, VISIT_UPDATES['took-place'], { actor, visitedOn: visitDate });
    expect(s).toMatchObject({ status: 'visited', visitedOn: visitDate });
    expect(s.deadlines.draft_report!.dueOn).toBe(addWorkingDays(visitDate, 15).due);
  });
});

test('a visit cancelled before it takes place stops every clock', async () => {
  await h.withWorker(async () => {
    const { reference, handle } = await planVisit();
    await applied(handle, VISIT_UPDATES.cancel, { actor, cancelledOn: await now(), reason: 'CQC inspection under way' });
    expect(await finished(handle)).toMatchObject({ status: 'cancelled' });
    await h.env.sleep(30 * DAY);
    expect(await notifications(reference)).toEqual([]);
    expect(await h.models.Visit.findById(reference).lean()).toMatchObject({ status: 'cancelled', nextDueOn: null });
  });
});

test('a visit continued as new mid-way keeps its state, its fired alarms and its pending dates', async () => {
  await h.withWorker(async () => {
    const { reference, handle, visitDate, state } = await planVisit({ historyLimit: 20 });
    const notice = state.deadlines[noticeId(visitDate)]!;
    await sleepPast(notice.escalateAt);
    await eventually(async () => expect(await sent(reference)).toEqual([`provider_notice:${visitDate}:notify_provider:provider`]));
    await applied(handle, VISIT_UPDATES.information, { actor, receivedOn: await now() });
    const latest = h.env.client.workflow.getHandle(handle.workflowId);
    await eventually(async () => expect((await latest.describe()).runId).not.toBe(handle.firstExecutionRunId));

    const continued = await latest.query(snapshotQuery);
    expect(continued.case).toMatchObject({ status: 'planned', providerNotifiedFor: visitDate, panel: state.panel });
    expect(continued.meta.fired).toEqual([`${noticeId(visitDate)}:${notice.dueOn}:notify_provider`]);
    // The panel's reminders armed before the run ended still go, once each; the notice does not repeat.
    await sleepPast(workingHoursInstant(visitDate));
    await eventually(async () => expect(await sent(reference)).toEqual([`provider_notice:${visitDate}:notify_provider:provider`, 'visit:reminder:panel', 'visit:reminder:panel']));
    await applied(latest, VISIT_UPDATES['took-place'], { actor, visitedOn: visitDate });
    const rows = await h.models.Timeline.find({ reference }).sort({ seq: 1 }).lean();
    expect(rows.map((e) => e.type)).toEqual(['planned', 'provider_notified', 'information_received', 'reminder_sent', 'reminder_sent', 'visit_took_place']);
    expect(rows.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await h.models.Visit.findById(reference).lean()).toMatchObject({ status: 'visited', projectionVersion: (await latest.query(snapshotQuery)).meta.version });
  });
});
