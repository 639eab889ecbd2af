import { asCaller } from '../helpers/auth';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { createApp } from '../../api/app';
import { addCalendarDays, londonDate } from '../../lib/calendar';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { decodedPayloadText } from '../helpers/history';

/** Every request signed in (see tests/helpers/auth.ts). */
const request = asCaller();

/** Reg 5's patient and representative, and the KO41a coding, through the API on the dev server. */

let h: ApiHarness;
let app: ReturnType<typeof createApp>;

beforeAll(async () => void ({ app } = h = await createApiHarness('complaint_coding_api')));
afterAll(() => h?.teardown());

const receivedAt = addCalendarDays(londonDate(Date.now()), -3);
const body = (over: Record<string, unknown> = {}) => ({
  providerCode: 'RJ2',
  receivedAt,
  source: 'mp',
  summary: 'My constituent’s mother was discharged without her medication',
  consentToShare: true,
  complainant: { name: 'Rt Hon Example MP' },
  ...over,
});
const create = (over: Record<string, unknown> = {}) => request(app).post('/api/complaints').send(body(over));
const putCoding = (reference: string, coding: unknown) => request(app).put(`/api/complaints/${reference}/coding`).send(coding as object);

const madeForPatient = {
  madeBy: 'representative',
  patient: { name: 'Morag Patient', dateOfBirth: '1941-07-09', nhsNumber: '943 476 5919', address: '1 Example Road' },
  representative: { basis: 'mp_on_behalf', relationship: 'constituency MP', patientConsentOn: receivedAt },
};

describe('reg 5: a complaint made for the patient', () => {
  test('is stored and shown in the case, never in lists or in the workflow', async () => {
    const res = await create({ ...madeForPatient, coding: { aspects: [{ subject: 'admissions_discharge_transfers' }], ageBand: '65_and_over' } });
    expect(res.status).toBe(201);
    const ref = res.body.reference;
    expect(res.body.category).toBeNull();
    expect(res.body.coding).toEqual({ aspects: [{ subject: 'admissions_discharge_transfers' }], ageBand: '65_and_over' });
    const detail = await request(app).get(`/api/complaints/${ref}`);
    expect(detail.body).toMatchObject({
      madeBy: 'representative',
      patient: { name: 'Morag Patient', dateOfBirth: '1941-07-09', nhsNumber: '9434765919', address: '1 Example Road' },
      representative: madeForPatient.representative,
    });
    const list = await request(app).get('/api/complaints').query({ pageSize: 100 });
    const listed = list.body.items.find((c: { reference: string }) => c.reference === ref);
    expect(listed).toBeDefined();
    expect(listed).not.toHaveProperty('patient');
    expect(listed).not.toHaveProperty('representative');
    const history = await decodedPayloadText(h.env.client.workflow.getHandle(caseWorkflowId('complaint', ref)));
    expect(history).toContain(ref);
    for (const detail of ['Morag', '9434765919', '1941-07-09', Buffer.from('Morag Patient').toString('base64').slice(0, 8)]) expect(history).not.toContain(detail);
  });

  test.each([
    [{ madeBy: 'representative' }, 'body.patient', /needs the patient/],
    [{ ...madeForPatient, representative: undefined }, 'body.representative', /basis/],
    [{ ...madeForPatient, source: 'pals' }, 'body.source', /must be mp/],
    [{ ...madeForPatient, representative: { basis: 'child' } }, 'body.representative.basis', /under 18/],
    [{ ...madeForPatient, representative: { basis: 'patient_consent' } }, 'body.representative.patientConsentOn', /date/],
    [{ ...madeForPatient, patient: { name: 'X', nhsNumber: '1234567890' } }, 'body.patient.nhsNumber', /NHS number/],
    [{ coding: { aspects: [{ subject: 'gossip' }] } }, 'body.coding.aspects.0.subject', /./],
    [{ coding: { aspects: [{ subject: 'consent' }, { subject: 'consent' }] } }, 'body.coding.aspects.1', /counted once/],
  ])('400 for %j naming %s, and nothing written', async (over, field, reason) => {
    const before = await h.models.Complaint.countDocuments();
    const res = await create(over);
    expect(res.status).toBe(400);
    const detail = res.body.error.details.find((d: { field: string }) => d.field === field);
    expect(detail).toBeDefined();
    expect(detail.reason).toMatch(reason);
    expect(await h.models.Complaint.countDocuments()).toBe(before);
  });
});

