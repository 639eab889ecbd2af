import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFerretDb } from '../../dev-servers/ferretdb';
import type { RunningServer } from '../../dev-servers/process';
import { generateCodecKeys } from '../../lib/codec-keys';

/** What global-teardown needs; jest runs both hooks in the same (parent) process. */
export interface TestStack {
  ferretDb?: RunningServer;
  tempDir?: string;
  /** Set when MONGODB_URI came from here, so teardown can unset it (jest --watch reruns setup). */
  ownsMongoUri?: boolean;
  /** Set when the codec keys came from here. */
  ownsCodecKeys?: boolean;
}

declare global {
  var __oversightTestStack: TestStack | undefined;
}

/**
 * One FerretDB for the whole run (each test file uses its own database, see tests/helpers/env.ts).
 * Temporal is not started here: each file starts its own via @temporalio/testing.
 * Setting MONGODB_URI runs the tests against that database instead.
 */
export default async function globalSetup(): Promise<void> {
  const stack: TestStack = {};
  globalThis.__oversightTestStack = stack;
  // Temporal payloads are encrypted in tests as in production: one key for the run, which
  // every test file (and any process one spawns) reads from the environment.
  if (!process.env.TEMPORAL_CODEC_KEYS) {
    Object.assign(process.env, generateCodecKeys('test'));
    stack.ownsCodecKeys = true;
  }
  if (process.env.MONGODB_URI) return;

  stack.tempDir = mkdtempSync(path.join(tmpdir(), 'oversight-test-'));
  const ferretDb = await startFerretDb({
    dataDir: path.join(stack.tempDir, 'ferretdb'),
    logFile: path.join(stack.tempDir, 'ferretdb.log'),
  });
  stack.ferretDb = ferretDb;
  // Workers are forked after globalSetup, so they inherit this.
  process.env.MONGODB_URI = ferretDb.uri;
  stack.ownsMongoUri = true;
}
