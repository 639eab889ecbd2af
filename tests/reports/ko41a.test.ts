import ExcelJS from 'exceljs';
import { createComplaintActivities } from '../../activities/complaint/activities';
import { addIndexKeys } from '../../models/case-index';
import { KO41A_LISTS } from '../../models/ko41a';
import { complaintIndexKeys } from '../../records/complaint/lists';
import type { ComplaintState } from '../../contracts/complaint/definitions';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { asCaller, tokenFor } from '../helpers/auth';

/**
 * The KO41a return for the financial year 2026 (1 April 2026 to 31 March 2027), over groups of
 * cases either side of 31 March / 1 April at both ends, written as the API writes a new case and
 * projected by the real activity (so the case index holds what it holds in production). Every
 * expected figure is counted by hand from the table below.
 */

const request = asCaller();
let h: ApiHarness;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Coding = Record<string, unknown>;
interface Group {
  n: number;
  receivedOn: string;
  status: ComplaintState['status'];
  closedOn?: string;
  outcome?: 'upheld' | 'partly_upheld' | 'not_upheld';
  state?: Partial<ComplaintState>;
  coding?: Coding;
}

const aspect = (subject: string, serviceArea?: string, profession?: string, outcome?: string) => ({ subject, ...(serviceArea && { serviceArea }), ...(profession && { profession }), ...(outcome && { outcome }) });

// FY2025 ends 2026-03-31; FY2026 runs 2026-04-01..2027-03-31; FY2027 starts 2027-04-01.
const GROUPS: Record<string, Group> = {
  // Open on 1 April 2026, closed that day: brought forward, resolved upheld.
  K1: { n: 3, receivedOn: '2026-03-31', status: 'closed', closedOn: '2026-04-01', outcome: 'upheld', coding: { aspects: [aspect('prescribing', undefined, undefined, 'upheld')] } },
  // New on the year's first day, resolved on its last, partly upheld: two aspects each.
  K2: {
    n: 4,
    receivedOn: '2026-04-01',
    status: 'closed',
    closedOn: '2027-03-31',
    outcome: 'partly_upheld',
    coding: {
      aspects: [aspect('communications', 'maternity', 'nursing_midwifery_health_visiting', 'upheld'), aspect('clinical_treatment', 'maternity', 'medical', 'not_upheld')],
      complainantStatus: 'patient',
      ageBand: '18_to_64',
    },
  },
  // New on the year's last day, still open: carried forward. Coded before aspects (one subject, no profession).
  K3: { n: 2, receivedOn: '2027-03-31', status: 'acknowledged', coding: { subject: 'waiting_times', serviceArea: 'acute_outpatient', complainantStatus: 'relative_or_carer' } },
  // Received the day after the year: in no figure.
  K4: { n: 5, receivedOn: '2027-04-01', status: 'received', coding: { aspects: [aspect('other')] } },
  // Received and closed before the year: in no figure.
  K5: { n: 1, receivedOn: '2026-03-30', status: 'closed', closedOn: '2026-03-31', outcome: 'not_upheld' },
  // Open since before the year, still open: brought and carried forward.
  K6: { n: 2, receivedOn: '2025-12-01', status: 'acknowledged' },
  // New, then withdrawn in the year: closed without an outcome.
  K7: { n: 3, receivedOn: '2026-05-05', status: 'withdrawn', state: { withdrawnOn: '2026-06-01' }, coding: { aspects: [aspect('appointments')], complainantStatus: 'mp', ageBand: '65_and_over' } },
  // Brought forward, withdrawn on the year's second day.
  K8: { n: 2, receivedOn: '2026-01-10', status: 'withdrawn', state: { withdrawnOn: '2026-04-02' } },
  // Sent on to another body (reg 6(6)): that body returns it.
  K9: { n: 2, receivedOn: '2026-07-01', status: 'transferred', state: { transferredOn: '2026-07-03' } },
  // Reg 8: oral, resolved by the next working day: not a written complaint.
  K10: { n: 1, receivedOn: '2026-09-01', status: 'resolved_informally', state: { resolvedInformallyOn: '2026-09-02' } },
  // Reg 12: not investigated, decided in the year; never coded.
  K11: { n: 2, receivedOn: '2027-01-05', status: 'not_investigated', state: { timeLimit: { decision: 'not_investigate', decidedOn: '2027-01-06', reason: 'late' } } },
  // Reg 5: the representative found not suitable the day after the year: carried forward.
  K12: {
    n: 1,
    receivedOn: '2027-02-01',
    status: 'representative_not_suitable',
    state: { representative: { acting: 'child', suitable: false, decidedOn: '2027-04-01', reasons: 'no grounds', notifiedOn: '2027-04-01' } },
    coding: { aspects: [aspect('values_and_behaviours', 'mental_health', 'medical')], complainantStatus: 'representative', ageBand: 'under_18' },
  },
  // New, closed the day after the year: carried forward.
  K13: {
    n: 2,
    receivedOn: '2026-11-01',
    status: 'closed',
    closedOn: '2027-04-01',
    outcome: 'upheld',
    coding: { aspects: [aspect('communications', 'acute_inpatient', 'medical'), aspect('communications', 'acute_inpatient', 'admin_estates_support')], complainantStatus: 'patient', ageBand: '65_and_over' },
  },
  // Brought forward, closed the year after: brought and carried forward.
  K14: { n: 1, receivedOn: '2026-02-01', status: 'closed', closedOn: '2027-05-01', outcome: 'not_upheld' },
};

