import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { COMPLAINT_UPDATES } from '../../contracts/complaint/events';
import { addCalendarDays, addCalendarMonths, addWorkingDays, londonDate, nextWorkingDay, subtractWorkingDays, workingDaysBetween, workingHoursInstant } from '../../lib/calendar';
import { acknowledgementDeadline, receiptChecks } from '../../records/complaint/start';
import { createReferenceData } from '../../api/reference-data';
import { ComplaintService } from '../../api/complaints/service';
import { TemporalCalls } from '../../api/temporal';
import type { ComplaintWorkflowInput } from '../../contracts/complaint/definitions';
import {
  snapshotQuery,
  stateQuery,
} from '../../contracts/complaint/definitions';
import { caseWorkflowId } from '../../contracts/kernel/case';

const complaintWorkflowId = (reference: string) => caseWorkflowId('complaint', reference);
/** Who sends each event, as the API would say. */
const actor = { id: 'officer-1', name: 'Test Officer', role: 'quality_team' };
/** Reg 14(2): a response signed by the responsible person, naming the right to go to the Ombudsman. */
const signed = { signedBy: 'chief.executive', ombudsmanRightsGiven: true } as const;
import { complaintWorkflow } from '../../workflows/complaint/workflow';
import { complaintRules } from '../../workflows/complaint/case';
import { eventually, Harness } from '../helpers/harness';
import { timeSkippingFile } from '../helpers/workflow-file';
import { applied } from '../helpers/events';

let h: Harness;
let counter = 0;

const file = timeSkippingFile('complaint_wf', 'complaint');
const { started, sleepPast } = file;
const finished = (handle: WorkflowHandle<typeof complaintWorkflow>) => file.finished(handle, stateQuery);
beforeAll(() => void (h = file.harness()));

const DAY = 24 * 60 * 60 * 1000;

/** Open a case the way the API does: the record first, then its workflow. */
async function openCase(opts: { consentToShare?: boolean; historyLimit?: number; receipt?: Parameters<typeof receiptChecks>[0] extends infer R ? Omit<R, 'receivedOn'> : never; receivedOn?: string } = {}) {
  // Received today, unless the case is opened late (received some days before it is opened).
  const today = opts.receivedOn ?? londonDate(await h.env.currentTimeMs());
  const reference = `CMP-2026-${String(++counter).padStart(6, '0')}`;
  const acknowledgement = acknowledgementDeadline(today);
  await h.models.Complaint.create({
    _id: reference,
    providerCode: 'RJ2',
    source: 'complainant',
    receivedOn: today,
    category: 'communication',
    summary: 'Test complaint',
    consentToShare: opts.consentToShare ?? true,
    communicationNeeds: ['large_print'],
    status: 'received',
    acknowledgeBy: acknowledgement.dueOn,
    workflowId: complaintWorkflowId(reference),
  });
  const input: ComplaintWorkflowInput = {
    reference,
    providerCode: 'RJ2',
    receivedOn: today,
    consentToShare: opts.consentToShare ?? true,
    acknowledgement,
    historyLimit: opts.historyLimit,
    ...(opts.receipt && { receipt: receiptChecks({ ...opts.receipt, receivedOn: today }) }),
  };
  await h.models.Complaint.updateOne({ _id: reference }, { workflowInput: input });
  const handle = await h.env.client.workflow.start(complaintWorkflow, { workflowId: complaintWorkflowId(reference), taskQueue: h.taskQueue, args: [input] });
  started.push(handle);
  return { reference, handle, today, acknowledgement };
}

const notifications = (reference: string) => h.models.Notification.find({ reference }).sort({ createdAt: 1 }).lean();

