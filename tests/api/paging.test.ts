import { complaintIndexKeys } from '../../records/complaint/lists';
import { encodeCursor } from '../../api/kernel/cursor';
import { addIndexKeys, pageByKey, type KeyRange } from '../../models/case-index';
import { enqueue } from '../../models/notification';
import { seedReferenceData } from '../../models/seed';
import { asCaller, type Caller } from '../helpers/auth';
import { offlineApp, type OfflineApp } from '../helpers/offline-app';

/**
 * Every list pages by key: `next` and `prev` carry the key a page ends after or starts before, as
 * an opaque cursor; a cursor that does not decode, or names no place in the list asked for, is a
 * 400 naming `query.cursor`; `page=N` still answers as before.
 */
let offline: OfflineApp;
const ADMIN: Caller = { id: 'ada-admin', name: 'Ada Admin', roles: ['administrator', 'quality_team'] };
const request = asCaller(ADMIN);
const N = 23;
const ref = (i: number) => `CMP-2026-${String(900_000 + i).padStart(6, '0')}`;

beforeAll(async () => {
  offline = await offlineApp('api_paging');
  await seedReferenceData(offline.db);
  const { Complaint, CaseIndex } = offline.models;
  const records = Array.from({ length: N }, (_, i) => {
    const due = `2026-12-${String(1 + (i % 20)).padStart(2, '0')}`;
    const indexKeys = complaintIndexKeys({ reference: ref(i), providerCode: i % 2 ? 'RJ2' : 'RJ1', status: 'received', nextDueOn: due });
    return { _id: ref(i), providerCode: i % 2 ? 'RJ2' : 'RJ1', source: 'complainant', receivedOn: '2026-11-30', summary: 's', consentToShare: true, acknowledgeBy: due, nextDueOn: due, status: 'received', workflowId: `complaint:${ref(i)}`, indexKeys };
  });
  await Complaint.collection.insertMany(records as unknown as Record<string, unknown>[]);
  await addIndexKeys(CaseIndex, records.flatMap((r) => r.indexKeys));
});

afterAll(() => offline?.close());

/** Every reference of a list, page by page, following `next`. */
async function walk(query: string, pageSize: number) {
  const pages: { refs: string[]; page: number; prev: string | null; next: string | null }[] = [];
  let cursor: string | null = null;
  do {
    const res = await request(offline.app).get(`/api/complaints?${query}&pageSize=${pageSize}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(query.includes('RJ2') ? Math.floor(N / 2) : N);
    pages.push({ refs: res.body.items.map((c: { reference: string }) => c.reference), page: res.body.page, prev: res.body.prev, next: res.body.next });
    cursor = res.body.next;
  } while (cursor && pages.length < 50);
  return pages;
}

test('following next reads the whole list once, in its order, each page numbered', async () => {
  const everything = (await request(offline.app).get('/api/complaints?status=open&pageSize=100')).body.items.map((c: { reference: string }) => c.reference);
  expect(everything).toHaveLength(N);
  const pages = await walk('status=open', 5);
  expect(pages.map((p) => p.page)).toEqual([1, 2, 3, 4, 5]);
  expect(pages.flatMap((p) => p.refs)).toEqual(everything);
  expect(pages[0].prev).toBeNull();
  expect(pages.at(-1)!.next).toBeNull();
  // prev goes back a page, to the same items.
  const back = await request(offline.app).get(`/api/complaints?status=open&pageSize=5&cursor=${pages[3].prev}`);
  expect(back.status).toBe(200);
  expect(back.body.items.map((c: { reference: string }) => c.reference)).toEqual(pages[2].refs);
  expect(back.body.page).toBe(3);
});

test('page=N still answers, by skipping, with the cursors to go on by key', async () => {
  const pages = await walk('provider=RJ2', 4);
  const third = await request(offline.app).get('/api/complaints?provider=RJ2&pageSize=4&page=3');
  expect(third.status).toBe(200);
  expect(third.body.page).toBe(3);
  expect(third.body.items.map((c: { reference: string }) => c.reference)).toEqual(pages[2].refs);
  expect(third.body.next).toBe(pages[2].next);
});

test('a cursor that does not decode, or is no place in this list, is a 400 naming query.cursor', async () => {
  const first = await request(offline.app).get('/api/complaints?provider=RJ2&pageSize=3');
  for (const bad of ['not*base64', Buffer.from('{"v":1}').toString('base64url'), Buffer.from('[1,2').toString('base64url'), encodeCursor({ after: 'x'.repeat(401), page: 2 })]) {
    const res = await request(offline.app).get(`/api/complaints?provider=RJ2&cursor=${encodeURIComponent(bad)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('query.cursor');
    expect(res.body.error.details[0].reason).toMatch(/not a cursor this list gave/);
  }
  // Another list's cursor (RJ2's, sent to RJ1's list), or one made by hand for a key outside it.
  for (const other of [first.body.next, encodeCursor({ after: 'review|all|2026-01-01|PIR-2026-000001', page: 2 })]) {
    const res = await request(offline.app).get(`/api/complaints?provider=RJ1&cursor=${other}`);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'query.cursor', reason: expect.stringMatching(/not a position in this list/) }]);
  }
  const both = await request(offline.app).get(`/api/complaints?provider=RJ2&page=2&cursor=${first.body.next}`);
  expect(both.status).toBe(400);
  expect(both.body.error.details[0].field).toBe('query.page');
});

