// Dev-only launcher (local runs, tests, bench, chaos) for the binaries scripts/install-tools.sh installs; not runtime code.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { toolPath } from './tools';
import { assertPortFree, canConnect, freePort, metricSum, readMetrics, spawnServer, waitUntilReady, type RunningServer } from './process';

export interface FerretDbOptions {
  /** SQLite files and FerretDB's state.json live here; created if missing. */
  dataDir: string;
  /** 0 or undefined picks a free port. */
  port?: number;
  host?: string;
  logFile?: string;
  /**
   * Where FerretDB keeps its data on PostgreSQL (its `postgresql` handler, as `npm run rehearsal`
   * runs it) instead of SQLite files in dataDir (which then holds only state.json).
   */
  postgresqlUrl?: string;
  /**
   * SQLite's page cache per connection, in KiB (its `cache_size` pragma; SQLite's default is 2,000).
   * FerretDB keeps up to 100 connections per database open, each with its own cache.
   */
  sqliteCacheKiB?: number;
  /**
   * How long FerretDB keeps an idle SQLite connection, in seconds (scripts/patches' sixth patch;
   * its default is a minute). Unpatched, it kept every connection it ever opened, up to 100.
   */
  sqliteMaxIdleSeconds?: number;
  /**
   * Go's GOGC for the FerretDB process (its default 100: the heap may reach twice what is live
   * before a collection). For the soak to weigh: its Go heap proved 4-7 MB of a 47-57 MB RSS, so
   * GOGC moves little of it (docs/performance.md).
   */
  gogc?: number;
  /** Serve FerretDB's Prometheus metrics (its SQLite connections among them) on a free port: metricsUrl. */
  metrics?: boolean;
  /** How long to wait for a MongoDB ping to succeed (default 30s). */
  readyTimeoutMs?: number;
}

export type RunningFerretDb = RunningServer & { uri: string; host: string; port: number; metricsUrl?: string };

/** Starts FerretDB (MongoDB wire protocol on SQLite) and resolves once it answers `ping`. */
export async function startFerretDb(opts: FerretDbOptions): Promise<RunningFerretDb> {
  const host = opts.host ?? '127.0.0.1';
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  let port = opts.port ?? 0;
  if (port === 0) {
    port = await freePort(host);
  } else {
    await assertPortFree(port, host, 'Stop the process using it, or set MONGODB_URI to use that database instead.');
  }

  const storage = opts.postgresqlUrl
    ? ['--handler=postgresql', `--postgresql-url=${opts.postgresqlUrl}`]
    : [
        '--handler=sqlite',
        // The SQLite "URL" is a directory; FerretDB requires the trailing slash and an existing directory.
        // synchronous=NORMAL (FerretDB keeps WAL mode): a commit is acknowledged before it reaches the
        // disk, as MongoDB's default write concern does (its journal is synced every 100 ms). A crash
        // of FerretDB loses nothing; a power cut may lose the last moments, and never corrupts.
        `--sqlite-url=file:${dataDir}/?_pragma=synchronous(normal)${opts.sqliteCacheKiB ? `&_pragma=cache_size(-${opts.sqliteCacheKiB})` : ''}`,
      ];
  const debugAddr = opts.metrics ? `${host}:${await freePort(host)}` : undefined;
  const args = [
    ...storage,
    // state.json (instance id, telemetry choice) is written here; the default '.' is the cwd.
    `--state-dir=${dataDir}`,
    `--listen-addr=${host}:${port}`,
    // '-' disables the debug/metrics HTTP listener, which otherwise takes the fixed port 8088.
    `--debug-addr=${debugAddr ?? '-'}`,
    '--telemetry=disable',
    // ERROR, not WARN: WARN dumps a whole wire message each time a driver sends the unsupported endSessions.
    '--log-level=ERROR',
  ];
  const env = {
    ...process.env,
    ...(opts.sqliteMaxIdleSeconds !== undefined && { FERRETDB_SQLITE_MAX_IDLE_TIME: `${opts.sqliteMaxIdleSeconds}s` }),
    ...(opts.gogc !== undefined && { GOGC: String(opts.gogc) }),
  };
  const server = spawnServer('FerretDB', toolPath('ferretdb'), args, opts.logFile, env);
  const uri = `mongodb://${host}:${port}/`;

  await waitUntilReady(
    server,
    async () => {
      // The cheap TCP check first, so early polls do not pay the driver's server-selection wait.
      if (!(await canConnect(port, host, 500))) throw new Error(`nothing listening on ${host}:${port}`);
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
      try {
        await client.db('admin').command({ ping: 1 });
      } finally {
        await client.close();
      }
    },
    opts.readyTimeoutMs ?? 30_000,
  );

  return { uri, host, port, pid: server.child.pid, metricsUrl: debugAddr && `http://${debugAddr}/debug/metrics`, stop: () => server.stop() };
}

/** FerretDB's SQLite connections, summed over its databases, read from its own metrics. */
export interface SqliteConnections {
  /** Open now (in use and idle). */
  open: number;
  inUse: number;
  /** Closed so far for having been idle too long (the sixth patch). */
  idleClosed: number;
}

/**
 * The SQLite connections FerretDB holds (started with `metrics`), from its Prometheus metrics
 * (`ferretdb_sqldb_*`, one series per database). Not its open `*.sqlite` files: SQLite keeps a
 * closed connection's file open for the next one while others hold the file's WAL lock.
 */
export async function sqliteConnections(metricsUrl: string | undefined): Promise<SqliteConnections | undefined> {
  const text = await readMetrics(metricsUrl);
  if (text === undefined) return undefined;
  const sum = (name: string) => metricSum(text, `ferretdb_sqldb_${name}`) ?? 0;
  return { open: sum('open'), inUse: sum('in_use'), idleClosed: sum('max_idle_time_closed_total') };
}

/**
 * FerretDB's Go heap in MB, from its own metrics: `inUse`, the heap's spans in use now (live data
 * and garbage not yet collected), and `goal`, the size at which the collector next runs (live heap
 * at the last collection × (1 + GOGC/100)). Measured in the soak, it is a small part of the RSS
 * (4-7 MB of 47-57): the rest is SQLite's page caches (docs/performance.md).
 */
export async function ferretDbHeap(metricsUrl: string | undefined): Promise<{ inUse: number; goal: number } | undefined> {
  const text = await readMetrics(metricsUrl);
  const inUse = text === undefined ? undefined : metricSum(text, 'go_memstats_heap_inuse_bytes');
  if (text === undefined || inUse === undefined) return undefined;
  const mb = (bytes: number | undefined) => Math.round((bytes ?? Number.NaN) / 1048576);
  return { inUse: mb(inUse), goal: mb(metricSum(text, 'go_memstats_next_gc_bytes')) };
}
