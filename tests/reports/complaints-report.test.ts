import { asCaller } from '../helpers/auth';
import { designateResponsiblePerson, SIGNED } from '../helpers/complaint';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { createComplaintActivities } from '../../activities/complaint/activities';
import { complaintIndexKeys } from '../../records/complaint/lists';
import { createApp } from '../../api/app';
import { addIndexKeys } from '../../models/case-index';
import { KO41A_SERVICE_AREAS, KO41A_SUBJECTS } from '../../models/ko41a';
import type { ComplaintState } from '../../contracts/complaint/definitions';
import { caseWorkflowId } from '../../contracts/kernel/case';

/** Every request signed in (see tests/helpers/auth.ts). */
const request = asCaller();

/**
 * The reg 18 annual report for the financial year 2026 (1 April 2026 to 31 March 2027), against
 * a year of cases on both sides of both boundaries: five through the API and their workflows, and
 * groups written as the API and the projection activity write them (including statuses the
 * workflow added later: on hold, resolved informally, transferred). Every expected figure below is
 * counted by hand from the tables in this file.
 */

let h: ApiHarness;
let app: ReturnType<typeof createApp>;

interface Group {
  n: number;
  receivedOn: string;
  source: 'complainant' | 'mp' | 'healthwatch' | 'pals' | 'provider';
  subject?: string;
  serviceArea?: string;
  status: string;
  closedOn?: string;
  outcome?: 'upheld' | 'partly_upheld' | 'not_upheld';
  withdrawnOn?: string;
  referredOn?: string;
  resolvedInformallyOn?: string;
  transferredOn?: string;
  /** Closed as above, then reopened: the closure's key must go with it. */
  reopenedOn?: string;
}

// FY2025 ends 2026-03-31; FY2026 runs 2026-04-01..2027-03-31; FY2027 starts 2027-04-01.
const GROUPS: Record<string, Group> = {
  V1: { n: 40, receivedOn: '2026-03-31', source: 'complainant', subject: 'clinical_treatment', serviceArea: 'acute_inpatient', status: 'closed', closedOn: '2026-04-01', outcome: 'upheld' },
  V2: { n: 30, receivedOn: '2026-04-01', source: 'mp', subject: 'communications', serviceArea: 'maternity', status: 'closed', closedOn: '2027-03-31', outcome: 'partly_upheld' },
  V3: { n: 20, receivedOn: '2027-03-31', source: 'pals', status: 'acknowledged' },
  V4: { n: 25, receivedOn: '2027-04-01', source: 'healthwatch', subject: 'waiting_times', status: 'received' },
  V5: { n: 15, receivedOn: '2025-04-01', source: 'provider', subject: 'appointments', serviceArea: 'community_health', status: 'referred_to_ombudsman', closedOn: '2026-03-31', outcome: 'not_upheld', referredOn: '2026-04-01' },
  V6: { n: 10, receivedOn: '2026-10-01', source: 'complainant', status: 'withdrawn', withdrawnOn: '2027-04-01' },
  V7: { n: 12, receivedOn: '2026-05-05', source: 'complainant', subject: 'communications', status: 'withdrawn', withdrawnOn: '2026-06-01' },
  V8: { n: 8, receivedOn: '2026-07-01', source: 'mp', subject: 'clinical_treatment', serviceArea: 'acute_outpatient', status: 'referred_to_ombudsman', closedOn: '2026-09-01', outcome: 'not_upheld', referredOn: '2027-03-31' },
  V9: { n: 5, receivedOn: '2026-08-01', source: 'provider', subject: 'values_and_behaviours', serviceArea: 'mental_health', status: 'acknowledged', closedOn: '2026-09-01', outcome: 'upheld', reopenedOn: '2026-10-01' },
  // On hold: the report reads no status, only dates, so any status (a new one too) counts the same.
  V10: { n: 6, receivedOn: '2026-06-01', source: 'healthwatch', status: 'on_hold' },
  // Reg 8: oral, resolved by the next working day: outside the regulations, so not received.
  V11: { n: 4, receivedOn: '2026-09-01', source: 'complainant', status: 'resolved_informally', resolvedInformallyOn: '2026-09-02' },
  // Passed to the provider to handle (reg 7), either side of 31 March / 1 April.
  V12: { n: 3, receivedOn: '2027-03-30', source: 'healthwatch', status: 'transferred', transferredOn: '2027-04-01' },
  V13: { n: 2, receivedOn: '2026-04-01', source: 'provider', status: 'transferred', transferredOn: '2026-04-03' },
};