describe('PUT /api/complaints/:reference/coding', () => {
  test('sets the coding, several aspects each with its outcome, then replaces it whole', async () => {
    const { body: created } = await create();
    const ref = created.reference;
    expect(created.coding).toEqual({});
    const coding = {
      aspects: [
        { subject: 'communications', serviceArea: 'acute_inpatient', profession: 'nursing_midwifery_health_visiting', outcome: 'upheld' },
        { subject: 'clinical_treatment', serviceArea: 'acute_inpatient', profession: 'medical', outcome: 'not_upheld' },
      ],
      complainantStatus: 'mp',
      ageBand: '65_and_over',
    };
    const res = await putCoding(ref, coding);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ reference: ref, coding });
    expect((await request(app).get(`/api/complaints/${ref}`)).body.coding).toEqual(coding);
    const changed = await putCoding(ref, { aspects: [{ subject: 'clinical_treatment' }] });
    expect(changed.status).toBe(200);
    expect((await h.models.Complaint.findById(ref, { coding: 1 }).lean())?.coding).toEqual({ aspects: [{ subject: 'clinical_treatment' }] });
    // A record field, not a workflow event: no timeline entry.
    const timeline = (await request(app).get(`/api/complaints/${ref}`)).body.timeline.map((e: { type: string }) => e.type);
    expect(timeline).toEqual(['received']);
  });

  test('a case coded before aspects shows its one subject, service area and profession as one aspect', async () => {
    const { body: created } = await create();
    await h.models.Complaint.updateOne({ _id: created.reference }, { $set: { coding: { subject: 'transport', serviceArea: 'ambulance', complainantStatus: 'patient' } } });
    expect((await request(app).get(`/api/complaints/${created.reference}`)).body.coding).toEqual({ aspects: [{ subject: 'transport', serviceArea: 'ambulance' }], complainantStatus: 'patient' });
  });

  test('400 names the field; 404 for an unknown case; 405 for another method', async () => {
    const { body: created } = await create();
    const bad = await putCoding(created.reference, { aspects: [{ subject: 'communications', serviceArea: 'Acute' }], colour: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body', 'body.aspects.0.serviceArea']);
    // An outcome is one of the KO41a's three.
    expect((await putCoding(created.reference, { aspects: [{ subject: 'communications', outcome: 'mostly' }] })).body.error.details[0].field).toBe('body.aspects.0.outcome');
    expect((await h.models.Complaint.findById(created.reference, { coding: 1 }).lean())?.coding).toBeUndefined();
    const unknown = await putCoding('CMP-2026-999999', { aspects: [{ subject: 'other' }] });
    expect(unknown.status).toBe(404);
    expect((await putCoding('nope', { aspects: [{ subject: 'other' }] })).status).toBe(400);
    const get = await request(app).get(`/api/complaints/${created.reference}/coding`);
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('PUT');
  });

  test('is in the OpenAPI document, with the coding lists', async () => {
    const doc = (await request(app).get('/api/openapi.json')).body;
    expect(doc.paths['/api/complaints/{reference}/coding'].put).toBeDefined();
    expect(doc.components.schemas.Ko41aAspect.properties.subject.enum).toContain('privacy_dignity_wellbeing');
    expect(doc.components.schemas.Ko41aAspect.properties.outcome.enum).toEqual(['upheld', 'partly_upheld', 'not_upheld']);
    expect(doc.components.schemas.CreateComplaint.properties).toHaveProperty('representative');
    expect(doc.components.schemas.CreateComplaint.required).not.toContain('category');
  });
});
