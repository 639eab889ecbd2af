import { recordSignIn } from '../../models/staff';
import { addWorkingDays, londonDate } from '../../lib/calendar';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { asCaller } from '../helpers/auth';
import { designateResponsiblePerson, SIGNED } from '../helpers/complaint';
import { decodedPayloadText } from '../helpers/history';

/**
 * The 2009 regulations' steps over HTTP, as the quality team sends them: the written record of an
 * oral complaint (reg 13(2)), the signed response (reg 14(2), its signatory from the staff
 * directory), the representative's suitability (reg 5(3)-(5)), the transfer (reg 6(5), 7(5)) and the provider's outcome
 * of a complaint sent to it (reg 7(5)).
 */

const request = asCaller();
let h: ApiHarness;
const today = () => londonDate(Date.now());

beforeAll(async () => {
  h = await createApiHarness('complaint_regs_api');
  await designateResponsiblePerson(h.models);
});

afterAll(async () => {
  await h?.teardown();
});

const open = async (over: Record<string, unknown> = {}) => {
  const res = await request(h.app)
    .post('/api/complaints')
    .send({ providerCode: 'RJ2', receivedAt: today(), source: 'complainant', summary: 'Discharged without medication', consentToShare: true, complainant: { name: 'Alex Example' }, ...over });
  expect(res.status).toBe(201);
  const reference = res.body.reference as string;
  return { reference, post: (event: string, body: object) => request(h.app).post(`/api/complaints/${reference}/${event}`).send(body) };
};

test('reg 13(2): an oral complaint is written down with a copy offered before it is acknowledged, and its record shows both', async () => {
  const { post } = await open({ method: 'oral' });
  let res = await post('acknowledge', { acknowledgedOn: today() });
  expect(res.status).toBe(409);
  expect(res.body.error.message).toMatch(/written down, and the complainant offered a copy, before it is acknowledged \(reg 13\(2\)\)/);
  expect(res.body.live ?? null).toBeNull();
  res = await post('written-record', { writtenOn: today(), copyOfferedOn: '2020-01-01' });
  expect(res.status).toBe(400);
  expect(res.body.error.details[0].field).toBe('body.copyOfferedOn');
  res = await post('written-record', { writtenOn: today(), copyOfferedOn: today(), copySentOn: today() });
  expect(res.status).toBe(200);
  expect(res.body.live.writtenRecord).toEqual({ writtenOn: today(), copyOfferedOn: today(), copySentOn: today() });
  res = await post('acknowledge', { acknowledgedOn: today() });
  expect(res.status).toBe(200);
  expect(res.body.live).toMatchObject({ status: 'acknowledged', discussionOfferedOn: today() });
  expect(res.body.timeline.map((e: { type: string }) => e.type)).toEqual(['received', 'written_record_made', 'acknowledged']);
  // A written complaint has no written record to make.
  expect((await (await open()).post('written-record', { writtenOn: today(), copyOfferedOn: today() })).status).toBe(409);
});

describe('reg 14(2): the response is signed by the responsible person and tells of the Ombudsman', () => {
  test('without a signatory or the notice it is a 400 naming the field; a signatory the directory does not designate is a 400; signed, it is recorded', async () => {
    const { post } = await open();
    expect((await post('acknowledge', { acknowledgedOn: today() })).status).toBe(200);
    let res = await post('respond', { respondedOn: today(), ombudsmanRightsGiven: true });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('body.signedBy');
    res = await post('respond', { respondedOn: today(), signedBy: SIGNED.signedBy });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ field: 'body.ombudsmanRightsGiven', reason: expect.stringMatching(/right to go to the Parliamentary and Health Service Ombudsman \(reg 14\(2\)\)/) });
    res = await post('respond', { respondedOn: today(), signedBy: 'qo-7', ombudsmanRightsGiven: true });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ field: 'body.signedBy', reason: expect.stringMatching(/qo-7 is not designated responsible_person/) });
    res = await post('respond', { respondedOn: today(), ...SIGNED });
    expect(res.status).toBe(200);
    expect(res.body.live).toMatchObject({ status: 'responded', responseSignedBy: SIGNED.signedBy, ombudsmanRightsGiven: true });
  });

  test('the staff directory designates the responsible person: an administrator sets it, a picker lists it, a sign-in keeps it', async () => {
    let res = await request(h.app).put('/api/staff/deputy.ceo').send({ name: 'Deputy Chief Executive', roles: ['quality_team'], designations: ['responsible_person'] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'deputy.ceo', designations: ['responsible_person'] });
    expect((await request(h.app).put('/api/staff/deputy.ceo').send({ name: 'Deputy Chief Executive', designations: ['signatory'] })).status).toBe(400);
    await recordSignIn(h.models.Staff, { id: 'deputy.ceo', name: 'Deputy CEO', roles: ['quality_team'] }, new Date());
    res = await request(h.app).get('/api/staff?designation=responsible_person');
    expect(res.body.items.map((p: { id: string }) => p.id).sort()).toEqual(['chief.executive', 'deputy.ceo']);
    expect(res.body.items.find((p: { id: string }) => p.id === 'deputy.ceo')).toMatchObject({ name: 'Deputy CEO', designations: ['responsible_person'] });
  });
});

