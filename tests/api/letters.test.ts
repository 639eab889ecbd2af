import supertest from 'supertest';
import type { Role } from '../../api/auth/roles';
import { LETTER_FORMATS, type LetterFormat } from '../../api/letters/formats';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { dateInWords } from '../../contracts/kernel/vocabulary';
import { addCalendarDays, addCalendarMonths, londonDate } from '../../lib/calendar';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { asCaller, tokenFor } from '../helpers/auth';
import { eventually } from '../helpers/harness';
import { decodedPayloadText } from '../helpers/history';
import { docxText, flat, pdfText } from '../helpers/letter-text';

/**
 * Letters generated from real cases (the Temporal dev server, FerretDB): every letter in every
 * format, read back from the DOCX and the PDF kept with the case, holds the reference, the dates
 * in words and the provider's name; large print is 16 pt or more; a case that cannot have a
 * letter yet is a 409 saying why; nothing of a letter reaches the workflow's history.
 */

const request = asCaller();
let h: ApiHarness;
const today = () => londonDate(Date.now());
const PROVIDER = 'Lewisham and Greenwich NHS Trust';

beforeAll(async () => {
  h = await createApiHarness('letters');
});
afterAll(() => h?.teardown());

const download = (path: string) =>
  request(h.app)
    .get(path)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

const letter = (base: string, reference: string, body: object) => request(h.app).post(`${base}/${reference}/letters`).send(body);

/** A complaint opened through the API, once its workflow has projected it (letters read the projection). */
async function complaint(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await request(h.app)
    .post('/api/complaints')
    .send({
      providerCode: 'RJ2',
      receivedAt: addCalendarDays(today(), -2),
      source: 'complainant',
      summary: 'Discharged without medication',
      consentToShare: true,
      complainant: { name: 'Alex Example', email: 'alex@example.org', address: '1 High Street, Lewisham, SE13 5AB' },
      communicationNeeds: ['large_print'],
      ...overrides,
    });
  expect(res.status).toBe(201);
  await eventually(async () => expect((await h.models.Complaint.findById(res.body.reference).lean())?.workflow).toBeTruthy());
  return res.body.reference as string;
}

/** Each file the letter was kept as, with its text. */
async function files(view: { documents: { download: string; contentType: string }[] }) {
  const out: { type: string; text: string; pdf?: Awaited<ReturnType<typeof pdfText>>; bytes: Buffer }[] = [];
  for (const d of view.documents) {
    const got = await download(d.download);
    expect(got.status).toBe(200);
    const bytes = got.body as Buffer;
    if (d.contentType === 'application/pdf') {
      const pdf = await pdfText(bytes);
      out.push({ type: 'pdf', text: flat(pdf.text), pdf, bytes });
    } else if (d.contentType.startsWith('text/plain')) out.push({ type: 'txt', text: flat(bytes.toString('utf8')), bytes });
    else out.push({ type: 'docx', text: flat(await docxText(bytes)), bytes });
  }
  return out;
}

