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
import { WORKFLOW_BUNDLE_OPTIONS } from './bundle-options';
import { ensureSchedules } from './schedules';

/**
 * The compiled worker (dist/worker/run.js) loads dist/workflow-bundle.js, built
 * ahead of time by `npm run build`. Run from source it bundles the source, so a
 * bundle left in dist/ by an earlier build never stands in for edited workflows.
 */
export function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> {
  const prebuilt = path.resolve(__dirname, '../workflow-bundle.js');
  return existsSync(prebuilt)
    ? { workflowBundle: { codePath: prebuilt } }
    : { workflowsPath: require.resolve('../workflows'), bundlerOptions: { preloadModules: WORKFLOW_BUNDLE_OPTIONS.preloadModules } };
}

export interface RunningWorker {
  shutdown(): Promise<void>;
  /** Settles when the worker stops, rejecting if it failed. */
  done: Promise<void>;
}

/** How a worker process is sized and what it runs (WORKER_ROLE and friends, lib/config.ts). */
export interface WorkerTuning {
  role: 'all' | 'workflows' | 'activities';
  maxCachedWorkflows?: number;
  maxConcurrentWorkflowTasks?: number;
  maxConcurrentActivities?: number;
}

/**
 * The one way a worker is put together, for the process and for the tests alike. `workflows` runs
 * the workflows and their local activities only (enableNonLocalActivities off); `activities`
 * runs only the queued ones, with no workflow bundle: two processes on one task queue, Temporal
 * handing each its own kind of task.
 */
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
  tuning?: WorkerTuning;
}): Promise<Worker> {
  const { role = 'all', maxCachedWorkflows, maxConcurrentWorkflowTasks, maxConcurrentActivities } = opts.tuning ?? {};
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    dataConverter: opts.dataConverter,
    // The reconciler's checkpoints are its heartbeats: the server keeps one at most 5 s old, so a
    // pass resumed after its worker died repeats little (the SDK's default would be 24 s).
    maxHeartbeatThrottleInterval: '5 seconds',
    ...(role === 'activities' ? {} : opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : workflowSource()),
    ...(role === 'workflows' && { enableNonLocalActivities: false }),
    ...(maxCachedWorkflows !== undefined && role !== 'activities' && { maxCachedWorkflows }),
    ...(maxConcurrentWorkflowTasks !== undefined && role !== 'activities' && { maxConcurrentWorkflowTaskExecutions: maxConcurrentWorkflowTasks }),
    ...(maxConcurrentActivities !== undefined && { maxConcurrentActivityTaskExecutions: maxConcurrentActivities }),
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
    tuning: { role: config.WORKER_ROLE, maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS, maxConcurrentWorkflowTasks: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS, maxConcurrentActivities: config.WORKER_MAX_CONCURRENT_ACTIVITIES },
  });
  const schedules = await ensureSchedules(client, config.TEMPORAL_TASK_QUEUE);
  logger.info({ schedules }, 'reconciler schedule ready');
  const done = worker.run().finally(async () => {
    await clientConnection.close();
    await connection.close();
    await db.close();
  });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE, role: config.WORKER_ROLE }, 'worker running');
  return {
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
