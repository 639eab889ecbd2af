// Rehearsal only: the real Temporal server (go.temporal.io/server) on PostgreSQL, set up with its own SQL tool.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { assertPortFree, spawnServer, waitUntilReady, type ChildServer } from '../dev-servers/process';
import { PRODUCTION_DYNAMIC_CONFIG } from '../dev-servers/temporal';
import { repoRoot } from '../dev-servers/tools';
import type { Postgres } from './postgres';
import { REHEARSAL } from './settings';

const run = promisify(execFile);
const tools = () => path.join(repoRoot(), '.tools', 'bin');
const HOST = '127.0.0.1';

/** The databases compose's auto-setup creates: the main store and SQL visibility. */
const STORES = [
  { database: 'temporal', schema: 'temporal', maxConns: REHEARSAL.temporalMaxConns },
  { database: 'temporal_visibility', schema: 'visibility', maxConns: Math.max(2, REHEARSAL.temporalMaxConns / 4) },
] as const;

/**
 * A free port below 32768: the cluster_membership table keeps a membership port as a PostgreSQL
 * smallint, so one from the OS's ephemeral range (32768 and up) stops the server at start.
 */
async function lowFreePort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    try {
      await assertPortFree(port);
      taken.add(port);
      return port;
    } catch {
      // in use: another
    }
  }
}

/** Every port a single-binary Temporal server binds, free ones, so the rehearsal takes none another run holds. */
export async function temporalPorts() {
  const names = ['frontend', 'frontendMembership', 'frontendHttp', 'history', 'historyMembership', 'matching', 'matchingMembership', 'worker', 'workerMembership'] as const;
  const ports = {} as Record<(typeof names)[number], number>;
  const taken = new Set<number>();
  for (const name of names) ports[name] = await lowFreePort(taken);
  return ports;
}
export type TemporalPorts = Awaited<ReturnType<typeof temporalPorts>>;

async function sqlTool(pg: Postgres, database: string, ...args: string[]): Promise<void> {
  const common = ['--plugin', REHEARSAL.temporalSqlPlugin, '--endpoint', HOST, '--port', String(pg.port), '--user', pg.user, '--password', '', '--database', database];
  await run(path.join(tools(), 'temporal-sql-tool'), [...common, ...args], { timeout: 120_000 });
}

/** Creates a database on the rehearsal's PostgreSQL (FerretDB's, say) with the SQL tool: no psql needed. */
export async function createDatabase(pg: Postgres, database: string): Promise<void> {
  await sqlTool(pg, database, 'create-database');
}

/** As auto-setup does: both databases, their base schema, then every versioned step up to the release's. */
export async function setupTemporalSchemas(pg: Postgres): Promise<void> {
  for (const store of STORES) {
    await createDatabase(pg, store.database);
    await sqlTool(pg, store.database, 'setup-schema', '-v', '0.0');
    await sqlTool(pg, store.database, 'update-schema', '-d', path.join(tools(), 'temporal-schema', 'postgresql', 'v12', store.schema, 'versioned'));
  }
}

/** The server's configuration, as compose's auto-setup renders it for DB=postgres12, on the rehearsal's ports. */
export function writeTemporalConfig(dir: string, pg: Postgres, ports: TemporalPorts): void {
  const store = (s: (typeof STORES)[number]) => `
      sql:
        pluginName: "${REHEARSAL.temporalSqlPlugin}"
        databaseName: "${s.database}"
        connectAddr: "${HOST}:${pg.port}"
        connectProtocol: "tcp"
        user: "${pg.user}"
        password: ""
        maxConns: ${s.maxConns}
        maxIdleConns: ${s.maxConns}
        maxConnLifetime: "1h"`;
  const service = (grpc: number, membership: number, http?: number) => `
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnIP: "${HOST}"${http ? `\n      httpPort: ${http}` : ''}`;
  const yaml = `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: ${REHEARSAL.historyShards}
  datastores:
    default:${store(STORES[0])}
    visibility:${store(STORES[1])}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "${HOST}"
services:
  frontend:${service(ports.frontend, ports.frontendMembership, ports.frontendHttp)}
  history:${service(ports.history, ports.historyMembership)}
  matching:${service(ports.matching, ports.matchingMembership)}
  worker:${service(ports.worker, ports.workerMembership)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "${HOST}:${ports.frontend}"
      httpAddress: "${HOST}:${ports.frontendHttp}"
dcRedirectionPolicy:
  policy: "noop"
dynamicConfigClient:
  filepath: "${path.join(dir, 'config', 'dynamicconfig.yaml')}"
  pollInterval: "10s"
`;
  mkdirSync(path.join(dir, 'config'), { recursive: true });
  writeFileSync(path.join(dir, 'config', 'rehearsal.yaml'), yaml);
  // Production's dynamic config (docker-compose.yml mounts the same file), and: task queues keep the
  // server's default of 4 partitions; ids up to 255 characters as in development.
  const production = readFileSync(PRODUCTION_DYNAMIC_CONFIG, 'utf8');
  writeFileSync(path.join(dir, 'config', 'dynamicconfig.yaml'), `${production}\nlimit.maxIDLength:\n  - value: 255\n    constraints: {}\n`);
}

export class TemporalServer {
  private server?: ChildServer;

  constructor(
    readonly dir: string,
    readonly ports: TemporalPorts,
    private readonly logFile: string,
  ) {}

  get address(): string {
    return `${HOST}:${this.ports.frontend}`;
  }

  get pid(): number | undefined {
    return this.server?.child.pid;
  }

  async start(): Promise<void> {
    const args = ['--root', this.dir, '--config', 'config', '--env', 'rehearsal', '--allow-no-auth', 'start'];
    this.server = spawnServer('Temporal server', path.join(tools(), 'temporal-server'), args, this.logFile);
    await waitUntilReady(this.server, async () => {
      const connection = await Connection.connect({ address: this.address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
      } finally {
        await connection.close();
      }
    }, 120_000, 500);
  }

  /** As auto-setup's DEFAULT_NAMESPACE: the namespace the product runs in, with a week's retention. */
  async createNamespace(): Promise<void> {
    const connection = await Connection.connect({ address: this.address });
    try {
      await connection.workflowService.registerNamespace({ namespace: REHEARSAL.namespace, workflowExecutionRetentionPeriod: msToTs('7 days') }).catch((err: Error & { code?: number }) => {
        if (err.code !== 6) throw err; // ALREADY_EXISTS
      });
      // Registration reaches the frontend's namespace cache within seconds: wait until it answers.
      for (let i = 0; ; i++) {
        try {
          await connection.workflowService.describeNamespace({ namespace: REHEARSAL.namespace });
          await connection.workflowService.listWorkflowExecutions({ namespace: REHEARSAL.namespace, pageSize: 1 });
          return;
        } catch (err) {
          if (i > 60) throw err;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    } finally {
      await connection.close();
    }
  }

  async kill(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server?.child.pid) process.kill(server.child.pid, 'SIGKILL');
    await server?.stop();
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.stop(15_000);
  }
}