test('reg 5(3)-(5): a representative for a child is decided on before the complaint is considered; found not suitable, told why in writing, the case ends', async () => {
  const { reference, post } = await open({
    madeBy: 'representative',
    patient: { name: 'Jamie Example', dateOfBirth: '2015-06-01' },
    representative: { basis: 'child', relationship: 'uncle' },
  });
  // Only the basis goes to the workflow, never who they are.
  const history = await decodedPayloadText(h.env.client.workflow.getHandle(caseWorkflowId('complaint', reference)));
  expect(history).toContain('"representative":"child"');
  expect(history).not.toContain('Jamie');
  expect((await post('acknowledge', { acknowledgedOn: today() })).status).toBe(200);
  let res = await post('respond', { respondedOn: today(), ...SIGNED });
  expect(res.status).toBe(409);
  expect(res.body.error.message).toMatch(/reasonable grounds for a representative to complain instead of the child \(reg 5\)/);
  res = await post('representative', { decidedOn: today(), suitable: false, reasons: 'No parental responsibility; the child has not asked them to act' });
  expect(res.status).toBe(400);
  expect(res.body.error.details[0].field).toBe('body.notifiedOn');
  res = await post('representative', { decidedOn: today(), suitable: false, reasons: 'No parental responsibility; the child has not asked them to act', notifiedOn: today() });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ status: 'representative_not_suitable', nextDueOn: null });
  expect(res.body.live.representative).toMatchObject({ acting: 'child', suitable: false, decidedOn: today(), notifiedOn: today() });
  expect(res.body.timeline.at(-1)).toMatchObject({ type: 'representative_decided', data: { suitable: false, reasons: expect.stringMatching(/parental responsibility/) } });
  expect((await post('acknowledge', { acknowledgedOn: today() })).status).toBe(409);
  expect((await request(h.app).get('/api/complaints?status=representative_not_suitable')).body.items.map((c: { reference: string }) => c.reference)).toContain(reference);
});

test('reg 6(5), 7(5): passed with consent to another body, it is due to be sent in working days, then ends transferred to it', async () => {
  const { post } = await open();
  let res = await post('handling', { decidedOn: today(), handledBy: 'another_body' });
  expect(res.status).toBe(400);
  expect(res.body.error.details[0].field).toBe('body.receivingBody');
  res = await post('handling', { decidedOn: today(), handledBy: 'another_body', receivingBody: 'NHS Kent and Medway ICB' });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ status: 'received', nextDeadlineKind: 'transfer', nextDueOn: addWorkingDays(today(), 3).due });
  expect(res.body.deadlines.transfer.basis).toMatchObject({ workingDays: 3, calendar: 'local' });
  expect(res.body.live.transfer).toEqual({ decidedOn: today(), to: 'NHS Kent and Medway ICB', kind: 'another_body' });
  expect((await post('consent', { consentToShare: false, recordedOn: today() })).status).toBe(200);
  res = await post('transfer', { transferredOn: today() });
  expect(res.status).toBe(409);
  expect(res.body.error.message).toMatch(/consented to the complaint being sent on \(reg 7\(3\)\)/);
  expect((await post('consent', { consentToShare: true, recordedOn: today() })).status).toBe(200);
  res = await post('transfer', { transferredOn: today() });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ status: 'transferred', nextDueOn: null });
  expect(res.body.live).toMatchObject({ transferredOn: today(), transfer: { to: 'NHS Kent and Medway ICB', transferredOn: today() } });
});

test('reg 7(5): sent to the provider, the case awaits the provider’s outcome by its date, listed as open; recording the outcome ends it transferred', async () => {
  const { reference, post } = await open();
  expect((await post('handling', { decidedOn: today(), handledBy: 'provider' })).status).toBe(200);
  // Not yet sent: no outcome can be recorded.
  let res = await post('provider-outcome', { receivedOn: today(), outcome: 'upheld' });
  expect(res.status).toBe(409);
  res = await post('transfer', { transferredOn: today() });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ status: 'with_provider', nextDeadlineKind: 'provider_outcome', nextDueOn: addWorkingDays(today(), 28).due });
  expect(res.body.deadlines.provider_outcome.basis).toMatchObject({ workingDays: 28, calendar: 'local' });
  expect((await request(h.app).get('/api/complaints?status=with_provider')).body.items.map((c: { reference: string }) => c.reference)).toContain(reference);
  res = await post('provider-outcome', { receivedOn: today() });
  expect(res.status).toBe(400);
  expect(res.body.error.details[0].field).toBe('body.outcome');
  res = await post('provider-outcome', { receivedOn: today(), outcome: 'not_upheld' });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ status: 'transferred', nextDueOn: null });
  expect(res.body.live.transfer).toMatchObject({ kind: 'provider', transferredOn: today(), outcome: { receivedOn: today(), outcome: 'not_upheld' } });
});

test('KO41a: once every aspect has its outcome, the closure’s outcome is the one they make (partly upheld when some are)', async () => {
  const { reference, post } = await open();
  const aspects = [
    { subject: 'communications', serviceArea: 'acute_inpatient', profession: 'nursing_midwifery_health_visiting', outcome: 'upheld' },
    { subject: 'clinical_treatment', serviceArea: 'acute_inpatient', profession: 'medical', outcome: 'not_upheld' },
  ];
  expect((await request(h.app).put(`/api/complaints/${reference}/coding`).send({ aspects })).status).toBe(200);
  expect((await post('acknowledge', { acknowledgedOn: today() })).status).toBe(200);
  expect((await post('respond', { respondedOn: today(), ...SIGNED })).status).toBe(200);
  let res = await post('close', { closedOn: today(), outcome: 'upheld', lessonsLearned: 'Ward rounds include a call to the family' });
  expect(res.status).toBe(400);
  expect(res.body.error.details[0]).toMatchObject({ field: 'body.outcome', reason: expect.stringMatching(/^must be partly_upheld: that is what the outcomes of its 2 aspects make/) });
  res = await post('close', { closedOn: today(), outcome: 'partly_upheld', lessonsLearned: 'Ward rounds include a call to the family' });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ status: 'closed', outcome: 'partly_upheld' });
});
