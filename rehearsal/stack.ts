// Rehearsal only: the production shape on this machine, every server a process of its own.
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localBearer } from '../dev-servers/auth';
import { startFerretDb, type RunningFerretDb } from '../dev-servers/ferretdb';
import { freePort, spawnServer, waitUntilReady, type ChildServer } from '../dev-servers/process';
import { generateCodecKeys, type CodecKeys } from '../lib/codec-keys';
import { checkIdPlans } from './ferretdb-plans';
import { HaProxy } from './haproxy';
import { Postgres } from './postgres';
import { REHEARSAL } from './settings';
import { FlakyRelay } from './relay';
import { createDatabase, setupTemporalSchemas, temporalPorts, TemporalServer, writeTemporalConfig } from './temporal';

const repo = path.resolve(__dirname, '..');
/** A Tuesday at 10:00 London: the mailers' clock starts in working hours, whatever day this runs. */
export const MAIL_NOW = '2026-12-08T10:00:00.000Z';

/**
 * PostgreSQL; the Temporal server and FerretDB on it; two APIs behind HAProxy; two workers
 * (from a tree with its workflow bundle built, as the production image has it); two mailers and
 * an SMTP relay that can be told to fail. Anything can be killed and started again on its port.
 */
export class RehearsalStack {
  readonly apis: (ChildServer | undefined)[] = [];
  readonly workers: (ChildServer | undefined)[] = [];
  readonly mailers: (ChildServer | undefined)[] = [];
  readonly relay = new FlakyRelay();
  ferret?: RunningFerretDb;
  proxy: HaProxy;
  bearer = '';
  /** The code the workers run: a tree with its workflow bundle (bench/lib/worker-process.ts codeAt). */
  workerTree = repo;

  private constructor(
    readonly dir: string,
    readonly pg: Postgres,
    readonly temporal: TemporalServer,
    readonly ports: { ferret: number; proxy: number; apis: number[] },
    readonly codecKeys: CodecKeys,
  ) {
    this.proxy = new HaProxy(dir, ports.proxy, ports.apis, this.log('haproxy'));
  }

