import { asCaller } from '../helpers/auth';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { eventually } from '../helpers/harness';
import { addCalendarDays, londonDate } from '../../lib/calendar';
import { createHash } from 'node:crypto';
import { generateCodecKeys } from '../../lib/codec-keys';
import { parseQuery } from '../../records/search/query';
import { searchTermKey, termHash } from '../../api/search/term-hash';
import { nhsNumber, seedComplaint, seedOtherProcesses, typed } from './fixtures';

const quality = asCaller();
const commissioner = asCaller({ id: 'comm.1', name: 'Casey Commissioner', roles: ['commissioner'] });
const auditor = asCaller({ id: 'aud.1', name: 'Ash Auditor', roles: ['auditor'] });
const panel = asCaller({ id: 'panel.member', name: 'Pat Panel', roles: ['visit_panel'] });

let h: ApiHarness;
const today = () => londonDate(Date.now());
const NHS_A = nhsNumber('943476591');
const NHS_B = nhsNumber('401023213');
const refs: Record<string, string> = {};
let others: { visit: string; review: string; plan: string };

const open = async (name: string, body: Record<string, unknown>) => {
  const res = await quality(h.app)
    .post('/api/complaints')
    .send({ providerCode: 'RJ2', receivedAt: addCalendarDays(today(), -1), source: 'complainant', summary: 'Waited nine hours in the emergency department', consentToShare: true, ...body });
  expect(res.status).toBe(201);
  refs[name] = res.body.reference;
};

// As startApi derives it: from the codec key payloads are encrypted with.
const termKey = searchTermKey(generateCodecKeys('k-test'));

beforeAll(async () => {
  h = await createApiHarness('search_api', { app: { searchTermKey: termKey } });
  // Near-duplicates, accents and apostrophes; other processes' records beside them.
  await open('oneill', { complainant: { name: "Siobhan O'Neill" }, madeBy: 'patient', patient: { name: "Siobhan O'Neill", nhsNumber: NHS_A } });
  await open('oneil', { complainant: { name: 'Sean ONeil' }, summary: 'Discharge letter never sent to the GP' });
  await open('zoe', { complainant: { name: 'Zoë Brontë' }, providerCode: 'RJZ', summary: 'Rude reception staff' });
  await open('smyth', { complainant: { name: 'Mary Smyth' }, madeBy: 'patient', patient: { name: 'Mary Smyth', nhsNumber: NHS_B } });
  await seedComplaint(h.models, 'CMP-2019-000077', { complainant: { name: 'Marie Smithson' }, receivedOn: '2019-05-01' });
  others = await seedOtherProcesses(h.models, 2026);
  // Searchable once each case's first projection has run.
  await eventually(async () => {
    for (const reference of Object.values(refs)) expect((await h.models.Complaint.findById(reference, { searchKeys: 1 }).lean())?.searchKeys?.length).toBeGreaterThan(0);
  });
}, 60_000);
afterAll(() => h?.teardown());

const search = (q: string, caller = quality, extra: Record<string, string> = {}) => caller(h.app).get('/api/search').query({ q, ...extra });
const found = async (q: string, caller = quality, extra: Record<string, string> = {}) => {
  const res = await search(q, caller, extra);
  expect(res.status).toBe(200);
  return (res.body.items as { reference: string }[]).map((i) => i.reference);
};

