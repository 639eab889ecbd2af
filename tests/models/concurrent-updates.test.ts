import mongoose, { Schema } from 'mongoose';
import { testDatabase } from '../helpers/env';

/**
 * Two writers updating different fields of one document at once both land, as MongoDB makes
 * every single-document update atomic. FerretDB v1 ran an update as a read of the document and
 * a write of the whole of it by `_id`, so a write landing between the two was undone: CI on
 * 6 December lost a complaint's KO41a coding (PUT …/coding answered 200) to the worker's
 * projection writing the record it had read just before. scripts/patches/ferretdb-*-4-*.patch
 * makes the write conditional on the document being as read, and does it again if not.
 */
const docSchema = new Schema({ _id: String, count: Number, fields: Schema.Types.Mixed, list: [String] }, { versionKey: false, strict: false });
const docModel = (connection: mongoose.Connection) => connection.model('Doc', docSchema);
let Doc: ReturnType<typeof docModel>;

const database = testDatabase('concurrent_updates');
const N = 60;

beforeAll(() => {
  Doc = docModel(database.db);
});

beforeEach(async () => {
  await Doc.deleteMany({});
  await Doc.collection.insertOne({ _id: 'A' as never, count: 0, list: [] });
});

test('many $set of different fields and $inc at once: every one lands', async () => {
  await Promise.all(
    Array.from({ length: N }, (_, i) =>
      Promise.all([Doc.updateOne({ _id: 'A' }, { $set: { [`f${i}`]: i } }), Doc.updateOne({ _id: 'A' }, { $inc: { count: 1 } })]),
    ),
  );
  const doc = (await Doc.collection.findOne({ _id: 'A' as never }))!;
  expect(doc.count).toBe(N);
  expect(Array.from({ length: N }, (_, i) => doc[`f${i}`])).toEqual(Array.from({ length: N }, (_, i) => i));
});

test('findOneAndUpdate with $push at once: each sees its own result and none is lost', async () => {
  const answers = await Promise.all(
    Array.from({ length: N }, (_, i) => Doc.findOneAndUpdate({ _id: 'A' }, { $push: { list: `x${i}` }, $inc: { count: 1 } }, { new: true }).lean()),
  );
  const doc = (await Doc.collection.findOne({ _id: 'A' as never }))!;
  expect(doc.count).toBe(N);
  expect([...doc.list].sort()).toEqual(Array.from({ length: N }, (_, i) => `x${i}`).sort());
  // Every answer is a state the document was in: the counts are 1..N, each once.
  expect(answers.map((a) => a!.count).sort((a, b) => a! - b!)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
});

test('a conditional update that no longer matches once another write lands changes nothing', async () => {
  // Each claims the document only while count is 0: exactly one may.
  const results = await Promise.all(Array.from({ length: N }, (_, i) => Doc.updateOne({ _id: 'A', count: 0 }, { $set: { count: 1, owner: i } })));
  expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(1);
  const doc = (await Doc.collection.findOne({ _id: 'A' as never }))!;
  expect(doc.count).toBe(1);
});

test('a delete with a condition and an update that ends it, at once: one of the two, never both', async () => {
  // On MongoDB either the delete comes first (the update then finds nothing) or the update does
  // (the delete's condition then fails). FerretDB read the document, then deleted it by `_id`.
  const both: number[] = [];
  for (let round = 0; round < 150; round++) {
    await Doc.collection.deleteMany({});
    await Doc.collection.insertOne({ _id: 'K' as never, count: 0 });
    const [updated, deleted, taken] = await Promise.all([
      Doc.updateOne({ _id: 'K' }, { $set: { count: 1 } }),
      Doc.deleteOne({ _id: 'K', count: 0 }),
      Doc.findOneAndDelete({ _id: 'K', count: 0 }).lean(),
    ]);
    const removed = deleted.deletedCount + (taken ? 1 : 0);
    if (updated.modifiedCount === 1 && removed > 0) both.push(round);
    expect(removed).toBeLessThanOrEqual(1);
    const left = await Doc.collection.findOne({ _id: 'K' as never });
    expect(left === null).toBe(removed === 1);
    if (left) expect(left.count).toBe(1);
  }
  expect(both).toEqual([]);
});

test('the same upsert by _id, many at once on a document not yet there: one inserts, the rest update it, none fails', async () => {
  // MongoDB retries an upsert whose insert meets the document another upsert inserted first (an
  // equality on _id); FerretDB answered those E11000, so two first saves at once failed one.
  for (let round = 0; round < 20; round++) {
    const id = `U${round}`;
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => Doc.updateOne({ _id: id }, { $inc: { count: 1 }, $setOnInsert: { list: ['first'] } }, { upsert: true })));
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const fulfilled = results.map((r) => (r as PromiseFulfilledResult<{ upsertedCount: number; modifiedCount: number }>).value);
    expect(fulfilled.filter((r) => r.upsertedCount === 1)).toHaveLength(1);
    const doc = (await Doc.collection.findOne({ _id: id as never }))!;
    expect(doc.count).toBe(10);
    expect(doc.list).toEqual(['first']);
  }
});
