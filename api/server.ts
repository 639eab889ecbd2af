import { once } from 'node:events';
import { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { ResolvedConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createDataConverter } from '../lib/payload-codec';
import { createModels, ensureIndexes } from '../models';
import { connectDatabase } from '../models/connection';
import { createApp } from './app';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

export async function startApi(config: ResolvedConfig): Promise<RunningApi> {
  const logger = createLogger(config.LOG_LEVEL, 'api');
  // First, so an API without keys stops before it connects to anything.
  const dataConverter = createDataConverter(config);
  const db = await connectDatabase(config.MONGODB_URI);
  const models = createModels(db);
  await ensureIndexes(models);
  // Lazy: the API starts (and answers 503) while Temporal is still coming up.
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  const temporalDeadlines = { timeoutMs: config.TEMPORAL_TIMEOUT_MS, queryTimeoutMs: config.TEMPORAL_QUERY_TIMEOUT_MS };
  const actor = { id: config.LOCAL_ACTOR_ID, name: config.LOCAL_ACTOR_NAME, role: config.LOCAL_ACTOR_ROLE };
  const codecOrigins = config.TEMPORAL_UI_ORIGIN?.split(',').map((o) => o.trim()).filter(Boolean);
  const app = createApp({ models, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, logger, temporalDeadlines, actor, codecOrigins });
  const server = app.listen(config.PORT, '0.0.0.0');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  logger.info({ port }, 'api listening');
  return {
    url: `http://localhost:${port}`,
    async close() {
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      await connection.close();
      await db.close();
    },
  };
}
