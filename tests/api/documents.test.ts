import { createHash } from 'node:crypto';
import supertest from 'supertest';
import type { Role } from '../../api/auth/roles';
import { STAFF, tokenFor } from '../helpers/auth';
import { offlineApp, type OfflineApp } from '../helpers/offline-app';

/**
 * Documents kept with a case, against the real database (GridFS on FerretDB): streamed in, the
 * same bytes out, refused whole when too large, of a type not kept, empty or badly named, and
 * never readable by a role that may not see the case's personal details.
 */

let offline: OfflineApp;
const complaint = 'CMP-2026-900001';
const review = 'PIR-2026-900001';
const tokens = {} as Record<'staff' | 'commissioner' | 'auditor', string>;

beforeAll(async () => {
  offline = await offlineApp('documents', { documentMaxBytes: 2_000_000 });
  // Only whether the case exists is asked of its record.
  await offline.models.Complaint.collection.insertOne({ _id: complaint } as never);
  await offline.models.Review.collection.insertOne({ _id: review, owner: { id: 'comm-1', name: 'Jo' } } as never);
  tokens.staff = await tokenFor(STAFF);
  tokens.commissioner = await tokenFor({ id: 'comm-2', name: 'Lee', roles: ['commissioner'] as Role[] });
  tokens.auditor = await tokenFor({ id: 'aud-1', name: 'Ash', roles: ['auditor'] as Role[] });
});

afterAll(() => offline.close());

