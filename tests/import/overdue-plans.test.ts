import { addWorkingDays, londonDate, nextWorkingDay, workingHoursInstant } from '../../lib/calendar';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { eventually } from '../helpers/harness';
import { timeSkippingFile } from '../helpers/workflow-file';
import { count, importSetup } from './overdue-setup';

/**
 * What an import of an action plan with a long-overdue action and of a planned visit sends, on the
 * time-skipping server: as ./overdue.test.ts for complaints and reviews, in a file of its own so its
 * server's clock starts now, as the import's own clock (the working morning after it) does.
 */

const DAY = 24 * 60 * 60 * 1000;
const file = timeSkippingFile('import_overdue_plans', 'import');
const { sleepPast, sent, started } = file;


test('an action plan imported with one action done and one long overdue, and a visit planned: silent until the next working morning, then only the overdue action escalated, once', async () => {
  const h = file.harness();
  const imported = await importSetup(h);
  const stamp = Date.now().toString(36);
  const today = londonDate(await h.env.currentTimeMs());
  const plan = { planSourceId: `P-${stamp}`, providerCode: 'RJ2', theme: 'complaints_and_compliments', title: 'Complaints handling', sourceKind: 'cqrg_meeting', meetingOn: '2026-07-08', chairId: 'chair.rj2', chairName: 'Dr Chris Chair', openedOn: '2026-07-09', ownerId: 'owner.rj2', ownerName: 'Olu Owner' };
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const p = await imported('action-plans', [
      { ...plan, description: 'Audit response letters monthly', dueOn: '2026-09-30', completedOn: '2026-09-25', evidence: 'Audit of September letters' },
      { ...plan, description: 'Train the complaints team in reg 14 responses', dueOn: '2026-10-30' },
    ]);
    const v = await imported('visits', [
      { sourceId: `IV-${stamp}`, providerCode: 'RJ2', service: 'Ward 7', reasons: 'complaints', announced: 'yes', visitDate: addWorkingDays(today, 30, { closures: [] }).due, plannedOn: '2026-11-16', panel: 'lay_member: Lee Lay; patient_representative: Pat Rep; quality_team: Sam Officer' },
    ]);
    expect([...p.rows, ...v.rows].map((r) => `${r.outcome}${r.problems ? ` ${JSON.stringify(r.problems)}` : ''}`)).toEqual(['imported', 'imported', 'imported']);
    const reference = p.rows[0].reference!;
    const visit = v.rows[0].reference!;
    started.push(h.env.client.workflow.getHandle(caseWorkflowId('action-plan', reference)), h.env.client.workflow.getHandle(caseWorkflowId('visit', visit)));
    await eventually(async () => expect(await h.models.Timeline.countDocuments({ _id: { $in: [`${reference}:1`, `${visit}:1`] } })).toBe(2));
    expect([...(await sent(reference)), ...(await sent(visit))]).toEqual([]);

    const morning = workingHoursInstant(nextWorkingDay(londonDate(await h.env.currentTimeMs()), []));
    await sleepPast(morning);
    await eventually(async () => expect(count(await sent(reference))).toEqual({ 'action:2:escalation': 1 }));
    await h.env.sleep(DAY);
    expect(count(await sent(reference))).toEqual({ 'action:2:escalation': 1 });
    expect(await sent(visit)).toEqual([]);
  });
}, 120_000);
