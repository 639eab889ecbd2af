import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import { londonDate } from '../../lib/calendar';
import { seedReferenceData } from '../../models/seed';
import { formTokenFor, SESSION_COOKIE } from '../../web/session';
import { STAFF, tokenFor } from '../helpers/auth';
import { offlineApp, type OfflineApp } from '../helpers/offline-app';

/**
 * Bodies and queries as no client of ours sends them, to the API and the pages: bytes that are
 * not UTF-8, a body in another type than the route reads, a JSON body to a page, a form too big,
 * a parameter given twice. Each is the client's fault, answered with the status that says so
 * and the field it is about; never a 500, and nothing written. Temporal never answers here: what
 * is refused is refused before it.
 */

let offline: OfflineApp;
let app: OfflineApp['app'];
let token: string;
let server: Server;

beforeAll(async () => {
  offline = await offlineApp('bodies');
  app = offline.app;
  await seedReferenceData(offline.db);
  token = await tokenFor(STAFF);
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await offline.close();
});

/** A POST of these very bytes (supertest would re-encode them). */
function post(path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; type: string; text: string; json: () => { error: { details: unknown } } }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']).split(';')[0], text, json: () => JSON.parse(text) as { error: { details: unknown } } });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
const asJson = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

const today = () => londonDate(Date.now());
const api = () => supertest.agent(app).set('Authorization', `Bearer ${token}`);
const complaints = () => offline.models.Complaint.countDocuments();

/** A complaint's create body as JSON text, `name` spliced in as raw bytes. */
function createWithName(name: Buffer): Buffer {
  const [before, after] = JSON.stringify({ providerCode: 'RJ1', receivedAt: today(), source: 'complainant', summary: 'x', consentToShare: true, complainant: { name: '@@' } }).split('@@');
  return Buffer.concat([Buffer.from(before), name, Buffer.from(after)]);
}

