import { addWorkingDays, londonDate, nextWorkingDay, workingHoursInstant } from '../../lib/calendar';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { eventually } from '../helpers/harness';
import { timeSkippingFile } from '../helpers/workflow-file';
import { count, importSetup } from './overdue-setup';

/**
 * What an import of long-overdue cases sends, on the time-skipping server: nothing while it runs,
 * then one escalation per overdue deadline the working morning after, and nothing more until each
 * deadline's own repeat comes round: never a flood of the reminders and escalations it missed.
 */

const DAY = 24 * 60 * 60 * 1000;
const file = timeSkippingFile('import_overdue', 'import');
const { sleepPast, sent, started } = file;


test('an overdue complaint and review imported: silent until the next working morning, then each deadline escalated once; the review repeats at its interval', async () => {
  const h = file.harness();
  const imported = await importSetup(h);
  const stamp = Date.now().toString(36);
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const c = await imported('complaints', [{
      sourceId: `O-${stamp}`, providerCode: 'RJ2', receivedOn: '2026-08-27', source: 'complainant', summary: 'Discharged without medication.', consentToShare: 'yes',
      acknowledgedOn: '2026-08-28', providerAccountRequestedOn: '2026-08-28', lastUpdateOn: '2026-09-01',
    }]);
    const r = await imported('reviews', [{
      sourceId: `V-${stamp}`, serviceName: 'Community diabetes clinic', whatChanged: 'Moved.', goLiveOn: '2026-04-30', scheduledOn: '2026-05-01', ownerId: 'sam.officer', ownerName: 'Sam Officer',
      equalityImpactCompleted: 'yes', qualityImpactCompleted: 'yes', engagementLogCompleted: 'yes', patientEngagement: 'Listening events.',
    }]);
    const complaint = c.rows[0].reference!;
    const review = r.rows[0].reference!;
    started.push(h.env.client.workflow.getHandle(caseWorkflowId('complaint', complaint)), h.env.client.workflow.getHandle(caseWorkflowId('review', review)));
    await eventually(async () => expect(await h.models.Timeline.countDocuments({ _id: { $in: [`${complaint}:1`, `${review}:1`] } })).toBe(2));
    expect([...(await sent(complaint)), ...(await sent(review))]).toEqual([]);

    const morning = workingHoursInstant(nextWorkingDay(londonDate(await h.env.currentTimeMs()), []));
    await sleepPast(morning);
    const once = { 'response:escalation': 1, 'provider_account:escalation': 1, 'complainant_update:update_due': 1 };
    await eventually(async () => expect(count(await sent(complaint))).toEqual(once));
    await eventually(async () => expect(count(await sent(review))).toEqual({ 'review:due': 1, 'review_overdue:escalation': 1 }));

    // A day on: nothing more.
    await h.env.sleep(DAY);
    expect(count(await sent(complaint))).toEqual(once);
    expect(count(await sent(review))).toEqual({ 'review:due': 1, 'review_overdue:escalation': 1 });

    // The review's escalation repeats every 5 working days from the one that went out: once more.
    await sleepPast(workingHoursInstant(addWorkingDays(londonDate(morning), 5, { closures: [] }).due));
    await eventually(async () => expect(count(await sent(review))).toEqual({ 'review:due': 1, 'review_overdue:escalation': 2 }));
  });
}, 120_000);