const LESSON = (g: string) => `Lessons from group ${g}`;

beforeAll(async () => {
  h = await createApiHarness('complaints_report');
  await designateResponsiblePerson(h.models);
  app = h.app;
  await Promise.all([throughTheApi(), volume()]);
});

afterAll(async () => {
  await h?.teardown();
});

/** Written as the API writes a new case, then projected by the real activity (once, or twice when reopened). */
async function volume() {
  const project = createComplaintActivities({ models: h.models }).projectComplaint;
  let i = 0;
  for (const [name, g] of Object.entries(GROUPS)) {
    const cases = Array.from({ length: g.n }, () => `CMP-2026-${String(500_000 + i++)}`);
    const records = cases.map((reference) => ({
      _id: reference,
      providerCode: 'RJ2',
      source: g.source,
      receivedOn: g.receivedOn,
      summary: `Complaint in group ${name}`,
      consentToShare: true,
      ...(g.subject && { coding: { subject: g.subject, ...(g.serviceArea && { serviceArea: g.serviceArea }) } }),
      status: 'received',
      acknowledgeBy: g.receivedOn,
      nextDueOn: g.receivedOn,
      indexKeys: complaintIndexKeys({ reference, providerCode: 'RJ2', status: 'received', nextDueOn: g.receivedOn, receivedOn: g.receivedOn }),
      workflowId: caseWorkflowId('complaint', reference),
    }));
    await h.models.Complaint.insertMany(records);
    await addIndexKeys(h.models.CaseIndex, records.flatMap((r) => r.indexKeys));
    for (const reference of cases) {
      const closed = g.closedOn ? { acknowledgedOn: g.receivedOn, respondedOn: g.receivedOn, closedOn: g.closedOn, outcome: g.outcome, lessonsLearned: LESSON(name) } : {};
      const state = (over: Partial<ComplaintState>, status: string): ComplaintState => ({
        reference,
        providerCode: 'RJ2',
        receivedOn: g.receivedOn,
        consentToShare: true,
        deadlines: {},
        extensions: [],
        ...closed,
        ...(g.withdrawnOn && { withdrawnOn: g.withdrawnOn }),
        ...(g.referredOn && { referredOn: g.referredOn }),
        ...(g.resolvedInformallyOn && { resolvedInformallyOn: g.resolvedInformallyOn }),
        ...(g.transferredOn && { transferredOn: g.transferredOn }),
        ...over,
        status: status as ComplaintState['status'],
      });
      await project({ snapshot: { case: state({}, g.reopenedOn ? 'closed' : g.status), meta: { seq: 1, version: 1, fired: [] } } });
      if (g.reopenedOn) {
        const reopened = state({ closedOn: undefined, outcome: undefined, reopenings: [{ reopenedOn: g.reopenedOn, reason: 'new evidence', previousOutcome: g.outcome }] }, g.status);
        await project({ snapshot: { case: reopened, meta: { seq: 2, version: 2, fired: [] } } });
      }
    }
  }
}

/** Five cases through the API and their workflows (A and D received in FY2025, B, C and E in FY2026). */
const api: Record<string, string> = {};
const A_LESSONS = '=SUM(A1) "Retrain", and a checklist\nfor every discharge';

async function throughTheApi() {
  const open = async (name: string, over: Record<string, unknown>) => {
    const res = await request(app)
      .post('/api/complaints')
      .send({ providerCode: 'RJ2', source: 'complainant', summary: `Case ${name}`, consentToShare: true, ...over });
    expect(res.status).toBe(201);
    api[name] = res.body.reference;
  };
  const post = async (name: string, event: string, payload: object) => {
    const res = await request(app).post(`/api/complaints/${api[name]}/${event}`).send(payload);
    expect({ name, event, status: res.status, error: res.body.error }).toEqual({ name, event, status: 200, error: undefined });
  };
  const closeCase = async (name: string, dates: [string, string, string], outcome: string, lessonsLearned: string) => {
    await post(name, 'acknowledge', { acknowledgedOn: dates[0] });
    await post(name, 'respond', { respondedOn: dates[1], ...SIGNED });
    await post(name, 'close', { closedOn: dates[2], outcome, lessonsLearned });
  };
  await open('A', { receivedAt: '2026-03-31', coding: { aspects: [{ subject: 'clinical_treatment', serviceArea: 'accident_and_emergency' }] } });
  await open('B', {
    receivedAt: '2026-04-01',
    source: 'mp',
    madeBy: 'representative',
    patient: { name: 'Pat Constituent' },
    representative: { basis: 'mp_on_behalf', patientConsentOn: '2026-03-30' },
  });
  await open('C', { receivedAt: '2026-04-01', source: 'pals' });
  await open('D', { receivedAt: '2025-05-01', source: 'healthwatch', coding: { aspects: [{ subject: 'appointments', serviceArea: 'community_health' }] } });
  await open('E', { receivedAt: '2026-06-01' });
  await closeCase('A', ['2026-04-01', '2026-04-10', '2026-04-15'], 'upheld', A_LESSONS);
  await closeCase('B', ['2026-04-02', '2026-04-20', '2026-05-01'], 'partly_upheld', 'Letters in easy read');
  // Coded after closure: a record field, read by the report as it now stands.
  expect((await request(app).put(`/api/complaints/${api.B}/coding`).send({ aspects: [{ subject: 'communications', serviceArea: 'acute_inpatient' }] })).status).toBe(200);
  await post('C', 'withdraw', { withdrawnOn: '2026-04-20', reason: 'Resolved with the ward' });
  await closeCase('D', ['2025-05-02', '2025-06-01', '2026-03-31'], 'not_upheld', 'None');
  await post('D', 'ombudsman-referral', { referredOn: '2026-04-02' });
}