describe('bytes that are not UTF-8', () => {
  // "Alex" with é as Latin-1 (0xE9), a lone continuation byte, a truncated sequence, an overlong "/".
  test.each([
    ['Latin-1', Buffer.from([0x41, 0x6c, 0xe9, 0x78])],
    ['a lone continuation byte', Buffer.from([0x41, 0x80])],
    ['a truncated sequence', Buffer.from([0x41, 0xe2, 0x82])],
    ['an overlong encoding', Buffer.from([0xc0, 0xaf])],
  ])('in a JSON body (%s): a 400 naming the body, nothing opened', async (_how, bytes) => {
    const res = await post('/api/complaints', asJson(), createWithName(bytes));
    expect(res.status).toBe(400);
    expect(res.json().error.details).toEqual([{ field: 'body', reason: expect.stringMatching(/UTF-8/) }]);
    expect(await complaints()).toBe(0);
  });

  test.each([
    ['utf-16le', 'utf16le'],
    ['utf-16', 'utf16le'],
    ['UTF-32', 'utf16le'],
  ] as const)('JSON declared charset=%s, the bytes in it too: a 415 naming the header, nothing opened', async (charset, encoding) => {
    const body = Buffer.from(createWithName(Buffer.from('Alex')).toString(), encoding);
    const res = await post('/api/complaints', { ...asJson(), 'content-type': `application/json; charset=${charset}` }, body);
    expect(res.status).toBe(415);
    expect(res.json().error.details).toEqual([{ field: 'header.Content-Type', reason: expect.stringMatching(new RegExp(`must be UTF-8.*charset=${charset}`, 'i')) }]);
    expect(await complaints()).toBe(0);
  });

  test.each(['utf-8', 'UTF-8', 'utf8', '"utf-8"'])('JSON declared charset=%s is UTF-8, welcome', async (charset) => {
    const note = Buffer.from(JSON.stringify({ sentOn: today(), note: 'Zoë' }));
    const res = await post('/api/complaints/CMP-2026-999999/complainant-update', { ...asJson(), 'content-type': `application/json; charset=${charset}` }, note);
    expect(res.status).toBe(404);
  });

  test('UTF-8 itself, accents and right-to-left scripts, is welcome', async () => {
    const note = Buffer.from(JSON.stringify({ sentOn: today(), note: 'Zoë Ní Bhriain · تم الإرسال · נשלח' }));
    const res = await post('/api/complaints/CMP-2026-999999/complainant-update', asJson(), note);
    // Past validation, on to a case that is not there.
    expect(res.status).toBe(404);
  });

  // UTF-8 bytes, but a \u escape of half a surrogate pair: no character. The database's UTF-8
  // stored it as U+FFFD, a character nobody wrote.
  test.each([
    ['a high surrogate', '"Al \\ud800 x"'],
    ['a low surrogate', '"Al \\udfff x"'],
    ['a pair back to front', '"Al \\ude00\\ud83d x"'],
  ])('a lone surrogate escaped in a JSON string (%s): a 400 naming the field, nothing opened', async (_how, escaped) => {
    const res = await post('/api/complaints', asJson(), createWithName(Buffer.from(escaped.slice(1, -1))));
    expect(res.status).toBe(400);
    expect(res.json().error.details).toEqual([{ field: 'body.complainant.name', reason: expect.stringMatching(/lone UTF-16 surrogate/) }]);
    const note = await post('/api/complaints/CMP-2026-999999/complainant-update', asJson(), Buffer.from(`{"sentOn":"${today()}","note":${escaped}}`));
    expect(note.json().error.details).toEqual([{ field: 'body.note', reason: expect.stringMatching(/lone UTF-16 surrogate/) }]);
    expect(await complaints()).toBe(0);
  });

  test('a surrogate pair escaped in JSON (an emoji) is a character, welcome', async () => {
    const res = await post('/api/complaints/CMP-2026-999999/complainant-update', asJson(), Buffer.from(`{"sentOn":"${today()}","note":"thanks \\ud83d\\ude00"}`));
    expect(res.status).toBe(404);
  });

  test.each([
    ['percent-escapes of Latin-1', 'summary=Al%E9x'],
    ['raw bytes of Latin-1', Buffer.from('summary=Al\xe9x', 'latin1')],
  ])('in a page’s form (%s): a 400 page, nothing opened', async (_how, tail) => {
    const form = `_form=${encodeURIComponent(formTokenFor(token))}&providerCode=RJ1&source=mp&consentToShare=false&`;
    const body = Buffer.concat([Buffer.from(form), Buffer.isBuffer(tail) ? tail : Buffer.from(tail)]);
    const res = await post('/complaints/new', { cookie: `${SESSION_COOKIE}=${token}`, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body);
    expect(res.status).toBe(400);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('UTF-8');
    expect(await complaints()).toBe(0);
  });
});

describe('a body the route does not read', () => {
  const json = JSON.stringify({ providerCode: 'RJ1', receivedAt: today(), source: 'complainant', summary: 'x', consentToShare: true });
  const routes: [string, string][] = [
    ['POST', '/api/complaints'],
    ['POST', '/api/complaints/CMP-2026-999999/acknowledge'],
    ['PUT', '/api/complaints/CMP-2026-999999/coding'],
    ['POST', '/api/cqrg-meetings/CQM-2026-999999/record'],
    ['PUT', '/api/closure-days/2031-12-30'],
  ];
  test.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'text/csv'])('sent as %s: a 415 naming Content-Type on every kind of route', async (type) => {
    for (const [method, path] of routes) {
      const res = await api()[method === 'PUT' ? 'put' : 'post'](path).set('Content-Type', type).send(json);
      expect([method, path, res.status]).toEqual([method, path, 415]);
      expect(res.body.error).toMatchObject({ code: 'unsupported_media_type', details: [{ field: 'header.Content-Type', reason: expect.stringContaining(type) }] });
    }
    expect(await complaints()).toBe(0);
    expect(await offline.models.ClosureDay.countDocuments()).toBe(0);
  });

  test('with no Content-Type at all: a 415 too; with no body at all, the fields it lacks', async () => {
    const bare = await api().post('/api/complaints').set('Content-Length', String(json.length)).unset('Content-Type').send(Buffer.from(json));
    expect(bare.status).toBe(415);
    const none = await api().post('/api/complaints');
    expect(none.status).toBe(400);
    expect(none.body.error.details).toEqual([{ field: 'body', reason: expect.any(String) }]);
  });
});