describe('a complaint’s letters', () => {
  let reference: string;
  let responseDueOn: string;
  const receivedOn = addCalendarDays(londonDate(Date.now()), -2);

  beforeAll(async () => {
    reference = await complaint();
  });

  test('no acknowledgement letter before the acknowledgement is recorded: 409 saying why', async () => {
    const res = await letter('/api/complaints', reference, { kind: 'acknowledgement' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/record the acknowledgement first/);
    expect(await h.models.CaseDocument.countDocuments({ reference })).toBe(0);
  });

  test('the acknowledgement, for a complainant who needs large print, is in large print by default, 16 pt or more', async () => {
    const ack = await request(h.app).post(`/api/complaints/${reference}/acknowledge`).send({ acknowledgedOn: today(), discussionOfferedOn: today() });
    expect(ack.status).toBe(200);
    responseDueOn = ack.body.deadlines.response.dueOn;
    const res = await letter('/api/complaints', reference, { kind: 'acknowledgement' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ reference, kind: 'acknowledgement', format: 'large_print', formatFrom: 'communication_needs', need: 'large_print', template: 'complaint/acknowledgement/large_print' });
    expect(res.body.version).toMatch(/^[0-9a-f]{12}$/);
    expect(res.body.documents.map((d: { contentType: string }) => d.contentType.split(';')[0])).toEqual(['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/pdf']);
    for (const file of await files(res.body)) {
      for (const fact of [reference, PROVIDER, dateInWords(receivedOn), dateInWords(responseDueOn), dateInWords(today()), 'Alex Example', 'large print']) expect({ file: file.type, has: file.text.includes(fact), fact }).toEqual({ file: file.type, has: true, fact });
      if (file.pdf) {
        const body = file.pdf.items.filter((i) => i.str.trim());
        expect(Math.min(...body.map((i) => i.size))).toBeGreaterThanOrEqual(16);
        // The fonts are in the file (TrueType, embedded), never looked for on the reader's machine.
        expect(file.bytes.toString('latin1')).toMatch(/\/FontFile2/);
        expect(file.pdf.title).toBe(`Acknowledgement letter ${reference}`);
      }
    }
    const kept = await h.models.CaseDocument.find({ reference }).lean();
    expect(kept.map((d) => d.letter)).toEqual([{ kind: 'acknowledgement', format: 'large_print', template: 'complaint/acknowledgement/large_print', version: res.body.version }, expect.anything()]);
    expect(kept.every((d) => d.kind === 'acknowledgement')).toBe(true);
  });

  test.each(['acknowledgement', 'response_cover'])('the %s in every format holds the reference, the dates in words and the provider', async (kind) => {
    for (const format of LETTER_FORMATS) {
      const res = await letter('/api/complaints', reference, { kind, format });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ format, formatFrom: 'request', template: `complaint/${kind}/${format}` });
      const got = await files(res.body);
      expect(got.map((f) => f.type)).toEqual(['docx', 'pdf', ...(['plain_text', 'email'].includes(format) ? ['txt'] : [])]);
      for (const file of got) {
        for (const fact of [reference, PROVIDER, dateInWords(receivedOn), dateInWords(today())]) expect({ kind, format, file: file.type, fact, has: file.text.includes(fact) }).toMatchObject({ has: true });
        if (kind === 'acknowledgement') expect(file.text).toContain(dateInWords(responseDueOn));
        if (kind === 'response_cover') expect(file.text).toMatch(/Parliamentary and Health Service Ombudsman|the Ombudsman/);
        if (format === 'email') expect(file.text).toContain('alex@example.org');
        else expect(file.text).toContain('SE13 5AB');
      }
    }
  });

  test('made again, a letter is the next version of the same document', async () => {
    const first = await letter('/api/complaints', reference, { kind: 'acknowledgement', format: 'standard' });
    const second = await letter('/api/complaints', reference, { kind: 'acknowledgement', format: 'standard' });
    expect(second.body.documents[0]).toMatchObject({ version: first.body.documents[0].version + 1 });
    const list = await request(h.app).get(`/api/complaints/${reference}/documents`);
    const doc = list.body.documents.find((d: { id: string }) => d.id === second.body.documents[0].id);
    expect(doc.versions.map((v: { id: string }) => v.id)).toContain(first.body.documents[0].id);
    expect(doc.letter).toMatchObject({ kind: 'acknowledgement', format: 'standard' });
  });

  test('no six-month letter before six months have passed; nor a letter of a kind or format the process has not (400)', async () => {
    const early = await letter('/api/complaints', reference, { kind: 'six_month_letter', explanation: 'We are waiting for records.' });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/six months have passed without a response/);
    const bad = await letter('/api/complaints', reference, { kind: 'provider_notice', format: 'tiny' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.format', 'body.kind']);
  });

  test('only those who keep a complaint’s documents may make its letters (403 for a commissioner)', async () => {
    const token = await tokenFor({ id: 'comm-1', name: 'Lee', roles: ['commissioner'] as Role[] });
    const res = await supertest(h.app).post(`/api/complaints/${reference}/letters`).set('Authorization', `Bearer ${token}`).send({ kind: 'acknowledgement' });
    expect(res.status).toBe(403);
  });

  test('nothing of a letter reaches the workflow’s history', async () => {
    const history = await decodedPayloadText(h.env.client.workflow.getHandle(caseWorkflowId('complaint', reference)));
    expect(history).toContain(reference);
    for (const secret of ['Alex Example', 'Acknowledgement letter', 'large_print', 'SE13 5AB', 'Tooley']) expect(history).not.toContain(secret);
  });
});

