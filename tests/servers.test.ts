import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { Client, Connection } from '@temporalio/client';
import { startFerretDb } from '../dev-servers/ferretdb';
import { canConnect } from '../dev-servers/process';
import { connectDatabase, isFerretDb } from '../models/connection';
import { startTemporalDevServer } from '../dev-servers/temporal';
import { createLocalTemporal, createTimeSkippingTemporal, testDatabaseUri } from './helpers/env';

function portOf(address: string): number {
  return Number(/:(\d+)\/?$/.exec(address)?.[1]);
}

describe('embedded servers', () => {
  test('FerretDB stores and returns a document, and frees its port on stop', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'oversight-ferretdb-'));
    try {
      const ferret = await startFerretDb({ dataDir });
      try {
        expect(ferret.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
        const client = await MongoClient.connect(ferret.uri);
        try {
          const cases = client.db('oversight_servers_test').collection('cases');
          const { insertedId } = await cases.insertOne({ reference: 'EC-0001', status: 'open' });
          const found = await cases.findOne({ reference: 'EC-0001' }, { projection: { _id: 0 } });
          expect(found).toEqual({ reference: 'EC-0001', status: 'open' });

          // scripts/patches: lookups, updates and deletes by _id use the _id index
          // (unpatched v1.24.2 scans the whole table: SCAN instead of SEARCH … USING INDEX).
          const plan = (await cases.find({ _id: insertedId }).explain()) as { queryPlanner: { Plan: string[] } };
          expect(plan.queryPlanner.Plan.join('\n')).toMatch(/SEARCH cases_\w+ USING INDEX cases_\w+__id_ /);

          const db = await connectDatabase(ferret.uri);
          try {
            expect(await isFerretDb(db)).toBe(true);
          } finally {
            await db.close();
          }
        } finally {
          await client.close();
        }
      } finally {
        await ferret.stop();
      }
      expect(await canConnect(portOf(ferret.uri))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('Temporal dev server serves the requested namespace, and frees its port on stop', async () => {
    const temporal = await startTemporalDevServer({ headless: true, namespace: 'oversight-servers-test' });
    try {
      expect(temporal.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(temporal.uiUrl).toBeUndefined();
      const connection = await Connection.connect({ address: temporal.address });
      try {
        const client = new Client({ connection, namespace: 'oversight-servers-test' });
        const described = await client.workflowService.describeNamespace({ namespace: 'oversight-servers-test' });
        expect(described.namespaceInfo?.name).toBe('oversight-servers-test');
      } finally {
        await connection.close();
      }
    } finally {
      await temporal.stop();
    }
    expect(await canConnect(portOf(temporal.address))).toBe(false);
  });

  test('the time-skipping test server starts and tears down', async () => {
    const env = await createTimeSkippingTemporal();
    try {
      expect(env.supportsTimeSkipping).toBe(true);
      const before = await env.currentTimeMs();
      await env.sleep('1 day'); // skipped, not waited
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(86_400_000);
    } finally {
      await env.teardown();
    }
  });

  test('createLocalTemporal gives a full server for one test file', async () => {
    const env = await createLocalTemporal();
    try {
      expect(env.supportsTimeSkipping).toBe(false);
      const namespace = env.namespace ?? 'default';
      const described = await env.client.workflowService.describeNamespace({ namespace });
      expect(described.namespaceInfo?.name).toBe(namespace);
    } finally {
      await env.teardown();
    }
  });

  test('the global FerretDB is reachable and testDatabaseUri names a private database', async () => {
    const a = testDatabaseUri('servers');
    const b = testDatabaseUri('servers');
    expect(a).not.toBe(b);
    expect(a).toMatch(/\/oversight_test_servers_[0-9a-f]{8}$/);
    const client = await MongoClient.connect(a);
    try {
      expect(await client.db().command({ ping: 1 })).toMatchObject({ ok: 1 });
      expect(client.db().databaseName).toBe(a.split('/').pop());
    } finally {
      await client.close();
    }
  });
});