  static async create(): Promise<RehearsalStack> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'oversight-rehearsal-'));
    chmodSync(dir, 0o755); // PostgreSQL, run as nobody when this is root, needs to reach its data directory
    const pg = new Postgres(path.join(dir, 'postgresql'), await freePort(), path.join(dir, 'postgresql.log'));
    const temporal = new TemporalServer(path.join(dir, 'temporal'), await temporalPorts(), path.join(dir, 'temporal.log'));
    const ports = { ferret: await freePort(), proxy: await freePort(), apis: [await freePort(), await freePort()] };
    return new RehearsalStack(dir, pg, temporal, ports, generateCodecKeys('rehearsal'));
  }

  get mongoUri(): string {
    return `mongodb://127.0.0.1:${this.ports.ferret}/oversight`;
  }
  get authKeyFile(): string {
    return path.join(this.dir, 'auth-key.json');
  }
  apiUrl(i: number): string {
    return `http://127.0.0.1:${this.ports.apis[i]}`;
  }

  /** Everything, in the order compose's depends_on gives; each step's seconds go to `step`. */
  async up(step: (name: string, fn: () => Promise<void>) => Promise<void>): Promise<void> {
    await step('PostgreSQL (initdb, start)', async () => {
      this.pg.init();
      await this.pg.start();
    });
    await step('Temporal schemas (temporal-sql-tool)', async () => {
      await setupTemporalSchemas(this.pg);
      await createDatabase(this.pg, 'ferretdb');
    });
    await step('Temporal server, default namespace', async () => {
      writeTemporalConfig(this.temporal.dir, this.pg, this.temporal.ports);
      await this.temporal.start();
      await this.temporal.createNamespace();
    });
    await step('FerretDB on PostgreSQL, its _id index in use', async () => {
      await this.startDatabase();
      await checkIdPlans(this.mongoUri);
    });
    await step('SMTP relay', () => this.relay.start());
    this.bearer = await localBearer(this.authKeyFile);
    await step('two APIs, HAProxy', async () => {
      await Promise.all([this.startApi(0), this.startApi(1)]);
      await this.proxy.start();
    });
    await step('two workers', async () => {
      await Promise.all([this.startWorker(0), this.startWorker(1)]);
    });
    await step('two mailers', async () => {
      await Promise.all([this.startMailer(0), this.startMailer(1)]);
    });
  }

  async startDatabase(): Promise<void> {
    this.ferret = await startFerretDb({ dataDir: path.join(this.dir, 'ferretdb'), port: this.ports.ferret, postgresqlUrl: this.pg.url('ferretdb'), logFile: this.log('ferretdb') });
  }

  async startApi(i: number): Promise<void> {
    const api = this.spawnNode(`api${i + 1}`, path.join(repo, 'api/main.ts'), {
      PORT: String(this.ports.apis[i]),
      AUTH_LOCAL_KEY_FILE: this.authKeyFile,
      // The harness is one token sending thousands of requests.
      RATE_LIMIT_PER_MINUTE: '100000',
      ...REHEARSAL.api,
    });
    this.apis[i] = api;
    await waitUntilReady(api, async () => {
      const res = await fetch(`${this.apiUrl(i)}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (!res.ok) throw new Error(`readyz answered ${res.status}`);
    }, 90_000, 250);
  }

  async startWorker(i: number, tree = this.workerTree): Promise<void> {
    const worker = this.spawnNode(`worker${i + 1}`, path.join(tree, 'worker/main.ts'), { ...REHEARSAL.worker });
    this.workers[i] = worker;
    await waitUntilReady(worker, async () => {
      if (!worker.logTail().includes('worker running')) throw new Error('not polling yet');
    }, 180_000, 250);
  }

  async startMailer(i: number): Promise<void> {
    const mailer = this.spawnNode(`mailer${i + 1}`, path.join(__dirname, 'mailer-process.ts'), {
      ...REHEARSAL.mailer,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(this.relay.port),
      MAIL_FROM: 'Oversight <oversight@icb.example>',
      MAIL_QUALITY_LEAD: 'quality.lead@icb.example',
      MAIL_CASE_OFFICER: 'complaints@icb.example',
      MAIL_SAFEGUARDING_LEAD: 'safeguarding@icb.example',
      MAIL_CQRG_CHAIR: 'cqrg.chair@icb.example',
      MAIL_POLL_MS: '500',
      // 3 s, not 30 s, doubling: with 30 s, how long scenario 4 drains depends on its unluckiest row
      // (5 failures in a row, 1 run in 4 at 20%, wait 7.5 minutes before the 6th try).
      MAIL_RETRY_MS: process.env.REHEARSAL_MAIL_RETRY_MS ?? '3000',
      REHEARSAL_MAIL_NOW: MAIL_NOW,
      // 1: the production lease and backoff. At 10 the 120 s lease lapsed in 12 s while sends were
      // slow, and the other mailer sent the row again (103 of 1,000 twice): a faster clock is no rehearsal.
      REHEARSAL_MAIL_SPEED: process.env.REHEARSAL_MAIL_SPEED ?? '1',
    });
    this.mailers[i] = mailer;
    await waitUntilReady(mailer, async () => {
      if (!mailer.logTail().includes('mailer started')) throw new Error('not started');
    }, 60_000, 250);
  }

  /** SIGKILL: no shutdown hook runs, as when a machine or a container dies. */
  async kill(kind: 'apis' | 'workers' | 'mailers', i: number): Promise<void> {
    const server = this[kind][i];
    this[kind][i] = undefined;
    if (server?.child.pid) process.kill(server.child.pid, 'SIGKILL');
    await server?.stop();
  }

  /** Stops every process, whatever state the run left them in; never throws. */
  async down(): Promise<void> {
    const quietly = (p: Promise<unknown> | undefined) => p?.catch((err: Error) => console.error(`rehearsal: stopping: ${err.message}`));
    await Promise.all([...this.mailers, ...this.workers, ...this.apis].map((s) => quietly(s?.stop(5_000))));
    await quietly(this.proxy.stop());
    await quietly(this.relay.stop());
    await quietly(this.ferret?.stop());
    await quietly(this.temporal.stop());
    await quietly(this.pg.stop());
  }

  private spawnNode(name: string, main: string, env: Record<string, string>): ChildServer {
    return spawnServer(name, process.execPath, ['--import', 'tsx', main], this.log(name), {
      ...process.env,
      MONGODB_URI: this.mongoUri,
      TEMPORAL_ADDRESS: this.temporal.address,
      TEMPORAL_NAMESPACE: REHEARSAL.namespace,
      TEMPORAL_TASK_QUEUE: REHEARSAL.taskQueue,
      LOG_LEVEL: 'info',
      ...this.codecKeys,
      ...env,
    });
  }

  log(name: string): string {
    return path.join(this.dir, 'logs', `${name}.log`);
  }
}