test('on-time path: acknowledged, provider account, response, closure, window ends after 12 months', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today } = await openCase();
    let state = await applied(handle, COMPLAINT_UPDATES.acknowledge, { actor, acknowledgedOn: today });
    expect(state.status).toBe('acknowledged');
    expect(state.deadlines.response?.dueOn).toBe(addWorkingDays(today, 25).due);
    state = await applied(handle, COMPLAINT_UPDATES['provider-request'], { actor, requestedOn: today });
    expect(state.deadlines.provider_account?.dueOn).toBe(addWorkingDays(today, 10).due);
    await h.env.sleep(2 * DAY);
    const day2 = londonDate(await h.env.currentTimeMs());
    await applied(handle, COMPLAINT_UPDATES['provider-response'], { actor, receivedOn: day2 });
    await applied(handle, COMPLAINT_UPDATES.respond, { actor, respondedOn: day2, ...signed });
    state = await applied(handle, COMPLAINT_UPDATES.close, { actor, closedOn: day2, outcome: 'partly_upheld', lessonsLearned: 'Discharge letters to go out the same day' });
    expect(state.status).toBe('closed');
    expect(state.deadlines.ombudsman_window?.dueOn).toBe(addCalendarMonths(day2, 12));

    await sleepPast(state.deadlines.ombudsman_window!.escalateAt);
    const result = await finished(handle);
    expect(result.status).toBe('completed');
    expect(await notifications(reference)).toEqual([]);
    const record = await h.models.Complaint.findById(reference).lean();
    expect(record).toMatchObject({ status: 'completed', outcome: 'partly_upheld', projectionVersion: (await handle.query(snapshotQuery)).meta.version });
    const timeline = await h.models.Timeline.find({ reference }).sort({ seq: 1 }).lean();
    expect(timeline.map((e) => e.type)).toEqual([
      'received',
      'acknowledged',
      'provider_account_requested',
      'provider_account_received',
      'responded',
      'closed',
      'ombudsman_window_ended',
    ]);
  });
});

test('an acknowledgement is reminded on the morning it is due, and a missed one escalates to the quality lead in working hours', async () => {
  await h.withWorker(async () => {
    const { reference, handle, acknowledgement } = await openCase();
    // Reg 2's calendar: three working days, whatever local closure days there are.
    expect(acknowledgement.basis.calendar).toBe('statutory');
    expect(acknowledgement.reminders).toEqual([workingHoursInstant(acknowledgement.dueOn)]);
    await sleepPast(acknowledgement.reminders[0]);
    const [reminder] = await eventually(async () => {
      const n = await notifications(reference);
      expect(n).toHaveLength(1);
      return n;
    });
    expect(reminder).toMatchObject({ kind: 'reminder', deadline: 'acknowledgement', audience: 'case_owner', dueOn: acknowledgement.dueOn });

    await sleepPast(acknowledgement.escalateAt);
    const [, sent] = await eventually(async () => {
      const n = await notifications(reference);
      expect(n).toHaveLength(2);
      return n;
    });
    expect(sent).toMatchObject({ kind: 'escalation', deadline: 'acknowledgement', audience: 'quality_lead', dueOn: acknowledgement.dueOn });
    expect(sent.communicationNeeds).toEqual(['large_print']);
    // Raised at 09:00 London on the first working day after the missed date, not at midnight.
    expect(acknowledgement.escalateAt).toBe(workingHoursInstant(nextWorkingDay(acknowledgement.dueOn)));
    expect(sent.createdAt.getTime()).toBeGreaterThanOrEqual(Date.parse(acknowledgement.escalateAt));
    expect(sent.createdAt.getTime() - Date.parse(acknowledgement.escalateAt)).toBeLessThan(60 * 60 * 1000);
    const state = await handle.query(stateQuery);
    expect(state.status).toBe('received');
    expect((await handle.query(snapshotQuery)).meta.fired).toEqual([
      `acknowledgement:${acknowledgement.dueOn}:reminder`,
      `acknowledgement:${acknowledgement.dueOn}:escalation`,
    ]);
  });
});