const references: Record<string, string[]> = {};

beforeAll(async () => {
  h = await createApiHarness('ko41a_return', { app: { organisation: { code: 'QKK', name: 'NHS South East London ICB' } } });
  const project = createComplaintActivities({ models: h.models }).projectComplaint;
  let i = 0;
  for (const [name, g] of Object.entries(GROUPS)) {
    references[name] = Array.from({ length: g.n }, () => `CMP-2026-${String(700_000 + i++)}`);
    const records = references[name].map((reference) => ({
      _id: reference,
      providerCode: 'RJ2',
      source: 'complainant',
      receivedOn: g.receivedOn,
      summary: `Complaint in group ${name}`,
      consentToShare: true,
      ...(g.coding && { coding: g.coding }),
      status: 'received',
      acknowledgeBy: g.receivedOn,
      indexKeys: complaintIndexKeys({ reference, providerCode: 'RJ2', status: 'received', receivedOn: g.receivedOn }),
      workflowId: caseWorkflowId('complaint', reference),
    }));
    await h.models.Complaint.insertMany(records);
    await addIndexKeys(h.models.CaseIndex, records.flatMap((r) => r.indexKeys));
    for (const reference of references[name]) {
      const closed = g.closedOn ? { acknowledgedOn: g.receivedOn, respondedOn: g.receivedOn, closedOn: g.closedOn, outcome: g.outcome, lessonsLearned: 'x' } : {};
      const state: ComplaintState = { reference, providerCode: 'RJ2', receivedOn: g.receivedOn, consentToShare: true, deadlines: {}, extensions: [], ...closed, ...g.state, status: g.status };
      await project({ snapshot: { case: state, meta: { seq: 1, version: 1, fired: [] } } });
    }
  }
});

afterAll(async () => {
  await h?.teardown();
});

/** A section with every item of its list at 0 and not_coded, but for the counts given. */
const section = (field: keyof typeof KO41A_LISTS, counts: Record<string, number>) => ({ ...Object.fromEntries(KO41A_LISTS[field].map((c) => [c.slug, 0])), not_coded: 0, ...counts });

