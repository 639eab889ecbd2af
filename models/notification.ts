import { Connection, InferSchemaType, Schema } from 'mongoose';
import { insertOnce, isDuplicateKey } from './connection';
import { KEY_END } from './case-index';

export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'parked'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * The notification outbox: reminders, escalations and letter tasks waiting for the mailer.
 * Keyed by case and alarm so a retried activity queues one message. The mailer (mailer/) claims
 * a row, sends it under its one Message-ID and marks it sent; a row that keeps failing is parked.
 */
const notificationSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseType: { type: String, required: true },
    reference: { type: String, required: true },
    kind: { type: String, required: true }, // reminder | escalation | task | ...
    deadline: { type: String, required: true },
    audience: { type: String, required: true }, // quality_lead | case_owner | provider | ...
    dueOn: { type: String, required: true },
    subject: { type: String, required: true },
    // Shown wherever a letter or call to the complainant is due (Accessible Information Standard).
    communicationNeeds: { type: [String], default: [] },
    status: { type: String, enum: NOTIFICATION_STATUSES, default: 'pending' },
    createdAt: { type: Date, required: true },
    /** Send attempts so far, and the last one's failure. */
    attempts: { type: Number, default: 0 },
    lastError: String,
    /** Who holds the row while sending, until when; a lapsed claim may be taken again. */
    claimedBy: String,
    claimedUntil: Date,
    /** The one Message-ID every attempt at this row sends under. */
    messageId: String,
    sentAt: Date,
    recipients: { type: [String], default: undefined },
    /** Roles the audience names that have no address: reported, never dropped silently. */
    missingRecipients: { type: [String], default: undefined },
    /** Why the row is parked, and since when (its queue entry's time). */
    problem: String,
    parkedAt: Date,
  },
  { versionKey: false },
);

notificationSchema.index({ status: 1, createdAt: 1 });
notificationSchema.index({ reference: 1 });

export function notificationModel(connection: Connection) {
  return connection.model('Notification', notificationSchema, 'notifications');
}

/**
 * The mailer's queue, read by `_id` range as every list here is (see case-index.ts): a row waiting
 * to be sent is under `pending|<not before>|<id>`, one parked under `parked|<when>|<id>`, one sent
 * without some of its recipients under `missing|<when>|<id>`. The row's status says which is true;
 * an entry the row has moved on from is removed by whoever finds it.
 */
const mailQueueSchema = new Schema({ _id: { type: String, required: true }, notification: { type: String, required: true } }, { versionKey: false });

export function mailQueueModel(connection: Connection) {
  return connection.model('MailQueue', mailQueueSchema, 'mail_queue');
}

type MailQueueModel = ReturnType<typeof mailQueueModel>;

export type QueueList = 'pending' | 'parked' | 'missing';

/**
 * The key of a claim on a row as it was seen (its attempts and its lapsed lease, if any): the
 * queue's unique `_id` lets one dispatcher claim each state. A findOneAndUpdate alone did not on
 * FerretDB before its fourth patch (a read, then a write by `_id`): two mailers both took a row
 * seen as pending and both sent it (the rehearsal saw 119 of 1,000 twice). Claims stay, one per
 * state, under `claim|`, apart from the lists, until the row has left the state its claim took
 * (sent, failed, parked: releaseClaims); a dispatcher that read the old state late then finds the
 * row's status changed, which the update's own filter still tests.
 */
export const claimKey = (row: { _id: string; attempts?: number | null; claimedUntil?: Date | null }) =>
  `claim|${row._id}|${row.attempts ?? 0}|${row.claimedUntil ? row.claimedUntil.toISOString() : '-'}`;

export const queueKey = (list: QueueList, at: Date, id: string) => `${list}|${at.toISOString()}|${id}`;

/** Claims a row in the state it was seen in: true for exactly one caller per state. */
export async function claimOnce(queue: MailQueueModel, seen: Parameters<typeof claimKey>[0]): Promise<boolean> {
  try {
    await queue.create({ _id: claimKey(seen), notification: seen._id });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** Removes a row's claims once its holder has moved it on (sent, back to pending, parked). */
export async function releaseClaims(queue: MailQueueModel, id: string): Promise<void> {
  await queue.deleteMany({ _id: { $gte: `claim|${id}|`, $lt: `claim|${id}|${KEY_END}` } });
}

/** Queue a row under `list` from `at`; safe to repeat. */
export function enqueue(queue: MailQueueModel, list: QueueList, at: Date, id: string): Promise<void> {
  return insertOnce(queue, { _id: queueKey(list, at, id), notification: id });
}

/** Entries of a list, oldest first; `until` bounds them (pending rows due by then). */
export function queued(queue: MailQueueModel, list: QueueList, opts: { until?: Date; limit: number; skip?: number }) {
  const to = opts.until ? `${list}|${opts.until.toISOString()}|${KEY_END}` : `${list}|${KEY_END}`;
  return queue
    .find({ _id: { $gte: `${list}|`, $lt: to } })
    .sort({ _id: 1 })
    .skip(opts.skip ?? 0)
    .limit(opts.limit)
    .lean<{ _id: string; notification: string }[]>();
}

/** A notification row as the mailer and the API read it. */
export type NotificationRow = InferSchemaType<typeof notificationSchema> & { _id: string };
