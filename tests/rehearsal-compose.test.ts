/**
 * docker-compose.yml and `npm run rehearsal` describe one production shape: the Temporal server's
 * version and store, the namespace and task queue, and the settings the API, the worker and the
 * mailer run with. What the rehearsal proved holds only while compose runs the same, so a change to
 * either without the other fails here (no Docker, no servers: the files are read).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { READINESS_PROBE_MS } from '../api/health/router';
import { CHECK_TIMEOUT_S, haproxyConfig } from '../rehearsal/haproxy';
import { REHEARSAL } from '../rehearsal/settings';
import { PRODUCTION_DYNAMIC_CONFIG } from '../dev-servers/temporal';

const root = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  stop_grace_period?: string;
  environment?: Record<string, unknown>;
  healthcheck?: { test?: string[] };
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const env = (service: string) => Object.fromEntries(Object.entries(compose.services[service]?.environment ?? {}).map(([k, v]) => [k, String(v)]));

test("compose's Temporal server is the version the rehearsal builds and runs", () => {
  const tag = /^temporalio\/auto-setup:(\d+\.\d+\.\d+)$/.exec(compose.services.temporal.image ?? '')?.[1];
  expect(tag).toBe(REHEARSAL.temporalServerVersion);
  expect(read('scripts/install-tools.sh')).toMatch(new RegExp(`^TEMPORAL_SERVER_VERSION=v${REHEARSAL.temporalServerVersion.replace(/\./g, '\\.')}$`, 'm'));
});

test("the Temporal server's dynamic config is the rehearsal's, and bounds its history cache on purpose", () => {
  const temporal = compose.services.temporal as Service & { volumes?: string[] };
  const mounted = (temporal.volumes ?? []).map((v) => v.split(':')).find(([, target]) => target === `/etc/temporal/${env('temporal').DYNAMIC_CONFIG_FILE_PATH}`);
  expect(mounted?.[0]).toBe('./scripts/temporal/dynamicconfig.yaml');
  expect(path.resolve(root, mounted![0])).toBe(PRODUCTION_DYNAMIC_CONFIG);
  const config = parse(read('scripts/temporal/dynamicconfig.yaml')) as Record<string, { value: unknown }[]>;
  const bound = Number(config['history.hostLevelCacheMaxSize']?.[0]?.value);
  // Below the server's default of 128,000 (3-4 GB), above a morning's storm.
  expect(bound).toBeGreaterThanOrEqual(2_000);
  expect(bound).toBeLessThan(128_000);
});

test('the same store, schema and namespace: PostgreSQL 12 or later through the postgres12 plugin', () => {
  expect(env('temporal')).toMatchObject({ DB: REHEARSAL.temporalSqlPlugin, DEFAULT_NAMESPACE: REHEARSAL.namespace });
  const major = Number(/^postgres:(\d+)/.exec(compose.services.postgresql.image ?? '')?.[1]);
  expect(major).toBeGreaterThanOrEqual(12);
});

test('the API, the worker and the mailer run with the settings the rehearsal ran', () => {
  for (const service of ['api', 'worker']) {
    expect(env(service)).toMatchObject({ TEMPORAL_NAMESPACE: REHEARSAL.namespace, TEMPORAL_TASK_QUEUE: REHEARSAL.taskQueue });
  }
  expect(env('api')).toMatchObject(REHEARSAL.api);
  expect(env('worker')).toMatchObject(REHEARSAL.worker);
  expect(env('mailer')).toMatchObject(REHEARSAL.mailer);
  // The rolling upgrade gave each old worker this long to finish its tasks after SIGTERM.
  expect(compose.services.worker.stop_grace_period).toBe(`${REHEARSAL.workerStopGraceSeconds}s`);
});

test("the load balancer's health check is the readiness check compose's API answers", () => {
  expect((compose.services.api.healthcheck?.test ?? []).join(' ')).toContain('/readyz');
  expect(haproxyConfig(1, [2, 3], '/dev/null')).toContain('option httpchk GET /readyz');
});

test('every health check waits longer than readiness takes to say no (else a loaded, live API drops out)', () => {
  expect(haproxyConfig(1, [2, 3], '/dev/null')).toContain(`timeout check ${CHECK_TIMEOUT_S}s`);
  expect(CHECK_TIMEOUT_S * 1000).toBeGreaterThan(READINESS_PROBE_MS);
  const composeTimeout = /^(\d+)s$/.exec(String((compose.services.api.healthcheck as { timeout?: string } | undefined)?.timeout ?? ''))?.[1];
  expect(Number(composeTimeout) * 1000).toBeGreaterThan(READINESS_PROBE_MS);
});
