import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import supertest from 'supertest';
import { asCaller, tokenFor, type Caller } from '../helpers/auth';
import { financialYearOf } from '../../api/reports/period';
import { SESSION_COOKIE } from '../../web/session';
import { createApp } from '../../api/app';
import { addCalendarDays, addCalendarMonths, londonDate } from '../../lib/calendar';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { eventually } from '../helpers/harness';
import { decodedPayloadText } from '../helpers/history';

/** Every request signed in (see tests/helpers/auth.ts). */
const CALLER: Caller = { id: 'cm-3', name: 'Pat Commissioner', roles: ['commissioner', 'quality_team', 'administrator', 'auditor'] };
const request = asCaller(CALLER);
/** A page as a signed-in browser asks for it. */
const page = async (path: string) => supertest(app).get(path).set('Cookie', `${SESSION_COOKIE}=${await tokenFor(CALLER)}`);

/** The reviews' API against real servers: FerretDB, the Temporal dev server and a worker. */

let h: ApiHarness;
let app: ReturnType<typeof createApp>;
const today = () => londonDate(Date.now());
const actor = { id: 'cm-3', name: 'Pat Commissioner', role: 'commissioner' };
const stamp = Date.now().toString(36);
const reviewWorkflowId = (reference: string) => caseWorkflowId('review', reference);

beforeAll(async () => void ({ app } = h = await createApiHarness('review_api', { seed: false })));
afterAll(() => h?.teardown());

const body = (overrides: Record<string, unknown> = {}) => ({
  serviceName: 'Community diabetes clinic, Bexley',
  whatChanged: 'Clinics moved from the acute site to three GP hubs',
  goLiveOn: today(),
  owner: { id: `jo-${stamp}`, name: 'Jo Bloggs', email: 'jo.bloggs@nhs.example', lineManager: { name: 'Sam Lead', email: 'sam.lead@nhs.example' } },
  assessments: {
    equalityImpact: { completed: true, link: 'https://docs.example/eia' },
    qualityImpact: { completed: true, link: 'https://docs.example/qia' },
    engagementLog: { completed: false },
  },
  patientEngagement: 'Three listening events with Healthwatch and a survey of 240 patients',
  ...overrides,
});

const schedule = (overrides: Record<string, unknown> = {}) => request(app).post('/api/reviews').send(body(overrides));

const recorded = {
  reviewedOn: today(),
  effects: { access: 'Waits down from 9 to 4 weeks', outcomes: 'HbA1c checks up 12%', experience: 'FFT positive up from 82% to 91%' },
  youSaidWeDid: [
    { youSaid: 'Clinics are too far away', weDid: 'Three GP hubs, one on each bus route' },
    { youSaid: 'We need "evening" appointments, please', weDid: '=Two evening clinics, a week' },
  ],
};

describe('POST /api/reviews', () => {
  test('schedules a review: 201 with a PIR reference, the due date six months after go-live, a running workflow; no names in its history', async () => {
    const goLiveOn = '2026-08-31';
    const res = await schedule({ goLiveOn });
    expect(res.status).toBe(201);
    expect(res.body.reference).toMatch(/^PIR-\d{4}-\d{6}$/);
    expect(res.headers.location).toBe(`/api/reviews/${res.body.reference}`);
    expect(res.body).toMatchObject({ status: 'scheduled', goLiveOn, scheduledOn: today(), dueOn: '2027-02-28', owner: { id: `jo-${stamp}`, name: 'Jo Bloggs' } });
    const handle = h.env.client.workflow.getHandle(reviewWorkflowId(res.body.reference));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const detail = await eventually(async () => {
      const d = await request(app).get(`/api/reviews/${res.body.reference}`);
      expect(d.body.timeline.map((e: { type: string }) => e.type)).toContain('scheduled');
      return d;
    });
    expect(detail.body.live).toMatchObject({ status: 'scheduled', ownerId: `jo-${stamp}` });
    expect(detail.body.deadlines.review).toMatchObject({ dueOn: '2027-02-28', basis: { calendarMonths: 6, start: goLiveOn } });
    expect(detail.body.assessments.equalityImpact).toEqual({ completed: true, link: 'https://docs.example/eia' });
    expect(detail.body.timeline[0].actor).toEqual(actor);
    // The owner's name and email, the service and what changed stay in MongoDB.
    const history = await decodedPayloadText(handle);
    expect(history).toContain(res.body.reference);
    for (const secret of ['Jo Bloggs', 'jo.bloggs@nhs.example', 'Sam Lead', 'diabetes', 'GP hubs']) {
      expect(history).not.toContain(secret);
      expect(history).not.toContain(Buffer.from(secret).toString('base64').slice(0, 8));
    }
  });

  test('the same Idempotency-Key answers the same review and starts no second workflow; with another body it is a 422', async () => {
    const key = `review-${stamp}-1`;
    const before = await h.models.Review.countDocuments();
    const first = await schedule().set('Idempotency-Key', key);
    const second = await schedule().set('Idempotency-Key', key);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.reference).toBe(first.body.reference);
    expect(await h.models.Review.countDocuments()).toBe(before + 1);
    expect((await schedule({ serviceName: 'Another' }).set('Idempotency-Key', key)).status).toBe(422);
  });

  test('400 names each bad field and why, and writes nothing', async () => {
    const before = await h.models.Review.countDocuments();
    const res = await schedule({ owner: { id: 'Jo Bloggs', name: '' }, goLiveOn: '2026-02-30', assessments: { equalityImpact: { completed: true } } });
    expect(res.status).toBe(400);
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.owner.id', 'body.owner.name', 'body.goLiveOn', 'body.assessments.qualityImpact']));
    expect(res.body.error.details.find((d: { field: string }) => d.field === 'body.goLiveOn').reason).toMatch(/real date/);
    expect(await h.models.Review.countDocuments()).toBe(before);
  });
});

