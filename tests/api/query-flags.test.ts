import supertest from 'supertest';
import { listActionsQuery } from '../../api/action-plans/schemas';
import { listComplaintsQuery } from '../../api/complaints/schemas';
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