describe('a JSON body larger than the limit', () => {
  test('a 413 whose code says so, on every route that reads JSON, each documenting it (fuzzing found the codec’s undocumented)', async () => {
    const spec = (await api().get('/api/openapi.json')).body as { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> }; responses: Record<string, unknown> }>> };
    const big = Buffer.from(JSON.stringify({ payloads: [{ metadata: {}, data: 'A'.repeat(120_000) }] }));
    for (const [method, path] of [['POST', '/api/codec/decode'], ['POST', '/api/complaints'], ['POST', '/api/complaints/{reference}/acknowledge']] as const) {
      const res = await post(path.replace('{reference}', 'CMP-2026-999999'), asJson(), big);
      expect([path, res.status]).toEqual([path, 413]);
      expect(res.json().error).toMatchObject({ code: 'too_large', details: [{ field: 'body', reason: expect.stringContaining('too large') }] });
      expect(Object.keys(spec.paths[path][method.toLowerCase()].responses)).toEqual(expect.arrayContaining(['413', '415']));
    }
    // Every operation that takes JSON says what its parser may refuse.
    const jsonOperations = Object.values(spec.paths).flatMap((ops) => Object.values(ops)).filter((op) => op.requestBody?.content?.['application/json']);
    expect(jsonOperations.length).toBeGreaterThan(50);
    for (const op of jsonOperations) expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['413', '415']));
    expect(await complaints()).toBe(0);
  });
});

describe('a JSON body nested deeper than any schema', () => {
  // Under the size limit, 40,000 brackets deep: JSON.stringify as the change was held for the
  // audit trail overflowed the stack, a 500 on every route that changes something.
  const deepArray = Buffer.from(`{"reference":${'['.repeat(40_000)}${']'.repeat(40_000)}}`);
  const deepObject = Buffer.from(`${'{"x":'.repeat(15_000)}1${'}'.repeat(15_000)}`);
  test.each([
    ['an array', deepArray],
    ['an object', deepObject],
  ])('(%s): a 400 naming the body on every kind of route, never a 500, nothing opened', async (_how, body) => {
    for (const path of ['/api/complaints', '/api/complaints/CMP-2026-999999/related', '/api/complaints/CMP-2026-999999/acknowledge', '/api/codec/decode']) {
      const res = await post(path, asJson(), body);
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.json().error.details).toEqual([{ field: 'body', reason: expect.stringContaining('deeper than 32') }]);
    }
    expect(await complaints()).toBe(0);
  });

  test('as deep as a schema goes is read as ever', async () => {
    const res = await post('/api/complaints', asJson(), Buffer.from(JSON.stringify({ a: [[[[[[[[[[{ b: 1 }]]]]]]]]]] })));
    expect(res.status).toBe(400);
    expect(res.json().error.details).not.toEqual([{ field: 'body', reason: expect.stringContaining('deeper') }]);
  });
});

describe("a calendar feed's file name from the owner's id", () => {
  // A staff id is any printable characters: one outside Latin-1 was a 500 (Node refuses it in a
  // header), a quote and a semicolon gave the download a file name of the caller's choosing.
  test.each([
    ['outside Latin-1', 'zo€@nhs.net', 'reviews-zo_@nhs.net.ics'],
    ['a quote and a parameter', 'a";filename=x.html;', 'reviews-a__filename_x.html_.ics'],
    ['an ordinary id', 'sam.officer@icb.nhs.uk', 'reviews-sam.officer@icb.nhs.uk.ics'],
  ])('%s: the feed, named safely', async (_how, owner, name) => {
    const res = await api().get('/api/reviews/calendar.ics').query({ owner });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`inline; filename="${name}"`);
  });
});