describe('events', () => {
  test('record: 400 without a "you said, we did" pair, then 200 completed; any event after is a 409', async () => {
    const { reference } = (await schedule()).body;
    const empty = await request(app).post(`/api/reviews/${reference}/record`).send({ ...recorded, youSaidWeDid: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details).toEqual([{ field: 'body.youSaidWeDid', reason: 'a review is complete only with at least one "you said, we did" pair' }]);
    const before = await request(app).post(`/api/reviews/${reference}/record`).send({ ...recorded, reviewedOn: addCalendarDays(today(), -1) });
    expect(before.status).toBe(409);
    expect(before.body.error.message).toMatch(/cannot be before go-live/);

    const res = await request(app).post(`/api/reviews/${reference}/record`).set('Idempotency-Key', `record-${stamp}`).send(recorded);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', reviewedOn: today(), effects: recorded.effects, youSaidWeDid: recorded.youSaidWeDid });
    expect(res.body.timeline.at(-1)).toMatchObject({ type: 'review_recorded' });
    // The same request again answers the first attempt's result.
    const again = await request(app).post(`/api/reviews/${reference}/record`).set('Idempotency-Key', `record-${stamp}`).send(recorded);
    expect(again.status).toBe(200);
    const late = await request(app).post(`/api/reviews/${reference}/cancel`).send({ cancelledOn: today(), reason: 'x' });
    expect(late.status).toBe(409);
  });

  test('reschedule: a new date with a reason; one the state refuses is a 409; cancel ends it', async () => {
    const { reference, dueOn } = (await schedule()).body;
    const dueNew = addCalendarDays(dueOn, 30);
    const moved = await request(app).post(`/api/reviews/${reference}/reschedule`).send({ rescheduledOn: today(), reason: 'Phase two went live late', dueOn: dueNew });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'scheduled', dueOn: dueNew });
    expect(moved.body.live.reschedulings).toEqual([{ rescheduledOn: today(), previousDueOn: dueOn, dueOn: dueNew, reason: 'Phase two went live late' }]);
    const same = await request(app).post(`/api/reviews/${reference}/reschedule`).send({ rescheduledOn: today(), reason: 'again', dueOn: dueNew });
    expect(same.status).toBe(409);
    const neither = await request(app).post(`/api/reviews/${reference}/reschedule`).send({ rescheduledOn: today(), reason: 'x' });
    expect(neither.status).toBe(400);
    expect(neither.body.error.details[0].field).toBe('body.dueOn');
    const cancelled = await request(app).post(`/api/reviews/${reference}/cancel`).send({ cancelledOn: today(), reason: 'Service decommissioned' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    await eventually(async () => expect((await h.env.client.workflow.getHandle(reviewWorkflowId(reference)).describe()).status.name).toBe('COMPLETED'));
    expect((await request(app).post(`/api/reviews/${reference}/record`).send(recorded)).status).toBe(409);
  });

  test('404 for an unknown review, 400 for a malformed reference, 405 for a wrong method', async () => {
    expect((await request(app).get('/api/reviews/PIR-2026-999999')).status).toBe(404);
    expect((await request(app).post('/api/reviews/PIR-2026-999999/cancel').send({ cancelledOn: today(), reason: 'x' })).status).toBe(404);
    expect((await request(app).get('/api/reviews/CMP-2026-000001')).status).toBe(400);
    const wrong = await request(app).delete('/api/reviews/calendar.ics');
    expect(wrong.status).toBe(405);
  });
});

describe('lists, calendar feed and the engagement report', () => {
  const owner = `kim-${stamp}`;
  const refs: Record<string, string> = {};

  beforeAll(async () => {
    const other = { id: `lee-${stamp}`, name: 'Lee Other' };
    const as = (id: string, name: string) => ({ id, name });
    const go = (dueInDays: number) => addCalendarMonths(addCalendarDays(today(), dueInDays), -6);
    const make = async (name: string, goLiveOn: string, who = as(owner, 'Kim Owner')) => {
      const res = await schedule({ goLiveOn, owner: who, serviceName: `Service ${name}` });
      expect(res.status).toBe(201);
      refs[name] = res.body.reference;
    };
    await make('soon', go(10));
    await make('later', go(60));
    await make('late', go(-20)); // scheduled late: already past its due date
    await make('done', today());
    await make('others', go(10), other);
    const res = await request(app).post(`/api/reviews/${refs.done}/record`).send(recorded);
    expect(res.status).toBe(200);
  });

  const refsOf = (res: { body: { items: { reference: string }[] } }) => res.body.items.map((i: { reference: string }) => i.reference);

  test("an owner's reviews, by due date; due in a window; overdue; completed", async () => {
    const all = await request(app).get('/api/reviews').query({ owner });
    expect(all.status).toBe(200);
    expect(refsOf(all)).toEqual([refs.late, refs.soon, refs.later, refs.done]);
    expect(all.body.total).toBe(4);
    expect(refsOf(await request(app).get('/api/reviews').query({ owner, due: '30d' }))).toEqual([refs.soon]);
    expect(refsOf(await request(app).get('/api/reviews').query({ owner, due: '9w' }))).toEqual([refs.soon, refs.later]);
    const overdue = await request(app).get('/api/reviews').query({ owner, overdue: 'true' });
    expect(refsOf(overdue)).toEqual([refs.late]);
    // Overdue by its date at once; its status follows when the escalation goes out, in working hours.
    expect(overdue.body.items[0].overdue).toBe(true);
    expect(['scheduled', 'due', 'overdue']).toContain(overdue.body.items[0].status);
    expect(refsOf(await request(app).get('/api/reviews').query({ owner, status: 'completed' }))).toEqual([refs.done]);
    // Everyone's due window holds the other owner's review too.
    expect(refsOf(await request(app).get('/api/reviews').query({ due: '30d' }))).toEqual(expect.arrayContaining([refs.soon, refs.others]));
    expect((await request(app).get('/api/reviews').query({ due: 'soon' })).status).toBe(400);
  });

  test("the owner's calendar feed holds their open reviews, one all-day event on each due date", async () => {
    const res = await request(app).get('/api/reviews/calendar.ics').query({ owner });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    const ics = res.text;
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    for (const name of ['soon', 'later', 'late']) expect(ics).toContain(`UID:${refs[name]}@oversight`);
    expect(ics).not.toContain(refs.done);
    expect(ics).not.toContain(refs.others);
    const soon = (await h.models.Review.findById(refs.soon).lean())!;
    expect(ics).toContain(`DTSTART;VALUE=DATE:${soon.dueOn.replace(/-/g, '')}`);
    expect((await request(app).get('/api/reviews/calendar.ics')).status).toBe(400);
  });

  test('the engagement report: the year\'s completed reviews with their pairs, as JSON and as CSV', async () => {
    const year = financialYearOf(today());
    const json = await request(app).get('/api/reports/engagement').query({ year });
    expect(json.status).toBe(200);
    const mine = json.body.reviews.find((r: { reference: string }) => r.reference === refs.done);
    expect(mine).toMatchObject({ serviceName: 'Service done', reviewedOn: today(), owner: 'Kim Owner', youSaidWeDid: recorded.youSaidWeDid });
    expect(json.body.reviews.map((r: { reference: string }) => r.reference)).not.toContain(refs.soon);
    expect((await request(app).get('/api/reports/engagement').query({ year: year - 1 })).body.reviews.map((r: { reference: string }) => r.reference)).not.toContain(refs.done);

    const csv = await request(app).get('/api/reports/engagement').query({ year }).set('Accept', 'text/csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toMatch(/^reference,service,go_live,reviewed_on,owner,access,outcomes,experience,you_said,we_did(,|$)/);
    const rows = lines.filter((l) => l.startsWith(refs.done));
    expect(rows).toHaveLength(2);
    // Quotes doubled, commas quoted, a formula defused.
    expect(rows[1]).toContain('"We need ""evening"" appointments, please","\'=Two evening clinics, a week"');
    expect((await request(app).get('/api/reports/engagement').query({ year }).set('Accept', 'application/pdf')).status).toBe(406);
    expect((await request(app).get('/api/reports/engagement').query({ year: 'last' })).status).toBe(400);
  });
});

describe('the engagement report runs April to March, with a mid-year review', () => {
  const owner = `fy-${stamp}`;
  const refs: Record<string, string> = {};

  beforeAll(async () => {
    // Recorded in the last quarter of 2025/26, the first half of 2026/27 and its second half.
    for (const [name, reviewedOn] of [['february', '2026-02-16'], ['may', '2026-05-20'], ['november', '2026-11-02']] as const) {
      const res = await schedule({ goLiveOn: '2025-08-01', owner: { id: owner, name: 'Fran Year' }, serviceName: `Service ${name} ${stamp}` });
      expect(res.status).toBe(201);
      refs[name] = res.body.reference;
      expect((await request(app).post(`/api/reviews/${refs[name]}/record`).send({ ...recorded, reviewedOn })).status).toBe(200);
    }
  });

  const mine = (body: { reviews: { reference: string }[] }) => body.reviews.map((r) => r.reference).filter((r) => Object.values(refs).includes(r));

  test('?year=2026 is the financial year 1 April 2026 to 31 March 2027, as the complaints report counts it; ?half=1 its first half', async () => {
    const year = await request(app).get('/api/reports/engagement').query({ year: 2026 });
    expect(year.status).toBe(200);
    expect(year.body).toMatchObject({ year: 2026, half: null, from: '2026-04-01', to: '2027-03-31' });
    expect(mine(year.body)).toEqual([refs.may, refs.november]);
    expect(mine((await request(app).get('/api/reports/engagement').query({ year: 2025 })).body)).toEqual([refs.february]);
    const half = await request(app).get('/api/reports/engagement').query({ year: 2026, half: 1 });
    expect(half.body).toMatchObject({ year: 2026, half: 1, from: '2026-04-01', to: '2026-09-30' });
    expect(mine(half.body)).toEqual([refs.may]);
    expect((await request(app).get('/api/reports/engagement').query({ year: 2026, half: 2 })).status).toBe(400);

    const csv = await request(app).get('/api/reports/engagement').query({ year: 2026, half: 1 }).set('Accept', 'text/csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="?engagement-2026-27-mid-year\.csv"?$/);
    expect(csv.text).toContain(refs.may);
    expect(csv.text).not.toContain(refs.november);
    const yearCsv = await request(app).get('/api/reports/engagement').query({ year: 2026 }).set('Accept', 'text/csv');
    expect(yearCsv.headers['content-disposition']).toMatch(/^attachment; filename="?engagement-2026-27\.csv"?$/);
  });

  test('the report’s page shows the financial year or its mid-year review, and downloads the same', async () => {
    const year = await page('/reviews/engagement?year=2026');
    expect(year.status).toBe(200);
    expect(year.text).toContain('Engagement report 2026/27');
    expect(year.text).toContain('1 April 2026 to 31 March 2027');
    expect(year.text).toContain(`Service may ${stamp}`);
    expect(year.text).toContain(`Service november ${stamp}`);
    expect(year.text).not.toContain(`Service february ${stamp}`);
    const half = await page('/reviews/engagement?year=2026&half=1');
    expect(half.status).toBe(200);
    expect(half.text).toContain('Mid-year review 2026/27');
    expect(half.text).toContain('1 April 2026 to 30 September 2026');
    expect(half.text).toContain(`Service may ${stamp}`);
    expect(half.text).not.toContain(`Service november ${stamp}`);
    expect(half.text).toContain('href="/reviews/engagement.csv?year=2026&amp;half=1"');
    const csv = await page('/reviews/engagement.csv?year=2026&half=1');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="?engagement-2026-27-mid-year\.csv"?$/);
    expect(csv.text).toContain(refs.may);
    expect(csv.text).not.toContain(refs.november);
    // The reviews' start page links this financial year's report and its mid-year review.
    const start = await page('/reviews');
    const fy = financialYearOf(today());
    expect(start.text).toContain(`href="/reviews/engagement?year=${fy}"`);
    expect(start.text).toContain(`href="/reviews/engagement?year=${fy}&amp;half=1"`);
  });
});

describe('a service that went live without its EIA, QIA or engagement log', () => {
  const owner = `ma-${stamp}`;
  const complete = { equalityImpact: { completed: true }, qualityImpact: { completed: true }, engagementLog: { completed: true } };
  const refs: Record<string, string> = {};

  beforeAll(async () => {
    const make = async (name: string, assessments: object) => {
      const res = await schedule({ owner: { id: owner, name: 'Max Assess' }, serviceName: `Service ${name} ${stamp}`, assessments });
      expect(res.status).toBe(201);
      refs[name] = res.body.reference;
    };
    await make('complete', complete);
    await make('noLog', { ...complete, engagementLog: { completed: false } });
    await make('noEiaQia', { ...complete, equalityImpact: { completed: false }, qualityImpact: { completed: false } });
  });

  test('is flagged on the review, listed with ?missingAssessments=true, and raised with the quality lead once, at scheduling', async () => {
    const detail = await request(app).get(`/api/reviews/${refs.noEiaQia}`);
    expect(detail.body.missingAssessments).toEqual(['equalityImpact', 'qualityImpact']);
    expect((await request(app).get(`/api/reviews/${refs.complete}`)).body.missingAssessments).toEqual([]);
    const list = await eventually(async () => {
      const res = await request(app).get('/api/reviews').query({ missingAssessments: 'true', pageSize: 100 });
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { reference: string }) => i.reference)).toEqual(expect.arrayContaining([refs.noLog, refs.noEiaQia]));
      return res.body;
    });
    expect(list.items.map((i: { reference: string }) => i.reference)).not.toContain(refs.complete);
    expect(list.items.find((i: { reference: string }) => i.reference === refs.noLog).missingAssessments).toEqual(['engagementLog']);
    expect((await request(app).get('/api/reviews').query({ missingAssessments: 'true', owner })).status).toBe(400);

    for (const [name, missing] of [['noLog', 'the engagement log'], ['noEiaQia', 'the equality impact assessment (EIA), the quality impact assessment (QIA)']]) {
      const rows = await eventually(async () => {
        const found = await h.models.Notification.find({ reference: refs[name], kind: 'missing_assessments' }).lean();
        expect(found).toHaveLength(1);
        return found;
      });
      expect(rows[0]).toMatchObject({ audience: 'quality_lead', dueOn: today(), subject: `${refs[name]} (Service ${name} ${stamp}): Went live without: ${missing}` });
    }
    expect(await h.models.Notification.countDocuments({ reference: refs.complete, kind: 'missing_assessments' })).toBe(0);
    // A reschedule does not raise it again.
    const { dueOn } = detail.body;
    expect((await request(app).post(`/api/reviews/${refs.noLog}/reschedule`).send({ rescheduledOn: today(), reason: 'Phase two', dueOn: addCalendarDays(dueOn, 7) })).status).toBe(200);
    expect(await h.models.Notification.countDocuments({ reference: refs.noLog, kind: 'missing_assessments' })).toBe(1);
  });

  test('is counted in the engagement report (JSON, CSV, page) and flagged on its page', async () => {
    for (const name of ['complete', 'noLog', 'noEiaQia']) {
      expect((await request(app).post(`/api/reviews/${refs[name]}/record`).send(recorded)).status).toBe(200);
    }
    const report = (await request(app).get('/api/reports/engagement').query({ year: financialYearOf(today()) })).body;
    const mine = report.reviews.filter((r: { reference: string }) => Object.values(refs).includes(r.reference));
    expect(mine.map((r: { reference: string; missingAssessments: string[] }) => [r.reference, r.missingAssessments])).toEqual([
      [refs.complete, []],
      [refs.noLog, ['engagementLog']],
      [refs.noEiaQia, ['equalityImpact', 'qualityImpact']],
    ]);
    // Every review recorded in the year, this file's others included, is counted.
    const all = report.reviews as { missingAssessments: string[] }[];
    const count = (kind: string) => all.filter((r) => r.missingAssessments.includes(kind)).length;
    expect(report.missingAssessments).toEqual({
      reviews: all.filter((r) => r.missingAssessments.length).length,
      equalityImpact: count('equalityImpact'),
      qualityImpact: count('qualityImpact'),
      engagementLog: count('engagementLog'),
    });
    expect(report.missingAssessments.equalityImpact).toBeGreaterThanOrEqual(1);

    const csv = await request(app).get('/api/reports/engagement').query({ year: financialYearOf(today()) }).set('Accept', 'text/csv');
    const lines = csv.text.split('\r\n');
    // Added at the end, so a spreadsheet reading the earlier columns by position reads them still.
    const column = lines[0].split(',').indexOf('missing_assessments');
    expect(lines[0].split(',').slice(0, column + 1).join(',')).toBe('reference,service,go_live,reviewed_on,owner,access,outcomes,experience,you_said,we_did,missing_assessments');
    const cells = (ref: string) => lines.find((l) => l.startsWith(ref))!.replace(/"[^"]*"/g, 'q').split(',');
    expect(cells(refs.noEiaQia)[column]).toBe('EIA; QIA');
    expect(cells(refs.complete)[column]).toBe('');

    const reportPage = await page(`/reviews/engagement?year=${financialYearOf(today())}`);
    expect(reportPage.text).toMatch(/\d+ of the \d+ reviews? went live without an equality impact assessment, a quality impact assessment or an engagement log/);
    const reviewPage = await page(`/reviews/${refs.noEiaQia}`);
    expect(reviewPage.status).toBe(200);
    expect(reviewPage.text).toContain('This service went live without');
    expect(reviewPage.text).toContain('the equality impact assessment (EIA)');
    expect((await page(`/reviews/${refs.complete}`)).text).not.toContain('This service went live without');
  });
});

