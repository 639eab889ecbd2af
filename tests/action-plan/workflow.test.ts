import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ACTION_PLAN_UPDATES } from '../../contracts/action-plan/events';
import { actionPlanIndexKeys } from '../../records/action-plan/lists';
import { addCalendarDays, addWorkingDays, londonDate, subtractWorkingDays, workingHoursInstant } from '../../lib/calendar';
import { planDeadline } from '../../lib/deadlines';
import { initialState } from '../../workflows/action-plan/case';
import {
  type ActionPlanState,
  type ActionPlanWorkflowInput,
  DEFAULTS,
  snapshotQuery,
  stateQuery,
  } from '../../contracts/action-plan/definitions';
import { actionPlanWorkflow } from '../../workflows/action-plan/workflow';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { eventually, Harness } from '../helpers/harness';
import { timeSkippingFile } from '../helpers/workflow-file';
import { applied } from '../helpers/events';

/** Action plans on the time-skipping server: reminders, escalation to the chair, re-dating, evidence, sign-off, continue-as-new. */

const owner = { id: 'jo-bloggs', name: 'Jo Bloggs', role: 'quality_team' };
const chair = { id: 'chair-1', name: 'Chris Chair', role: 'cqrg_chair' };
const DAY = 24 * 60 * 60 * 1000;
let h: Harness;
let counter = 0;
let notes = 0;

// `npm run replay:record` keeps the run each plan started with (a continued plan's first ends in ContinuedAsNew).
const file = timeSkippingFile('action_plan_wf', 'action-plan', { firstRun: true });
const { started, sleepPast, sent } = file;
beforeAll(() => void (h = file.harness()));

const today = async () => londonDate(await h.env.currentTimeMs());

/** A note as the API stores it before the event that names it. */
async function note(kind: 'action' | 'update' | 'evidence', text: string): Promise<string> {
  const _id = `note:test${String(++notes).padStart(8, '0')}`;
  await h.models.ActionPlanNote.create({ _id, kind, text, ...(kind === 'action' ? { ownerName: 'Jo Bloggs' } : {}), createdAt: new Date() });
  return _id;
}

/** Open a plan the way the API does: notes, the record, then its workflow. */
async function openPlan(dues: string[], opts: { historyLimit?: number; escalateEveryWorkingDays?: number } = {}) {
  const openedOn = await today();
  const reference = `CAP-2026-${String(++counter).padStart(6, '0')}`;
  const workflowId = caseWorkflowId('action-plan', reference);
  const actions = [];
  for (const [i, dueOn] of dues.entries()) actions.push({ ownerId: owner.id, dueOn, note: await note('action', `Action ${i + 1}: flag communication needs on the PAS`) });
  const input: ActionPlanWorkflowInput = {
    reference,
    providerCode: 'RJ2',
    theme: 'accessible_information_standard',
    source: { kind: 'cqrg_meeting', meetingOn: openedOn },
    chairId: chair.id,
    openedOn,
    actions,
    ...opts,
  };
  await h.models.ActionPlan.create({
    _id: reference,
    providerCode: 'RJ2',
    theme: input.theme,
    title: 'AIS',
    source: input.source,
    chair: { id: chair.id, name: chair.name },
    openedOn,
    status: 'in_progress',
    workflowId,
    workflowInput: input,
  });
  const handle = await h.env.client.workflow.start(actionPlanWorkflow, { workflowId, taskQueue: h.taskQueue, args: [input] });
  started.push(handle);
  const state = await eventually(async () => {
    const s = await handle.query(stateQuery);
    expect(s.actions).toHaveLength(dues.length);
    return s;
  });
  return { reference, handle, state, openedOn };
}

/** Why an Update was refused (its validator's reason). */
async function refusal(update: Promise<unknown>): Promise<string> {
  try {
    await update;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return (err as WorkflowUpdateFailedError).cause?.message ?? '';
  }
  throw new Error('the update was not refused');
}

const complete = async (n: number) => ({ actor: owner, action: n, completedOn: await today(), evidence: [await note('evidence', `Audit of action ${n}: 96% of records flagged`)] });
const accept = async (n: number) => ({ actor: chair, action: n, acceptedOn: await today() });
/** Evidence submitted, and accepted by the chair: the action is complete. */
async function done(handle: WorkflowHandle, n: number) {
  await applied(handle, ACTION_PLAN_UPDATES['complete-action'], await complete(n));
  return applied(handle, ACTION_PLAN_UPDATES['accept-evidence'], await accept(n));
}

