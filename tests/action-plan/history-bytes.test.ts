import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { addCalendarDays, addWorkingDays, londonDate } from '../../lib/calendar';
import type { ActionPlanWorkflowInput } from '../../contracts/action-plan/definitions';
import { ACTION_PLAN_UPDATES } from '../../contracts/action-plan/events';
import { actionPlanWorkflow } from '../../workflows/action-plan/workflow';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { applied } from '../helpers/events';
import { createHarness, eventually, type Harness } from '../helpers/harness';
import { createTimeSkippingTemporal } from '../helpers/env';

/**
 * What an action's progress update costs in history, read from the server as it keeps it
 * (payloads encrypted): since KERNEL_ONE_WRITE_PATCH the write is given the change, not the plan,
 * and the Update answers with a receipt, so the bytes do not grow with the plan's actions.
 * Before, each update handed the whole plan to its activity and back from the Update: +13 KB at
 * 10 actions, +80 KB at 80.
 */
const owner = { id: 'jo-bloggs', name: 'Jo Bloggs', role: 'quality_team' };
const T = temporal.api.enums.v1.EventType;
let h: Harness;
let counter = 0;

beforeAll(async () => {
  h = await createHarness('history_bytes', await createTimeSkippingTemporal());
});
afterAll(async () => {
  await h?.teardown();
});

async function history(handle: WorkflowHandle) {
  const { events } = await handle.fetchHistory();
  return { events: events ?? [], bytes: temporal.api.history.v1.History.encode({ events }).finish().length };
}

/** The history once the workflow has nothing left to do: its last task completed, its timer started. */
async function settled(handle: WorkflowHandle) {
  return eventually(async () => {
    const now = await history(handle);
    expect([T.EVENT_TYPE_TIMER_STARTED, T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED]).toContain(now.events.at(-1)?.eventType);
    return now;
  });
}

/** A plan of `n` actions, opened as the API opens it: its notes, its record, then its workflow. */
async function openPlan(n: number) {
  const openedOn = londonDate(await h.env.currentTimeMs());
  const reference = `CAP-2026-${String(900_000 + ++counter)}`;
  const workflowId = caseWorkflowId('action-plan', reference);
  const firstDue = addWorkingDays(openedOn, 30).due;
  const actions = Array.from({ length: n }, (_, i) => ({ ownerId: owner.id, dueOn: addCalendarDays(firstDue, i), note: `note:${reference}:${i}` }));
  await h.models.ActionPlanNote.insertMany(actions.map((a, i) => ({ _id: a.note, kind: 'action', text: `Action ${i + 1}`, ownerName: owner.name, createdAt: new Date() })));
  const input: ActionPlanWorkflowInput = { reference, providerCode: 'RJ2', theme: 'patient_surveys', source: { kind: 'cqrg_meeting', meetingOn: openedOn }, chairId: 'chair-1', openedOn, actions };
  await h.models.ActionPlan.create({ _id: reference, providerCode: 'RJ2', theme: input.theme, title: 'Surveys', source: input.source, chair: { id: 'chair-1', name: 'Chris Chair' }, openedOn, status: 'in_progress', workflowId, workflowInput: input });
  const handle = await h.env.client.workflow.start(actionPlanWorkflow, { workflowId, taskQueue: h.taskQueue, args: [input] });
  await eventually(async () => expect((await h.models.ActionPlan.findById(reference).lean())?.projectionVersion).toBe(1), 60_000);
  await settled(handle);
  return { reference, handle, openedOn };
}

test.each([10, 200])('an action update adds at most 2 KB of history to a plan of %i actions, in 11 events, its timer left standing', async (n) => {
  await h.withWorker(async () => {
    const { reference, handle, openedOn } = await openPlan(n);
    const deltas: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const before = await history(handle);
      await h.models.ActionPlanNote.create({ _id: `note:${reference}:u${i}`, kind: 'update', text: `Update ${i}`, createdAt: new Date() });
      const state = await applied(handle, ACTION_PLAN_UPDATES['update-action'], { actor: owner, action: 1 + (i % 2), updatedOn: openedOn, note: `note:${reference}:u${i}` });
      expect(state.actions[i % 2].lastUpdate?.note).toBe(`note:${reference}:u${i}`);
      const after = await settled(handle);
      const added = after.events.slice(before.events.length);
      expect(added).toHaveLength(11);
      expect(added.some((e) => e.eventType === T.EVENT_TYPE_TIMER_STARTED || e.eventType === T.EVENT_TYPE_TIMER_CANCELED)).toBe(false);
      expect(added.filter((e) => e.eventType === T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).toHaveLength(1);
      deltas.push(after.bytes - before.bytes);
    }
    // 2022–2037 bytes at both sizes on 2026-12-05 (with this file's long task queue name, which the
    // activity's event carries: about 45 bytes more than production's).
    for (const d of deltas) expect(d).toBeLessThanOrEqual(2048);
    expect(Math.max(...deltas) - Math.min(...deltas)).toBeLessThan(64);
    // The record and the action's own row followed, from the change alone.
    const record = await h.models.ActionPlan.findById(reference).lean<{ workflow: { actions: { updates: number }[] }; counts: { actions: number } }>();
    expect(record!.workflow.actions.slice(0, 3).map((a) => a.updates)).toEqual([1, 2, 0]);
    expect(record!.counts.actions).toBe(n);
    expect(await h.models.Action.findById(`${reference}:1`).lean()).toMatchObject({ updates: 1, lastUpdate: { text: 'Update 2' } });
    await handle.terminate('test over');
  });
});