test('a case opened late sends no stale reminder: received ten working days before it is opened, only the missed acknowledgement is escalated', async () => {
  await h.withWorker(async () => {
    const openedOn = londonDate(await h.env.currentTimeMs());
    const { reference, handle, acknowledgement } = await openCase({ receivedOn: subtractWorkingDays(openedOn, 10) });
    // Its reminder was for the morning it was due, a day over before the case was opened.
    expect(acknowledgement.dueOn < openedOn).toBe(true);
    const kinds = async () => (await notifications(reference)).map((n) => `${n.deadline}:${n.kind}:${n.audience}`);
    await eventually(async () => expect(await kinds()).toEqual(['acknowledgement:escalation:quality_lead']));
    await h.env.sleep(2 * DAY);
    expect(await kinds()).toEqual(['acknowledgement:escalation:quality_lead']);
    const timeline = await h.models.Timeline.find({ reference }).sort({ seq: 1 }).lean();
    expect(timeline.map((e) => e.type)).toEqual(['received', 'escalated']);
    expect(timeline[0].data).toMatchObject({ remindersSkipped: [`acknowledgement:${acknowledgement.dueOn}:reminder`] });
    expect((await handle.query(snapshotQuery)).meta.fired).toEqual([`acknowledgement:${acknowledgement.dueOn}:reminder`, `acknowledgement:${acknowledgement.dueOn}:escalation`]);
  });
});

test('a late provider account gets a reminder, then an escalation', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today } = await openCase();
    await applied(handle, COMPLAINT_UPDATES.acknowledge, { actor, acknowledgedOn: today });
    const state = await applied(handle, COMPLAINT_UPDATES['provider-request'], { actor, requestedOn: today, workingDays: 5 });
    const due = state.deadlines.provider_account!;
    expect(due.dueOn).toBe(addWorkingDays(today, 5).due);
    expect(due.reminders).toEqual([workingHoursInstant(subtractWorkingDays(due.dueOn, 2))]);

    await sleepPast(due.reminders[0]);
    await eventually(async () => expect((await notifications(reference)).map((n) => n.kind)).toEqual(['reminder']));
    await sleepPast(due.escalateAt);
    const sent = await eventually(async () => {
      const n = await notifications(reference);
      expect(n.map((x) => `${x.deadline}:${x.kind}:${x.audience}`)).toEqual([
        'provider_account:reminder:provider',
        'provider_account:escalation:quality_lead',
      ]);
      return n;
    });
    expect(sent[0].createdAt < sent[1].createdAt).toBe(true);
    // The account arriving late still counts; no more alarms for it.
    await applied(handle, COMPLAINT_UPDATES['provider-response'], { actor, receivedOn: londonDate(await h.env.currentTimeMs()) });
    const timeline = await h.models.Timeline.find({ reference }).sort({ seq: 1 }).lean();
    expect(timeline.map((e) => e.type)).toEqual([
      'received', 'acknowledged', 'provider_account_requested', 'reminder_sent', 'escalated', 'provider_account_received',
    ]);
  });
});

test('an extension moves the response deadline and re-arms its alarms', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today } = await openCase();
    let state = await applied(handle, COMPLAINT_UPDATES.acknowledge, { actor, acknowledgedOn: today });
    const original = state.deadlines.response!;
    const newDueOn = addWorkingDays(original.dueOn, 10).due;
    state = await applied(handle, COMPLAINT_UPDATES.extend, { actor, newDueOn, reason: 'Awaiting an independent clinical review', complainantAgreed: true, agreedOn: today });
    expect(state.deadlines.response?.dueOn).toBe(newDueOn);
    expect(state.extensions).toEqual([{ previousDueOn: original.dueOn, newDueOn, reason: 'Awaiting an independent clinical review', agreedOn: today }]);

    // Past the original date: nothing escalates, because the date moved.
    await sleepPast(original.escalateAt);
    await h.env.sleep(DAY);
    expect((await handle.query(snapshotQuery)).meta.fired.filter((key) => key.startsWith('response:'))).toEqual([]);
    expect((await notifications(reference)).filter((n) => n.deadline === 'response')).toEqual([]);

    await sleepPast(state.deadlines.response!.escalateAt);
    await eventually(async () =>
      expect((await notifications(reference)).filter((n) => n.deadline === 'response').map((n) => n._id)).toEqual([
        `${reference}:response:${newDueOn}:reminder`,
        `${reference}:response:${newDueOn}:escalation`,
      ]),
    );
  });
});

/** A case acknowledged, responded and closed today. */
async function closedCase() {
  const opened = await openCase();
  const { handle, today } = opened;
  await applied(handle, COMPLAINT_UPDATES.acknowledge, { actor, acknowledgedOn: today });
  await applied(handle, COMPLAINT_UPDATES.respond, { actor, respondedOn: today, ...signed });
  await applied(handle, COMPLAINT_UPDATES.close, { actor, closedOn: today, outcome: 'not_upheld', lessonsLearned: 'None' });
  return opened;
}

