import { writeFile } from 'node:fs/promises';
import { ACTION_PLAN_UPDATES } from '../../contracts/action-plan/events';
import path from 'node:path';
import { nextMeeting, packDay } from '../../records/action-plan/meetings';
import { addCalendarDays, addWorkingDays, dayOfWeek, isWorkingDay, londonDate, workingHoursInstant } from '../../lib/calendar';
import { type CqrgPackInput, type ActionPlanWorkflowInput, stateQuery, WEEKDAYS } from '../../contracts/action-plan/definitions';
import { cqrgPackWorkflow } from '../../workflows/action-plan/pack';
import { actionPlanWorkflow } from '../../workflows/action-plan/workflow';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { createHarness, eventually, Harness } from '../helpers/harness';
import { createTimeSkippingTemporal } from '../helpers/env';
import { replayHistoryBytes } from '../helpers/history';
import { applied } from '../helpers/events';

/**
 * The CQRG pack on the time-skipping server. That server has no Schedules (the dev server's are
 * tested in api.test.ts), so the test plays the Schedule's part: it starts the pack workflow at
 * 09:00 London every weekday, as the Schedule's spec does, while time moves on.
 */

let h: Harness;
beforeAll(async () => {
  h = await createHarness('action_plan_pack', await createTimeSkippingTemporal());
});
afterAll(async () => {
  await h?.teardown();
});

const today = async () => londonDate(await h.env.currentTimeMs());

/** A meeting rule whose next meeting leaves its pack day (5 working days before) a week or more ahead. */
function ruleFrom(day: string): { rule: CqrgPackInput['meetings']; meetingOn: string; packOn: string } {
  for (let ahead = 10; ; ahead++) {
    const candidate = addWorkingDays(day, ahead).due;
    const dom = Number(candidate.slice(8, 10));
    if (dom > 28) continue;
    const rule = { weekday: WEEKDAYS[dayOfWeek(candidate) - 1], nth: Math.ceil(dom / 7) };
    const meetingOn = nextMeeting(day, rule);
    const packOn = packDay(meetingOn, 5);
    if (packOn > addCalendarDays(day, 5)) return { rule, meetingOn, packOn };
  }
}

async function openPlan(reference: string, providerCode: string, dues: string[]) {
  const openedOn = await today();
  const workflowId = caseWorkflowId('action-plan', reference);
  const actions = [];
  for (const [i, dueOn] of dues.entries()) {
    const note = `note:${reference.replace(/-/g, '')}${i}`;
    await h.models.ActionPlanNote.create({ _id: note, kind: 'action', text: `Action ${i + 1}`, ownerName: 'Jo Bloggs', createdAt: new Date() });
    actions.push({ ownerId: 'jo-bloggs', dueOn, note });
  }
  const input: ActionPlanWorkflowInput = { reference, providerCode, theme: 'friends_and_family_test', source: { kind: 'cqrg_meeting', meetingOn: openedOn }, chairId: 'chair-1', openedOn, actions };
  await h.models.ActionPlan.create({ _id: reference, providerCode, theme: input.theme, title: 'FFT', source: input.source, chair: { id: 'chair-1', name: 'Chris Chair' }, openedOn, status: 'in_progress', workflowId, workflowInput: input });
  const handle = await h.env.client.workflow.start(actionPlanWorkflow, { workflowId, taskQueue: h.taskQueue, args: [input] });
  await eventually(async () => expect(await h.models.Action.countDocuments({ reference })).toBe(dues.length));
  return handle;
}

/**
 * Every weekday morning at 09:00 London up to `until`, as each provider's Schedule runs it; a day in
 * a provider's `skip` plays a run missed. The days each provider's pack was produced on.
 */
