// Scenario 3: a deadline storm: cases whose acknowledgement is long overdue, opened while no worker
// runs, then one worker against two (one of them SIGKILLed mid-storm): each escalation recorded once.
import { runPool } from '../bench/lib/measure';
import { untilAnswered } from '../chaos/requests';
import { addCalendarDays } from '../lib/calendar';
import type { Models } from '../models';
import { complaintBody, eventually, is2xx, today, type Ctx, type Row, type Scenario } from './scenario';

const CASES = Number(process.env.REHEARSAL_STORM_CASES ?? 1_000);

/** Opens `n` complaints received a fortnight ago through the proxy: each one's acknowledgement is overdue. */
async function openOverdue({ stack, run }: Ctx, tag: string, n: number): Promise<string[]> {
  const received = addCalendarDays(today(), -14);
  const refs: string[] = [];
  await runPool(n, 16, async (i) => {
    const answer = await untilAnswered(`${stack.proxy.url}/api/complaints`, complaintBody(`${tag}-${run}`, i, received), `${tag}-${run}-${i}`, 120_000);
    if (is2xx(answer) && answer.body.reference) refs.push(answer.body.reference);
    return undefined;
  });
  return refs;
}

async function escalations(models: Models, refs: string[]): Promise<{ cases: number; rows: number }> {
  const rows = await models.Timeline.find({ reference: { $in: refs }, type: 'escalated' }, { reference: 1 }).lean();
  return { cases: new Set(rows.map((r) => r.reference)).size, rows: rows.length };
}

/** Seconds from the workers' start until every case has its escalation; `during` runs once half have. */
async function storm(ctx: Ctx, refs: string[], workers: number[], during?: () => Promise<void>): Promise<number> {
  const t0 = Date.now();
  await Promise.all(workers.map((i) => ctx.stack.startWorker(i)));
  let fault: Promise<void> | undefined;
  await eventually(async () => {
    const { cases } = await escalations(ctx.models, refs);
    if (during && !fault && cases >= refs.length / 2) fault = during();
    return cases === refs.length;
  }, 900_000, 500);
  await fault;
  return (Date.now() - t0) / 1000;
}

export const deadlineStorm: Scenario = {
  id: 3,
  name: 'deadline storm, a worker killed; 1 worker vs 2',
  async run(ctx): Promise<Omit<Row, 'scenario' | 'seconds'>> {
    const { stack, models } = ctx;
    // At any hour: a case received a fortnight ago has its acknowledgement's escalation instant
    // (09:00 on the working day after it was due) long past, so the escalation is recorded as the
    // case opens, at night or at a weekend too (tests/complaint/api.test.ts, run at 04:30 on a
    // Sunday, 2026-12-06). Only its email waits for working hours: that is the mailer's (scenario 4).
    const half = Math.floor(CASES / 2);
    const problems: string[] = [];
    // Each storm on cases opened while no worker ran, so it starts with every escalation due at once.
    await Promise.all([0, 1].map((i) => stack.workers[i]?.stop()));
    const one = await openOverdue(ctx, 'storm1', half);
    const oneSeconds = await storm(ctx, one, [0]);
    await stack.workers[0]?.stop();
    const two = await openOverdue(ctx, 'storm2', half);
    const twoSeconds = await storm(ctx, two, [0, 1], async () => {
      await stack.kill('workers', 1);
    });
    await stack.startWorker(1);
    const all = [...one, ...two];
    const counted = await escalations(models, all);
    const duplicates = counted.rows - counted.cases;
    const lost = all.length - counted.cases;
    // Each escalation's email row is written with its entry; one whose write died with the killed
    // worker is written when the activity is retried (its 30 s start-to-close): wait for those.
    let notifications = 0;
    const t0 = Date.now();
    await eventually(async () => {
      notifications = await models.Notification.countDocuments({ reference: { $in: all }, kind: 'escalation' });
      return notifications >= counted.cases;
    }, 180_000, 2_000);
    const emailsAfter = Math.round((Date.now() - t0) / 1000);
    if (notifications !== counted.cases) problems.push(`${notifications} escalation emails queued for ${counted.cases} escalations`);
    if (all.length !== CASES - (CASES % 2)) problems.push(`${all.length} of ${CASES} cases opened`);
    if (duplicates || lost) problems.push(`${counted.rows} escalations recorded for ${all.length} cases (${duplicates} twice, ${lost} missing)`);
    return {
      ok: problems.length === 0,
      sent: all.length,
      acknowledged: all.length,
      stored: counted.cases,
      duplicates,
      lost,
      figures: { 'cases per storm': half, '1 worker s': Math.round(oneSeconds), '2 workers (one killed) s': Math.round(twoSeconds), 'ratio 1:2': (oneSeconds / twoSeconds).toFixed(2), 'escalation emails queued': notifications, 'all queued after s': emailsAfter },
      problems,
    };
  },
};
