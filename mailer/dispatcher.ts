import { createHash, randomUUID } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { workingHoursOnOrAfter } from '../lib/calendar';
import type { MailConfig } from '../lib/config';
import { closureDates, type Models } from '../models';
import { claimOnce, enqueue, releaseClaims, queued, queueKey, type NotificationRow, type QueueList } from '../models/notification';
import { caseContext, recipientsOf, ruleOf } from './recipients';
import { renderEmail } from './render';

/**
 * The mailer: it claims outbox rows whose time has come, sends each by SMTP under one
 * Message-ID, and marks it sent. Exactly once as far as SMTP allows: a row is sent only by the
 * dispatcher holding its claim, and a dispatcher that dies between the relay's answer and the mark
 * leaves a claim that lapses; the row is then sent again under the same Message-ID, which is how
 * a receiving system tells the copy. A failed send is retried with a growing pause; a row that
 * keeps failing is parked and listed (GET /api/notifications?status=parked) until retried.
 * Nothing is sent outside working hours (09:00-17:00 London on a working day): a row that falls
 * due at night, at a weekend or on a bank holiday waits for 09:00 on the next working day.
 */

export interface DispatcherOptions {
  models: Models;
  config: MailConfig;
  logger: Logger;
  /** The SMTP transport; by default one over the configured relay. */
  transport?: Transporter;
  /** The time now (tests move it). */
  now?: () => Date;
  /** Rows read per pass. */
  batch?: number;
}

export interface PassResult {
  sent: number;
  deferred: number;
  failed: number;
  parked: number;
}

/** The pause before attempt n+1 after n failures: `firstMs` (MAIL_RETRY_MS, 30 s) doubling, at most an hour. */
export const backoffMs = (attempts: number, firstMs: number) => Math.min(firstMs * 2 ** Math.max(0, attempts - 1), 3_600_000);