describe('GET /api/reports/ko41a?year=2026', () => {
  test('every figure is the hand count', async () => {
    const res = await request(h.app).get('/api/reports/ko41a').query({ year: 2026 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      collection: 'KO41a',
      year: 2026,
      period: '2026/27',
      from: '2026-04-01',
      to: '2027-03-31',
      organisation: { code: 'QKK', name: 'NHS South East London ICB' },
      summary: {
        broughtForward: 8, // K1 3 + K6 2 + K8 2 + K14 1
        received: 14, // K2 4 + K3 2 + K7 3 + K11 2 + K12 1 + K13 2 (K9 sent on, K10 oral resolved, K4 the year after)
        resolved: { upheld: 3, partlyUpheld: 4, notUpheld: 0, total: 7 }, // K1 upheld, K2 partly (K13, K14 the year after; K5 the year before)
        closedWithoutOutcome: 7, // K7 3 + K8 2 + K11 2 (K12 the year after)
        carriedForward: 8, // K3 2 + K6 2 + K12 1 + K13 2 + K14 1 = 8 + 14 - 7 - 7
      },
      age: section('ageBand', { '18_to_64': 4, unknown: 4, '65_and_over': 5, under_18: 1 }), // K2; K3 + K11; K7 + K13; K12
      complainantStatus: section('complainantStatus', { patient: 6, relative_or_carer: 2, mp: 3, representative: 1, not_coded: 2 }),
      // Each aspect: K2 two each, K13 two each, the others one, K11 one uncoded apiece.
      subject: section('subject', { communications: 8, clinical_treatment: 4, waiting_times: 2, appointments: 3, values_and_behaviours: 1, not_coded: 2 }),
      serviceArea: section('serviceArea', { maternity: 8, acute_outpatient: 2, mental_health: 1, acute_inpatient: 4, not_coded: 5 }),
      profession: section('profession', { nursing_midwifery_health_visiting: 4, medical: 7, admin_estates_support: 2, not_coded: 7 }),
      outcomesBySubject: {
        prescribing: { upheld: 3, partly_upheld: 0, not_upheld: 0, not_recorded: 0 },
        communications: { upheld: 4, partly_upheld: 0, not_upheld: 0, not_recorded: 0 },
        clinical_treatment: { upheld: 0, partly_upheld: 0, not_upheld: 4, not_recorded: 0 },
      },
      uncoded: references.K11,
      checks: ['2 new complaints have no complainant status', '5 aspects of new complaints have no service area', '2 aspects of new complaints have no subject', '7 aspects of new complaints have no profession'],
    });
  });

  test("the year before carries forward what this year brings forward", async () => {
    const res = await request(h.app).get('/api/reports/ko41a').query({ year: 2025 });
    // K1 3 (closed 1 April) + K6 2 + K8 2 (withdrawn 2 April) + K14 1.
    expect(res.body.summary.carriedForward).toBe(8);
    // K1 3, K5 1, K6 2, K8 2 and K14 1 received in it; K5 resolved in it: 0 + 9 - 1 - 0 = 8.
    expect(res.body.summary).toMatchObject({ broughtForward: 0, received: 9, resolved: { notUpheld: 1, total: 1 }, closedWithoutOutcome: 0 });
  });

  test('as CSV: a row a figure, in the form’s order', async () => {
    const res = await request(h.app).get('/api/reports/ko41a').query({ year: 2026 }).set('Accept', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?ko41a-2026-27\.csv"?$/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe('section,item,label,value');
    expect(lines).toEqual(
      expect.arrayContaining([
        '1 Organisation,code,Organisation code,QKK',
        '2 Summary,brought_forward,Total brought forward,8',
        '2 Summary,new,Total new complaints,14',
        '2 Summary,partly_upheld,Number partially upheld,4',
        '2 Summary,carried_forward,Total carried forward,8',
        '3 Age of patient,unknown,Not known,4',
        '7 Subject area,communications,Communications,8',
        '8 Profession,not_coded,Not coded yet,7',
      ]),
    );
    const sections = [...new Set(lines.slice(1).map((l) => l.split(',')[0]))];
    expect(sections).toEqual(['1 Organisation', '2 Summary', '3 Age of patient', '4 Status of complainant', '5 Service area', '7 Subject area', '8 Profession']);
  });

  test('as a workbook laid out by the form’s sections, with what to check before upload', async () => {
    const res = await request(h.app)
      .get('/api/reports/ko41a')
      .query({ year: 2026 })
      .set('Accept', XLSX)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['KO41a', 'Outcomes by subject', 'Checks']);
    const form = book.getWorksheet('KO41a')!;
    const value = (item: string) => {
      let found: unknown;
      form.eachRow((row) => {
        if (row.getCell(2).value === item && found === undefined) found = row.getCell(4).value;
      });
      return found;
    };
    expect([value('brought_forward'), value('new'), value('upheld'), value('partly_upheld'), value('resolved'), value('carried_forward')]).toEqual([8, 14, 3, 4, 7, 8]);
    expect(value('maternity')).toBe(8);
    const checks: unknown[] = [];
    book.getWorksheet('Checks')!.eachRow((row) => checks.push(row.getCell(1).value));
    expect(checks).toContain('7 aspects of new complaints have no profession');
    expect(checks).toContain(`${references.K11[0]}: no aspect coded`);
  });

  test('400 for a bad year, 406 for a type it does not make, and only for those who read reports', async () => {
    expect((await request(h.app).get('/api/reports/ko41a').query({ year: 'last' })).status).toBe(400);
    expect((await request(h.app).get('/api/reports/ko41a').query({ year: 2026 }).set('Accept', 'application/pdf')).status).toBe(406);
    const chair = await tokenFor({ id: 'chair-1', name: 'Chair', roles: ['cqrg_chair'] });
    expect((await request(h.app).get('/api/reports/ko41a').query({ year: 2026 }).set('Authorization', `Bearer ${chair}`)).status).toBe(403);
  });
});