describe('the assessments are documents of the review (issue 26)', () => {
  const upload = (reference: string, name: string, kind = 'eia') =>
    request(app).post(`/api/reviews/${reference}/documents`).field('kind', kind).attach('file', Buffer.from(`${name}: screening and full assessment\n`), name);

  test("the EIA holds the document uploaded to the review, by id; another review's is a 400 naming it; the page links it", async () => {
    const { reference } = (await schedule()).body;
    const other = (await schedule()).body.reference;
    const eia = await upload(reference, 'eia-diabetes-clinic.txt');
    const foreign = await upload(other, 'eia-other.txt');
    expect([eia.status, foreign.status]).toEqual([201, 201]);
    const put = (assessment: string, document: string) => request(app).put(`/api/reviews/${reference}/assessments/${assessment}`).send({ document });
    let res = await put('equalityImpact', foreign.body.id);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('body.document.0');
    res = await put('fairnessImpact', eia.body.id);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('params.assessment');
    res = await put('equalityImpact', eia.body.id);
    expect(res.status).toBe(200);
    expect(res.body.assessments.equalityImpact).toMatchObject({ completed: true, document: { id: eia.body.id, filename: 'eia-diabetes-clinic.txt' } });
    expect((await request(app).get(`/api/reviews/${reference}`)).body.assessments.equalityImpact.document.id).toBe(eia.body.id);
    const html = (await page(`/reviews/${reference}`)).text;
    expect(html).toContain(`href="/documents/${eia.body.id}"`);
    expect(html).toContain('eia-diabetes-clinic.txt');
  });
});