test('the Ombudsman stage: contact, investigation, draft report with comments chased, final report, complete when its recommendations are met', async () => {
  await h.withWorker(async () => {
    const { reference, handle } = await closedCase();
    await h.env.sleep(200 * DAY);
    const contactedOn = londonDate(await h.env.currentTimeMs());
    let state = await applied(handle, COMPLAINT_UPDATES['ombudsman-referral'], { actor, referredOn: contactedOn });
    expect(state).toMatchObject({ status: 'with_ombudsman', referredOn: contactedOn, ombudsman: { contactedOn, afterWindow: false } });
    // The window no longer runs: the Ombudsman's dates do.
    expect(complaintRules.armed(state)).toEqual([]);
    await applied(handle, COMPLAINT_UPDATES['ombudsman-investigation'], { actor, openedOn: contactedOn });
    const commentsDueOn = addWorkingDays(contactedOn, 10).due;
    state = await applied(handle, COMPLAINT_UPDATES['ombudsman-draft-report'], { actor, receivedOn: contactedOn, commentsDueOn });
    await sleepPast(state.deadlines.ombudsman_comments!.escalateAt);
    await eventually(async () =>
      expect((await notifications(reference)).filter((n) => n.deadline === 'ombudsman_comments').map((n) => [n.kind, n.audience])).toEqual([
        ['reminder', 'quality_lead'],
        ['escalation', 'quality_lead'],
      ]),
    );
    const finalOn = londonDate(await h.env.currentTimeMs());
    const dueOn = addWorkingDays(finalOn, 20).due;
    state = await applied(handle, COMPLAINT_UPDATES['ombudsman-final-report'], { actor, receivedOn: finalOn, finding: 'partly_upheld', recommendations: [{ summary: 'Apologise in writing', dueOn }, { summary: 'Review the discharge policy', dueOn: addCalendarDays(dueOn, 30) }] });
    expect(state.deadlines['recommendation:2']?.dueOn).toBe(addCalendarDays(dueOn, 30));
    await sleepPast(state.deadlines['recommendation:1']!.escalateAt);
    await eventually(async () => expect((await notifications(reference)).filter((n) => n.deadline === 'recommendation:1').map((n) => n.kind)).toEqual(['reminder', 'escalation']));
    const metOn = londonDate(await h.env.currentTimeMs());
    state = await applied(handle, COMPLAINT_UPDATES['ombudsman-compliance'], { actor, recommendation: 1, metOn, evidence: 'Letter sent' });
    expect(state.status).toBe('with_ombudsman');
    await applied(handle, COMPLAINT_UPDATES['ombudsman-compliance'], { actor, recommendation: 2, metOn, evidence: 'Policy v3 approved' });
    const result = await finished(handle);
    expect(result).toMatchObject({ status: 'completed', ombudsman: { finding: 'partly_upheld' } });
    expect(await h.models.Complaint.findById(reference).lean()).toMatchObject({ status: 'completed', nextDueOn: null });
  });
});