test('the six-month letter, six months after receipt without a response, says why in every format (an explanation is required)', async () => {
  const receivedOn = addCalendarDays(addCalendarMonths(today(), -6), -3);
  const reference = await complaint({ receivedAt: receivedOn, communicationNeeds: ['easy_read'] });
  const missing = await letter('/api/complaints', reference, { kind: 'six_month_letter' });
  expect(missing.status).toBe(400);
  expect(missing.body.error.details[0].field).toBe('body.explanation');
  const byDefault = await letter('/api/complaints', reference, { kind: 'six_month_letter', explanation: 'We are still waiting for the hospital’s records.' });
  expect(byDefault.status).toBe(201);
  expect(byDefault.body).toMatchObject({ format: 'easy_read', formatFrom: 'communication_needs' });
  for (const format of LETTER_FORMATS as readonly LetterFormat[]) {
    const res = await letter('/api/complaints', reference, { kind: 'six_month_letter', format, explanation: 'We are still waiting for the hospital’s records.' });
    expect(res.status).toBe(201);
    for (const file of await files(res.body)) {
      for (const fact of [reference, PROVIDER, dateInWords(receivedOn), dateInWords(today()), 'waiting for the hospital’s records']) expect({ format, file: file.type, fact, has: file.text.includes(fact) }).toMatchObject({ has: true });
    }
  }
});

describe('a visit’s notice to its provider', () => {
  const visit = async (overrides: Record<string, unknown>) => {
    const res = await request(h.app)
      .post('/api/visits')
      .send({
        providerCode: 'RJ2',
        service: 'Ward 7 (older people)',
        reasons: ['complaints'],
        announced: true,
        visitDate: addCalendarDays(today(), 28),
        panel: [
          { name: 'Pat Lay', role: 'lay_member' },
          { name: 'Jo Representative', role: 'patient_representative' },
        ],
        ...overrides,
      });
    expect(res.status).toBe(201);
    await eventually(async () => expect((await h.models.Visit.findById(res.body.reference).lean())?.workflow).toBeTruthy());
    return res.body.reference as string;
  };

  test('an announced visit’s notice in every format holds the reference, the visit date and the information’s due date in words, and the provider', async () => {
    const reference = await visit({});
    const record = await h.models.Visit.findById(reference).lean();
    const workflow = record!.workflow as { visitDate: string; deadlines: { information: { dueOn: string } } };
    for (const format of LETTER_FORMATS) {
      const res = await letter('/api/visits', reference, { kind: 'provider_notice', format });
      expect(res.status).toBe(201);
      for (const file of await files(res.body)) {
        for (const fact of [reference, PROVIDER, dateInWords(workflow.visitDate), dateInWords(workflow.deadlines.information.dueOn), 'Ward 7 (older people)']) expect({ format, file: file.type, fact, has: file.text.includes(fact) }).toMatchObject({ has: true });
      }
    }
    // A provider has no recorded communication needs: standard unless asked.
    expect((await letter('/api/visits', reference, { kind: 'provider_notice' })).body).toMatchObject({ format: 'standard', formatFrom: 'standard' });
  });

  test('an unannounced visit gives no notice: 409 saying so', async () => {
    const reference = await visit({ announced: false, visitDate: addCalendarDays(today(), 10) });
    const res = await letter('/api/visits', reference, { kind: 'provider_notice' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/unannounced visit gives the provider no notice/);
  });
});
