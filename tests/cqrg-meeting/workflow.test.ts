import { addWorkingDays, londonDate, nextWorkingDay, subtractWorkingDays, workingHoursInstant } from '../../lib/calendar';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { CQRG_MEETING_PLAN_UPDATE, CQRG_MEETING_UPDATES } from '../../contracts/cqrg-meeting/events';
import { snapshotQuery, stateQuery, type CqrgMeetingWorkflowInput } from '../../contracts/cqrg-meeting/definitions';
import { cqrgMeetingWorkflow } from '../../workflows/cqrg-meeting/workflow';
import { eventually, type Harness } from '../helpers/harness';
import { timeSkippingFile } from '../helpers/workflow-file';
import { applied } from '../helpers/events';

/** A provider's reports for its CQRG meeting on the time-skipping server: reminded, chased, then the meeting recorded. */

const chair = { id: 'chair-rj2', name: 'Chris Chair', role: 'cqrg_chair' };
let h: Harness;
let counter = 0;
const file = timeSkippingFile('cqrg_meeting_wf', 'cqrg-meeting');
const { started, sleepPast, sent } = file;
beforeAll(() => void (h = file.harness()));

const today = async () => londonDate(await h.env.currentTimeMs());

/** Open a meeting the way the API does: the record first, then its workflow. */
async function open(reports: CqrgMeetingWorkflowInput['reports']) {
  const openedOn = await today();
  const meetingOn = addWorkingDays(openedOn, 20).due;
  const reference = `CQM-2026-${String(++counter).padStart(6, '0')}`;
  const workflowId = caseWorkflowId('cqrg-meeting', reference);
  const input: CqrgMeetingWorkflowInput = { reference, providerCode: 'RJ2', meetingOn, openedOn, reports, openedBy: chair };
  await h.models.CqrgMeeting.create({ _id: reference, providerCode: 'RJ2', meetingOn, openedOn, status: 'scheduled', reports, workflowId, workflowInput: input });
  const handle = await h.env.client.workflow.start(cqrgMeetingWorkflow, { workflowId, taskQueue: h.taskQueue, args: [input] });
  started.push(handle);
  const state = await eventually(async () => {
    const s = await handle.query(stateQuery);
    expect(Object.keys(s.deadlines)).toHaveLength(reports.length);
    return s;
  });
  return { reference, handle, meetingOn, state };
}

test('a report not received is reminded to the provider, then the chair is told the working morning after, again weekly; one received on time is not chased', async () => {
  await h.withWorker(async () => {
    const { reference, handle, meetingOn, state } = await open([
      { theme: 'friends_and_family_test', workingDaysBefore: 10 },
      { theme: 'wres', workingDaysBefore: 10 },
    ]);
    const fft = state.deadlines['report:friends_and_family_test']!;
    // Ten local working days before the meeting, counted back (lib/calendar), reminded 5 and 1 working days before.
    expect(fft.dueOn).toBe(subtractWorkingDays(meetingOn, 10));
    expect(fft.reminders).toHaveLength(2);
    expect(fft.escalateAt).toBe(workingHoursInstant(nextWorkingDay(fft.dueOn)));
    expect(fft.basis.rule).toMatch(/10 working days before/);

    await sleepPast(fft.reminders[0]);
    await eventually(async () => expect(await sent(reference)).toEqual(['report:friends_and_family_test:reminder:provider', 'report:wres:reminder:provider']));
    // The WRES report comes in on time, with its documents: its clock stops.
    await applied(handle, CQRG_MEETING_UPDATES['receive-report'], { theme: 'wres', receivedOn: await today(), documents: ['a'.repeat(24)], actor: chair });

    await sleepPast(fft.escalateAt);
    await eventually(async () => {
      const s = await handle.query(stateQuery);
      expect(s.reports.find((r) => r.theme === 'friends_and_family_test')?.late).toBe(true);
    });
    const rows = await sent(reference);
    expect(rows.filter((r) => r.startsWith('report:wres'))).toEqual(['report:wres:reminder:provider']);
    expect(rows.filter((r) => r.endsWith(':cqrg_chair'))).toEqual(['report:friends_and_family_test:escalation:cqrg_chair']);
    const row = await h.models.Notification.findOne({ reference, kind: 'escalation' }).lean();
    expect(row?.subject).toContain('Friends and Family Test report for the CQRG meeting not received');

    // Still missing a week later: the chair hears again.
    const repeat = (await handle.query(stateQuery)).deadlines['report:friends_and_family_test']!.repeats![0];
    await sleepPast(repeat);
    await eventually(async () => expect((await sent(reference)).filter((r) => r.endsWith(':cqrg_chair'))).toHaveLength(2));
    const timeline = await h.models.Timeline.find({ reference }).sort({ seq: 1 }).lean();
    expect(timeline.map((e) => e.type)).toEqual(['opened', 'report_reminder_sent', 'report_reminder_sent', 'report_received', 'report_reminder_sent', 'report_late', 'report_late']);
  });
});

