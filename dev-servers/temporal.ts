// Dev-only launcher (local runs, tests, bench, chaos) for the binaries scripts/install-tools.sh installs; not runtime code.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { parse } from 'yaml';
import { repoRoot, toolPath } from './tools';
import { assertPortFree, freePort, spawnServer, waitUntilReady, type RunningServer } from './process';

export interface TemporalDevServerOptions {
  /** SQLite file for persistent state; undefined keeps everything in memory. */
  dbFile?: string;
  /**
   * How that file is journalled: `wal` (the default) writes ahead with `synchronous=normal`, as
   * Temporal's own SQLite config template does: a commit appends to the log without waiting on
   * the disk, safe against a killed process (only a machine's crash can lose the last commits).
   * `rollback` is the CLI's own default, a journal written, synced and deleted on every commit.
   */
  journal?: 'wal' | 'rollback';
  /** gRPC frontend port; 0 or undefined picks a free port. */
  port?: number;
  /** Web UI port; undefined picks a free port (the CLI's default, port+1000, may be taken). */
  uiPort?: number;
  headless?: boolean;
  /** Where the web UI asks to decode payloads (the API's codec endpoint), so it shows them in the clear. */
  uiCodecEndpoint?: string;
  /** Extra namespace to create at launch; "default" always exists. */
  namespace?: string;
  logFile?: string;
  /** How long to wait for the namespace to be served (default 60s). */
  readyTimeoutMs?: number;
  /** Serve Prometheus metrics (the history cache's occupancy among them) on a free port: metricsUrl. */
  metrics?: boolean;
  /**
   * Dynamic config values (`--dynamic-config-value key=JSON`), e.g. `history.hostLevelCacheMaxSize`,
   * over production's (productionDynamicConfig).
   */
  dynamicConfig?: Record<string, number | string | boolean>;
}

/** The Temporal server's dynamic config as production runs it (docker-compose.yml mounts it, the rehearsal runs it). */
export const PRODUCTION_DYNAMIC_CONFIG = path.join(repoRoot(), 'scripts', 'temporal', 'dynamicconfig.yaml');

/**
 * Production's dynamic config, each key's unconstrained value, so the dev server behaves as
 * production's server does (eager activities, its history cache's bound).
 */
export function productionDynamicConfig(): Record<string, number | string | boolean> {
  const file = parse(readFileSync(PRODUCTION_DYNAMIC_CONFIG, 'utf8')) as Record<string, { value: number | string | boolean; constraints?: object }[]>;
  return Object.fromEntries(
    Object.entries(file).flatMap(([key, values]) => {
      const plain = values.find((v) => !v.constraints || !Object.keys(v.constraints).length);
      return plain ? [[key, plain.value]] : [];
    }),
  );
}

/** `--dynamic-config-value` arguments for the CLI: production's values, then `overrides`. */
export function dynamicConfigArgs(overrides: Record<string, number | string | boolean> = {}): string[] {
  return Object.entries({ ...productionDynamicConfig(), ...overrides }).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);
}

export type RunningTemporal = RunningServer & { address: string; uiUrl?: string; metricsUrl?: string };

const HOST = '127.0.0.1';

/** Starts `temporal server start-dev` on 127.0.0.1 and resolves once the namespace answers. */
export async function startTemporalDevServer(opts: TemporalDevServerOptions = {}): Promise<RunningTemporal> {
  const hint = 'Stop the process using it, or set TEMPORAL_ADDRESS to use that server instead.';
  const port = opts.port ? (await assertPortFree(opts.port, HOST, hint), opts.port) : await freePort(HOST);
  const namespace = opts.namespace ?? 'default';
  // Only the gRPC and UI ports are chosen here; the CLI picks free ports for its HTTP API and metrics.
  const args = ['server', 'start-dev', '--ip', HOST, '--port', String(port), '--log-level', 'warn'];
  let uiUrl: string | undefined;
  if (opts.headless) {
    args.push('--headless');
  } else {
    const uiPort = opts.uiPort ? (await assertPortFree(opts.uiPort, HOST, hint), opts.uiPort) : await freePort(HOST);
    args.push('--ui-port', String(uiPort));
    if (opts.uiCodecEndpoint) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);
    uiUrl = `http://localhost:${uiPort}`;
  }
  if (opts.dbFile) {
    const dbFile = path.resolve(opts.dbFile);
    mkdirSync(path.dirname(dbFile), { recursive: true }); // the CLI does not create the folder
    args.push('--db-filename', dbFile);
    if ((opts.journal ?? 'wal') === 'wal') args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  if (namespace !== 'default') args.push('--namespace', namespace);
  let metricsUrl: string | undefined;
  if (opts.metrics) {
    const metricsPort = await freePort(HOST);
    args.push('--metrics-port', String(metricsPort));
    metricsUrl = `http://${HOST}:${metricsPort}/metrics`;
  }
  args.push(...dynamicConfigArgs(opts.dynamicConfig));

  const server = spawnServer('Temporal dev server', toolPath('temporal'), args, opts.logFile);
  const address = `${HOST}:${port}`;

  await waitUntilReady(
    server,
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        // The frontend accepts connections before namespaces are registered: ask for ours.
        await connection.workflowService.describeNamespace({ namespace });
      } finally {
        await connection.close();
      }
    },
    opts.readyTimeoutMs ?? 60_000,
  );

  return { address, uiUrl, metricsUrl, pid: server.child.pid, stop: () => server.stop() };
}
