import { createModels, type Models } from '../../models';
import { indexCase, PERSONAL, searchKeysOf } from '../../records/search/index';
import { complaintSearch } from '../../records/complaint/search';
import { reindex } from '../../records/search/reindex';
import { parseQuery } from '../../records/search/query';
import { editDistance, nameWords, nhsDigits, trigrams } from '../../records/search/tokens';
import { testDatabase } from '../helpers/env';
import { nhsNumber, seedComplaint, seedOtherProcesses, typed } from './fixtures';
import { SEARCH_SOURCES } from '../../api/services';

const database = testDatabase('search_index');
let models: Models;
beforeAll(() => {
  models = createModels(database.db);
});

const keysOf = async (reference: string) => (await models.SearchIndex.find({ _id: { $regex: `\\|${reference}$` } }, { _id: 1 }).lean<{ _id: string }[]>()).map((r) => r._id).sort();

describe('tokens', () => {
  test("names fold case, accents and apostrophes, and split on the rest: O'Neill, Zoë, Smith-Jones", () => {
    expect(nameWords("Siobhán O'Neill")).toEqual(['siobhan', 'oneill']);
    expect(nameWords('ZOË  Brontë')).toEqual(['zoe', 'bronte']);
    expect(nameWords('Anne-Marie Smith-Jones')).toEqual(['anne', 'marie', 'smith', 'jones']);
    expect(trigrams('smith')).toEqual(['_sm', 'smi', 'mit', 'ith', 'th_']);
  });

  test('slips in a typed name: a swap, a letter missed, doubled or wrong is one; more is more, up to the most asked', () => {
    expect(editDistance('tmoasz', 'tomasz', 1)).toBe(1);
    expect(editDistance('mray', 'mary', 1)).toBe(1);
    expect(editDistance('farow', 'farrow', 1)).toBe(1);
    expect(editDistance('farrrow', 'farrow', 1)).toBe(1);
    expect(editDistance('farxow', 'farrow', 1)).toBe(1);
    expect(editDistance('mary', 'mary', 1)).toBe(0);
    expect(editDistance('amry', 'mary', 2)).toBe(1);
    expect(editDistance('yram', 'mary', 2)).toBe(3);
    expect(editDistance('mohammed', 'muhammad', 2)).toBe(2);
    expect(editDistance('mohammed', 'muhammad', 1)).toBe(2);
    expect(editDistance('ann', 'annabelle', 2)).toBe(3);
  });

  test('an NHS number typed three ways is the same ten digits; a query finds it among words and references', () => {
    const n = nhsNumber('943476591');
    for (const t of typed(n)) expect(nhsDigits(t)).toBe(n);
    expect(parseQuery(`cmp-2026-123 ${typed(n)[1]} O'Neill 42`)).toEqual([
      { kind: 'nhs', token: n },
      { kind: 'reference', token: 'CMP-2026-000123' },
      { kind: 'word', token: 'oneill' },
      { kind: 'number', token: '42' },
    ]);
  });
});