test('contact from the Ombudsman after the 12-month window resumes the finished case (s.9(4)), and its timeline goes on', async () => {
  await h.withWorker(async () => {
    const { reference, handle } = await closedCase();
    const closed = await handle.query(stateQuery);
    await sleepPast(closed.deadlines.ombudsman_window!.escalateAt);
    expect((await finished(handle)).status).toBe('completed');
    await h.env.sleep(60 * DAY);
    const referredOn = londonDate(await h.env.currentTimeMs());
    // Through the API's own path: the Update finds no running workflow, and the case is resumed.
    const service = new ComplaintService({
      models: h.models,
      temporal: h.env.client,
      taskQueue: h.taskQueue,
      referenceData: createReferenceData(h.models, 1_000),
      calls: new TemporalCalls(h.env.client),
    });
    // An event that does not revive still finds the case finished.
    await expect(service.cases.event(reference, COMPLAINT_UPDATES['ombudsman-referral'], { actor, referredOn })).rejects.toMatchObject({ status: 409 });
    const { live } = await service.cases.event(reference, COMPLAINT_UPDATES['ombudsman-referral'], { actor, referredOn }, { revives: true });
    expect(live).toMatchObject({ status: 'with_ombudsman', ombudsman: { contactedOn: referredOn, afterWindow: true }, outcome: 'not_upheld' });
    const revived = h.env.client.workflow.getHandle(complaintWorkflowId(reference));
    started.push(revived);
    const after = await applied(revived, COMPLAINT_UPDATES['ombudsman-final-report'], { actor, receivedOn: referredOn, finding: 'not_upheld', recommendations: [] });
    expect(after.status).toBe('completed');
    // The resumed run goes on from the last entry: nothing overwritten, nothing skipped. (That the
    // resumed run then ends is shown on the dev server, tests/complaint/api.test.ts: the
    // time-skipping server does not record a resumed run's Updates in its history.)
    const timeline = await h.models.Timeline.find({ reference }).sort({ seq: 1 }).lean();
    expect(timeline.map((e) => `${e.seq}:${e.type}`).slice(-3)).toEqual(['5:ombudsman_window_ended', '6:referred_to_ombudsman', '7:ombudsman_final_report']);
    expect(await h.models.Complaint.findById(reference).lean()).toMatchObject({ status: 'completed', projectionVersion: 7 });
  });
});

test('a hold pauses the response clock; resuming moves it by the working days the hold took', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today } = await openCase();
    let state = await applied(handle, COMPLAINT_UPDATES.acknowledge, { actor, acknowledgedOn: today });
    const before = state.deadlines.response!;
    await h.env.sleep(7 * DAY);
    const heldOn = londonDate(await h.env.currentTimeMs());
    state = await applied(handle, COMPLAINT_UPDATES.hold, { actor, heldOn, reason: 'police' });
    expect(state).toMatchObject({ status: 'on_hold', hold: { heldOn, reason: 'police' } });
    await sleepPast(before.escalateAt);
    await h.env.sleep(10 * DAY);
    expect((await notifications(reference)).filter((n) => n.deadline === 'response' || n.deadline === 'complainant_update')).toEqual([]);
    const resumedOn = londonDate(await h.env.currentTimeMs());
    state = await applied(handle, COMPLAINT_UPDATES.resume, { actor, resumedOn });
    const left = workingDaysBetween(heldOn, before.dueOn);
    expect(state).toMatchObject({ status: 'acknowledged', holds: [{ heldOn, resumedOn, reason: 'police' }] });
    expect(state.hold).toBeUndefined();
    expect(state.deadlines.response).toMatchObject({ dueOn: addWorkingDays(resumedOn, left).due, basis: { workingDays: left } });
    await sleepPast(state.deadlines.response!.escalateAt);
    await eventually(async () => expect((await notifications(reference)).filter((n) => n.deadline === 'response').map((n) => n.dueOn)).toEqual([state.deadlines.response!.dueOn, state.deadlines.response!.dueOn]));
  });
});

test('a safeguarding concern notifies the safeguarding lead on receipt; an oral complaint resolved the next working day closes with no clock', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today, acknowledgement } = await openCase({ receipt: { method: 'oral', safeguardingConcern: true } });
    await eventually(async () => expect((await notifications(reference)).map((n) => [n.kind, n.audience])).toEqual([['safeguarding_concern', 'safeguarding_lead']]));
    // The alert goes out as the case opens; its opening entry is written a moment after.
    await eventually(async () =>
      expect((await h.models.Timeline.find({ reference }).lean())[0]).toMatchObject({ type: 'received', data: { method: 'oral', safeguardingLeadNotified: true } }),
    );
    await applied(handle, COMPLAINT_UPDATES['informal-resolution'], { actor, resolvedOn: nextWorkingDay(today) });
    expect((await finished(handle)).status).toBe('resolved_informally');
    await sleepPast(acknowledgement.escalateAt);
    expect((await notifications(reference)).map((n) => n.kind)).toEqual(['safeguarding_concern']);
  });
});

