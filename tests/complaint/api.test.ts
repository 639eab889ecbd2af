import { asCaller, testAuthenticator, tokenFor } from '../helpers/auth';
import { designateResponsiblePerson, SIGNED } from '../helpers/complaint';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { createApp } from '../../api/app';
import { ReferenceData } from '../../api/reference-data';
import { addCalendarDays, addWorkingDays, londonDate, workingHoursInstant } from '../../lib/calendar';
import { createLogger } from '../../lib/logger';
import { createModels } from '../../models';
import { connectDatabase } from '../../models/connection';
import { freePort } from '../../dev-servers/process';
import { caseWorkflowId } from '../../contracts/kernel/case';

const complaintWorkflowId = (reference: string) => caseWorkflowId('complaint', reference);
import { decodedPayloadText } from '../helpers/history';
import { eventually } from '../helpers/harness';

/** Every request signed in (see tests/helpers/auth.ts). */
const request = asCaller();

let h: ApiHarness;
let app: ReturnType<typeof createApp>;
let referenceData: ReferenceData;
const logger = createLogger('silent');
const today = () => londonDate(Date.now());
/** Who the app records as acting (until sign-in, the configured local actor). */
const actor = { id: 'qo-7', name: 'Sam Officer', role: 'quality_team' };

beforeAll(async () => {
  ({ app, referenceData } = h = await createApiHarness('complaint_api'));
  await designateResponsiblePerson(h.models);
});
afterAll(() => h?.teardown());

const body = (overrides: Record<string, unknown> = {}) => ({
  providerCode: 'RJ2',
  receivedAt: today(),
  source: 'healthwatch',
  category: 'discharge',
  summary: 'Discharged without medication or a follow-up appointment',
  consentToShare: true,
  complainant: { name: 'Alex Example', email: 'alex@example.org' },
  communicationNeeds: ['easy_read'],
  ...overrides,
});

const create = (overrides: Record<string, unknown> = {}) => request(app).post('/api/complaints').send(body(overrides));