async function runMornings(runs: { input: CqrgPackInput; skip?: string[] }[], until: string): Promise<Record<string, string[]>> {
  const produced: Record<string, string[]> = Object.fromEntries(runs.map((r) => [r.input.providerCode, []]));
  for (let day = addCalendarDays(await today(), 1); day <= until; day = addCalendarDays(day, 1)) {
    if ([0, 6].includes(dayOfWeek(day))) continue;
    const ms = Date.parse(workingHoursInstant(day)) - (await h.env.currentTimeMs());
    if (ms > 0) await h.env.sleep(ms);
    for (const { input, skip = [] } of runs) {
      if (skip.includes(day)) continue;
      const code = input.providerCode;
      const handle = await h.env.client.workflow.start(cqrgPackWorkflow, { workflowId: `cqrg-pack-${code}-${day}`, taskQueue: h.taskQueue, args: [input] });
      // Not handle.result(): while a client awaits it the test server skips time to the plans' next timers.
      await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'));
      const pack = await h.models.CqrgPack.findOne({ _id: { $gte: `${code}:`, $lt: `${code}:~` } }, { producedOn: 1 }).lean();
      if (pack?.producedOn !== day) continue;
      produced[code].push(day);
      // `npm run replay:record` keeps the runs that produced a pack for tests/replay.
      if (process.env.RECORD_REPLAY_HISTORIES) {
        const file = path.join(__dirname, '../replay/histories', `action-plan-cqrg-pack-${skip.length ? 'a-day-late' : 'on-its-day'}.binpb`);
        await writeFile(file, await replayHistoryBytes(handle));
      }
    }
  }
  return produced;
}

// One test, one worker session, both providers' mornings in turn: as two tests, each with its own
// worker, the test server now and then did not move its clock for the second one's first sleep.
test("the chair gets the pack of the provider's outstanding actions on the pack day, N working days before the meeting, once; a morning missed is made good the next day", async () => {
  await h.withWorker(async () => {
    const start = await today();
    const { rule, meetingOn, packOn } = ruleFrom(start);
    const overdueBy = addWorkingDays(start, 2).due; // overdue by the pack day
    const beforeMeeting = addCalendarDays(meetingOn, -1);
    const handle = await openPlan('CAP-2026-000901', 'RJ2', [overdueBy, beforeMeeting, addCalendarDays(meetingOn, 10), beforeMeeting]);
    await applied(handle, ACTION_PLAN_UPDATES['complete-action'], { actor: { id: 'jo-bloggs', name: 'Jo', role: 'quality_team' }, action: 4, completedOn: start, evidence: ['note:evidence0001'] });
    await applied(handle, ACTION_PLAN_UPDATES['accept-evidence'], { actor: { id: 'chair-1', name: 'Chris Chair', role: 'cqrg_chair' }, action: 4, acceptedOn: start });
    await eventually(async () => expect((await h.models.Action.findById('CAP-2026-000901:4').lean())?.status).toBe('complete'));
    const late = await openPlan('CAP-2026-000902', 'RPG', [addCalendarDays(meetingOn, -2)]);

    const onTime: CqrgPackInput = { providerCode: 'RJ2', meetings: rule, packWorkingDaysBefore: 5, chairId: 'chair-1' };
    const missed: CqrgPackInput = { providerCode: 'RPG', meetings: rule, packWorkingDaysBefore: 5, chairId: 'chair-2' };
    const produced = await runMornings([{ input: onTime }, { input: missed, skip: [packOn] }], meetingOn);
    // Once, on the pack day: a working day, five working days before the meeting.
    expect(produced.RJ2).toEqual([packOn]);
    expect(isWorkingDay(packOn)).toBe(true);
    expect(addWorkingDays(packOn, 5).due).toBe(meetingOn);
    // Its morning missed: made good by the next one, once, for the same meeting.
    expect(produced.RPG).toEqual([addWorkingDays(packOn, 1).due]);
    expect((await h.models.CqrgPack.findById(`RPG:${meetingOn}`).lean())?.packOn).toBe(packOn);

    const pack = await h.models.CqrgPack.findById(`RJ2:${meetingOn}`).lean();
    expect(pack).toMatchObject({ providerCode: 'RJ2', meetingOn, packOn, producedOn: packOn, chairId: 'chair-1', counts: { outstanding: 2, red: 1 } });
    expect(pack!.actions.map((a: { id: string; overdue: boolean; rag: string }) => [a.id, a.overdue, a.rag])).toEqual([
      ['CAP-2026-000901:1', true, 'red'],
      ['CAP-2026-000901:2', false, 'amber'],
    ]);
    const outbox = await h.models.Notification.findById(`cqrg-pack:RJ2:${meetingOn}`).lean();
    expect(outbox).toMatchObject({ audience: 'cqrg_chair', kind: 'pack', dueOn: meetingOn, subject: `CQRG RJ2 on ${meetingOn}: 2 outstanding actions, 1 overdue` });
    expect((await handle.query(stateQuery)).actions[0].rag).toBe('red');
    await Promise.all([handle.terminate('test over'), late.terminate('test over')]);
  });
});
