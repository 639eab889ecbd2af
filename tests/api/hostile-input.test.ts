import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import supertest from 'supertest';
import { createApp } from '../../api/app';
import { freePort } from '../../dev-servers/process';
import { createLogger } from '../../lib/logger';
import { createModels, type Models } from '../../models';
import { connectDatabase } from '../../models/connection';
import { SESSION_COOKIE } from '../../web/session';
import { STAFF, testAuthenticator, tokenFor } from '../helpers/auth';
import { testDatabaseUri } from '../helpers/env';

/**
 * What an attacker sends that no form would: refused at the edge with a 400 that says why,
 * never a 500, and before anything reaches Temporal (which is never reachable here).
 */

let db: mongoose.Connection;
let models: Models;
let connection: Connection;
let app: ReturnType<typeof createApp>;
let token: string;

beforeAll(async () => {
  db = await connectDatabase(testDatabaseUri('hostile_input'));
  models = createModels(db);
  connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
  app = createApp({
    authenticator: testAuthenticator,
    models,
    temporal: new Client({ connection }),
    taskQueue: 'unused',
    logger: createLogger('silent'),
    temporalDeadlines: { timeoutMs: 300, queryTimeoutMs: 300 },
    rateLimitPerMinute: 100_000,
  });
  token = await tokenFor(STAFF);
});

afterAll(async () => {
  await connection.close();
  await db.dropDatabase().catch(() => undefined);
  await db.close();
});

const api = () => supertest.agent(app).set('Authorization', `Bearer ${token}`);

describe('malformed percent-encoding in a path', () => {
  test.each([
    ['GET', '/api/complaints/%E0%A4%A'],
    ['GET', '/api/reviews/%E0%A4%A'],
    ['POST', '/api/complaints/%E0%A4%A/acknowledge'],
    ['PUT', '/api/closure-days/%ZZ'],
    ['GET', '/api/no-such-route/%E0%A4%A'],
  ])('the API: %s %s is a 400 naming the path', async (method, path) => {
    const res = await api()[method.toLowerCase() as 'get' | 'post' | 'put'](path).send(method === 'GET' ? undefined : {});
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'bad_request', details: [{ field: 'path', reason: expect.stringMatching(/percent-encoding/) }] });
  });

  test.each(['/complaints/%E0%A4%A', '/complaints/%E0%A4%A/extend', '/visits/%E0%A4%A', '/%E0%A4%A'])('a page: %s is a 400 page, signed in or not', async (path) => {
    for (const cookie of [`${SESSION_COOKIE}=${token}`, '']) {
      const res = await supertest(app).get(path).set('Cookie', cookie).set('Accept', 'text/html');
      expect(res.status).toBe(400);
      expect(res.type).toBe('text/html');
      expect(res.text).toContain('There is a problem');
    }
  });

  test('an asset: a 400 as well', async () => {
    expect((await supertest(app).get('/assets/images/%E0%A4%A')).status).toBe(400);
  });
});