describe('a page sent what no form sends', () => {
  const cookie = () => `${SESSION_COOKIE}=${token}`;

  test('JSON, with the form token and values that are not strings: a 403, never a 500, nothing opened', async () => {
    for (const path of ['/complaints/new', '/complaints/CMP-2026-999999/extend', '/complaints/CMP-2026-999999/coding']) {
      const res = await supertest(app)
        .post(path)
        .set('Cookie', cookie())
        .set('Accept', 'text/html')
        .send({ _form: formTokenFor(token), summary: { $ne: null }, providerCode: ['RJ1', 'RJ2'], 'aspects.0.subject': { x: 1 }, reason: 7 });
      expect([path, res.status]).toEqual([path, 403]);
    }
    expect(await complaints()).toBe(0);
  });

  const FORMS: Record<string, () => string> = {
    'too large': () => 'summary=' + 'x'.repeat(200_000),
    'with too many fields': () => Array.from({ length: 3_000 }, (_, i) => `f${i}=1`).join('&'),
  };
  test.each([['too large', 413], ['with too many fields', 413]])('a form %s: a %s page, not a 500', async (how, status) => {
    const res = await supertest(app).post('/complaints/new').set('Cookie', cookie()).set('Accept', 'text/html').type('form').send(FORMS[how]());
    expect(res.status).toBe(status);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('There is a problem');
  });

  test.each([
    ['NUL bytes', '%00%01%02%03%04%05%06%07'],
    ['20,000 characters', 'k'.repeat(20_000)],
  ])('a create form whose own key holds %s: a 400 as the API gives, nothing opened', async (_how, key) => {
    const form = `_form=${encodeURIComponent(formTokenFor(token))}&_key=${key}&providerCode=RJ1&receivedAt%5Bday%5D=1&receivedAt%5Bmonth%5D=12&receivedAt%5Byear%5D=2026&source=mp&summary=x&consentToShare=false`;
    const res = await supertest(app).post('/complaints/new').set('Cookie', cookie()).set('Accept', 'text/html').type('form').send(form);
    expect(res.status).toBe(400);
    expect(res.text).toContain('Idempotency-Key');
    expect(await complaints()).toBe(0);
    expect(await offline.models.IdempotencyKey.countDocuments()).toBe(0);
  });

  test.each([
    ['a charset it cannot read', { 'Content-Type': 'application/x-www-form-urlencoded; charset=latin1' }],
    ['a content encoding it cannot read', { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': 'compress' }],
  ])('a form in %s: a 415 page, not a 500', async (_how, headers) => {
    const res = await supertest(app).post('/complaints/new').set('Cookie', cookie()).set('Accept', 'text/html').set(headers).send('summary=x');
    expect(res.status).toBe(415);
    expect(res.text).toContain('There is a problem');
  });
});

describe('a query as no link writes it', () => {
  test.each([
    ['/api/complaints?status=open&status=closed', 'query.status'],
    ['/api/visits?provider=RJ1&provider=RJ2', 'query.provider'],
    ['/api/reviews?overdue&overdue', 'query.overdue'],
    ['/api/audit?record=CMP-2026-000001&record=CMP-2026-000002', 'query.record'],
  ])('%s: a 400 saying it was given twice', async (path, field) => {
    const res = await api().get(path);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field, reason: 'given 2 times: give it once' }]);
  });

  test.each(['a%00b', '%1B%5B2J', 'x%E2%80%AEy'])('a search for text with control characters (%s): a 400 naming q', async (q) => {
    const res = await api().get(`/api/search?q=${q}`);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'query.q', reason: expect.stringMatching(/control characters/) }]);
  });
});
