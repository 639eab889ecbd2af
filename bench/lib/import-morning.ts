import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { stringify } from 'csv-stringify/sync';
import { createServices } from '../../api/services';
import { createReferenceData } from '../../api/reference-data';
import { TemporalCalls } from '../../api/temporal';
import { importFile } from '../../api/imports';
import { IMPORT_SHEETS } from '../../api/importers';
import { londonDate, nextWorkingDay, workingHoursInstant } from '../../lib/calendar';
import { seedReferenceData } from '../../models/seed';
import { createHarness } from '../../tests/helpers/harness';
import { createTimeSkippingTemporal } from '../../tests/helpers/env';

/** What an overdue complaint and an overdue review each send the morning after: one email per overdue deadline. */
const PER_COMPLAINT = 3; // response:escalation, provider_account:escalation, complainant_update:update_due
const PER_REVIEW = 2; // review:due, review_overdue:escalation

const DAY = 24 * 60 * 60 * 1000;

/**
 * The morning after an import of long-overdue cases, on the time-skipping server (as
 * tests/import/overdue.test.ts, at scale): `n` cases (60% complaints acknowledged in August with
 * the provider's account asked for, 40% reviews due in October) imported through importFile;
 * the emails counted while importing, after time moves past the next working morning, and a day
 * after that. Each of the database's rows is an email the mailer sends once.
 */
export async function morningAfter(mongoUri: string, n: number) {
  process.env.MONGODB_URI ??= mongoUri;
  const h = await createHarness('bench_import_morning', await createTimeSkippingTemporal());
  const dir = await mkdtemp(path.join(tmpdir(), 'oversight-bench-morning-'));
  try {
    await seedReferenceData(h.db);
    const services = createServices({ models: h.models, temporal: h.env.client, taskQueue: h.taskQueue, referenceData: createReferenceData(h.models), calls: new TemporalCalls(h.env.client) });
    const complaints = Math.round(n * 0.6);
    const reviews = n - complaints;
    const csv = async (sheet: string, rows: Record<string, string>[]) => {
      const header = IMPORT_SHEETS.find((s) => s.sheet === sheet)!.columns.map((c) => c.name);
      const file = path.join(dir, `${sheet}.csv`);
      await writeFile(file, stringify([header, ...rows.map((r) => header.map((c) => r[c] ?? ''))]));
      return file;
    };
    const files = [
      await csv('complaints', Array.from({ length: complaints }, (_, i) => ({
        sourceId: `M-C${i}`, providerCode: 'RJ2', receivedOn: '2026-08-27', source: 'complainant', summary: 'Discharged without medication.', consentToShare: 'yes',
        acknowledgedOn: '2026-08-28', providerAccountRequestedOn: '2026-08-28', lastUpdateOn: '2026-09-01',
      }))),
      await csv('reviews', Array.from({ length: reviews }, (_, i) => ({
        sourceId: `M-R${i}`, serviceName: `Service ${i}`, whatChanged: 'Moved.', goLiveOn: '2026-04-30', scheduledOn: '2026-05-01', ownerId: 'sam.officer', ownerName: 'Sam Officer',
        equalityImpactCompleted: 'yes', qualityImpactCompleted: 'yes', engagementLogCompleted: 'yes', patientEngagement: 'Listening events.',
      }))),
    ];
    const worker = await h.createWorker();
    return await worker.runUntil(async () => {
      for (const file of files) {
        const report = await importFile({ services, models: h.models }, { file, dryRun: false });
        if (report.counts.imported !== report.counts.rows) throw new Error(`morning after: ${JSON.stringify(report.counts)} imported`);
      }
      // Every case opened (its timeline's first entry written) before the clock moves.
      while ((await h.models.Timeline.countDocuments({ type: 'imported' })) < n) await delay(500);
      const whileImporting = await h.models.Notification.countDocuments();
      const morning = workingHoursInstant(nextWorkingDay(londonDate(await h.env.currentTimeMs()), []));
      await h.env.sleep(Date.parse(morning) - (await h.env.currentTimeMs()) + 60_000);
      const settled = async () => {
        let last = -1;
        for (let now = await h.models.Notification.countDocuments(); now !== last; now = await h.models.Notification.countDocuments()) {
          last = now;
          await delay(3_000);
        }
        return last;
      };
      const emails = await settled();
      const perDeadline = await h.models.Notification.aggregate<{ n: number }>([{ $group: { _id: { reference: '$reference', deadline: '$deadline', kind: '$kind' }, n: { $sum: 1 } } }]);
      await h.env.sleep(DAY);
      const dayAfter = (await settled()) - emails;
      return { whileImporting, emails, deadlines: complaints * PER_COMPLAINT + reviews * PER_REVIEW, mostPerDeadline: Math.max(0, ...perDeadline.map((d) => d.n)), dayAfter };
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
    await h.teardown();
  }
}
