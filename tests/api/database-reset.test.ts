import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import mongoose from 'mongoose';
import { createApp } from '../../api/app';
import { londonDate } from '../../lib/calendar';
import { createLogger } from '../../lib/logger';
import { createModels, ensureIndexes } from '../../models';
import { seedReferenceData } from '../../models/seed';
import { asCaller, testAuthenticator } from '../helpers/auth';
import { createLocalTemporal, testDatabaseUri } from '../helpers/env';

/**
 * The database's connection reset in the middle of creates: each answers 201 (it went through) or
 * 503 with Retry-After in the database's words (it may be sent again), never a 500 and never
 * blamed on Temporal, which is up throughout.
 */

/** A TCP proxy in front of the database that resets (RST) the connection a write to `collection` is sent on. */
class ResettingProxy {
  private readonly server = net.createServer((client) => this.accept(client));
  private readonly sockets = new Set<net.Socket>();
  /** Writes still to reset. */
  resets = 0;

  constructor(
    private readonly upstream: { host: string; port: number },
    private readonly collection: string,
  ) {}

  private accept(client: net.Socket) {
    const upstream = net.connect(this.upstream.port, this.upstream.host);
    this.sockets.add(client).add(upstream);
    // Each side goes with the other: a reset client left its database connection open (the test
    // file's process then kept five sockets to the database until it was replaced).
    client.on('close', () => (this.sockets.delete(client), upstream.destroy()));
    upstream.on('close', () => (this.sockets.delete(upstream), client.destroy()));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('data', (chunk: Buffer) => {
      // BSON spells names out: a write's message holds its collection's.
      if (this.resets > 0 && chunk.includes(this.collection)) {
        this.resets--;
        return client.resetAndDestroy();
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
  }

  async listen(): Promise<number> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

let env: TestWorkflowEnvironment;
let proxy: ResettingProxy;
let db: mongoose.Connection;
let app: ReturnType<typeof createApp>;
const request = asCaller();

beforeAll(async () => {
  env = await createLocalTemporal();
  const uri = testDatabaseUri('database_reset');
  const direct = new URL(uri);
  // A create's first write: its Idempotency-Key.
  proxy = new ResettingProxy({ host: direct.hostname, port: Number(direct.port) }, 'idempotency_keys');
  const port = await proxy.listen();
  // As connectDatabase connects, but with one connection: the creates queue for it, as they do
  // for a busy pool, and are waiting on it when it is reset.
  db = await mongoose.createConnection(uri.replace(direct.host, `127.0.0.1:${port}`), { serverSelectionTimeoutMS: 2_000, retryWrites: false, maxPoolSize: 1 }).asPromise();
  const models = createModels(db);
  await ensureIndexes(models);
  await seedReferenceData(db);
  app = createApp({ authenticator: testAuthenticator, models, temporal: env.client, taskQueue: 'database-reset', logger: createLogger('silent'), rateLimitPerMinute: 100_000 });
});

afterAll(async () => {
  await db?.dropDatabase().catch(() => undefined);
  await db?.close();
  await proxy?.close();
  await env?.teardown();
});

const body = () => ({ providerCode: 'RJ1', receivedAt: londonDate(Date.now()), source: 'complainant', summary: 'Waited nine hours', consentToShare: false });

test('creates caught by a connection reset answer 503 with Retry-After, in the database’s words; the rest open their cases', async () => {
  // The reference block claimed first, so each create's own inserts are what is reset.
  expect((await request(app).post('/api/complaints').send(body())).status).toBe(201);
  for (let round = 0; round < 3; round++) {
    proxy.resets = 1;
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => request(app).post('/api/complaints').set('Idempotency-Key', `reset-${round}-${i}`).send(body())));
    const unavailable = answers.filter((res) => res.status !== 201);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const res of unavailable) {
      expect({ status: res.status, code: res.body.error?.code, retryAfter: res.headers['retry-after'] }).toEqual({ status: 503, code: 'unavailable', retryAfter: '5' });
    }
  }
  expect((await request(app).post('/api/complaints').send(body())).status).toBe(201);
});
