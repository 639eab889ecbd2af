import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startFerretDb } from '../dev-servers/ferretdb';
import { freePort, spawnServer, waitUntilReady, type ChildServer, type RunningServer } from '../dev-servers/process';
import { startTemporalDevServer } from '../dev-servers/temporal';
import { generateCodecKeys, type CodecKeys } from '../lib/codec-keys';

/**
 * The whole product as separate processes on loopback, each on its own free port and files in
 * one temporary directory, so any of them can be killed with SIGKILL and started again on the
 * same port and the same data: FerretDB, the Temporal dev server (on a database file: a restart
 * keeps its workflows), the API (`api/main.ts`) and the worker (`worker/main.ts`).
 */
export class ChaosStack {
  private db?: RunningServer;
  private temporal?: RunningServer;
  private api?: ChildServer;
  private worker?: ChildServer;

  constructor(
    readonly dir: string,
    readonly ports: { db: number; temporal: number; api: number },
    readonly taskQueue: string,
    /** The keys the API, the worker and the checks share: payloads are encrypted as in production. */
    readonly codecKeys: CodecKeys = generateCodecKeys('chaos'),
  ) {}

  static async create(dir: string): Promise<ChaosStack> {
    return new ChaosStack(dir, { db: await freePort(), temporal: await freePort(), api: await freePort() }, 'oversight-chaos');
  }

  get mongoUri(): string {
    return `mongodb://127.0.0.1:${this.ports.db}/oversight_chaos`;
  }
  get temporalAddress(): string {
    return `127.0.0.1:${this.ports.temporal}`;
  }
  /** The local signing key the API verifies tokens with (the harness signs with it too). */
  get authKeyFile(): string {
    return path.join(this.dir, 'auth-key.json');
  }
  get apiUrl(): string {
    return `http://127.0.0.1:${this.ports.api}`;
  }

  async startDatabase(): Promise<void> {
    this.db = await startFerretDb({ dataDir: path.join(this.dir, 'ferretdb'), port: this.ports.db, logFile: this.log('ferretdb') });
  }

  async startTemporal(): Promise<void> {
    this.temporal = await startTemporalDevServer({
      headless: true,
      port: this.ports.temporal,
      dbFile: path.join(this.dir, 'temporal', 'temporal.db'),
      logFile: this.log('temporal'),
    });
  }

  async startApi(): Promise<void> {
    this.api = this.spawnNode('API', 'api/main.ts', {
      PORT: String(this.ports.api),
      TEMPORAL_TIMEOUT_MS: '5000',
      AUTH_LOCAL_KEY_FILE: this.authKeyFile,
      // The harness is one token sending hundreds of requests at once.
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    const api = this.api;
    await waitUntilReady(api, async () => {
      const res = await fetch(`${this.apiUrl}/healthz`, { signal: AbortSignal.timeout(1_000) });
      if (!res.ok) throw new Error(`healthz answered ${res.status}`);
    }, 60_000);
  }

  async startWorker(): Promise<void> {
    this.worker = this.spawnNode('worker', 'worker/main.ts', {});
    const worker = this.worker;
    await waitUntilReady(worker, async () => {
      if (!worker.logTail().includes('worker running')) throw new Error('not polling yet');
    }, 120_000);
  }

  /** SIGKILL: no shutdown hook runs, as when a machine or a container dies. */
  async kill(which: 'db' | 'temporal' | 'api' | 'worker'): Promise<void> {
    const server = this[which];
    if (!server) return;
    const pid = 'child' in server ? server.child.pid : server.pid;
    if (pid) process.kill(pid, 'SIGKILL');
    await server.stop();
    this[which] = undefined;
  }

  async stopAll(): Promise<void> {
    for (const which of ['api', 'worker', 'temporal', 'db'] as const) {
      const server = this[which];
      this[which] = undefined;
      await server?.stop().catch(() => undefined);
    }
  }

  private spawnNode(name: string, main: string, env: Record<string, string>): ChildServer {
    return spawnServer(name, process.execPath, ['--import', 'tsx', path.join(__dirname, '..', main)], this.log(name.toLowerCase()), {
      ...process.env,
      MONGODB_URI: this.mongoUri,
      TEMPORAL_ADDRESS: this.temporalAddress,
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      LOG_LEVEL: 'info',
      ...this.codecKeys,
      ...env,
    });
  }

  private log(name: string): string {
    return path.join(this.dir, `${name}.log`);
  }
}

/** Waits `ms`, for the pauses a fault scenario needs between its steps. */
export const pause = (ms: number) => delay(ms);