describe('POST /api/complaints', () => {
  test('opens a case: 201 with reference, acknowledgeBy and a running workflow', async () => {
    const receivedAt = addCalendarDays(today(), -1);
    const res = await create({ receivedAt });
    expect(res.status).toBe(201);
    expect(res.body.reference).toMatch(/^CMP-\d{4}-\d{6}$/);
    expect(res.headers.location).toBe(`/api/complaints/${res.body.reference}`);
    expect(res.body).toMatchObject({ status: 'received', receivedAt, acknowledgeBy: addWorkingDays(receivedAt, 3).due });
    expect(res.body.deadlines.acknowledgement).toMatchObject({ dueOn: res.body.acknowledgeBy, basis: { workingDays: 3, start: receivedAt } });
    const description = await h.env.client.workflow.getHandle(complaintWorkflowId(res.body.reference)).describe();
    expect(description.status.name).toBe('RUNNING');
    // The complainant's details stay in MongoDB: the workflow's input carries none.
    const history = await decodedPayloadText(h.env.client.workflow.getHandle(complaintWorkflowId(res.body.reference)));
    expect(history).toContain(res.body.reference);
    expect(history).not.toContain('Alex');
    expect(history).not.toContain(Buffer.from('Alex Example').toString('base64').slice(0, 8));
  });

  test("the provider's ODS code as typed (' rj2 ') opens the case under RJ2, found by the list of RJ2's cases", async () => {
    const res = await create({ providerCode: ' rj2 ' });
    expect([res.status, res.body.providerCode]).toEqual([201, 'RJ2']);
    const listed = await request(app).get('/api/complaints?provider=RJ2&pageSize=100');
    expect(listed.body.items.map((c: { reference: string }) => c.reference)).toContain(res.body.reference);
  });

  test('a case opened late sends no stale reminder: received two weeks ago, its outbox holds the overdue acknowledgement\'s escalation and no reminder', async () => {
    const receivedAt = addCalendarDays(today(), -14);
    const res = await create({ receivedAt });
    expect(res.status).toBe(201);
    const { reference } = res.body;
    await eventually(async () => expect((await h.models.Notification.find({ reference }).lean()).map((n) => `${n.deadline}:${n.kind}`)).toEqual(['acknowledgement:escalation']));
    // Given a moment more, still no reminder: its day went by before the case was opened.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await h.models.Notification.countDocuments({ reference, kind: 'reminder' })).toBe(0);
    // The escalation's entry is written a moment after its notification.
    await eventually(async () => expect((await request(app).get(`/api/complaints/${reference}`)).body.timeline.map((e: { type: string }) => e.type)).toEqual(['received', 'escalated']));
  });

  test('the same Idempotency-Key answers the same case and starts no second workflow', async () => {
    const key = `test-${Date.now()}`;
    const before = await h.models.Complaint.countDocuments();
    const first = await create().set('Idempotency-Key', key);
    const second = await create().set('Idempotency-Key', key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.reference).toBe(first.body.reference);
    expect(await h.models.Complaint.countDocuments()).toBe(before + 1);
    const other = await create({ category: 'other' }).set('Idempotency-Key', key);
    expect(other.status).toBe(422);
  });

  test('concurrent creates each get their own reference', async () => {
    const results = await Promise.all(Array.from({ length: 60 }, () => create()));
    expect(results.map((r) => r.status)).toEqual(Array(60).fill(201));
    const references = results.map((r) => r.body.reference);
    expect(new Set(references).size).toBe(60);
    const records = await h.models.Complaint.find({ _id: { $in: references } }, { workflowId: 1 }).lean();
    expect(records).toHaveLength(60);
    for (const r of records) {
      expect((await h.env.client.workflow.getHandle(r.workflowId).describe()).status.name).toBe('RUNNING');
    }
  });

  test('concurrent first creates of a series all open, skipping numbers already in use', async () => {
    // As on a fresh database, or one written before reference blocks: no block claimed yet,
    // while the records above already hold the lowest numbers.
    await h.models.ReferenceBlock.deleteMany({});
    const before = await h.models.Complaint.countDocuments();
    // Half carry an Idempotency-Key, written beside the record: a skipped number must not keep it.
    const stamp = Date.now();
    const key = (i: number) => (i % 2 ? `first-${stamp}-${i}` : undefined);
    const send = (i: number) => (key(i) ? create().set('Idempotency-Key', key(i)!) : create());
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => send(i)));
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));
    expect(new Set(results.map((r) => r.body.reference)).size).toBe(30);
    expect(await h.models.Complaint.countDocuments()).toBe(before + 30);
    const again = await Promise.all(results.map((_, i) => i).filter(key).map(async (i) => [(await send(i)).body.reference, results[i].body.reference]));
    for (const [replayed, original] of again) expect(replayed).toBe(original);
  });

  test('a repeat after its provider was deactivated still answers its case; a new request is refused', async () => {
    const key = `deactivated-${Date.now()}`;
    const first = await create({ providerCode: 'RJ1' }).set('Idempotency-Key', key);
    expect(first.status).toBe(201);
    await h.models.Provider.updateOne({ _id: 'RJ1' }, { $set: { active: false } });
    referenceData.clear();
    try {
      const again = await create({ providerCode: 'RJ1' }).set('Idempotency-Key', key);
      expect(again.status).toBe(201);
      expect(again.body.reference).toBe(first.body.reference);
      const fresh = await create({ providerCode: 'RJ1' });
      expect(fresh.status).toBe(400);
    } finally {
      await h.models.Provider.updateOne({ _id: 'RJ1' }, { $set: { active: true } });
      referenceData.clear();
    }
  });

  test('concurrent retries with one Idempotency-Key open one case', async () => {
    const key = `race-${Date.now()}`;
    const results = await Promise.all(Array.from({ length: 8 }, () => create({ category: 'race' }).set('Idempotency-Key', key)));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(results.map((r) => r.body.reference)).size).toBe(1);
    expect(await h.models.Complaint.countDocuments({ category: 'race' })).toBe(1);
  });

  test.each([
    [{ receivedAt: '2026-02-30' }, 'body.receivedAt', /real date/],
    [{ receivedAt: addCalendarDays(today(), 2) }, 'body.receivedAt', /future/],
    [{ receivedAt: '2014-06-01' }, 'body.receivedAt', /2015/],
    [{ source: 'twitter' }, 'body.source', /./],
    [{ providerCode: 'nope!' }, 'body.providerCode', /ODS/],
    [{ providerCode: 'ZZZ' }, 'body.providerCode', /no active provider/],
    [{ consentToShare: 'yes' }, 'body.consentToShare', /boolean/],
    [{ summary: '' }, 'body.summary', /empty/],
    [{ surprise: 1 }, 'body', /surprise/],
  ])('400 for %j, naming %s, and nothing written', async (overrides, field, reason) => {
    const before = await h.models.Complaint.countDocuments();
    const res = await create(overrides);
    expect(res.status).toBe(400);
    const detail = res.body.error.details.find((d: { field: string }) => d.field === field);
    expect(detail).toBeDefined();
    expect(`${detail.reason} ${res.body.error.message}`).toMatch(reason);
    expect(await h.models.Complaint.countDocuments()).toBe(before);
  });

  test('400 for a malformed Idempotency-Key header', async () => {
    const res = await create().set('Idempotency-Key', 'bad key!');
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'header.Idempotency-Key', reason: expect.stringMatching(/8-200/) }]);
  });

  test('400 for malformed JSON, never a 500', async () => {
    const res = await request(app).post('/api/complaints').set('Content-Type', 'application/json').send('{"providerCode":');
    expect(res.status).toBe(400);
  });
});

