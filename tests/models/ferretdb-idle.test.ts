import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { MongoClient } from 'mongodb';
import { sqliteConnections, startFerretDb, type RunningFerretDb, type SqliteConnections } from '../../dev-servers/ferretdb';

/**
 * FerretDB closes the SQLite connections a burst of requests opened once they have been idle
 * (scripts/patches' sixth patch). Unpatched, FerretDB v1 kept every connection it ever opened, up to
 * 100 per database, each with its own page cache: in the steady soak its memory rose a step with
 * each morning storm and never came down.
 */
jest.setTimeout(90_000);

let dataDir: string;
let ferret: RunningFerretDb;
let client: MongoClient;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'oversight-ferretdb-idle-'));
  ferret = await startFerretDb({ dataDir, sqliteMaxIdleSeconds: 2, metrics: true });
  client = await MongoClient.connect(ferret.uri, { maxPoolSize: 40 });
});

afterAll(async () => {
  await client?.close();
  await ferret?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** FerretDB's SQLite connections, from its own metrics. */
async function connections(): Promise<SqliteConnections> {
  const now = await sqliteConnections(ferret.metricsUrl);
  if (!now) throw new Error('FerretDB did not serve its metrics');
  return now;
}

test('the connections a burst opened are closed once idle, and the data is read again after', async () => {
  const cases = client.db('oversight_idle_test').collection('cases');
  await cases.insertMany(Array.from({ length: 3_000 }, (_, i) => ({ reference: `EC-${i}`, summary: 'x'.repeat(200), n: i })));
  // A burst: 40 unindexed scans at once, so FerretDB opens many connections to the one database.
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, (await connections()).open);
      await delay(10);
    }
  })();
  try {
    await Promise.all(Array.from({ length: 40 }, (_, i) => cases.find({ summary: { $regex: `^x+$` }, n: { $gte: i } }).toArray()));
  } finally {
    sampling = false;
    await sampler;
  }
  peak = Math.max(peak, (await connections()).open);
  expect(peak).toBeGreaterThanOrEqual(8);

  // Idle: every connection is closed within a few cleaner rounds of the 2 s idle time.
  const until = Date.now() + 20_000;
  let now = await connections();
  while (now.open > 0 && Date.now() < until) {
    await delay(100);
    now = await connections();
  }
  expect(now.open).toBe(0);
  expect(now.idleClosed).toBeGreaterThanOrEqual(peak);

  // The pool opens a connection again when asked.
  expect(await cases.countDocuments({ n: { $lt: 10 } })).toBe(10);
  expect((await connections()).open).toBeGreaterThanOrEqual(1);
});
