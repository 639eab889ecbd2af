import { londonDate } from '../../lib/calendar';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { asCaller, type Caller } from '../helpers/auth';

/**
 * An Idempotency-Key makes a retry one change with one audit entry; it must not make two changes
 * one entry. An event sent again under the same key with another body is another Update (its id
 * holds the body's hash), applied; a PUT under a reused key is written again. Before, the audit
 * entry was keyed by caller, route, record and key only: the second change was made and answered
 * 200, and never entered, so anyone could keep a change out of the trail by reusing a key.
 */
let h: ApiHarness;
const OFFICER: Caller = { id: 'sam.officer', name: 'Sam Officer', roles: ['quality_team'] };
const AUDITOR: Caller = { id: 'ash.auditor', name: 'Ash Auditor', roles: ['auditor'] };
const officer = asCaller(OFFICER);
const auditor = asCaller(AUDITOR);

beforeAll(async () => {
  h = await createApiHarness('audit_keys');
});

afterAll(async () => {
  await h?.teardown();
});

const today = () => londonDate(Date.now());
const trail = async (reference: string) =>
  ((await auditor(h.app).get(`/api/audit?record=${reference}`)).body.entries as { action: string; status: number }[]).filter((e) => e.status === 200 || e.status === 201);

async function openAcknowledged(): Promise<string> {
  const opened = await officer(h.app).post('/api/complaints').send({ providerCode: 'RJ1', receivedAt: today(), source: 'complainant', summary: 'Audit keys', consentToShare: true });
  expect(opened.status).toBe(201);
  const reference = opened.body.reference as string;
  expect((await officer(h.app).post(`/api/complaints/${reference}/acknowledge`).send({ acknowledgedOn: today() })).status).toBe(200);
  return reference;
}

test('an event sent again under its key with another body is applied, and entered, as the other change it is', async () => {
  const reference = await openAcknowledged();
  const send = (note: string) => officer(h.app).post(`/api/complaints/${reference}/complainant-update`).set('Idempotency-Key', 'update-key-0001').send({ sentOn: today(), note });
  expect((await send('first letter')).status).toBe(200);
  expect((await send('first letter')).status).toBe(200); // a retry: one change
  expect((await send('second letter')).status).toBe(200); // another change
  const view = await officer(h.app).get(`/api/complaints/${reference}`);
  const notes = (view.body.timeline as { type: string; data: { note?: string } }[]).filter((e) => e.type === 'complainant_updated').map((e) => e.data.note);
  expect(notes).toEqual(['first letter', 'second letter']);
  expect((await trail(reference)).filter((e) => e.action === 'complainant-update')).toHaveLength(2);
});

test('a PUT under a reused key with another body is entered; the same PUT again is entered once', async () => {
  const reference = await openAcknowledged();
  const put = (coding: object) => officer(h.app).put(`/api/complaints/${reference}/coding`).set('Idempotency-Key', 'coding-key-0001').send(coding);
  const first = await put({ complainantStatus: 'patient' });
  expect([first.status, first.body.error]).toEqual([200, undefined]);
  expect((await put({ complainantStatus: 'patient' })).status).toBe(200);
  expect((await put({})).status).toBe(200);
  expect((await officer(h.app).get(`/api/complaints/${reference}`)).body.coding).toEqual({});
  expect((await trail(reference)).filter((e) => e.action === 'PUT /api/complaints/:reference/coding')).toHaveLength(2);
});