describe('the index follows the records', () => {
  test('a case is indexed once, whatever the retries; personal tokens only under personal classes', async () => {
    await seedComplaint(models, 'CMP-2026-000010', { complainant: { name: "Zoë O'Neill" }, patient: { name: 'Zoë O’Neill', nhsNumber: nhsNumber('943476591') }, summary: 'Rude at reception' });
    const once = await keysOf('CMP-2026-000010');
    await indexCase(models, complaintSearch, 'CMP-2026-000010');
    await indexCase(models, complaintSearch, 'CMP-2026-000010');
    expect(await keysOf('CMP-2026-000010')).toEqual(once);
    expect((await models.Complaint.findById('CMP-2026-000010', { searchKeys: 1 }).lean())?.searchKeys?.sort()).toEqual(once);
    const [doc] = await complaintSearch.read(models, ['CMP-2026-000010']);
    const open = searchKeysOf(doc).filter((k) => !PERSONAL.includes(k.split('|')[0] as never));
    expect(open.join(' ')).not.toMatch(/oneill|zoe|rude|943/);
    expect(once).toEqual(expect.arrayContaining(['n|oneill|complaint|CMP-2026-000010', 'h|9434765919|complaint|CMP-2026-000010', 'x|rude|complaint|CMP-2026-000010', 'r|10|complaint|CMP-2026-000010']));
  });

  test('a changed name moves its entries; a crash between adding and naming them converges on the retry', async () => {
    await models.Complaint.updateOne({ _id: 'CMP-2026-000010' }, { $set: { 'complainant.name': 'Zoë Smith' } });
    await indexCase(models, complaintSearch, 'CMP-2026-000010');
    const keys = await keysOf('CMP-2026-000010');
    expect(keys).toContain('n|smith|complaint|CMP-2026-000010');
    expect(keys).toContain('n|oneill|complaint|CMP-2026-000010'); // still the patient's name
    await models.Complaint.updateOne({ _id: 'CMP-2026-000010' }, { $set: { 'patient.name': 'Zoë Smith-Adeyemi' } });
    // As if the worker died after adding the new entries and before the rest: the retry finishes the move.
    const [doc] = await complaintSearch.read(models, ['CMP-2026-000010']);
    await models.SearchIndex.collection.insertMany(searchKeysOf(doc).filter((k) => !keys.includes(k)).map((_id) => ({ _id })) as never[]);
    await indexCase(models, complaintSearch, 'CMP-2026-000010');
    const after = await keysOf('CMP-2026-000010');
    expect(after).not.toContain('n|oneill|complaint|CMP-2026-000010');
    expect(after).toEqual(searchKeysOf(doc).sort());
  });

  test('keys a commit read before another writer moved them: nothing left in the index that the record does not name', async () => {
    const reference = 'CMP-2026-000011';
    await seedComplaint(models, reference, { complainant: { name: 'Ada Lovelace' }, summary: 'Lost letter' });
    const read = (await models.Complaint.findById(reference, { searchKeys: 1 }).lean<{ searchKeys: string[] }>())!.searchKeys;
    // After the commit read them, a reindex named entries for a name since changed...
    await models.Complaint.updateOne({ _id: reference }, { $set: { 'complainant.name': 'Ada Byron' } });
    const moved = await indexCase(models, complaintSearch, reference);
    expect(moved).toContain(`n|byron|complaint|${reference}`);
    // ...and the name changed again before the commit's index ran, with the keys it read.
    await models.Complaint.updateOne({ _id: reference }, { $set: { 'complainant.name': 'Ada King' } });
    await indexCase(models, complaintSearch, reference, { had: read });
    const [doc] = await complaintSearch.read(models, [reference]);
    expect(await keysOf(reference)).toEqual(searchKeysOf(doc).sort());
    expect(await keysOf(reference)).not.toContain(`n|byron|complaint|${reference}`);
    // Read as none at all (a reindex --fresh had cleared them): the same.
    await models.Complaint.updateOne({ _id: reference }, { $set: { 'complainant.name': 'Ada Turing' } });
    await indexCase(models, complaintSearch, reference, { had: [] });
    const [now] = await complaintSearch.read(models, [reference]);
    expect(await keysOf(reference)).toEqual(searchKeysOf(now).sort());
    expect((await models.Complaint.findById(reference, { searchKeys: 1 }).lean<{ searchKeys: string[] }>())!.searchKeys.sort()).toEqual(searchKeysOf(now).sort());
  });

  test('npm run reindex rebuilds it from the records; --fresh also drops entries no record names', async () => {
    await seedOtherProcesses(models, 2026);
    const before = (await models.SearchIndex.find({}, { _id: 1 }).lean<{ _id: string }[]>()).map((r) => r._id).sort();
    await models.SearchIndex.collection.insertOne({ _id: 'n|ghost|complaint|CMP-2026-000999' } as never);
    await models.SearchIndex.deleteMany({ _id: { $in: before.filter((k) => k.startsWith('w|')) } });
    expect(await reindex(models, SEARCH_SOURCES)).toEqual({ complaint: 2, visit: 1, review: 1, 'action-plan': 1 });
    const all = async () => (await models.SearchIndex.find({}, { _id: 1 }).lean<{ _id: string }[]>()).map((r) => r._id).sort();
    expect(await all()).toEqual([...before, 'n|ghost|complaint|CMP-2026-000999'].sort());
    await reindex(models, SEARCH_SOURCES, { fresh: true });
    expect(await all()).toEqual(before);
  });
});
