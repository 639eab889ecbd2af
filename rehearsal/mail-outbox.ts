// Scenario 4: two mailers over one outbox of 1,000 rows, the relay failing 20% of sends.
import { messageIdOf } from '../mailer/dispatcher';
import { queueKey } from '../models/notification';
import { eventually, today, type Scenario } from './scenario';
import { MAIL_NOW } from './stack';

const ROWS = Number(process.env.REHEARSAL_MAIL_ROWS ?? 1_000);
const FROM = 'Oversight <oversight@icb.example>';

export const mailOutbox: Scenario = {
  id: 4,
  name: 'two mailers, one outbox, relay failing 20%',
  async run({ stack, models, run }) {
    const ids = Array.from({ length: ROWS }, (_, i) => `rehearsal-mail-${run}-${i}`);
    const due = new Date(Date.parse(MAIL_NOW) - 60_000);
    const accepted0 = stack.relay.accepted.length;
    const refused0 = stack.relay.refused;
    stack.relay.failRate = 0.2;
    const t0 = Date.now();
    try {
      // As the workflows' notify activity leaves them: a row, and its entry in the mailers' queue.
      await models.Notification.insertMany(
        ids.map((id, i) => ({ _id: id, caseType: 'complaint', reference: `CMP-REHEARSAL-${i}`, kind: 'escalation', deadline: 'acknowledgement', audience: 'quality_lead', dueOn: today(), subject: `Rehearsal escalation ${i}`, status: 'pending', createdAt: new Date() })),
      );
      await models.MailQueue.insertMany(ids.map((id) => ({ _id: queueKey('pending', due, id), notification: id })));
      const done = () => models.Notification.countDocuments({ _id: { $in: ids }, status: { $in: ['sent', 'parked'] } });
      await eventually(async () => (await done()) === ROWS, 600_000, 2_000);
    } finally {
      stack.relay.failRate = 0;
    }
    const seconds = (Date.now() - t0) / 1000;
    const rows = await models.Notification.find({ _id: { $in: ids } }, { status: 1, attempts: 1 }).lean();
    const sent = rows.filter((r) => r.status === 'sent').length;
    const parked = rows.filter((r) => r.status === 'parked').length;
    const wanted = new Map(ids.map((id) => [messageIdOf(id, FROM), id]));
    const arrivals = new Map<string, number>();
    for (const m of stack.relay.accepted.slice(accepted0)) if (wanted.has(m)) arrivals.set(m, (arrivals.get(m) ?? 0) + 1);
    const delivered = arrivals.size;
    const duplicates = [...arrivals.values()].reduce((s, n) => s + n - 1, 0);
    const lost = ROWS - delivered;
    const problems: string[] = [];
    if (lost) problems.push(`${lost} rows never reached the relay (${sent} marked sent, ${parked} parked)`);
    if (duplicates) problems.push(`${duplicates} messages delivered more than once by Message-ID`);
    if (sent !== ROWS) problems.push(`${ROWS - sent} rows not marked sent`);
    return {
      ok: problems.length === 0,
      sent: ROWS,
      acknowledged: sent,
      stored: delivered,
      duplicates,
      lost,
      figures: { 'refused by the relay': stack.relay.refused - refused0, 'most attempts': Math.max(...rows.map((r) => r.attempts ?? 0)), 'seconds to drain': Math.round(seconds) },
      problems,
    };
  },
};
