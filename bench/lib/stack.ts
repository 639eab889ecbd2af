import { localBearer } from '../../dev-servers/auth';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startApi } from '../../api/server';
import { generateCodecKeys } from '../../lib/codec-keys';
import type { Config, ResolvedConfig } from '../../lib/config';
import { createDataConverter } from '../../lib/payload-codec';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/bundle-options';
import { startFerretDb } from '../../dev-servers/ferretdb';
import { freePort, spawnServer, waitUntilReady } from '../../dev-servers/process';
import { startTemporalDevServer } from '../../dev-servers/temporal';
import { createModels, type Models } from '../../models';
import { connectDatabase, withDatabase } from '../../models/connection';
import { seedReferenceData } from '../../models/seed';
import { createWorker } from '../../worker/run';
import { cpuSnapshot, type CpuSnapshot } from './cpu';

/** A MongoDB URI with its driver's pool bounded (`maxPoolSize`), as an operator would write it. */
export function withPoolSize(uri: string, size: number | string): string {
  return `${uri}${uri.includes('?') ? '&' : '?'}maxPoolSize=${size}`;
}

/** Things to stop, last started first. */
export class Cleanups {
  private readonly steps: { name: string; run: () => Promise<void> }[] = [];

  add(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }

  async runAll(): Promise<void> {
    for (const { name, run } of this.steps.splice(0).reverse()) {
      try {
        await run();
      } catch (err) {
        console.error(`bench: stopping ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

export interface BenchStack {
  config: ResolvedConfig;
  /** What the header says about where each server came from. */
  describe: { mongo: string; temporal: string };
  externalTemporal: boolean;
  models: Models;
  apiUrl: string;
  /** The API's process id, when it runs in a process of its own (for its memory). */
  apiPid?: number;
  /** The process id of each server started here (api, temporal, ferretdb), for their memory. */
  pids: Record<string, number | undefined>;
  /** "Bearer <token>" for every request the bench sends the API. */
  authorization: string;
  /** The Temporal dev server's Prometheus metrics, when started here. */
  temporalMetricsUrl?: string;
  /** FerretDB's Prometheus metrics (its SQLite connections), when started here. */
  ferretDbMetricsUrl?: string;
  client: Client;
  /** CPU used so far by this process and by each server started here (see ./cpu.ts). */
  cpu(): CpuSnapshot;
  /** Runs a worker on the bench's task queue until `fn` settles: the worker is idle otherwise. */
  withWorker<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * FerretDB and the Temporal dev server as `npm start` runs them (each on files, in a temp dir;
 * Temporal in memory with temporalStore 'memory'), unless MONGODB_URI / TEMPORAL_ADDRESS point
 * at servers to use instead; then a throwaway database and an own task queue on them.
 */
export async function startBenchStack(
  env: Config,
  opts: { run: string; temporalStore: 'file' | 'memory'; api: 'process' | 'inline'; temporalDynamicConfig?: Record<string, number | string | boolean>; ferretDbCacheKiB?: number; ferretDbGogc?: number; mongoPoolSize?: number; temporalJournal?: 'wal' | 'rollback' },
  cleanups: Cleanups,
): Promise<BenchStack> {
  // BENCH_DATA_DIR: FerretDB's files kept there between runs (a bench that finds its data seeded
  // measures at once: seed on a busy machine, measure on a quiet one); else a directory of this run's.
  const kept = process.env.BENCH_DATA_DIR;
  const tempDir = kept ? path.resolve(kept) : mkdtempSync(path.join(os.tmpdir(), 'oversight-bench-'));
  const servers: Record<string, number | undefined> = {};
  if (kept) mkdirSync(tempDir, { recursive: true });
  else cleanups.add('temp dir', async () => rmSync(tempDir, { recursive: true, force: true }));

  let mongoUri: string;
  let mongo: string;
  let ferretDbMetricsUrl: string | undefined;
  if (env.MONGODB_URI) {
    // Never the application's own database: a throwaway one on the same server.
    mongoUri = withDatabase(env.MONGODB_URI, `oversight_bench_${opts.run}`);
    mongo = `${mongoUri} (MONGODB_URI)`;
  } else {
    const ferretDb = await startFerretDb({ dataDir: path.join(tempDir, 'ferretdb'), logFile: path.join(tempDir, 'ferretdb.log'), sqliteCacheKiB: opts.ferretDbCacheKiB, gogc: opts.ferretDbGogc, metrics: true });
    ferretDbMetricsUrl = ferretDb.metricsUrl;
    cleanups.add('FerretDB', () => ferretDb.stop());
    servers.ferretdb = ferretDb.pid;
    // The driver's pool per process bounded (its `maxPoolSize`, in the URI as an operator sets it):
    // FerretDB opens a SQLite connection for each request it serves at once.
    mongoUri = withDatabase(opts.mongoPoolSize ? withPoolSize(ferretDb.uri, opts.mongoPoolSize) : ferretDb.uri, 'oversight_bench');
    mongo = `FerretDB started here, SQLite files in ${tempDir}${kept ? ' (BENCH_DATA_DIR, kept)' : ''}`;
  }

  let temporalAddress: string;
  let temporal: string;
  let temporalMetricsUrl: string | undefined;
  if (env.TEMPORAL_ADDRESS) {
    temporalAddress = env.TEMPORAL_ADDRESS;
    temporal = `${temporalAddress} (TEMPORAL_ADDRESS)`;
  } else {
    const server = await startTemporalDevServer({
      headless: true,
      namespace: env.TEMPORAL_NAMESPACE,
      dbFile: opts.temporalStore === 'file' ? path.join(tempDir, 'temporal', 'temporal.db') : undefined,
      journal: opts.temporalJournal,
      logFile: path.join(tempDir, 'temporal.log'),
      metrics: true,
      dynamicConfig: opts.temporalDynamicConfig,
    });
    cleanups.add('Temporal dev server', () => server.stop());
    temporalMetricsUrl = server.metricsUrl;
    servers.temporal = server.pid;
    temporalAddress = server.address;
    temporal = `Temporal dev server started here, ${opts.temporalStore === 'file' ? 'on a database file as npm start runs it' : 'in memory'}`;
  }

  const config: ResolvedConfig = {
    ...env,
    // Payloads are encrypted as in production; a key for this run unless one is configured.
    ...(env.TEMPORAL_CODEC_KEYS ? {} : generateCodecKeys('bench')),
    PORT: 0,
    MONGODB_URI: mongoUri,
    TEMPORAL_ADDRESS: temporalAddress,
    // Our own queue on a shared server, so only the worker started here picks these workflows up.
    TEMPORAL_TASK_QUEUE: env.TEMPORAL_ADDRESS ? `oversight-bench-${opts.run}` : env.TEMPORAL_TASK_QUEUE,
    // Signed in with a key of the bench's own; one token sends every request, so no rate limit.
    AUTH_LOCAL_KEY_FILE: path.join(tempDir, 'auth-key.json'),
    AUTH_JWKS_URL: undefined,
    RATE_LIMIT_PER_MINUTE: 100_000,
  };
  const authorization = await localBearer(config.AUTH_LOCAL_KEY_FILE);

  const db = await connectDatabase(config.MONGODB_URI);
  cleanups.add('bench database connection', () => db.close());
  const models = createModels(db);
  await seedReferenceData(db);
  if (env.MONGODB_URI) cleanups.add('bench database', async () => void (await db.dropDatabase()));

  const api = opts.api === 'process' ? await spawnApi(config, tempDir, cleanups) : await inlineApi(config, cleanups);
  servers.api = api.pid;

  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  cleanups.add('bench Temporal connection', () => connection.close());
  const dataConverter = createDataConverter(config);
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });

  // The SDK's own log lines (each worker start and stop) would drown the report.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const workerConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  cleanups.add('worker Temporal connection', () => workerConnection.close());
  let bundle: WorkflowBundleWithSourceMap | undefined;

  return {
    config,
    describe: { mongo, temporal },
    externalTemporal: !!env.TEMPORAL_ADDRESS,
    models,
    apiUrl: api.url,
    apiPid: api.pid,
    pids: servers,
    authorization,
    temporalMetricsUrl,
    ferretDbMetricsUrl,
    cpu: () => cpuSnapshot(servers),
    client,
    async withWorker(fn) {
      bundle ??= await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), ...WORKFLOW_BUNDLE_OPTIONS, logger: quietBundler });
      const worker = await createWorker({
        connection: workerConnection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        models,
        dataConverter,
        // For the reconciler's activity, which asks Temporal about workflows.
        client,
        workflowBundle: bundle,
      });
      return worker.runUntil(fn);
    },
  };
}

/** The settings a server process of the bench (the API, a worker) runs on: the stack's database, Temporal and keys. */
export function serverEnv(config: ResolvedConfig): NodeJS.ProcessEnv {
  return {
    ...process.env,
    MONGODB_URI: config.MONGODB_URI,
    TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: config.TEMPORAL_NAMESPACE,
    TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
    TEMPORAL_CODEC_KEYS: config.TEMPORAL_CODEC_KEYS,
    TEMPORAL_CODEC_KEY_ID: config.TEMPORAL_CODEC_KEY_ID,
    LOG_LEVEL: config.LOG_LEVEL,
  };
}

/**
 * The API as production runs it (`npm run api`, docker-compose's api service): a process of its
 * own, so its event loop is not the load generator's. Its log goes to api.log in the temp dir.
 */
async function spawnApi(config: ResolvedConfig, tempDir: string, cleanups: Cleanups): Promise<{ url: string; pid?: number }> {
  const port = await freePort();
  const env = {
    ...serverEnv(config),
    PORT: String(port),
    AUTH_LOCAL_KEY_FILE: config.AUTH_LOCAL_KEY_FILE,
    RATE_LIMIT_PER_MINUTE: String(config.RATE_LIMIT_PER_MINUTE),
  };
  const main = path.join(__dirname, '..', '..', 'api', 'main.ts');
  // BENCH_API_PROFILE=<dir>: the API writes a CPU profile (--cpu-prof) there as it stops.
  const profile = process.env.BENCH_API_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_API_PROFILE)}`] : [];
  const api = spawnServer('API', process.execPath, [...profile, '--import', 'tsx', main], path.join(tempDir, 'api.log'), env);
  cleanups.add('API', () => api.stop());
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(
    api,
    async () => {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (!res.ok) throw new Error(`GET /readyz answered ${res.status}`);
    },
    60_000,
  );
  return { url, pid: api.child.pid };
}

/** The API in the bench's own process, as `npm start` runs it beside the worker. */
async function inlineApi(config: ResolvedConfig, cleanups: Cleanups): Promise<{ url: string; pid?: number }> {
  const api = await startApi(config);
  cleanups.add('API', () => api.close());
  // startApi answers http://localhost:port but listens on 0.0.0.0: avoid a ::1 attempt first.
  return { url: api.url.replace('//localhost:', '//127.0.0.1:') };
}

const quietBundler = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