describe('a note on a review', () => {
  test('kept in the timeline with who wrote it, on a scheduled and on a recorded review; refused on a cancelled one, and before it was scheduled', async () => {
    const { reference } = (await schedule({ serviceName: `Service noted ${stamp}` })).body;
    const note = { notedOn: today(), text: 'Go-live slipped a week: the provider asked for the review to follow the new date' };
    const early = await request(app).post(`/api/reviews/${reference}/note`).send({ ...note, notedOn: '2020-01-02' });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/scheduling/);
    const res = await request(app).post(`/api/reviews/${reference}/note`).send(note);
    expect(res.status).toBe(200);
    expect(res.body.timeline.at(-1)).toMatchObject({ type: 'note_added', data: note, actor: { id: actor.id } });
    expect((await page(`/reviews/${reference}`)).text).toContain(`href="/reviews/${reference}/note"`);
    const empty = await request(app).post(`/api/reviews/${reference}/note`).send({ notedOn: today() });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details[0]).toMatchObject({ field: 'body.text' });

    expect((await request(app).post(`/api/reviews/${reference}/record`).send(recorded)).status).toBe(200);
    await eventually(async () => expect((await h.env.client.workflow.getHandle(reviewWorkflowId(reference)).describe()).status.name).toBe('COMPLETED'));
    expect((await request(app).post(`/api/reviews/${reference}/note`).send(note)).status).toBe(200);

    const { reference: cancelled } = (await schedule({ serviceName: `Service noted, cancelled ${stamp}` })).body;
    expect((await request(app).post(`/api/reviews/${cancelled}/cancel`).send({ cancelledOn: today(), reason: 'Service decommissioned' })).status).toBe(200);
    const refused = await request(app).post(`/api/reviews/${cancelled}/note`).send(note);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/cancelled/);
  });
});