test('reminded as it turns amber and two days before; completed only with evidence the chair accepts; then blue, its clock stopped', async () => {
  await h.withWorker(async () => {
    const dueOn = addWorkingDays(await today(), 15).due;
    const { reference, handle, state } = await openPlan([dueOn]);
    const d = state.deadlines['action:1']!;
    expect(d.reminders).toEqual([10, 2].map((n) => workingHoursInstant(subtractWorkingDays(dueOn, n))));
    expect(state.actions[0]).toMatchObject({ rag: 'green', status: 'open' });

    await sleepPast(d.reminders[0]);
    await eventually(async () => expect(await sent(reference)).toEqual(['action:1:reminder:action_owner']));
    expect((await handle.query(stateQuery)).actions[0].rag).toBe('amber');
    await sleepPast(d.reminders[1]);
    await eventually(async () => expect(await sent(reference)).toHaveLength(2));

    expect(await refusal(applied(handle, ACTION_PLAN_UPDATES['complete-action'], { actor: owner, action: 1, completedOn: await today(), evidence: [] }))).toMatch(/only with evidence/);
    const submitted = await applied(handle, ACTION_PLAN_UPDATES['complete-action'], await complete(1));
    expect(submitted.actions[0]).toMatchObject({ status: 'evidence_submitted', rag: 'amber', evidenceOn: await today() });
    expect(submitted.status).toBe('in_progress');
    const accepted = await applied(handle, ACTION_PLAN_UPDATES['accept-evidence'], await accept(1));
    expect(accepted.actions[0]).toMatchObject({ status: 'complete', rag: 'blue', completedOn: await today() });
    expect(accepted.status).toBe('awaiting_sign_off');
    expect(accepted.deadlines['action:1']).toBeUndefined();
    const record = await h.models.Action.findById(`${reference}:1`).lean();
    expect(record).toMatchObject({ status: 'complete', description: 'Action 1: flag communication needs on the PAS', owner: { id: owner.id, name: 'Jo Bloggs' }, evidence: [{ description: 'Audit of action 1: 96% of records flagged' }] });
    // No escalation once complete; the chair hears the plan awaits sign-off.
    await sleepPast(d.escalateAt);
    await h.env.sleep(2 * DAY);
    expect(await sent(reference)).toEqual(['action:1:reminder:action_owner', 'action:1:reminder:action_owner', 'awaiting_sign_off:awaiting_sign_off:cqrg_chair']);
  });
});

test('overdue: red the working morning after its due date, escalated to the chair, again every interval until complete', async () => {
  await h.withWorker(async () => {
    const dueOn = addWorkingDays(await today(), 3).due;
    const { reference, handle, state } = await openPlan([dueOn, addCalendarDays(dueOn, 90)], { escalateEveryWorkingDays: 5 });
    expect(state.actions.map((a) => a.rag)).toEqual(['amber', 'green']);
    const d = state.deadlines['action:1']!;
    expect(d.escalateAt).toBe(workingHoursInstant(addWorkingDays(dueOn, 1).due));
    await sleepPast(d.escalateAt);
    await eventually(async () => expect((await handle.query(stateQuery)).actions[0].rag).toBe('red'));
    expect((await sent(reference)).at(-1)).toBe('action:1:escalation:cqrg_chair');

    const second = workingHoursInstant(addWorkingDays(londonDate(d.escalateAt), 5).due);
    const third = workingHoursInstant(addWorkingDays(londonDate(second), 5).due);
    await sleepPast(third);
    await eventually(async () => expect((await sent(reference)).filter((s) => s.includes(':escalation:'))).toHaveLength(3));
    const ids = (await h.models.Notification.find({ reference, kind: 'escalation' }).sort({ createdAt: 1 }).lean()).map((n) => n._id);
    expect(ids).toEqual([`${reference}:action:1:${dueOn}:escalation`, `${reference}:action:1:${dueOn}:escalation:2`, `${reference}:action:1:${dueOn}:escalation:3`]);
    expect((await handle.query(stateQuery)).actions[1].rag).toBe('green');

    await done(handle, 1);
    await h.env.sleep(10 * DAY);
    expect((await sent(reference)).filter((s) => s.includes(':escalation:'))).toHaveLength(3);
    expect((await handle.query(snapshotQuery)).meta.fired.filter((k) => k.startsWith('action:1:'))).toEqual([]);
  });
});

