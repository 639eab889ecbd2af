import { randomBytes } from 'node:crypto';
import type { ConnectionOptions } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { toolPath } from '../../dev-servers/tools';
import { dynamicConfigArgs } from '../../dev-servers/temporal';
import { generateCodecKeys, type CodecKeys } from '../../lib/codec-keys';
import { codecFromConfig, createDataConverter, type EncryptionCodec } from '../../lib/payload-codec';
import type { Connection } from 'mongoose';
import { connectDatabase, withDatabase } from '../../models/connection';

/**
 * MONGODB_URI (set by tests/setup/global-setup.ts, or by you) with a database name unique to
 * this call, so test files never see each other's data and reruns start empty.
 */
export function testDatabaseUri(name: string): string {
  const base = process.env.MONGODB_URI;
  if (!base) throw new Error('MONGODB_URI is not set: run tests through jest (tests/setup/global-setup.ts starts FerretDB)');
  // FerretDB accepts only [A-Za-z0-9_-] in database names, up to 63 characters.
  const safe = name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 30);
  return withDatabase(base, `oversight_test_${safe}_${randomBytes(4).toString('hex')}`);
}

/**
 * The run's codec keys (made by tests/setup/global-setup.ts; made here when a file runs
 * without it), so every client and worker of a test encrypts as production does.
 */
export function testCodecKeys(): CodecKeys {
  const { TEMPORAL_CODEC_KEYS, TEMPORAL_CODEC_KEY_ID } = process.env;
  if (TEMPORAL_CODEC_KEYS && TEMPORAL_CODEC_KEY_ID) return { TEMPORAL_CODEC_KEYS, TEMPORAL_CODEC_KEY_ID };
  const keys = generateCodecKeys('test');
  Object.assign(process.env, keys);
  return keys;
}

export function testCodec(): EncryptionCodec {
  return codecFromConfig(testCodecKeys());
}

export function testDataConverter(): DataConverter {
  return createDataConverter(testCodecKeys());
}

/** The SDK logs every worker state change at INFO; tests want warnings and failures only. */
export function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed in this process: keep it.
  }
}

/**
 * A full Temporal server for one test file: TEMPORAL_ADDRESS's server when set, otherwise a
 * private in-memory dev server from .tools/bin on 127.0.0.1 and a free port. Call teardown().
 */
export async function createLocalTemporal(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const address = process.env.TEMPORAL_ADDRESS;
  if (address) {
    return TestWorkflowEnvironment.createFromExistingServer({
      address,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      client: { dataConverter: testDataConverter() },
    });
  }
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: toolPath('temporal') },
      ip: '127.0.0.1',
      // The dev server prints WARN/ERROR noise while shutting down; tests only need real failures.
      log: { format: 'pretty', level: 'error' },
      // As production's server runs (scripts/temporal/dynamicconfig.yaml).
      extraArgs: dynamicConfigArgs(),
    },
    client: { dataConverter: testDataConverter() },
  });
}

/**
 * The time-skipping server (grpc-java) permits a client's keepalive pings no more often than every
 * five minutes, and none without a call in flight; the client's defaults (every 30 s, with or
 * without calls) make it answer "too many pings" and drop the connection, and with it an Update a
 * test awaits (seen once in a full run: a visit test hung its 120 s out). Ping as it permits.
 */
const calmKeepalive = {
  name: 'calm-keepalive',
  configureConnection: (options: ConnectionOptions): ConnectionOptions => ({
    ...options,
    channelArgs: { ...options.channelArgs, 'grpc.keepalive_time_ms': 600_000, 'grpc.keepalive_permit_without_calls': 0 },
  }),
};

/** The Java time-skipping test server from .tools/bin: timers fire as soon as the workflow waits. */
export async function createTimeSkippingTemporal(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolPath('temporal-test-server') } },
    client: { dataConverter: testDataConverter() },
    plugins: [calmKeepalive],
  });
}

/**
 * A test file's own database on the test server, connected before the file's own `beforeAll`
 * (hooks run in the order they are registered) and dropped and closed after its tests.
 */
export function testDatabase(name: string): { readonly db: Connection } {
  const box = {} as { db: Connection };
  beforeAll(async () => {
    box.db = await connectDatabase(testDatabaseUri(name));
  });
  afterAll(async () => {
    await box.db?.dropDatabase().catch(() => undefined);
    await box.db?.close();
  });
  return box;
}
