import supertest from 'supertest';
import { listActionsQuery } from '../../api/action-plans/schemas';
import { listComplaintsQuery } from '../../api/complaints/schemas';
import { openMeetingBody } from '../../contracts/cqrg-meeting/inputs';
import { listReviewsQuery } from '../../api/reviews/schemas';
import { listVisitsQuery } from '../../api/visits/schemas';
import { SESSION_COOKIE } from '../../web/session';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { asCaller, tokenFor, type Caller } from '../helpers/auth';

/**
 * Every yes-or-no flag of every list, through the API and the pages: the flag alone
 * (`?overdue`, `?overdue=`) means true, as `=true` does; a value that is neither is a 400 that
 * names the flag and says why (before, the flag alone was a 400 too).
 */
let h: ApiHarness;
const OFFICER: Caller = { id: 'sam-officer', name: 'Sam Officer', roles: ['quality_team'] };
const request = asCaller(OFFICER);

beforeAll(async () => {
  h = await createApiHarness('query_flags');
});

afterAll(async () => {
  await h?.teardown();
});

const FLAGS = [
  ['/api/complaints', 'overdue', listComplaintsQuery],
  ['/api/visits', 'overdue', listVisitsQuery],
  ['/api/reviews', 'overdue', listReviewsQuery],
  ['/api/reviews', 'missingAssessments', listReviewsQuery],
  ['/api/providers/RJ2/actions', 'outstanding', listActionsQuery],
] as const;

test.each(FLAGS)('%s?%s alone means true', async (list, flag, schema) => {
  // As the router's validation parses it (Express gives the flag alone as an empty string).
  expect((schema.parse({ [flag]: '' }) as Record<string, unknown>)[flag]).toBe(true);
  if (flag !== 'missingAssessments') expect((schema.parse({ [flag]: 'false' }) as Record<string, unknown>)[flag]).toBe(false);
  const asTrue = await request(h.app).get(`${list}?${flag}=true`);
  expect(asTrue.status).toBe(200);
  for (const alone of [`${list}?${flag}`, `${list}?${flag}=`]) {
    const res = await request(h.app).get(alone);
    expect([alone, res.status]).toEqual([alone, 200]);
    expect(res.body).toEqual(asTrue.body);
  }
  // As typed: the value's case is not the client's mistake.
  for (const [typed, meant] of [['TRUE', asTrue], ['True', asTrue]] as const) {
    const res = await request(h.app).get(`${list}?${flag}=${typed}`);
    expect([typed, res.status, res.body]).toEqual([typed, 200, meant.body]);
  }
  if (flag !== 'missingAssessments') {
    const asFalse = await request(h.app).get(`${list}?${flag}=false`);
    expect((await request(h.app).get(`${list}?${flag}=FALSE`)).body).toEqual(asFalse.body);
  }
  const bad = await request(h.app).get(`${list}?${flag}=maybe`);
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body.error)).toContain(flag);
  expect(JSON.stringify(bad.body.error)).toMatch(/true/);
});

test('the flag alone on the pages means true too: the overdue complaints and visits', async () => {
  const cookie = `${SESSION_COOKIE}=${await tokenFor(OFFICER)}`;
  for (const [path, title] of [
    ['/complaints?overdue', 'Overdue complaints'],
    ['/visits?overdue', 'Overdue insight visits'],
  ]) {
    const res = await supertest(h.app).get(path).set('Cookie', cookie);
    expect([path, res.status]).toEqual([path, 200]);
    expect(res.text).toContain(title);
  }
});

test('the engagement report’s half is a flag too: alone, 1 or true the mid-year review; 0 or false the year; through the API, its page and its CSV', async () => {
  const cookie = `${SESSION_COOKIE}=${await tokenFor(OFFICER)}`;
  const api = async (q: string) => (await request(h.app).get(`/api/reports/engagement?year=2026${q}`)).body as { half: number | null; to: string };
  for (const q of ['&half', '&half=', '&half=1', '&half=true']) expect([q, await api(q)]).toEqual([q, expect.objectContaining({ half: 1, to: '2026-09-30' })]);
  for (const q of ['', '&half=0', '&half=false']) expect([q, await api(q)]).toEqual([q, expect.objectContaining({ half: null, to: '2027-03-31' })]);
  const bad = await request(h.app).get('/api/reports/engagement?year=2026&half=2');
  expect([bad.status, JSON.stringify(bad.body.error)]).toEqual([400, expect.stringContaining('query.half')]);
  // The page as a link gives it, and as its own form sends it (the year's radio: half=0).
  const page = (q: string) => supertest(h.app).get(`/reviews/engagement?year=2026${q}`).set('Cookie', cookie);
  expect((await page('&half')).text).toContain('Mid-year review 2026/27');
  expect((await page('&half=0')).text).toContain('Engagement report 2026/27');
  expect((await page('')).text).toContain('value="0" checked');
  const csv = await supertest(h.app).get('/reviews/engagement.csv?year=2026&half').set('Cookie', cookie);
  expect([csv.status, csv.headers['content-disposition']]).toEqual([200, expect.stringContaining('mid-year')]);
});

test("a provider's ODS code as typed (rj2, ' rj2 ') is the provider RJ2 in every list, report and page that takes one; a code that cannot be one is a 400 naming it", async () => {
  for (const [list, param] of [
    ['/api/complaints', 'provider'],
    ['/api/complaints/dashboard', 'provider'],
    ['/api/visits', 'provider'],
    ['/api/action-plans', 'provider'],
    ['/api/action-plans/dashboard', 'provider'],
  ] as const) {
    const canonical = await request(h.app).get(`${list}?${param}=RJ2`);
    expect([list, canonical.status]).toEqual([list, 200]);
    for (const typed of ['rj2', 'Rj2', '%20rj2%20']) {
      const res = await request(h.app).get(`${list}?${param}=${typed}`);
      expect([list, typed, res.status, res.body]).toEqual([list, typed, 200, canonical.body]);
    }
    const bad = await request(h.app).get(`${list}?${param}=r%212`);
    expect([list, bad.status, JSON.stringify(bad.body.error)]).toEqual([list, 400, expect.stringContaining(`query.${param}`)]);
  }
  for (const path of ['/actions', '/actions/dashboard']) {
    const canonical = await request(h.app).get(`/api/providers/RJ2${path}`);
    const typed = await request(h.app).get(`/api/providers/rj2${path}`);
    expect([path, typed.status, typed.body]).toEqual([path, 200, canonical.body]);
  }
  // Opening a CQRG meeting by hand takes the code as typed too.
  expect(openMeetingBody.parse({ providerCode: ' rj2 ', meetingOn: '2026-12-08' }).providerCode).toBe('RJ2');
  expect(openMeetingBody.safeParse({ providerCode: 'r!2', meetingOn: '2026-12-08' }).success).toBe(false);
  // The chair's pages: the code typed in the picker, or into the address, lands on RJ2's one address.
  const cookie = `${SESSION_COOKIE}=${await tokenFor(OFFICER)}`;
  const picked = await supertest(h.app).get('/providers?code=%20rj2').set('Cookie', cookie);
  expect([picked.status, picked.headers.location]).toEqual([303, '/providers/RJ2']);
  const typed = await supertest(h.app).get('/providers/rj2?cursor=abc').set('Cookie', cookie);
  expect([typed.status, typed.headers.location]).toEqual([301, '/providers/RJ2?cursor=abc']);
  expect((await supertest(h.app).get('/providers/r!2').set('Cookie', cookie)).status).toBe(404);
});