describe('"you said, we did" fed back to those who took part', () => {
  test('recorded on a recorded review (its workflow resumed for it), shown on the review, in the engagement report (JSON, CSV) and on the pages', async () => {
    const { reference } = (await schedule({ serviceName: `Service fed back ${stamp}` })).body;
    const given = { givenOn: today(), method: 'workshop_or_event', to: 'Healthwatch Bexley members and the patient advisory group' };
    const early = await request(app).post(`/api/reviews/${reference}/feedback`).send(given);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/record the review first/);
    expect((await request(app).post(`/api/reviews/${reference}/record`).send(recorded)).status).toBe(200);
    await eventually(async () => expect((await h.env.client.workflow.getHandle(reviewWorkflowId(reference)).describe()).status.name).toBe('COMPLETED'));
    // Its page offers the one thing left: the feedback, and says it is not yet recorded.
    const recordedPage = await page(`/reviews/${reference}`);
    expect(recordedPage.text).toContain(`href="/reviews/${reference}/feedback"`);
    expect(recordedPage.text).toContain('Not yet recorded: feed “you said, we did” back');

    const named = await request(app).post(`/api/reviews/${reference}/feedback`).send({ ...given, to: 'jo.bloggs@nhs.example' });
    expect(named.status).toBe(400);
    expect(named.body.error.details[0]).toMatchObject({ field: 'body.to' });
    const res = await request(app).post(`/api/reviews/${reference}/feedback`).send(given);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', feedback: [{ givenOn: today(), method: 'workshop_or_event', to: given.to }] });
    expect(res.body.timeline.at(-1)).toMatchObject({ type: 'feedback_given', actor: { id: actor.id, name: actor.name } });
    const again = await request(app).post(`/api/reviews/${reference}/feedback`).send({ givenOn: today(), method: 'stakeholder_bulletin', to: 'Stakeholder bulletin readers' });
    expect(again.status).toBe(200);
    expect(again.body.feedback.map((f: { method: string }) => f.method)).toEqual(['workshop_or_event', 'stakeholder_bulletin']);
    expect((await request(app).get(`/api/reviews/${reference}`)).body.feedback).toHaveLength(2);

    const report = (await request(app).get('/api/reports/engagement').query({ year: financialYearOf(today()) })).body;
    expect(report.reviews.find((r: { reference: string }) => r.reference === reference).feedback).toEqual(again.body.feedback);
    expect(report.fedBack).toBe(report.reviews.filter((r: { feedback: unknown[] }) => r.feedback.length).length);
    expect(report.fedBack).toBeGreaterThanOrEqual(1);
    const csv = await request(app).get('/api/reports/engagement').query({ year: financialYearOf(today()) }).set('Accept', 'text/csv');
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('reference,service,go_live,reviewed_on,owner,access,outcomes,experience,you_said,we_did,missing_assessments,fed_back');
    expect(lines.find((l) => l.startsWith(reference))).toMatch(
      new RegExp(`,${today()} workshop or event to Healthwatch Bexley members and the patient advisory group; ${today()} stakeholder bulletin to Stakeholder bulletin readers$`),
    );

    const reviewPage = await page(`/reviews/${reference}`);
    expect(reviewPage.text).toContain('Fed back to those who took part');
    expect(reviewPage.text).toContain('Healthwatch Bexley members and the patient advisory group');
    expect(reviewPage.text).toContain(`href="/reviews/${reference}/feedback"`);
    const form = await page(`/reviews/${reference}/feedback`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('never a person’s name');
    const reportPage = await page(`/reviews/engagement?year=${financialYearOf(today())}`);
    expect(reportPage.text).toMatch(/Fed back: \d+ \w+ \d{4}, workshop or event, to Healthwatch Bexley members and the patient advisory group/);
  });
});

