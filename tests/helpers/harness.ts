import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import mongoose from 'mongoose';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/bundle-options';
import { createModels, ensureIndexes, Models } from '../../models';
import { connectDatabase } from '../../models/connection';
import { createWorker } from '../../worker/run';
import { testDatabaseUri, testDataConverter } from './env';

/** One Temporal environment, one database and one workflow bundle per test file. */
export interface Harness {
  env: TestWorkflowEnvironment;
  db: mongoose.Connection;
  models: Models;
  taskQueue: string;
  /** A worker polling the file's task queue, on the bundle built once for the file. */
  createWorker(): Promise<Worker>;
  /** Run `fn` with a fresh worker polling the file's task queue. */
  withWorker<R>(fn: () => Promise<R>): Promise<R>;
  teardown(): Promise<void>;
}

export async function createHarness(
  name: string,
  env: TestWorkflowEnvironment,
  opts: { workflowInterceptorModules?: string[] } = {},
): Promise<Harness> {
  const db = await connectDatabase(testDatabaseUri(name));
  const models = createModels(db);
  await ensureIndexes(models);
  const bundle: WorkflowBundleWithSourceMap = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    ...WORKFLOW_BUNDLE_OPTIONS,
    workflowInterceptorModules: opts.workflowInterceptorModules,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
  });
  const taskQueue = `test-${name}-${randomUUID()}`;
  const newWorker = () =>
    createWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      models,
      dataConverter: testDataConverter(),
      client: env.client,
      workflowBundle: bundle,
    });
  return {
    env,
    db,
    models,
    taskQueue,
    createWorker: newWorker,
    async withWorker(fn) {
      return (await newWorker()).runUntil(fn);
    },
    async teardown() {
      await db.dropDatabase().catch(() => undefined);
      await db.close();
      await env.teardown();
    },
  };
}

/** Poll until `check` stops throwing: the worker acts a moment after time moves. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * The harness's worker, started and stopped as a test needs (a worker that is away, then back):
 * `stop` shuts it down and waits for its run to end; either may be called when it already holds.
 */
export function workerSwitch(harness: () => Harness): { start(): Promise<void>; stop(): Promise<void> } {
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  return {
    async start() {
      if (worker) return;
      worker = await harness().createWorker();
      running = worker.run();
    },
    async stop() {
      worker?.shutdown();
      await running;
      worker = undefined;
      running = undefined;
    },
  };
}
