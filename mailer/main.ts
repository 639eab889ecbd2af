import { DEFAULT_MONGODB_URI, loadMailConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createModels, ensureIndexes } from '../models';
import { connectDatabase } from '../models/connection';
import { Dispatcher } from './dispatcher';

/**
 * The mailer process (docker-compose `mailer` service, `npm start`): sends the notification outbox
 * by SMTP. More than one may run: each row is sent by the one holding its claim.
 */
async function main(): Promise<void> {
  const config = loadMailConfig();
  const logger = createLogger(config.LOG_LEVEL, 'mailer');
  const db = await connectDatabase(config.MONGODB_URI ?? DEFAULT_MONGODB_URI);
  const models = createModels(db);
  await ensureIndexes(models);
  const dispatcher = new Dispatcher({ models, config, logger });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => dispatcher.stop());
  logger.info({ id: dispatcher.id, relay: `${config.SMTP_HOST}:${config.SMTP_PORT}` }, 'mailer started');
  await dispatcher.run();
  dispatcher.close();
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