describe('the reconciler', () => {
  test("starts a review's missing workflow from the input its record keeps, and writes a projection behind forward", async () => {
    // A record whose workflow was never started (the API died between the two), an hour old.
    const orphan = `PIR-2016-${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    const goLiveOn = today();
    await h.models.Review.create({
      ...body(),
      _id: orphan,
      scheduledOn: goLiveOn,
      status: 'scheduled',
      dueOn: addCalendarMonths(goLiveOn, 6),
      workflowId: reviewWorkflowId(orphan),
      workflowInput: { reference: orphan, ownerId: `jo-${stamp}`, goLiveOn, scheduledOn: goLiveOn },
      createdAt: new Date(Date.now() - 3_600_000),
    });
    const behind = (await schedule()).body.reference;
    await eventually(async () => expect((await h.models.Review.findById(behind).lean())?.projectionVersion).toBeGreaterThan(0));
    await h.models.Review.updateOne({ _id: behind }, { $set: { projectionVersion: 0, status: 'nonsense' } }, { timestamps: false });

    const started = await request(app).post('/api/admin/reconciliation').send({ process: 'review', graceSeconds: 0 });
    expect(started.status).toBe(202);
    expect(started.body.workflowId).toBe('reconcile-reviews-now');
    const result = await h.env.client.workflow.getHandle(started.body.workflowId, started.body.runId).result();
    expect(result.counts).toMatchObject({ record_without_workflow: { found: 1, repaired: 1 }, projection_behind: { found: 1, repaired: 1 } });
    const { latest } = (await request(app).get('/api/admin/reconciliation')).body;
    expect(latest.id).toBe(result.id);
    // With no grace, a case an earlier test changed a moment ago may be found behind too: only these two are this test's.
    const ours = latest.findings.filter((f: { reference: string }) => [behind, orphan].includes(f.reference));
    expect(ours.map((f: { problem: string; reference: string }) => `${f.problem}:${f.reference}`).sort()).toEqual([`projection_behind:${behind}`, `record_without_workflow:${orphan}`]);
    expect((await h.env.client.workflow.getHandle(reviewWorkflowId(orphan)).describe()).status.name).toBe('RUNNING');
    expect((await h.models.Review.findById(behind).lean())?.status).toBe('scheduled');
    await eventually(async () => expect((await h.models.Review.findById(orphan).lean())?.projectionVersion).toBeGreaterThan(0));
  });
});

describe('OpenAPI and Temporal away', () => {
  test('the document lists the review routes and the engagement report', async () => {
    const doc = await request(app).get('/api/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/reviews',
        '/api/reviews/calendar.ics',
        '/api/reviews/{reference}',
        '/api/reviews/{reference}/record',
        '/api/reviews/{reference}/reschedule',
        '/api/reviews/{reference}/cancel',
        '/api/reports/engagement',
      ]),
    );
  });

  test('503 when Temporal is unreachable, and nothing is left behind', async () => {
    const { app: offline, close } = await h.offlineApp({ retries: false });
    const before = await Promise.all([h.models.Review.countDocuments(), h.models.CaseIndex.countDocuments({ _id: { $gte: 'review|', $lt: 'review|~' } })]);
    const res = await request(offline).post('/api/reviews').set('Idempotency-Key', `offline-${stamp}`).send(body());
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('temporal_unavailable');
    expect(await Promise.all([h.models.Review.countDocuments(), h.models.CaseIndex.countDocuments({ _id: { $gte: 'review|', $lt: 'review|~' } })])).toEqual(before);
    expect(await h.models.IdempotencyKey.countDocuments({ _id: `reviews:offline-${stamp}` })).toBe(0);
    await close();
  });
});