test('another body leading: the response follows its date, and a missing contribution is chased (reg 9)', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today, acknowledgement } = await openCase();
    const responseDueOn = addWorkingDays(today, 40).due;
    const contributionDue = addWorkingDays(today, 10).due;
    let state = await applied(handle, COMPLAINT_UPDATES['lead-body'], { actor, agreedOn: today, leadBody: 'Anytown ICB', responseDueOn, contributions: [{ body: 'Anytown Council', dueOn: contributionDue }, { body: 'Anytown GP', dueOn: contributionDue }] });
    expect(state).toMatchObject({ status: 'acknowledged', lead: { body: 'Anytown ICB' } });
    expect(state.deadlines.acknowledgement).toBeUndefined();
    expect(state.deadlines.response?.dueOn).toBe(responseDueOn);
    await applied(handle, COMPLAINT_UPDATES.contribution, { actor, contribution: 2, receivedOn: today });
    await sleepPast(state.deadlines['contribution:1']!.escalateAt);
    await eventually(async () => expect((await notifications(reference)).filter((n) => n.kind === 'escalation').map((n) => n.deadline)).toEqual(['contribution:1']));
    // The commissioner's own acknowledgement clock stopped: nothing about it fell due.
    expect(Date.parse(acknowledgement.escalateAt)).toBeLessThan(await h.env.currentTimeMs());
    expect((await notifications(reference)).filter((n) => n.deadline === 'acknowledgement')).toEqual([]);
    state = await handle.query(stateQuery);
    expect(state.lead?.contributions.map((c) => c.receivedOn ?? null)).toEqual([null, today]);
  });
});

test('consent withdrawn after the provider was asked stops its account being chased (reg 7(3))', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today } = await openCase();
    await applied(handle, COMPLAINT_UPDATES.acknowledge, { actor, acknowledgedOn: today });
    const state = await applied(handle, COMPLAINT_UPDATES['provider-request'], { actor, requestedOn: today });
    const withdrawn = await applied(handle, COMPLAINT_UPDATES.consent, { actor, consentToShare: false, recordedOn: today });
    expect(withdrawn).toMatchObject({ consentToShare: false, consentWithdrawnOn: today });
    await sleepPast(state.deadlines.provider_account!.escalateAt);
    await h.env.sleep(2 * DAY);
    expect((await notifications(reference)).filter((n) => n.deadline === 'provider_account')).toEqual([]);
  });
});

test('six months without a response raises the letter to the complainant as a task', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today } = await openCase();
    await applied(handle, COMPLAINT_UPDATES.acknowledge, { actor, acknowledgedOn: today });
    const letter = (await handle.query(stateQuery)).deadlines.six_month_letter!;
    expect(letter.dueOn).toBe(addCalendarMonths(today, 6));
    await sleepPast(letter.escalateAt);
    const tasks = await eventually(async () => {
      const n = (await notifications(reference)).filter((x) => x.kind === 'task');
      expect(n).toHaveLength(1);
      return n;
    });
    expect(tasks[0]).toMatchObject({ deadline: 'six_month_letter', audience: 'case_owner', communicationNeeds: ['large_print'] });
  });
});

test('a case continued as new mid-way keeps its state, its fired alarms and its pending deadlines', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today } = await openCase({ historyLimit: 30 });
    await applied(handle, COMPLAINT_UPDATES.acknowledge, { actor, acknowledgedOn: today });
    const state = await applied(handle, COMPLAINT_UPDATES['provider-request'], { actor, requestedOn: today, workingDays: 5 });
    const due = state.deadlines.provider_account!;
    await sleepPast(due.reminders[0]);
    await eventually(async () => expect((await notifications(reference)).map((n) => n.kind)).toEqual(['reminder']));
    const latest = h.env.client.workflow.getHandle(handle.workflowId);
    await eventually(async () => expect((await latest.describe()).runId).not.toBe(handle.firstExecutionRunId));

    const continued = await latest.query(snapshotQuery);
    expect(continued.case).toMatchObject({ status: 'acknowledged', providerAccountRequestedOn: today });
    expect(continued.meta.fired).toEqual([`provider_account:${due.dueOn}:reminder`]);
    // The escalation armed before the run ended still fires, once; the reminder does not repeat.
    await sleepPast(due.escalateAt);
    await eventually(async () => expect((await notifications(reference)).map((n) => n.kind)).toEqual(['reminder', 'escalation']));
    await applied(latest, COMPLAINT_UPDATES['provider-response'], { actor, receivedOn: londonDate(await h.env.currentTimeMs()) });
    const timeline = await h.models.Timeline.find({ reference }).sort({ seq: 1 }).lean();
    expect(timeline.map((e) => e.type)).toEqual([
      'received', 'acknowledged', 'provider_account_requested', 'reminder_sent', 'escalated', 'provider_account_received',
    ]);
    expect(timeline.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(timeline[1].actor).toEqual(actor);
    expect(await h.models.Complaint.findById(reference).lean()).toMatchObject({ projectionVersion: (await latest.query(snapshotQuery)).meta.version });
  });
});