describe('GET /api/search, as the quality team', () => {
  test("names forgive case, accents, apostrophes and word order: O'Neill first, then O'Neil", async () => {
    for (const q of ["O'Neill", 'oneill', 'ONEILL siobhan', 'siobhan o’neill']) expect((await found(q))[0]).toBe(refs.oneill);
    expect(await found("o'neill")).toContain(refs.oneil);
    expect((await found("O'Neil"))[0]).toBe(refs.oneil);
    expect((await found('zoe bronte'))[0]).toBe(refs.zoe);
    expect((await found('Brontë Zoë'))[0]).toBe(refs.zoe);
  });

  test('a prefix and a misspelling find the name; the exact one ranks first', async () => {
    expect(await found('Siob')).toEqual([refs.oneill]);
    expect((await found('Smyth'))[0]).toBe(refs.smyth);
    expect(await found('Smith')).toEqual(expect.arrayContaining([refs.smyth, 'CMP-2019-000077']));
    expect((await found('Bronty'))[0]).toBe(refs.zoe);
  });

  test('two words of one name are read as a pair: the person first, in either order, by a start, or misspelt', async () => {
    const people = { 'CMP-2019-000078': 'Gwen Farrow', 'CMP-2019-000079': 'Gwen Farrowby', 'CMP-2019-000080': 'Ivor Farrow', 'CMP-2019-000081': 'Gwen Talbot', 'CMP-2019-000070': 'Ann Farrow', 'CMP-2019-000083': 'Ivo Farrow' };
    for (const [reference, name] of Object.entries(people)) await seedComplaint(h.models, reference, { complainant: { name }, receivedOn: '2019-06-01' });
    for (const q of ['Gwen Farrow', 'farrow gwen', 'GWEN FARROW']) expect((await found(q))[0]).toBe('CMP-2019-000078');
    expect((await found('gwen farr')).slice(0, 2).sort()).toEqual(['CMP-2019-000078', 'CMP-2019-000079']);
    expect((await found('Gwen Farow'))[0]).toBe('CMP-2019-000078');
    expect((await found('Gwenn Farrow'))[0]).toBe('CMP-2019-000078');
    // A swap of two letters, the commonest slip, breaks most of a short name's trigrams; the pair still finds the person.
    expect((await found('Gwne Farrow'))[0]).toBe('CMP-2019-000078');
    expect((await found('Farrow Gewn'))[0]).toBe('CMP-2019-000078');
    expect((await found('Gwen Farorw'))[0]).toBe('CMP-2019-000078');
    // Ivro is one slip from Ivor (a swap) and from Ivo (a letter more): the swap, which keeps the length, ranks first.
    expect((await found('Ivro Farrow')).slice(0, 2)).toEqual(['CMP-2019-000080', 'CMP-2019-000083']);
    expect((await found('Farrow Anm'))[0]).toBe('CMP-2019-000070');
    // The pair is personal too: a commissioner's search by it finds nothing.
    expect(await found('Gwen Farrow', commissioner)).toEqual([]);
  });

  test('a name its pair finds is read as the pair only: not again as words of text or names alone', async () => {
    await seedComplaint(h.models, 'CMP-2019-000084', { complainant: { name: 'Nell Quayle' }, receivedOn: '2019-06-01' });
    const find = jest.spyOn(h.models.SearchIndex, 'find');
    try {
      expect((await found('quayle nell'))[0]).toBe('CMP-2019-000084');
      const read = find.mock.calls.map(([filter]) => String((filter as unknown as { _id: { $gte: string } })._id.$gte).split('|')[0]);
      expect(read).toEqual(['p', 'p']);
    } finally {
      find.mockRestore();
    }
  });

  test('an NHS number typed three ways finds its patient', async () => {
    for (const q of typed(NHS_A)) expect(await found(q)).toEqual([refs.oneill]);
    for (const q of typed(NHS_B)) expect(await found(q)).toEqual([refs.smyth]);
  });

  test('a reference whole, in lower case, or by its number alone', async () => {
    expect(await found(refs.zoe)).toEqual([refs.zoe]);
    expect(await found(refs.zoe.toLowerCase())).toEqual([refs.zoe]);
    expect((await found(String(Number(refs.zoe.slice(-6)))))[0]).toBe(refs.zoe);
  });

  test('words of summaries, providers by code and name, and the other processes', async () => {
    expect((await found('discharge letter'))[0]).toBe(refs.oneil);
    expect(await found('discharge')).toContain(others.plan);
    expect(await found('maternity')).toEqual(expect.arrayContaining([others.visit, others.review]));
    expect(await found('maternity', quality, { process: 'review' })).toEqual([others.review]);
    expect(await found("king's college")).toEqual(expect.arrayContaining([refs.zoe, others.plan]));
    expect(await found('RJZ', quality, { process: 'complaint' })).toEqual([refs.zoe]);
  });

  test('filters by provider, status and dates; the result says what it is and marks the words', async () => {
    expect(await found('smithson smyth', quality, { from: '2020-01-01' })).toEqual([refs.smyth]);
    expect(await found('smithson smyth', quality, { to: '2020-01-01' })).toEqual(['CMP-2019-000077']);
    expect(await found('smithson smyth', quality, { status: 'closed' })).toEqual(['CMP-2019-000077']);
    expect(await found('emergency', quality, { provider: 'RJZ' })).toEqual([]);
    const res = await search('nine hours');
    const item = res.body.items.find((i: { reference: string }) => i.reference === refs.oneill);
    expect(item).toMatchObject({ process: 'complaint', status: expect.any(String), path: `/complaints/${refs.oneill}` });
    const marked = item.snippet.highlights.map(([s, e]: [number, number]) => item.snippet.text.slice(s, e));
    expect(marked).toEqual(['nine', 'hours']);
  });

  test('a bad filter is a 400 naming the field', async () => {
    const res = await search('x', quality, { from: '2026-13-01' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('query.from');
    expect((await quality(h.app).get('/api/search')).status).toBe(400);
  });

  test('a change is searchable within seconds of the create', async () => {
    await open('late', { complainant: { name: 'Ngozi Adebayo-Okafor' } });
    const started = Date.now();
    await eventually(async () => expect(await found('adebayo okafor')).toEqual([refs.late]));
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('personal details only for the roles that may see them', () => {
  test('a commissioner searching a name or NHS number finds nothing, and is told only that', async () => {
    for (const q of ["O'Neill", NHS_A, typed(NHS_A)[1], 'nine hours']) {
      const res = await search(q, commissioner);
      expect(res.body).toMatchObject({ items: [], message: 'Nothing found.' });
    }
    // What is not personal, they find: the provider, a reference, the other processes.
    expect(await found(refs.zoe, commissioner)).toEqual([refs.zoe]);
    expect(await found('maternity', commissioner)).toEqual(expect.arrayContaining([others.visit, others.review]));
    const res = await search('RJZ', commissioner, { process: 'complaint' });
    expect(JSON.stringify(res.body)).not.toMatch(/Bront|Rude/);
  });

  test('a visit panel member finds only the visits they sit on', async () => {
    expect(await found('maternity', panel)).toEqual([others.visit]);
    expect(await found('RJ2', panel)).toEqual([others.visit]);
  });

  test('the audit holds each search with personal terms, its terms hashed', async () => {
    await search("Siobhan O'Neill");
    await search("O'Neill", commissioner);
    const res = await auditor(h.app).get('/api/audit').query({ record: 'search', limit: 1000 });
    const entries = res.body.entries as { actor: { id: string }; action: string }[];
    expect(entries.some((e) => e.actor.id === 'qo-7' && e.action.startsWith('search with personal details'))).toBe(true);
    expect(entries.some((e) => e.actor.id === 'comm.1' && e.action.startsWith('search (personal details not searched)'))).toBe(true);
    // Every field but the entry's time, whose milliseconds can read 943 (04:53:04.943Z) whatever was searched.
    const withoutTimes = (res.body.entries as Record<string, unknown>[]).map(({ at: _at, ...entry }) => entry);
    expect(JSON.stringify(withoutTimes)).not.toMatch(/o'?neill|siobhan/i);
    // The NHS number as typed, whole: its first digits alone would turn up by chance in a hash's hex
    // (the key is new each run), which failed one run in a few.
    for (const form of typed(NHS_A)) expect(JSON.stringify(withoutTimes)).not.toContain(form);
    expect(JSON.stringify(withoutTimes)).not.toContain(NHS_A.slice(0, 6));
    // Keyed: the terms' plain SHA-256, which anyone could compute from a guessed name, is not there.
    const tokens = parseQuery("Siobhan O'Neill").map((t) => t.token);
    const quality = entries.filter((e) => e.actor.id === 'qo-7').map((e) => e.action);
    expect(quality).toContain(`search with personal details; terms hmac-sha256 (key k-test): ${tokens.map((t) => termHash(termKey, t)).join(' ')}`);
    for (const t of tokens) expect(JSON.stringify(withoutTimes)).not.toContain(createHash('sha256').update(t).digest('hex').slice(0, 16));
  });
});