const as = (who: keyof typeof tokens) => ({
  upload: (path: string, file: Buffer, filename: string, fields: Record<string, string> = { kind: 'complaint_letter' }) => {
    let req = supertest(offline.app).post(path).set('Authorization', `Bearer ${tokens[who]}`);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    // As the client names it, path and all (form-data would otherwise keep only the last part).
    return req.attach('file', file, filename.includes('/') ? ({ filepath: filename } as never) : filename);
  },
  get: (path: string) =>
    supertest(offline.app)
      .get(path)
      .set('Authorization', `Bearer ${tokens[who]}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      }),
});

const pdf = (size = 50_000) => Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1'), Buffer.alloc(size, 0x20), Buffer.from('\n%%EOF\n')]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const stored = async () => ({
  files: await offline.db.collection('documents.files').countDocuments(),
  chunks: await offline.db.collection('documents.chunks').countDocuments(),
  rows: await offline.models.CaseDocument.countDocuments(),
});

test('a document kept and downloaded is the same bytes, with its type judged from them and its name', async () => {
  const bytes = pdf(300_000);
  const kept = await as('staff').upload(`/api/complaints/${complaint}/documents`, bytes, 'letter from Mrs Example.docx', { kind: 'complaint_letter', note: 'Received by post' });
  expect(kept.status).toBe(201);
  expect(kept.body).toMatchObject({ reference: complaint, kind: 'complaint_letter', note: 'Received by post', contentType: 'application/pdf', size: bytes.length, sha256: sha(bytes), version: 1, uploadedBy: { id: STAFF.id } });
  const got = await as('staff').get(kept.body.download as string);
  expect(got.status).toBe(200);
  expect(sha(got.body as Buffer)).toBe(sha(bytes));
  expect(got.headers['content-type']).toBe('application/pdf');
  expect(got.headers['content-disposition']).toContain('filename="letter from Mrs Example.docx"');
  const list = await as('staff').get(`/api/complaints/${complaint}/documents`);
  expect(JSON.parse((list.body as Buffer).toString()).documents.map((d: { id: string }) => d.id)).toContain(kept.body.id);
});

test('a download answers with a Content-Type its OpenAPI document lists (a PNG, a PDF, text: fuzzing found image/* undocumented)', async () => {
  const spec = JSON.parse(((await as('staff').get('/api/openapi.json')).body as Buffer).toString());
  const listed = Object.keys(spec.paths['/api/documents/{id}'].get.responses['200'].content);
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a49444154789c63600000000200014873bd710000000049454e44ae426082', 'hex');
  for (const [bytes, name] of [[png, 'photo.png'], [pdf(1_000), 'letter.pdf'], [Buffer.from('A note\n'), 'note.txt']] as const) {
    const kept = await as('staff').upload(`/api/complaints/${complaint}/documents`, bytes, name, { kind: 'complaint_letter' });
    expect(kept.status).toBe(201);
    const got = await as('staff').get(kept.body.download as string);
    expect(got.status).toBe(200);
    expect(listed).toContain(String(got.headers['content-type']).split(';')[0]);
  }
});

test('a replacement is a new version of the same document; nothing is ever deleted', async () => {
  const first = await as('staff').upload(`/api/complaints/${complaint}/documents`, Buffer.from('Draft response\n'), 'response.txt', { kind: 'response' });
  const second = await as('staff').upload(`/api/complaints/${complaint}/documents`, Buffer.from('Final response\n'), 'response.txt', { kind: 'response', replaces: first.body.id });
  expect(second.status).toBe(201);
  expect(second.body).toMatchObject({ documentId: first.body.id, version: 2, contentType: 'text/plain; charset=utf-8' });
  const list = JSON.parse(((await as('staff').get(`/api/complaints/${complaint}/documents`)).body as Buffer).toString());
  const doc = list.documents.find((d: { documentId: string }) => d.documentId === first.body.id);
  expect(doc.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  expect((await supertest(offline.app).delete(`/api/documents/${first.body.id}`).set('Authorization', `Bearer ${tokens.staff}`)).status).toBe(405);
});

test('refused whole: too large (413, while streaming), a type not kept (415, by the bytes), empty or badly named (400): nothing stored', async () => {
  const before = await stored();
  const big = await as('staff').upload(`/api/complaints/${complaint}/documents`, pdf(3_000_000), 'big.pdf');
  expect(big.status).toBe(413);
  const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(8_000, 1)]);
  const exe = await as('staff').upload(`/api/complaints/${complaint}/documents`, elf, 'report.pdf');
  expect(exe.status).toBe(415);
  const mz = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(10_000, 0)]);
  expect((await as('staff').upload(`/api/complaints/${complaint}/documents`, mz, 'minutes.docx')).status).toBe(415);
  const empty = await as('staff').upload(`/api/complaints/${complaint}/documents`, Buffer.alloc(0), 'empty.pdf');
  expect(empty.status).toBe(400);
  const control = await as('staff').upload(`/api/complaints/${complaint}/documents`, pdf(), 'a\u202Efdp.exe');
  expect(control.status).toBe(400);
  const pathed = await as('staff').upload(`/api/complaints/${complaint}/documents`, pdf(), '../../etc/passwd.pdf');
  expect(pathed.status).toBe(400);
  for (const dots of ['..', '.', ' .. ']) expect([dots, (await as('staff').upload(`/api/complaints/${complaint}/documents`, pdf(), dots)).status]).toEqual([dots, 400]);
  // The default limit, 25 MB: a 30 MB upload is refused as it streams.
  const atDefault = offline.another({ documentMaxBytes: undefined });
  const huge = await supertest(atDefault).post(`/api/complaints/${complaint}/documents`).set('Authorization', `Bearer ${tokens.staff}`).field('kind', 'other').attach('file', pdf(30_000_000), 'scan.pdf');
  expect(huge.status).toBe(413);
  const kind = await as('staff').upload(`/api/complaints/${complaint}/documents`, pdf(), 'x.pdf', { kind: 'malware' });
  expect(kind.status).toBe(400);
  expect(kind.body.error.details[0].field).toBe('body.kind');
  const json = await supertest(offline.app).post(`/api/complaints/${complaint}/documents`).set('Authorization', `Bearer ${tokens.staff}`).send({ file: 'x' });
  expect(json.status).toBe(415);
  expect(await stored()).toEqual(before);
});

describe('names and notes as bytes', () => {
  /** A multipart body of these very bytes: a kind, a note and a small text file under a name. */
  const multipart = (note: Buffer, filename: Buffer) =>
    Buffer.concat([
      Buffer.from('--XX\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n--XX\r\nContent-Disposition: form-data; name="note"\r\n\r\n'),
      note,
      Buffer.from('\r\n--XX\r\nContent-Disposition: form-data; name="file"; filename="'),
      filename,
      Buffer.from('"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XX--\r\n'),
    ]);
  const send = (body: Buffer) =>
    supertest(offline.app).post(`/api/complaints/${complaint}/documents`).set('Authorization', `Bearer ${tokens.staff}`).set('Content-Type', 'multipart/form-data; boundary=XX').send(body);

  // Read as UTF-8 by the parser, Latin-1 bytes (a name typed in a Latin-1 terminal) became
  // U+FFFD and were kept so: a note and a file name with characters nobody wrote.
  test.each([
    ['a note', Buffer.from('Al\xe9x', 'latin1'), Buffer.from('letter.txt'), 'body.note'],
    ['a file name', Buffer.from('Alex'), Buffer.from('lettr\xe9.txt', 'latin1'), 'body.file'],
  ])('%s in bytes that are not UTF-8: a 400 naming it, nothing stored', async (_what, note, filename, field) => {
    const before = await stored();
    const res = await send(multipart(note, filename));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field, reason: expect.stringContaining('UTF-8') }]);
    expect(await stored()).toEqual(before);
  });

  test('UTF-8, accents, right-to-left scripts and symbols, is kept as it was sent', async () => {
    const res = await send(multipart(Buffer.from('Reçu · تم الإرسال ✓'), Buffer.from('Zoë’s letter ✓.txt')));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ note: 'Reçu · تم الإرسال ✓', filename: 'Zoë’s letter ✓.txt' });
    // A name as RFC 5987 spells it (some clients send no other), accents within Latin-1.
    const star = Buffer.from(multipart(Buffer.from('Alex'), Buffer.from('x')).toString().replace('filename="x"', "filename*=UTF-8''caf%C3%A9.txt"));
    const named = await send(star);
    expect(named.status).toBe(201);
    expect(named.body.filename).toBe('café.txt');
  });
});

test('a complaint’s documents only for those who may see its personal details; every download in the audit trail', async () => {
  const kept = await as('staff').upload(`/api/complaints/${complaint}/documents`, pdf(), 'consent.pdf', { kind: 'consent_form' });
  expect((await as('commissioner').get(kept.body.download as string)).status).toBe(403);
  expect((await as('commissioner').get(`/api/complaints/${complaint}/documents`)).status).toBe(403);
  // Nor an auditor: a letter or a scan cannot be redacted (the case view withholds the same details from them).
  expect((await as('auditor').get(kept.body.download as string)).status).toBe(403);
  expect((await as('auditor').get(`/api/complaints/${complaint}/documents`)).status).toBe(403);
  expect((await as('staff').get(kept.body.download as string)).status).toBe(200);
  const trail = JSON.parse(((await as('auditor').get(`/api/audit?record=${complaint}`)).body as Buffer).toString()).entries as { actor: { id: string }; path: string; status: number | null; action: string }[];
  expect(trail).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ actor: expect.objectContaining({ id: 'aud-1' }), path: '/api/complaints/:reference/documents', status: 403 }),
      expect.objectContaining({ actor: expect.objectContaining({ id: STAFF.id }), path: '/api/complaints/:reference/documents', action: 'read personal details' }),
      expect.objectContaining({ actor: expect.objectContaining({ id: 'comm-2' }), status: 403 }),
      expect.objectContaining({ actor: expect.objectContaining({ id: STAFF.id }), path: '/api/complaints/:reference/documents', status: 201 }),
    ]),
  );
  // A review's documents are its readers': a commissioner who does not own it reads, but may not add.
  const assessment = await as('staff').upload(`/api/reviews/${review}/documents`, pdf(), 'eia.pdf', { kind: 'eia' });
  expect(assessment.status).toBe(201);
  expect((await as('commissioner').get(assessment.body.download as string)).status).toBe(200);
  expect((await as('commissioner').upload(`/api/reviews/${review}/documents`, pdf(), 'qia.pdf', { kind: 'qia' })).status).toBe(403);
});

test('a case that does not exist keeps nothing (404), and an unknown document is a 404', async () => {
  const before = await stored();
  expect((await as('staff').upload('/api/complaints/CMP-2026-999998/documents', pdf(), 'x.pdf')).status).toBe(404);
  expect((await as('staff').get('/api/documents/0123456789abcdef01234567')).status).toBe(404);
  // Nor lists any: no case, no list (it answered an empty one).
  for (const path of ['/api/complaints/CMP-2026-999998/documents', '/api/reviews/PIR-2026-999998/documents', '/api/cqrg-meetings/CQM-2026-999998/documents']) {
    const list = await as('staff').get(path);
    expect([path, list.status]).toEqual([path, 404]);
  }
  expect(await stored()).toEqual(before);
});
