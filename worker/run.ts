import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Runtime, Worker, WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import { ResolvedConfig } from '../lib/config';
import { createLogger, type Logger } from '../lib/logger';
import { createDataConverter } from '../lib/payload-codec';
import { createModels, ensureIndexes, Models } from '../models';
import { connectDatabase } from '../models/connection';
import { ensureSchedules } from './schedules';

/**
 * The compiled worker (dist/worker/run.js) loads dist/workflow-bundle.js, built
 * ahead of time by `npm run build`. Run from source it bundles the source, so a
 * bundle left in dist/ by an earlier build never stands in for edited workflows.
 */
export function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const prebuilt = path.resolve(__dirname, '../workflow-bundle.js');
  return existsSync(prebuilt)
    ? { workflowBundle: { codePath: prebuilt } }
    : { workflowsPath: require.resolve('../workflows') };
}

export interface RunningWorker {
  shutdown(): Promise<void>;
  /** Settles when the worker stops, rejecting if it failed. */
  done: Promise<void>;
}

/** The one way a worker is put together, for the process and for the tests alike. */
export function createWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  models: Models;
  /** Encrypts every payload (lib/payload-codec.ts); the clients that talk to this worker use the same keys. */
  dataConverter: DataConverter;
  /** For the reconciler's activity, which asks Temporal about workflows. */
  client?: Client;
  logger?: Logger;
  /** Tests bundle once per file and pass the bundle to each worker. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    dataConverter: opts.dataConverter,
    // The reconciler's checkpoints are its heartbeats: the server keeps one at most 5 s old, so a
    // pass resumed after its worker died repeats little (the SDK's default would be 24 s).
    maxHeartbeatThrottleInterval: '5 seconds',
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : workflowSource()),
    activities: createActivities({
      models: opts.models,
      logger: opts.logger,
      temporal: opts.client && { client: opts.client, taskQueue: opts.taskQueue },
    }),
  });
}

let runtimeInstalled = false;

export async function startWorker(config: ResolvedConfig): Promise<RunningWorker> {
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  if (!runtimeInstalled) {
    // Route the SDK's own logs through pino at the configured level.
    Runtime.install({
      logger: {
        log: (level, message, meta) => logger[level.toLowerCase() as 'info']?.(meta ?? {}, message),
        trace: (m, meta) => logger.trace(meta ?? {}, m),
        debug: (m, meta) => logger.debug(meta ?? {}, m),
        info: (m, meta) => logger.info(meta ?? {}, m),
        warn: (m, meta) => logger.warn(meta ?? {}, m),
        error: (m, meta) => logger.error(meta ?? {}, m),
      },
    });
    runtimeInstalled = true;
  }
  // First, so a worker without keys stops before it connects to anything.
  const dataConverter = createDataConverter(config);
  const db = await connectDatabase(config.MONGODB_URI);
  const models = createModels(db);
  await ensureIndexes(models);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    models,
    dataConverter,
    client,
    logger,
  });
  const schedules = await ensureSchedules(client, config.TEMPORAL_TASK_QUEUE);
  logger.info({ schedules }, 'reconciler schedule ready');
  const done = worker.run().finally(async () => {
    await clientConnection.close();
    await connection.close();
    await db.close();
  });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE }, 'worker running');
  return {
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
