import type { Models } from '../../models';
import { prefixRange } from '../../models/case-index';
import { enqueue, queueKey, type NotificationRow } from '../../models/notification';
import { keyedPage } from '../kernel/paging';
import { HttpError } from '../errors';
import type { ListNotificationsQuery } from './schemas';

/** What staff see of the outbox: what waits, what was parked and why, what went without some of its recipients. */
export class NotificationService {
  constructor(private readonly models: Models) {}

  /** A page of one of the mailer's lists, oldest first, read by `_id` range. */
  async list(query: ListNotificationsQuery) {
    // By key, as every list: the queue's `_id` is `<list>|<not before>|<notification id>`.
    const { keys, total: _uncounted, ...page } = await keyedPage(this.models.MailQueue, [prefixRange(query.status)], query, { count: false });
    const idOf = (key: string) => key.split('|').slice(2).join('|');
    const rows = await this.models.Notification.find({ _id: { $in: keys.map(idOf) } }).lean<NotificationRow[]>();
    const byId = new Map(rows.map((r) => [r._id, r]));
    const items = keys.flatMap((key) => {
      const row = byId.get(idOf(key));
      return row ? [view(row, key.split('|')[1])] : [];
    });
    return { items, ...page };
  }

  /** Send a parked row again, from its first attempt; or a sent one again to the roles it lacked. */
  async retry(id: string) {
    const { Notification, MailQueue } = this.models;
    const row = await Notification.findById(id).lean<NotificationRow>();
    if (!row) throw new HttpError(404, 'not_found', `no notification ${id}`);
    if (row.status !== 'parked') throw new HttpError(409, 'conflict', `notification ${id} is ${row.status}; only a parked one is retried`);
    const now = new Date();
    // Queued first: a crash after it leaves a row the mailer finds parked and passes over, and a retry repeats this.
    await enqueue(MailQueue, 'pending', now, id);
    const moved = await Notification.updateOne(
      { _id: id, status: 'parked' },
      { $set: { status: 'pending', attempts: 0 }, $unset: { problem: 1, parkedAt: 1, lastError: 1, missingRecipients: 1 } },
    );
    if (!moved.modifiedCount) throw new HttpError(409, 'conflict', `notification ${id} changed meanwhile; look again`);
    if (row.parkedAt) await MailQueue.deleteOne({ _id: queueKey('parked', row.parkedAt, id) });
    return view({ ...row, status: 'pending', attempts: 0, problem: undefined, lastError: undefined, missingRecipients: undefined }, now.toISOString());
  }
}

function view(row: NotificationRow, queuedAt?: string) {
  return {
    id: row._id,
    caseType: row.caseType,
    reference: row.reference,
    kind: row.kind,
    deadline: row.deadline,
    audience: row.audience,
    dueOn: row.dueOn,
    subject: row.subject,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    attempts: row.attempts ?? 0,
    lastError: row.lastError ?? null,
    problem: row.problem ?? null,
    missingRecipients: row.missingRecipients ?? [],
    recipients: row.recipients ?? [],
    messageId: row.messageId ?? null,
    sentAt: row.sentAt?.toISOString() ?? null,
    notBefore: row.status === 'pending' ? (queuedAt ?? null) : null,
  };
}