test('a list of ranges out of key order (open actions, then done) pages across them by key', async () => {
  const { CaseIndex } = offline.models;
  const open = Array.from({ length: 4 }, (_, i) => `t|a|open|2026-12-0${i + 1}|A${i}`);
  const done = Array.from({ length: 3 }, (_, i) => `t|a|done|2026-11-0${i + 1}|D${i}`);
  await addIndexKeys(CaseIndex, [...open, ...done]);
  const ranges: KeyRange[] = [{ from: 't|a|open|', to: 't|a|open|~' }, { from: 't|a|done|', to: 't|a|done|~' }];
  const one = await pageByKey(CaseIndex, ranges, undefined, 3);
  const two = await pageByKey(CaseIndex, ranges, { after: one.keys.at(-1)! }, 3);
  const three = await pageByKey(CaseIndex, ranges, { after: two.keys.at(-1)! }, 3);
  expect([...one.keys, ...two.keys, ...three.keys]).toEqual([...open, ...done]);
  expect([one.more, two.more, three.more]).toEqual([true, true, false]);
  expect((await pageByKey(CaseIndex, ranges, { before: three.keys[0] }, 3)).keys).toEqual(two.keys);
  // Before the first full page: the first page.
  expect((await pageByKey(CaseIndex, ranges, { before: open[1] }, 3)).keys).toEqual(one.keys);
});

test('the outbox lists page by key too', async () => {
  const { MailQueue, Notification } = offline.models;
  const ids = Array.from({ length: 7 }, (_, i) => `NTF-${i}:response:2026-12-01:reminder`);
  for (const [i, id] of ids.entries()) {
    await Notification.collection.insertOne({ _id: id, caseType: 'complaint', reference: 'NTF', kind: 'reminder', deadline: 'response', audience: 'case_officer', dueOn: '2026-12-01', subject: 's', status: 'pending', createdAt: new Date(), attempts: 0 } as unknown as Record<string, unknown>);
    await enqueue(MailQueue, 'pending', new Date(Date.UTC(2026, 11, 1, 9, i)), id);
  }
  const seen: string[] = [];
  let cursor = '';
  for (let n = 0; n < 5; n++) {
    const res = await request(offline.app).get(`/api/notifications?status=pending&pageSize=3${cursor && `&cursor=${cursor}`}`);
    expect(res.status).toBe(200);
    seen.push(...res.body.items.map((r: { id: string }) => r.id));
    if (!res.body.next) break;
    cursor = res.body.next;
  }
  expect(seen).toEqual(ids);
  const forged = await request(offline.app).get(`/api/notifications?status=parked&cursor=${cursor}`);
  expect(forged.status).toBe(400);
  expect(forged.body.error.details[0].field).toBe('query.cursor');
});

test('a create whose start is refused at once leaves no list entries, even when their insert is slower than the refusal', async () => {
  // Temporal is unreachable here (a 503 within 300 ms); the list entries' insert takes longer. The
  // withdrawal used to run as soon as the start failed, before the insert landed, which then stayed.
  const { CaseIndex } = offline.models;
  const insert = CaseIndex.collection.insertMany.bind(CaseIndex.collection);
  const slow = jest.spyOn(CaseIndex.collection, 'insertMany').mockImplementation(async (docs, options) => {
    await new Promise((resolve) => setTimeout(resolve, 800));
    return insert(docs, options);
  });
  const before = await CaseIndex.countDocuments({ _id: { $gte: 'complaint|', $lt: 'complaint|~' } });
  try {
    const res = await request(offline.app)
      .post('/api/complaints')
      .send({ providerCode: 'RJ2', receivedAt: '2026-12-01', source: 'complainant', summary: 'Letters never arrived', consentToShare: true });
    expect(res.status).toBe(503);
  } finally {
    slow.mockRestore();
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await CaseIndex.countDocuments({ _id: { $gte: 'complaint|', $lt: 'complaint|~' } })).toBe(before);
});