test('re-dated with a reason: the new date re-arms its alarms, the old ones never fire, the reason stays in the timeline', async () => {
  await h.withWorker(async () => {
    const dueOn = addWorkingDays(await today(), 12).due;
    const { reference, handle, state } = await openPlan([dueOn]);
    await sleepPast(state.deadlines['action:1']!.reminders[0]);
    await eventually(async () => expect(await sent(reference)).toHaveLength(1));

    const newDue = addCalendarDays(dueOn, 60);
    const reason = 'The EPR upgrade that flags needs slipped to the spring';
    const moved = await applied(handle, ACTION_PLAN_UPDATES['redate-action'], { actor: owner, action: 1, redatedOn: await today(), dueOn: newDue, reason });
    expect(moved.actions[0]).toMatchObject({ dueOn: newDue, rag: 'green', redated: 1 });
    expect(moved.deadlines['action:1']?.basis.rule).toBe('date agreed with the action owner');
    expect((await handle.query(snapshotQuery)).meta.fired).toEqual([]);
    expect(await refusal(applied(handle, ACTION_PLAN_UPDATES['redate-action'], { actor: owner, action: 1, redatedOn: await today(), dueOn: newDue, reason: 'again' }))).toMatch(/already due/);

    // Past the old date: not red, no escalation.
    await sleepPast(state.deadlines['action:1']!.escalateAt);
    await h.env.sleep(3 * DAY);
    expect((await handle.query(stateQuery)).actions[0].rag).toBe('green');
    expect(await sent(reference)).toHaveLength(1);
    await sleepPast(moved.deadlines['action:1']!.reminders[0]);
    await eventually(async () => expect(await sent(reference)).toHaveLength(2));
    const timeline = await h.models.Timeline.find({ reference }).sort({ seq: 1 }).lean();
    expect(timeline.map((e) => e.type)).toEqual(['opened', 'action_reminder_sent', 'action_redated', 'action_reminder_sent']);
    expect(timeline[2]).toMatchObject({ actor: owner, data: { action: 1, previousDueOn: dueOn, dueOn: newDue, reason } });
    expect(await h.models.Action.findById(`${reference}:1`).lean()).toMatchObject({ dueOn: newDue, redated: 1 });
  });
});

test('sign-off needs every action complete and the chair; an action added reopens the plan; signed off, the workflow ends', async () => {
  await h.withWorker(async () => {
    const due = addWorkingDays(await today(), 20).due;
    const { reference, handle } = await openPlan([due, due]);
    await done(handle, 1);
    expect(await refusal(applied(handle, ACTION_PLAN_UPDATES['sign-off'], { actor: chair, signedOffOn: await today() }))).toMatch(/still open: 2/);
    await done(handle, 2);
    expect((await handle.query(stateQuery)).status).toBe('awaiting_sign_off');

    const added = await applied(handle, ACTION_PLAN_UPDATES['add-action'], { actor: owner, addedOn: await today(), ownerId: owner.id, dueOn: due, note: await note('action', 'Action 3: easy read letters') });
    expect(added.status).toBe('in_progress');
    expect(added.actions[2]).toMatchObject({ n: 3, status: 'open' });
    await done(handle, 3);

    expect(await refusal(applied(handle, ACTION_PLAN_UPDATES['sign-off'], { actor: owner, signedOffOn: await today() }))).toMatch(/only the CQRG chair/);
    const closed = await applied(handle, ACTION_PLAN_UPDATES['sign-off'], { actor: chair, signedOffOn: await today(), note: 'Evidence seen at CQRG' });
    expect(closed).toMatchObject({ status: 'closed', signedOffOn: await today() });
    await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'));
    const record = await h.models.ActionPlan.findById(reference).lean();
    expect(record).toMatchObject({ status: 'closed', counts: { actions: 3, open: 0, complete: 3 }, signedOffOn: await today() });
    const keys = (await h.models.CaseIndex.find({ _id: { $gte: 'action-plan|', $lt: 'action-plan|~' } }).lean()).map((k) => k._id).filter((k) => k.includes(reference));
    expect(keys.sort()).toEqual([...actionPlanIndexKeys(closed), record!.changedKey].sort());
    expect(keys.filter((k) => k.includes('|open|'))).toEqual([]);
  });
});

