import { Client, Connection } from '@temporalio/client';
import { createApp, type AppDeps } from '../../api/app';
import { createReferenceData, type ReferenceData } from '../../api/reference-data';
import { freePort } from '../../dev-servers/process';
import { createLogger } from '../../lib/logger';
import { seedReferenceData } from '../../models/seed';
import { testAuthenticator } from './auth';
import { createLocalTemporal } from './env';
import { createHarness, type Harness } from './harness';

/** An API test file's servers: its harness on the Temporal dev server, a worker polling its queue, and the app over them. */
export interface ApiHarness extends Harness {
  app: ReturnType<typeof createApp>;
  /** The app's providers and closure days, cached (api/reference-data.ts): a test that changes them clears it. */
  referenceData: ReferenceData;
  /**
   * The app over the same database with a Temporal that never answers (a free port, dialled
   * lazily) and short deadlines, for the 503 paths; `close` its connection when done.
   * `retries: false` leaves out the client's gRPC retry interceptor, whose timer would otherwise
   * call the closed channel after the test.
   */
  offlineApp(opts?: { retries?: boolean }): Promise<{ app: ReturnType<typeof createApp>; close(): Promise<void> }>;
  /** Stops the worker, then the harness. */
  teardown(): Promise<void>;
}

/**
 * The set-up every API test file shares: the harness on a private dev server, the reference data
 * seeded (unless `seed: false`), one worker running for the whole file, and the app signed in
 * through the test authenticator, logging nothing; `app` overrides its dependencies (a rate
 * limit, the codec's origins).
 */
export async function createApiHarness(name: string, opts: { seed?: boolean; app?: Partial<AppDeps> } = {}): Promise<ApiHarness> {
  const h = await createHarness(name, await createLocalTemporal());
  try {
    if (opts.seed ?? true) await seedReferenceData(h.db);
    const worker = await h.createWorker();
    const running = worker.run();
    const referenceData = createReferenceData(h.models);
    const app = createApp({
      authenticator: testAuthenticator,
      models: h.models,
      temporal: h.env.client,
      taskQueue: h.taskQueue,
      logger: createLogger('silent'),
      referenceData,
      ...opts.app,
    });
    return {
      ...h,
      app,
      referenceData,
      async offlineApp({ retries = true } = {}) {
        const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, ...(retries ? {} : { interceptors: [] }) });
        const offline = createApp({
          authenticator: testAuthenticator,
          models: h.models,
          temporal: new Client({ connection }),
          taskQueue: h.taskQueue,
          logger: createLogger('silent'),
          temporalDeadlines: { timeoutMs: 2_000, liveBudgetMs: 1_000 },
        });
        return { app: offline, close: () => connection.close() };
      },
      async teardown() {
        worker.shutdown();
        await running;
        await h.teardown();
      },
    };
  } catch (err) {
    await h.teardown();
    throw err;
  }
}