test('the meeting recorded ends its case: no more chasing, an escalation to the quality committee is one outbox row for the quality lead', async () => {
  await h.withWorker(async () => {
    const { reference, handle } = await open([{ theme: 'complaints_and_compliments', workingDaysBefore: 5 }]);
    const heldOn = await today();
    const record = {
      heldOn,
      attendance: [{ role: 'cqrg_chair' as const, count: 1 }, { role: 'provider_director_of_nursing' as const, count: 1 }],
      items: [{ title: 'Complaints', discussion: 'Response times improving' }],
      decisions: [
        { kind: 'escalate_to_committee' as const, summary: 'Maternity staffing' },
        { kind: 'escalate_to_committee' as const, summary: 'Stroke pathway' },
      ],
      actor: chair,
    };
    const done = await applied(handle, CQRG_MEETING_UPDATES.record, record);
    expect(done.status).toBe('recorded');
    expect(done.record?.recordedBy).toEqual(chair);
    await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'));
    await eventually(async () => expect(await sent(reference)).toEqual(['committee:committee:quality_lead']));
    const saved = await h.models.CqrgMeeting.findById(reference).lean();
    expect(saved).toMatchObject({ status: 'recorded', heldOn, projectionVersion: (await handle.query(snapshotQuery)).meta.version });
  });
});

test('a reporting plan changed reaches a meeting still to be held: a report added is chased, one removed no longer, changed days re-planned; one received stays received', async () => {
  await h.withWorker(async () => {
    const { reference, handle, meetingOn } = await open([
      { theme: 'friends_and_family_test', workingDaysBefore: 10 },
      { theme: 'wres', workingDaysBefore: 10 },
      { theme: 'eds2', workingDaysBefore: 10 },
    ]);
    await applied(handle, CQRG_MEETING_UPDATES['receive-report'], { theme: 'eds2', receivedOn: await today(), documents: ['a'.repeat(24)], actor: chair });
    // The plan now owes FFT 15 working days before, PROMs 5 before, and neither WRES nor EDS2.
    const owed = { reports: [{ theme: 'friends_and_family_test' as const, workingDaysBefore: 15 }, { theme: 'proms' as const, workingDaysBefore: 5 }], actor: chair };
    const s = await applied(handle, CQRG_MEETING_PLAN_UPDATE, owed);
    expect(s.reports.map((r) => [r.theme, r.dueOn, !!r.receivedOn])).toEqual([
      ['friends_and_family_test', subtractWorkingDays(meetingOn, 15), false],
      ['eds2', subtractWorkingDays(meetingOn, 10), true],
      ['proms', subtractWorkingDays(meetingOn, 5), false],
    ]);
    expect(s.deadlines['report:wres']).toBeUndefined();
    expect(s.deadlines['report:proms']!.basis.rule).toMatch(/5 working days before/);
    // The same change again changes nothing: refused, so no second entry.
    await expect(handle.executeUpdate(CQRG_MEETING_PLAN_UPDATE, { args: [owed] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/changes nothing/) } });

    // Past every date: the chair hears of FFT (again each week) and PROMs, never of WRES (no longer owed) or EDS2 (received).
    await sleepPast(s.deadlines['report:proms']!.escalateAt);
    await eventually(async () => expect([...new Set((await sent(reference)).filter((r) => r.endsWith(':cqrg_chair')))].sort()).toEqual(['report:friends_and_family_test:escalation:cqrg_chair', 'report:proms:escalation:cqrg_chair']));
    expect((await sent(reference)).filter((r) => r.startsWith('report:wres') || r.startsWith('report:eds2'))).toEqual([]);
    const entry = await h.models.Timeline.findOne({ reference, type: 'reports_replanned' }).lean();
    expect(entry?.data).toEqual({
      added: [{ theme: 'proms', dueOn: subtractWorkingDays(meetingOn, 5) }],
      removed: ['wres'],
      redated: [{ theme: 'friends_and_family_test', dueOn: subtractWorkingDays(meetingOn, 15) }],
    });
    expect(entry?.actor).toEqual(chair);
    // Held, the meeting's reports no longer change with the plan.
    await sleepPast(`${meetingOn}T12:00:00Z`);
    await expect(handle.executeUpdate(CQRG_MEETING_PLAN_UPDATE, { args: [{ reports: [], actor: chair }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/is held/) } });
  });
});
