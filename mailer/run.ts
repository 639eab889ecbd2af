import { DEFAULT_MONGODB_URI, loadMailConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createModels, ensureIndexes } from '../models';
import { connectDatabase } from '../models/connection';
import { Dispatcher } from './dispatcher';

/**
 * The mailer process: sends the notification outbox by SMTP until SIGINT or SIGTERM. More than
 * one may run: each row is sent by the one holding its claim. `now` is its clock (a test's or the
 * rehearsal's working hours, whatever the day); the real one otherwise.
 */
export async function runMailer(opts: { now?: () => Date } = {}): Promise<void> {
  const config = loadMailConfig();
  const logger = createLogger(config.LOG_LEVEL, 'mailer');
  const db = await connectDatabase(config.MONGODB_URI ?? DEFAULT_MONGODB_URI);
  const models = createModels(db);
  await ensureIndexes(models);
  const dispatcher = new Dispatcher({ models, config, logger, ...(opts.now && { now: opts.now }) });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => dispatcher.stop());
  logger.info({ id: dispatcher.id, relay: `${config.SMTP_HOST}:${config.SMTP_PORT}` }, 'mailer started');
  await dispatcher.run();
  dispatcher.close();
  await db.close();
}

/** Run the mailer as this process's whole work: a failure ends the process. */
export function mailerProcess(opts: { now?: () => Date } = {}): void {
  runMailer(opts).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