export function smtpTransport(config: MailConfig): Transporter {
  return nodemailer.createTransport({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    requireTLS: config.SMTP_REQUIRE_TLS,
    ...(config.SMTP_USER ? { auth: { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

/** The one Message-ID of a row, whoever sends it and however often. */
export function messageIdOf(rowId: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'oversight.local';
  return `<${createHash('sha256').update(rowId).digest('hex').slice(0, 32)}@${domain}>`;
}

export class Dispatcher {
  readonly id = `mailer-${randomUUID()}`;
  private readonly transport: Transporter;
  private readonly now: () => Date;
  private stopped = false;
  private wake?: () => void;

  constructor(private readonly opts: DispatcherOptions) {
    this.transport = opts.transport ?? smtpTransport(opts.config);
    this.now = opts.now ?? (() => new Date());
  }

  /** One pass over the rows due now: each claimed, sent or put back. */
  async pass(): Promise<PassResult> {
    const { MailQueue } = this.opts.models;
    const result: PassResult = { sent: 0, deferred: 0, failed: 0, parked: 0 };
    const entries = await queued(MailQueue, 'pending', { until: this.now(), limit: this.opts.batch ?? 50 });
    for (const entry of entries) {
      if (this.stopped) break;
      const outcome = await this.handle(entry);
      if (outcome) result[outcome] += 1;
    }
    return result;
  }

  /** Pass after pass until stopped, pausing MAIL_POLL_MS when there was nothing to do. */
  async run(): Promise<void> {
    while (!this.stopped) {
      let busy = false;
      try {
        const r = await this.pass();
        busy = r.sent + r.deferred + r.failed + r.parked > 0;
      } catch (err) {
        this.opts.logger.error({ err }, 'mailer pass failed; trying again');
      }
      if (!busy && !this.stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.opts.config.MAIL_POLL_MS);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  close(): void {
    this.transport.close();
  }

  private async handle(entry: { _id: string; notification: string }): Promise<keyof PassResult | undefined> {
    const { Notification, MailQueue } = this.opts.models;
    const now = this.now();
    // Outside working hours nothing goes: the entry moves to the next 09:00 on a working day.
    const open = new Date(workingHoursOnOrAfter(now, await closureDates(this.opts.models)));
    if (open > now) {
      await this.move(entry, 'pending', open);
      return 'deferred';
    }
    const claimable = { _id: entry.notification, $or: [{ status: 'pending' as const }, { status: 'sending' as const, claimedUntil: { $lt: now } }] };
    const seen = await Notification.findOne(claimable, { attempts: 1, claimedUntil: 1 }).lean<Pick<NotificationRow, '_id' | 'attempts' | 'claimedUntil'>>();
    const row = seen && (await claimOnce(MailQueue, seen))
      ? await Notification.findOneAndUpdate(
          claimable,
          { $set: { status: 'sending', claimedBy: this.id, claimedUntil: new Date(now.getTime() + this.opts.config.MAIL_LEASE_MS) } },
          { new: true },
        ).lean<NotificationRow>()
      : null;
    if (!row) {
      // Sent or parked already (the entry is left over), or another dispatcher holds it.
      const current = await Notification.findById(entry.notification, { status: 1 }).lean();
      if (!current || current.status === 'sent' || current.status === 'parked') await MailQueue.deleteOne({ _id: entry._id });
      return undefined;
    }
    const context = await caseContext(row, this.opts.models);
    const { to, cc, missing } = recipientsOf(row, context, this.opts.config);
    if (missing.length) this.opts.logger.warn({ notification: row._id, missing }, 'notification has roles with no address');
    if (!to.length) return this.park(entry, row, `no address for ${missing.join(', ')}`, missing);
    const messageId = messageIdOf(row._id, this.opts.config.MAIL_FROM);
    try {
      const providerName = typeof context.provider?.name === 'string' ? context.provider.name : undefined;
      const email = renderEmail(row, { baseUrl: this.opts.config.MAIL_BASE_URL, detail: this.opts.config.MAIL_DETAIL, rule: ruleOf(row, context), providerName });
      await this.transport.sendMail({ from: this.opts.config.MAIL_FROM, to, ...(cc.length && { cc }), messageId, ...email, headers: { 'X-Oversight-Notification': row._id } });
    } catch (err) {
      return this.failed(entry, row, err);
    }
    // Marked only by the claim's holder: a dispatcher whose claim lapsed and was taken marks nothing.
    const marked = await Notification.updateOne(
      { _id: row._id, claimedBy: this.id },
      { $set: { status: 'sent', sentAt: this.now(), messageId, recipients: [...to, ...cc], ...(missing.length && { missingRecipients: missing }) }, $unset: { claimedBy: 1, claimedUntil: 1 } },
    );
    if (marked.modifiedCount && missing.length) await enqueue(MailQueue, 'missing', this.now(), row._id);
    await MailQueue.deleteOne({ _id: entry._id });
    await releaseClaims(MailQueue, row._id);
    return 'sent';
  }

  /** A failed send: back into the queue after a pause, or parked after the last attempt. */
  private async failed(entry: { _id: string }, row: NotificationRow, err: unknown): Promise<'failed' | 'parked'> {
    const attempts = (row.attempts ?? 0) + 1;
    const reason = err instanceof Error ? err.message : String(err);
    this.opts.logger.warn({ notification: row._id, attempts, err: reason }, 'sending a notification failed');
    if (attempts >= this.opts.config.MAIL_MAX_ATTEMPTS) return this.park(entry, row, `${attempts} attempts failed; the last: ${reason}`, undefined, attempts);
    const at = new Date(this.now().getTime() + backoffMs(attempts, this.opts.config.MAIL_RETRY_MS));
    await enqueue(this.opts.models.MailQueue, 'pending', at, row._id);
    await this.opts.models.Notification.updateOne(
      { _id: row._id, claimedBy: this.id },
      { $set: { status: 'pending', attempts, lastError: reason }, $unset: { claimedBy: 1, claimedUntil: 1 } },
    );
    await this.opts.models.MailQueue.deleteOne({ _id: entry._id });
    await releaseClaims(this.opts.models.MailQueue, row._id);
    return 'failed';
  }

  private async park(entry: { _id: string }, row: NotificationRow, problem: string, missing?: string[], attempts = row.attempts ?? 0): Promise<'parked'> {
    this.opts.logger.error({ notification: row._id, problem }, 'notification parked: staff must act');
    const now = this.now();
    await enqueue(this.opts.models.MailQueue, 'parked', now, row._id);
    await this.opts.models.Notification.updateOne(
      { _id: row._id, claimedBy: this.id },
      { $set: { status: 'parked', parkedAt: now, problem, attempts, ...(missing && { missingRecipients: missing }) }, $unset: { claimedBy: 1, claimedUntil: 1 } },
    );
    await this.opts.models.MailQueue.deleteOne({ _id: entry._id });
    await releaseClaims(this.opts.models.MailQueue, row._id);
    return 'parked';
  }

  /** Re-queue an entry for later (the new entry first: a crash between leaves two, one stale). */
  private async move(entry: { _id: string; notification: string }, list: QueueList, at: Date): Promise<void> {
    if (queueKey(list, at, entry.notification) === entry._id) return;
    await enqueue(this.opts.models.MailQueue, list, at, entry.notification);
    await this.opts.models.MailQueue.deleteOne({ _id: entry._id });
  }
}