const zeroed = (slugs: string[]) => Object.fromEntries(slugs.map((s) => [s, 0]));
/** Every KO41a subject at 0 and uncoded, but for the counts given. */
const SUBJECTS = (counts: Record<string, number>) => ({ ...zeroed(KO41A_SUBJECTS.map((c) => c.slug)), uncoded: 0, ...counts });
const areaSlugs = KO41A_SERVICE_AREAS.map((c) => c.slug);

describe('GET /api/reports/complaints?year=2026', () => {
  test('every figure is the hand count', async () => {
    const res = await request(app).get('/api/reports/complaints').query({ year: 2026 });
    expect(res.status).toBe(200);
    const { lessons, ...figures } = res.body;
    expect(figures).toEqual({
      year: 2026,
      from: '2026-04-01',
      to: '2027-03-31',
      // V2 30 + V3 20 + V6 10 + V7 12 + V8 8 + V9 5 + V10 6 + V12 3 + V13 2 + B + C + E
      received: {
        total: 99,
        bySource: { complainant: 23, mp: 39, healthwatch: 9, pals: 21, provider: 7 },
        bySubject: SUBJECTS({ communications: 43, clinical_treatment: 8, values_and_behaviours: 5, uncoded: 43 }),
      },
      resolvedInformally: 4, // V11
      // Upheld: V1 40 + A; partly: V2 30 + B; V9 was reopened, so it is no decision.
      wellFounded: { total: 72, upheld: 41, partlyUpheld: 31 },
      notUpheld: 8, // V8 (V5 and D closed on 2026-03-31, the year before)
      withdrawn: 13, // V7 12 + C (V6 withdrew on 2027-04-01, the year after)
      referredToOmbudsman: 24, // V5 15 + V8 8 + D
      transferred: 2, // V13 (V12 on 2027-04-01, the year after)
      themes: {
        bySubject: SUBJECTS({ clinical_treatment: 41, communications: 31 }),
        byServiceArea: { ...zeroed(areaSlugs), uncoded: 0, acute_inpatient: 41, maternity: 30, accident_and_emergency: 1 },
      },
    });
    // Every closure of the year, by date: V1 ×40, A, B, V8 ×8, V2 ×30.
    expect(lessons).toHaveLength(80);
    expect(lessons.map((l: { closedOn: string }) => l.closedOn)).toEqual([
      ...Array(40).fill('2026-04-01'),
      '2026-04-15',
      '2026-05-01',
      ...Array(8).fill('2026-09-01'),
      ...Array(30).fill('2027-03-31'),
    ]);
    expect(lessons[40]).toEqual({ reference: api.A, closedOn: '2026-04-15', outcome: 'upheld', lessonsLearned: A_LESSONS });
    expect(lessons[41]).toEqual({ reference: api.B, closedOn: '2026-05-01', outcome: 'partly_upheld', lessonsLearned: 'Letters in easy read' });
    expect(lessons[42]).toMatchObject({ outcome: 'not_upheld', lessonsLearned: LESSON('V8') });
  });

  test('the projection moved each case\'s report keys with it: a reopened case lost its closure key', async () => {
    const keys = async (prefix: string) => (await h.models.CaseIndex.find({ _id: { $gte: prefix, $lt: `${prefix}~` } }, { _id: 1 }).lean()).map((k) => k._id);
    // Closures: V1 40, V2 30, V5 15, V8 8, and A, B, D; none of V9's 5.
    expect(await keys('complaint|cls|')).toHaveLength(96);
    expect(await keys('complaint|cls|2026-09-01|')).toHaveLength(8);
    expect(await keys('complaint|rcv|')).toHaveLength(180 + 5);
    expect(await keys('complaint|trf|')).toHaveLength(5);
    // The first of V9 (volume numbers run in the order of GROUPS from 500000).
    const v9 = await h.models.Complaint.findById('CMP-2026-500160', { indexKeys: 1, status: 1, summary: 1 }).lean();
    expect(v9?.summary).toBe('Complaint in group V9');
    expect(v9?.status).toBe('acknowledged');
    expect(v9?.indexKeys?.filter((k) => k.startsWith('complaint|cls|'))).toEqual([]);
    expect(await keys('complaint|rcv|2026-04-01|')).toEqual(expect.arrayContaining([`complaint|rcv|2026-04-01|${api.C}`, `complaint|rcv|2026-04-01|${api.B}`]));
    expect(await keys('complaint|wdr|')).toEqual(expect.arrayContaining([`complaint|wdr|2026-04-20|${api.C}`]));
    expect(await keys('complaint|omb|')).toEqual(expect.arrayContaining([`complaint|omb|2026-04-02|${api.D}`]));
  });

  test('the years either side take what this one left', async () => {
    const fy2025 = (await request(app).get('/api/reports/complaints').query({ year: 2025 })).body;
    // V1 40 + V5 15 + A + D; V5 and D closed not upheld on 2026-03-31.
    expect(fy2025.received.total).toBe(57);
    expect(fy2025.received.bySource).toEqual({ complainant: 41, mp: 0, healthwatch: 1, pals: 0, provider: 15 });
    expect([fy2025.wellFounded.total, fy2025.notUpheld, fy2025.withdrawn, fy2025.referredToOmbudsman]).toEqual([0, 16, 0, 0]);
    const fy2027 = (await request(app).get('/api/reports/complaints').query({ year: 2027 })).body;
    expect([fy2027.received.total, fy2027.received.bySubject.waiting_times, fy2027.withdrawn, fy2027.transferred, fy2027.lessons.length]).toEqual([25, 25, 10, 3, 0]);
  });

  test('as CSV with Accept: text/csv: the same figures, quoted by csv-stringify, formulas made inert', async () => {
    const res = await request(app).get('/api/reports/complaints?year=2026').set('Accept', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename=complaints-2026-27.csv');
    const csv = res.text;
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('section,item,value,closedOn,outcome,lessonsLearned');
    for (const row of [
      'period,from,2026-04-01,,,',
      'received,total,99,,,',
      'resolvedInformally,total,4,,,',
      'transferred,total,2,,,',
      'received.bySource,mp,39,,,',
      'received.bySubject,uncoded,43,,,',
      'wellFounded,total,72,,,',
      'wellFounded,upheld,41,,,',
      'wellFounded,partlyUpheld,31,,,',
      'notUpheld,total,8,,,',
      'withdrawn,total,13,,,',
      'referredToOmbudsman,total,24,,,',
      'themes.bySubject,clinical_treatment,41,,,',
      'themes.byServiceArea,maternity,30,,,',
      `lessons,${api.B},,2026-05-01,partly_upheld,Letters in easy read`,
    ]) {
      expect(lines).toContain(row);
    }
    // Quotes doubled, the comma and the line break kept inside one quoted field, and the formula inert.
    expect(csv).toContain(`lessons,${api.A},,2026-04-15,upheld,"'=SUM(A1) ""Retrain"", and a checklist\nfor every discharge"`);
    expect(lines.filter((l) => l.startsWith('lessons,'))).toHaveLength(80);
  });

  test('400 for a missing or malformed year; 406 for a format it does not make', async () => {
    for (const query of ['', '?year=abc', '?year=1999', '?year=2026&provider=RJ2']) {
      const res = await request(app).get(`/api/reports/complaints${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.error.details[0].field).toMatch(/^query/);
    }
    const xml = await request(app).get('/api/reports/complaints?year=2026').set('Accept', 'application/xml');
    expect(xml.status).toBe(406);
    const doc = (await request(app).get('/api/openapi.json')).body;
    expect(Object.keys(doc.paths['/api/reports/complaints'].get.responses[200].content)).toEqual(['application/json', 'text/csv']);
  });
});