test('the complainant is kept informed: an update falls due every agreed interval until the response (reg 14(1)(b))', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today } = await openCase();
    let state = await applied(handle, COMPLAINT_UPDATES.acknowledge, { actor, acknowledgedOn: today, updateEveryWorkingDays: 5 });
    const first = state.deadlines.complainant_update!;
    expect(first.dueOn).toBe(addWorkingDays(today, 5).due);
    const updates = async () => (await notifications(reference)).filter((n) => n.deadline === 'complainant_update');
    await sleepPast(first.escalateAt);
    await eventually(async () => expect((await updates()).map((n) => `${n.kind}:${n.dueOn}:${n.audience}`)).toEqual([`update_due:${first.dueOn}:case_owner`]));

    const sentOn = londonDate(await h.env.currentTimeMs());
    state = await applied(handle, COMPLAINT_UPDATES['complainant-update'], { actor, sentOn });
    expect(state.updates).toEqual([{ sentOn }]);
    const second = state.deadlines.complainant_update!;
    expect(second.dueOn).toBe(addWorkingDays(sentOn, 5).due);
    await sleepPast(second.escalateAt);
    await eventually(async () => expect(await updates()).toHaveLength(2));

    // The response ends it: no update falls due after it.
    await applied(handle, COMPLAINT_UPDATES.respond, { actor, respondedOn: londonDate(await h.env.currentTimeMs()), ...signed });
    await h.env.sleep(30 * DAY);
    expect(await updates()).toHaveLength(2);
    const timeline = await h.models.Timeline.find({ reference }).sort({ seq: 1 }).lean();
    expect(timeline.map((e) => e.type)).toEqual(['received', 'acknowledged', 'complainant_update_due', 'complainant_updated', 'complainant_update_due', 'responded']);
  });
});

test('a withdrawal stops every clock: the case ends as withdrawn and nothing falls due after it', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today, acknowledgement } = await openCase();
    const state = await applied(handle, COMPLAINT_UPDATES.withdraw, { actor, withdrawnOn: today, reason: 'Resolved with the ward directly' });
    expect(state).toMatchObject({ status: 'withdrawn', withdrawnOn: today });
    expect(state.outcome).toBeUndefined();
    const result = await finished(handle);
    expect(result.status).toBe('withdrawn');
    await sleepPast(acknowledgement.escalateAt);
    await h.env.sleep(200 * DAY);
    expect(await notifications(reference)).toEqual([]);
    expect(await h.models.Complaint.findById(reference).lean()).toMatchObject({ status: 'withdrawn', nextDueOn: null, outcome: null });
  });
});

