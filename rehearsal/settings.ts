/**
 * What the rehearsal runs, in one place: the Temporal server's version and store, the namespace
 * and task queue, and the settings each kind of process gets. docker-compose.yml describes the same
 * production shape; tests/rehearsal-compose.test.ts fails when the two drift apart.
 */
export const REHEARSAL = {
  /** go.temporal.io/server, as compose's temporalio/auto-setup image tag (scripts/install-tools.sh builds it). */
  temporalServerVersion: '1.29.1',
  /** The SQL plugin compose's auto-setup is given as DB, and the schema directory it applies (postgresql/v12). */
  temporalSqlPlugin: 'postgres12',
  namespace: 'default',
  taskQueue: 'oversight',
  /** History shards: fixed for the life of a cluster (changing it means a new cluster). */
  historyShards: 4,
  /** Connections each Temporal service keeps to PostgreSQL (main store; visibility gets a quarter). */
  temporalMaxConns: 20,
  api: {
    TEMPORAL_TIMEOUT_MS: '10000',
    LIVE_STATE_BUDGET_MS: '150',
  },
  /** What a worker has to finish its tasks after SIGTERM before SIGKILL (compose's stop_grace_period): the rolling upgrade's. */
  workerStopGraceSeconds: 30,
  worker: {
    WORKER_ROLE: 'all',
    WORKER_MAX_CACHED_WORKFLOWS: '1000',
    WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '40',
    WORKER_MAX_CONCURRENT_ACTIVITIES: '100',
  },
  mailer: {
    MAIL_MAX_ATTEMPTS: '8',
    MAIL_LEASE_MS: '120000',
  },
} as const;
