import { loadMailConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { Dispatcher } from '../../mailer/dispatcher';
import { createModels } from '../../models';
import { connectDatabase } from '../../models/connection';

/**
 * The mailer as its own process, for the test that kills it with SIGKILL: mailer/main.ts, with
 * its clock set to MAILER_TEST_NOW at start (working hours whenever the test runs) and running on.
 */
async function main(): Promise<void> {
  const config = loadMailConfig();
  const offset = Date.parse(process.env.MAILER_TEST_NOW!) - Date.now();
  const db = await connectDatabase(process.env.MONGODB_URI!);
  const dispatcher = new Dispatcher({ models: createModels(db), config, logger: createLogger('warn', 'mailer'), now: () => new Date(Date.now() + offset) });
  process.once('SIGTERM', () => dispatcher.stop());
  await dispatcher.run();
  dispatcher.close();
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
