import { Client, Connection } from '@temporalio/client';
import type mongoose from 'mongoose';
import { createApp, type AppDeps } from '../../api/app';
import { freePort } from '../../dev-servers/process';
import { createLogger } from '../../lib/logger';
import { createModels, type Models } from '../../models';
import { connectDatabase } from '../../models/connection';
import { testAuthenticator } from './auth';
import { testDatabaseUri } from './env';

export interface OfflineApp {
  app: ReturnType<typeof createApp>;
  models: Models;
  db: mongoose.Connection;
  /** Another app over the same database and (unreachable) Temporal, with other settings. */
  another(over: Partial<AppDeps>): ReturnType<typeof createApp>;
  close(): Promise<void>;
}

/**
 * The app over a real database of its own and a Temporal that never answers: a route that gets
 * as far as Temporal answers 503 quickly, past its checks. For tests of what happens before
 * Temporal (access, validation, hostile input).
 */
export async function offlineApp(name: string, over: Partial<AppDeps> = {}): Promise<OfflineApp> {
  const db = await connectDatabase(testDatabaseUri(name));
  const models = createModels(db);
  const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
  const deps: AppDeps = {
    authenticator: testAuthenticator,
    models,
    temporal: new Client({ connection }),
    taskQueue: 'unused',
    logger: createLogger('silent'),
    temporalDeadlines: { timeoutMs: 300, liveBudgetMs: 300 },
    rateLimitPerMinute: 100_000,
    ...over,
  };
  return {
    app: createApp(deps),
    models,
    db,
    another: (more) => createApp({ ...deps, ...more }),
    async close() {
      await connection.close();
      await db.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}
