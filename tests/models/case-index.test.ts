import { ObjectId } from 'mongodb';
import mongoose from 'mongoose';
import { addIndexKeys, caseIndexModel, countRange, indexKey, pageOfRanges, prefixRange, removeIndexKeys } from '../../models/case-index';
import { isFerretDb } from '../../models/connection';
import { testDatabase } from '../helpers/env';

/**
 * Lists read ranges of `_id`: the answers must be MongoDB's, and the engine must read them from
 * its `_id` index (FerretDB with scripts/patches, or MongoDB itself when MONGODB_URI points at it).
 */
let db: mongoose.Connection;
let Index: ReturnType<typeof caseIndexModel>;
let ferret: boolean;

const database = testDatabase('case_index');

beforeAll(async () => {
  db = database.db;
  Index = caseIndexModel(db);
  ferret = await isFerretDb(db);
});

beforeEach(async () => {
  await Index.deleteMany({});
});

const due = (i: number) => `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
const keysFor = (n: number, provider: string) =>
  Array.from({ length: n }, (_, i) => indexKey('complaint', 'pst', provider, 'open', due(i), `CMP-2026-${String(i).padStart(6, '0')}`));

test('a range, its count and a page sorted by _id are exactly what MongoDB answers, among _ids of every type', async () => {
  const rj2 = keysFor(300, 'RJ2');
  await addIndexKeys(Index, [...rj2, ...keysFor(200, 'RJ1'), ...keysFor(200, 'RV5')]);
  // Other types of _id, and strings just outside the range, must not leak into it.
  await Index.collection.insertMany([{ _id: 5 }, { _id: new ObjectId() }, { _id: { a: 1 } }, { _id: null }] as never[]);
  await addIndexKeys(Index, ['complaint|pst|RJ2', 'complaint|pst|RJ2|', 'complaint|pst|RJ3|open']);
  const range = prefixRange(indexKey('complaint', 'pst', 'RJ2', 'open'));
  const expected = [...rj2].sort();

  expect(await countRange(Index, range)).toBe(300);
  const page = await Index.find({ _id: { $gte: range.from, $lt: range.to } }).sort({ _id: 1 }).skip(40).limit(25).lean();
  expect(page.map((d) => d._id)).toEqual(expected.slice(40, 65));
  const down = await Index.find({ _id: { $gte: range.from, $lt: range.to } }).sort({ _id: -1 }).limit(3).lean();
  expect(down.map((d) => d._id)).toEqual(expected.slice(-3).reverse());
  // Open ranges: only strings are ordered against a string.
  const atLeast = await Index.find({ _id: { $gte: 'complaint|pst|RV5' } }).lean();
  expect(atLeast.filter((d) => typeof d._id !== 'string' || !d._id.startsWith('complaint|pst|RV5'))).toEqual([]);
  expect(await Index.countDocuments({ _id: { $gte: 'complaint|pst|RV5' } })).toBe(200);
  expect((await db.db!.command({ count: 'case_index', query: { _id: { $gte: 'complaint|pst|RV5' } } })).n).toBe(200);
  expect((await db.db!.command({ count: 'case_index', query: { _id: { $lt: 'complaint|pst|RJ1|~' } } })).n).toBe(200);
  expect((await Index.find({ _id: { $in: [expected[7], 'nothing', expected[3]] } }).lean()).map((d) => d._id).sort()).toEqual([expected[3], expected[7]]);
  // A bound JSON escapes is still answered rightly (by a scan).
  expect(await countRange(Index, { from: range.from, to: 'complaint|pst|RJ2|open|<' })).toBe(300);
});

test('the engine reads a range, its order, its page and its count from the _id index', async () => {
  await addIndexKeys(Index, [...keysFor(500, 'RJ2'), ...keysFor(500, 'RJ1')]);
  const range = prefixRange(indexKey('complaint', 'pst', 'RJ2', 'open'));
  // No skip here: FerretDB's explain refuses the driver's int skip (its find takes it).
  const query = () => Index.find({ _id: { $gte: range.from, $lt: range.to } }).sort({ _id: 1 }).limit(25);
  const plan = JSON.stringify(await query().explain());
  if (ferret) {
    expect(plan).toMatch(/SEARCH case_index_\w+ USING INDEX case_index_\w+__id_ \(<expr>>\? AND <expr><\?\)/);
    expect(JSON.parse(plan)).toMatchObject({ filterPushdown: true, sortPushdown: true, limitPushdown: true });
    const byIn = await Index.find({ _id: { $in: ['a', 'b'] } }).explain();
    expect(JSON.stringify(byIn)).toMatch(/USING INDEX case_index_\w+__id_/);
    // One document by _id with a condition beside it (a conditional update) reads its one row.
    const beside = await Index.find({ _id: range.from, v: { $lt: 3 } }).explain();
    expect(JSON.stringify(beside)).toMatch(/SEARCH case_index_\w+ USING INDEX case_index_\w+__id_ \(<expr>=\?\)/);
  } else {
    expect(plan).toMatch(/"stage":"IXSCAN"/);
    expect(plan).not.toMatch(/"stage":"SORT"/);
    const count = await db.db!.command({ explain: { count: 'case_index', query: { _id: { $gte: range.from, $lt: range.to } } } });
    expect(JSON.stringify(count)).toMatch(/COUNT_SCAN|IXSCAN/);
  }
});

test('a page across consecutive ranges skips into the second, and counts both', async () => {
  const keys = keysFor(30, 'RJ2');
  await addIndexKeys(Index, keys);
  const sorted = [...keys].sort();
  const list = indexKey('complaint', 'pst', 'RJ2', 'open');
  const ranges = [
    { from: `${list}|2026-01`, to: `${list}|2026-03` },
    { from: `${list}|2026-06`, to: `${list}|2026-08` },
  ];
  const inRanges = sorted.filter((k) => ranges.some((r) => k >= r.from && k < r.to));
  const first = await pageOfRanges(Index, ranges, 0, 3);
  expect(first).toEqual({ total: inRanges.length, keys: inRanges.slice(0, 3) });
  const across = await pageOfRanges(Index, ranges, 4, 4);
  expect(across.keys).toEqual(inRanges.slice(4, 8));
  expect((await pageOfRanges(Index, ranges, 100, 4)).keys).toEqual([]);
});

test('entries added twice are stored once; removing is idempotent; a key part that could break the order is refused', async () => {
  const keys = keysFor(5, 'RJ2');
  await addIndexKeys(Index, keys);
  await addIndexKeys(Index, [...keys, ...keysFor(7, 'RJ2')]);
  expect(await Index.countDocuments({})).toBe(7);
  await removeIndexKeys(Index, keys.slice(0, 2));
  await removeIndexKeys(Index, keys.slice(0, 2));
  expect(await Index.countDocuments({})).toBe(5);
  expect(() => indexKey('complaint', 'st', 'open|x')).toThrow(/not \[A-Za-z0-9_:-\]/);
  expect(() => indexKey('complaint', 'p', 'R J2')).toThrow();
});
