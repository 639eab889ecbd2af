import { loadMailConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { Dispatcher } from '../mailer/dispatcher';
import { createModels } from '../models';
import { connectDatabase } from '../models/connection';

/**
 * mailer/main.ts as the rehearsal runs it: the same Dispatcher over the same outbox, with its
 * clock starting at REHEARSAL_MAIL_NOW (working hours, whatever day the rehearsal runs) and going
 * REHEARSAL_MAIL_SPEED times as fast (1 by default: a faster clock lapses the claims' lease as
 * fast, which is not what production does).
 */
async function main(): Promise<void> {
  const config = loadMailConfig();
  const start = Date.now();
  const from = Date.parse(process.env.REHEARSAL_MAIL_NOW ?? new Date().toISOString());
  const speed = Number(process.env.REHEARSAL_MAIL_SPEED ?? 1);
  const now = () => new Date(from + (Date.now() - start) * speed);
  const logger = createLogger(config.LOG_LEVEL, 'mailer');
  const db = await connectDatabase(process.env.MONGODB_URI!);
  const dispatcher = new Dispatcher({ models: createModels(db), config, logger, now });
  process.once('SIGTERM', () => dispatcher.stop());
  logger.info({ id: dispatcher.id }, 'mailer started');
  await dispatcher.run();
  dispatcher.close();
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