test('evidence waits for the chair: the action stays outstanding and silent; returned with a reason it is open again, reminders gone by dropped; accepted it is complete and blue', async () => {
  await h.withWorker(async () => {
    const dueOn = addWorkingDays(await today(), 15).due;
    const { reference, handle, state } = await openPlan([dueOn, dueOn]);
    expect(state.evidenceReview).toBe(true);
    const d = state.deadlines['action:2']!;
    const submitted = await applied(handle, ACTION_PLAN_UPDATES['complete-action'], await complete(1));
    expect(submitted.actions[0]).toMatchObject({ status: 'evidence_submitted', rag: 'green', evidenceOn: await today() });
    expect(submitted.actions[0].completedOn).toBeUndefined();
    expect(submitted.status).toBe('in_progress');
    await applied(handle, ACTION_PLAN_UPDATES['complete-action'], await complete(2));
    await eventually(async () => expect((await h.models.Action.findById(`${reference}:2`).lean())?.status).toBe('evidence_submitted'));
    // With the chair, nothing is due from the owners: no reminder goes, the plan cannot be signed off.
    await sleepPast(d.reminders[0]);
    await h.env.sleep(DAY);
    expect(await sent(reference)).toEqual([]);
    expect(await refusal(applied(handle, ACTION_PLAN_UPDATES['accept-evidence'], { ...(await accept(1)), actor: owner }))).toMatch(/only the CQRG chair \(chair-1\) accepts or returns evidence/);
    expect(await refusal(applied(handle, ACTION_PLAN_UPDATES['sign-off'], { actor: chair, signedOffOn: await today() }))).toMatch(/evidence awaiting the chair: 1, 2/);

    const reason = 'The audit covers one ward of six';
    const returned = await applied(handle, ACTION_PLAN_UPDATES['return-evidence'], { actor: chair, action: 2, returnedOn: await today(), reason });
    expect(returned.actions[1]).toMatchObject({ status: 'open', returned: 1 });
    expect(returned.actions[1].evidence).toBeUndefined();
    // Open again, its alarms re-armed: the reminder whose day went by while it waited is not sent, the next one is.
    await sleepPast(d.reminders[1]);
    await eventually(async () => expect(await sent(reference)).toEqual(['action:2:reminder:action_owner']));

    const accepted = await applied(handle, ACTION_PLAN_UPDATES['accept-evidence'], { ...(await accept(1)), note: 'Seen at CQRG' });
    expect(accepted.actions[0]).toMatchObject({ status: 'complete', rag: 'blue', completedOn: await today() });
    expect(accepted.deadlines['action:1']).toBeUndefined();
    expect((await done(handle, 2)).status).toBe('awaiting_sign_off');
    await eventually(async () => expect((await sent(reference)).at(-1)).toBe('awaiting_sign_off:awaiting_sign_off:cqrg_chair'));
    const timeline = await h.models.Timeline.find({ reference }).sort({ seq: 1 }).lean();
    expect(timeline.map((e) => e.type)).toEqual(['opened', 'evidence_submitted', 'evidence_submitted', 'evidence_returned', 'action_reminder_sent', 'evidence_accepted', 'evidence_submitted', 'evidence_accepted']);
    expect(timeline[3]).toMatchObject({ actor: chair, data: { action: 2, reason } });
    expect(await h.models.Action.findById(`${reference}:1`).lean()).toMatchObject({ status: 'complete', completedOn: await today(), evidence: [{ description: 'Audit of action 1: 96% of records flagged' }] });
  });
});

test('evidence naming documents: only their ids go to the workflow; the action record names the files; returned, the documents go with the evidence', async () => {
  await h.withWorker(async () => {
    const dueOn = addWorkingDays(await today(), 15).due;
    const { reference, handle } = await openPlan([dueOn]);
    const fileId = '6751a0c2e4b0a1b2c3d4e5f6';
    await h.models.CaseDocument.create({ _id: `${reference}|2026-12-05T09:00:00.000Z|${fileId}`, fileId, documentId: fileId, version: 1, caseType: 'action-plan', reference, kind: 'evidence', filename: 'ward-audit.pdf', contentType: 'application/pdf', size: 10, sha256: 'x', uploadedBy: owner, uploadedAt: new Date() });
    const submitted = await applied(handle, ACTION_PLAN_UPDATES['complete-action'], { ...(await complete(1)), documents: [fileId] });
    expect(submitted.actions[0]).toMatchObject({ status: 'evidence_submitted', documents: [fileId] });
    await eventually(async () => expect((await h.models.Action.findById(`${reference}:1`).lean())?.documents).toEqual([{ id: fileId, filename: 'ward-audit.pdf' }]));
    const returned = await applied(handle, ACTION_PLAN_UPDATES['return-evidence'], { actor: chair, action: 1, returnedOn: await today(), reason: 'Not the ward named' });
    expect(returned.actions[0].documents).toBeUndefined();
    const again = await applied(handle, ACTION_PLAN_UPDATES['complete-action'], { ...(await complete(1)), documents: [fileId] });
    expect(again.actions[0].documents).toEqual([fileId]);
    expect((await applied(handle, ACTION_PLAN_UPDATES['accept-evidence'], await accept(1))).actions[0]).toMatchObject({ status: 'complete', documents: [fileId] });
  });
});