describe('a case through its events', () => {
  test('each event moves the case on, the timeline records it, and refused events answer 409', async () => {
    const { body: created } = await create({ consentToShare: false });
    const ref = created.reference;
    const post = (event: string, payload: object) => request(app).post(`/api/complaints/${ref}/${event}`).send(payload);

    let res = await post('respond', { respondedOn: today(), ...SIGNED });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/acknowledged/);

    res = await post('acknowledge', { acknowledgedOn: today() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'acknowledged', nextDeadlineKind: 'response', nextDueOn: addWorkingDays(today(), 25).due });

    res = await post('provider-request', { requestedOn: today() });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/consent/);
    expect((await post('consent', { consentToShare: true, recordedOn: today() })).status).toBe(200);
    res = await post('provider-request', { requestedOn: today(), workingDays: 5 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ nextDeadlineKind: 'provider_account', nextDueOn: addWorkingDays(today(), 5).due });
    expect((await post('provider-response', { receivedOn: today() })).status).toBe(200);

    const newDueOn = addWorkingDays(today(), 40).due;
    res = await post('extend', { newDueOn, reason: 'Awaiting records from the GP', complainantAgreed: false, agreedOn: today() });
    expect(res.status).toBe(400);
    res = await post('extend', { newDueOn, reason: 'Awaiting records from the GP', complainantAgreed: true, agreedOn: today() });
    expect(res.status).toBe(200);
    expect(res.body.deadlines.response.dueOn).toBe(newDueOn);

    expect((await post('respond', { respondedOn: today(), ...SIGNED })).status).toBe(200);
    expect((await post('close', { closedOn: today(), outcome: 'upheld', lessonsLearned: 'x', followOn: ['audit'] })).body.error.details[0].field).toBe('body.followOn.0');
    res = await post('close', { closedOn: today(), outcome: 'upheld', lessonsLearned: 'Check discharge medication', followOn: ['insight_visit'] });
    expect(res.status).toBe(200);
    expect(res.body.live.followOn).toEqual(['insight_visit']);
    expect(res.body).toMatchObject({ status: 'closed', outcome: 'upheld', nextDueOn: null });
    res = await post('ombudsman-referral', { referredOn: today() });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('with_ombudsman');
    res = await post('acknowledge', { acknowledgedOn: today() });
    expect(res.status).toBe(409);

    const detail = await request(app).get(`/api/complaints/${ref}`);
    expect(detail.status).toBe(200);
    expect(detail.body.complainant.name).toBe('Alex Example');
    expect(detail.body.communicationNeeds).toEqual(['easy_read']);
    expect(detail.body.live.extensions).toHaveLength(1);
    expect(detail.body.timeline.map((e: { type: string }) => e.type)).toEqual([
      'received', 'acknowledged', 'consent_recorded', 'provider_account_requested', 'provider_account_received',
      'response_extended', 'responded', 'closed', 'referred_to_ombudsman',
    ]);
    expect(detail.body.status).toBe('with_ombudsman');
    // Every human event records who acted, opening the case included.
    expect(detail.body.timeline.every((e: { actor?: unknown }) => JSON.stringify(e.actor) === JSON.stringify(actor))).toBe(true);
    expect(JSON.stringify(detail.body.timeline)).not.toMatch(/"data":\{[^}]*"actor"/);
  });

  test('reg 13: the offer to discuss the handling, and whether the response period was agreed or set, are recorded', async () => {
    const set = (await create()).body.reference;
    let res = await request(app).post(`/api/complaints/${set}/acknowledge`).send({ acknowledgedOn: today(), discussionOfferedOn: today() });
    expect(res.status).toBe(200);
    expect(res.body.live).toMatchObject({ discussionOfferedOn: today(), responsePeriod: 'set' });
    expect(res.body.timeline.at(-1)).toMatchObject({ type: 'acknowledged', data: { discussionOfferedOn: today(), responsePeriod: 'set' } });

    const agreed = (await create()).body.reference;
    res = await request(app).post(`/api/complaints/${agreed}/acknowledge`).send({ acknowledgedOn: today(), responseDueOn: addCalendarDays(today(), 60) });
    expect(res.body.live).toMatchObject({ responsePeriod: 'agreed' });
    // Reg 13: the acknowledgement itself carries the offer to discuss, when none was made before it.
    expect(res.body.live.discussionOfferedOn).toBe(today());

    const early = (await create()).body.reference;
    res = await request(app).post(`/api/complaints/${early}/acknowledge`).send({ acknowledgedOn: today(), discussionOfferedOn: addCalendarDays(today(), -400) });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/the offer to discuss .* cannot be before receipt/);
    res = await request(app).post(`/api/complaints/${early}/acknowledge`).send({ acknowledgedOn: today(), responsePeriod: 'maybe' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('body.responsePeriod');
  });

  test('reg 14(1)(b): updates to the complainant are recorded and set the next one due', async () => {
    const ref = (await create()).body.reference;
    const post = (event: string, payload: object) => request(app).post(`/api/complaints/${ref}/${event}`).send(payload);
    expect((await post('complainant-update', { sentOn: today() })).status).toBe(409);
    let res = await post('acknowledge', { acknowledgedOn: today(), updateEveryWorkingDays: 10 });
    expect(res.body.deadlines.complainant_update.dueOn).toBe(addWorkingDays(today(), 10).due);
    res = await post('complainant-update', { sentOn: today(), note: 'Awaiting the ward manager’s statement' });
    expect(res.status).toBe(200);
    expect(res.body.live.updates).toEqual([{ sentOn: today() }]);
    expect(res.body.timeline.at(-1)).toMatchObject({ type: 'complainant_updated', actor, data: { sentOn: today(), nextUpdateDueOn: addWorkingDays(today(), 10).due } });
    expect((await post('complainant-update', { sentOn: addCalendarDays(today(), 1) })).status).toBe(400);
    expect((await post('acknowledge', { acknowledgedOn: today(), updateEveryWorkingDays: 2 })).body.error.details[0].field).toBe('body.updateEveryWorkingDays');
  });

  test('a closed case reopened is open again, listed as acknowledged with its new response date', async () => {
    const ref = (await create({ providerCode: 'RJ1' })).body.reference;
    const post = (event: string, payload: object) => request(app).post(`/api/complaints/${ref}/${event}`).send(payload);
    await post('acknowledge', { acknowledgedOn: today() });
    await post('respond', { respondedOn: today(), ...SIGNED });
    await post('close', { closedOn: today(), outcome: 'partly_upheld', lessonsLearned: 'x' });
    const responseDueOn = addWorkingDays(today(), 15).due;
    const res = await post('reopen', { reopenedOn: today(), reason: 'The complainant sent new evidence', responseDueOn });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'acknowledged', outcome: null, nextDueOn: responseDueOn, nextDeadlineKind: 'response' });
    expect(res.body.timeline.at(-1)).toMatchObject({ type: 'reopened', actor, data: { previousOutcome: 'partly_upheld', responseDueOn } });
    expect((await request(app).get('/api/complaints?provider=RJ1&status=open&pageSize=100')).body.items.map((c: { reference: string }) => c.reference)).toContain(ref);
    expect((await post('reopen', { reopenedOn: today(), reason: 'again', responseDueOn })).status).toBe(409);
  });

  test('a withdrawn case closes as withdrawn, is listed so, and takes no further event', async () => {
    const ref = (await create({ providerCode: 'RJZ' })).body.reference;
    const res = await request(app).post(`/api/complaints/${ref}/withdraw`).send({ withdrawnOn: today(), reason: 'Resolved locally' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'withdrawn', outcome: null, nextDueOn: null });
    expect((await request(app).get('/api/complaints?provider=RJZ&status=withdrawn')).body.items.map((c: { reference: string }) => c.reference)).toContain(ref);
    expect((await request(app).post(`/api/complaints/${ref}/acknowledge`).send({ acknowledgedOn: today() })).status).toBe(409);
    expect((await request(app).post(`/api/complaints/${ref}/withdraw`).send({ withdrawnOn: today() })).status).toBe(400);
  });

  test('an extension agreed after the response date it extends is a 409 saying so (reg 14)', async () => {
    const received = addCalendarDays(today(), -60);
    const ref = (await create({ receivedAt: received })).body.reference;
    const acked = await request(app).post(`/api/complaints/${ref}/acknowledge`).send({ acknowledgedOn: received });
    const due = acked.body.deadlines.response.dueOn;
    expect(due < today()).toBe(true);
    const late = await request(app)
      .post(`/api/complaints/${ref}/extend`)
      .send({ newDueOn: addCalendarDays(today(), 30), reason: 'Awaiting records', complainantAgreed: true, agreedOn: today() });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain(`agreed on or before the response date it extends (${due})`);
  });

  test('receipt checks: an out-of-time complaint waits for the reg 12 decision; an oral one resolved at once closes outside the regulations; safeguarding notifies', async () => {
    const receivedAt = addCalendarDays(today(), -2);
    const late = (await create({ receivedAt, matterOccurredOn: addCalendarDays(receivedAt, -500), becameAwareOn: addCalendarDays(receivedAt, -400) })).body.reference;
    const post = (ref: string, event: string, payload: object) => request(app).post(`/api/complaints/${ref}/${event}`).send(payload);
    let res = await post(late, 'acknowledge', { acknowledgedOn: today() });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/reg 12\(4\)/);
    expect((await post(late, 'time-limit', { decidedOn: today(), investigate: true })).body.error.details[0].field).toBe('body.reason');
    res = await post(late, 'time-limit', { decidedOn: today(), investigate: true, reason: 'Bereaved family; the delay was understandable' });
    expect(res.status).toBe(200);
    expect(res.body.live.timeLimit).toMatchObject({ decision: 'investigate' });
    expect((await post(late, 'acknowledge', { acknowledgedOn: today() })).status).toBe(200);
    expect((await post(late, 'time-limit', { decidedOn: today(), investigate: false, reason: 'x' })).status).toBe(409);

    const notLate = (await create({ receivedAt, matterOccurredOn: addCalendarDays(receivedAt, -300) })).body.reference;
    expect((await post(notLate, 'time-limit', { decidedOn: today(), investigate: false, reason: 'x' })).body.error.message).toMatch(/within the time limit/);
    const refused = (await create({ receivedAt, matterOccurredOn: addCalendarDays(receivedAt, -800) })).body.reference;
    res = await post(refused, 'time-limit', { decidedOn: today(), investigate: false, reason: 'Records no longer held' });
    expect(res.body).toMatchObject({ status: 'not_investigated', nextDueOn: null });

    const oral = await create({ method: 'oral', safeguardingConcern: true });
    expect(oral.status).toBe(201);
    res = await post(oral.body.reference, 'informal-resolution', { resolvedOn: today(), note: 'Explained the appointment mix-up by phone' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'resolved_informally', nextDueOn: null, method: 'oral', safeguardingConcern: true });
    await eventually(async () =>
      expect((await h.models.Notification.find({ reference: oral.body.reference }).lean()).map((n) => [n.kind, n.audience])).toEqual([['safeguarding_concern', 'safeguarding_lead']]),
    );
    expect((await post(late, 'informal-resolution', { resolvedOn: today() })).body.error.message).toMatch(/only an oral complaint/);

    // Dates that cannot be: the field and the reason.
    res = await create({ matterOccurredOn: addCalendarDays(today(), -10), becameAwareOn: addCalendarDays(today(), -20) });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'body.becameAwareOn', reason: expect.stringMatching(/before the matter occurred/) })]);
    res = await create({ receivedAt, matterOccurredOn: today() });
    expect(res.body.error.details[0]).toMatchObject({ field: 'body.matterOccurredOn', reason: expect.stringMatching(/after receipt/) });
    expect((await create({ method: 'carrier_pigeon' })).body.error.details[0].field).toBe('body.method');
  });

  test('consent, handling and transfer (reg 7), a hold and its resumption, another body leading (reg 9)', async () => {
    const ref = (await create({ consentToShare: false })).body.reference;
    const post = (event: string, payload: object) => request(app).post(`/api/complaints/${ref}/${event}`).send(payload);
    expect((await post('acknowledge', { acknowledgedOn: today() })).status).toBe(200);
    let res = await post('handling', { decidedOn: today(), handledBy: 'provider' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/not consented/);
    expect((await post('handling', { decidedOn: today(), handledBy: 'nobody' })).body.error.details[0].field).toBe('body.handledBy');
    res = await post('hold', { heldOn: today(), reason: 'coroner', note: 'Inquest opened' });
    expect(res.body).toMatchObject({ status: 'on_hold', nextDueOn: null });
    expect((await post('respond', { respondedOn: today(), ...SIGNED })).status).toBe(409);
    expect((await post('hold', { heldOn: today(), reason: 'coroner' })).status).toBe(409);
    res = await post('resume', { resumedOn: today() });
    expect(res.body).toMatchObject({ status: 'acknowledged', nextDeadlineKind: 'response' });
    expect(res.body.deadlines.response.basis.rule).toMatch(/paused on/);
    expect((await post('consent', { consentToShare: true, recordedOn: today() })).status).toBe(200);
    res = await post('handling', { decidedOn: today(), handledBy: 'provider' });
    // Reg 7(5): it waits to be sent to the provider, with a deadline, and is not answered here.
    expect(res.body).toMatchObject({ status: 'acknowledged', nextDeadlineKind: 'transfer', nextDueOn: addWorkingDays(today(), 3).due });
    expect((await post('respond', { respondedOn: today(), ...SIGNED })).status).toBe(409);
    res = await post('transfer', { transferredOn: today() });
    // Reg 7(5): sent to the provider, the case awaits its outcome, then ends transferred.
    expect(res.body).toMatchObject({ status: 'with_provider', nextDeadlineKind: 'provider_outcome' });
    res = await post('provider-outcome', { receivedOn: today(), outcome: 'upheld' });
    expect(res.body).toMatchObject({ status: 'transferred', nextDueOn: null });

    const led = (await create()).body.reference;
    const responseDueOn = addWorkingDays(today(), 30).due;
    const contributions = [{ body: 'Anytown Borough Council', dueOn: addWorkingDays(today(), 10).due }];
    res = await request(app).post(`/api/complaints/${led}/lead-body`).send({ agreedOn: today(), leadBody: ' ', responseDueOn, contributions });
    expect(res.body.error.details[0].field).toBe('body.leadBody');
    res = await request(app).post(`/api/complaints/${led}/lead-body`).send({ agreedOn: today(), leadBody: 'Anytown ICB', responseDueOn, contributions });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'acknowledged', nextDeadlineKind: 'contribution:1', nextDueOn: contributions[0].dueOn });
    expect(res.body.deadlines.acknowledgement).toBeUndefined();
    expect((await request(app).post(`/api/complaints/${led}/contribution`).send({ contribution: 2, receivedOn: today() })).status).toBe(409);
    res = await request(app).post(`/api/complaints/${led}/contribution`).send({ contribution: 1, receivedOn: today() });
    expect(res.body).toMatchObject({ nextDeadlineKind: 'response', nextDueOn: responseDueOn });
  });

  test('the Ombudsman: contact years after the window resumes a completed case; its stage completes when the recommendations are met', async () => {
    // Received, answered and closed in 2024: its 12-month window ended long ago.
    const ref = (await create({ receivedAt: '2024-01-10' })).body.reference;
    const post = (event: string, payload: object) => request(app).post(`/api/complaints/${ref}/${event}`).send(payload);
    expect((await post('acknowledge', { acknowledgedOn: '2024-01-11' })).status).toBe(200);
    expect((await post('respond', { respondedOn: '2024-02-01', ...SIGNED })).status).toBe(200);
    expect((await post('close', { closedOn: '2024-02-02', outcome: 'not_upheld', lessonsLearned: 'None' })).status).toBe(200);
    const handle = h.env.client.workflow.getHandle(complaintWorkflowId(ref));
    await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'));
    expect((await request(app).get(`/api/complaints/${ref}`)).body.status).toBe('completed');
    expect((await post('respond', { respondedOn: today(), ...SIGNED })).status).toBe(409);

    const contacted = addCalendarDays(today(), -1);
    let res = await post('ombudsman-referral', { referredOn: contacted });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'with_ombudsman', live: { ombudsman: { contactedOn: contacted, afterWindow: true } } });
    expect((await post('ombudsman-referral', { referredOn: today() })).status).toBe(409);
    expect((await post('ombudsman-comments', { sentOn: today() })).body.error.message).toMatch(/no draft report/);
    expect((await post('ombudsman-draft-report', { receivedOn: today(), commentsDueOn: today() })).status).toBe(409);
    expect((await post('ombudsman-draft-report', { receivedOn: contacted, commentsDueOn: addWorkingDays(today(), 10).due })).status).toBe(200);
    expect((await post('ombudsman-comments', { sentOn: today() })).status).toBe(200);
    const dueOn = addWorkingDays(today(), 20).due;
    res = await post('ombudsman-final-report', { receivedOn: today(), finding: 'partly_upheld', recommendations: [{ summary: 'Apologise in writing', dueOn }] });
    expect(res.body).toMatchObject({ status: 'with_ombudsman', nextDeadlineKind: 'recommendation:1', nextDueOn: dueOn });
    expect((await post('ombudsman-compliance', { recommendation: 1, metOn: today() })).body.error.details[0].field).toBe('body.evidence');
    res = await post('ombudsman-compliance', { recommendation: 1, metOn: today(), evidence: 'Letter of apology sent' });
    expect(res.body).toMatchObject({ status: 'completed', nextDueOn: null });
    await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'));
    // Opened years late, its missed dates were escalated as it opened (how many depends on when
    // the events above reached it); the timeline then goes on from the run that ended.
    const timeline: { seq: number; type: string }[] = (await request(app).get(`/api/complaints/${ref}`)).body.timeline;
    expect(timeline.slice(-6).map((e) => e.type)).toEqual([
      'ombudsman_window_ended', 'referred_to_ombudsman', 'ombudsman_draft_report', 'ombudsman_comments_sent', 'ombudsman_final_report', 'ombudsman_recommendation_met',
    ]);
    expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i + 1));
  });

  test('personal details only for the roles that need them; the audit trail records changes and reads by who and in which role', async () => {
    const ref = (await create()).body.reference;
    await request(app).post(`/api/complaints/${ref}/acknowledge`).send({ acknowledgedOn: today() });
    const commissioner = await tokenFor({ id: 'cm-1', name: 'Chris Commissioner', roles: ['commissioner'] });
    const seen = await request(app).get(`/api/complaints/${ref}`).set('Authorization', `Bearer ${commissioner}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ reference: ref, status: 'acknowledged', redacted: expect.arrayContaining(['complainant', 'summary', 'patient']) });
    expect(JSON.stringify(seen.body)).not.toMatch(/Alex Example|alex@example\.org|Discharged without medication/);
    // How the complainant must be written to says what a disability asks for: withheld too, in the list as well.
    expect(seen.body.communicationNeeds).toBeUndefined();
    expect(seen.body.redacted).toContain('communicationNeeds');
    const listed = await request(app).get('/api/complaints?status=open&pageSize=100').set('Authorization', `Bearer ${commissioner}`);
    expect(listed.body.items.length).toBeGreaterThan(0);
    expect(listed.body.items.filter((i: object) => 'communicationNeeds' in i)).toEqual([]);
    expect((await request(app).get('/api/complaints?status=open&pageSize=100')).body.items.every((i: object) => 'communicationNeeds' in i)).toBe(true);
    const full = (await request(app).get(`/api/complaints/${ref}`)).body;
    expect([full.complainant, full.communicationNeeds]).toEqual([{ name: 'Alex Example', email: 'alex@example.org' }, ['easy_read']]);
    expect((await request(app).post(`/api/complaints/${ref}/respond`).set('Authorization', `Bearer ${commissioner}`).send({ respondedOn: today(), ...SIGNED })).status).toBe(403);

    const auditor = await tokenFor({ id: 'au-1', name: 'Ann Auditor', roles: ['auditor'] });
    const trail = await eventually(async () => {
      const res = await request(app).get(`/api/audit?record=${ref}`).set('Authorization', `Bearer ${auditor}`);
      expect(res.body.entries).toHaveLength(5);
      return res.body.entries as { actor: { id: string }; role: string; action: string; status: number | null }[];
    });
    expect(trail.map((e) => [e.actor.id, e.role, e.action, e.status])).toEqual([
      ['qo-7', 'quality_team', 'POST /api/complaints', 201],
      ['qo-7', 'quality_team', 'acknowledge', 200],
      ['cm-1', 'commissioner', 'read (personal details withheld)', null],
      ['qo-7', 'quality_team', 'read personal details', null],
      // A refusal is in the trail too.
      ['cm-1', 'none', 'refused: role', 403],
    ]);
    const quality = await tokenFor({ id: 'qo-8', name: 'Q', roles: ['quality_team'] });
    expect((await request(app).get(`/api/audit?record=${ref}`).set('Authorization', `Bearer ${quality}`)).status).toBe(403);
    // The API has no way to change or remove an entry.
    for (const method of ['put', 'delete', 'post'] as const) expect((await request(app)[method](`/api/audit?record=${ref}`)).status).toBe(405);
  });

  test('404 for an unknown reference, 400 for a malformed one', async () => {
    expect((await request(app).get('/api/complaints/CMP-2026-999999')).status).toBe(404);
    expect((await request(app).post('/api/complaints/CMP-2026-999999/acknowledge').send({ acknowledgedOn: today() })).status).toBe(404);
    const res = await request(app).get('/api/complaints/not-a-reference');
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('params.reference');
  });
});

describe('GET /api/complaints', () => {
  test('filters by status, provider and overdue, sorted by next deadline, paginated', async () => {
    const old = addCalendarDays(today(), -30);
    const overdue = (await create({ receivedAt: old, providerCode: 'RV5' })).body.reference;
    const fresh = (await create({ providerCode: 'RV5' })).body.reference;

    const byProvider = await request(app).get('/api/complaints?provider=RV5');
    expect(byProvider.status).toBe(200);
    expect(byProvider.body.items.map((c: { reference: string }) => c.reference)).toEqual([overdue, fresh]);

    const late = await request(app).get('/api/complaints?provider=RV5&overdue=true');
    expect(late.body.items.map((c: { reference: string }) => c.reference)).toEqual([overdue]);
    expect(late.body.items[0].overdue).toBe(true);
    const onTime = await request(app).get('/api/complaints?provider=RV5&overdue=false');
    expect(onTime.body.items.map((c: { reference: string }) => c.reference)).toEqual([fresh]);

    const all = await request(app).get('/api/complaints?status=received&pageSize=1&page=2');
    expect(all.body).toMatchObject({ page: 2, pageSize: 1 });
    expect(all.body.items).toHaveLength(1);
    expect(all.body.total).toBeGreaterThanOrEqual(2);

    // The missed acknowledgement was escalated by the workflow straight away.
    await eventually(async () => expect(await h.models.Notification.countDocuments({ reference: overdue, kind: 'escalation' })).toBe(1));
    expect((await request(app).get('/api/complaints?overdue=maybe')).status).toBe(400);
    expect((await request(app).get('/api/complaints?pageSize=1000')).status).toBe(400);
  });
});

describe('lists and the dashboard', () => {
  const listed = async (query: string) =>
    (await request(app).get(`/api/complaints?${query}`)).body.items.map((c: { reference: string }) => c.reference);
  const dashboard = async (query = '') => (await request(app).get(`/api/complaints/dashboard${query}`)).body;

  test('follow a case as its events move it, as soon as each event answers', async () => {
    const before = await dashboard('?provider=RPG');
    const ref = (await create({ providerCode: 'RPG' })).body.reference;
    expect(await listed('provider=RPG&status=received')).toContain(ref);
    expect(await listed('provider=RPG&status=open&pageSize=100')).toContain(ref);

    expect((await request(app).post(`/api/complaints/${ref}/acknowledge`).send({ acknowledgedOn: today() })).status).toBe(200);
    expect(await listed('provider=RPG&status=acknowledged')).toContain(ref);
    expect(await listed('provider=RPG&status=received')).not.toContain(ref);
    expect(await listed('provider=RPG&status=open&pageSize=100')).toContain(ref);

    const after = await dashboard('?provider=RPG');
    expect(after.providers).toEqual([{ providerCode: 'RPG', name: null, counts: expect.any(Object) }]);
    const [was, now] = [before.providers[0].counts, after.providers[0].counts];
    expect(now).toMatchObject({ received: was.received, acknowledged: was.acknowledged + 1, open: was.open + 1 });
    expect(after.all.acknowledged).toBe(before.all.acknowledged + 1);
  });

  test('counts every status, open and overdue, in all and per active provider, matching the lists', async () => {
    const board = await dashboard();
    expect(board.providers.map((p: { providerCode: string }) => p.providerCode)).toEqual(['RJ1', 'RJ2', 'RJZ', 'RPG', 'RV5']);
    for (const row of [{ counts: board.all, provider: '' }, ...board.providers.map((p: { providerCode: string; counts: object }) => ({ counts: p.counts, provider: p.providerCode }))]) {
      const filter = row.provider ? `provider=${row.provider}&` : '';
      const total = async (query: string) => (await request(app).get(`/api/complaints?${filter}${query}`)).body.total;
      expect(row.counts.open).toBe(await total('status=open'));
      expect(row.counts.received).toBe(await total('status=received'));
      expect(row.counts.overdue).toBe(await total('status=open&overdue=true'));
    }
    expect(board.all.open).toBe(board.all.received + board.all.acknowledged + board.all.responded);
    expect((await request(app).get('/api/complaints/dashboard?provider=no%20pe')).status).toBe(400);
  });
});

describe('closure days', () => {
  test('a closure day moves local deadlines (the provider account) but never the statutory acknowledgement', async () => {
    const receivedAt = today();
    const closed = addWorkingDays(receivedAt, 1).due;
    const put = await request(app).put(`/api/closure-days/${closed}`).send({ reason: 'Office move: building closed' });
    expect(put.status).toBe(201);
    try {
      const res = await create({ receivedAt });
      expect(res.status).toBe(201);
      // Reg 2: a working day is any day but a weekend, Christmas Day, Good Friday or a bank holiday.
      expect(res.body.acknowledgeBy).toBe(addWorkingDays(receivedAt, 3).due);
      expect(res.body.deadlines.acknowledgement.basis).toMatchObject({ calendar: 'statutory', rule: expect.stringMatching(/reg 2/) });
      expect(JSON.stringify(res.body.deadlines.acknowledgement.basis.skipped)).not.toContain(closed);
      // Reminded on the morning it is due, escalated the morning after.
      expect(res.body.deadlines.acknowledgement.reminders).toEqual([workingHoursInstant(res.body.acknowledgeBy)]);

      const ref = res.body.reference;
      expect((await request(app).post(`/api/complaints/${ref}/acknowledge`).send({ acknowledgedOn: receivedAt })).status).toBe(200);
      const requested = await request(app).post(`/api/complaints/${ref}/provider-request`).send({ requestedOn: receivedAt, workingDays: 5 });
      expect(requested.status).toBe(200);
      const account = requested.body.deadlines.provider_account;
      expect(account.dueOn).toBe(addWorkingDays(receivedAt, 5, { closures: [closed] }).due);
      expect(account.basis).toMatchObject({ calendar: 'local' });
      expect(JSON.stringify(account.basis.skipped)).toContain(closed);
    } finally {
      expect((await request(app).delete(`/api/closure-days/${closed}`)).status).toBe(204);
    }
  });
});

describe('health, OpenAPI and unreachable dependencies', () => {
  test('healthz, readyz and the OpenAPI document', async () => {
    expect((await request(app).get('/healthz')).status).toBe(200);
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'ok', temporal: 'ok' });
    const doc = await request(app).get('/api/openapi.json');
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/complaints', '/api/complaints/{reference}', '/api/complaints/{reference}/acknowledge']),
    );
  });

  test('503 when Temporal is unreachable, and no record is left behind', async () => {
    const { app: offline, close } = await h.offlineApp();
    const before = await h.models.Complaint.countDocuments();
    const started = Date.now();
    const res = await request(offline).post('/api/complaints').set('Idempotency-Key', `offline-${Date.now()}`).send(body());
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('temporal_unavailable');
    // Within its deadline plus a second, the failed start's clean-up included.
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await h.models.Complaint.countDocuments()).toBe(before);
    expect(await h.models.IdempotencyKey.countDocuments({ _id: /offline/ })).toBe(0);
    expect((await request(offline).get('/readyz')).status).toBe(503);
    await close();
  });

  test('503 when the database is unreachable', async () => {
    const db = await connectDatabase(`mongodb://127.0.0.1:${await freePort()}/down`, { serverSelectionTimeoutMS: 500 }).catch(
      (err: Error) => err,
    );
    expect(db).toBeInstanceOf(Error);
    const unreachable = (await import('mongoose')).default.createConnection(`mongodb://127.0.0.1:${await freePort()}/down`, {
      serverSelectionTimeoutMS: 500,
      bufferCommands: false,
    });
    unreachable.on('error', () => undefined);
    const offline = createApp({ authenticator: testAuthenticator, models: createModels(unreachable), temporal: h.env.client, taskQueue: h.taskQueue, logger });
    const res = await request(offline).get('/api/complaints');
    expect(res.status).toBe(503);
    expect((await request(offline).post('/api/complaints').send(body())).status).toBe(503);
    expect((await request(offline).get('/readyz')).body.checks.database).toBe('unreachable');
    await unreachable.close();
  });
});