test('a closed case reopened awaits a response again by its new date, and a second closure opens a new Ombudsman window', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today } = await openCase();
    await applied(handle, COMPLAINT_UPDATES.acknowledge, { actor, acknowledgedOn: today });
    await applied(handle, COMPLAINT_UPDATES.respond, { actor, respondedOn: today, ...signed });
    await applied(handle, COMPLAINT_UPDATES.close, { actor, closedOn: today, outcome: 'not_upheld', lessonsLearned: 'None' });
    const responseDueOn = addWorkingDays(today, 10).due;
    let state = await applied(handle, COMPLAINT_UPDATES.reopen, { actor, reopenedOn: today, reason: 'New evidence from the GP', responseDueOn });
    expect(state).toMatchObject({ status: 'acknowledged', reopenings: [{ reopenedOn: today, reason: 'New evidence from the GP', previousOutcome: 'not_upheld' }] });
    expect(state.outcome).toBeUndefined();
    expect(state.deadlines.ombudsman_window).toBeUndefined();
    expect(state.deadlines.response?.dueOn).toBe(responseDueOn);

    await sleepPast(state.deadlines.response!.escalateAt);
    await eventually(async () =>
      expect((await notifications(reference)).filter((n) => n.deadline === 'response').map((n) => n.kind)).toEqual(['reminder', 'escalation']),
    );
    const later = londonDate(await h.env.currentTimeMs());
    await applied(handle, COMPLAINT_UPDATES.respond, { actor, respondedOn: later, ...signed });
    state = await applied(handle, COMPLAINT_UPDATES.close, { actor, closedOn: later, outcome: 'upheld', lessonsLearned: 'Share GP records sooner' });
    expect(state.deadlines.ombudsman_window?.dueOn).toBe(addCalendarMonths(later, 12));
    expect(await h.models.Complaint.findById(reference).lean()).toMatchObject({ status: 'closed', outcome: 'upheld' });
  });
});

test('a longer period agreed before the six months ran out moves the letter to its end (reg 14(2))', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today } = await openCase();
    const agreed = addCalendarMonths(today, 8);
    const state = await applied(handle, COMPLAINT_UPDATES.acknowledge, { actor, acknowledgedOn: today, responseDueOn: agreed });
    const letter = state.deadlines.six_month_letter!;
    expect(letter).toMatchObject({ dueOn: agreed, basis: { rule: 'date agreed with the complainant', calendar: 'statutory' } });
    const tasks = async () => (await notifications(reference)).filter((x) => x.kind === 'task');
    await sleepPast(workingHoursInstant(addCalendarMonths(today, 6)));
    await h.env.sleep(7 * DAY);
    expect(await tasks()).toEqual([]);
    await sleepPast(letter.escalateAt);
    await eventually(async () => expect((await tasks()).map((t) => t.dueOn)).toEqual([agreed]));
  });
});

describe('events that do not fit the state are refused', () => {
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected the update to be refused');
      },
      (err: unknown) => {
        expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
        return (err as WorkflowUpdateFailedError).cause?.message;
      },
    );

  test('respond before acknowledgement, provider request without consent, closing an open case', async () => {
    await h.withWorker(async () => {
      const { handle, today } = await openCase({ consentToShare: false });
      expect(await refusal(applied(handle, COMPLAINT_UPDATES.respond, { actor, respondedOn: today, ...signed }))).toMatch(/acknowledged/);
      await applied(handle, COMPLAINT_UPDATES.acknowledge, { actor, acknowledgedOn: today });
      expect(await refusal(applied(handle, COMPLAINT_UPDATES.acknowledge, { actor, acknowledgedOn: today }))).toMatch(/already acknowledged/);
      expect(await refusal(applied(handle, COMPLAINT_UPDATES['provider-request'], { actor, requestedOn: today }))).toMatch(/consent/);
      expect(await refusal(applied(handle, COMPLAINT_UPDATES.close, { actor, closedOn: today, outcome: 'upheld', lessonsLearned: 'x' }))).toMatch(/responded/);
      // An extension agreed after the date it extends is refused (reg 14).
      const due = (await handle.query(stateQuery)).deadlines.response!.dueOn;
      const dayAfter = addCalendarDays(due, 1);
      expect(
        await refusal(applied(handle, COMPLAINT_UPDATES.extend, { actor, newDueOn: addCalendarDays(due, 30), reason: 'late', complainantAgreed: true, agreedOn: dayAfter })),
      ).toMatch(/agreed on or before the response date it extends/);
      await applied(handle, COMPLAINT_UPDATES.consent, { actor, consentToShare: true, recordedOn: today });
      const state = await applied(handle, COMPLAINT_UPDATES['provider-request'], { actor, requestedOn: today });
      expect(state.providerAccountRequestedOn).toBe(today);
      // Refused events leave no trace in the history's state.
      expect((await handle.query(snapshotQuery)).meta.version).toBe(4);
      });
  });
});