test('a plan opened before evidence was reviewed (continued from its state of then) still completes an action at once', async () => {
  await h.withWorker(async () => {
    const openedOn = await today();
    const reference = `CAP-2026-${String(++counter).padStart(6, '0')}`;
    const workflowId = caseWorkflowId('action-plan', reference);
    const dueOn = addWorkingDays(openedOn, 20).due;
    const actionNote = await note('action', 'Action 1: easy read letters');
    const input: ActionPlanWorkflowInput = { reference, providerCode: 'RJ2', theme: 'other', source: { kind: 'cqrg_meeting', meetingOn: openedOn }, chairId: chair.id, openedOn, actions: [] };
    const deadline = planDeadline({ id: 'action:1', from: openedOn, dueOn, agreedWith: 'action owner', remindWorkingDaysBefore: [...DEFAULTS.remindWorkingDaysBefore], repeatEveryWorkingDays: 5 });
    const then = { ...initialState(input), actions: [{ n: 1, ownerId: owner.id, dueOn, addedOn: openedOn, note: actionNote, status: 'open' as const, rag: 'green' as const, updates: 0, redated: 0 }], deadlines: { 'action:1': deadline } };
    expect(then.evidenceReview).toBeUndefined();
    await h.models.ActionPlan.create({ _id: reference, providerCode: 'RJ2', theme: 'other', title: 'Old', source: input.source, chair: { id: chair.id, name: chair.name }, openedOn, status: 'in_progress', workflowId, workflowInput: input });
    const handle = await h.env.client.workflow.start(actionPlanWorkflow, { workflowId, taskQueue: h.taskQueue, args: [{ ...input, snapshot: { meta: { seq: 1, version: 1, fired: [] }, case: then } }] });
    started.push(handle);
    const completed = await applied(handle, ACTION_PLAN_UPDATES['complete-action'], await complete(1));
    expect(completed.actions[0]).toMatchObject({ status: 'complete', rag: 'blue', completedOn: openedOn });
    expect(completed.status).toBe('awaiting_sign_off');
  });
});

test('two hundred actions and years of updates: the run continues as new, keeping its state, its counts and its pending alarms', async () => {
  await h.withWorker(async () => {
    const dueOn = addWorkingDays(await today(), 30).due;
    const others = Array.from({ length: 198 }, (_, i) => addCalendarDays(dueOn, 30 + i));
    const { reference, handle, state, openedOn } = await openPlan([dueOn, addCalendarDays(dueOn, 30), ...others], { historyLimit: 80 });
    expect(Object.keys(state.deadlines)).toHaveLength(200);
    await eventually(async () => expect(await h.models.Action.countDocuments({ reference })).toBe(200));
    for (let i = 0; i < 24; i++) {
      await applied(handle, ACTION_PLAN_UPDATES['update-action'], { actor: owner, action: 1 + (i % 2), updatedOn: await today(), note: await note('update', `Update ${i}: audit under way`) });
    }
    const latest = h.env.client.workflow.getHandle(handle.workflowId);
    await eventually(async () => expect((await latest.describe()).runId).not.toBe(handle.firstExecutionRunId));
    const continued = await latest.query(snapshotQuery);
    expect(continued.case.actions.slice(0, 3).map((a) => a.updates)).toEqual([12, 12, 0]);
    expect(continued.case.actions).toHaveLength(200);
    expect(continued.case.deadlines).toEqual(state.deadlines);
    expect(continued.meta.seq).toBe(1 + 24);
    expect(continued.case.deadlines['action:1']).toEqual(state.deadlines['action:1']);
    // The history of the run now going is short, whatever went before.
    expect(Number((await latest.describe()).historyLength)).toBeLessThan(120);
    // Its alarms still fire after the continue.
    await sleepPast(state.deadlines['action:1']!.reminders[0]);
    await eventually(async () => expect(await sent(reference)).toEqual(['action:1:reminder:action_owner']));
    const record = await h.models.Action.findById(`${reference}:2`).lean();
    expect(record).toMatchObject({ updates: 12, lastUpdate: { on: openedOn, text: 'Update 23: audit under way' } });
    started.push(latest);
  });
});

export type { ActionPlanState };