describe('the contract', () => {
  test('a wrong method on a known path answers 405 with Allow', async () => {
    const cases = [
      ['delete', '/api/complaints', 'GET, HEAD, POST'],
      ['put', '/api/complaints/CMP-2026-000001', 'GET, HEAD'],
      ['get', '/api/complaints/CMP-2026-000001/acknowledge', 'POST'],
      ['post', '/api/openapi.json', 'GET, HEAD'],
      ['post', '/api/closure-days/2026-12-01', 'DELETE, PUT'],
    ] as const;
    for (const [method, path, allow] of cases) {
      const res = await request(app)[method](path);
      expect([path, res.status, res.headers.allow]).toEqual([path, 405, allow]);
      expect(res.body.error.code).toBe('method_not_allowed');
    }
    expect((await request(app).get('/api/nothing-here')).status).toBe(404);
  });

  test.each([
    ['summary', { summary: 'Discharged \u0000 early' }],
    ['category', { category: 'discharge\u001b[31m' }],
    ['complainant.address', { complainant: { name: 'Alex Example', address: '1 High St\rBexley' } }],
    ['communicationNotes', { communicationNotes: 'needs \u0085 help' }],
  ])('control characters in %s are refused with a 400 naming the field', async (field, overrides) => {
    const res = await create(overrides);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual({ field: `body.${field}`, reason: expect.stringMatching(/control characters/) });
  });

  test('tab and newline are kept in free text', async () => {
    const res = await create({ summary: 'First line\nsecond line\twith a tab' });
    expect(res.status).toBe(201);
    const detail = await request(app).get(`/api/complaints/${res.body.reference}`);
    expect(detail.body.summary).toBe('First line\nsecond line\twith a tab');
  });

  test('a date the calendar cannot count from is a 400, not a 409', async () => {
    const { body: created } = await create();
    const post = (event: string, payload: object) => request(app).post(`/api/complaints/${created.reference}/${event}`).send(payload);
    expect((await post('acknowledge', { acknowledgedOn: today() })).status).toBe(200);
    // Its escalation would fall on the first working day of 2036, a year the calendar does not know.
    const res = await post('extend', { newDueOn: '2035-12-31', reason: 'Complex case', complainantAgreed: true, agreedOn: today() });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/2036|range|supported/i);
  });

  test('every response field that can be null is nullable in the OpenAPI document', async () => {
    const doc = (await request(app).get('/api/openapi.json')).body;
    const schemas = doc.components.schemas;
    const nullable = (name: string) =>
      Object.entries(schemas[name].properties ?? schemas[name].allOf?.[1]?.properties ?? {})
        .filter(([, p]) => (p as { nullable?: boolean }).nullable)
        .map(([key]) => key);
    expect(nullable('ComplaintSummary')).toEqual(expect.arrayContaining(['nextDueOn', 'nextDeadlineKind', 'outcome']));
    expect(nullable('Complaint')).toContain('live');
    // And what the API sends as null is one of those.
    const { body: created } = await create();
    const nulls = Object.entries(created).filter(([, v]) => v === null).map(([k]) => k);
    expect(nullable('ComplaintSummary')).toEqual(expect.arrayContaining(nulls));
  });
});
